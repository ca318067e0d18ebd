/**
 * scan on real trees: link and hard-link-group counts equal GNU find's, links are never entered,
 * depth/include/exclude/kind filters, hard-link names, progress, and schema-valid records.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requireOrSkip } from '../../helpers/capability.js';
import { describe, expect, it } from 'vitest';
import type { LinkInfo, Progress, ScanSummary } from '../../../../engine/src/contract/types.js';
import { runScan, type ScanOptions } from '../../../../engine/src/core/scan/scan.js';
import type { LinkToolsError } from '../../../../engine/src/errors.js';
import { createPlatform } from '../../../../engine/src/platform/index.js';
import { expectValid } from '../../helpers/contract.js';
import { tempDir } from '../../helpers/tree.js';

const demo = (await import('../../../../build/make-demo-tree.mjs' as string)) as { makeDemoTree(dir: string): { root: string; outside: string } };

function scan(opts: Partial<ScanOptions> & { roots: string[] }) {
  const links: LinkInfo[] = [];
  const progress: Progress[] = [];
  const errors: { err: LinkToolsError; fatal: boolean }[] = [];
  let summary: ScanSummary | undefined;
  runScan(createPlatform(), opts, {
    record: (r) => {
      expectValid(r);
      if (r.recordType === 'scanSummary') summary = r;
      else links.push(r);
    },
    error: (err, fatal) => errors.push({ err, fatal }),
    progress: opts.progressIntervalMs ? (p) => progress.push(expectValid(p)) : undefined,
  });
  const rel = (root: string) => links.map((l) => path.relative(root, l.path)).sort();
  return { links, summary: summary!, progress, errors, rel };
}

function haveGnuFind(): boolean {
  try {
    return /GNU findutils/.test(execFileSync('find', ['--version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
}

/** A tree with links at several depths, links to folders (never entered), loops and hard links. */
function bigTree(): string {
  const t = tempDir();
  const root = path.join(t, 'root');
  for (let d = 0; d < 6; d++) {
    const dir = path.join(root, ...Array.from({ length: d }, (_, i) => `d${i}`));
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 5; f++) fs.writeFileSync(path.join(dir, `f${f}.txt`), `${d}/${f}`);
    fs.symlinkSync(`f0.txt`, path.join(dir, 'to-f0'));
    fs.symlinkSync(`nowhere${d}`, path.join(dir, 'broken'));
    fs.symlinkSync(root, path.join(dir, 'to-root')); // a directory link: reported, not entered
    fs.linkSync(path.join(dir, 'f1.txt'), path.join(dir, 'f1-hard.txt'));
    if (d > 0) fs.linkSync(path.join(root, 'f2.txt'), path.join(dir, `f2-from-root.txt`));
  }
  fs.symlinkSync('loop-b', path.join(root, 'loop-a'));
  fs.symlinkSync('loop-a', path.join(root, 'loop-b'));
  fs.writeFileSync(path.join(t, 'outside.txt'), 'o');
  fs.linkSync(path.join(t, 'outside.txt'), path.join(root, 'd0', 'inside-name.txt'));
  return root;
}

describe('scan', () => {
  it.skipIf(requireOrSkip('gnu-find', haveGnuFind() ? null : 'GNU find is missing', 'scan.test.ts'))('counts the same symlinks and hard-link groups as GNU find', () => {
    const root = bigTree();
    const r = scan({ roots: [root] });
    const findLinks = execFileSync('find', [root, '-type', 'l'], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
    const findGroups = new Set(execFileSync('find', [root, '-type', 'f', '-links', '+1', '-printf', '%i\n'], { encoding: 'utf8' }).split('\n').filter(Boolean)).size;
    expect(r.summary.byKind.symlink).toBe(findLinks);
    expect(r.summary.hardLinkGroups).toBe(findGroups);
    expect(findLinks).toBe(6 * 3 + 2);
    expect(findGroups).toBe(6 + 1 + 1);
    // And the demo tree too.
    const d = demo.makeDemoTree(path.join(tempDir(), 'demo'));
    const s = scan({ roots: [d.root] }).summary;
    expect(s.byKind.symlink).toBe(execFileSync('find', [d.root, '-type', 'l'], { encoding: 'utf8' }).split('\n').filter(Boolean).length);
    expect(s.hardLinkGroups).toBe(new Set(execFileSync('find', [d.root, '-type', 'f', '-links', '+1', '-printf', '%i\n'], { encoding: 'utf8' }).split('\n').filter(Boolean)).size);
  });

  it('reports directory links without entering them, and loops without hanging', () => {
    const root = bigTree();
    const r = scan({ roots: [root] });
    expect(r.links.filter((l) => l.path.includes(`${path.sep}to-root${path.sep}`))).toEqual([]);
    const loopA = r.links.find((l) => l.path === path.join(root, 'loop-a'))!;
    expect(loopA).toMatchObject({ kind: 'symlink', loop: true, targetExists: false });
    expect(r.summary.entries).toBe(1 + 5 /* dirs d0..d4 */ + 6 * (5 + 3 + 1) + 5 /* f2-from-root */ + 2 + 1);
    expect(r.summary.directories).toBe(6);
  });

  it('emits one hardlink record per name, with the other names found and the link count', () => {
    const root = bigTree();
    const r = scan({ roots: [root], kinds: ['hardlink'] });
    const f2 = r.links.filter((l) => l.fileId === r.links.find((x) => x.path === path.join(root, 'f2.txt'))!.fileId);
    expect(f2).toHaveLength(6);
    for (const l of f2) {
      expect(l).toMatchObject({ kind: 'hardlink', linkCount: 6, targetType: 'file' });
      expect([...l.hardLinkNames!, l.path].sort()).toEqual(f2.map((x) => x.path).sort());
    }
    const inside = r.links.find((l) => l.path.endsWith('inside-name.txt'))!;
    expect(inside).toMatchObject({ linkCount: 2, hardLinkNames: [] });
    expect(Object.keys(r.summary.byKind)).toEqual(['hardlink']);
  });

  it('--max-depth limits like find -maxdepth', () => {
    const root = bigTree();
    expect(scan({ roots: [root], maxDepth: 0 }).links).toEqual([]);
    expect(scan({ roots: [root], maxDepth: 1, kinds: ['symlink'] }).rel(root)).toEqual(['broken', 'loop-a', 'loop-b', 'to-f0', 'to-root']);
    expect(scan({ roots: [root], maxDepth: 2, kinds: ['symlink'] }).links).toHaveLength(8);
    expect(() => scan({ roots: [root], maxDepth: -1 })).toThrow(/--max-depth/);
  });

  it('--exclude prunes folders at any depth; --include picks links by glob', () => {
    const root = bigTree();
    const ex = scan({ roots: [root], exclude: ['d2'], kinds: ['symlink'] });
    expect(ex.links).toHaveLength(3 * 3 + 2); // root, d0, d1
    expect(ex.summary.directories).toBe(3);
    expect(scan({ roots: [root], include: ['broken'], kinds: ['symlink'] }).links).toHaveLength(6);
    expect(scan({ roots: [root], include: ['d0/*'], kinds: ['symlink'] }).rel(root)).toEqual(['d0/broken', 'd0/to-f0', 'd0/to-root']);
    expect(scan({ roots: [root], include: ['**/d1/**'], kinds: ['symlink'] }).links).toHaveLength(3 * 4);
    expect(() => scan({ roots: [root], include: ['[oops'] })).toThrow(/--include "\[oops": unterminated/);
  });

  it('--kind filters records and refuses unknown kinds', () => {
    const root = bigTree();
    const r = scan({ roots: [root], kinds: ['symlink'] });
    expect(new Set(r.links.map((l) => l.kind))).toEqual(new Set(['symlink']));
    expect(r.summary.hardLinkGroups).toBe(0); // files are not even stat'ed
    expect(() => scan({ roots: [root], kinds: ['shortcut'] })).toThrow(/--kind "shortcut" is not a link kind/);
  });

  it('a root that is itself a link is reported and not entered; duplicate and nested roots are walked once', () => {
    const root = bigTree();
    const t = path.dirname(root);
    fs.symlinkSync(root, path.join(t, 'root-link'));
    expect(scan({ roots: [path.join(t, 'root-link')] }).rel(t)).toEqual(['root-link']);
    const once = scan({ roots: [root], kinds: ['symlink'] }).links.length;
    expect(scan({ roots: [root, root + '/', path.join(root, 'd0')], kinds: ['symlink'] }).links).toHaveLength(once);
  });

  it('a missing root is a fatal error; other roots still scan', () => {
    const root = bigTree();
    const r = scan({ roots: [path.join(path.dirname(root), 'nope'), root], kinds: ['symlink'] });
    expect(r.errors.map((e) => [e.err.code, e.fatal])).toEqual([['LT_NOT_FOUND', true]]);
    expect(r.links.length).toBeGreaterThan(0);
  });

  it('writes progress records while walking when asked', () => {
    const t = tempDir();
    for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(t, `f${i}`), '');
    const r = scan({ roots: [t], progressIntervalMs: 0.001 });
    expect(r.progress.length).toBeGreaterThanOrEqual(2);
    expect(r.progress[0]).toMatchObject({ phase: 'scan', currentDir: t });
    expect(r.progress[1]!.entries).toBeGreaterThan(r.progress[0]!.entries);
  });
});
