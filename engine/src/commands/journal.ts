/**
 * The change journal (--journal FILE): NDJSON, one journalHeader line per run, then one line per
 * applied change. The file is opened through the io (never through a link, created 0600, each line one
 * write() and fsync before the next change is made), so after a crash the journal holds every change
 * that took effect, and at most its last line is incomplete.
 */
import os from 'node:os';
import type { Change, JournalHeader } from '../contract/types.js';
import * as validators from '../contract/validators.js';
import { LinkToolsError } from '../errors.js';
import { SCHEMA_VERSION } from '../version.js';
import type { AppendFile, CommandIO } from './common.js';

export class JournalWriter {
  private file: AppendFile | null = null;
  constructor(
    private readonly io: CommandIO,
    private readonly name: string,
    private readonly roots: string[],
  ) {}

  /** Opens the journal (refusing one that is not a journal) and writes this run's header. Before any change. */
  prepare(): void {
    if (this.file) return;
    const f = this.io.openAppendFile(this.name, 'LT_BAD_JOURNAL', 'journal');
    try {
      if (f.existing.length > 0) parseJournal(f.existing, f.path); // appending to something that is not a journal is refused
      if (f.existing.length > 0 && !f.existing.endsWith('\n')) f.appendLine(''); // close a torn last line
      const header: JournalHeader = {
        recordType: 'journalHeader',
        schemaVersion: SCHEMA_VERSION,
        tool: 'linktools',
        host: os.hostname(),
        roots: this.roots,
        createdAt: new Date().toISOString(),
      };
      f.appendLine(JSON.stringify(header));
    } catch (e) {
      f.close();
      throw e;
    }
    this.file = f;
  }

  append(c: Change): void {
    this.prepare();
    this.file!.appendLine(JSON.stringify(c));
  }

  close(): void {
    this.file?.close();
    this.file = null;
  }
}

interface Journal {
  headers: JournalHeader[];
  changes: Change[];
  /** The last line had no newline (a run stopped while writing it): it is ignored. */
  tornTail: boolean;
}

/** Validates a whole journal's text. Throws LT_BAD_JOURNAL for anything that is not one. */
export function parseJournal(text: string, file: string): Journal {
  const lines = text.split('\n');
  const tornTail = lines[lines.length - 1] !== '';
  lines.pop(); // '' after the last newline, or the torn line
  const headers: JournalHeader[] = [];
  const changes: Change[] = [];
  lines.forEach((line, i) => {
    if (line === '') return;
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
