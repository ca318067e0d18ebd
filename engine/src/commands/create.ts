/** `linktools create --kind symlink|junction|hardlink [--target-type file|dir] [--force] <link> <target>` */
import type { Argv } from 'yargs';
import { createLink, CREATE_KINDS, type CreateKind } from '../core/create.js';
import { withRequestId } from '../core/records.js';
import { LinkToolsError } from '../errors.js';
import { getPlatform } from '../platform/index.js';
import { forEachRequest, field, type Req } from '../cli/requests.js';
import type { Output } from '../cli/output.js';
import type { CommonArgs } from './common.js';

export interface CreateArgs extends CommonArgs {
  link?: string;
  target?: string;
  kind?: string;
  targetType?: string;
  force: boolean;
}

export const command = 'create [link] [target]';
export const describe = 'Create a symbolic link, junction or hard link at <link> pointing to <target>.';

export function builder(y: Argv<CommonArgs>): Argv<CreateArgs> {
  return y
    .positional('link', { type: 'string', describe: 'Path of the new link' })
    .positional('target', { type: 'string', describe: 'What it points to (kept as given for symlinks)' })
    .option('kind', { type: 'string', choices: CREATE_KINDS as unknown as string[], describe: 'Link kind' })
    .option('target-type', { type: 'string', choices: ['file', 'dir', 'directory'], describe: 'File or directory symlink; required when the target does not exist' })
    .option('force', { type: 'boolean', default: false, describe: 'Replace an existing link (never a real file or directory)' }) as unknown as Argv<CreateArgs>;
}

function normType(t: unknown): 'file' | 'directory' | undefined {
  if (t === undefined || t === null) return undefined;
  if (t === 'file') return 'file';
  if (t === 'dir' || t === 'directory') return 'directory';
  throw new LinkToolsError('LT_INVALID_ARGUMENT', `Unknown target type '${String(t)}': use file or dir.`);
}

export async function run(argv: CreateArgs, out: Output): Promise<void> {
  const platform = getPlatform();
  if (!argv.stdin && (!argv.link || argv.target === undefined || !argv.kind)) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', 'create needs --kind, a link path and a target: linktools create --kind symlink <link> <target>');
  }
  const fromArgs: Req[] = argv.stdin ? [] : [{ link: argv.link, target: argv.target }];
  await forEachRequest(argv.stdin, fromArgs, out, (req, id) => {
    const kind = (req.kind ?? argv.kind) as CreateKind | undefined;
    if (!kind) throw new LinkToolsError('LT_BAD_REQUEST', "The request has no 'kind' and no --kind was given.");
    const info = createLink(platform, {
      link: field(req, 'link'),
      target: field(req, 'target'),
      kind,
      targetType: normType(req.targetType ?? argv.targetType),
      force: typeof req.force === 'boolean' ? req.force : argv.force,
    });
    out.record(withRequestId(info, id));
  });
}
