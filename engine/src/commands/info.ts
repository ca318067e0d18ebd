/** `linktools info <path...>`: one LinkInfo record per path. */
import type { Argv } from 'yargs';
import { inspect } from '../core/info.js';
import { withRequestId } from '../core/records.js';
import { getPlatform } from '../platform/index.js';
import { forEachRequest, field } from '../cli/requests.js';
import type { Output } from '../cli/output.js';
import type { CommonArgs } from './common.js';

export interface InfoArgs extends CommonArgs {
  paths: string[];
  maxHops: number;
}

export const command = 'info [paths..]';
export const describe = 'Describe each path: link kind, stored and resolved target, chain, identity.';

export function builder(y: Argv<CommonArgs>): Argv<InfoArgs> {
  return y
    .positional('paths', { type: 'string', array: true, describe: 'Paths to describe', default: [] as string[] })
    .option('max-hops', { type: 'number', default: 40, describe: 'Hops to follow before calling it a loop' }) as unknown as Argv<InfoArgs>;
}

export async function run(argv: InfoArgs, out: Output): Promise<void> {
  const platform = getPlatform();
  await forEachRequest(argv.stdin, argv.paths.map((path) => ({ path })), out, (req, id) => {
    out.record(withRequestId(inspect(platform, field(req, 'path'), { maxHops: argv.maxHops }), id));
  });
}
