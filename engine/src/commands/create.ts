/** `linktools create --kind symlink|junction|hardlink [--target-type file|dir] [--force] <link> <target>` */
import type { Argv } from 'yargs';
import { createLink, CREATE_KINDS, type CreateKind } from '../core/create.js';
import { LinkToolsError } from '../errors.js';
import { ntfsDriveOption, requestOptions, type CommandContext, type CommonArgs, type Req, type RequestArgs, type RequestShape } from './common.js';

interface CreateArgs extends RequestArgs {
  link?: string;
  target?: string;
  kind?: string;
  targetType?: string;
  force: boolean;
}

export const command = 'create [link] [target]';
export const describe = 'Create a symbolic link, junction or hard link at <link> pointing to <target>.';

export function builder(y: Argv<CommonArgs>, args: readonly string[]): Argv<CreateArgs> {
  // --kind is required on the command line; with --stdin each request may carry its own kind.
  const stdin = args.includes('--stdin');
  return ntfsDriveOption(requestOptions(y))
    .positional('link', { type: 'string', describe: 'Path of the new link' })
    .positional('target', { type: 'string', describe: 'What it points to (kept as given for symlinks)' })
    .option('kind', {
      type: 'string',
      choices: CREATE_KINDS as unknown as string[],
      demandOption: !stdin,
      describe: stdin ? 'Link kind of requests that name none' : 'Link kind',
    })
    .option('target-type', { type: 'string', choices: ['file', 'dir', 'directory'], describe: 'File or directory symlink; required when the target does not exist' })
    .option('force', { type: 'boolean', default: false, describe: 'Replace an existing link (never a real file or directory)' }) as unknown as Argv<CreateArgs>;
}

const SHAPE: RequestShape = {
  fields: { link: 'string', target: 'string', kind: 'string', targetType: 'string', force: 'boolean' },
  required: ['link', 'target'],
  pathField: 'link',
};

function normType(t: unknown): 'file' | 'directory' | undefined {
  if (t === undefined || t === null) return undefined;
  if (t === 'file') return 'file';
  if (t === 'dir' || t === 'directory') return 'directory';
  throw new LinkToolsError('LT_INVALID_ARGUMENT', `Unknown target type '${String(t)}': use file or dir.`);
}

export async function run(argv: CreateArgs, { platform, io }: CommandContext): Promise<void> {
  let fromArgs: Req[] = [];
  if (argv.stdin) {
    if (argv.link !== undefined || argv.target !== undefined) {
      throw new LinkToolsError('LT_INVALID_ARGUMENT', 'create --stdin reads link and target from stdin: give no path arguments beside it.');
    }
  } else {
    if (!argv.link || argv.target === undefined || !argv.kind) {
      throw new LinkToolsError('LT_INVALID_ARGUMENT', 'create needs --kind, a link path and a target: linktools create --kind symlink <link> <target>');
    }
    fromArgs = [{ link: argv.link, target: argv.target }];
  }
  const defaultType = normType(argv.targetType);
  await io.serve(fromArgs, SHAPE, (req) => {
    const kind = (req.kind ?? argv.kind) as CreateKind | undefined;
    if (!kind) throw new LinkToolsError('LT_BAD_REQUEST', "The request has no 'kind' and no --kind was given.");
    return createLink(platform, {
      link: req.link as string,
      target: req.target as string,
      kind,
      targetType: req.targetType !== undefined ? normType(req.targetType) : defaultType,
      force: typeof req.force === 'boolean' ? req.force : argv.force,
    });
  });
}
