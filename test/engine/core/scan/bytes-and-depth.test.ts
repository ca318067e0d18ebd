/**
 * The directory-handle walk (platform/posix/dirfd-walk.ts) on what path calls get wrong:
 * - names that are not valid UTF-8 (made with Buffer paths): listed, stat'ed and read exactly,
 *   reported in the reversible escaped form of platform/pathbytes.ts, including whole subtrees below
 *   such a folder, and `audit --fail-on error` fails on `evil\xff -> /etc/shadow`;
 * - a tree deeper than PATH_MAX (4096 bytes): links and hard links below it are found and audited.
 * Each check is made against the file system itself (lstat/readlink by the exact bytes).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkInfo, ScanSummary } from '../../../../engine/src/contract/types.js';
import { runScan } from '../../../../engine/src/core/scan/scan.js';
import { RoutingPlatform } from '../../../../engine/src/platform/index.js';
import { nameToBytes } from '../../../../engine/src/platform/pathbytes.js';
import { PosixBackend } from '../../../../engine/src/platform/posix/backend.js';
import { cli, ensureCli } from '../../helpers/cli.js';
import { expectValid } from '../../helpers/contract.js';
import { tempDir } from '../../helpers/tree.js';

const linux = process.platform === 'linux';
if (!linux) console.log('skipped: directory-handle walking is implemented for Linux only');
const dirfd = linux ? new PosixBackend().dirWalker() : null;
if (linux && !dirfd) console.log('skipped: koffi could not load libc here, so the walk falls back to path calls');

/** Join a directory (string) and a name given as raw bytes into a Buffer path. */
function bpath(dir: string | Buffer, ...names: (string | Buffer)[]): Buffer {
  let out = Buffer.isBuffer(dir) ? dir : Buffer.from(dir);
  for (const n of names) out = Buffer.concat([out, Buffer.from('/'), Buffer.isBuffer(n) ? n : Buffer.from(n)]);
  return out;
}

function scan(root: string, kinds?: string[]) {
  const recs: (LinkInfo | ScanSummary)[] = [];
  const errors: { code: string; path?: string }[] = [];
  runScan(new RoutingPlatform(new PosixBackend(), []), { roots: [root], kinds }, { record: (r) => recs.push(expectValid(r)), error: (e) => errors.push({ code: e.code, path: e.path }) });
  const summary = recs.pop() as ScanSummary;
  return { links: recs as LinkInfo[], summary, errors };
}

beforeAll(async () => {
  await ensureCli();
});

describe.skipIf(!dirfd)('names that are not valid UTF-8', () => {
  /**
   * t/evil\xff -> /etc/shadow, t/tgt\xfe (file) with t/to-tgt -> tgt\xfe, t/d\xfe\xfd/ holding
   * inner -> ../tgt\xfe, a file with a second name h\xff, and a subfolder sub/ with deep -> x.
   */
  function evilTree() {
    const t = path.join(tempDir(), 't');
    fs.mkdirSync(t);
    const evil = Buffer.from([0x65, 0x76, 0x69, 0x6c, 0xff]); // "evil\xff"
    const tgt = Buffer.from([0x74, 0x67, 0x74, 0xfe]); // "tgt\xfe"
    const dir = Buffer.from([0x64, 0xfe, 0xfd]); // "d\xfe\xfd"
    fs.symlinkSync('/etc/shadow', bpath(t, evil));
    fs.writeFileSync(bpath(t, tgt), 'x');
    fs.symlinkSync(Buffer.concat([tgt]), bpath(t, 'to-tgt'));
    fs.mkdirSync(bpath(t, dir));
    fs.symlinkSync(Buffer.concat([Buffer.from('../'), tgt]), bpath(t, dir, 'inner'));
    fs.writeFileSync(bpath(t, dir, 'f'), 'y');
    fs.linkSync(bpath(t, dir, 'f'), bpath(t, dir, Buffer.from([0x68, 0xff])));
    fs.mkdirSync(bpath(t, dir, 'sub'));
    fs.symlinkSync('x', bpath(t, dir, 'sub', 'deep'));
    return {
      t,
      esc: (b: Buffer) =>
        path.join(
          t,
          b.toString('latin1').replace(/[\x80-\xff]/g, (c) => String.fromCharCode(0xdc00 + c.charCodeAt(0))),
        ),
    };
  }

  it('scan lists every link and hard-link name, escaped, including the subtree of such a folder', () => {
    const { t } = evilTree();
    const r = scan(t);
    expect(r.errors).toEqual([]);
    const byPath = new Map(r.links.map((l) => [l.path, l]));
    const evilP = `${t}/evil\udcff`;
    const innerP = `${t}/d\udcfe\udcfd/inner`;
    const deepP = `${t}/d\udcfe\udcfd/sub/deep`;
    const hP = `${t}/d\udcfe\udcfd/h\udcff`;
    const fP = `${t}/d\udcfe\udcfd/f`;
    expect([...byPath.keys()].sort()).toEqual([evilP, innerP, hP, fP, deepP, `${t}/to-tgt`].sort());
    expect(byPath.get(evilP)).toMatchObject({ kind: 'symlink', target: '/etc/shadow' });
    expect(byPath.get(`${t}/to-tgt`)).toMatchObject({ kind: 'symlink', target: 'tgt\udcfe' });
    expect(byPath.get(innerP)).toMatchObject({ kind: 'symlink', target: '../tgt\udcfe' });
    expect(byPath.get(hP)).toMatchObject({ kind: 'hardlink', linkCount: 2, hardLinkNames: [fP] });
    // Every reported path names the entry on disk when turned back into bytes.
    for (const l of r.links) {
      const st = fs.lstatSync(nameToBytes(l.path), { bigint: true });
      expect(`${st.dev}:${st.ino}`).toBe(l.fileId);
      if (l.kind === 'symlink') expect(bytesEq(fs.readlinkSync(nameToBytes(l.path), 'buffer'), nameToBytes(l.target!))).toBe(true);
    }
    expect(r.summary).toMatchObject({ links: 6, hardLinkGroups: 1, unreadable: 0, directories: 3 });
    // JSON carries the escape as \udcff (JSON.stringify of a lone surrogate), which parses back to the same string.
    expect(JSON.stringify(byPath.get(evilP)!.path)).toContain('\\udcff');
    expect(JSON.parse(JSON.stringify(byPath.get(evilP)!.path))).toBe(evilP);
  });

  it('audit --fail-on error fails on evil\\xff -> /etc/shadow and names it exactly', () => {
    const { t } = evilTree();
    const r = cli(['audit', t, '--fail-on', 'error']);
    const findings = r.records.filter((x) => x.recordType === 'finding') as unknown as { rule: string; severity: string; path: string }[];
    const onEvil = findings.filter((f) => f.path === `${t}/evil\udcff`);
    expect(onEvil.map((f) => f.rule)).toContain('sensitive-target');
    expect(onEvil.find((f) => f.rule === 'sensitive-target')!.severity).toBe('error');
    expect(findings.filter((f) => f.rule === 'unreadable')).toEqual([]);
    expect(r.code).toBe(1);
    // The subtree of d\xfe\xfd is audited: its dangling link is found.
    expect(findings.some((f) => f.path === `${t}/d\udcfe\udcfd/sub/deep` && f.rule === 'broken-target')).toBe(true);
  });

  it('scan through the CLI prints the escaped form, and --kind symlink lists only links', () => {
    const { t } = evilTree();
    const r = cli(['scan', t, '--kind', 'symlink']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('evil\\udcff');
    const paths = r.records.filter((x) => x.recordType === 'linkInfo').map((x) => x.path as string);
    expect(paths.sort()).toEqual([`${t}/d\udcfe\udcfd/inner`, `${t}/d\udcfe\udcfd/sub/deep`, `${t}/evil\udcff`, `${t}/to-tgt`].sort());
  });
});

function bytesEq(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.equals(b);
}

describe.skipIf(!dirfd)('a tree deeper than PATH_MAX', () => {
  const made: string[] = [];
  afterAll(() => {
    // Node's rmSync works by path and stops at PATH_MAX; rm -rf walks by handle.
    for (const d of made) execFileSync('rm', ['-rf', d]);
  });

  /**
   * 110 nested folders of 40-byte names (> 4500 bytes; more levels than the walker keeps handles open,
   * so handles are closed and reopened on the way: each level also has a folder `a` with a link in it,
   * walked after the levels below), with links and a hard-link pair at the bottom.
   */
  function deepTree() {
    const base = fs.mkdtempSync('/tmp/lt-deep-');
    made.push(base);
    const seg = 'd'.repeat(39);
    const script = `set -e; cd "$1"; mkdir top; cd top; for i in $(seq 1 110); do mkdir a; ln -s x a/l$i; mkdir ${seg}$((i % 10)); cd ${seg}$((i % 10)); done; ln -s /etc/shadow evil; ln -s missing broken; echo x > f; ln f f2; mkdir last; ln -s ../f last/up`;
    execFileSync('bash', ['-c', script, 'deep', base]);
    const root = path.join(base, 'top');
    let bottom = root;
    for (let i = 1; i <= 110; i++) bottom += `/${seg}${i % 10}`;
    return { root, bottom };
  }

  it('scan finds the links and hard links below 4096 bytes of path', () => {
    const { root, bottom } = deepTree();
    expect(bottom.length).toBeGreaterThan(4096);
    const r = scan(root);
    expect(r.errors).toEqual([]);
    expect(r.summary.unreadable).toBe(0);
    expect(r.summary.directories).toBe(222);
    const side = r.links.filter((l) => /\/a\/l\d+$/.test(l.path));
    expect(side).toHaveLength(110);
    for (const l of side) expect(l).toMatchObject({ kind: 'symlink', target: 'x' });
    const got = r.links
      .filter((l) => !side.includes(l))
      .map((l) => [l.path.slice(bottom.length), l.kind, l.target])
      .sort();
    expect(got).toEqual(
      [
        ['/broken', 'symlink', 'missing'],
        ['/evil', 'symlink', '/etc/shadow'],
        ['/f', 'hardlink', null],
        ['/f2', 'hardlink', null],
        ['/last/up', 'symlink', '../f'],
      ].sort(),
    );
    // What find (which walks by handle too) lists is what scan lists.
    const found = execFileSync('find', [root, '-type', 'l'], { encoding: 'utf8', maxBuffer: 1 << 24 })
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(
      r.links
        .filter((l) => l.kind === 'symlink')
        .map((l) => l.path)
        .sort(),
    ).toEqual(found);
  });

  it('a deep chain entered last from its folder: every level reopened, no false "replaced" error', () => {
    // The root's first name is walked last; once it is entered the root has nothing left to enter.
    // Folders evicted on the way down are reopened on the way up from their parents, so the root
    // must still be reachable (it was once closed without being remembered: LT_UNREADABLE
    // "it was replaced during the walk" for a tree nobody touched).
    const base = fs.mkdtempSync('/tmp/lt-deep-');
    made.push(base);
    execFileSync('bash', ['-c', 'set -e; cd "$1"; mkdir b c; ln -s x b/l; mkdir a-deep; cd a-deep; for i in $(seq 1 130); do mkdir a; ln -s x a/l$i; mkdir d; cd d; done', 'deep', base]);
    const r = scan(base);
    expect(r.errors).toEqual([]);
    expect(r.summary.unreadable).toBe(0);
    expect(r.summary.directories).toBe(1 + 2 + 1 + 130 * 2);
    expect(r.links.filter((l) => /\/a\/l\d+$/.test(l.path))).toHaveLength(130);
  });

  it('audit of the deep tree reports the deep sensitive link and fails with --fail-on error', () => {
    const { root, bottom } = deepTree();
    const r = cli(['audit', root, '--fail-on', 'error', '--rule', 'sensitive-target', '--rule', 'unreadable']);
    const findings = r.records.filter((x) => x.recordType === 'finding') as unknown as { rule: string; path: string }[];
    expect(findings.filter((f) => f.rule === 'unreadable')).toEqual([]);
    expect(findings.some((f) => f.path === `${bottom}/evil` && f.rule === 'sensitive-target')).toBe(true);
    expect(r.code).toBe(1);
    const summary = r.records.at(-1)!;
    expect(summary).toMatchObject({ recordType: 'auditSummary', links: 115 });
  });
});
