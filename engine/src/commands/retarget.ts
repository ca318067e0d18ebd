/**
 * `linktools retarget <paths..> (--to NEW | --replace OLD=NEW... | --relative | --absolute | --tidy)`:
 * change where links point, keeping each link's kind and file/dir type. For --relative, --absolute and
 * --tidy the new target must reach the same object as the old one (checked before acting).
 */
import type { Argv } from 'yargs';
import { planRetarget, type RetargetMode } from '../core/maintenance/plan.js';
import { parsePrefixRule } from '../core/maintenance/targets.js';
import { absolutePath } from '../core/info.js';
import { LinkToolsError } from '../errors.js';
import type { CommandContext, CommonArgs } from './common.js';
import { maintenanceOptions, runPlan, type MaintenanceArgs } from './maintenance.js';

interface RetargetArgs extends MaintenanceArgs {
  paths: string[];
  to?: string;
  replace: string[];
  relative: boolean;
  absolute: boolean;
  tidy: boolean;
  boundary?: string;
  recurse: boolean;
}

export const command = 'retarget <paths..>';
export const describe = 'Change where links point (one mode: --to, --replace, --relative, --absolute or --tidy), keeping kind and type.';

export function builder(y: Argv<CommonArgs>): Argv<RetargetArgs> {
  return maintenanceOptions(
    y
      .positional('paths', { type: 'string', array: true, describe: 'Links, or folders with --recurse' })
      .option('to', { type: 'string', describe: 'New target for one link' })
      .option('replace', { type: 'string', array: true, default: [] as string[], describe: 'OLD=NEW: rebase targets that start with OLD (whole components; repeatable)' })
      .option('relative', { type: 'boolean', default: false, describe: 'Make absolute symlink targets relative when they lie under --boundary' })
      .option('absolute', { type: 'boolean', default: false, describe: 'Make relative symlink targets absolute' })
      .option('tidy', { type: 'boolean', default: false, describe: 'Remove ./, //, and needless .. hops from targets' })
      .option('boundary', { type: 'string', describe: "With --relative: only targets under this folder (default: the folder given, or the link's folder)" })
      .option('recurse', { type: 'boolean', default: false, describe: 'Retarget every symlink and junction under each folder given' }),
  ) as unknown as Argv<RetargetArgs>;
}

function mode(argv: RetargetArgs): RetargetMode {
  const chosen = [argv.to !== undefined, argv.replace.length > 0, argv.relative, argv.absolute, argv.tidy].filter(Boolean).length;
  if (chosen !== 1) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `retarget needs exactly one of --to, --replace, --relative, --absolute, --tidy (${chosen} given).`);
  }
  if (argv.boundary !== undefined && !argv.relative) throw new LinkToolsError('LT_INVALID_ARGUMENT', '--boundary goes with --relative.');
  if (argv.to !== undefined) {
    if (argv.to === '') throw new LinkToolsError('LT_INVALID_ARGUMENT', 'The --to target is empty.');
    if (argv.paths.length !== 1 || argv.recurse) throw new LinkToolsError('LT_INVALID_ARGUMENT', '--to retargets exactly one link (no --recurse).');
    return { mode: 'to', target: argv.to };
  }
  if (argv.replace.length > 0) {
    const rules = argv.replace.map((r) => {
      const rule = parsePrefixRule(r);
      if (!rule) throw new LinkToolsError('LT_INVALID_ARGUMENT', `--replace takes OLD=NEW with both sides non-empty, not '${r}'.`);
      return rule;
    });
    return { mode: 'replace', rules };
  }
  if (argv.relative) return { mode: 'relative', boundary: argv.boundary };
  if (argv.absolute) return { mode: 'absolute' };
  return { mode: 'tidy' };
}

export async function run(argv: RetargetArgs, { platform, io }: CommandContext): Promise<void> {
  const how = mode(argv);
  if (how.mode === 'relative' && how.boundary !== undefined) how.boundary = absolutePath(platform, how.boundary);
  const plan = planRetarget(platform, { paths: argv.paths, recurse: argv.recurse, how });
  runPlan(
    platform,
    plan,
    argv,
    io,
    argv.paths.map((p) => absolutePath(platform, p)),
  );
}
