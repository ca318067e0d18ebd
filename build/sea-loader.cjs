'use strict';
// The entry of the packaged engine (build/package.sh puts it next to engine.cjs, the esbuild bundle,
// and engine.jsc, a V8 code cache of it made by build/code-cache.mjs with the same Node). Compiling
// the ~1 MB bundle is the largest fixed cost of every engine start (docs/performance.md); with the
// cache V8 takes the bytecode instead (functions a warm-up run compiled included). The cache is only
// an optimisation: when it is missing, or V8 rejects it (another V8 version or other flags), the
// bundle is compiled from its source as usual, with the same result.
//
// The bundle runs exactly as Node's CommonJS loader would run it as the main module: same wrapper,
// same require (resolving next to this file, where koffi is), same module (so require.main === module).
// The V8 flag the bundle sets on its first line is set here before compiling, because the cache
// records the flags it was made with.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');

const file = path.join(__dirname, 'engine.cjs');

function compile() {
  let cachedData;
  try {
    cachedData = fs.readFileSync(path.join(__dirname, 'engine.jsc'));
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8').replace(/^#!.*/, '')), { filename: file, cachedData });
  if (process.env.LINKTOOLS_CODE_CACHE_CHECK === '1') {
    // For build/package.sh: was the cache taken?
    process.stderr.write(`code cache: ${cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`);
  }
  return script; // the cache's buffer is garbage from here on
}

compile().runInThisContext().call(module.exports, module.exports, require, module, file, __dirname);

// For pkg's dependency walker only (never run): the bundle and what it requires (koffi) are packaged.
if (module === null) require('./engine.cjs');
