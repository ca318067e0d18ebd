/**
 * scan with the POSIX link counter on its worker thread (forced from the first file; a real scan
 * starts it only after thousands of files): the same records in the same order as the synchronous
 * walk, hard-link groups equal to GNU find's, answers in the order asked, files that vanish.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { platformOnly } from '../../helpers/capability.js';
import { describe, expect, it } from 'vitest';
import type { LinkInfo, ScanSummary } from '../../../../engine/src/contract/types.js';
import { runScan } from '../../../../engine/src/core/scan/scan.js';
import { RoutingPlatform } from '../../../../engine/src/platform/index.js';
import { PosixBackend } from '../../../../engine/src/platform/posix/backend.js';
import { linkCountSync, PosixLinkCounter } from '../../../../engine/src/platform/posix/link-counts.js';
import type { LinkCountSink, Platform } from '../../../../engine/src/platform/types.js';
import { expectValid } from '../../helpers/contract.js';
import { tempDir } from '../../helpers/tree.js';

/** The POSIX backend whose counters use the worker from the first file (counters kept to check that). */
class ThreadedPosix extends PosixBackend {
  readonly made: PosixLinkCounter[] = [];
  override linkCounter(onCount: LinkCountSink) {
    const c = new PosixLinkCounter(onCount, 0);
    expect(c.startNow()).toBe(true);
    this.made.push(c);
    return c;
  }
}

/** The POSIX backend without a link counter: the walk lstat's every file itself, in order. */
function noCounterPosix(): PosixBackend {
  const b = new PosixBackend();
  Object.defineProperty(b, 'linkCounter', { value: undefined });
  return b;
}

/** ~6,000 files in nested folders, every 50th with a second name elsewhere, a few symlinks. */
function tree(): string {
  const root = path.join(tempDir(), 'root');
  let n = 0;
  for (let a = 0; a < 12; a++) fs.mkdirSync(path.join(root, `a${a}`), { recursive: true });
  for (let a = 0; a < 12; a++) {
    for (let b = 0; b < 5; b++) {
      const d = path.join(root, `a${a}`, `b${b}`);
      fs.mkdirSync(d, { recursive: true });
      for (let f = 0; f < 100; f++, n++) {
        const p = path.join(d, `f${f}`);
        fs.writeFileSync(p, '');
        if (n % 50 === 0) fs.linkSync(p, path.join(root, `a${(a + 1) % 12}`, `h${n}`));
      }
      fs.symlinkSync('f0', path.join(d, 'to-f0'));
      fs.symlinkSync('nowhere', path.join(d, 'broken'));
    }
  }
  return root;
}

function scanWith(platform: Platform, root: string) {
  const recs: (LinkInfo | ScanSummary)[] = [];
  const errors: string[] = [];
  runScan(platform, { roots: [root] }, { record: (r) => recs.push(expectValid(r)), error: (e) => errors.push(e.code) });
  const summary = recs.pop() as ScanSummary;
  return { recs: recs as LinkInfo[], summary: { ...summary, durationMs: 0 }, errors };
}

describe.skipIf(platformOnly('posix', 'link-counter.test.ts'))('scan with the link counter on a worker thread', () => {
  it('emits the same records in the same order as the synchronous walk, and finds what GNU find finds', () => {
    const root = tree();
    const tb = new ThreadedPosix();
    const threaded = scanWith(new RoutingPlatform(tb, []), root);
    expect(tb.made).toHaveLength(1);
    expect(tb.made[0]!.answeredByWorker).toBeGreaterThan(0); // the calling thread may take the last batches
    const plain = scanWith(new RoutingPlatform(noCounterPosix(), []), root);
    expect(threaded.recs).toEqual(plain.recs);
    expect(threaded.summary).toEqual(plain.summary);
    expect(threaded.errors).toEqual([]);
    expect(threaded.summary.hardLinkGroups).toBe(6000 / 50);
    expect(threaded.summary.byKind).toEqual({ symlink: 120, hardlink: 240 });
    let findGroups: number | null = null;
    try {
      findGroups = new Set(execFileSync('find', [root, '-type', 'f', '-links', '+1', '-printf', '%i\n'], { encoding: 'utf8' }).split('\n').filter(Boolean)).size;
    } catch {
      console.log('GNU find is not available: the comparison with find is skipped');
    }
    if (findGroups !== null) expect(threaded.summary.hardLinkGroups).toBe(findGroups);
  });

  it('answers in the order asked, undefined for what is gone or not a file', () => {
    const root = tree();
    const paths: string[] = [];
    for (let r = 0; r < 4; r++) for (let a = 0; a < 12; a++) for (let b = 0; b < 5; b++) for (let f = 0; f < 100; f++) paths.push(path.join(root, `a${a}`, `b${b}`, `f${f}`));
    paths.splice(10, 0, path.join(root, 'missing'), path.join(root, 'a0'), path.join(root, 'a0', 'b0', 'to-f0'));
    fs.rmSync(paths[500]!);
    const got: [string, number | undefined][] = [];
    const c = new PosixLinkCounter((p, n) => got.push([p, n]), 0);
    expect(c.startNow()).toBe(true);
    for (const p of paths) c.ask(p);
    c.close();
    expect(c.answeredByWorker).toBeGreaterThan(0);
    expect(got.map((g) => g[0])).toEqual(paths);
    expect(got.map((g) => g[1])).toEqual(paths.map((p) => linkCountSync(p)));
    expect(got[10]![1]).toBeUndefined();
    expect(got[11]![1]).toBeUndefined();
    expect(got[12]![1]).toBeUndefined();
    expect(got[500]![1]).toBeUndefined();
    expect(got.filter((g) => g[1] === 2)).toHaveLength(4 * 120); // each hard-linked file, asked 4 times
  });
});
