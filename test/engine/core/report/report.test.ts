/**
 * Report formats rendered from a real audit of the demo tree: json, csv, markdown, sarif, the
 * mermaid/dot graph, atomic writes, and the html report opened in headless Chromium.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requireOrSkip } from '../../helpers/capability.js';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../../engine/src/cli/write-file.js';
import { buildGraph, renderReport, toDot, toMermaid } from '../../../../engine/src/core/report/index.js';
import { csvCell } from '../../../../engine/src/core/report/csv.js';
import { fileUri } from '../../../../engine/src/core/report/sarif.js';
import { mdCell } from '../../../../engine/src/core/report/markdown.js';
import { tempDir } from '../../helpers/tree.js';
import { CROSS_FS } from '../audit/run.js';
import { demoData } from './fixture.js';

const data = () => demoData();

describe('reports', () => {
  it('json: one document with summary, findings, drift and links', () => {
    const { d } = data();
    const doc = JSON.parse(renderReport('json', d));
    expect(doc.summary.findings).toBe(18 + CROSS_FS);
    expect(doc.findings).toHaveLength(18 + CROSS_FS);
    expect(doc.findings[0].severity).toBe('error');
    expect(doc.links).toHaveLength(d.summary.links);
    expect(doc.drift).toEqual([]);
  });

  it('csv: a header and one row per finding; quoting and formula guards', () => {
    const { d } = data();
    const lines = renderReport('csv', d).trimEnd().split('\r\n');
    expect(lines[0]).toBe('severity,rule,path,message,target,details');
    expect(lines).toHaveLength(1 + 18 + CROSS_FS);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=cmd|x')).toBe("'=cmd|x");
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });

  it('markdown: tables with escaped cells', () => {
    const { d } = data();
    const md = renderReport('markdown', d);
    expect(md).toMatch(/^# LinkTools audit/);
    expect(md).toContain('| `link-loop` | error | 5 |');
    expect(md.split('\n').filter((l) => l.startsWith('| error |') || l.startsWith('| warning |') || l.startsWith('| info |'))).toHaveLength(18 + CROSS_FS);
    expect(mdCell('a|b*c')).toBe('a\\|b\\*c');
  });

  it('sarif 2.1.0: rules with help, results with file URIs and mapped levels', () => {
    const { d, root } = data();
    const s = JSON.parse(renderReport('sarif', d));
    expect(s.version).toBe('2.1.0');
    const run = s.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(d.summary.rulesRun);
    for (const r of run.tool.driver.rules) {
      expect(r.help.text.length).toBeGreaterThan(20);
      expect(r.shortDescription.text).toBeTruthy();
      expect(['error', 'warning', 'note']).toContain(r.defaultConfiguration.level);
    }
    expect(run.results).toHaveLength(18 + CROSS_FS);
    const abs = run.results.find((x: { ruleId: string }) => x.ruleId === 'absolute-target');
    expect(abs.level).toBe('note');
    expect(run.tool.driver.rules[abs.ruleIndex].id).toBe('absolute-target');
    expect(abs.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'abs-inside', uriBaseId: 'ROOT0' });
    expect(run.originalUriBaseIds.ROOT0.uri).toBe(`file://${root}/`);
    expect(fileUri('C:\\Program Files\\a#b')).toBe('file:///C:/Program%20Files/a%23b');
    expect(fileUri('\\\\srv\\share\\x y')).toBe('file://srv/share/x%20y');
    expect(fileUri('/tmp/a b')).toBe('file:///tmp/a%20b');
  });

  it('graph: links point at targets, loop edges are marked, hard links meet at a file node', () => {
    const { d } = data();
    const g = buildGraph(d.links, d.summary.roots);
    const loopNodes = g.nodes
      .filter((n) => n.inLoop)
      .map((n) => n.label)
      .sort();
    expect(loopNodes).toEqual(['tree/loop/a', 'tree/loop/b', 'tree/loop/c', 'tree/self']);
    expect(g.edges.filter((e) => e.inLoop)).toHaveLength(4);
    expect(g.nodes.filter((n) => n.type === 'file')).toHaveLength(2);
    expect(g.nodes.find((n) => n.label === 'tree/missing.txt')!.type).toBe('missing');
    const mm = toMermaid(g);
    expect(mm).toMatch(/^flowchart LR\n/);
    expect(mm).toMatch(/linkStyle [\d,]+ stroke:#c62828/);
    const dot = toDot(g);
    expect(dot).toMatch(/^digraph links \{/);
    expect(dot.match(/color="#c62828", penwidth=2\]/g)!.length).toBeGreaterThanOrEqual(4);
    const small = buildGraph(d.links, d.summary.roots, 3);
    expect(small).toMatchObject({ truncated: true });
    expect(small.edges).toHaveLength(3);
  });

  it('writes atomically: no temp file left, old content replaced whole', () => {
    const t = tempDir();
    const f = path.join(t, 'r.txt');
    fs.writeFileSync(f, 'old');
    expect(writeFileAtomic(f, 'new')).toBe(f);
    expect(fs.readFileSync(f, 'utf8')).toBe('new');
    expect(fs.readdirSync(t)).toEqual(['r.txt']);
    expect(() => writeFileAtomic(path.join(t, 'no', 'dir.txt'), 'x')).toThrow(expect.objectContaining({ code: 'LT_NOT_FOUND' }));
  });
});

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
if (!CHROMIUM) console.warn('\n*** SKIPPING the html report browser test: no chromium found (apt-get install -y chromium; build/tools.sh installs it for CI) ***\n');

describe('html report', () => {
  it('is one self-contained file: no external URLs, escaped paths', () => {
    const { d } = data();
    const html = renderReport('html', d);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain('Content-Security-Policy');
    expect(html).toContain('<svg class="chains"');
    d.findings[0]!.message = '<img src=x onerror=alert(1)>';
    expect(renderReport('html', d)).not.toContain('<img src=x');
  });

  it.skipIf(requireOrSkip('chromium', CHROMIUM ? null : 'chromium is missing', 'report.test.ts'))('opens in headless Chromium: the script runs without errors and the summary shows', () => {
    const { d, dir } = data();
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, renderReport('html', d));
    const profile = path.join(dir, 'profile');
    const r = spawnSync(
      CHROMIUM!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        '--dump-dom',
        `file://${file}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const dom = r.stdout;
    expect(dom).toMatch(/<body data-ready="1"/);
    expect(dom).not.toMatch(/<body[^>]*data-error/);
    expect(dom).toContain(`${18 + CROSS_FS} of ${18 + CROSS_FS} shown`); // the filter script counted the rows
    expect(dom).toContain(`<div class="n">${d.summary.links}</div><div class="l">links</div>`);
  });
});
