/**
 * `linktools ensure <manifest>`: converge the tree to a declared link layout. Creates missing links,
 * retargets wrong ones, replaces a wrong LINK only where the entry says `replace`, never a real file or
 * folder. A second run prints only `none` records. `--check` changes nothing and exits 1 on drift.
 */
import fs from 'node:fs';
import type { Argv } from 'yargs';
import type { Manifest } from '../contract/types.js';
import * as validators from '../contract/validators.js';
import { planEnsure } from '../core/maintenance/plan.js';
import { absolutePath } from '../core/info.js';
import { LinkToolsError } from '../errors.js';
import { getPlatform } from '../platform/index.js';
import type { Output } from '../cli/output.js';
import type { CommonArgs } from './common.js';
import { emitChange, maintenanceOptions, runPlan, type MaintenanceArgs } from './maintenance.js';

export interface EnsureArgs extends MaintenanceArgs {
  manifest: string;
  check: boolean;
}

export const command = 'ensure <manifest>';
export const describe = 'Make the tree hold the links a manifest declares (--check: only report drift, exit 1).';

export function builder(y: Argv<CommonArgs>): Argv<EnsureArgs> {
  return maintenanceOptions(
    y
      .positional('manifest', { type: 'string', describe: 'JSON manifest: {"links":[{"path","target","kind","targetType?","replace?"}]}' })
      .option('check', { type: 'boolean', default: false, describe: 'Change nothing; exit 1 when the tree differs from the manifest' }),
  ) as unknown as Argv<EnsureArgs>;
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** Reads and validates a manifest file. Throws LT_BAD_MANIFEST (nothing changed) when it is not one. */
export function loadManifest(file: string): Manifest {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new LinkToolsError('LT_NOT_FOUND', `The manifest ${file} does not exist.`, file);
  }
  if (!st.isFile()) throw new LinkToolsError('LT_BAD_MANIFEST', `The manifest ${file} is not a regular file.`, file);
  if (st.size > MAX_MANIFEST_BYTES) throw new LinkToolsError('LT_BAD_MANIFEST', `The manifest ${file} is larger than ${MAX_MANIFEST_BYTES} bytes.`, file);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new LinkToolsError('LT_BAD_MANIFEST', `The manifest ${file} is not JSON: ${(e as Error).message}`, file);
  }
  if (!validators.manifest(data)) {
    const first = validators.manifest.errors?.[0];
    const where = first ? `${first.instancePath || '/'} ${first.message}` : 'does not match the manifest schema';
    throw new LinkToolsError('LT_BAD_MANIFEST', `The manifest ${file} is not valid: ${where}.`, file, { errors: validators.manifest.errors ?? [] });
  }
  return data as Manifest;
}

export async function run(argv: EnsureArgs, out: Output): Promise<void> {
  const platform = getPlatform();
  const file = absolutePath(platform, argv.manifest);
  const manifest = loadManifest(file);
  const dir = platform.defaultBackend.path.dirname(file);
  const { plan, errors } = planEnsure(platform, manifest, dir);
  for (const e of errors) out.error(e);
  if (argv.check) {
    for (const c of plan) emitChange(out, c);
    if (errors.length > 0 || plan.some((c) => c.operation !== 'none')) out.raise(1);
    return;
  }
  runPlan(platform, plan, argv, out, [dir]);
}
