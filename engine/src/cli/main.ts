#!/usr/bin/env node
/**
 * linktools CLI: yargs wiring and exit codes. The only place that sets the exit code, and the place
 * that builds the platform (once per run) and hands it to the command with an io (cli/output.ts).
 * Exit codes: 0 success; 1 the answer is "no"; 2 bad input; 3 an operation failed (or stdout closed).
 */
import { createRequire } from 'node:module';
import tty from 'node:tty';
import type { Argv } from 'yargs';
import type YargsFactory from 'yargs';
import { LinkToolsError } from '../errors.js';
import { ENGINE_VERSION } from '../version.js';
import { createPlatform } from '../platform/index.js';
import type { Platform } from '../platform/types.js';
import type { CommandDef, CommonArgs } from '../commands/common.js';
import { Output, StdoutClosed } from './output.js';
import { watchParent } from './parent.js';
import * as create from '../commands/create.js';
import * as info from '../commands/info.js';
import * as test from '../commands/test.js';
import * as remove from '../commands/remove.js';
import * as schema from '../commands/schema.js';
import * as doctor from '../commands/doctor.js';
import * as scan from '../commands/scan.js';
import * as audit from '../commands/audit.js';
import * as retarget from '../commands/retarget.js';
import * as move from '../commands/move.js';
import * as ensure from '../commands/ensure.js';
import * as apply from '../commands/apply.js';
import * as undo from '../commands/undo.js';
import * as serve from './serve.js';

declare const require: NodeRequire | undefined;
declare const module: NodeModule | undefined;

// yargs' CommonJS build: its ES build wraps help text with a naive splitter that breaks words
// (`$LINKTOOLS_NT` / `FS_DRIVE`); the CommonJS one wraps at word boundaries (wrap-ansi). Taken as
// 'yargs/yargs', the factory without the singleton: 'yargs' itself builds a whole parser over
// process.argv when it is loaded (a few ms of every start) that nothing here uses. Called as the
// singleton's factory calls it (no cwd, our require), so each run's parser is the same.
const yargsFactory = (typeof require === 'function' ? require('yargs/yargs') : createRequire(import.meta.url)('yargs/yargs')) as (
  args: string[],
  cwd: string | undefined,
  parentRequire: NodeRequire | undefined,
) => ReturnType<typeof YargsFactory>;
const parentRequire: NodeRequire | undefined = typeof require === 'function' ? require : undefined;
const yargs = (args: string[]): ReturnType<typeof YargsFactory> => yargsFactory(args, undefined, parentRequire);
keepSpaceBeforeTypes();

/**
 * cliui (yargs' help layout) glues the right-aligned `[string] [default: …]` column to a description
 * that ends exactly where that column begins ("…the results[boolean]"): put it on its own line
 * instead, as cliui does when the two overlap. Best effort: another cliui keeps its own layout.
 */
function keepSpaceBeforeTypes(): void {
  try {
    const cliui = (typeof require === 'function' ? require('cliui') : createRequire(import.meta.url)('cliui')) as (o: object) => object;
    const proto = Object.getPrototypeOf(cliui({})) as { renderInline?: (s: string, prev: { text: string; span?: boolean }) => string };
    const original = proto.renderInline;
    if (typeof original !== 'function') return;
    proto.renderInline = function (source, prev) {
      const lead = /^ */.exec(source)![0].length;
      if (prev.span && lead === prev.text.trimEnd().length) return source;
      return original.call(this, source, prev);
    };
  } catch {
    /* layout only */
  }
}

/**
 * Before it runs a command's handler, yargs renders that command's whole help text and keeps it
 * (~5 ms of every run), for showHelp()/getHelp() after the command or for printing it when the
 * handler fails without a fail handler of ours. This CLI calls neither and always has a fail
 * handler (it throws), so the text is never read: skip making it. Best effort, like the layout fix
 * above: another yargs without these internals makes it as before.
 */
function skipHelpCache(parser: unknown): void {
  try {
    const usage = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
    if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
  } catch {
    /* speed only */
  }
}

/** Every command, in help order. Add a command by adding its module here. */
const COMMANDS: CommandDef[] = [create, info, test, remove, schema, doctor, scan, audit, retarget, move, ensure, apply, undo, serve];

/** Commands that may run long: they watch their parent and stop when it dies. */
const LONG_RUNNING = new Set(['scan', 'audit']);

/** The platform of this run, built once: backends for this OS, ntfs-3g drive letters from --ntfs-drive. */
function buildPlatform(ntfsDrive: string | undefined): Platform {
  return createPlatform({ ntfsDrive }); // validates --ntfs-drive (see docs/ntfs.md)
}

/**
 * Help width: the terminal's (at most 120 columns, so lines stay readable), else $COLUMNS, else 100.
 * yargs' CommonJS build wraps at word boundaries at any width.
 */
function helpWidth(): number {
  if (tty.isatty(1)) return Math.max(40, Math.min(120, process.stdout.columns || 100));
  const env = Number(process.env.COLUMNS);
  return Number.isInteger(env) && env >= 40 ? env : 100;
}

export async function main(args: string[]): Promise<number> {
  const raw = { errorsInline: args.includes('--errors-inline'), json: args.includes('--json'), stdin: args.includes('--stdin') };
  let out = new Output(raw);
  let parser = yargs(args)
    .scriptName('linktools')
    .version(ENGINE_VERSION)
    .option('json', { type: 'boolean', default: false, describe: 'Errors as JSON records even on a terminal' })
    .strict()
    .demandCommand(1, 'Name a command: linktools <command> --help')
    .recommendCommands()
    .wrap(helpWidth())
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new LinkToolsError('LT_INVALID_ARGUMENT', msg);
    })
    .help();
  skipHelpCache(parser);
  for (const c of COMMANDS) {
    parser = parser.command(
      c.command,
      c.describe,
      (y) => c.builder(y as unknown as Argv<CommonArgs>, args),
      async (argv) => {
        const stdin = Boolean(argv.stdin);
        const name = String(argv._[0]);
        let watch: ReturnType<typeof watchParent> | undefined;
        if (stdin || LONG_RUNNING.has(name)) {
          // The caller died: nobody reads what follows, so stop without a word (see cli/parent.ts).
          watch = watchParent(() => process.exit(3), { deathSignal: LONG_RUNNING.has(name) });
        }
        out = new Output({ errorsInline: Boolean(argv.errorsInline), json: Boolean(argv.json), stdin, onWrite: watch?.check });
        const platform = buildPlatform(argv.ntfsDrive as string | undefined);
        try {
          await c.run(argv, { platform, io: out });
        } finally {
          watch?.stop();
        }
      },
    );
  }
  // Help and --version go through console.log: a closed pipe there ends quietly too. (Records are
  // written with fs.writeSync, see cli/output.ts.)
  if (args.some((a) => a === '--help' || a === '-h' || a === '--version')) process.stdout.on('error', () => undefined);
  try {
    await parser.parseAsync();
    out.flush();
  } catch (e) {
    if (e instanceof StdoutClosed) return 3;
    // yargs' own errors (YError) are about the command line; anything else is the engine's fault.
    const err =
      e instanceof LinkToolsError
        ? e
        : (e as Error)?.name === 'YError'
          ? new LinkToolsError('LT_INVALID_ARGUMENT', (e as Error).message)
          : new LinkToolsError('LT_INTERNAL', `internal error: ${(e as Error)?.stack ?? String(e)}`);
    try {
      out.error(err, { fatal: true });
      out.flush();
    } catch (e2) {
      if (!(e2 instanceof StdoutClosed)) throw e2;
    }
  }
  return out.exitCode;
}

const isEntry = (() => {
  try {
    return typeof require !== 'undefined' ? require.main === module : process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
  } catch {
    return true;
  }
})();

if (isEntry || process.env.LINKTOOLS_MAIN === '1') {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(JSON.stringify({ recordType: 'error', schemaVersion: '1.0', code: 'LT_INTERNAL', category: 'NotSpecified', message: String(e?.stack ?? e), path: null }) + '\n');
      process.exitCode = 3;
    },
  );
}
