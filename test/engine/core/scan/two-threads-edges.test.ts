/**
 * The second core (LINKTOOLS_SCAN_THREADS=2) on trees at the edges of what a walk holds, each
 * checked against the one-thread walk and against the tree itself:
 * - a chain of 20,000 folders (every folder stays live while a subfolder is: the walk must not
 *   recurse once per level when the chain finishes, on either thread);
 * - one folder of 100,000 links (the worker must hold a folder that large, as the walk does, and
 *   the walk must not take the long listing for a worker that stopped answering);
 * - folders swapped for links to outside the tree, or removed, while the walk runs (when it reports
 *   its first link). Deterministic with two threads too: the worker stops when 32 chunks of 64
 *   folders are unread, so 3,000 folders walked before the swapped ones keep it from reaching them;
 *   neither thread may follow a swapped folder out of the tree;
 * - as nobody, through the engine: folders it may list but not enter (r--), enter but not list
 *   (--x), neither, inside and below a 150-level chain (handles reopened by name as nobody).
 * No handle on the tree is left open after a walk.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runScan } from '../../../../engine/src/core/scan/scan.js';
import { RoutingPlatform } from '../../../../engine/src/platform/index.js';
import { prefetchedFolders } from '../../../../engine/src/platform/posix/dirfd-prefetch.js';
import { PosixBackend } from '../../../../engine/src/platform/posix/backend.js';
import { engineCommand, engineEnv, ensureCli } from '../../helpers/cli.js';
import { expectValid } from '../../helpers/contract.js';
import { tempDir } from '../../helpers/tree.js';
import { handlesIn, haveDirfd, norm, threads } from './two-threads-helpers.js';

/** Records as JSON lines, errors as `error CODE PATH`, and what the walk threw (if it threw). */
function scan(roots: string[], opts: { kinds?: string[]; maxDepth?: number } = {}): string[] {
  const out: string[] = [];
  try {
    runScan(
      new RoutingPlatform(new PosixBackend(), []),
      { roots, ...opts },
      { record: (r) => out.push(norm(JSON.stringify(expectValid(r)))), error: (e) => out.push(`error ${e.code} ${e.path} ${e.message}`) },
    );
  } catch (e) {
    out.push(`threw ${String(e).slice(0, 200)}`);
  }
  return out;
}

/**
 * Let the test process answer vitest between long synchronous steps: a walk blocks the event loop,
 * and a test that blocks it for minutes in one go makes vitest's worker RPC time out.
 */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const run = promisify(execFile);

function summaryOf(out: string[]): Record<string, unknown> {
  const last = out.at(-1) ?? '';
  expect(last.startsWith('{'), `the walk ended with: ${last.slice(0, 300)}`).toBe(true);
  return JSON.parse(last);
}

describe.skipIf(!haveDirfd)('the second thread at the edges', () => {
  it('a chain of 20,000 folders: found whole, the same with one and two threads, no handle left', { timeout: 240_000 }, async () => {
    const root = path.join(tempDir('lt-2te-'), 'chain');
    fs.mkdirSync(root);
    // Below PATH_MAX only by relative steps: chdir one level at a time in a child process.
    await run(process.execPath, ['-e', `const fs=require('fs');process.chdir(process.argv[1]);for(let i=0;i<20000;i++){fs.mkdirSync('d');process.chdir('d')}fs.symlinkSync('x','bottom')`, root]);
    try {
      threads(1);
      const one = scan([root], { kinds: ['symlink'] });
      expect(handlesIn(root)).toEqual([]);
      expect(summaryOf(one)).toMatchObject({ directories: 20001, links: 1, unreadable: 0 });
      await breathe();
      threads(2, 0);
      const two = scan([root], { kinds: ['symlink'] });
      expect(two).toEqual(one);
      expect(handlesIn(root)).toEqual([]);
    } finally {
      // Deleted here (rm walks by handle): a chain this deep is too deep for a recursive cleanup.
      await run('rm', ['-rf', root]);
    }
  });

  it('a folder of 100,000 links: every link with two threads as with one, no handle left', { timeout: 300_000 }, async () => {
    const root = path.join(tempDir('lt-2te-'), 'wide');
    await run(process.execPath, [
      '-e',
      `const fs=require('fs');const d=process.argv[1]+'/w';fs.mkdirSync(d,{recursive:true});for(let i=0;i<100000;i++)fs.symlinkSync('t'+i,d+'/l'+String(i).padStart(6,'0'))`,
      root,
    ]);
    try {
      threads(1);
      const one = scan([root], { kinds: ['symlink'] });
      expect(summaryOf(one)).toMatchObject({ directories: 2, links: 100000, unreadable: 0 });
      await breathe();
      threads(2, 0);
      const before = prefetchedFolders();
      const two = scan([root], { kinds: ['symlink'] });
      expect(handlesIn(root)).toEqual([]);
      expect(two.length).toBe(one.length);
      expect(two).toEqual(one);
      // The folder of links came from the worker.
      expect(prefetchedFolders() - before).toBe(1);
      await breathe();
      // The walk gives up on a worker that stops answering (normally after 60 s; 500 ms here): the
      // worker lists such a folder for longer than that in one go, and is busy, not stuck.
      process.env.LINKTOOLS_PREFETCH_STALL_MS = '500';
      try {
        const three = scan([root], { kinds: ['symlink'] });
        expect(three.length).toBe(one.length);
        expect(three).toEqual(one);
      } finally {
        delete process.env.LINKTOOLS_PREFETCH_STALL_MS;
      }
    } finally {
      await run('rm', ['-rf', root]);
    }
  });

  it('folders swapped for links out of the tree or removed during the walk: never followed, the same errors with one and two threads', { timeout: 120_000 }, () => {
    const base = tempDir('lt-2te-');
    const root = path.join(base, 'tree');
    const outside = path.join(base, 'outside');
    // Walk order (the last name first): root, b (listed; its link b/a-link is the first record and
    // the swap happens then), b/zz-m (3,000 folders), b's other folders, then a-task (a folder the
    // walk hands to the worker whole, opened from the walk's handle of the root).
    execFileSync('bash', [
      '-c',
      `set -e; mkdir -p "$1" "$2/sub"; ln -s /etc/shadow "$2/secret"; ln -s y "$2/sub/secret2"
      cd "$1"; mkdir -p b/zz-m b/inner/deeper b/gone b/keep a-task; ln -s x b/a-link
      (cd b/zz-m; seq -f 'f%05g' 1 3000 | xargs mkdir); ln -s q b/inner/l; ln -s q b/inner/deeper/l; ln -s k b/keep/l; ln -s q a-task/l`,
      'mk',
      root,
      outside,
    ]);
    const swap = (): void => {
      execFileSync('bash', [
        '-c',
        `set -e; cd "$1"; mv b/inner "$3/inner.old"; ln -s "$2" b/inner; mv b/gone "$3/gone.old"; mv a-task "$3/a-task.old"; ln -s "$2/sub" a-task`,
        'swap',
        root,
        outside,
        base,
      ]);
    };
    const unswap = (): void => {
      execFileSync('bash', ['-c', `set -e; cd "$1"; rm b/inner a-task; mv "$3/inner.old" b/inner; mv "$3/gone.old" b/gone; mv "$3/a-task.old" a-task`, 'unswap', root, outside, base]);
    };
    const run = (): string[] => {
      const out: string[] = [];
      let swapped = false;
      runScan(
        new RoutingPlatform(new PosixBackend(), []),
        { roots: [root], kinds: ['symlink'] },
        {
          record: (r) => {
            if (!swapped) {
              swapped = true;
              swap();
            }
            out.push(norm(JSON.stringify(expectValid(r))));
          },
          error: (e) => out.push(`error ${e.code} ${e.path} ${e.message}`),
        },
      );
      return out;
    };
    threads(1);
    const one = run();
    expect(handlesIn(root)).toEqual([]);
    unswap();
    threads(2, 0);
    const before = prefetchedFolders();
    const two = run();
    expect(prefetchedFolders() - before).toBeGreaterThan(3000);
    expect(handlesIn(root)).toEqual([]);
    expect(two).toEqual(one);
    // Nothing from outside the tree; the swapped and removed folders are reported unreadable.
    expect(one.some((l) => l.includes('secret'))).toBe(false);
    expect(JSON.parse(one.at(-1)!)).toMatchObject({ links: 2, unreadable: 3 });
    expect(one.filter((l) => l.startsWith('error')).map((l) => l.replace(root, 'T').replace(/ cannot .*\((\w+)\)$/, ' $1'))).toEqual([
      'error LT_UNREADABLE T/b/inner ENOTDIR',
      'error LT_UNREADABLE T/b/gone ENOENT',
      'error LT_UNREADABLE T/a-task ENOTDIR',
    ]);
  });

  it('as nobody: folders that may be listed but not entered, entered but not listed, neither, below a deep chain', { timeout: 120_000 }, async (ctx) => {
    if (process.getuid?.() !== 0) return ctx.skip();
    await ensureCli();
    const root = path.join(tempDir('lt-2te-'), 'tree');
    fs.mkdirSync(root);
    for (let p = root; p !== '/'; p = path.dirname(p)) fs.chmodSync(p, fs.statSync(p).mode | 0o005);
    execFileSync('bash', [
      '-c',
      `set -e; cd "$1"; for i in $(seq 1 8); do mkdir -p w$i/s; ln -s x w$i/s/l; echo a > w$i/f; ln w$i/f w$i/h; done
      mkdir -p r-only/sub x-only/sub none/sub; for d in r-only x-only none; do ln -s x $d/l; ln -s y $d/sub/l; echo b > $d/f; ln $d/f $d/h; done
      mkdir chain; cd chain; for i in $(seq 1 150); do mkdir a d; ln -s q a/l; cd d; done; mkdir r-only x-only none; for d in r-only x-only none; do ln -s x $d/l; done
      cd "$1"; chmod -R a+rX .; find . -name r-only -exec chmod 444 {} +; find . -name x-only -exec chmod 311 {} +; find . -name none -exec chmod 000 {} +`,
      'mk',
      root,
    ]);
    const { cmd, argv } = engineCommand(['scan', root]);
    const asNobody = (n: 1 | 2, after = 0) => {
      threads(n, after);
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', cmd, ...argv], { encoding: 'utf8', env: engineEnv() });
      return { code: r.status, out: r.stdout.split('\n').map(norm), err: r.stderr.split('\n').map(norm) };
    };
    const one = asNobody(1);
    if (one.code !== 0 && one.out.length <= 1) return ctx.skip(); // nobody cannot run the engine from here
    expect(asNobody(2, 0)).toEqual(one);
    expect(asNobody(2, 5)).toEqual(one);
    const summary = JSON.parse(one.out.filter(Boolean).at(-1)!);
    // r-only: its link and files cannot be stat'ed (3 each) nor its subfolder entered; x-only: not
    // listed; none: neither (6); at the bottom of the chain each holds one link only (3).
    expect(summary.unreadable).toBe(9);
    execFileSync('chmod', ['-R', 'u+rwx', root]);
  });
});
