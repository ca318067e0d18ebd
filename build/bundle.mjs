// Bundles the engine CLI into one CommonJS file for pkg:
//   engine/src/cli/main.ts -> dist/linktools.cjs
//
//   node build/bundle.mjs [--entry <file.ts>] [--outfile <file.cjs>]
//
// koffi stays external: it picks its native addon (@koromix/koffi-<os>-<cpu>)
// at run time, and pkg packages that addon from a per-target production
// node_modules (see build/package.sh).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    entry: { type: 'string', default: 'engine/src/cli/main.ts' },
    outfile: { type: 'string', default: 'dist/linktools.cjs' },
  },
});
const entry = path.resolve(root, values.entry);
const outfile = path.resolve(root, values.outfile);

if (!existsSync(entry)) {
  console.error(`bundle: entry ${path.relative(root, entry)} does not exist`);
  process.exit(1);
}
mkdirSync(path.dirname(outfile), { recursive: true });

// The sources are ES modules; in a CommonJS bundle import.meta is empty, so
// import.meta.url is mapped to the bundle file's own URL.
const importMetaUrl = '__linktools_import_meta_url';

// V8 flags for the engine, set by the first line of the bundle (so also inside the packaged
// executable, whose node options pkg --sea cannot fix). The young generation stays at its initial
// size instead of growing to 3 x 16 MB under a tree walk's steady allocation: every record and
// listing is short-lived, so a small nursery costs little extra scavenging and keeps peak RSS
// flat as a walk grows (docs/performance.md). Flags that size the heap at start-up
// (--max-semi-space-size, --max-old-space-size) have no effect when set from here and are not used.
const V8_FLAGS = "require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');";

// yargs requires node:assert when it is loaded, for two checks that never fail in a correct run;
// loading assert (and what it pulls in) is several ms of every engine start. Its `require('assert')`
// gets this stand-in: the two calls check as assert does (Object.is) and load the real module only
// to throw its own AssertionError; anything else yargs might ask for comes from the real module.
const LAZY_ASSERT = `'use strict';
let real;
const load = () => (real ??= require('node:assert'));
const checks = {
  strictEqual(a, b, ...rest) { if (!Object.is(a, b)) load().strictEqual(a, b, ...rest); },
  notStrictEqual(a, b, ...rest) { if (Object.is(a, b)) load().notStrictEqual(a, b, ...rest); },
};
module.exports = new Proxy(checks, { get: (o, k) => (Object.hasOwn(o, k) ? o[k] : load()[k]) });
`;
const lazyAssertForYargs = {
  name: 'lazy-assert-for-yargs',
  setup(b) {
    b.onResolve({ filter: /^(node:)?assert$/ }, (args) => (/[\\/]node_modules[\\/]yargs[\\/]/.test(args.importer) ? { path: 'lazy-assert', namespace: 'linktools-shim' } : undefined));
    b.onLoad({ filter: /^lazy-assert$/, namespace: 'linktools-shim' }, () => ({ contents: LAZY_ASSERT, loader: 'js' }));
  },
};

const result = await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['koffi'],
  banner: {
    js: `${V8_FLAGS}\nconst ${importMetaUrl} = require('node:url').pathToFileURL(__filename).href;`,
  },
  define: { 'import.meta.url': importMetaUrl },
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [lazyAssertForYargs],
});

// esbuild gives each `import x from 'node:…'` of each source file its own __toESM copy of that
// built-in (a getter per export: ~100 for node:fs), 41 copies at every start (measured 5-6 ms). One
// copy per built-in is enough: the copies are read-only views of the same module object, made during
// the bundle's first run either way.
const BUILTIN_TOESM = /__toESM\(require\("node:([a-z_]+)"\), 1\)/g;
const text = readFileSync(outfile, 'utf8');
if (text.includes('var __toESM = ')) {
  const ids = new Set([...text.matchAll(BUILTIN_TOESM)].map((m) => m[1]));
  const once = text.replace(BUILTIN_TOESM, (whole, id) => `(__linktools_node_${id} ??= ${whole})`);
  writeFileSync(outfile, once.replace('var __toCommonJS = ', `var ${[...ids].map((id) => `__linktools_node_${id}`).join(', ')};\nvar __toCommonJS = `));
}

const bytes = statSync(outfile).size;
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`bundle: ${path.relative(root, outfile)} (${(bytes / 1024).toFixed(0)} KiB from ${inputs} inputs)`);
