/* eslint-disable @typescript-eslint/no-explicit-any -- DevTools-protocol and SARIF JSON of any shape in test assertions */
/**
 * Reports checked by independent tools: SARIF by the Microsoft SARIF multitool (0 errors, 0
 * warnings), stable fingerprints across runs, the CSV byte-order mark through the real CLI, Mermaid
 * text under its renderer's limit with escaped labels, and the HTML report driven in headless
 * Chromium over the DevTools protocol (keyboard sorting, numeric sort, filter, no console errors,
 * wrapped chain labels, a screenshot).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LinkInfo } from '../../../../engine/src/contract/types.js';
import { buildGraph, renderReport, toDot, toMermaid } from '../../../../engine/src/core/report/index.js';
import { MERMAID_MAX_TEXT, mermaidText } from '../../../../engine/src/core/report/graph.js';
import { messageWithoutPath, wrapLabel } from '../../../../engine/src/core/report/html.js';
import { cli, ensureCli } from '../../helpers/cli.js';
import { openPage } from './cdp.js';
import { richData } from './fixture.js';

const require = createRequire(import.meta.url);
let MULTITOOL: string | null = null;
try {
  MULTITOOL = require('@microsoft/sarif-multitool') as string;
  if (!fs.existsSync(MULTITOOL)) MULTITOOL = null;
} catch {
  MULTITOOL = null;
}
if (!MULTITOOL) console.warn('\n*** SKIPPING the SARIF multitool validation: @microsoft/sarif-multitool has no binary for this platform (npm ci installs it) ***\n');

describe('sarif', () => {
  it.skipIf(!MULTITOOL)('passes `sarif-multitool validate` with 0 errors and 0 warnings', () => {
    const { d, dir } = richData();
    const file = path.join(dir, 'audit.sarif');
    const log = path.join(dir, 'validation.sarif');
    fs.writeFileSync(file, renderReport('sarif', d));
    const r = spawnSync(MULTITOOL!, ['validate', file, '--output', log, '--log', 'ForceOverwrite'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const v = JSON.parse(fs.readFileSync(log, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: unknown }[] }[] };
    const results = v.runs[0]!.results ?? [];
    // Every validator result counts: "warning" is the default level of a SARIF result.
    expect(results.map((x) => `${x.level ?? 'warning'} ${x.ruleId} ${JSON.stringify(x.message)}`)).toEqual([]);
    expect(r.stdout).not.toMatch(/\b(warning|error) SARIF\d+/);
  });

  it('locations are relative to one originalUriBaseId per root; fingerprints are stable across runs and unique', () => {
    const a = richData();
    const b = richData();
    const sa = JSON.parse(renderReport('sarif', a.d));
    const sb = JSON.parse(renderReport('sarif', b.d));
    expect(a.root).not.toBe(b.root);
    expect(sa.runs[0].originalUriBaseIds).toEqual({ ROOT0: { uri: `file://${a.root}/`, description: { text: `Audited root ${a.root}.` } } });
    const key = (s: any) =>
      s.runs[0].results
        .map(
          (x: any) => `${x.ruleId} ${x.locations[0].physicalLocation.artifactLocation.uriBaseId}:${x.locations[0].physicalLocation.artifactLocation.uri} ${x.partialFingerprints['linkPath/v1']}`,
        )
        .sort();
    expect(key(sa)).toEqual(key(sb));
    const fps = sa.runs[0].results.map((x: any) => x.partialFingerprints['linkPath/v1']);
    expect(new Set(fps).size).toBe(fps.length);
    for (const r of sa.runs[0].tool.driver.rules) {
      expect(r.name).not.toBe(r.id);
      expect(r.name.toLowerCase()).not.toBe(r.id.toLowerCase());
      expect(r.fullDescription.text.length).toBeGreaterThan(r.shortDescription.text.length);
      expect(r.help.markdown).toContain(`(docs/audit-rules.md#${r.id})`);
      expect(r.helpUri).toBeUndefined();
    }
    const messy = sa.runs[0].results.find((x: any) => x.ruleId === 'messy-target');
    expect(messy.locations[0].physicalLocation.region).toEqual({ charOffset: 0, charLength: 18, snippet: { text: './docs/./readme.md' } });
  });
});

describe('csv byte-order mark (real CLI)', () => {
  it('on by default for a .csv file, off with --csv-no-bom and for other names', async () => {
    await ensureCli();
    const { root, dir } = richData();
    const read = (f: string) => fs.readFileSync(path.join(dir, f));
    cli(['audit', root, '--format', 'csv', '--out', path.join(dir, 'a.csv'), '--fail-on', 'never']);
    cli(['audit', root, '--format', 'csv', '--out', path.join(dir, 'b.csv'), '--csv-no-bom', '--fail-on', 'never']);
    cli(['audit', root, '--format', 'csv', '--out', path.join(dir, 'c.txt'), '--fail-on', 'never']);
    expect([...read('a.csv').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(read('a.csv').subarray(3).toString('utf8')).toMatch(/^severity,rule,path,message,target,details\r\n/);
    expect(read('b.csv').subarray(0, 8).toString('utf8')).toBe('severity');
    expect(read('c.txt').subarray(0, 8).toString('utf8')).toBe('severity');
    // The non-ASCII name survives as UTF-8.
    expect(read('a.csv').toString('utf8')).toContain('ünïcödé');
  });
});

function fakeLinks(n: number, root: string): LinkInfo[] {
  return Array.from({ length: n }, (_, i) => {
    const p = `${root}/some/rather/long/folder/name/number-${i}/with-a-link-${i}`;
    const t = `${root}/targets/another/long/folder/target-${i}`;
    return {
      recordType: 'linkInfo',
      schemaVersion: '1.0',
      path: p,
      kind: 'symlink',
      targetType: 'file',
      target: t,
      resolvedTarget: t,
      finalTarget: t,
      targetExists: true,
      isRelative: false,
      linkCount: 1,
      fileId: `1:${i}`,
      size: 0,
      chain: [{ path: p, kind: 'symlink', target: t, resolvedTarget: t }],
      loop: false,
      reparse: null,
      backend: 'posix',
    } as LinkInfo;
  });
}

describe('mermaid', () => {
  it('stays below the renderer limit with a visible note of what was left out; DOT keeps everything', () => {
    const root = '/srv/tree';
    const g = buildGraph(fakeLinks(1500, root), [root]);
    expect(g.edges).toHaveLength(1500);
    const text = toMermaid(g);
    expect(text.length).toBeLessThan(MERMAID_MAX_TEXT);
    expect(g.truncated).toBe(true);
    const drawn = text.split('\n').filter((l) => / --> /.test(l)).length;
    expect(drawn).toBeGreaterThan(100);
    expect(drawn).toBeLessThan(1500);
    expect(text).toContain(`%% truncated: ${1500 - drawn} of 1500 links are not drawn here`);
    expect(text).toMatch(/omitted\["… \d+ of 1500 links are not drawn here .*DOT graph/);
    const dot = toDot(buildGraph(fakeLinks(1500, root), [root]));
    expect(dot.split('\n').filter((l) => / -> /.test(l))).toHaveLength(1500);
    // A small graph is whole, with no note.
    const small = toMermaid(buildGraph(fakeLinks(10, root), [root]));
    expect(small).not.toContain('omitted');
  });

  it('escapes labels: newlines, quotes, # and angle brackets never reach the syntax', () => {
    expect(mermaidText('a\nb "c" #x <y>`')).toBe('a↵b #quot;c#quot; #35;x #lt;y#gt;#96;');
    const { d } = richData();
    const text = toMermaid(buildGraph(d.links, d.summary.roots));
    for (const line of text.trimEnd().split('\n')) expect(line).toMatch(/^(flowchart LR|  \S)/); // no label broke onto its own line
    expect(text).toContain('odd name↵with #quot;quotes#quot; ü');
  });
});

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
if (!CHROMIUM) console.warn('\n*** SKIPPING the html report CDP test: no chromium found (build/tools.sh installs it) ***\n');

describe('html report in headless Chromium (DevTools protocol)', () => {
  it('messages do not repeat the path; long chain labels wrap', () => {
    const { d } = richData();
    for (const f of d.findings) expect(messageWithoutPath(f).startsWith(f.path)).toBe(false);
    const lines = wrapLabel('tree/some/very/long/folder/name/that/goes/on/and/on/file.txt');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(30);
    expect(lines.join('')).toBe('tree/some/very/long/folder/name/that/goes/on/and/on/file.txt');
  });

  it.skipIf(!CHROMIUM)('headings sort by keyboard (aria-sort), numbers sort as numbers, the filter works, no console errors; screenshot', async () => {
    const { d, dir, root } = richData();
    // A long name, to see the chain diagram wrap it.
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, renderReport('html', d));
    const page = await openPage(CHROMIUM!, `file://${file}`, path.join(dir, 'profile'));
    try {
      expect(await page.evaluate('document.body.getAttribute("data-ready")')).toBe('1');
      expect(await page.evaluate('document.body.getAttribute("data-error")')).toBeNull();
      const total = d.findings.length;
      expect(await page.evaluate('document.getElementById("count").textContent')).toBe(`${total} of ${total} shown`);

      // Tab from the start of the page to the Hops heading's button, then sort with Enter and Space.
      let reached = false;
      for (let i = 0; i < 40 && !reached; i++) {
        await page.press('Tab');
        reached = (await page.evaluate<string>('document.activeElement && document.activeElement.textContent')) === 'Hops';
      }
      expect(reached, 'the Hops heading button is reachable with Tab').toBe(true);
      const hops = () => page.evaluate<number[]>('Array.from(document.querySelectorAll("#findings tbody tr")).map(function(r){return Number(r.cells[3].getAttribute("data-k"))})');
      const sortOf = () => page.evaluate<string[]>('Array.from(document.querySelectorAll("#findings thead th")).map(function(t){return t.getAttribute("aria-sort")})');
      await page.press('Enter');
      const asc = await hops();
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
      expect(asc).toContain(9);
      expect(asc).toContain(10);
      expect(asc.indexOf(9)).toBeLessThan(asc.indexOf(10)); // numerically, not as text ("10" < "9")
      expect(await sortOf()).toEqual(['none', 'none', 'none', 'ascending', null]);
      await page.press(' ');
      const desc = await hops();
      expect(desc).toEqual([...asc].sort((a, b) => b - a));
      expect(await sortOf()).toEqual(['none', 'none', 'none', 'descending', null]);
      // Severity sorts by rank (errors first), also from the keyboard.
      await page.press('Tab', true);
      await page.press('Tab', true);
      await page.press('Tab', true);
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Severity');
      await page.press('Enter');
      const sev = await page.evaluate<string[]>('Array.from(document.querySelectorAll("#findings tbody tr")).map(function(r){return r.cells[0].textContent})');
      expect(sev.indexOf('info')).toBeGreaterThan(sev.lastIndexOf('error'));

      // The filter box.
      await page.evaluate('(function(){var q=document.getElementById("q");q.focus();q.value="messy";q.dispatchEvent(new Event("input"));})()');
      expect(await page.evaluate('document.getElementById("count").textContent')).toBe(`1 of ${total} shown`);
      await page.evaluate('(function(){var q=document.getElementById("q");q.value="";q.dispatchEvent(new Event("input"));})()');

      // Messages: never the full path in front.
      const msgs = await page.evaluate<string[]>('Array.from(document.querySelectorAll("#findings tbody tr")).map(function(r){return r.cells[4].firstChild.textContent})');
      for (const m of msgs) expect(m.startsWith(root)).toBe(false);

      // Chain boxes: every label line fits its box (wrapped, not overflowing).
      const overflow = await page.evaluate<number>(
        '(function(){var bad=0;document.querySelectorAll("svg.chains g.node").forEach(function(g){var r=g.querySelector("rect").getBBox();var t=g.querySelector("text").getBBox();if(t.width>r.width+1||t.height>r.height+1)bad++;});return bad;})()',
      );
      expect(overflow).toBe(0);

      const shot = (await page.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false })) as { data: string };
      const png = Buffer.from(shot.data, 'base64');
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      fs.writeFileSync(path.join(dir, 'audit-report.png'), png);
      if (process.env.LT_UPDATE_SCREENSHOT === '1') fs.writeFileSync(path.join(__dirname, '../../../../docs/audit-report.png'), png);
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
