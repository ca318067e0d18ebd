/** The markdown report: summary tables, findings grouped by severity, drift, and the rules that ran. */
import type { ReportData } from './model.js';
import { sortedFindings } from './model.js';

/** Escape text for a GitHub-flavoured markdown table cell. */
export function mdCell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([*_`<>[\]])/g, '\\$1');
}

export function renderMarkdown(d: ReportData): string {
  const s = d.summary;
  const L: string[] = [];
  L.push('# LinkTools audit', '');
  L.push(`Roots: ${s.roots.map((r) => `\`${r}\``).join(', ')}  `);
  L.push(`Generated ${d.generatedAt} by LinkTools ${d.engineVersion} in ${s.durationMs} ms. Exit code **${s.exitCode}** (fail on ${s.failOn ?? 'warning'}).`, '');
  L.push('| Entries | Links | Hard-link groups | Errors | Warnings | Info | Drift |', '|---:|---:|---:|---:|---:|---:|---:|');
  L.push(`| ${s.entries} | ${s.links} | ${s.hardLinkGroups ?? 0} | ${s.bySeverity.error} | ${s.bySeverity.warning} | ${s.bySeverity.info} | ${s.drift} |`, '');
  L.push('## Links by kind', '', '| Kind | Count |', '|---|---:|');
  for (const [k, n] of Object.entries(s.byKind).sort((a, b) => b[1] - a[1])) L.push(`| ${k} | ${n} |`);
  L.push('', '## Findings by rule', '', '| Rule | Severity | Count | Meaning |', '|---|---|---:|---|');
  for (const r of d.rules) L.push(`| \`${r.id}\` | ${r.effectiveSeverity} | ${s.byRule[r.id] ?? 0} | ${mdCell(r.title)} |`);
  L.push('', '## Findings', '');
  if (d.findings.length === 0) L.push('No findings.');
  else {
    L.push('| Severity | Rule | Path | Message |', '|---|---|---|---|');
    for (const f of sortedFindings(d.findings)) L.push(`| ${f.severity} | \`${f.rule}\` | ${mdCell(f.path)} | ${mdCell(f.message)} |`);
  }
  if (d.drift.length > 0) {
    L.push('', '## Drift from the baseline', '', '| Change | Path | Before | After |', '|---|---|---|---|');
    const st = (x: { kind: string; target: string | null; fileId: string | null } | null) => (x ? mdCell(`${x.kind} ${x.target ?? x.fileId ?? ''}`) : '');
    for (const x of d.drift) L.push(`| ${x.change} | ${mdCell(x.path)} | ${st(x.before)} | ${st(x.after)} |`);
  }
  L.push('');
  return L.join('\n');
}
