/**
 * Peer parity (issue 11 item 8): one fixture tree, audited by LinkTools (the real CLI) and by the
 * Debian peers `symlinks -rvs`, `find -L` and `find -xtype l`. Every dangling, looping, messy,
 * lengthy, other-filesystem and cyclic link a peer reports must be reported by LinkTools too, with
 * a rule of the same meaning. (LinkTools reports more, e.g. `dir/../dir/f` as messy-target, which
 * symlinks calls merely "relative"; that direction is not asserted.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tree.js';

function which(cmd: string): string | null {
  for (const d of (process.env.PATH ?? '').split(':')) {
    const p = path.join(d, cmd);
    if (d && fs.existsSync(p)) return p;
  }
  return null;
}

const SYMLINKS = which('symlinks');
const FIND = which('find');
const missing = [!SYMLINKS && 'symlinks (apt-get install symlinks; build/tools.sh installs it)', !FIND && 'find (findutils)'].filter(Boolean);
if (missing.length) console.warn(`\n*** SKIPPING the peer-parity test: missing ${missing.join(', ')} ***\n`);

/** What each peer category means in LinkTools rules. */
const ACCEPTED: Record<string, string[]> = {
  dangling: ['broken-target', 'link-loop'],
  looping: ['link-loop'],
  messy: ['messy-target'],
  lengthy: ['lengthy-target'],
  other_fs: ['other-filesystem'],
  cyclic: ['directory-cycle'],
};

interface PeerReport {
  peer: string;
  category: keyof typeof ACCEPTED;
  /** The link entry itself (real folder + name). */
  link: string;
  line: string;
}

/** The link entry a peer's path names: its folder as the kernel reaches it, plus the last name. */
function linkEntry(p: string): string {
  return path.join(fs.realpathSync(path.dirname(p)), path.basename(p));
}

describe.skipIf(missing.length > 0)('peer parity: symlinks -rvs, find -L, find -xtype l', () => {
  let base: string;
  let root: string;
  let shmFile: string | null = null;

  beforeAll(async () => {
    await ensureCli();
    base = tempDir();
    root = path.join(base, 'tree');
    const mk = (rel: string) => fs.mkdirSync(path.join(root, rel), { recursive: true });
    const ln = (target: string, rel: string) => fs.symlinkSync(target, path.join(root, rel));
    mk('docs/sub');
    mk('loopdir/inner');
    mk('m1');
    mk('m2');
    fs.writeFileSync(path.join(root, 'docs/f'), 'f');
    fs.writeFileSync(path.join(root, 'docs/sub/g'), 'g');
    ln('./docs/./f', 'messy-dots');
    ln('docs//f', 'messy-slashes');
    ln('docs/../docs/f', 'messy-updown');
    ln('../docs/f', 'docs/lengthy');
    ln('../../docs/sub/g', 'docs/sub/lengthy2');
    ln('missing', 'dangling');
    ln('dangling', 'dangling-chain');
    ln('self', 'self');
    ln('loop-b', 'loop-a');
    ln('loop-a', 'loop-b');
    ln('..', 'loopdir/inner/up');
    ln(root, 'docs/to-root');
    ln('../m2', 'm1/x');
    ln('../m1', 'm2/y');
    ln('docs', 'clean-dir');
    ln('docs/f', 'clean-file');
    ln('/nonexistent/absolute/target', 'abs-dangling');
    // Another file system: a file in /dev/shm (tmpfs), when that is another device here.
    if (fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').dev !== fs.statSync(base).dev) {
      const dir = fs.mkdtempSync('/dev/shm/lt-peer-');
      shmFile = path.join(dir, 'x');
      fs.writeFileSync(shmFile, 'x');
      ln(shmFile, 'other-fs');
    } else console.warn('\n*** peer parity: no /dev/shm on another device; the other_fs case is left out ***\n');
    return () => {
      if (shmFile) fs.rmSync(path.dirname(shmFile), { recursive: true, force: true });
    };
  });

  function peerReports(): PeerReport[] {
    const out: PeerReport[] = [];
    const env = { ...process.env, LC_ALL: 'C' };
    // symlinks -rvs: one line per link, "category: path -> target".
    const s = spawnSync(SYMLINKS!, ['-rvs', root], { encoding: 'utf8', env, timeout: 60_000 });
    for (const line of s.stdout.split('\n')) {
      const m = /^(dangling|messy|lengthy|other_fs):\s+(.*?) -> /.exec(line);
      if (m) out.push({ peer: 'symlinks -rvs', category: m[1] as PeerReport['category'], link: linkEntry(m[2]!), line });
    }
    // find -L: "File system loop detected; 'X' is part of the same file system loop as 'Y'" and
    // "'X': Too many levels of symbolic links".
    const q = `[\`'‘]([^'’]+)['’]`;
    const f = spawnSync(FIND!, ['-L', root], { encoding: 'utf8', env, timeout: 60_000 });
    for (const line of f.stderr.split('\n')) {
      let m = new RegExp(`File system loop detected; ${q}`).exec(line);
      if (m) out.push({ peer: 'find -L', category: 'cyclic', link: linkEntry(m[1]!), line });
      m = new RegExp(`${q}: Too many levels of symbolic links`).exec(line);
      if (m) out.push({ peer: 'find -L', category: 'looping', link: linkEntry(m[1]!), line });
    }
    // find -xtype l: links whose target is missing (or loops: reported on stderr as above).
    const x = spawnSync(FIND!, [root, '-xtype', 'l'], { encoding: 'utf8', env, timeout: 60_000 });
    for (const p of x.stdout.split('\n').filter(Boolean)) out.push({ peer: 'find -xtype l', category: 'dangling', link: linkEntry(p), line: p });
    for (const line of x.stderr.split('\n')) {
      const m = new RegExp(`${q}: Too many levels of symbolic links`).exec(line);
      if (m) out.push({ peer: 'find -xtype l', category: 'looping', link: linkEntry(m[1]!), line });
    }
    return out;
  }

  it('every link a peer flags is flagged by LinkTools with a rule of the same meaning', () => {
    const peers = peerReports();
    // The peers did see the planted cases (the test would prove nothing otherwise).
    const cats = new Set(peers.map((p) => p.category));
    for (const c of ['dangling', 'looping', 'messy', 'lengthy', 'cyclic', ...(shmFile ? ['other_fs'] : [])]) expect(cats, `a peer reported ${c}`).toContain(c);
    const r = cli(['audit', root, '--fail-on', 'never']);
    expect(r.code).toBe(0);
    const found = new Map<string, Set<string>>();
    for (const rec of r.records.filter((x) => x.recordType === 'finding')) {
      const p = rec.path as string;
      if (!found.has(p)) found.set(p, new Set());
      found.get(p)!.add(rec.rule as string);
    }
    const misses = peers
      .filter((p) => !ACCEPTED[p.category]!.some((rule) => found.get(p.link)?.has(rule)))
      .map((p) => `${p.peer} ${p.category}: ${p.line} (LinkTools: ${[...(found.get(p.link) ?? [])].join(', ') || 'nothing'})`);
    expect(misses).toEqual([]);
    // And the peers' verdicts, one by one, for the record.
    const rel = (p: string) => path.relative(root, p);
    const set = (c: string) => [...new Set(peers.filter((p) => p.category === c).map((p) => rel(p.link)))].sort();
    // find -L names m1/x/y and m2/y/x: the links m2/y and m1/x reached through each other.
    expect(set('cyclic')).toEqual(['docs/to-root', 'loopdir/inner/up', 'm1/x', 'm2/y']);
    expect(set('looping')).toEqual(['loop-a', 'loop-b', 'self']);
    expect(set('dangling')).toEqual(expect.arrayContaining(['abs-dangling', 'dangling', 'dangling-chain', 'self']));
    expect(
      peers
        .filter((p) => p.category === 'messy')
        .map((p) => rel(p.link))
        .sort(),
    ).toEqual(['messy-dots', 'messy-slashes']);
    expect(
      peers
        .filter((p) => p.category === 'lengthy')
        .map((p) => rel(p.link))
        .sort(),
    ).toEqual(['docs/lengthy', 'docs/sub/lengthy2']);
  });

  it('the clean links are clean for LinkTools too', () => {
    const r = cli(['audit', root, '--fail-on', 'never']);
    const paths = new Set(r.records.filter((x) => x.recordType === 'finding').map((x) => path.relative(root, x.path as string)));
    expect(paths.has('clean-dir')).toBe(false);
    expect(paths.has('clean-file')).toBe(false);
  });
});
