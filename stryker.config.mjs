// Mutation testing of the pure core: `npm run mutate` (not part of CI). One file at a time with only its own
// test files (build/stryker/tests-for.mjs) takes about a second per mutant; see docs/mutation.md.
// Reports: .cache/stryker/report.html and report.json; incremental (.cache/stryker/incremental.json)
// so a re-run after a change re-tests only what changed. Equivalent survivors are listed, each with a
// reason, in docs/mutation.md.
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner', './build/stryker/ignore-messages.mjs'],
  ignorers: ['message-text'],
  coverageAnalysis: 'perTest',
  mutate: [
    'engine/src/ntfs/codec.ts',
    'engine/src/ntfs/tags.ts',
    'engine/src/ntfs/ntpath.ts',
    'engine/src/platform/classify.ts',
    'engine/src/core/remote/*.ts',
    'engine/src/core/audit/checks.ts',
    'engine/src/core/audit/tree-checks.ts',
    'engine/src/core/audit/rules.ts',
    'engine/src/core/create.ts',
    'engine/src/core/maintenance/*.ts',
  ],
  incremental: true,
  incrementalFile: '.cache/stryker/incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: '.cache/stryker/report.html' },
  jsonReporter: { fileName: '.cache/stryker/report.json' },
  tempDirName: '.cache/stryker/tmp',
  // The sandbox is a copy of the checkout: never copy the caches (a Wine prefix has device links such as dosdevices/c: that cannot be copied).
  ignorePatterns: ['/.cache'],
  concurrency: Number(process.env.STRYKER_CONCURRENCY || 1), // a shared 2-core machine: one test runner unless asked
  timeoutMS: 20000,
  thresholds: { high: 90, low: 80, break: null },
};
