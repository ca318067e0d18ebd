/**
 * Link maintenance through the real CLI on real POSIX trees: retarget (every mode), move, ensure,
 * apply and undo. Every assertion is about what the file system holds afterwards (readlink, realpath,
 * inode, content hashes of the targets) and about what was left alone.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../../engine/src/contract/types.js';
import { cli, ensureCli } from '../helpers/cli.js';
import { build, listing, tempDir } from '../helpers/tree.js';

beforeAll(ensureCli, 120_000);

const hash = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');
/** sha256 of every regular file below root, by relative path (links are not followed). */
function hashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of listing(root)) {
    const st = fs.lstatSync(path.join(root, rel));
    if (st.isFile()) out[rel] = hash(path.join(root, rel));
  }
  return out;
}
const changes = (r: ReturnType<typeof cli>) => r.records.filter((x) => x.recordType === 'change') as unknown as Change[];

describe('retarget --replace: a share moved to a new place', () => {
  it('rebases every absolute link under the tree, dry run first, targets untouched', () => {
    const t = tempDir();
    build(t, { 'old/data/a.txt': 'A', 'old/data/sub/b.txt': 'B', 'links/deep/x': null, 'links/keep.txt': 'K' });
    fs.symlinkSync(path.join(t, 'old/data/a.txt'), path.join(t, 'links/a'));
    fs.symlinkSync(path.join(t, 'old/data/sub'), path.join(t, 'links/deep/sub'));
    fs.symlinkSync(path.join(t, 'older/x'), path.join(t, 'links/older')); // not under old/: a prefix of text only
    fs.symlinkSync('keep.txt', path.join(t, 'links/rel'));
    fs.renameSync(path.join(t, 'old'), path.join(t, 'new'));
    const before = hashes(t);

    const dry = cli(['retarget', path.join(t, 'links'), '--recurse', '--replace', `${path.join(t, 'old')}=${path.join(t, 'new')}`, '--dry-run']);
    expect(dry.code).toBe(0);
    const plan = changes(dry);
    expect(plan.map((c) => [path.relative(t, c.path), c.operation, c.newTarget, c.dryRun])).toEqual([
      ['links/a', 'retarget', path.join(t, 'new/data/a.txt'), true],
      ['links/deep/sub', 'retarget', path.join(t, 'new/data/sub'), true],
    ]);
    expect(fs.readlinkSync(path.join(t, 'links/a'))).toBe(path.join(t, 'old/data/a.txt')); // dry run changed nothing

    const run = cli(['retarget', path.join(t, 'links'), '--recurse', '--replace', `${path.join(t, 'old')}=${path.join(t, 'new')}`]);
    expect(run.code).toBe(0);
    expect(changes(run).every((c) => c.applied && c.error === null && !c.dryRun)).toBe(true);
    expect(fs.readlinkSync(path.join(t, 'links/a'))).toBe(path.join(t, 'new/data/a.txt'));
    expect(fs.readFileSync(path.join(t, 'links/a'), 'utf8')).toBe('A');
    expect(fs.readlinkSync(path.join(t, 'links/deep/sub'))).toBe(path.join(t, 'new/data/sub'));
    expect(fs.readlinkSync(path.join(t, 'links/older'))).toBe(path.join(t, 'older/x'));
    expect(fs.readlinkSync(path.join(t, 'links/rel'))).toBe('keep.txt');
    expect(hashes(t)).toEqual(before);
    expect(listing(t).filter((n) => n.includes('.lt-'))).toEqual([]); // no temporary names left
  });
});

describe('retarget --relative / --absolute', () => {
  it('makes links inside the boundary relative and never climbs out of it', () => {
    const t = tempDir();
    build(t, { 'rel/bin/tool': 'T', 'rel/lib/x': null });
    fs.symlinkSync(path.join(t, 'rel/bin/tool'), path.join(t, 'rel/lib/x/tool'));
    fs.symlinkSync('/etc/passwd', path.join(t, 'rel/lib/passwd'));
    const ino = fs.statSync(path.join(t, 'rel/lib/x/tool')).ino;
    const r = cli(['retarget', path.join(t, 'rel'), '--recurse', '--relative']);
    expect(r.code).toBe(0);
    expect(fs.readlinkSync(path.join(t, 'rel/lib/x/tool'))).toBe('../../bin/tool');
    expect(fs.statSync(path.join(t, 'rel/lib/x/tool')).ino).toBe(ino);
    expect(fs.readlinkSync(path.join(t, 'rel/lib/passwd'))).toBe('/etc/passwd');
    const passwd = changes(r).find((c) => c.path.endsWith('passwd'))!;
    expect(passwd).toMatchObject({ operation: 'none', applied: false });
    expect(passwd.reason).toMatch(/outside the boundary/);
    // The relocatable tree still works after being copied elsewhere.
    const copy = path.join(tempDir(), 'copy');
    fs.cpSync(path.join(t, 'rel'), copy, { recursive: true, verbatimSymlinks: true });
    expect(fs.realpathSync(path.join(copy, 'lib/x/tool'))).toBe(path.join(copy, 'bin/tool'));
  });

  it('--boundary widens what may be made relative; --absolute converts back', () => {
    const t = tempDir();
    build(t, { 'shared/f': 'F', 'app/x': null });
    fs.symlinkSync(path.join(t, 'shared/f'), path.join(t, 'app/x/f'));
    const inside = cli(['retarget', path.join(t, 'app'), '--recurse', '--relative']);
    expect(changes(inside)[0]).toMatchObject({ operation: 'none' });
    const wide = cli(['retarget', path.join(t, 'app'), '--recurse', '--relative', '--boundary', t]);
    expect(wide.code).toBe(0);
    expect(fs.readlinkSync(path.join(t, 'app/x/f'))).toBe('../../shared/f');
    const abs = cli(['retarget', path.join(t, 'app/x/f'), '--absolute']);
    expect(abs.code).toBe(0);
    expect(fs.readlinkSync(path.join(t, 'app/x/f'))).toBe(path.join(t, 'shared/f'));
  });
});

describe('retarget --tidy', () => {
  it('removes ./, // and needless .. detours, only where the result reaches the same file', () => {
    const t = tempDir();
    build(t, { 'dir/f': 'F', 'real/x/y': 'Y', 'w/sub': null, y: 'wrong y' });
    fs.symlinkSync('./dir/./f', path.join(t, 'messy1'));
    fs.symlinkSync('dir//f', path.join(t, 'messy2'));
    fs.symlinkSync('dir/../dir/f', path.join(t, 'messy3'));
    fs.symlinkSync('../../w/sub/../../dir/f', path.join(t, 'w/sub/lengthy'));
    fs.symlinkSync(path.join(t, 'real/x'), path.join(t, 'lnk')); // lnk -> real/x
    fs.symlinkSync('lnk/../y', path.join(t, 'trap')); // the kernel opens real/y... which does not exist
    fs.symlinkSync('lnk/../x/y', path.join(t, 'trap2')); // real/x/y; a lexical tidy would say x/y (wrong)
    const r = cli(['retarget', t, '--recurse', '--tidy']);
    expect(r.code).toBe(0);
    expect(fs.readlinkSync(path.join(t, 'messy1'))).toBe('dir/f');
    expect(fs.readlinkSync(path.join(t, 'messy2'))).toBe('dir/f');
    expect(fs.readlinkSync(path.join(t, 'messy3'))).toBe('dir/f');
    expect(fs.readlinkSync(path.join(t, 'w/sub/lengthy'))).toBe('../../dir/f');
    expect(fs.readlinkSync(path.join(t, 'trap'))).toBe('lnk/../y');
    expect(fs.readlinkSync(path.join(t, 'trap2'))).toBe('lnk/../x/y');
    expect(fs.readFileSync(path.join(t, 'trap2'), 'utf8')).toBe('Y');
    const second = cli(['retarget', t, '--recurse', '--tidy']);
    expect(changes(second).filter((c) => c.operation !== 'none')).toEqual([]);
  });
});

describe('retarget: bad input changes nothing', () => {
  it('refuses no mode, two modes, --to for many links, bad --replace', () => {
    const t = tempDir();
    build(t, { a: 'A' });
    fs.symlinkSync('a', path.join(t, 'l1'));
    fs.symlinkSync('a', path.join(t, 'l2'));
    for (const args of [
      ['retarget', path.join(t, 'l1')],
      ['retarget', path.join(t, 'l1'), '--tidy', '--absolute'],
      ['retarget', path.join(t, 'l1'), path.join(t, 'l2'), '--to', 'b'],
      ['retarget', path.join(t, 'l1'), '--replace', 'noequals'],
      ['retarget', path.join(t, 'l1'), '--absolute', '--boundary', t],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.errors[0]?.code).toBe('LT_INVALID_ARGUMENT');
    }
    const notLink = cli(['retarget', path.join(t, 'a'), '--to', 'x']);
    expect(notLink.code).toBe(3);
    expect(notLink.errors[0]?.code).toBe('LT_NOT_A_LINK');
    expect(fs.readlinkSync(path.join(t, 'l1'))).toBe('a');
    expect(fs.readFileSync(path.join(t, 'a'), 'utf8')).toBe('A');
  });

  it('--to keeps the kind and changes just that link', () => {
    const t = tempDir();
    build(t, { a: 'A', b: 'B' });
    fs.symlinkSync('a', path.join(t, 'l'));
    const r = cli(['retarget', path.join(t, 'l'), '--to', 'b']);
    expect(r.code).toBe(0);
    expect(changes(r)[0]).toMatchObject({ operation: 'retarget', kind: 'symlink', oldTarget: 'a', newTarget: 'b', applied: true });
    expect(fs.readlinkSync(path.join(t, 'l'))).toBe('b');
  });
});

describe('move: the link moves, never its target', () => {
  it('rebases a relative target, keeps an absolute one, and leaves targets as they were', () => {
    const t = tempDir();
    build(t, { 'data/big/f1': '1', 'data/big/f2': '2', 'a/b': null, dest: null });
    fs.symlinkSync('../data/big', path.join(t, 'a/rel'));
    fs.symlinkSync(path.join(t, 'data/big'), path.join(t, 'a/abs'));
    const before = hashes(t);
    const ino = fs.statSync(path.join(t, 'data/big')).ino;
    const r1 = cli(['move', path.join(t, 'a/rel'), path.join(t, 'a/b/rel2')]);
    expect(r1.code).toBe(0);
    expect(changes(r1)[0]).toMatchObject({ operation: 'move', oldTarget: '../data/big', newTarget: '../../data/big', applied: true });
    expect(fs.readlinkSync(path.join(t, 'a/b/rel2'))).toBe('../../data/big');
    expect(fs.statSync(path.join(t, 'a/b/rel2')).ino).toBe(ino);
    expect(fs.existsSync(path.join(t, 'a/rel'))).toBe(false);
    const r2 = cli(['move', path.join(t, 'a/abs'), path.join(t, 'dest')]); // into an existing folder
    expect(r2.code).toBe(0);
    expect(fs.readlinkSync(path.join(t, 'dest/abs'))).toBe(path.join(t, 'data/big'));
    expect(hashes(t)).toEqual(before);
    expect(fs.readdirSync(path.join(t, 'data/big')).sort()).toEqual(['f1', 'f2']);
  });

  it('moves a hard-link name (same inode) and refuses real files and occupied destinations', () => {
    const t = tempDir();
    build(t, { f: 'F', other: 'O', sub: null });
    fs.linkSync(path.join(t, 'f'), path.join(t, 'h'));
    const ino = fs.statSync(path.join(t, 'f')).ino;
    const r = cli(['move', path.join(t, 'h'), path.join(t, 'sub/h')]);
    expect(r.code).toBe(0);
    expect(fs.statSync(path.join(t, 'sub/h')).ino).toBe(ino);
    expect(fs.statSync(path.join(t, 'f')).nlink).toBe(2);
    expect(fs.existsSync(path.join(t, 'h'))).toBe(false);
    const real = cli(['move', path.join(t, 'other'), path.join(t, 'o2')]);
    expect(real.errors[0]?.code).toBe('LT_NOT_A_LINK');
    fs.symlinkSync('f', path.join(t, 'l'));
    const busy = cli(['move', path.join(t, 'l'), path.join(t, 'other')]);
    expect(busy.errors[0]?.code).toBe('LT_EXISTS');
    expect(fs.readFileSync(path.join(t, 'other'), 'utf8')).toBe('O');
    expect(fs.readlinkSync(path.join(t, 'l'))).toBe('f');
  });
});

describe('targets whose names hold a backslash (one POSIX file name, not a Windows path)', () => {
  it('move rebases them, retarget --absolute/--relative round-trips them, --tidy leaves them', () => {
    const t = tempDir();
    build(t, { 'a\\b': 'AB', 'x\\..\\y': 'XY', y: 'Y', sub: null, deep: null });
    fs.symlinkSync('../a\\b', path.join(t, 'sub/l'));
    fs.symlinkSync('x\\..\\y', path.join(t, 'tidy'));
    const before = hashes(t);

    const mv = cli(['move', path.join(t, 'sub/l'), path.join(t, 'deep/l2')]);
    expect(mv.code, mv.stdout).toBe(0);
    expect(fs.readlinkSync(path.join(t, 'deep/l2'))).toBe('../a\\b');
    expect(fs.readFileSync(path.join(t, 'deep/l2'), 'utf8')).toBe('AB');

    expect(cli(['retarget', path.join(t, 'deep/l2'), '--absolute']).code).toBe(0);
    expect(fs.readlinkSync(path.join(t, 'deep/l2'))).toBe(path.join(t, 'a\\b'));
    expect(cli(['retarget', path.join(t, 'deep/l2'), '--relative', '--boundary', t]).code).toBe(0);
    expect(fs.readlinkSync(path.join(t, 'deep/l2'))).toBe('../a\\b');

    const tidy = cli(['retarget', path.join(t, 'tidy'), '--tidy']);
    expect(tidy.code).toBe(0);
    expect(changes(tidy).map((c) => c.operation)).toEqual(['none']);
    expect(fs.readlinkSync(path.join(t, 'tidy'))).toBe('x\\..\\y');
    expect(fs.readFileSync(path.join(t, 'tidy'), 'utf8')).toBe('XY');
    expect(hashes(t)).toEqual(before);
  });
});

describe('ensure: a declared layout', () => {
  function manifest(dir: string, links: object[]): string {
    const p = path.join(dir, 'links.json');
    fs.writeFileSync(p, JSON.stringify({ version: 1, links }));
    return p;
  }

  it('creates missing links, retargets wrong ones, then holds (second run: only none)', () => {
    const t = tempDir();
    build(t, { 'conf/app.conf': 'C', 'conf/old.conf': 'O', 'releases/v1/bin': 'v1', 'releases/v2/bin': 'v2', etc: null });
    fs.symlinkSync('releases/v1', path.join(t, 'current'));
    const m = manifest(t, [
      { path: 'current', target: 'releases/v2', kind: 'symlink' },
      { path: 'etc/app.conf', target: '../conf/app.conf', kind: 'symlink' },
      { path: 'etc/hard.conf', target: '../conf/app.conf', kind: 'hardlink' },
    ]);
    const check1 = cli(['ensure', m, '--check']);
    expect(check1.code).toBe(1);
    expect(fs.readlinkSync(path.join(t, 'current'))).toBe('releases/v1'); // --check changed nothing
    const r = cli(['ensure', m]);
    expect(r.code).toBe(0);
    expect(changes(r).map((c) => [path.relative(t, c.path), c.operation])).toEqual([
      ['current', 'retarget'],
      ['etc/app.conf', 'create'],
      ['etc/hard.conf', 'create'],
    ]);
    expect(fs.readlinkSync(path.join(t, 'current'))).toBe('releases/v2');
    expect(fs.readlinkSync(path.join(t, 'etc/app.conf'))).toBe('../conf/app.conf');
    expect(fs.statSync(path.join(t, 'etc/hard.conf')).ino).toBe(fs.statSync(path.join(t, 'conf/app.conf')).ino);
    const again = cli(['ensure', m]);
    expect(again.code).toBe(0);
    expect(changes(again).map((c) => c.operation)).toEqual(['none', 'none', 'none']);
    expect(cli(['ensure', m, '--check']).code).toBe(0);
  });

  it('never replaces a real file; replaces a wrong link only when allowed', () => {
    const t = tempDir();
    build(t, { target: null, 'real.txt': 'REAL', f: 'F' });
    fs.symlinkSync('f', path.join(t, 'wrongkind'));
    const m = manifest(t, [
      { path: 'real.txt', target: 'target', kind: 'symlink' },
      { path: 'wrongkind', target: 'target', kind: 'symlink', targetType: 'directory' },
    ]);
    const r = cli(['ensure', m]);
    expect(r.code).toBe(3);
    expect(r.errors.map((e) => [path.basename(String(e.path)), e.code])).toEqual([['real.txt', 'LT_EXISTS']]);
    expect(fs.readFileSync(path.join(t, 'real.txt'), 'utf8')).toBe('REAL');
    // A POSIX symlink has no fixed type, so the same-kind link with a wrong target is retargeted.
    expect(fs.readlinkSync(path.join(t, 'wrongkind'))).toBe('target');
  });

  it('reads a manifest from stdin with --base (the module passes .psd1 manifests this way)', () => {
    const t = tempDir();
    build(t, { a: 'A' });
    const body = JSON.stringify({ links: [{ path: 'l', target: 'a', kind: 'symlink' }] });
    expect(cli(['ensure', '--stdin'], { input: body }).errors[0]?.code).toBe('LT_INVALID_ARGUMENT');
    expect(cli(['ensure', path.join(t, 'x.json'), '--stdin', '--base', t], { input: body }).errors[0]?.code).toBe('LT_INVALID_ARGUMENT');
    const r = cli(['ensure', '--stdin', '--base', t], { input: body });
    expect(r.code).toBe(0);
    expect(fs.readlinkSync(path.join(t, 'l'))).toBe('a');
  });

  it('audit --manifest reports drift from the manifest as manifest-drift findings', () => {
    const t = tempDir();
    build(t, { 'releases/v1/x': '1', 'releases/v2/x': '2', 'real.txt': 'R' });
    fs.symlinkSync('releases/v1', path.join(t, 'current'));
    const m = manifest(t, [
      { path: 'current', target: 'releases/v2', kind: 'symlink' },
      { path: 'missing', target: 'releases/v2', kind: 'symlink' },
      { path: 'real.txt', target: 'releases/v2', kind: 'symlink' },
    ]);
    const r = cli(['audit', t, '--manifest', m, '--fail-on', 'warning']);
    expect(r.code).toBe(1);
    const drift = r.records.filter((x) => x.recordType === 'finding' && x['rule'] === 'manifest-drift') as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any -- finding records of any shape
    expect(drift.map((f) => [path.basename(f.path), f.details.operation]).sort()).toEqual([
      ['current', 'retarget'],
      ['missing', 'create'],
      ['real.txt', 'blocked'],
    ]);
    expect(drift.find((f) => f.path.endsWith('current'))!.details).toMatchObject({ expected: 'releases/v2', found: 'releases/v1' });
    expect(fs.readlinkSync(path.join(t, 'current'))).toBe('releases/v1'); // the audit changes nothing
    expect(cli(['audit', t]).records.some((x) => x['rule'] === 'manifest-drift')).toBe(false); // opt-in
    fs.writeFileSync(m, JSON.stringify({ links: [{ path: 'current', target: 'releases/v1', kind: 'symlink' }] }));
    expect(cli(['audit', t, '--manifest', m]).records.some((x) => x['rule'] === 'manifest-drift')).toBe(false);
    const bad = cli(['audit', t, '--manifest', path.join(t, 'real.txt')]);
    expect(bad.code).toBe(2);
    expect(bad.errors[0]?.code).toBe('LT_BAD_MANIFEST');
  });

  it('audit --manifest-base: relative link paths of a manifest kept elsewhere start from the given folder', () => {
    const t = tempDir();
    const elsewhere = tempDir();
    build(t, { 'releases/v1/x': '1', 'releases/v2/x': '2' });
    fs.symlinkSync('releases/v1', path.join(t, 'current'));
    const m = manifest(elsewhere, [{ path: 'current', target: 'releases/v2', kind: 'symlink' }]);
    const drift = (r: ReturnType<typeof cli>) =>
      r.records.filter((x) => x.recordType === 'finding' && x['rule'] === 'manifest-drift').map((x) => [String(x['path']), (x['details'] as Record<string, unknown>)['operation']]);
    // Taken from the manifest's own folder, the link is missing there; from --manifest-base it is the one of the tree.
    expect(drift(cli(['audit', t, '--manifest', m]))).toEqual([[path.join(elsewhere, 'current'), 'create']]);
    expect(drift(cli(['audit', t, '--manifest', m, '--manifest-base', t]))).toEqual([[path.join(t, 'current'), 'retarget']]);
    const lone = cli(['audit', t, '--manifest-base', t]);
    expect(lone.code).toBe(2);
    expect(lone.errors[0]?.code).toBe('LT_INVALID_ARGUMENT');
  });

  it('refuses a manifest that does not validate, and changes nothing', () => {
    const t = tempDir();
    build(t, { a: 'A' });
    for (const body of ['{"links":[{"path":"x","kind":"symlink"}]}', '{"links":[{"path":"x","target":"a","kind":"shortcut"}]}', 'not json', '{"links":[],"extra":1}']) {
      const m = path.join(t, 'bad.json');
      fs.writeFileSync(m, body);
      const r = cli(['ensure', m]);
      expect(r.code, body).toBe(2);
      expect(r.errors[0]?.code).toBe('LT_BAD_MANIFEST');
    }
    expect(listing(t)).toEqual(['a', 'bad.json']);
  });
});

describe('journal and undo', () => {
  it('undo reverses a whole run newest first, and refuses items that changed since', () => {
    const t = tempDir();
    build(t, { 'old/a': 'A', 'old/b': 'B', 'new/a': 'A2', 'new/b': 'B2', l: null });
    fs.symlinkSync(path.join(t, 'old/a'), path.join(t, 'l/a'));
    fs.symlinkSync(path.join(t, 'old/b'), path.join(t, 'l/b'));
    const journal = path.join(t, 'changes.jnl');
    const r = cli(['retarget', path.join(t, 'l'), '--recurse', '--replace', `${path.join(t, 'old')}=${path.join(t, 'new')}`, '--journal', journal]);
    expect(r.code).toBe(0);
    const lines = fs
      .readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.recordType)).toEqual(['journalHeader', 'change', 'change']);
    expect(lines[0]).toMatchObject({ tool: 'linktools', host: os.hostname(), roots: [path.join(t, 'l')] });
    expect(fs.statSync(journal).mode & 0o777).toBe(0o600);
    // Someone changes l/b by hand: undo must not touch it.
    fs.unlinkSync(path.join(t, 'l/b'));
    fs.symlinkSync('elsewhere', path.join(t, 'l/b'));
    const u = cli(['undo', '--journal', journal]);
    expect(u.code).toBe(3);
    const done = changes(u);
    expect(done.map((c) => [path.basename(c.path), c.applied, c.error?.code ?? null])).toEqual([
      ['b', false, 'LT_TREE_CHANGED'],
      ['a', true, null],
    ]);
    expect(fs.readlinkSync(path.join(t, 'l/a'))).toBe(path.join(t, 'old/a'));
    expect(fs.readlinkSync(path.join(t, 'l/b'))).toBe('elsewhere');
  });

  it('undo of ensure removes created links and restores replaced ones; a partly failed run replays', () => {
    const t = tempDir();
    build(t, { a: 'A', b: 'B', blocker: 'REAL' });
    fs.symlinkSync('a', path.join(t, 'wrong'));
    const m = path.join(t, 'm.json');
    fs.writeFileSync(
      m,
      JSON.stringify({
        links: [
          { path: 'new1', target: 'a', kind: 'symlink' },
          { path: 'blocker', target: 'a', kind: 'symlink' },
          { path: 'wrong', target: 'b', kind: 'symlink' },
          { path: 'missing-dir/x', target: 'a', kind: 'symlink' },
        ],
      }),
    );
    const journal = path.join(t, 'j');
    const r = cli(['ensure', m, '--journal', journal]);
    expect(r.code).toBe(3); // two entries failed, the others were applied
    expect(r.errors.map((e) => e.code).sort()).toEqual(['LT_EXISTS', 'LT_NOT_FOUND']);
    expect(fs.readlinkSync(path.join(t, 'new1'))).toBe('a');
    expect(fs.readlinkSync(path.join(t, 'wrong'))).toBe('b');
    const u = cli(['undo', '--journal', journal]);
    expect(u.code).toBe(0);
    expect(fs.existsSync(path.join(t, 'new1'))).toBe(false);
    expect(fs.readlinkSync(path.join(t, 'wrong'))).toBe('a');
    expect(fs.readFileSync(path.join(t, 'blocker'), 'utf8')).toBe('REAL');
    // A second undo finds every item changed and refuses each one.
    const again = cli(['undo', '--journal', journal]);
    expect(changes(again).every((c) => c.error?.code === 'LT_TREE_CHANGED')).toBe(true);
  });

  it('refuses a journal from another machine, or one that is not a journal, before changing anything', () => {
    const t = tempDir();
    build(t, { a: 'A', b: 'B' });
    fs.symlinkSync('a', path.join(t, 'l'));
    const journal = path.join(t, 'j');
    expect(cli(['retarget', path.join(t, 'l'), '--to', 'b', '--journal', journal]).code).toBe(0);
    const text = fs.readFileSync(journal, 'utf8').replace(`"host":${JSON.stringify(os.hostname())}`, '"host":"some-other-host"');
    fs.writeFileSync(journal, text);
    const r = cli(['undo', '--journal', journal]);
    expect(r.code).toBe(2);
    expect(r.errors[0]?.code).toBe('LT_JOURNAL_MISMATCH');
    expect(fs.readlinkSync(path.join(t, 'l'))).toBe('b');
    fs.writeFileSync(path.join(t, 'notes.txt'), 'hello\n');
    const bad = cli(['undo', '--journal', path.join(t, 'notes.txt')]);
    expect(bad.errors[0]?.code).toBe('LT_BAD_JOURNAL');
    // and --journal never appends to a file that is not a journal
    const app = cli(['retarget', path.join(t, 'l'), '--to', 'a', '--journal', path.join(t, 'notes.txt')]);
    expect(app.errors[0]?.code).toBe('LT_BAD_JOURNAL');
    expect(fs.readlinkSync(path.join(t, 'l'))).toBe('b');
    expect(fs.readFileSync(path.join(t, 'notes.txt'), 'utf8')).toBe('hello\n');
  });
});

describe('apply --stdin: a filtered plan', () => {
  it('applies only the change records it is given, each checked against the tree', () => {
    const t = tempDir();
    build(t, { a: 'A', b: 'B' });
    fs.symlinkSync(path.join(t, 'a'), path.join(t, 'l1'));
    fs.symlinkSync(path.join(t, 'a'), path.join(t, 'l2'));
    const plan = changes(cli(['retarget', t, '--recurse', '--relative', '--dry-run']));
    expect(plan).toHaveLength(2);
    const chosen = plan.filter((c) => c.path.endsWith('l2'));
    const r = cli(['apply', '--stdin'], { input: chosen.map((c, i) => JSON.stringify({ ...c, id: i + 1 })).join('\n') + '\n' });
    expect(r.code).toBe(0);
    expect(changes(r)[0]).toMatchObject({ requestId: 1, applied: true });
    expect(fs.readlinkSync(path.join(t, 'l2'))).toBe('a');
    expect(fs.readlinkSync(path.join(t, 'l1'))).toBe(path.join(t, 'a'));
    const stale = cli(['apply', '--stdin'], { input: JSON.stringify(chosen[0]) + '\n' }); // already applied
    expect(changes(stale)[0].error?.code).toBe('LT_TREE_CHANGED');
    const bad = cli(['apply', '--stdin'], { input: '{"recordType":"change","operation":"explode"}\n' });
    expect(bad.errors[0]?.code).toBe('LT_BAD_REQUEST');
  });
});
