/** The json report: one document with the summary, every finding, every drift record and every link. */
import type { ReportData } from './model.js';
import { sortedFindings } from './model.js';

export function renderJson(d: ReportData): string {
  const doc = {
    tool: { name: 'LinkTools', version: d.engineVersion },
    generatedAt: d.generatedAt,
    summary: d.summary,
    rules: d.rules.map((r) => ({ id: r.id, severity: r.effectiveSeverity, title: r.title, meaning: r.meaning })),
    findings: sortedFindings(d.findings),
    drift: d.drift,
    links: d.links,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
