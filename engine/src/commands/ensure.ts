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
  manifest?: string;
  check: boolean;
  base?: string;
}

export const command = 'ensure [manifest]';
export const describe = 'Make the tree hold the links a manifest declares (--check: only report drift, exit 1).';

export function builder(y: Argv<CommonArgs>): Argv<EnsureArgs> {
  return maintenanceOptions(
    y
      .positional('manifest', { type: 'string', describe: 'JSON manifest: {"links":[{"path","target","kind","targetType?","replace?"}]}' })
      .option('check', { type: 'boolean', default: false, describe: 'Change nothing; exit 1 when the tree differs from the manifest' })
      .option('base', { type: 'string', describe: 'With --stdin (the manifest JSON read from stdin): the folder its relative link paths start from' }),
  ) as unknown as Argv<EnsureArgs>;
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

function readStdin(): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.alloc(65536);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_MANIFEST_BYTES) throw new LinkToolsError('LT_BAD_MANIFEST', `The manifest on stdin is larger than ${MAX_MANIFEST_BYTES} bytes.`);
    chunks.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and validates a manifest file ('-' = stdin). Throws LT_BAD_MANIFEST (nothing changed) when it is not one. */
export function loadManifest(file: string): Manifest {
  let text: string;
  if (file === '-') text = readStdin();
  else {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      throw new LinkToolsError('LT_NOT_FOUND', `The manifest ${file} does not exist.`, file);
    }
    if (!st.isFile()) throw new LinkToolsError('LT_BAD_MANIFEST', `The manifest ${file} is not a regular file.`, file);
    if (st.size > MAX_MANIFEST_BYTES) throw new LinkToolsError('LT_BAD_MANIFEST', `The manifest ${file} is larger than ${MAX_MANIFEST_BYTES} bytes.`, file);
    text = fs.readFileSync(file, 'utf8');
  }
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
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
  const fromStdin = argv.stdin;
  if (fromStdin === (argv.manifest !== undefined)) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'ensure takes a manifest file, or --stdin with the manifest on stdin (not both).');
  if (fromStdin && !argv.base) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'A manifest read from stdin needs --base DIR for its relative paths.');
  if (!fromStdin && argv.base) throw new LinkToolsError('LT_INVALID_ARGUMENT', '--base goes with --stdin.');
  const file = fromStdin ? '-' : absolutePath(platform, argv.manifest!);
  const manifest = loadManifest(file);
  const dir = fromStdin ? absolutePath(platform, argv.base!) : platform.defaultBackend.path.dirname(file);
  const { plan, errors } = planEnsure(platform, manifest, dir);
  for (const e of errors) out.error(e);
  if (argv.check) {
    for (const c of plan) emitChange(out, c);
    if (errors.length > 0 || plan.some((c) => c.operation !== 'none')) out.raise(1);
    return;
  }
  runPlan(platform, plan, argv, out, [dir]);
}
