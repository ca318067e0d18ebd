/** `linktools remove <path...>`: remove links only; never a target, never a plain file or folder. */
import type { Argv } from 'yargs';
import { removeLink } from '../core/remove.js';
import { ntfsDriveOption, pathRequests, requestOptions, type CommandContext, type CommonArgs, type RequestArgs, type RequestShape } from './common.js';

interface RemoveArgs extends RequestArgs {
  paths: string[];
}

export const command = 'remove [paths..]';
export const describe = 'Remove each link itself (the target is never touched); plain entries are refused.';

export function builder(y: Argv<CommonArgs>): Argv<RemoveArgs> {
  return ntfsDriveOption(requestOptions(y)).positional('paths', {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'Links to remove (or --stdin)',
  }) as unknown as Argv<RemoveArgs>;
}

const SHAPE: RequestShape = { fields: { path: 'string' }, required: ['path'], pathField: 'path' };

export async function run(argv: RemoveArgs, { platform, io }: CommandContext): Promise<void> {
  await io.serve(pathRequests('remove', argv.stdin, argv.paths), SHAPE, (req) => removeLink(platform, req.path as string));
}
