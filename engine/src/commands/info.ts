/** `linktools info <path...>`: one LinkInfo record per path. */
import type { Argv } from 'yargs';
import os from 'node:os';
import { inspect, type InspectOptions } from '../core/info.js';
import { DEFAULT_POLICY, parsePolicy } from '../core/remote.js';
import { withRequestId } from '../core/records.js';
import { getPlatform } from '../platform/index.js';
import { forEachRequest, field } from '../cli/requests.js';
import { LinkToolsError } from '../errors.js';
import type { Output } from '../cli/output.js';
import type { CommonArgs } from './common.js';

export interface InfoArgs extends CommonArgs {
  paths: string[];
  maxHops: number;
  remoteClient?: string;
  symlinkEvaluation?: string[];
  server?: string;
  share?: string;
}

export const command = 'info [paths..]';
export const describe = 'Describe each path: link kind, stored and resolved target, chain, identity.';

export function builder(y: Argv<CommonArgs>): Argv<InfoArgs> {
  return y
    .positional('paths', { type: 'string', array: true, describe: 'Paths to describe', default: [] as string[] })
    .option('max-hops', { type: 'number', default: 40, describe: 'Hops to follow before calling it a loop' })
    .option('remote-client', { type: 'string', describe: 'Predict how each link resolves for this machine opening it over SMB (adds `remote`)' })
    .option('symlink-evaluation', { type: 'string', array: true, describe: "The client's SymlinkEvaluation policy: L2L:1,L2R:1,R2L:0,R2R:0 pairs or enabled class names (default L2L,L2R)" })
    .option('server', { type: 'string', describe: 'Name of the machine that holds the links (default: this host)' })
    .option('share', { type: 'string', describe: 'Share the client uses, NAME=PATH (e.g. Data=D:\\Data); default the drive admin share' }) as unknown as Argv<InfoArgs>;
}

export async function run(argv: InfoArgs, out: Output): Promise<void> {
  const platform = getPlatform();
  const opts: InspectOptions = { maxHops: argv.maxHops };
  if (argv.remoteClient !== undefined || argv.symlinkEvaluation !== undefined) {
    if (!argv.remoteClient) throw new LinkToolsError('LT_INVALID_ARGUMENT', '--symlink-evaluation needs --remote-client NAME.');
    const policy = argv.symlinkEvaluation ? parsePolicy(argv.symlinkEvaluation.join(',')) : { ...DEFAULT_POLICY };
    let share: { name: string; path: string } | undefined;
    if (argv.share) {
      const m = /^([^=]+)=(.+)$/.exec(argv.share);
      if (!m) throw new LinkToolsError('LT_INVALID_ARGUMENT', `--share must be NAME=PATH, not '${argv.share}'.`);
      share = { name: m[1], path: m[2] };
    }
    opts.remote = { server: argv.server ?? os.hostname(), ctx: { mode: 'remote', client: argv.remoteClient, policy, share } };
  }
  await forEachRequest(argv.stdin, argv.paths.map((path) => ({ path })), out, (req, id) => {
    out.record(withRequestId(inspect(platform, field(req, 'path'), opts), id));
  });
}
