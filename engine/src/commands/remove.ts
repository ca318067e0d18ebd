/** `linktools remove <path...>`: remove links only; never a target, never a plain file or folder. */
import type { Argv } from 'yargs';
import { removeLink } from '../core/remove.js';
import { withRequestId } from '../core/records.js';
import { getPlatform } from '../platform/index.js';
import { forEachRequest, field } from '../cli/requests.js';
import type { Output } from '../cli/output.js';
import type { CommonArgs } from './common.js';

export interface RemoveArgs extends CommonArgs {
  paths: string[];
}

export const command = 'remove [paths..]';
export const describe = 'Remove each link itself (the target is never touched); plain entries are refused.';

export function builder(y: Argv<CommonArgs>): Argv<RemoveArgs> {
  return y.positional('paths', { type: 'string', array: true, default: [] as string[], describe: 'Links to remove' }) as unknown as Argv<RemoveArgs>;
}

export async function run(argv: RemoveArgs, out: Output): Promise<void> {
  const platform = getPlatform();
  await forEachRequest(argv.stdin, argv.paths.map((path) => ({ path })), out, (req, id) => {
    out.record(withRequestId(removeLink(platform, field(req, 'path')), id));
  });
}
