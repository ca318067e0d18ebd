/** A real audited tree with a case for most rules (the demo tree, whose cases include cycle, messy and lengthy targets, + odd names), as ReportData. */
import fs from 'node:fs';
import path from 'node:path';
import { RULE_BY_ID } from '../../../../engine/src/core/audit/rules.js';
import type { ReportData } from '../../../../engine/src/core/report/index.js';
import { tempDir } from '../../helpers/tree.js';
import { audit } from '../audit/run.js';

const demo = (await import('../../../../build/make-demo-tree.mjs' as string)) as { makeDemoTree(dir: string): { root: string } };

/** The demo tree audited, as ReportData; `extra` adds entries to the tree first. */
export function demoData(extra?: (root: string) => void): { d: ReportData; root: string; dir: string } {
  const dir = tempDir();
  const { root } = demo.makeDemoTree(path.join(dir, 'demo'));
  extra?.(root);
  const r = audit([root]);
  const d: ReportData = {
    summary: r.summary,
    findings: r.findings,
    drift: [],
    links: r.links,
    rules: r.summary.rulesRun!.map((id) => ({ ...RULE_BY_ID.get(id)!, effectiveSeverity: RULE_BY_ID.get(id)!.severity })),
    generatedAt: '2024-01-02T03:04:05.000Z',
    engineVersion: '0.1.0',
  };
  return { d, root, dir };
}

/** The demo tree plus a link whose name and target hold quotes, a newline and non-ASCII text. */
export function richData(): { d: ReportData; root: string; dir: string } {
  return demoData((root) => fs.symlinkSync('missing "quoted"\nnew line ünïcödé', path.join(root, 'odd name\nwith "quotes" ü')));
}
