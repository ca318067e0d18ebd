/**
 * Mapping between POSIX paths under an ntfs-3g mount and the Windows paths NTFS links store.
 *
 *   <mountPoint>/a/b      <->  X:\a\b           (X = the mount's drive letter, C: by default)
 *   bind mount of /sub    <->  X:\sub\...        (fsRoot from the mount table)
 *   X:\... on another drive, \\server\share, \??\Volume{GUID}\, device paths  ->  not resolvable (null)
 *
 * Windows resolves `..` in a stored target against the drive root and never climbs above it; the
 * mapping does the same by resolving in Windows form first and converting afterwards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { driveLetterOf, hasDriveLetter, ntToDos } from '../../ntfs/index.js';
import { isUnder, type NtfsDrives, type NtfsMount } from './mounts.js';

const W = path.win32;
const P = path.posix;

/** The path inside the volume (`/a/b`) of a POSIX path on mount `m`, or null when it is not under it. */
function volumePath(m: NtfsMount, p: string): string | null {
  let abs = P.resolve(p);
  if (!isUnder(abs, m.mountPoint)) {
    // Reached through a POSIX symlink outside the mount: use the real location of its folder.
    try {
      abs = P.join(fs.realpathSync(P.dirname(abs)), P.basename(abs));
    } catch {
      return null;
    }
    if (!isUnder(abs, m.mountPoint)) return null;
  }
  const rel = P.relative(m.mountPoint, abs);
  return P.join(m.fsRoot, rel);
}

/** `X:\a\b` for a POSIX path on mount `m`, or null. */
export function toWindows(drives: NtfsDrives, m: NtfsMount, p: string): string | null {
  const v = volumePath(m, p);
  if (v === null) return null;
  const rest = v.split('/').filter(Boolean).join('\\');
  return `${drives.of(m)}\\${rest}`;
}

/**
 * The POSIX path of a Windows drive path (`X:\a\b`), when drive X is `m`'s drive or another mount the
 * drive list names; null otherwise.
 */
export function fromWindows(drives: NtfsDrives, m: NtfsMount, winPath: string): string | null {
  const letter = driveLetterOf(winPath);
  if (letter === null) return null;
  const drive = `${letter.toUpperCase()}:`;
  const mount = drives.of(m) === drive ? m : drives.mountFor(drive);
  if (!mount) return null;
  const norm = W.normalize(winPath).slice(3); // `a\b`, with `.` and `..` resolved and clamped at the root
  const inVolume = P.join('/', ...norm.split('\\').filter(Boolean));
  if (!isUnder(inVolume, mount.fsRoot)) return null; // outside the subtree this bind mount shows
  const rel = P.relative(mount.fsRoot, inVolume);
  return rel ? P.join(mount.mountPoint, rel) : mount.mountPoint;
}

/**
 * Resolve a stored target (as LinkData.target holds it) against the link's folder on mount `m`.
 * POSIX-absolute targets (WSL symlinks, ntfs-3g's own Interix symlinks) are taken as they are, like
 * the kernel does; drive-relative (`C:x`) targets depend on a per-drive current directory Windows
 * keeps per process, so they are not resolvable.
 */
export function resolveOn(drives: NtfsDrives, m: NtfsMount, linkDir: string, target: string): string | null {
  if (target.startsWith('/')) return P.resolve(target);
  const dos = ntToDos(target);
  switch (dos.kind) {
    case 'drive':
      return fromWindows(drives, m, dos.path);
    case 'unc':
    case 'volumeGuid':
    case 'device':
      return null;
    case 'rooted':
    case 'relative': {
      if (hasDriveLetter(target)) return null;
      const dirWin = toWindows(drives, m, linkDir);
      if (dirWin === null) return P.resolve(linkDir, target.replace(/\\/g, '/'));
      return fromWindows(drives, m, W.resolve(dirWin, target));
    }
  }
}
