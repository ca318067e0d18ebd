/**
 * The audit on a real tree holding a case for every rule POSIX can express (the demo tree of
 * build/make-demo-tree.mjs), asserting the exact set of findings, plus rule selection, config,
 * severities, exit codes, baselines and drift, and unreadable entries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../../../engine/src/core/audit/baseline.js';
import { parseConfig, resolveSettings } from '../../../../engine/src/core/audit/config.js';
import { RULES, RULE_IDS } from '../../../../engine/src/core/audit/rules.js';
import { PosixBackend } from '../../../../engine/src/platform/posix/backend.js';
import { RoutingPlatform } from '../../../../engine/src/platform/index.js';
import type { Backend, DirEntry } from '../../../../engine/src/platform/types.js';
import { LinkToolsError } from '../../../../engine/src/errors.js';
import { tempDir } from '../../helpers/tree.js';
import { audit, CROSS_FS, pairs } from './run.js';

const demo = (await import('../../../../build/make-demo-tree.mjs' as string)) as {
  makeDemoTree(dir: string): { root: string; outside: string; created: string[]; skipped: unknown[] };
};

const DEMO_FINDINGS = [
  'absolute-target abs-inside',
  'absolute-target passwd',
  'broken-target broken',
  'broken-target broken-chain',
  'chain-too-long chain/c1',
  'chain-too-long chain/c2',
  'directory-cycle cyc/inner/up',
  'escapes-root escape',
  'escapes-root passwd',
  'hardlink-group-escapes hard/shared.txt',
  'link-loop loop/a',
  'link-loop loop/b',
  'link-loop loop/c',
  'link-loop loop/into',
  'link-loop self',
  'lengthy-target docs/lengthy',
  'messy-target messy',
  'sensitive-target passwd',
  ...(CROSS_FS ? ['other-filesystem passwd'] : []),
].sort();

describe('audit on the demo tree', () => {
  it('finds exactly the planted cases, each with its default severity', () => {
    const { root } = demo.makeDemoTree(path.join(tempDir(), 'demo'));
    const r = audit([root]);
    expect(pairs(r.streamed, root)).toEqual(DEMO_FINDINGS);
    expect(r.findings).toEqual(r.streamed);
    for (const f of r.streamed) expect(f.severity).toBe(RULES.find((x) => x.id === f.rule)!.severity);
    expect(r.summary.findings).toBe(18 + CROSS_FS);
    expect(r.summary.bySeverity).toEqual({ error: 8, warning: 6, info: 4 + CROSS_FS });
    expect(r.summary.byRule['link-loop']).toBe(5);
    expect(r.summary.byKind).toEqual({ symlink: 25, hardlink: 3 });
    expect(r.summary.exitCode).toBe(1);
    expect(r.errors).toEqual([]);
  });

  it('explains loops: the cycle, and whether the link is on it', () => {
    const { root } = demo.makeDemoTree(path.join(tempDir(), 'demo'));
    const r = audit([root], { rule: ['link-loop'] });
    const byPath = new Map(r.streamed.map((f) => [path.relative(root, f.path), f.details as Record<string, unknown>]));
    expect(byPath.get('loop/a')).toMatchObject({ inCycle: true, cycle: ['a', 'b', 'c'].map((x) => path.join(root, 'loop', x)) });
    expect(byPath.get('loop/into')).toMatchObject({ inCycle: false, cycle: ['a', 'b', 'c'].map((x) => path.join(root, 'loop', x)) });
    expect(byPath.get('self')).toMatchObject({ inCycle: true, cycle: [path.join(root, 'self')] });
  });

  it('--rule narrows, --disable-rule removes, config changes severity and switches rules off', () => {
    const { root } = demo.makeDemoTree(path.join(tempDir(), 'demo'));
    expect(pairs(audit([root], { rule: ['broken-target', 'escapes-root'] }).streamed, root)).toEqual([
      'broken-target broken',
      'broken-target broken-chain',
      'escapes-root escape',
      'escapes-root passwd',
    ]);
    const off = audit([root], { disableRule: ['link-loop', 'absolute-target'] });
    expect(pairs(off.streamed, root)).toEqual(DEMO_FINDINGS.filter((x) => !x.startsWith('link-loop') && !x.startsWith('absolute-target')));
    expect(off.summary.rulesRun).not.toContain('link-loop');
    const cfg = parseConfig(JSON.stringify({ rules: { 'absolute-target': { enabled: false }, 'escapes-root': { severity: 'error' } }, maxChain: 9 }));
    const r = audit([root], {}, { config: cfg });
    expect(pairs(r.streamed, root)).toEqual(DEMO_FINDINGS.filter((x) => !x.startsWith('absolute-target') && x !== 'chain-too-long chain/c2'));
    expect(r.streamed.filter((f) => f.rule === 'escapes-root').map((f) => f.severity)).toEqual(['error', 'error']);
  });

  it('--max-chain sets the hop limit (the link itself is hop 1)', () => {
    const { root } = demo.makeDemoTree(path.join(tempDir(), 'demo'));
    const r = audit([path.join(root, 'chain')], { rule: ['chain-too-long'], maxChain: 3 });
    expect(pairs(r.streamed, path.join(root, 'chain'))).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'].map((c) => `chain-too-long ${c}`));
    expect(r.streamed[0]!.details).toMatchObject({ maxChain: 3 });
    // A limit above the OS-style hop limit still measures, not calls it a loop.
    const long = audit([path.join(root, 'chain')], { rule: ['chain-too-long', 'link-loop'], maxChain: 50 });
    expect(long.streamed).toEqual([]);
  });

  it('exit code follows --fail-on', () => {
    const t = tempDir();
    fs.mkdirSync(path.join(t, 'd'));
    fs.symlinkSync(path.join(t, 'd'), path.join(t, 'abs'));
    expect(audit([t]).summary.exitCode).toBe(0); // only absolute-target (info)
    expect(audit([t], { failOn: 'info' }).summary.exitCode).toBe(1);
    expect(audit([t], { failOn: 'never' }).summary.exitCode).toBe(0);
    fs.symlinkSync('nowhere', path.join(t, 'broken'));
    expect(audit([t], { failOn: 'error' }).summary.exitCode).toBe(1);
    expect(audit([t], { failOn: 'never' }).summary.exitCode).toBe(0);
  });

  it('a root that cannot be read is exit 3 with an error, not a finding', () => {
    const t = tempDir();
    const r = audit([path.join(t, 'missing')]);
    expect(r.summary.exitCode).toBe(3);
    expect(r.errors.map((e) => e.code)).toEqual(['LT_NOT_FOUND']);
    expect(r.streamed).toEqual([]);
  });

  it('escapes-root accepts targets through the real path of a root reached by a symlink', () => {
    // The root alias/tree is walked (a root that is itself a link is reported, not entered); its real path is real/tree.
    const t = tempDir();
    fs.mkdirSync(path.join(t, 'real', 'tree'), { recursive: true });
    fs.symlinkSync('real', path.join(t, 'alias'));
    fs.writeFileSync(path.join(t, 'real', 'tree', 'f'), '');
    fs.symlinkSync(path.join(t, 'real', 'tree', 'f'), path.join(t, 'real', 'tree', 'abs'));
    const r = audit([path.join(t, 'alias', 'tree')], { rule: ['escapes-root'] });
    expect(r.links.map((l) => l.path)).toEqual([path.join(t, 'alias', 'tree', 'abs')]);
    expect(r.streamed).toEqual([]);
  });

  it('sensitive-target skips links that live in a system location, and honours writableScope', () => {
    const t = tempDir();
    fs.symlinkSync('/etc/hostname', path.join(t, 'h'));
    const cfg = parseConfig(JSON.stringify({ sensitivePaths: [t] }));
    // The tree itself declared sensitive: its links are system links, not a trap.
    expect(audit([t], { rule: ['sensitive-target'] }, { config: cfg }).streamed).toEqual([]);
    fs.chmodSync(t, 0o755);
    const ww = parseConfig(JSON.stringify({ writableScope: 'world-writable' }));
    expect(audit([t], { rule: ['sensitive-target'] }, { config: ww }).streamed).toEqual([]);
    fs.chmodSync(t, 0o777);
    expect(pairs(audit([t], { rule: ['sensitive-target'] }, { config: ww }).streamed, t)).toEqual(['sensitive-target h']);
    fs.chmodSync(t, 0o755);
  });
});

describe('config and options', () => {
  it('a bad config is LT_BAD_CONFIG with the ajv error in the message', () => {
    const bad = (text: string) => {
      try {
        parseConfig(text, '/x/cfg.json');
      } catch (e) {
        expect(e).toBeInstanceOf(LinkToolsError);
        expect((e as LinkToolsError).code).toBe('LT_BAD_CONFIG');
        return (e as LinkToolsError).message;
      }
      throw new Error('accepted');
    };
    expect(bad('{')).toMatch(/not JSON/);
    expect(bad('{"rules":{"escapes-root":{"severity":"fatal"}}}')).toMatch(/\/rules\/escapes-root\/severity must be equal to one of the allowed values \(info, warning, error\)/);
    expect(bad('{"maxChain":0}')).toMatch(/\/maxChain must be >= 1/);
    expect(bad('{"colour":"red"}')).toMatch(/must NOT have additional properties: "colour"/);
    expect(bad('{"rules":{"no-such-rule":{"enabled":true}}}')).toMatch(/no-such-rule is not a rule id/);
    expect(bad('{"remotePolicy":["L2L","L2L:0"]}')).toMatch(/remotePolicy/);
  });

  it('unknown rule ids and bad option values are LT_INVALID_ARGUMENT', () => {
    expect(() => resolveSettings(null, { rule: ['nope'] })).toThrow(/--rule "nope" is not a rule id/);
    expect(() => resolveSettings(null, { disableRule: ['nope'] })).toThrow(LinkToolsError);
    expect(() => resolveSettings(null, { maxChain: 0 })).toThrow(/--max-chain/);
    expect(() => resolveSettings(null, { remotePolicy: 'X2Y' })).toThrow(/policy/);
  });

  it('remote-unresolvable is opt-in: on with a policy, off without', () => {
    expect(resolveSettings(null, {}).rules.get('remote-unresolvable')!.enabled).toBe(false);
    const s = resolveSettings(null, { remotePolicy: 'L2L,R2L' });
    expect(s.rules.get('remote-unresolvable')!.enabled).toBe(true);
    expect(s.policy).toEqual({ L2L: true, L2R: false, R2L: true, R2R: false });
    expect(resolveSettings(null, {}).rules.size).toBe(RULE_IDS.length);
  });
});

describe('baseline and drift', () => {
  it('saves every link, then reports added, removed, retargeted and kindChanged', () => {
    const t = tempDir();
    const root = path.join(t, 'root');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'f'), 'x');
    fs.symlinkSync('f', path.join(root, 'stay'));
    fs.symlinkSync('f', path.join(root, 'moves'));
    fs.symlinkSync('f', path.join(root, 'goes'));
    fs.symlinkSync('f', path.join(root, 'becomes-hard'));
    const saved = audit([root], {}, { saveBaseline: true }).baseline!;
    expect(Object.keys(saved.links).sort()).toEqual(['becomes-hard', 'goes', 'moves', 'stay'].map((x) => path.join(root, x)));
    const base = parseBaseline(JSON.stringify(saved));

    fs.unlinkSync(path.join(root, 'moves'));
    fs.symlinkSync('elsewhere', path.join(root, 'moves'));
    fs.unlinkSync(path.join(root, 'goes'));
    fs.unlinkSync(path.join(root, 'becomes-hard'));
    fs.linkSync(path.join(root, 'f'), path.join(root, 'becomes-hard'));
    fs.symlinkSync('f', path.join(root, 'new'));
    const r = audit([root], {}, { baseline: base });
    const got = r.streamedDrift.map((d) => `${d.change} ${path.basename(d.path)}`).sort();
    expect(got).toEqual(['added f', 'added new', 'kindChanged becomes-hard', 'removed goes', 'retargeted moves']);
    expect(r.summary.drift).toBe(5);
    const moved = r.streamedDrift.find((d) => d.change === 'retargeted')!;
    expect(moved.before).toMatchObject({ kind: 'symlink', target: 'f' });
    expect(moved.after).toMatchObject({ kind: 'symlink', target: 'elsewhere' });
  });

  it('links in the baseline outside the roots audited now are not "removed"', () => {
    const t = tempDir();
    fs.mkdirSync(path.join(t, 'a'));
    fs.mkdirSync(path.join(t, 'b'));
    fs.symlinkSync('x', path.join(t, 'a', 'l'));
    fs.symlinkSync('x', path.join(t, 'b', 'l'));
    const base = audit([t], {}, { saveBaseline: true }).baseline!;
    expect(audit([path.join(t, 'a')], {}, { baseline: base }).streamedDrift).toEqual([]);
  });

  it('a bad baseline is LT_BAD_BASELINE', () => {
    expect(() => parseBaseline('nope')).toThrow(expect.objectContaining({ code: 'LT_BAD_BASELINE' }));
    expect(() => parseBaseline('{"baselineVersion":1}')).toThrow(/must have required property/);
    expect(() => parseBaseline(JSON.stringify({ baselineVersion: 1, schemaVersion: '1.0', createdAt: 'x', roots: [], links: { '/a': { kind: 'bogus', target: null, fileId: null } } }))).toThrow(
      expect.objectContaining({ code: 'LT_BAD_BASELINE' }),
    );
  });
});

describe('unreadable entries', () => {
  /** POSIX backend whose listing of some folders fails, as EACCES would for a non-root user (tests run as root). */
  class Denying extends PosixBackend {
    constructor(private readonly denied: Set<string>) {
      super();
    }
    override readdir(p: string): DirEntry[] {
      if (this.denied.has(p)) throw new LinkToolsError('LT_ACCESS_DENIED', 'Access is denied. (EACCES)', p, { osCode: 'EACCES' });
      return super.readdir(p);
    }
  }
  /** A backend where an entry vanishes between the listing and its lstat. */
  class Vanishing extends PosixBackend {
    constructor(private readonly gone: string) {
      super();
    }
    override readdir(p: string): DirEntry[] {
      const r = super.readdir(p);
      if (p === path.dirname(this.gone)) fs.rmSync(this.gone, { force: true });
      return r;
    }
  }

  it('a folder that cannot be listed is one unreadable finding; the audit goes on', () => {
    const t = tempDir();
    fs.mkdirSync(path.join(t, 'secret'));
    fs.symlinkSync('missing', path.join(t, 'secret', 'hidden'));
    fs.symlinkSync('missing', path.join(t, 'visible'));
    const r = audit([t], {}, { platform: new RoutingPlatform(new Denying(new Set([path.join(t, 'secret')])) as Backend, []) });
    expect(pairs(r.streamed, t)).toEqual(['broken-target visible', 'unreadable secret']);
    expect(r.streamed.find((f) => f.rule === 'unreadable')!.details).toMatchObject({ operation: 'list', code: 'LT_ACCESS_DENIED', osCode: 'EACCES' });
    expect(r.summary.exitCode).toBe(3); // incomplete: what lies in that folder was not audited
    expect(r.errors).toEqual([]);
  });

  it('an entry that vanishes mid-scan is an unreadable finding, never a crash', () => {
    const t = tempDir();
    fs.symlinkSync('x', path.join(t, 'gone'));
    fs.symlinkSync('x', path.join(t, 'kept'));
    const r = audit([t], { rule: ['unreadable'] }, { platform: new RoutingPlatform(new Vanishing(path.join(t, 'gone')), []) });
    expect(pairs(r.streamed, t)).toEqual(['unreadable gone']);
    expect(r.streamed[0]!.details).toMatchObject({ operation: 'stat', code: 'LT_NOT_FOUND' });
  });
});
