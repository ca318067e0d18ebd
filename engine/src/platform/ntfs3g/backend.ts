/**
 * ntfs3g backend: real NTFS reparse points on a volume mounted by ntfs-3g (FUSE) on Linux.
 *
 * Everything that is plain POSIX (hard links, rename, readdir) goes through the POSIX backend. What
 * differs is the view of links: ntfs-3g shows every reparse point as a symbolic link whose text it
 * makes up (`/mnt/x` for a junction, `unsupported reparse tag 0x9000101A` for a cloud file), so this
 * backend reads the truth from the extended attributes `system.ntfs_reparse_data` (the raw buffer)
 * and `system.ntfs_attrib_be` (the Windows attributes), and writes genuine reparse points by setting
 * the first on a new empty file or directory.
 *
 * Every change is handle-anchored as on POSIX (../posix/anchored.ts): the folder is opened without
 * following links, the entry re-checked and acted on through it, reparse data written with
 * fsetxattr on the descriptor of what was created. ntfs-3g (FUSE) has no RENAME_EXCHANGE or
 * RENAME_NOREPLACE: replacement moves the old link aside and checks it instead (docs/safety.md).
 *
 * ntfs-3g answers `lstat` with EIO for about a second after a reparse point is set (its attribute
 * cache); every call here retries EIO with a short bounded backoff (under 2.5 s in all) before it
 * gives up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fromOsError, LinkToolsError } from '../../errors.js';
import { PosixBackend } from '../posix/backend.js';
import { anchoredAvailable, moveAsideAndAct, openParent, replaceAnchored, replaceWithNewAnchored, statAt, type Anchor } from '../posix/anchored.js';
import { AT_REMOVEDIR, libc, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_RDONLY, O_WRONLY, type Stx } from '../posix/libc.js';
import { osPath } from '../posix/link-counts.js';
import type { Backend, EntryStat, LinkData, NewLink } from '../types.js';
import { mountOf, sleepMs, type NtfsDrives, type NtfsMount } from './mounts.js';
import { readMountInfo } from '../posix/mountinfo.js';
import { resolveOn, toWindows } from './paths.js';
import { followChain, realFolderVia } from '../chain.js';
import { swapViaAside } from '../swap.js';
import { junctionBuffer, linkDataFrom, symlinkBuffer } from './reparse.js';
import { FILE_ATTRIBUTE, lgetxattr, lremovexattr, lsetxattr, XATTR_ATTRIB_BE, XATTR_REPARSE } from './xattr.js';
import { hasDriveLetter, isDriveAbsolute } from '../../ntfs/index.js';

const P = path.posix;

/** Total time spent waiting out ntfs-3g's EIO window before the error is reported. */
const EIO_BUDGET_MS = 2500;

function isEio(e: unknown): boolean {
  if (e instanceof LinkToolsError) return e.details?.osCode === 'EIO';
  return (e as { code?: unknown } | null)?.code === 'EIO';
}

/** Run `fn`, retrying while it fails with EIO, with backoff 20, 40, 80 … 400 ms, for at most EIO_BUDGET_MS. */
function retryEio<T>(fn: () => T, budgetMs = EIO_BUDGET_MS): T {
  const start = Date.now();
  let delay = 20;
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (!isEio(e) || Date.now() - start + delay > budgetMs) throw e;
      sleepMs(delay);
      delay = Math.min(delay * 2, 400);
    }
  }
}

/** Link kinds that name another path; only these are removed as links. */
const LINK_KINDS = new Set<LinkData['kind']>(['symlink', 'junction', 'mountPoint', 'lxSymlink', 'appExecLink']);

export class Ntfs3gBackend extends PosixBackend {
  override readonly name = 'ntfs3g' as const;

  constructor(
    readonly mount: NtfsMount,
    private readonly volumes: Ntfs3gVolumes,
  ) {
    super();
  }

  /** Links on the mount are followed by our own reader, never by the kernel's realpath (see RealPaths). */
  override realPath(p: string): string {
    throw new LinkToolsError('LT_UNSUPPORTED_KIND', 'An ntfs-3g path is resolved link by link, not by realpath.', p);
  }

  override lstat(p: string): EntryStat {
    return retryEio(() => super.lstat(p));
  }

  /** The Windows attributes of the entry itself, or null when ntfs-3g does not answer. */
  attributes(p: string): number | null {
    try {
      const b = retryEio(() => lgetxattr(p, XATTR_ATTRIB_BE));
      return b && b.length >= 4 ? b.readUInt32BE(0) : null;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOTSUP' || code === 'EOPNOTSUPP') return null; // not on NTFS after all
      throw fromOsError(e, p, 'cannot read NTFS attributes');
    }
  }

  /** The raw reparse data buffer, or null when the entry is not a reparse point. */
  reparseData(p: string): Buffer | null {
    try {
      return retryEio(() => lgetxattr(p, XATTR_REPARSE));
    } catch (e) {
      throw fromOsError(e, p, 'cannot read reparse data');
    }
  }

  override readLink(p: string, st: EntryStat): LinkData | null {
    if (st.type === 'special') return null;
    let attrib: number | null = null;
    if (st.type !== 'link') {
      // ntfs-3g shows reparse points as symlinks, unless a plugin serves the tag (dedup, WOF): then the
      // entry looks like a plain file or folder and only the REPARSE_POINT attribute tells.
      attrib = this.attributes(p);
      if (attrib === null || (attrib & FILE_ATTRIBUTE.REPARSE_POINT) === 0) return null;
    }
    const buf = this.reparseData(p);
    if (!buf) {
      // A symlink without reparse data is one ntfs-3g made itself (Interix style, for `ln -s`).
      return st.type === 'link' ? super.readLink(p, st) : null;
    }
    if (attrib === null) attrib = this.attributes(p);
    return linkDataFrom(buf, attrib);
  }

  override resolveTarget(linkDir: string, target: string): string | null {
    return resolveOn(this.volumes.drives, this.mount, linkDir, target);
  }

  /** NTFS targets are resolved as Windows does: normalised first (see resolveTarget), then followed. */
  override statTarget(linkDir: string, target: string): EntryStat | null {
    const abs = this.resolveTarget(linkDir, target);
    return abs === null ? null : this.stat(abs);
  }

  /** Follow the chain with this backend's own reading of each link (not ntfs-3g's made-up symlink text). */
  override stat(p: string): EntryStat | null {
    const posix = new PosixBackend();
    const route = (q: string): Backend => this.volumes.claims(q) ?? posix;
    return followChain(p, (cur) => {
      const b = route(cur);
      if (!(b instanceof Ntfs3gBackend)) return { end: b.stat(cur) };
      let st: EntryStat;
      try {
        st = b.lstat(cur);
      } catch (e) {
        if (e instanceof LinkToolsError && e.code === 'LT_NOT_FOUND') return { end: null };
        throw e;
      }
      const data = b.readLink(cur, st);
      if (!data) return { end: st };
      if (data.reparse && !data.reparse.followSafe) return { end: null }; // never open a placeholder through its reparse point
      // A relative target is resolved against the real folder (links on the link's own path followed).
      const next = data.target === null ? null : b.resolveTarget(realFolderVia(route, P, P.dirname(cur)), data.target);
      return next === null ? { end: null } : { next };
    });
  }

  windowsPath(p: string): string | null {
    return toWindows(this.volumes.drives, this.mount, p);
  }

  // -------------------------------------------------------------------------------------------
  // Creating

  /** The Windows form of a target given on the command line (POSIX path on an NTFS mount, or Windows form). */
  private windowsTarget(link: string, target: string, what: string): string {
    if (target.startsWith('/')) return this.windowsPathOnNtfs(target, link, what);
    if (isDriveAbsolute(target)) return target.replace(/\//g, '\\');
    if (/^[\\/]{2}[^\\/]/.test(target)) return target.replace(/\//g, '\\');
    if (hasDriveLetter(target)) {
      throw new LinkToolsError('LT_INVALID_ARGUMENT', `'${target}' is relative to a drive's current directory, which a link cannot store: give a full path.`, link);
    }
    return target.replace(/\//g, '\\');
  }

  private windowsPathOnNtfs(abs: string, link: string, what: string): string {
    const m = mountOf(abs);
    const here = m && m.mountPoint === this.mount.mountPoint;
    const named = m && this.volumes.drives.names(m.mountPoint);
    const w = m && (here || named) ? toWindows(this.volumes.drives, m, abs) : null;
    if (w === null) {
      throw new LinkToolsError(
        'LT_INVALID_ARGUMENT',
        m
          ? `${abs} is on another NTFS volume (${m.mountPoint}) that has no drive letter of its own: name one with --ntfs-drive 'X:=${m.mountPoint}' so the ${what} can store it as X:\\….`
          : `${abs} is not on an NTFS volume mounted here, so an NTFS ${what} cannot store it as a Windows path: use a target on ${this.mount.mountPoint} (drive ${this.volumes.drives.of(this.mount)}) or a relative one.`,
        link,
        { target: abs },
      );
    }
    return w;
  }

  /**
   * Make a new empty file or folder and turn it into a reparse point; nothing is left behind on
   * failure. Anchored: created in the folder opened without following links, and the reparse data
   * set on the descriptor of what was created (fsetxattr works on an ntfs-3g FUSE mount).
   */
  private makeReparsePoint(link: string, dir: boolean, buf: Uint8Array, what: string): void {
    if (!anchoredAvailable()) return this.makeReparsePointByPath(link, dir, buf, what);
    const a = openParent(link, retryEio);
    try {
      this.makeReparsePointAt(a, a.name, link, dir, buf, what);
    } finally {
      a.close();
    }
  }

  /** makeReparsePoint as the entry `name` of the open folder `a`; errors name `userPath`. */
  private makeReparsePointAt(a: Anchor, name: Uint8Array, userPath: string, dir: boolean, buf: Uint8Array, what: string): void {
    let fd: number;
    try {
      if (dir) {
        libc.mkdirat(a.dirfd, name, 0o777);
        // A window remains here (docs/safety.md): the new folder is opened by name.
        fd = retryEio(() => libc.openat(a.dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
      } else {
        fd = libc.openat(a.dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o666);
      }
    } catch (e) {
      throw fromOsError(e, userPath, `cannot create ${what}`);
    }
    let made: Stx | null = null;
    try {
      made = libc.fstatat(fd, new Uint8Array(0));
      retryEio(() => libc.fsetxattr(fd, XATTR_REPARSE, buf));
    } catch (e) {
      libc.close(fd);
      try {
        const now = statAt(a.dirfd, name, retryEio);
        if (made && now && now.fileId === made.fileId) retryEio(() => libc.unlinkat(a.dirfd, name, dir ? AT_REMOVEDIR : 0));
      } catch {
        /* best effort: report the first error */
      }
      throw fromOsError(e, userPath, `cannot set the reparse point of the ${what}`);
    }
    libc.close(fd);
  }

  override replaceWithNewLink(to: string, make: NewLink, old: LinkData | null, oldStat: EntryStat): void {
    this.checkRemovable(to, old);
    if (!anchoredAvailable()) return this.replaceWithNewByPath(to, make, old, oldStat);
    replaceWithNewAnchored(
      to,
      oldStat,
      (a, tmp) => this.makeAt(a, tmp, to, make),
      (a, name) => this.deleteEntryAt(a, name, to, old, oldStat),
      retryEio,
    );
  }

  protected override makeAt(a: Anchor, tmp: Buffer, to: string, make: NewLink): void {
    if (make.kind === 'hardlink') return retryEio(() => super.makeAt(a, tmp, to, make));
    if (make.kind === 'symlink') {
      const win = this.windowsTarget(to, make.target, 'symbolic link');
      return this.makeReparsePointAt(a, tmp, to, make.targetType === 'directory', symlinkBuffer(win), 'symbolic link');
    }
    const win = this.windowsPathOnNtfs(make.absoluteTarget, to, 'junction');
    this.makeReparsePointAt(a, tmp, to, true, junctionBuffer(win), 'junction');
  }

  /** The same through paths, where the anchored calls are unavailable. */
  private makeReparsePointByPath(link: string, dir: boolean, buf: Uint8Array, what: string): void {
    try {
      if (dir) fs.mkdirSync(osPath(link));
      else fs.closeSync(fs.openSync(osPath(link), 'wx'));
    } catch (e) {
      throw fromOsError(e, link, `cannot create ${what}`);
    }
    try {
      retryEio(() => lsetxattr(link, XATTR_REPARSE, buf));
    } catch (e) {
      try {
        if (dir) fs.rmdirSync(osPath(link));
        else fs.unlinkSync(osPath(link));
      } catch {
        /* best effort: report the first error */
      }
      throw fromOsError(e, link, `cannot set the reparse point of the ${what}`);
    }
  }

  override createSymlink(link: string, target: string, targetType: 'file' | 'directory'): void {
    const win = this.windowsTarget(link, target, 'symbolic link');
    this.makeReparsePoint(link, targetType === 'directory', symlinkBuffer(win), 'symbolic link');
  }

  override createJunction(link: string, absoluteTarget: string): void {
    const win = this.windowsPathOnNtfs(absoluteTarget, link, 'junction');
    this.makeReparsePoint(link, true, junctionBuffer(win), 'junction');
  }

  override createHardLink(link: string, existing: string): void {
    retryEio(() => super.createHardLink(link, existing));
  }

  // -------------------------------------------------------------------------------------------
  // Removing and replacing

  /** Refuse what must not be removed as a link: malformed data, data-carrying reparse points. */
  private checkRemovable(p: string, data: LinkData | null): void {
    const r = data?.reparse;
    const malformed = (r?.details as Record<string, unknown> | null | undefined)?.['malformed'];
    if (r && typeof malformed === 'string') {
      throw new LinkToolsError('LT_BAD_REPARSE_DATA', `The reparse data of this entry is malformed (${malformed}), so what it is cannot be known: nothing was changed.`, p, { tag: r.tagHex });
    }
    if (data && !LINK_KINDS.has(data.kind)) {
      throw new LinkToolsError(
        'LT_NOT_A_LINK',
        `This is a ${r?.label ?? 'non-link'} reparse point (${r?.tagHex ?? 'unknown tag'}), not a link: removing it would delete the entry's own data. Nothing was removed.`,
        p,
      );
    }
  }

  /**
   * Delete the reparse point entry `tmp` (a name in the open folder `a`). ntfs-3g shows it as a
   * symlink, so unlinkat applies; its delete refuses a directory whose own index is not empty
   * (ENOTEMPTY), so nothing inside the junction's folder or behind its target can go with it. A
   * reparse point shown as a plain folder (a plugin serves its tag): drop the reparse data on the
   * opened folder, then rmdir, which refuses a non-empty folder; the data is put back if it does.
   */
  private deleteEntryAt(a: Anchor, tmp: Uint8Array, p: string, data: LinkData | null, st: EntryStat): void {
    try {
      retryEio(() => libc.unlinkat(a.dirfd, tmp, 0));
      return;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOTEMPTY') {
        throw new LinkToolsError('LT_NOT_EMPTY', `The ${data?.kind ?? 'link'}'s own folder holds entries (Windows would not show them): nothing was removed.`, p);
      }
      if (!(data && st.type === 'directory' && (code === 'EISDIR' || code === 'EPERM'))) throw fromOsError(e, p, 'cannot remove link');
    }
    const fd = retryEio(() => libc.openat(a.dirfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
    let buf: Buffer | null = null;
    try {
      if (libc.fstatat(fd, new Uint8Array(0)).fileId !== st.fileId) throw new LinkToolsError('LT_BUSY', 'The entry changed while it was being removed: nothing was changed.', p);
      buf = retryEio(() => libc.fgetxattr(fd, XATTR_REPARSE));
      retryEio(() => libc.fremovexattr(fd, XATTR_REPARSE));
      retryEio(() => libc.unlinkat(a.dirfd, tmp, AT_REMOVEDIR));
    } catch (e) {
      if (buf) {
        try {
          retryEio(() => libc.fsetxattr(fd, XATTR_REPARSE, buf!));
        } catch {
          /* report the first error */
        }
      }
      throw fromOsError(e, p, 'cannot remove link');
    } finally {
      libc.close(fd);
    }
  }

  override removeLink(p: string, data: LinkData | null, st: EntryStat): void {
    this.checkRemovable(p, data);
    if (!anchoredAvailable()) return this.removeLinkByPath(p, data, st);
    const a = openParent(p, retryEio);
    try {
      moveAsideAndAct(a, p, st, 'remove', (tmp) => this.deleteEntryAt(a, tmp, p, data, st), retryEio);
    } finally {
      a.close();
    }
  }

  /** The same through paths, where the anchored calls are unavailable. */
  private removeLinkByPath(p: string, data: LinkData | null, st: EntryStat): void {
    try {
      retryEio(() => fs.unlinkSync(osPath(p)));
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY') {
        throw new LinkToolsError('LT_NOT_EMPTY', `The ${data?.kind ?? 'link'}'s own folder holds entries (Windows would not show them): nothing was removed.`, p);
      }
      if (!(data && st.type === 'directory' && (code === 'EISDIR' || code === 'EPERM'))) throw fromOsError(e, p, 'cannot remove link');
    }
    const buf = this.reparseData(p);
    try {
      retryEio(() => lremovexattr(p, XATTR_REPARSE));
      retryEio(() => fs.rmdirSync(osPath(p)));
    } catch (e) {
      if (buf) {
        try {
          retryEio(() => lsetxattr(p, XATTR_REPARSE, buf));
        } catch {
          /* report the first error */
        }
      }
      throw fromOsError(e, p, 'cannot remove link');
    }
  }

  /**
   * Put the new link `from` in place of the old link `to`. ntfs-3g has no RENAME_EXCHANGE, so the old
   * one is moved aside to a random name in the same (anchored) folder, checked to be the entry that
   * was inspected, the new one renamed in, then the old one deleted; a failure before the last step
   * puts the old one back. For a moment the name is absent (docs/safety.md).
   */
  override replaceLink(from: string, to: string, old: LinkData | null, oldStat: EntryStat): void {
    this.checkRemovable(to, old);
    if (!anchoredAvailable()) return this.replaceLinkByPath(from, to, old, oldStat);
    replaceAnchored(from, to, oldStat, (a, tmp) => this.deleteEntryAt(a, tmp, to, old, oldStat), retryEio);
  }

  /** The same through paths, where the anchored calls are unavailable. */
  private replaceLinkByPath(from: string, to: string, old: LinkData | null, oldStat: EntryStat): void {
    const dirLike = oldStat.type === 'directory' || old?.declaredType === 'directory' || old?.kind === 'junction' || old?.kind === 'mountPoint';
    if (!dirLike) {
      retryEio(() => fs.renameSync(osPath(from), osPath(to)));
      return;
    }
    const aside = P.join(P.dirname(to), `.${P.basename(to)}.lt-old-${process.pid}-${randomBytes(4).toString('hex')}`);
    const rename = (a: string, b: string, what: string) => {
      try {
        retryEio(() => fs.renameSync(osPath(a), osPath(b)));
      } catch (e) {
        throw fromOsError(e, to, what);
      }
    };
    swapViaAside(
      {
        moveAside: () => rename(to, aside, 'cannot move the old link aside'),
        moveIn: () => rename(from, to, 'cannot replace link'),
        moveBack: () => rename(aside, to, 'cannot move the old link back'),
        removeAside: () => this.removeLinkByPath(aside, old, oldStat),
      },
      to,
      aside,
    );
  }
}

/**
 * The ntfs-3g volumes of one platform (built once with it): routes a path on an ntfs-3g mount to that
 * mount's backend (one per mount), with the run's drive letters.
 */
export class Ntfs3gVolumes {
  private readonly backends = new WeakMap<NtfsMount, Ntfs3gBackend>();

  constructor(readonly drives: NtfsDrives) {}

  /** The ntfs3g backend for a path on an ntfs-3g mount, else null. */
  claims(p: string): Ntfs3gBackend | null {
    if (!p.startsWith('/')) return null;
    const m = mountOf(P.resolve(p));
    if (!m) return null;
    let b = this.backends.get(m);
    if (!b) this.backends.set(m, (b = new Ntfs3gBackend(m, this)));
    return b;
  }

  /** No ntfs-3g volume is mounted now: the mount table can be read and holds no FUSE mount (ntfs-3g is FUSE). */
  claimsNone(): boolean {
    const rows = readMountInfo();
    return rows !== null && !rows.some((r) => r.fstype.startsWith('fuse'));
  }
}
