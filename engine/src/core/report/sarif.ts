/**
 * The SARIF 2.1.0 report: every rule that ran in tool.driver.rules (with help text and its
 * configured level), one result per finding located by a file URI. Levels: error -> error,
 * warning -> warning, info -> note.
 */
import type { ReportData } from './model.js';
import { sortedFindings } from './model.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A file URI for a POSIX or Windows path (drive or UNC), each element percent-encoded. */
export function fileUri(p: string): string {
  const enc = (parts: string[]) => parts.map((x) => encodeURIComponent(x)).join('/');
  if (/^[A-Za-z]:[\\/]/.test(p)) return `file:///${p.slice(0, 2)}/${enc(p.slice(3).split(/[\\/]/))}`;
  if (/^\\\\[^?.]/.test(p)) {
    const [host, ...rest] = p.slice(2).split('\\');
    return `file://${host}/${enc(rest)}`;
  }
  return `file://${enc(p.split('/'))}`;
}

export function renderSarif(d: ReportData): string {
  const rules = d.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'LinkTools',
            version: d.engineVersion,
            semanticVersion: d.engineVersion,
            informationUri: 'https://linktools.dev/docs/audit-rules',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.meaning },
              help: { text: `${r.meaning}\n\nWhat to do: ${r.help}`, markdown: `**${r.title}**\n\n${r.meaning}\n\n*What to do:* ${r.help}` },
              helpUri: `https://linktools.dev/docs/audit-rules#${r.id}`,
              defaultConfiguration: { level: LEVEL[r.effectiveSeverity] },
              properties: { tags: ['links', r.needs === 'ntfs' ? 'ntfs' : 'portable'] },
            })),
          },
        },
        invocations: [{ executionSuccessful: d.summary.exitCode !== 3, exitCode: d.summary.exitCode }],
        results: sortedFindings(d.findings).map((f) => ({
          ruleId: f.rule,
          ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(f.path) } } }],
          properties: { details: f.details },
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
