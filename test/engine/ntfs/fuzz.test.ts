import { describe, expect, it } from 'vitest';
import { DEFAULT_FUZZ_ITERATIONS, fuzzConfig, fuzzMutations, fuzzRandomBuffers, fuzzRoundTrips, fuzzSeeds, type FuzzStats } from './helpers.js';

// Every run: the fixed seeds (FIXED_FUZZ_SEEDS, the same cases in CI each time) plus one random seed,
// printed. FUZZ_SEED reproduces one seed alone; FUZZ_ITERATIONS (cases per category) makes it longer:
// see build/fuzz-reparse.mjs.
const { iterations } = fuzzConfig();
const seeds = fuzzSeeds();
const long = iterations > DEFAULT_FUZZ_ITERATIONS;
// A long run may take minutes; the default run stays well inside the configured test timeout.
const timeout = long ? 24 * 60 * 60 * 1000 : 60_000;

for (const { seed, random } of seeds) {
  console.log(`reparse fuzz: FUZZ_SEED=${seed} FUZZ_ITERATIONS=${iterations}${random ? ' (random seed of this run; reproduce with FUZZ_SEED)' : ''}`);
}

function report(name: string, s: FuzzStats): void {
  if (long) console.log(`reparse fuzz ${name}: ${s.cases} cases, ${s.parsed} parsed, ${s.rejected} rejected, kinds ${JSON.stringify(s.kinds)}`);
}

describe.each(seeds)('reparse codec fuzz (FUZZ_SEED=$seed, random: $random)', ({ seed }) => {
  it(
    'random buffers parse or fail with LT_BAD_REPARSE_DATA',
    () => {
      const s = fuzzRandomBuffers(seed, iterations);
      report('random', s);
      expect(s.parsed + s.rejected).toBe(iterations);
      // The generator is meant to reach both outcomes; if it stops doing so the fuzzing is hollow.
      expect(s.parsed).toBeGreaterThan(0);
      expect(s.rejected).toBeGreaterThan(0);
    },
    timeout,
  );

  it(
    'mutated valid buffers parse or fail with LT_BAD_REPARSE_DATA',
    () => {
      const s = fuzzMutations(seed, iterations);
      report('mutation', s);
      expect(s.parsed + s.rejected).toBe(iterations);
      expect(s.parsed).toBeGreaterThan(0);
      expect(s.rejected).toBeGreaterThan(0);
    },
    timeout,
  );

  it(
    'builders round-trip random names, non-BMP and unpaired surrogates included',
    () => {
      const s = fuzzRoundTrips(seed, iterations);
      report('roundtrip', s);
      expect(s.parsed).toBe(iterations);
    },
    timeout,
  );
});
