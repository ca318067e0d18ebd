/**
 * Creating, replacing and removing links on an ntfs-3g mount through the core, the CLI bundle and the
 * packaged executable; then the image is unmounted and every result is read back with ntfsinfo and
 * ntfscat, which read the on-disk format without the FUSE driver.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLink } from '../../../../engine/src/core/create.js';
import { inspect } from '../../../../engine/src/core/info.js';
import { removeLink } from '../../../../engine/src/core/remove.js';
import { createPlatform } from '../../../../engine/src/platform/index.js';
import { anchoredAvailable } from '../../../../engine/src/platform/posix/anchored.js';
import { libc } from '../../../../engine/src/platform/posix/libc.js';
import type { LinkInfo } from '../../../../engine/src/contract/types.js';
import { expectValid } from '../../helpers/contract.js';
import { cli, ensureCli } from '../../helpers/cli.js';
import { handJunction, makeImage, ntfsUnavailable, readNames, setReparse, type NtfsImage } from './image.js';
import { requireOrSkip } from '../../helpers/capability.js';

const reason = ntfsUnavailable();
const skip = requireOrSkip('ntfs', reason === null ? null : `NTFS image tests cannot run: ${reason}`, 'test/engine/platform/ntfs3g/create.test.ts');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const exe = process.env.LINKTOOLS_TEST_EXE || path.join(root, 'dist/bin/linux-x64/linktools');
function exeUnusable(): string | null {
  if (!fs.existsSync(exe)) return `${exe} does not exist (run npm run build)`;
  if (process.env.LINKTOOLS_TEST_EXE) return null; // the test driver has just built it
  // A local run with an executable older than this backend would test old code: say so instead.
  const src = path.join(root, 'engine/src/platform/ntfs3g');
  const newest = Math.max(...fs.readdirSync(src).map((f) => fs.statSync(path.join(src, f)).mtimeMs));
  return fs.statSync(exe).mtimeMs < newest ? `${exe} is older than engine/src/platform/ntfs3g (run npm run build)` : null;
}
const exeReason = exeUnusable();
const skipExe = skip || requireOrSkip('engine-exe', exeReason, 'packaged-executable part of create.test.ts');

const JUNCTION = 0xa0000003;
const SYMLINK = 0xa000000c;

type OnDisk = { tag: number; sub: string; print: string; flags?: number; dir: boolean } | null;

describe.skipIf(skip)('ntfs3g backend: creating genuine reparse points', () => {
  let im: NtfsImage;
  const platform = createPlatform();
  const at = (rel: string) => path.join(im.mnt, rel);
  const info = (rel: string): LinkInfo => expectValid(inspect(platform, at(rel)));
  const create = (rel: string, target: string, kind: 'junction' | 'symlink' | 'hardlink', extra: { targetType?: 'file' | 'directory'; force?: boolean } = {}) =>
    expectValid(createLink(platform, { link: at(rel), target, kind, ...extra }));
  const dataListing = () => fs.readdirSync(at('data'), { recursive: true }).map(String).sort();

  beforeAll(async () => {
    im = await makeImage();
    await ensureCli();
    fs.mkdirSync(at('data/sub'), { recursive: true });
    fs.writeFileSync(at('data/file.txt'), 'content');
    fs.writeFileSync(at('data/sub/inner.txt'), 'inner');
    fs.mkdirSync(at('links'));
    fs.mkdirSync(at('other'));
  });

  afterAll(async () => {
    await im?.cleanup();
  });

  /**
   * What the image holds once unmounted, read with ntfsinfo and ntfscat (not through the engine):
   * each test checks its own links this way, then the image is mounted again for the next test.
   * `want`: Windows path -> expected reparse facts (null = must not exist).
   */
  async function expectOnDisk(want: Record<string, OnDisk>): Promise<void> {
    await im.unmount();
    try {
      for (const [win, w] of Object.entries(want)) {
        if (w === null) {
          expect(() => im.ntfsinfo(win), `${win} should be gone`).toThrow();
          continue;
        }
        const out = im.ntfsinfo(win);
        const tag = /Reparse tag:\s+0x([0-9a-f]+)/i.exec(out);
        expect(tag, `${win}: ntfsinfo shows a $REPARSE_POINT`).not.toBeNull();
        expect(parseInt(tag![1]!, 16), win).toBe(w.tag);
        expect(out).toMatch(/File attributes:.*REPARSE_POINT/);
        // Directories have an $I30 index; file symlinks do not.
        expect(/\$INDEX_ROOT/.test(out), `${win} is ${w.dir ? 'a directory' : 'a file'}`).toBe(w.dir);
        const names = readNames(im.reparseAttr(win));
        expect(names, win).toEqual({ tag: w.tag, substituteName: w.sub, printName: w.print, flags: w.flags ?? null });
      }
      // the targets are intact on disk
      expect(im.ntfsinfo('/data/sub/inner.txt')).toMatch(/Dumping Inode/);
      expect(im.ntfsinfo('/data/file.txt')).toMatch(/Dumping Inode/);
    } finally {
      await im.mount();
    }
  }

  it('creates a junction: absolute \\??\\C:\\ substitute name, C:\\ print name, a directory', async () => {
    const r = create('links/junction', at('data'), 'junction');
    expect(r).toMatchObject({ kind: 'junction', target: 'C:\\data', resolvedTarget: at('data'), targetExists: true, targetType: 'directory', backend: 'ntfs3g' });
    expect(r.reparse).toMatchObject({ tag: JUNCTION, substituteName: '\\??\\C:\\data', printName: 'C:\\data', isVolumeMountPoint: false });
    expect(fs.readdirSync(at('links/junction'))).toEqual(['file.txt', 'sub']); // the kernel follows it too
    await expectOnDisk({
      '/links/junction': { tag: JUNCTION, sub: '\\??\\C:\\data', print: 'C:\\data', dir: true },
    });
  });

  it('creates a relative directory symlink: relative flag, backslashes, DIRECTORY attribute', async () => {
    const r = create('links/dirlink', '../data/sub', 'symlink');
    expect(r).toMatchObject({ kind: 'symlink', target: '..\\data\\sub', isRelative: true, targetType: 'directory', resolvedTarget: at('data/sub'), targetExists: true });
    expect(r.reparse).toMatchObject({ tag: SYMLINK, relative: true, flags: 1, substituteName: '..\\data\\sub', printName: '..\\data\\sub' });
    await expectOnDisk({
      '/links/dirlink': { tag: SYMLINK, sub: '..\\data\\sub', print: '..\\data\\sub', flags: 1, dir: true },
    });
  });

  it('creates an absolute file symlink from a path on the mount', async () => {
    const r = create('links/filelink', at('data/file.txt'), 'symlink');
    expect(r).toMatchObject({ kind: 'symlink', target: 'C:\\data\\file.txt', isRelative: false, targetType: 'file', targetExists: true });
    expect(r.reparse).toMatchObject({ relative: false, flags: 0, substituteName: '\\??\\C:\\data\\file.txt' });
    expect(fs.readFileSync(at('links/filelink'), 'utf8')).toBe('content');
    await expectOnDisk({
      '/links/filelink': { tag: SYMLINK, sub: '\\??\\C:\\data\\file.txt', print: 'C:\\data\\file.txt', flags: 0, dir: false },
    });
  });

  it('creates a dangling symlink of the declared type (--target-type)', async () => {
    const r = create('links/later', 'not-yet', 'symlink', { targetType: 'directory' });
    expect(r).toMatchObject({ kind: 'symlink', targetType: 'directory', targetExists: false, resolvedTarget: at('links/not-yet') });
    await expectOnDisk({
      '/links/later': { tag: SYMLINK, sub: 'not-yet', print: 'not-yet', flags: 1, dir: true },
    });
  });

  it('creates hard links with link(2)', () => {
    const r = create('links/hard.txt', at('data/file.txt'), 'hardlink');
    expect(r).toMatchObject({ kind: 'hardlink', linkCount: 2, reparse: null });
    expect(info('data/file.txt').linkCount).toBe(2);
  });

  it('refuses targets that NTFS cannot store, and writes nothing', () => {
    expect(() => create('links/bad', im.dir, 'junction')).toThrow(expect.objectContaining({ code: 'LT_INVALID_ARGUMENT' }));
    expect(() => create('links/bad', '/etc/hostname', 'symlink')).toThrow(expect.objectContaining({ code: 'LT_INVALID_ARGUMENT' }));
    expect(fs.existsSync(at('links/bad'))).toBe(false);
  });

  it('--force replaces a junction with a junction (old aside, new in, old removed) and keeps the target', async () => {
    create('links/swap', at('data'), 'junction');
    const r = create('links/swap', at('data/sub'), 'junction', { force: true });
    expect(r).toMatchObject({ kind: 'junction', target: 'C:\\data\\sub', resolvedTarget: at('data/sub') });
    expect(fs.readdirSync(at('links')).filter((n) => n.includes('.lt-'))).toEqual([]);
    expect(dataListing()).toEqual(['file.txt', 'sub', 'sub/inner.txt']);
    await expectOnDisk({
      '/links/swap': { tag: JUNCTION, sub: '\\??\\C:\\data\\sub', print: 'C:\\data\\sub', dir: true },
    });
  });

  it('--force puts the old junction back when the new one cannot be renamed into place', async () => {
    create('links/restore', at('data'), 'junction');
    // The backend renames through the anchored libc calls (plain renameat2 with flags 0: ntfs-3g
    // has no RENAME_EXCHANGE / RENAME_NOREPLACE), or through fs.renameSync without FFI.
    const anchored = anchoredAvailable();
    const real = anchored ? libc.renameat2 : fs.renameSync;
    let calls = 0;
    const spy = anchored
      ? vi.spyOn(libc, 'renameat2').mockImplementation((ofd, from, nfd, to, flags) => {
          if (flags === 0 && ++calls === 2) throw Object.assign(new Error('EACCES: injected'), { code: 'EACCES' }); // new -> place
          return (real as typeof libc.renameat2)(ofd, from, nfd, to, flags);
        })
      : vi.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
          if (++calls === 2) throw Object.assign(new Error('EACCES: injected'), { code: 'EACCES' }); // new -> place
          return (real as typeof fs.renameSync)(from, to);
        });
    try {
      expect(() => create('links/restore', at('data/sub'), 'junction', { force: true })).toThrow(expect.objectContaining({ code: 'LT_ACCESS_DENIED' }));
    } finally {
      spy.mockRestore();
    }
    expect(calls).toBe(3); // aside, (failed) into place, back
    expect(info('links/restore')).toMatchObject({ kind: 'junction', target: 'C:\\data' });
    expect(fs.readdirSync(at('links')).filter((n) => n.includes('.lt-'))).toEqual([]);
    expect(dataListing()).toEqual(['file.txt', 'sub', 'sub/inner.txt']);
    await expectOnDisk({
      '/links/restore': { tag: JUNCTION, sub: '\\??\\C:\\data', print: 'C:\\data', dir: true },
    });
  });

  it('--force replaces a directory symlink with a file symlink, and refuses a real folder', async () => {
    create('links/swap2', '../data', 'symlink');
    const r = create('links/swap2', '../data/file.txt', 'symlink', { force: true });
    expect(r).toMatchObject({ kind: 'symlink', targetType: 'file', target: '..\\data\\file.txt' });
    expect(() => create('other', at('data'), 'junction', { force: true })).toThrow(expect.objectContaining({ code: 'LT_EXISTS' }));
    expect(fs.readdirSync(at('links')).filter((n) => n.includes('.lt-'))).toEqual([]);
    await expectOnDisk({
      '/links/swap2': { tag: SYMLINK, sub: '..\\data\\file.txt', print: '..\\data\\file.txt', flags: 1, dir: false },
    });
  });

  it('remove deletes only the reparse point: the target keeps every file', async () => {
    create('links/gone-j', at('data'), 'junction');
    create('links/gone-d', '../data', 'symlink');
    create('links/gone-f', '../data/file.txt', 'symlink');
    const before = dataListing();
    for (const [rel, kind] of [
      ['links/gone-j', 'junction'],
      ['links/gone-d', 'symlink'],
      ['links/gone-f', 'symlink'],
    ] as const) {
      const r = expectValid(removeLink(platform, at(rel)));
      expect(r).toMatchObject({ kind, path: at(rel) });
      expect(fs.existsSync(at(rel))).toBe(false);
    }
    expect(dataListing()).toEqual(before);
    expect(fs.readFileSync(at('data/sub/inner.txt'), 'utf8')).toBe('inner');
    await expectOnDisk({ '/links/gone-j': null, '/links/gone-d': null, '/links/gone-f': null });
  });

  it('remove refuses a junction whose own folder holds entries, and removes nothing', () => {
    fs.mkdirSync(at('links/stuffed'));
    fs.writeFileSync(at('links/stuffed/hidden.txt'), 'mine');
    setReparse(at('links/stuffed'), handJunction('\\??\\C:\\data', 'C:\\data'));
    expect(info('links/stuffed').kind).toBe('junction');
    expect(() => removeLink(platform, at('links/stuffed'))).toThrow(expect.objectContaining({ code: 'LT_NOT_EMPTY' }));
    expect(info('links/stuffed').kind).toBe('junction');
    expect(dataListing()).toEqual(['file.txt', 'sub', 'sub/inner.txt']);
  });

  it('works through the CLI bundle: create, info, remove', async () => {
    const c = cli(['create', '--kind', 'junction', at('links/cli-j'), at('data')]);
    expect(c.errors).toEqual([]);
    expect(c.records[0]).toMatchObject({ kind: 'junction', backend: 'ntfs3g', reparse: { substituteName: '\\??\\C:\\data' } });
    const s = cli(['create', '--kind', 'symlink', '--target-type', 'file', at('links/cli-f'), '..\\data\\file.txt']);
    expect(s.records[0]).toMatchObject({ kind: 'symlink', targetType: 'file', targetExists: true, reparse: { relative: true } });
    const i = cli(['info', at('links/cli-j'), at('links/cli-f')]);
    expect(i.code).toBe(0);
    expect(i.records.map((r) => r.kind)).toEqual(['junction', 'symlink']);
    const t = cli(['create', '--kind', 'junction', at('links/cli-tmp'), at('data')]);
    expect(t.code).toBe(0);
    const r = cli(['remove', at('links/cli-tmp')]);
    expect(r.code).toBe(0);
    expect(dataListing()).toEqual(['file.txt', 'sub', 'sub/inner.txt']);
    await expectOnDisk({
      '/links/cli-j': { tag: JUNCTION, sub: '\\??\\C:\\data', print: 'C:\\data', dir: true },
      '/links/cli-f': { tag: SYMLINK, sub: '..\\data\\file.txt', print: '..\\data\\file.txt', flags: 1, dir: false },
    });
  });

  it('honours --ntfs-drive and LINKTOOLS_NTFS_DRIVE in the CLI, and rejects a bad value', async () => {
    const c = cli(['--ntfs-drive', 'E:', 'create', '--kind', 'junction', at('links/cli-e'), at('data')]);
    expect(c.errors).toEqual([]);
    expect(c.records[0]).toMatchObject({ target: 'E:\\data', resolvedTarget: at('data'), reparse: { substituteName: '\\??\\E:\\data' } });
    // read back as C: the E: junction is on another drive, so it does not resolve here
    expect(cli(['info', at('links/cli-e')]).records[0]).toMatchObject({ resolvedTarget: null });
    process.env.LINKTOOLS_NTFS_DRIVE = `E:=${im.mnt}`;
    try {
      expect(cli(['info', at('links/cli-e')]).records[0]).toMatchObject({ resolvedTarget: at('data') });
    } finally {
      delete process.env.LINKTOOLS_NTFS_DRIVE;
    }
    const bad = cli(['--ntfs-drive', 'EE', 'info', at('links/cli-e')]);
    expect(bad.code).toBe(2);
    expect(bad.errors[0]).toMatchObject({ code: 'LT_INVALID_ARGUMENT' });
    await expectOnDisk({
      '/links/cli-e': { tag: JUNCTION, sub: '\\??\\E:\\data', print: 'E:\\data', dir: true },
    });
  });

  it.skipIf(skipExe)('works inside the packaged executable (koffi inside pkg): info and create --kind junction', async () => {
    const run = (args: string[]) => {
      const r = spawnSync(exe, args, { encoding: 'utf8' });
      const recs = r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => expectValid(JSON.parse(l)));
      return { code: r.status, recs, stderr: r.stderr };
    };
    const c = run(['create', '--kind', 'junction', at('links/exe-j'), at('data/sub')]);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    expect(c.recs[0]).toMatchObject({ kind: 'junction', backend: 'ntfs3g', target: 'C:\\data\\sub', reparse: { tag: JUNCTION } });
    const f = run(['create', '--kind', 'symlink', at('links/exe-f'), at('data/file.txt')]);
    expect(f.code).toBe(0);
    const i = run(['info', at('links/exe-j'), at('links/exe-f')]);
    expect(i.code).toBe(0);
    expect(i.recs.map((r) => [r.kind, r.backend, r.targetExists])).toEqual([
      ['junction', 'ntfs3g', true],
      ['symlink', 'ntfs3g', true],
    ]);
    await expectOnDisk({
      '/links/exe-j': { tag: JUNCTION, sub: '\\??\\C:\\data\\sub', print: 'C:\\data\\sub', dir: true },
      '/links/exe-f': { tag: SYMLINK, sub: '\\??\\C:\\data\\file.txt', print: 'C:\\data\\file.txt', flags: 0, dir: false },
    });
  });
});
