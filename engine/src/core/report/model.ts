/** What every report format renders: the summary, findings, drift, links and the rules that ran. */
import type { AuditSummary, Drift, Finding, LinkInfo } from '../../contract/types.js';
import type { Severity } from '../../contract/types.js';
import type { RuleSpec } from '../audit/rules.js';

export interface ReportRule extends RuleSpec {
  /** The severity configured for this run (may differ from the default). */
  effectiveSeverity: Severity;
}

export interface ReportData {
  summary: AuditSummary;
  findings: Finding[];
  drift: Drift[];
  links: LinkInfo[];
  /** The rules that ran, in table order. */
  rules: ReportRule[];
  generatedAt: string;
  engineVersion: string;
}

export const REPORT_FORMATS = ['ndjson', 'json', 'csv', 'markdown', 'html', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Findings in a stable order: severity (error first), then rule, then path. */
export function sortedFindings(findings: readonly Finding[]): Finding[] {
  const rank: Record<string, number> = { error: 0, warning: 1, info: 2 };
  return [...findings].sort((a, b) => rank[a.severity]! - rank[b.severity]! || cmp(a.rule, b.rule) || cmp(a.path, b.path));
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Show a path relative to the root it lies under (root's own name first), else as is. */
export function shortPath(p: string | null, roots: readonly string[]): string {
  if (p === null) return '';
  for (const r of roots) {
    const sep = r.includes('\\') && !r.includes('/') ? '\\' : '/';
    const base = r.endsWith(sep) ? r : r + sep;
    if (p === r) return r.split(/[\\/]/).filter(Boolean).pop() ?? r;
    if (p.startsWith(base)) return `${r.split(/[\\/]/).filter(Boolean).pop() ?? ''}${sep}${p.slice(base.length)}`;
  }
  return p;
}
