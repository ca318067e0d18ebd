/**
 * What every command gets: its parsed options, the platform (built once by the CLI) and a small io
 * interface. Commands never import cli/: the CLI implements CommandIO (NDJSON or readable lines,
 * stdout/stderr, exit codes, files) and a test or another front end (the module's serve mode) can
 * implement it too.
 */
import type { Argv } from 'yargs';
import { LinkToolsError } from '../errors.js';
import type { RequestId } from '../core/records.js';
import type { Platform } from '../platform/types.js';

/** Options every command takes (the per-command ones are declared by each command's builder). */
export interface CommonArgs {
  /** Errors as JSON records even on a terminal. */
  json?: boolean;
}

/** Options of the commands that serve requests (create, info, test, remove, apply). */
export interface RequestArgs extends CommonArgs {
  stdin: boolean;
  errorsInline: boolean;
}

/** 0 success; 1 the answer is "no"; 2 bad input; 3 an operation failed. */
export type ExitCode = 0 | 1 | 2 | 3;

/** One request: from the command line, or one NDJSON line with --stdin (`id` is echoed as `requestId`). */
export type Req = Record<string, unknown> & { id?: RequestId };

/** The fields a command's requests may carry (besides `id`), and which of them are required. */
export interface RequestShape {
  /** Field name -> JSON type of its value (`string` | `boolean`). */
  fields: Record<string, 'string' | 'boolean'>;
  required: readonly string[];
  /** The field that names the request's path (reported as the error record's `path`). */
  pathField: string;
  /**
   * A whole-record check instead of the per-field one (requests that are records, like `apply`'s
   * change records): throws LT_BAD_REQUEST. `fields` is then not used.
   */
  validate?(req: Req, where: string): void;
}

export interface ErrorContext {
  requestId?: RequestId;
  /** The user's path this error is about (wins over a path the engine used internally). */
  path?: string;
  /** The error ends the whole run (bad options), not one item. */
  fatal?: boolean;
  /** Does this error raise the exit code (default true)? A scan entry that vanished does not. */
  affectsExit?: boolean;
}

export interface CommandIO {
  /** Write one result record (validated against its schema). */
  record(rec: { recordType: string }): void;
  /** Report one failure as an error record; raises the exit code to the code's class. */
  error(err: unknown, ctx?: ErrorContext): void;
  /** One JSON value as a line on stdout, not a record (the schemas themselves). */
  json(value: unknown): void;
  /** A progress record (stderr). */
  progress(rec: { recordType: 'progress' }): void;
  /** Raise the exit code (never lower it). */
  raise(code: ExitCode): void;
  /** Write a whole file atomically; returns its absolute path; throws a LinkToolsError. */
  writeFile(file: string, text: string): string;
  /**
   * Read a small input file (configuration, baseline). Refuses what is not a regular file and files
   * over the size limit with `code`, so a FIFO or /dev/zero never hangs the engine.
   */
  readInputFile(file: string, code: InputFileCode, what: string): string;
  /** All of stdin as text (a manifest given with --stdin), under the same size limit. */
  readStdin(code: InputFileCode, what: string): string;
  /**
   * Open a file for appending whole lines, each written with one write() and fsynced before the call
   * returns (the change journal). Never follows a link; creates the file 0600; refuses what is not a
   * regular file. `existing` is its content when it already held something (read under the limit).
   */
  openAppendFile(file: string, code: InputFileCode, what: string): AppendFile;
  /**
   * Serve requests: those from the command line, or (with --stdin) one per NDJSON line. Each request
   * is checked against `shape` before `answer` runs, and gets exactly one answer: the record `answer`
   * returns (with `requestId`), or one error record.
   */
  serve(fromArgs: Req[], shape: RequestShape, answer: (req: Req) => { recordType: string }): Promise<void>;
}

/** Input files are refused (not a regular file, too large, unreadable) with one of these codes. */
export type InputFileCode = 'LT_BAD_CONFIG' | 'LT_BAD_BASELINE' | 'LT_BAD_MANIFEST' | 'LT_BAD_JOURNAL';

export interface AppendFile {
  /** The absolute path. */
  readonly path: string;
  /** What the file held when it was opened ('' when new or empty). */
  readonly existing: string;
  appendLine(line: string): void;
  close(): void;
}

export interface CommandContext {
  platform: Platform;
  io: CommandIO;
}

/** A command module: yargs description plus a run function. */
export interface CommandDef {
  command: string;
  describe: string;
  /** `args` is the whole command line (some options are required only without --stdin). */
  builder(y: Argv<CommonArgs>, args: readonly string[]): Argv<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  run(argv: any, ctx: CommandContext): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The options of the commands that take requests: --stdin and --errors-inline. */
export function requestOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('stdin', { type: 'boolean', default: false, describe: 'Read NDJSON requests from stdin, one answer line each (one engine for a whole pipeline)' })
    .option('errors-inline', { type: 'boolean', default: false, describe: 'Error records on stdout, in order with the results' }) as Argv<T>;
}

/** --errors-inline alone (scan, audit). */
export function errorsInlineOption<T>(y: Argv<T>): Argv<T> {
  return y.option('errors-inline', { type: 'boolean', default: false, describe: 'Error records on stdout, in order with the results' }) as Argv<T>;
}

/** --ntfs-drive, for the commands that touch paths. */
export function ntfsDriveOption<T>(y: Argv<T>): Argv<T> {
  return y.option('ntfs-drive', {
    type: 'string',
    describe: 'Drive letter of ntfs-3g mounts: D:, or D:=/mnt/d;E:=/mnt/e (default $LINKTOOLS_NTFS_DRIVE, else C:; see docs/ntfs.md)',
  }) as Argv<T>;
}

/**
 * A whole-number option in [min, max]; LT_INVALID_ARGUMENT otherwise (yargs turns `abc` into NaN and
 * accepts -5 and 1e12 as numbers).
 */
export function intOption(name: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const got = typeof value === 'number' && Number.isNaN(value) ? 'something that is not a number' : `'${String(value)}'`;
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `--${name} must be a whole number from ${min} to ${max}, not ${got}.`);
  }
  return value;
}

/**
 * The requests of a command that takes paths: the positionals, or none when they come from --stdin.
 * Both at once, or neither, is bad input (an empty list is not "all good").
 */
export function pathRequests(cmd: string, stdin: boolean, paths: readonly string[] | undefined): Req[] {
  const list = paths ?? [];
  if (stdin && list.length > 0) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `${cmd} --stdin reads its paths from stdin: give no path arguments beside it.`);
  }
  if (!stdin && list.length === 0) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `${cmd} needs at least one path: linktools ${cmd} <path...> (or --stdin).`);
  }
  return list.map((path) => ({ path }));
}
