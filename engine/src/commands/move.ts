/**
 * `linktools move <link> <dest>`: move the LINK, never its target's contents. A relative target is
 * rebased so it still reaches the same object; the old link is removed only once the new one does.
 */
import type { Argv } from 'yargs';
import { planMove } from '../core/maintenance/plan.js';
import { absolutePath } from '../core/info.js';
import type { CommandContext, CommonArgs } from './common.js';
import { maintenanceOptions, runPlan, type MaintenanceArgs } from './maintenance.js';

interface MoveArgs extends MaintenanceArgs {
  link: string;
  dest: string;
}

export const command = 'move <link> <dest>';
export const describe = 'Move a link (never its target); a relative target is rebased to still reach the same object.';

export function builder(y: Argv<CommonArgs>): Argv<MoveArgs> {
  return maintenanceOptions(
    y.positional('link', { type: 'string', describe: 'The link to move' }).positional('dest', { type: 'string', describe: 'New path, or an existing folder to move it into' }),
  ) as unknown as Argv<MoveArgs>;
}

export async function run(argv: MoveArgs, { platform, io }: CommandContext): Promise<void> {
  const c = planMove(platform, argv.link, argv.dest);
  const P = platform.defaultBackend.path;
  runPlan(platform, [c], argv, io, [P.dirname(absolutePath(platform, argv.link)), P.dirname(c.newPath ?? absolutePath(platform, argv.dest))]);
}
