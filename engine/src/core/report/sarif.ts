/**
 * The SARIF 2.1.0 report, clean under the Microsoft SARIF multitool (`validate`: 0 errors, 0
 * warnings; a vitest test runs it):
 * - tool.driver.rules: every rule that ran, with a PascalCase name (never the id), short and full
 *   descriptions, help (text and markdown with a relative link into docs/audit-rules.md) and its
 *   configured level. No helpUri: there is no stable absolute address for the docs, and SARIF wants
 *   an absolute one there.
 * - run.originalUriBaseIds: one base per audited root (ROOT0, ROOT1, …; file URI ending in /), and
 *   each result's location is relative to its root's base, so a report moves with the tree.
 * - partialFingerprints: "linkPath/v1" is a hash of rule id and the path relative to the root, so
 *   code-scanning dashboards match the same link and rule across runs (and across machines).
 * - region: a link has no lines; the region is its whole stored target (char offset 0, its length,
 *   the target as snippet), or the empty region when the finding has no target text.
 * Levels: error -> error, warning -> warning, info -> note.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../contract/types.js';
import type { ReportData } from './model.js';
import { sortedFindings } from './model.js';
import { isDriveAbsolute, isWin32Absolute } from '../../ntfs/ntpath.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A file URI for a POSIX or Windows path (drive or UNC), each element percent-encoded. */
export function fileUri(p: string): string {
  const enc = (parts: string[]) => parts.map((x) => encodeURIComponent(x)).join('/');
  if (isDriveAbsolute(p)) return `file:///${p.slice(0, 2)}/${enc(p.slice(3).split(/[\\/]/))}`;
  if (/^\\\\[^?.]/.test(p)) {
    const [host, ...rest] = p.slice(2).split('\\');
    return `file://${host}/${enc(rest)}`;
  }
  return `file://${enc(p.split('/'))}`;
}

function isWinPath(p: string): boolean {
  return isWin32Absolute(p);
}

/** `p` relative to `root` as URI path elements (`/`-separated, each percent-encoded), or null when outside. */
function relativeUri(root: string, p: string): string | null {
  const win = isWinPath(root);
  const sep = win ? /[\\/]/ : /\//;
  const norm = (x: string) => (win ? x.replace(/\//g, '\\').toLowerCase() : x);
  const r = root.replace(win ? /[\\/]+$/ : /\/+$/, '');
  if (norm(p) === norm(r)) return null;
  const prefix = r + (win ? '\\' : '/');
  if (!norm(p).startsWith(norm(win ? prefix : prefix))) return null;
  return p
    .slice(prefix.length)
    .split(sep)
    .map((x) => encodeURIComponent(x))
    .join('/');
}

/** Stable across runs for the same link (path relative to its root) and rule. */
export function fingerprint(rule: string, relPath: string): string {
  return createHash('sha256').update(`${rule}\0${relPath}`).digest('hex').slice(0, 32);
}

/**
 * A link has no lines: its content, as readlink and FSCTL_GET_REPARSE_POINT return it, is the
 * stored target, so the region is that whole text (with the target as snippet). A finding with no
 * target text (a hard-link group, an unreadable entry) gets the empty region at the start.
 */
function regionOf(f: Finding): Record<string, unknown> {
  const t = (f.details as Record<string, unknown>).target;
  if (typeof t !== 'string' || t.length === 0) return { charOffset: 0, charLength: 0 };
  return { charOffset: 0, charLength: [...t].length, snippet: { text: t } };
}

function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

export function renderSarif(d: ReportData): string {
  const rules = d.rules;
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const roots = d.summary.roots;
  const baseIds: Record<string, unknown> = {};
  roots.forEach((r, i) => {
    const uri = fileUri(r);
    baseIds[`ROOT${i}`] = { uri: uri.endsWith('/') ? uri : `${uri}/`, description: { text: `Audited root ${r}.` } };
  });
  const locate = (p: string): { artifactLocation: Record<string, unknown>; rel: string } => {
    for (let i = 0; i < roots.length; i++) {
      const rel = relativeUri(roots[i]!, p);
      if (rel !== null) return { artifactLocation: { uri: rel, uriBaseId: `ROOT${i}` }, rel };
    }
    return { artifactLocation: { uri: fileUri(p) }, rel: p };
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'LinkTools',
            fullName: `LinkTools link audit ${d.engineVersion}`,
            version: d.engineVersion,
            semanticVersion: d.engineVersion,
            informationUri: 'docs/audit-rules.md',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: sentence(r.title) },
              fullDescription: { text: sentence(r.meaning) },
              help: {
                text: `${sentence(r.meaning)} What to do: ${sentence(r.help)} See docs/audit-rules.md#${r.id}.`,
                markdown: `**${r.title}.** ${sentence(r.meaning)}\n\n*What to do:* ${sentence(r.help)}\n\nSee [${r.id}](docs/audit-rules.md#${r.id}).`,
              },
              defaultConfiguration: { level: LEVEL[r.effectiveSeverity] },
              properties: { tags: ['links', r.needs === 'ntfs' ? 'ntfs' : 'portable'] },
            })),
          },
        },
        originalUriBaseIds: baseIds,
        invocations: [{ executionSuccessful: d.summary.exitCode !== 3, exitCode: d.summary.exitCode }],
        results: sortedFindings(d.findings).map((f) => {
          const { artifactLocation, rel } = locate(f.path);
          const region = regionOf(f);
          return {
            ruleId: f.rule,
            ...(index.has(f.rule) ? { ruleIndex: index.get(f.rule) } : {}),
            level: LEVEL[f.severity],
            message: { text: sentence(f.message) },
            locations: [{ physicalLocation: { artifactLocation, region } }],
            partialFingerprints: { 'linkPath/v1': fingerprint(f.rule, rel) },
            properties: { details: f.details },
          };
        }),
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
