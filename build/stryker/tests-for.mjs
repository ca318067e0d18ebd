// Which in-process test files exercise which source file, for one-file mutation runs
// (`npm run mutate -- --mutate FILE`). Stryker re-runs, for every mutant, the covering tests of the
// test files vitest loaded; loading only the files that exercise FILE keeps a mutant to a second or
// two instead of re-collecting the whole suite. The first entry whose pattern matches FILE wins;
// FILE may carry a line range (`create.ts:10-40`). `MUTATE_TESTS=glob,glob` overrides the table.
// Both the old and the new homes of the NTFS code and the remote model are listed (globs that match
// nothing are harmless), so the table survives the move of core/reparse to ntfs/ and the split of
// core/remote.ts.
export const TESTS_FOR = [
  [/^engine\/src\/core\/maintenance\//, ['test/engine/core/maintenance/**/*.test.ts']],
  [/^engine\/src\/core\/create\.ts$/, ['test/engine/core/create*.test.ts']],
  [/^engine\/src\/core\/audit\//, ['test/engine/core/audit/**/*.test.ts']],
  [/^engine\/src\/(core\/reparse|ntfs)\//, ['test/engine/core/reparse/**/*.test.ts', 'test/engine/ntfs/**/*.test.ts']],
  [/^engine\/src\/core\/remote(\.ts$|\/)/, ['test/engine/core/remote*.test.ts', 'test/engine/core/remote/**/*.test.ts']],
];

/** The test globs for one `--mutate` value, or null (then the whole in-process suite runs). */
export function testsFor(target) {
  if (process.env.MUTATE_TESTS) return process.env.MUTATE_TESTS.split(',').filter(Boolean);
  if (!target || target.includes(',')) return null;
  const file = target.replace(/:\d+(:\d+)?(-\d+(:\d+)?)?$/, '').replace(/^\.\//, '');
  for (const [re, globs] of TESTS_FOR) if (re.test(file)) return globs;
  return null;
}
