// Makes the V8 code cache of the engine bundle that the packaged engine's loader (build/sea-loader.cjs)
// starts from:
//
//   node build/code-cache.mjs --node NODE --bundle dist/linktools.cjs --out .cache/pkg-stage/engine.jsc
//
// NODE must be the Node the executable is built from (the same V8: another one rejects the cache,
// which costs only the speed-up). The bundle is wrapped and compiled exactly as the loader does, with
// the same V8 flag set first; then a warm-up (scan, scan --kind symlink and audit of a small temporary
// tree with a file, two hard-linked names, a symlink, a broken one and a folder link) runs in that
// process, so the functions those commands call are in the cache too, and the cache is written when
// the process ends. The warm-up's output goes to /dev/null.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { node: { type: 'string' }, bundle: { type: 'string' }, out: { type: 'string' } } });
if (!values.node || !values.bundle || !values.out) {
  console.error('code-cache: --node, --bundle and --out are required');
  process.exit(2);
}
const bundle = path.resolve(values.bundle);
const out = path.resolve(values.out);

const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'linktools-code-cache-'));
try {
  fs.mkdirSync(path.join(tree, 'd/e'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'd/f'), 'x');
  fs.linkSync(path.join(tree, 'd/f'), path.join(tree, 'd/e/g'));
  fs.symlinkSync('f', path.join(tree, 'd/l'));
  fs.symlinkSync('missing', path.join(tree, 'd/broken'));
  fs.symlinkSync('e', path.join(tree, 'd/dirlink'));

  // Runs in NODE: the same wrapping as build/sea-loader.cjs, then the warm-up, then the cache.
  const child = `
const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');
require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
const [bundle, out, tree] = process.argv.slice(1);
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8').replace(/^#!.*/, '')), { filename: bundle });
const m = { exports: {} };
script.runInThisContext().call(m.exports, m.exports, require, m, bundle, require('node:path').dirname(bundle));
process.on('exit', () => fs.writeFileSync(out, script.createCachedData()));
(async () => {
  for (const args of [['scan', tree], ['scan', tree, '--kind', 'symlink'], ['audit', tree, '--fail-on', 'never'], ['--version']]) await m.exports.main(args);
})().then(() => { process.exitCode = 0; }, (e) => { process.stderr.write(String(e && e.stack || e) + '\\n'); process.exitCode = 1; });
`;
  fs.rmSync(out, { force: true });
  const r = spawnSync(values.node, ['-e', child, bundle, out, tree], { stdio: ['ignore', 'ignore', 'inherit'], cwd: path.dirname(bundle) });
  if (r.status !== 0 || !fs.existsSync(out)) {
    console.error(`code-cache: the warm-up failed (exit ${r.status})`);
    process.exit(1);
  }
  console.log(`code-cache: ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KiB)`);
} finally {
  fs.rmSync(tree, { recursive: true, force: true });
}
