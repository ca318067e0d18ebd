// Which in-process test files exercise which source file, for one-file mutation runs
// (`npm run mutate -- --mutate FILE`). Stryker re-runs, for every mutant, the covering tests of the
// test files vitest loaded; loading only the files that exercise FILE keeps a mutant to a second or
// two instead of re-collecting the whole suite. The first entry whose pattern matches FILE wins;
// FILE may carry a line range (`create.ts:10-40`) or be a comma-separated list (the union is loaded). `MUTATE_TESTS=glob,glob` overrides the table.
export const TESTS_FOR = [
  [/^engine\/src\/core\/maintenance\//, ['test/engine/core/maintenance/**/*.test.ts']],
  [/^engine\/src\/core\/create\.ts$/, ['test/engine/core/create*.test.ts']],
  [/^engine\/src\/core\/audit\//, ['test/engine/core/audit/**/*.test.ts']],
  [/^engine\/src\/ntfs\//, ['test/engine/ntfs/**/*.test.ts']],
  [/^engine\/src\/core\/remote(\.ts$|\/)/, ['test/engine/core/remote*.test.ts', 'test/engine/core/remote/**/*.test.ts']],
];

/** The test globs for one `--mutate` value, or null (then the whole in-process suite runs). */
export function testsFor(target) {
  if (process.env.MUTATE_TESTS) return process.env.MUTATE_TESTS.split(',').filter(Boolean);
  if (!target) return null;
  const out = new Set();
  for (const one of target.split(',')) {
    const file = one.replace(/:\d+(:\d+)?(-\d+(:\d+)?)?$/, '').replace(/^\.\//, '');
    const hit = TESTS_FOR.find(([re]) => re.test(file));
    if (!hit) return null; // a file without an entry: the whole in-process suite
    for (const g of hit[1]) out.add(g);
  }
  return [...out];
}
