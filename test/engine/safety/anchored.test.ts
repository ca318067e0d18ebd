/**
 * The handle-anchored operations of the posix backend (engine/src/platform/posix/anchored.ts), with
 * the attacker's move injected at the exact moment between check and act (a spy on the libc call
 * runs the swap first), so each window is hit deterministically, not by luck.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLink } from '../../../engine/src/core/create.js';
import { removeLink } from '../../../engine/src/core/remove.js';
import { PosixBackend } from '../../../engine/src/platform/posix/backend.js';
import { anchoredAvailable, openParent } from '../../../engine/src/platform/posix/anchored.js';
import { AT_FDCWD, libc, libcUnavailableReason, RENAME_EXCHANGE } from '../../../engine/src/platform/posix/libc.js';
import { RoutingPlatform } from '../../../engine/src/platform/index.js';
import { codeOf } from '../helpers/errors.js';
import { announceSkip, tempLeftovers } from './harness.js';

const reason = anchoredAvailable() ? null : libcUnavailableReason();
if (reason) announceSkip('test/engine/safety/anchored.test.ts', `the anchored calls are unavailable: ${reason}`);

const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');
const realRename = libc.renameat2;
/** The attacker's move: exchange two paths (as exchange.c does). */
const swap = (a: string, b: string) => realRename(AT_FDCWD, Buffer.from(a), AT_FDCWD, Buffer.from(b), RENAME_EXCHANGE);

describe.skipIf(reason !== null)('posix backend: handle-anchored operations', () => {
  let base: string;
  let n = 0;
  const platform = new RoutingPlatform(new PosixBackend(), []);
  const b = platform.defaultBackend;
  /** A fresh folder with a real file `file` and a symlink `link` -> file. */
  const fresh = (mode = 0o755) => {
    const d = path.join(base, `t${n++}`);
    fs.mkdirSync(d);
    fs.chmodSync(d, mode);
    fs.writeFileSync(path.join(d, 'file'), `real data ${d}`);
    fs.symlinkSync('file', path.join(d, 'link'));
    return { d, file: path.join(d, 'file'), link: path.join(d, 'link'), hash: sha(path.join(d, 'file')), ino: fs.lstatSync(path.join(d, 'file')).ino };
  };

  beforeAll(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lt-anchored-')));
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());

  it('statx identity is the same fileId the backend reports (Node lstat)', () => {
    const t = fresh();
    const a = openParent(t.link);
    try {
      expect(libc.fstatat(a.dirfd, a.name).fileId).toBe(b.lstat(t.link).fileId);
    } finally {
      a.close();
    }
  });

  it('remove: a real file swapped in between the check and the removal is put back, not deleted', () => {
    const t = fresh();
    let injected = false;
    vi.spyOn(libc, 'renameat2').mockImplementation((...args) => {
      if (!injected) {
        injected = true;
        swap(t.link, t.file); // after removeLink's checks, just before it moves the entry aside
      }
      return realRename(...args);
    });
    expect(codeOf(() => removeLink(platform, t.link))).toBe('LT_NOT_A_LINK');
    expect(injected).toBe(true);
    expect(fs.lstatSync(t.link).isFile()).toBe(true); // the real file, under the name the attacker gave it
    expect(fs.lstatSync(t.link).ino).toBe(t.ino);
    expect(sha(t.link)).toBe(t.hash);
    expect(fs.lstatSync(t.file).isSymbolicLink()).toBe(true);
    expect(tempLeftovers(t.d)).toEqual([]);
  });

  it('remove: a link checked by the caller but replaced by another link is not removed (LT_BUSY)', () => {
    const t = fresh();
    const st = b.lstat(t.link);
    const data = b.readLink(t.link, st);
    fs.symlinkSync('elsewhere', path.join(t.d, 'other')); // made while the old one exists: another inode
    fs.renameSync(path.join(t.d, 'other'), t.link);
    expect(codeOf(() => b.removeLink(t.link, data, st))).toBe('LT_BUSY');
    expect(fs.readlinkSync(t.link)).toBe('elsewhere');
  });

  it('create --force: a real file swapped in just before the exchange is swapped back, intact', () => {
    const t = fresh();
    let injected = false;
    vi.spyOn(libc, 'renameat2').mockImplementation((ofd, from, nfd, to, flags) => {
      if (flags === RENAME_EXCHANGE && !injected) {
        injected = true;
        swap(t.link, t.file);
      }
      return realRename(ofd, from, nfd, to, flags);
    });
    expect(codeOf(() => createLink(platform, { link: t.link, target: 'new', kind: 'symlink', targetType: 'file', force: true }))).toBe('LT_NOT_A_LINK');
    expect(injected).toBe(true);
    expect(fs.lstatSync(t.link).ino).toBe(t.ino);
    expect(sha(t.link)).toBe(t.hash);
    expect(fs.readlinkSync(t.file)).toBe('file'); // the old link, untouched
    expect(tempLeftovers(t.d)).toEqual([]);
  });

  it('create --force without RENAME_EXCHANGE (EINVAL, as on FUSE): old link moved aside, checked, replaced', () => {
    const t = fresh();
    vi.spyOn(libc, 'renameat2').mockImplementation((ofd, from, nfd, to, flags) => {
      if (flags !== 0) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
      return realRename(ofd, from, nfd, to, flags);
    });
    createLink(platform, { link: t.link, target: 'new', kind: 'symlink', targetType: 'file', force: true });
    expect(fs.readlinkSync(t.link)).toBe('new');
    expect(sha(t.file)).toBe(t.hash);
    expect(tempLeftovers(t.d)).toEqual([]);
  });

  it('create --force without RENAME_EXCHANGE: a real file swapped in before the move aside is put back', () => {
    const t = fresh();
    let injected = false;
    vi.spyOn(libc, 'renameat2').mockImplementation((ofd, from, nfd, to, flags) => {
      if (flags !== 0) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
      if (!injected) {
        injected = true;
        swap(t.link, t.file);
      }
      return realRename(ofd, from, nfd, to, flags);
    });
    expect(codeOf(() => createLink(platform, { link: t.link, target: 'new', kind: 'symlink', targetType: 'file', force: true }))).toBe('LT_NOT_A_LINK');
    expect(fs.lstatSync(t.link).ino).toBe(t.ino);
    expect(sha(t.link)).toBe(t.hash);
    expect(tempLeftovers(t.d)).toEqual([]);
  });

  /**
   * A fresh folder whose entry in `base` is exchanged with a planted link to another folder just
   * before openat(O_NOFOLLOW) of it, and exchanged back just before the fstatat that follows; `times`
   * such swaps at most (Infinity: at every open). Returns the folders and how many swaps happened.
   */
  const swapAtOpenAndCheck = (times: number) => {
    const t = fresh();
    const outside = fresh();
    const evil = path.join(base, `evil${n++}`);
    fs.symlinkSync(outside.d, evil);
    const realOpen = libc.openat;
    const realStat = libc.fstatat;
    const name = Buffer.from(path.basename(t.d));
    const state = { swaps: 0, planted: false };
    vi.spyOn(libc, 'openat').mockImplementation((fd, p, flags) => {
      if (!state.planted && state.swaps < times && Buffer.from(p).equals(name)) {
        state.planted = true;
        state.swaps++;
        swap(t.d, evil); // the link is in place for the open
      }
      return realOpen(fd, p, flags);
    });
    vi.spyOn(libc, 'fstatat').mockImplementation((fd, p) => {
      if (state.planted && Buffer.from(p).equals(name)) {
        state.planted = false;
        swap(t.d, evil); // and the folder is back for the check
      }
      return realStat(fd, p);
    });
    return { t, outside, state };
  };

  it('a folder swapped for a link and back between the open and its check is opened again, never a loop error', () => {
    // The race of Safety.Tests.ps1 at its narrowest: openat(O_NOFOLLOW) meets the planted link (ELOOP),
    // and by the fstatat that follows the real folder is back.
    const { t, outside, state } = swapAtOpenAndCheck(1);
    removeLink(platform, t.link);
    expect(state.swaps).toBe(1);
    expect(state.planted).toBe(false);
    expect(fs.existsSync(t.link)).toBe(false);
    expect(sha(t.file)).toBe(t.hash);
    expect(fs.readlinkSync(outside.link)).toBe('file'); // the folder behind the planted link is untouched
  });

  it('a folder that keeps turning into a link under the walk is LT_BUSY, and nothing is removed', () => {
    const { t, outside } = swapAtOpenAndCheck(Infinity);
    expect(codeOf(() => removeLink(platform, t.link))).toBe('LT_BUSY');
    expect(fs.readlinkSync(t.link)).toBe('file');
    expect(fs.readlinkSync(outside.link)).toBe('file');
  });

  it('a symbolic link on the folder path is followed only when no other user could have swapped it', () => {
    const open = fresh(0o777); // writable by everyone: a link in it could be another user's
    const real = fresh();
    fs.symlinkSync(real.d, path.join(open.d, 'via'));
    const viaOpen = path.join(open.d, 'via', 'link');
    expect(b.lstat(viaOpen).type).toBe('link'); // reading follows it as any path would
    let err: { code?: string; path?: string } = {};
    try {
      removeLink(platform, viaOpen);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err).toMatchObject({ code: 'LT_ACCESS_DENIED', path: viaOpen });
    expect(fs.readlinkSync(real.link)).toBe('file');

    const closed = fresh(0o755); // only root (the owner) can write it: the link in it is trusted
    fs.symlinkSync(real.d, path.join(closed.d, 'via'));
    removeLink(platform, path.join(closed.d, 'via', 'link'));
    expect(fs.existsSync(real.link)).toBe(false);
    expect(sha(real.file)).toBe(real.hash);
  });

  it('create --force of a hard link onto a name of the same file changes nothing and leaves no temporary name', () => {
    const t = fresh();
    fs.linkSync(t.file, path.join(t.d, 'hard'));
    const r = createLink(platform, { link: path.join(t.d, 'hard'), target: t.file, kind: 'hardlink', force: true });
    expect(r.kind).toBe('hardlink');
    expect(fs.lstatSync(path.join(t.d, 'hard')).ino).toBe(t.ino);
    expect(tempLeftovers(t.d)).toEqual([]);
  });

  it('an error while making the temporary link names the path the user gave, never the temporary name', () => {
    const t = fresh();
    vi.spyOn(libc, 'symlinkat').mockImplementation(() => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    });
    let err: { code?: string; path?: string; message?: string } = {};
    try {
      createLink(platform, { link: t.link, target: 'new', kind: 'symlink', targetType: 'file', force: true });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err).toMatchObject({ code: 'LT_ACCESS_DENIED', path: t.link });
    expect(err.message).not.toContain('.lt-');
    expect(fs.readlinkSync(t.link)).toBe('file');
    expect(tempLeftovers(t.d)).toEqual([]);
  });
});
