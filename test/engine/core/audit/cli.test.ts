/**
 * scan and audit through the real CLI process: the contract the PowerShell module relies on
 * (records, exit codes 0/1/2/3, --out report + NDJSON on stdout, --graph, baselines, progress on stderr).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tree.js';
import { CROSS_FS } from './run.js';

const demo = (await import('../../../../build/make-demo-tree.mjs' as string)) as { makeDemoTree(dir: string): { root: string } };

beforeAll(async () => {
  await ensureCli();
});

describe('linktools scan / audit (CLI)', () => {
  it('scan: linkInfo records then one scanSummary, exit 0', () => {
    const { root } = demo.makeDemoTree(path.join(tempDir(), 'demo'));
    const r = cli(['scan', root, '--kind', 'symlink', '--exclude', 'chain']);
    expect(r.code).toBe(0);
    const last = r.records.pop()!;
    expect(last).toMatchObject({ recordType: 'scanSummary', links: 15, byKind: { symlink: 15 } });
    expect(new Set(r.records.map((x) => x.recordType))).toEqual(new Set(['linkInfo']));
  });

  it('audit: findings, summary, exit 1; --fail-on never exit 0', () => {
    const { root } = demo.makeDemoTree(path.join(tempDir(), 'demo'));
    const r = cli(['audit', root]);
    expect(r.code).toBe(1);
    expect(r.records.filter((x) => x.recordType === 'finding')).toHaveLength(18 + CROSS_FS);
    expect(r.records.at(-1)).toMatchObject({ recordType: 'auditSummary', findings: 18 + CROSS_FS, exitCode: 1 });
    expect(cli(['audit', root, '--fail-on', 'never']).code).toBe(0);
  });

  it('bad input is exit 2 with a precise code', () => {
    const t = tempDir();
    const cfg = path.join(t, 'cfg.json');
    fs.writeFileSync(cfg, '{"rules":{"escapes-root":{"severity":"loud"}}}');
    const c = cli(['audit', t, '--config', cfg]);
    expect([c.code, c.errors[0]?.code]).toEqual([2, 'LT_BAD_CONFIG']);
    expect(c.errors[0]!.message).toMatch(/\/rules\/escapes-root\/severity/);
    fs.writeFileSync(cfg, '[]');
    expect(cli(['audit', t, '--baseline', cfg]).errors[0]?.code).toBe('LT_BAD_BASELINE');
    expect(cli(['audit', t, '--baseline', path.join(t, 'missing.json')]).errors[0]?.code).toBe('LT_BAD_BASELINE');
    const bad = cli(['audit', t, '--rule', 'nope']);
    expect([bad.code, bad.errors[0]?.code]).toEqual([2, 'LT_INVALID_ARGUMENT']);
    expect(cli(['audit', t, '--format', 'html']).errors[0]?.message).toMatch(/--out/);
    expect(cli(['audit', t, '--format', 'pdf']).code).toBe(2);
  });

  it('a root that cannot be read is exit 3 and still ends with a summary', () => {
    const t = tempDir();
    const r = cli(['audit', path.join(t, 'missing')]);
    expect(r.code).toBe(3);
    expect(r.errors.map((e) => e.code)).toEqual(['LT_NOT_FOUND']);
    expect(r.records.at(-1)).toMatchObject({ recordType: 'auditSummary', exitCode: 3 });
  });

  it('--format html --out writes the report; stdout still carries NDJSON; --graph goes beside it', () => {
    const t = tempDir();
    const { root } = demo.makeDemoTree(path.join(t, 'demo'));
    const out = path.join(t, 'report.html');
    const r = cli(['audit', root, '--format', 'html', '--out', out, '--graph', 'dot']);
    expect(r.code).toBe(1);
    expect(r.records.at(-1)).toMatchObject({ reportPath: out, graphPath: path.join(t, 'report.dot') });
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(fs.readFileSync(path.join(t, 'report.dot'), 'utf8')).toMatch(/^digraph/);
    const g = cli(['audit', root, '--graph', 'mermaid', '--fail-on', 'never']);
    expect(g.records.find((x) => x.recordType === 'graph')).toMatchObject({ format: 'mermaid' });
  });

  it('--save-baseline then --baseline reports drift', () => {
    const t = tempDir();
    const root = path.join(t, 'r');
    fs.mkdirSync(root);
    fs.symlinkSync('a', path.join(root, 'l'));
    const base = path.join(t, 'base.json');
    const s = cli(['audit', root, '--save-baseline', base, '--fail-on', 'never']);
    expect(s.records.at(-1)).toMatchObject({ baselinePath: base });
    fs.unlinkSync(path.join(root, 'l'));
    fs.symlinkSync('b', path.join(root, 'l'));
    const r = cli(['audit', root, '--baseline', base, '--fail-on', 'never']);
    expect(r.records.filter((x) => x.recordType === 'drift')).toMatchObject([{ change: 'retargeted', path: path.join(root, 'l') }]);
    expect(r.records.at(-1)).toMatchObject({ drift: 1, exitCode: 0 });
  });

  it('--progress writes progress records to stderr only', () => {
    const t = tempDir();
    for (let i = 0; i < 2100; i++) fs.writeFileSync(path.join(t, `f${i}`), '');
    const r = cli(['scan', t, '--progress', '--progress-interval', '1']);
    expect(r.records.every((x) => x.recordType !== 'progress')).toBe(true);
    const prog = r.stderr
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .filter((x) => x.recordType === 'progress');
    expect(prog.length).toBeGreaterThanOrEqual(1);
    expect(prog[0]).toMatchObject({ phase: 'scan' });
  });
});
