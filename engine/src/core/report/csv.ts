/**
 * The csv report: one row per finding (RFC 4180: CRLF line ends, fields quoted when needed),
 * starting with a UTF-8 byte-order mark when asked (the default for a .csv file: Excel on Windows
 * reads a file without it in the ANSI code page and garbles non-ASCII paths; `--csv-no-bom` omits it).
 * Cells that a spreadsheet would run as a formula (= + - @ and tab/CR first) get a leading ' so a
 * hostile file name cannot inject one.
 */
import type { ReportData } from './model.js';
import { sortedFindings } from './model.js';

export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The BOM goes into files named *.csv unless switched off. */
export function csvBomFor(outFile: string | null | undefined, noBom = false): boolean {
  return !noBom && typeof outFile === 'string' && /\.csv$/i.test(outFile);
}

export function renderCsv(d: ReportData, opts: { bom?: boolean } = {}): string {
  const rows = [['severity', 'rule', 'path', 'message', 'target', 'details']];
  for (const f of sortedFindings(d.findings)) {
    const t = (f.details as Record<string, unknown>).target;
    const target = typeof t === 'string' ? t : '';
    rows.push([f.severity, f.rule, f.path, f.message, target, JSON.stringify(f.details)]);
  }
  return (opts.bom ? '\uFEFF' : '') + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
