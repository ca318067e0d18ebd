/**
 * `linktools ensure <manifest>` (or `ensure --stdin --base DIR`): converge the tree to a declared link
 * layout. Creates missing links, retargets wrong ones, replaces a wrong LINK only where the entry says
 * `replace`, never a real file or folder. A second run prints only `none` records. `--check` changes
 * nothing and exits 1 on drift.
 */
import type { Argv } from 'yargs';
import type { Manifest } from '../contract/types.js';
import * as validators from '../contract/validators.js';
import { planEnsure } from '../core/maintenance/plan.js';
import { absolutePath } from '../core/info.js';
import { LinkToolsError } from '../errors.js';
import type { CommandContext, CommandIO, CommonArgs } from './common.js';
import { emitChange, maintenanceOptions, runPlan, type MaintenanceArgs } from './maintenance.js';

interface EnsureArgs extends MaintenanceArgs {
  manifest?: string;
  check: boolean;
  stdin: boolean;
  base?: string;
}

export const command = 'ensure [manifest]';
export const describe = 'Make the tree hold the links a manifest declares (--check: only report drift, exit 1).';

export function builder(y: Argv<CommonArgs>): Argv<EnsureArgs> {
  return maintenanceOptions(
    y
      .positional('manifest', { type: 'string', describe: 'JSON manifest: {"links":[{"path","target","kind","targetType?","replace?"}]}' })
      .option('check', { type: 'boolean', default: false, describe: 'Change nothing; exit 1 when the tree differs from the manifest' })
      .option('stdin', { type: 'boolean', default: false, describe: 'Read the manifest JSON from stdin (with --base)' })
      .option('base', { type: 'string', describe: "With --stdin: the folder the manifest's relative link paths start from" }),
  ) as unknown as Argv<EnsureArgs>;
}

/** Parses and validates a manifest's text. Throws LT_BAD_MANIFEST (nothing changed) when it is not one. */
export function parseManifest(text: string, where: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new LinkToolsError('LT_BAD_MANIFEST', `The manifest ${where} is not JSON: ${(e as Error).message}`);
  }
  if (!validators.manifest(data)) {
    const first = validators.manifest.errors?.[0];
    const why = first ? `${first.instancePath || '/'} ${first.message}` : 'it does not match the manifest schema';
    throw new LinkToolsError('LT_BAD_MANIFEST', `The manifest ${where} is not valid: ${why}.`, undefined, { errors: validators.manifest.errors ?? [] });
  }
  return data as Manifest;
}

function loadManifest(argv: EnsureArgs, io: CommandIO, file: string | null): Manifest {
  if (file === null) return parseManifest(io.readStdin('LT_BAD_MANIFEST', 'manifest'), 'on stdin');
  return parseManifest(io.readInputFile(file, 'LT_BAD_MANIFEST', 'manifest'), file);
}

export async function run(argv: EnsureArgs, { platform, io }: CommandContext): Promise<void> {
  if (argv.stdin === (argv.manifest !== undefined)) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', 'ensure takes a manifest file, or --stdin with the manifest on stdin (not both).');
  }
  if (argv.stdin && !argv.base) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'A manifest read from stdin needs --base DIR for its relative paths.');
  if (!argv.stdin && argv.base) throw new LinkToolsError('LT_INVALID_ARGUMENT', '--base goes with --stdin.');
  const file = argv.stdin ? null : absolutePath(platform, argv.manifest!);
  const manifest = loadManifest(argv, io, file);
  const dir = file === null ? absolutePath(platform, argv.base!) : platform.defaultBackend.path.dirname(file);
  const { plan, errors } = planEnsure(platform, manifest, dir);
  for (const e of errors) io.error(e);
  if (argv.check) {
    for (const c of plan) emitChange(io, c);
    if (errors.length > 0 || plan.some((c) => c.operation !== 'none')) io.raise(1);
    return;
  }
  runPlan(platform, plan, argv, io, [dir]);
}
