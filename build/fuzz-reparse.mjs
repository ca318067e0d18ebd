#!/usr/bin/env node
// Long fuzz run of the reparse-point codec.
//
//   node build/fuzz-reparse.mjs [--iterations N] [--seed S]
//
// Runs test/engine/ntfs/fuzz.test.ts under vitest with FUZZ_ITERATIONS (cases per category,
// default 1,000,000) and FUZZ_SEED (default: random, printed). A failure prints the seed and the
// offending buffer; rerun with the same --seed to reproduce it. Exits with vitest's exit code.

import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  if (i >= 0 && args[i + 1] !== undefined) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  return eq ? eq.slice(name.length + 3) : fallback;
}

const iterations = option('iterations', process.env.FUZZ_ITERATIONS ?? '1000000');
const seed = option('seed', process.env.FUZZ_SEED ?? String(randomInt(0, 0xffffffff)));
if (!/^\d+$/.test(iterations)) {
  console.error(`fuzz-reparse: --iterations must be a whole number, not "${iterations}"`);
  process.exit(2);
}
if (!Number.isFinite(Number(seed))) {
  console.error(`fuzz-reparse: --seed must be a number, not "${seed}"`);
  process.exit(2);
}

console.log(`fuzz-reparse: FUZZ_SEED=${seed} FUZZ_ITERATIONS=${iterations} (per category)`);
const started = Date.now();
const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/engine/ntfs/fuzz.test.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FUZZ_ITERATIONS: iterations, FUZZ_SEED: seed },
});
if (result.error) {
  console.error(`fuzz-reparse: could not run vitest: ${result.error.message}`);
  process.exit(3);
}
console.log(`fuzz-reparse: finished in ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${result.status}; FUZZ_SEED=${seed}`);
process.exit(result.status ?? 3);
