/** `linktools info <path...>`: one LinkInfo record per path. */
import type { Argv } from 'yargs';
import os from 'node:os';
import { inspect, type InspectOptions } from '../core/info.js';
import { DEFAULT_POLICY, parsePolicy } from '../core/remote/index.js';
import { LinkToolsError } from '../errors.js';
import { intOption, ntfsDriveOption, pathRequests, requestOptions, type CommandContext, type CommonArgs, type RequestArgs, type RequestShape } from './common.js';

interface InfoArgs extends RequestArgs {
  paths: string[];
  maxHops: number;
  remoteClient?: string;
  symlinkEvaluation?: string | string[];
  server?: string;
  share?: string;
}

export const command = 'info [paths..]';
export const describe = 'Describe each path: link kind, stored and resolved target, chain, identity.';

/** Beyond any real system's limit (Linux 40, Windows 63) yet small enough to stay an answer. */
const MAX_HOPS_LIMIT = 4096;

export function builder(y: Argv<CommonArgs>): Argv<InfoArgs> {
  return ntfsDriveOption(requestOptions(y))
    .positional('paths', { type: 'string', array: true, describe: 'Paths to describe (or --stdin)', default: [] as string[] })
    .option('max-hops', { type: 'number', default: 40, describe: `Hops to follow before calling it a loop (1-${MAX_HOPS_LIMIT})` })
    .option('remote-client', { type: 'string', describe: 'Predict how each link resolves for this machine opening it over SMB (adds `remote`)' })
    .option('symlink-evaluation', {
      type: 'string',
      // Not `array: true`: a greedy list would swallow the paths that follow (`--symlink-evaluation R2L:1 C:\link`).
      // Repeat the option, or give one comma-separated value, for several classes.
      describe: "The client's SymlinkEvaluation policy: L2L:1,L2R:1,R2L:0,R2R:0 pairs or enabled class names (default L2L,L2R); repeatable",
    })
    .option('server', { type: 'string', describe: 'Name of the machine that holds the links (default: this host)' })
    .option('share', { type: 'string', describe: 'Share the client uses, NAME=PATH (e.g. Data=D:\\Data); default the drive admin share' }) as unknown as Argv<InfoArgs>;
}

const SHAPE: RequestShape = { fields: { path: 'string' }, required: ['path'], pathField: 'path' };

export async function run(argv: InfoArgs, { platform, io }: CommandContext): Promise<void> {
  const opts: InspectOptions = { maxHops: intOption('max-hops', argv.maxHops, 1, MAX_HOPS_LIMIT) };
  if (argv.remoteClient !== undefined || argv.symlinkEvaluation !== undefined) {
    if (!argv.remoteClient) throw new LinkToolsError('LT_INVALID_ARGUMENT', '--symlink-evaluation needs --remote-client NAME.');
    const policy = argv.symlinkEvaluation ? parsePolicy([argv.symlinkEvaluation].flat().join(',')) : { ...DEFAULT_POLICY };
    let share: { name: string; path: string } | undefined;
    if (argv.share) {
      const m = /^([^=]+)=(.+)$/.exec(argv.share);
      if (!m) throw new LinkToolsError('LT_INVALID_ARGUMENT', `--share must be NAME=PATH, not '${argv.share}'.`);
      share = { name: m[1], path: m[2] };
    }
    opts.remote = { server: argv.server ?? os.hostname(), ctx: { mode: 'remote', client: argv.remoteClient, policy, share } };
  } else if (argv.server !== undefined || argv.share !== undefined) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `--${argv.server !== undefined ? 'server' : 'share'} describes a remote view: it needs --remote-client NAME.`);
  }
  await io.serve(pathRequests('info', argv.stdin, argv.paths), SHAPE, (req) => inspect(platform, req.path as string, opts));
}
