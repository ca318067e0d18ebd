// vitest for mutation testing (npm run mutate): the in-process tests of the pure core only. Tests that
// run the engine as a child process (CLI, packaged executable) or need an NTFS image cannot see a
// mutant that Stryker switches on inside this process, so they are left out here (they run in npm test).
// A one-file run (`npm run mutate -- --mutate FILE`, which sets MUTATE_TARGET) loads only the test
// files that exercise FILE (build/stryker/tests-for.mjs).
import { defineConfig } from 'vitest/config';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { testsFor } from './build/stryker/tests-for.mjs';

const only = (testsFor as (target: string | undefined) => string[] | null)(process.env.MUTATE_TARGET);

export default defineConfig({
  test: {
    include: only ?? ['test/engine/**/*.test.ts'],
    exclude: [
      '**/node_modules/**',
      'test/engine/**/cli.test.ts',
      'test/engine/cli/**',
      'test/engine/commands/**',
      'test/engine/platform/ntfs3g/**',
      'test/engine/safety/**',
      'test/engine/peer/**',
      'test/engine/core/scan/**',
      'test/engine/core/report/**',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'threads',
    // The same fuzz cases on every run (fixed seeds only): a mutant must not be killed by luck.
    env: { FUZZ_RANDOM: '0' },
  },
});
