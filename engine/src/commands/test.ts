/** `linktools test <path...>`: exit 0 when every path is a link that resolves, 1 otherwise. */
import type { Argv } from 'yargs';
import { testLink } from '../core/test.js';
import { ntfsDriveOption, pathRequests, requestOptions, type CommandContext, type CommonArgs, type RequestArgs, type RequestShape } from './common.js';

interface TestArgs extends RequestArgs {
  paths: string[];
}

export const command = 'test [paths..]';
export const describe = 'Test that each path is a link whose target resolves (exit 1 when one does not).';

export function builder(y: Argv<CommonArgs>): Argv<TestArgs> {
  return ntfsDriveOption(requestOptions(y)).positional('paths', {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'Paths to test (or --stdin)',
  }) as unknown as Argv<TestArgs>;
}

const SHAPE: RequestShape = { fields: { path: 'string' }, required: ['path'], pathField: 'path' };

export async function run(argv: TestArgs, { platform, io }: CommandContext): Promise<void> {
  await io.serve(pathRequests('test', argv.stdin, argv.paths), SHAPE, (req) => {
    const rec = testLink(platform, req.path as string);
    if (!rec.ok) io.raise(1);
    return rec;
  });
}
