/** POSIX backend: native symlinks and hard links through Node's fs. Junctions do not exist here. */
import fs from 'node:fs';
import path from 'node:path';
import { fromOsError, LinkToolsError } from '../../errors.js';
import type { Backend, DirEntry, DirWalker, EntryStat, LinkCounter, LinkCountSink, LinkData } from '../types.js';
import { osPath, PosixLinkCounter } from './link-counts.js';
import { linuxDirWalker } from './dirfd-walk.js';

function toEntryStat(s: fs.BigIntStats): EntryStat {
  const type: EntryStat['type'] = s.isSymbolicLink()
    ? 'link'
    : s.isDirectory()
      ? 'directory'
      : s.isFile()
        ? 'file'
        : 'special';
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

  lstat(p: string): EntryStat {
    try {
      return toEntryStat(fs.lstatSync(osPath(p), BIGINT));
    } catch (e) {
      throw fromOsError(e, p, 'cannot read');
    }
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
      target = fs.readlinkSync(osPath(p), 'utf8');
    } catch (e) {
      throw fromOsError(e, p, 'cannot read link');
    }
    return { kind: 'symlink', target, declaredType: null, reparse: null };
  }

  resolveTarget(linkDir: string, target: string): string | null {
    return path.posix.resolve(linkDir, target);
  }

  createSymlink(link: string, target: string, _targetType: 'file' | 'directory'): void {
    try {
      fs.symlinkSync(target, link);
    } catch (e) {
      throw fromOsError(e, link, 'cannot create symbolic link');
    }
  }

  createJunction(link: string, _absoluteTarget: string): void {
    throw new LinkToolsError(
      'LT_UNSUPPORTED_KIND',
      'Junctions exist only on NTFS: this path is on a POSIX file system. Use --kind symlink, or a path on an NTFS volume.',
      link,
    );
  }

  createHardLink(link: string, existing: string): void {
    try {
      fs.linkSync(existing, link);
    } catch (e) {
      throw fromOsError(e, link, 'cannot create hard link');
    }
  }

  removeLink(p: string, _data: LinkData | null, _st: EntryStat): void {
    try {
      fs.unlinkSync(p);
    } catch (e) {
      throw fromOsError(e, p, 'cannot remove link');
    }
  }

  replaceLink(from: string, to: string): void {
    // rename(2) replaces a symlink or a file name atomically (a symlink to a directory is not a directory).
    try {
      fs.renameSync(from, to);
    } catch (e) {
      throw fromOsError(e, to, 'cannot replace link');
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
