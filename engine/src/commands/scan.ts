/**
 * `linktools scan <root...>`: one linkInfo record per link under the roots, then one scanSummary.
 * Links are never followed nor entered. Hard-link records come after the walk (groups complete).
 * Exit: 0 done (entries that could not be read are error records on stderr, counted in the
 * summary's `unreadable`, and do not change the exit code); 2 bad options; 3 a root could not be read.
 */
import type { Argv } from 'yargs';
import { runScan } from '../core/scan/scan.js';
import { LinkToolsError } from '../errors.js';
import { errorsInlineOption, intOption, ntfsDriveOption, type CommandContext, type CommonArgs } from './common.js';

export interface ScanArgs extends CommonArgs {
  roots: string[];
  maxDepth?: number;
  include: string[];
  exclude: string[];
  oneFileSystem: boolean;
  kind: string[];
  progress: boolean;
  progressInterval: number;
  errorsInline: boolean;
}

export const command = 'scan <roots..>';
export const describe = 'Find every link under the roots (symlinks, junctions, reparse points, hard links) without following any.';

/** Scan options shared with `audit`. */
export function scanOptions<T>(y: Argv<T>): Argv<T> {
  return ntfsDriveOption(errorsInlineOption(y))
    .option('max-depth', { type: 'number', describe: 'Descend at most N levels below each root (0 = the root only)' })
    .option('include', { type: 'string', array: true, default: [] as string[], describe: 'Report only links whose path relative to the root matches this glob (*, **, ?, [...])' })
    .option('exclude', { type: 'string', array: true, default: [] as string[], describe: 'Skip entries (and prune folders) matching this glob; a glob without / matches names at any depth' })
    .option('one-file-system', { type: 'boolean', default: false, describe: 'Do not descend into folders on another device than their root' })
    .option('kind', { type: 'string', array: true, default: [] as string[], describe: 'Report only these kinds: symlink, junction, hardlink, mountPoint, appExecLink, lxSymlink, reparsePoint' })
    .option('progress', { type: 'boolean', default: false, describe: 'Write progress records to stderr' })
    .option('progress-interval', { type: 'number', default: 500, describe: 'Milliseconds between progress records' }) as Argv<T>;
}

/** The walk options of scan and audit, checked: no empty root, whole numbers in range. */
export function walkArgs(argv: ScanArgs): { roots: string[]; maxDepth: number | undefined; progressIntervalMs: number } {
  const roots = argv.roots ?? [];
  if (roots.length === 0) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'Name at least one folder.');
  for (const r of roots) {
    // An empty root would resolve to the working directory: refused like `info ''`.
    if (typeof r !== 'string' || r.length === 0) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'The path is empty.', '');
  }
  return {
    roots,
    maxDepth: intOption('max-depth', argv.maxDepth, 0, 1_000_000),
    progressIntervalMs: intOption('progress-interval', argv.progressInterval, 0, 86_400_000)!,
  };
}

export function builder(y: Argv<CommonArgs>): Argv<ScanArgs> {
  return scanOptions(y.positional('roots', { type: 'string', array: true, describe: 'Folders to scan' })) as unknown as Argv<ScanArgs>;
}

export async function run(argv: ScanArgs, { platform, io }: CommandContext): Promise<void> {
  const walk = walkArgs(argv);
  runScan(
    platform,
    {
      roots: walk.roots,
      maxDepth: walk.maxDepth,
      include: argv.include,
      exclude: argv.exclude,
      oneFileSystem: argv.oneFileSystem,
      kinds: argv.kind,
      progressIntervalMs: walk.progressIntervalMs,
    },
    {
      record: (r) => io.record(r),
      // An entry that vanished mid-scan is reported, not a failed scan: only a root keeps its exit code.
      error: (err, fatal) => io.error(err, { affectsExit: fatal }),
      progress: argv.progress ? (p) => io.progress(p) : undefined,
    },
  );
}
