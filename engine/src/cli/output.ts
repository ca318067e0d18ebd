/**
 * The only code that writes to stdout/stderr: NDJSON records on stdout, error and progress records
 * on stderr (or errors inline on stdout with --errors-inline, so a caller keeps them in order).
 * Every record is validated against its schema before it is written (LINKTOOLS_VALIDATE=0 skips).
 *
 * For people: an error written to a terminal is one readable line (`linktools: LT_NOT_FOUND: …`)
 * unless --json is given; when the stream is a pipe or a file (the module, scripts) it stays NDJSON.
 *
 * Writes are synchronous (fs.writeSync), so a reader that went away (`linktools scan / | head -1`,
 * a killed PowerShell) is noticed at the next write, even inside a long synchronous walk: the write
 * throws StdoutClosed and the CLI ends quietly.
 */
import fs from 'node:fs';
import tty from 'node:tty';
import type { ValidateFunction } from 'ajv';
import * as validators from '../contract/validators.js';
import type { ErrorRecord } from '../contract/types.js';
import { writeFileAtomic } from './write-file.js';
import { errorRecord } from '../core/records.js';
import { ERROR_CODES, LinkToolsError } from '../errors.js';
import type { AppendFile, CommandIO, ErrorContext, ExitCode, Req, RequestShape } from '../commands/common.js';
import { serveRequests } from './requests.js';
import { openAppendFile, readInputFile, readStdinText, type InputFileCode } from './input.js';

const byType = validators as unknown as Record<string, ValidateFunction>;

/** stdout's reader is gone (EPIPE): nothing more can be said, so the run ends without a word. */
export class StdoutClosed extends Error {
  constructor() {
    super('stdout is closed');
    this.name = 'StdoutClosed';
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const CLOSED = new Set(['EPIPE', 'EOF', 'ECONNRESET', 'EBADF', 'ENOTCONN']);

/** Write all of `text` to `fd`, waiting out a non-blocking descriptor's EAGAIN. False when the reader is gone. */
function writeAll(fd: number, text: string, onWait?: () => void): boolean {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (code === 'EAGAIN') {
        // The reader is slow (or stopped): wait, and let the parent watch look meanwhile.
        onWait?.();
        Atomics.wait(sleepCell, 0, 0, 2);
        continue;
      }
      if (CLOSED.has(code)) return false;
      throw e;
    }
  }
  return true;
}

interface OutputOptions {
  /** Error records go to stdout, in order with the results. */
  errorsInline?: boolean;
  /** Error records stay JSON even on a terminal. */
  json?: boolean;
  /** Requests come from stdin (--stdin). */
  stdin?: boolean;
  /** Called at most every half second while output is written (the parent watch). */
  onWrite?: () => void;
  /** Overrides for tests: is stdout / stderr a terminal? */
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
}

/** One readable line for an error record: `linktools: LT_NOT_FOUND: /x/missing: The path does not exist.` */
function formatError(rec: ErrorRecord): string {
  const msg = rec.message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  const where = rec.path !== null && rec.path !== '' && !msg.includes(rec.path) ? `${rec.path}: ` : '';
  const req = rec.requestId !== undefined && rec.requestId !== null ? `request ${JSON.stringify(rec.requestId)}: ` : '';
  return `linktools: ${rec.code}: ${req}${where}${msg}`;
}

export class Output implements CommandIO {
  exitCode: ExitCode = 0;
  private chunk = '';
  private readonly validateOn = process.env.LINKTOOLS_VALIDATE !== '0';
  private stderrGone = false;
  private lastWatch = 0;
  private readonly errorsInline: boolean;
  private readonly humanOut: boolean;
  private readonly humanErr: boolean;

  constructor(private readonly opts: OutputOptions = {}) {
    this.errorsInline = Boolean(opts.errorsInline);
    const json = Boolean(opts.json);
    this.humanOut = !json && (opts.stdoutIsTTY ?? tty.isatty(1));
    this.humanErr = !json && (opts.stderrIsTTY ?? tty.isatty(2));
  }

  /** Raise the exit code (never lower it): 1 = "no", 2 = bad input, 3 = operation failed. */
  raise(code: ExitCode): void {
    if (code > this.exitCode) this.exitCode = code;
  }

  /** Null when the record keeps its contract, else why not. */
  contractError(rec: { recordType: string }): string | null {
    if (!this.validateOn) return null;
    const v = byType[rec.recordType];
    if (v && v(rec)) return null;
    return v ? JSON.stringify(v.errors) : `no schema for record type ${rec.recordType}`;
  }

  private check(rec: { recordType: string }): boolean {
    const why = this.contractError(rec);
    if (why === null) return true;
    this.writeErr(errorRecord(new LinkToolsError('LT_INTERNAL', `engine produced a record that breaks its contract: ${why}`)));
    this.raise(3);
    return false;
  }

  record(rec: { recordType: string }): void {
    if (!this.check(rec)) return;
    this.chunk += JSON.stringify(rec) + '\n';
    if (this.chunk.length > 65536) this.flush();
  }

  json(value: unknown): void {
    this.chunk += JSON.stringify(value) + '\n';
    if (this.chunk.length > 65536) this.flush();
  }

  /** The error record for `err`, with the user's path when the context names one. */
  errorRecordFor(err: unknown, ctx: ErrorContext = {}): ErrorRecord {
    const rec = errorRecord(err, ctx.requestId, ctx.path);
    // The record is about what the user named, never an internal (temporary) name the engine used.
    if (ctx.path !== undefined) rec.path = ctx.path;
    if (ctx.fatal) rec.fatal = true;
    return rec;
  }

  error(err: unknown, ctx: ErrorContext = {}): void {
    this.writeError(this.errorRecordFor(err, ctx), ctx.affectsExit ?? true);
  }

  /** Write an error record built by errorRecordFor. */
  writeError(rec: ErrorRecord, affectsExit = true): void {
    if (affectsExit) this.raise(ERROR_CODES[rec.code as keyof typeof ERROR_CODES]?.exit ?? 3);
    if (!this.check(rec)) return;
    if (this.errorsInline) {
      if (this.humanOut) this.chunk += formatError(rec) + '\n';
      else this.record(rec);
    } else this.writeErr(rec, this.humanErr);
  }

  progress(rec: { recordType: 'progress' }): void {
    if (this.check(rec)) this.writeErr(rec);
  }

  writeFile(file: string, text: string): string {
    return writeFileAtomic(file, text);
  }

  readInputFile(file: string, code: InputFileCode, what: string): string {
    return readInputFile(file, code, what);
  }

  readStdin(code: InputFileCode, what: string): string {
    return readStdinText(code, what);
  }

  openAppendFile(file: string, code: InputFileCode, what: string): AppendFile {
    return openAppendFile(file, code, what);
  }

  serve(fromArgs: Req[], shape: RequestShape, answer: (req: Req) => { recordType: string }): Promise<void> {
    return serveRequests(this, fromArgs, shape, answer, this.opts.stdin ? process.stdin : null);
  }

  private writeErr(rec: object, human = false): void {
    this.flush();
    if (this.stderrGone) return;
    const line = human ? formatError(rec as ErrorRecord) : JSON.stringify(rec);
    try {
      if (!writeAll(2, line + '\n')) this.stderrGone = true;
    } catch {
      this.stderrGone = true; // stderr is best effort: a closed stderr never stops the work
    }
  }

  private readonly watch = (): void => {
    if (!this.opts.onWrite) return;
    const now = Date.now();
    if (now - this.lastWatch >= 500) {
      this.lastWatch = now;
      this.opts.onWrite();
    }
  };

  flush(): void {
    this.watch();
    if (!this.chunk) return;
    const text = this.chunk;
    this.chunk = '';
    if (!writeAll(1, text, this.watch)) throw new StdoutClosed();
  }
}
