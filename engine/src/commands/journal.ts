/**
 * The change journal (--journal FILE): NDJSON, one journalHeader line per run, then one line per
 * applied change. Each line is written with a single write() on a file opened for appending (never
 * through a link: O_NOFOLLOW) and fsynced before the next change is made, so after a crash the
 * journal holds every change that took effect, and at most its last line is incomplete.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Change, JournalHeader } from '../contract/types.js';
import * as validators from '../contract/validators.js';
import { LinkToolsError } from '../errors.js';
import { SCHEMA_VERSION } from '../version.js';

const MAX_JOURNAL_BYTES = 256 * 1024 * 1024;
const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

export class JournalWriter {
  private fd: number | null = null;
  constructor(
    private readonly file: string,
    private readonly roots: string[],
  ) {}

  private open(): number {
    if (this.fd !== null) return this.fd;
    let fd: number;
    try {
      fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | NOFOLLOW, 0o600);
    } catch (e) {
      throw new LinkToolsError('LT_IO', `The journal ${this.file} cannot be opened for appending: ${(e as Error).message}`, this.file);
    }
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      fs.closeSync(fd);
      throw new LinkToolsError('LT_BAD_JOURNAL', `The journal ${this.file} is not a regular file.`, this.file);
    }
    if (st.size > 0) readJournal(this.file); // appending to something that is not a journal is refused
    this.fd = fd;
    const header: JournalHeader = {
      recordType: 'journalHeader',
      schemaVersion: SCHEMA_VERSION,
      tool: 'linktools',
      host: os.hostname(),
      roots: this.roots,
      createdAt: new Date().toISOString(),
    };
    this.line(header);
    return fd;
  }

  /** Checks up front that the journal can be written (before any change is made). */
  prepare(): void {
    this.open();
  }

  private line(rec: object): void {
    const fd = this.fd!;
    fs.writeSync(fd, JSON.stringify(rec) + '\n');
    fs.fsyncSync(fd);
  }

  append(c: Change): void {
    this.open();
    this.line(c);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

export interface Journal {
  headers: JournalHeader[];
  changes: Change[];
  /** The last line had no newline (a run stopped while writing it): it is ignored. */
  tornTail: boolean;
}

/** Reads and validates a whole journal. Throws LT_BAD_JOURNAL for anything that is not one. */
export function readJournal(file: string): Journal {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch (e) {
    throw new LinkToolsError('LT_NOT_FOUND', `The journal ${file} does not exist.`, file);
  }
  if (!st.isFile()) throw new LinkToolsError('LT_BAD_JOURNAL', `The journal ${file} is not a regular file.`, file);
  if (st.size > MAX_JOURNAL_BYTES) throw new LinkToolsError('LT_BAD_JOURNAL', `The journal ${file} is larger than ${MAX_JOURNAL_BYTES} bytes.`, file);
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const tornTail = lines[lines.length - 1] !== '';
  if (tornTail) lines.pop();
  else lines.pop();
  const headers: JournalHeader[] = [];
  const changes: Change[] = [];
  lines.forEach((line, i) => {
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      throw new LinkToolsError('LT_BAD_JOURNAL', `Line ${i + 1} of the journal is not JSON.`, file);
    }
    const r = rec as { recordType?: unknown };
    if (i === 0 && r.recordType !== 'journalHeader') throw new LinkToolsError('LT_BAD_JOURNAL', `${file} is not a LinkTools journal (no journalHeader first line).`, file);
    if (r.recordType === 'journalHeader' && validators.journalHeader(rec)) headers.push(rec as JournalHeader);
    else if (r.recordType === 'change' && validators.change(rec)) {
      const c = rec as Change;
      if (!c.applied || c.error !== null) throw new LinkToolsError('LT_BAD_JOURNAL', `Line ${i + 1} of the journal is a change that was not applied.`, file);
      changes.push(c);
    } else throw new LinkToolsError('LT_BAD_JOURNAL', `Line ${i + 1} of the journal is not a valid journal record.`, file);
  });
  return { headers, changes, tornTail };
}
