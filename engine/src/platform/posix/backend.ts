/**
 * POSIX backend: native symlinks and hard links. Junctions do not exist here.
 *
 * Reading (lstat, readlink, readdir) goes through Node's fs by path: a tree walk makes millions of
 * these calls, and a stale answer there is only a stale report. Every call that changes the tree
 * (remove, replace, create) is handle-anchored on Linux (./anchored.ts): the folder is opened
 * without following links, the entry re-checked and acted on through that folder, so a folder or
 * link swapped meanwhile can never make it delete or overwrite anything real (docs/safety.md).
 * Where the anchored calls are unavailable (not Linux, no FFI) the path-based calls are used.
 *
 * Names that are not valid UTF-8 arrive with surrogate escapes (../pathbytes.ts) and go to the OS
 * as their exact bytes; link texts come back the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fromOsError, LinkToolsError } from '../../errors.js';
import { bytesToName } from '../pathbytes.js';
import type { Backend, DirEntry, DirWalker, EntryStat, LinkCounter, LinkCountSink, LinkData, Mount, NewLink } from '../types.js';
import { readMountInfo } from './mountinfo.js';
import { anchoredAvailable, hardLinkAnchored, openParent, removeAnchored, replaceAnchored, replaceWithNewAnchored, symlinkAnchored, type Anchor } from './anchored.js';
import { libc } from './libc.js';
import { nameToBytes } from '../pathbytes.js';
import { osPath, PosixLinkCounter } from './link-counts.js';
import { linuxDirWalker } from './dirfd-walk.js';

function toEntryStat(s: fs.BigIntStats): EntryStat {
  const type: EntryStat['type'] = s.isSymbolicLink() ? 'link' : s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'special';
  return {
    type,
    fileId: `${s.dev}:${s.ino}`,
    dev: s.dev,
    nlink: Number(s.nlink),
    size: Number(s.size),
    mtimeMs: Number(s.mtimeMs),
  };
}

const BIGINT = { bigint: true } as const;
const BIGINT_NO_THROW = { bigint: true, throwIfNoEntry: false } as const;
const DIRENTS = { withFileTypes: true, encoding: 'utf8' } as const;

function direntType(d: fs.Dirent): DirEntry['type'] {
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'directory';
  if (d.isSymbolicLink()) return 'link';
  if (d.isBlockDevice() || d.isCharacterDevice() || d.isFIFO() || d.isSocket()) return 'special';
  return 'unknown';
}

export class PosixBackend implements Backend {
  readonly name: 'posix' | 'ntfs3g' = 'posix';
  readonly path = path.posix;

  realPath(p: string): string {
    return fs.realpathSync.native(p);
  }

  folderWorldWritable(dir: string): boolean {
    try {
      return (fs.statSync(dir).mode & 0o002) !== 0;
    } catch {
      return false; // unreadable folder: not known to be writable
    }
  }

  mounts(): Mount[] {
    const rows = readMountInfo() ?? [];
    return rows.map((r) => ({ mountPoint: r.mountPoint, fsType: r.fstype, source: r.source })).sort((a, b) => b.mountPoint.length - a.mountPoint.length);
  }

  lstat(p: string): EntryStat {
    let st: fs.BigIntStats | undefined;
    try {
      st = fs.lstatSync(osPath(p), BIGINT_NO_THROW);
    } catch (e) {
      throw fromOsError(e, p, 'cannot read');
    }
    // A missing entry (a broken link's target, a vanished file) without Node building an exception.
    if (st === undefined) throw fromOsError({ code: 'ENOENT' }, p, 'cannot read');
    return toEntryStat(st);
  }

  stat(p: string): EntryStat | null {
    try {
      return toEntryStat(fs.statSync(osPath(p), BIGINT));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw fromOsError(e, p, 'cannot follow');
    }
  }

  readLink(p: string, st: EntryStat): LinkData | null {
    if (st.type !== 'link') return null;
    let target: string;
    try {
      target = bytesToName(fs.readlinkSync(osPath(p), 'buffer'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EINVAL') {
        // lstat said link, readlink says it is none: it was swapped in between.
        throw new LinkToolsError('LT_NOT_A_LINK', 'The entry changed while it was read: it is no longer a link. Nothing was changed.', p);
      }
      throw fromOsError(e, p, 'cannot read link');
    }
    return { kind: 'symlink', target, declaredType: null, reparse: null };
  }

  resolveTarget(linkDir: string, target: string): string | null {
    return path.posix.resolve(linkDir, target);
  }

  statTarget(linkDir: string, target: string): EntryStat | null {
    // Unnormalised on purpose: the kernel resolves `..` after the links before it.
    return this.stat(target.startsWith('/') ? target : `${linkDir}/${target}`);
  }

  createSymlink(link: string, target: string, _targetType: 'file' | 'directory'): void {
    if (anchoredAvailable()) return symlinkAnchored(link, target);
    try {
      fs.symlinkSync(osPath(target), osPath(link));
    } catch (e) {
      throw fromOsError(e, link, 'cannot create symbolic link');
    }
  }

  createJunction(link: string, _absoluteTarget: string): void {
    throw new LinkToolsError('LT_UNSUPPORTED_KIND', 'Junctions exist only on NTFS: this path is on a POSIX file system. Use --kind symlink, or a path on an NTFS volume.', link);
  }

  createHardLink(link: string, existing: string): void {
    if (anchoredAvailable()) return hardLinkAnchored(link, existing);
    try {
      fs.linkSync(osPath(existing), osPath(link));
    } catch (e) {
      throw fromOsError(e, link, 'cannot create hard link');
    }
  }

  /** Removes the entry only when it is still the one `st` describes (same inode, still a link or file). */
  removeLink(p: string, _data: LinkData | null, st: EntryStat): void {
    if (anchoredAvailable()) return removeAnchored(p, st);
    try {
      fs.unlinkSync(osPath(p));
    } catch (e) {
      throw fromOsError(e, p, 'cannot remove link');
    }
  }

  /** Exchanges `from` and `to` and keeps the result only when what came out is `oldStat`'s entry. */
  replaceLink(from: string, to: string, _old: LinkData | null, oldStat: EntryStat): void {
    if (anchoredAvailable()) return replaceAnchored(from, to, oldStat);
    // rename(2) replaces a symlink or a file name atomically (a symlink to a directory is not a directory).
    try {
      fs.renameSync(osPath(from), osPath(to));
    } catch (e) {
      throw fromOsError(e, to, 'cannot replace link');
    }
  }

  /**
   * Make the new link under a temporary name in the anchored folder of `to` and exchange it with the
   * old one there (see anchored.ts); without the anchored calls, a temporary path and replaceLink.
   */
  replaceWithNewLink(to: string, make: NewLink, old: LinkData | null, oldStat: EntryStat): void {
    if (!anchoredAvailable()) return this.replaceWithNewByPath(to, make, old, oldStat);
    replaceWithNewAnchored(to, oldStat, (a, tmp) => this.makeAt(a, tmp, to, make));
  }

  /** Create `make` as the entry `tmp` of the open folder `a`; errors name the user's path `to`. */
  protected makeAt(a: Anchor, tmp: Buffer, to: string, make: NewLink): void {
    if (make.kind === 'junction') this.createJunction(to, make.absoluteTarget);
    else if (make.kind === 'symlink') {
      try {
        libc.symlinkat(nameToBytes(make.target), a.dirfd, tmp);
      } catch (e) {
        throw fromOsError(e, to, 'cannot create symbolic link');
      }
    } else {
      const src = openParent(make.existing);
      try {
        libc.linkat(src.dirfd, src.name, a.dirfd, tmp);
      } catch (e) {
        throw fromOsError(e, to, 'cannot create hard link');
      } finally {
        src.close();
      }
    }
  }

  protected replaceWithNewByPath(to: string, make: NewLink, old: LinkData | null, oldStat: EntryStat): void {
    const tmp = path.posix.join(path.posix.dirname(to), `.${path.posix.basename(to)}.lt-new-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    try {
      if (make.kind === 'symlink') this.createSymlink(tmp, make.target, make.targetType);
      else if (make.kind === 'junction') this.createJunction(tmp, make.absoluteTarget);
      else this.createHardLink(tmp, make.existing);
    } catch (e) {
      throw e instanceof LinkToolsError ? new LinkToolsError(e.code, e.message, to, e.details) : fromOsError(e, to);
    }
    try {
      this.replaceLink(tmp, to, old, oldStat);
    } catch (e) {
      try {
        const st = this.lstat(tmp);
        this.removeLink(tmp, this.readLink(tmp, st), st);
      } catch {
        /* already gone */
      }
      throw e instanceof LinkToolsError ? new LinkToolsError(e.code, e.message, to, e.details) : fromOsError(e, to);
    }
  }

  readdir(p: string): DirEntry[] {
    let ents: fs.Dirent[];
    try {
      ents = fs.readdirSync(osPath(p), DIRENTS);
    } catch (e) {
      throw fromOsError(e, p, 'cannot list directory');
    }
    const out = new Array<DirEntry>(ents.length);
    for (let i = 0; i < ents.length; i++) {
      const d = ents[i]!;
      out[i] = { name: d.name, type: direntType(d) };
    }
    return out;
  }

  linkCounter(onCount: LinkCountSink): LinkCounter {
    return new PosixLinkCounter(onCount);
  }

  /**
   * Directory-handle walking (platform/posix/dirfd-walk.ts): only for plain POSIX file systems (not
   * ntfs-3g), and only while readdir/lstat/readLink/linkCounter are these (a subclass that changes how
   * entries are listed, read or counted walks by path).
   */
  dirWalker(): DirWalker | null {
    const own = PosixBackend.prototype;
    if (this.name !== 'posix' || this.readdir !== own.readdir || this.lstat !== own.lstat || this.readLink !== own.readLink || this.linkCounter !== own.linkCounter) return null;
    return linuxDirWalker();
  }

  hardLinkNames(): string[] | null {
    return null; // POSIX has no name index; scan groups names by walking the tree.
  }

  canCreateSymlinks(): boolean | null {
    return true;
  }
}
