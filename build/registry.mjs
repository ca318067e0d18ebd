// The LT_ error-code registry (engine/src/errors.ts), compiled with esbuild and imported, for the
// generators: gen-contract.mjs enumerates its codes in the schemas, gen-module.mjs writes the module's ids.
import { join } from 'node:path';
import { build } from 'esbuild';

export async function loadErrorCodes(root) {
  const compiled = await build({
    entryPoints: [join(root, 'engine/src/errors.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'error',
  });
  const mod = await import('data:text/javascript;base64,' + Buffer.from(compiled.outputFiles[0].text).toString('base64'));
  return mod.ERROR_CODES;
}
