/** `linktools test <path...>`: exit 0 when every path is a link that resolves, 1 otherwise. */
import type { Argv } from 'yargs';
import { testLink } from '../core/test.js';
import { withRequestId } from '../core/records.js';
import { getPlatform } from '../platform/index.js';
import { forEachRequest, field } from '../cli/requests.js';
import type { Output } from '../cli/output.js';
import type { CommonArgs } from './common.js';

export interface TestArgs extends CommonArgs {
  paths: string[];
}

export const command = 'test [paths..]';
export const describe = 'Test that each path is a link whose target resolves (exit 1 when one does not).';

export function builder(y: Argv<CommonArgs>): Argv<TestArgs> {
  return y.positional('paths', { type: 'string', array: true, default: [] as string[], describe: 'Paths to test' }) as unknown as Argv<TestArgs>;
}

export async function run(argv: TestArgs, out: Output): Promise<void> {
  const platform = getPlatform();
  await forEachRequest(argv.stdin, argv.paths.map((path) => ({ path })), out, (req, id) => {
    const rec = testLink(platform, field(req, 'path'));
    if (!rec.ok) out.raise(1);
    out.record(withRequestId(rec, id));
  });
}
