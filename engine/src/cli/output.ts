/**
 * The only code that writes to stdout/stderr: NDJSON records on stdout, error and progress records
 * on stderr (or errors inline on stdout with --errors-inline, so a caller keeps them in order).
 * Every record is validated against its schema before it is written (LINKTOOLS_VALIDATE=0 skips).
 */
import type { ValidateFunction } from 'ajv';
import * as validators from '../contract/validators.js';
import { errorRecord, type RequestId } from '../core/records.js';
import { ERROR_CODES, LinkToolsError } from '../errors.js';

const byType = validators as unknown as Record<string, ValidateFunction>;

export type ExitCode = 0 | 1 | 2 | 3;

export class Output {
  exitCode: ExitCode = 0;
  private chunk = '';
  private readonly validate = process.env.LINKTOOLS_VALIDATE !== '0';

  constructor(private readonly errorsInline = false) {}

  /** Raise the exit code (never lower it): 1 = "no", 2 = bad input, 3 = operation failed. */
  raise(code: ExitCode): void {
    if (code > this.exitCode) this.exitCode = code;
  }

  private check(rec: { recordType: string }): boolean {
    if (!this.validate) return true;
    const v = byType[rec.recordType];
    if (v && v(rec)) return true;
    const msg = v ? JSON.stringify(v.errors) : `no schema for record type ${rec.recordType}`;
    this.writeErr(errorRecord(new LinkToolsError('LT_INTERNAL', `engine produced a record that breaks its contract: ${msg}`)));
    this.raise(3);
    return false;
  }

  record(rec: { recordType: string }): void {
    if (!this.check(rec)) return;
    this.chunk += JSON.stringify(rec) + '\n';
    if (this.chunk.length > 65536) this.flush();
  }

  error(err: unknown, requestId?: RequestId, path?: string, fatal = false): void {
    const rec = errorRecord(err, requestId, path);
    if (fatal) rec.fatal = true;
    this.raise(ERROR_CODES[rec.code as keyof typeof ERROR_CODES]?.exit ?? 3);
    if (!this.check(rec)) return;
    if (this.errorsInline) this.record(rec);
    else this.writeErr(rec);
  }

  progress(rec: { recordType: 'progress' }): void {
    if (this.check(rec)) this.writeErr(rec);
  }

  private writeErr(rec: object): void {
    this.flush();
    process.stderr.write(JSON.stringify(rec) + '\n');
  }

  flush(): void {
    if (this.chunk) {
      process.stdout.write(this.chunk);
      this.chunk = '';
    }
  }
}
