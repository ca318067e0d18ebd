/**
 * The second core (LINKTOOLS_SCAN_THREADS=2, platform/posix/dirfd-prefetch.ts): a worker thread walks
 * the subtrees the handle walk hands it and the walk takes its records in order. Whatever it reads,
 * the walk must report exactly what the one-thread walk reports: the same records in the same order,
 * the same errors, the same summary (durations aside), for scans with and without hard links, with a
 * depth limit, with the hand-off in the middle of a walk and from the first folder, for an audit
 * through the engine, and with folders the walk may not read (as nobody). The tree has names that
 * are not UTF-8, a folder that needs several getdents64 calls, a FIFO, and a chain of folders deeper
 * than the worker keeps handles open (its handles are closed and reopened by name). No handle is
 * left open after a walk.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runScan } from '../../../../engine/src/core/scan/scan.js';
import { RoutingPlatform } from '../../../../engine/src/platform/index.js';
import { prefetchedFolders } from '../../../../engine/src/platform/posix/dirfd-prefetch.js';
import { PosixBackend } from '../../../../engine/src/platform/posix/backend.js';
import { cli, engineCommand, engineEnv, ensureCli } from '../../helpers/cli.js';
import { expectValid } from '../../helpers/contract.js';
import { tempDir } from '../../helpers/tree.js';
import { handlesIn, haveDirfd, norm, threads } from './two-threads-helpers.js';

function scan(root: string, opts: { kinds?: string[]; maxDepth?: number } = {}) {
  const out: string[] = [];
  runScan(
    new RoutingPlatform(new PosixBackend(), []),
    { roots: [root], ...opts },
    { record: (r) => out.push(norm(JSON.stringify(expectValid(r)))), error: (e) => out.push(`error ${e.code} ${e.path}`) },
  );
  return out;
}

/**
 * 12 folders of 4 subfolders each holding files, links (to a file, broken, to a folder, a loop pair),
 * hard-link pairs across folders, a folder named with bytes that are not UTF-8 (with content), a FIFO,
 * an empty folder, a folder of 3,000 files (several getdents64 calls) and a 150-level chain with a
 * side folder at each level (more folders with subfolders left than the worker's 128 handles).
 */
function makeTree(): string {
  const root = path.join(tempDir('lt-2t-'), 'tree');
  const script = `set -e; mkdir "$1"; cd "$1"
    echo x > top-file; ln -s top-file top-link
    for i in $(seq 1 12); do
      for j in 1 2 3 4; do
        d=f$i/s$j; mkdir -p $d
        for k in 1 2 3; do echo $i$j$k > $d/file$k; done
        ln -s file1 $d/to-file; ln -s missing $d/broken; ln -s .. $d/up
        ln -s loop-b $d/loop-a; ln -s loop-a $d/loop-b
      done
      ln f$i/s1/file2 f$i/s4/hard-$i
    done
    mkdir "$(printf 'odd\\xff\\xfe')"; echo y > "$(printf 'odd\\xff\\xfe')/in"; ln -s "$(printf 'tgt\\xfd')" "$(printf 'odd\\xff\\xfe')/l"
    mkfifo f1/pipe; mkdir empty
    mkdir wide; (cd wide; seq -f 'w%05g' 1 3000 | xargs touch; ln -s w00001 link-in-wide; ln w00002 hard-in-wide)
    mkdir deep; cd deep; for i in $(seq 1 150); do mkdir a; ln -s x a/l$i; mkdir d; cd d; done; ln -s /etc/shadow evil; echo z > f; ln f f2`;
  execFileSync('bash', ['-c', script, 'tree', root]);
  return root;
}

beforeAll(async () => {
  await ensureCli();
});

describe.skipIf(!haveDirfd)('the walk with a second thread reports what the one-thread walk reports', () => {
  it('scan with hard links, from the first folder: same records, every folder from the worker, no handle left', () => {
    const root = makeTree();
    threads(1);
    const one = scan(root);
    expect(handlesIn(root)).toEqual([]);
    threads(2, 0);
    const before = prefetchedFolders();
    const two = scan(root);
    expect(two).toEqual(one);
    const summary = JSON.parse(one.at(-1)!);
    expect(summary).toMatchObject({ recordType: 'scanSummary', unreadable: 0 });
    // Every folder but the root came from the worker.
    expect(prefetchedFolders() - before).toBe(summary.directories - 1);
    expect(handlesIn(root)).toEqual([]);
    // What was found is what the tree holds.
    expect(one.filter((l) => l.includes('"kind":"symlink"'))).toHaveLength(Number(execFileSync('bash', ['-c', `find "$1" -type l | wc -l`, 'n', root], { encoding: 'utf8' }).trim()));
    expect(one.some((l) => l.includes('/deep/') && l.includes('/etc/shadow'))).toBe(true);
  });

  it('symlink-only scan, a depth limit, and a hand-off in the middle of the walk', () => {
    const root = makeTree();
    for (const opts of [{ kinds: ['symlink'] }, { maxDepth: 3 }, { kinds: ['symlink'], maxDepth: 1 }]) {
      threads(1);
      const one = scan(root, opts);
      threads(2, 0);
      expect(scan(root, opts)).toEqual(one);
    }
    threads(1);
    const one = scan(root);
    // After 20 folders listed here: the worker starts at 10 and takes what is pending at 20 (waiting
    // for it there if it is still starting, so a loaded machine cannot make this a one-thread walk).
    threads(2, 20);
    process.env.LINKTOOLS_SCAN_PREFETCH_WAIT = '1';
    const before = prefetchedFolders();
    expect(scan(root)).toEqual(one);
    expect(prefetchedFolders() - before).toBeGreaterThan(0);
  });

  it('two roots in one scan, and a root that is a link', () => {
    const root = makeTree();
    const roots = [path.join(root, 'f3'), path.join(root, 'deep'), path.join(root, 'top-link'), path.join(root, 'wide')];
    const run = () => {
      const out: string[] = [];
      runScan(new RoutingPlatform(new PosixBackend(), []), { roots }, { record: (r) => out.push(norm(JSON.stringify(expectValid(r)))), error: (e) => out.push(`error ${e.code} ${e.path}`) });
      return out;
    };
    threads(1);
    const one = run();
    threads(2, 0);
    expect(run()).toEqual(one);
  });

  it('audit through the engine gives the same records and exit code', () => {
    const root = makeTree();
    threads(1);
    const one = cli(['audit', root]);
    threads(2, 0);
    const two = cli(['audit', root]);
    expect(two.code).toBe(one.code);
    expect(two.stdout.split('\n').map(norm)).toEqual(one.stdout.split('\n').map(norm));
    expect(one.records.at(-1)).toMatchObject({ recordType: 'auditSummary' });
  });

  it('folders nobody may read: the same unreadable records, in the same places', (ctx) => {
    const root = makeTree();
    if (process.getuid?.() !== 0) return ctx.skip();
    // A readable path down to the tree for nobody, and three folders it may not list or enter.
    for (let p = root; p !== '/'; p = path.dirname(p)) fs.chmodSync(p, fs.statSync(p).mode | 0o005);
    execFileSync('bash', ['-c', `chmod -R a+rX "$1"; chmod 000 "$1/f2/s3" "$1/deep/d/d/d"; chmod 311 "$1/f5"`, 'p', root]);
    const { cmd, argv } = engineCommand(['scan', root]);
    const asNobody = (n: 1 | 2) => {
      threads(n, 0);
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', cmd, ...argv], { encoding: 'utf8', env: engineEnv() });
      return { code: r.status, out: r.stdout.split('\n').map(norm), err: r.stderr.split('\n').map(norm) };
    };
    const one = asNobody(1);
    if (one.code !== 0 && one.out.length <= 1) return ctx.skip(); // nobody cannot run the engine from here
    const two = asNobody(2);
    expect(two).toEqual(one);
    const summary = JSON.parse(one.out.filter(Boolean).at(-1)!);
    expect(summary.unreadable).toBe(3);
  });
});
