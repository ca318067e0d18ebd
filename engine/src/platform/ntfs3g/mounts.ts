/**
 * Which paths lie on an ntfs-3g mount, where that mount's root is, and which Windows drive letter it
 * stands for.
 *
 * Detection: the mount table is no help on its own (an image mounted by ntfs-3g shows as plain `fuse`
 * with the image file as its source; a block device shows `fuseblk`; other FUSE file systems look the
 * same), so the test is whether the nearest existing ancestor of a path answers `system.ntfs_attrib_be`,
 * an attribute only ntfs-3g serves. The answer is cached per device id. The mount table is read once per
 * new device, only to skip the probe on devices that are not FUSE at all and to find the mount point.
 *
 * Drive letters: the root of every ntfs-3g mount is drive C: unless LINKTOOLS_NTFS_DRIVE (or the CLI's
 * global --ntfs-drive) says otherwise: `D:` for every mount, or `D:=/mnt/data;E:=/mnt/e` per mount point
 * (a bare letter in the list is the default for mounts not named).
 */
import fs from 'node:fs';
import { readMountInfo } from '../posix/mountinfo.js';
import path from 'node:path';
import { LinkToolsError } from '../../errors.js';
import { getLibc, lgetxattr, XATTR_ATTRIB_BE } from './xattr.js';

export interface NtfsMount {
  /** Where the volume is mounted here (absolute POSIX path, no trailing slash except for `/`). */
  mountPoint: string;
  /** The directory of the volume that is mounted there (`/` unless a bind mount shows a subtree). */
  fsRoot: string;
  dev: bigint;
  /** The mount source (image file or block device) when the mount table names it. */
  source: string | null;
}

// ---------------------------------------------------------------------------------------------
// Drive-letter configuration

interface DriveConfig {
  /** Letter (upper case, with colon) for mounts the list does not name. */
  defaultDrive: string;
  /** Mount point -> drive. */
  byMount: Map<string, string>;
}

const DRIVE_RE = /^([A-Za-z]):?$/;

/** Parse `X:` or `X:=/mount;Y:=/other;Z:`. Throws LT_INVALID_ARGUMENT on anything else. */
export function parseDriveSpec(spec: string): DriveConfig {
  const cfg: DriveConfig = { defaultDrive: 'C:', byMount: new Map() };
  const parts = spec
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw badSpec(spec);
  for (const part of parts) {
    const eq = part.indexOf('=');
    const letter = DRIVE_RE.exec(eq < 0 ? part : part.slice(0, eq).trim());
    if (!letter) throw badSpec(spec);
    const drive = `${letter[1]!.toUpperCase()}:`;
    if (eq < 0) {
      cfg.defaultDrive = drive;
      continue;
    }
    const mp = part.slice(eq + 1).trim();
    if (!mp.startsWith('/')) throw badSpec(spec);
    cfg.byMount.set(trimSlash(path.posix.resolve(mp)), drive);
  }
  return cfg;
}

function badSpec(spec: string): LinkToolsError {
  return new LinkToolsError(
    'LT_INVALID_ARGUMENT',
    `The NTFS drive setting '${spec}' is not valid: use a drive letter such as D: (every ntfs-3g mount is that drive), or D:=/mnt/data;E:=/mnt/e to name the drive of each mount point.`,
  );
}

/**
 * The drive letters of one run (built once with the platform): the CLI's --ntfs-drive, else
 * $LINKTOOLS_NTFS_DRIVE, else C:. An explicit setting is checked at once, so a bad option fails
 * before any work; the environment is read when an ntfs-3g path first needs a letter.
 */
export class NtfsDrives {
  private parsed: DriveConfig | undefined;

  constructor(
    spec: string | undefined,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    if (spec !== undefined) this.parsed = parseDriveSpec(spec);
  }

  private get config(): DriveConfig {
    return (this.parsed ??= parseDriveSpec(this.env.LINKTOOLS_NTFS_DRIVE ?? 'C:'));
  }

  /** The drive letter (`C:`) of mount `m`. */
  of(m: NtfsMount): string {
    const cfg = this.config;
    return cfg.byMount.get(m.mountPoint) ?? cfg.defaultDrive;
  }

  /** Does the drive list name this mount point? */
  names(mountPoint: string): boolean {
    return this.config.byMount.has(mountPoint);
  }

  /** The ntfs-3g mount the drive list names for `drive` that is mounted now (for targets on other drives). */
  mountFor(drive: string): NtfsMount | null {
    for (const [mp, d] of this.config.byMount) {
      if (d !== drive) continue;
      const m = mountOf(mp);
      if (m && m.mountPoint === mp) return m;
    }
    return null;
  }
}

function trimSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

// ---------------------------------------------------------------------------------------------
// The mount table

/** major:minor of a Linux dev_t as glibc's gnu_dev_major/minor split it. */
export function majorMinor(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

// ---------------------------------------------------------------------------------------------
// Detection

/** lstat that treats a missing entry, a missing folder and ntfs-3g's transient EIO as "look higher". */
function lstatOrNull(p: string): fs.BigIntStats | null {
  try {
    return fs.lstatSync(p, { bigint: true });
  } catch {
    return null;
  }
}

/** The nearest existing ancestor of an absolute path (the path itself when it exists), with its lstat. */
function nearestExisting(p: string): { path: string; st: fs.BigIntStats } | null {
  let cur = p;
  for (;;) {
    const st = lstatOrNull(cur);
    if (st) return { path: cur, st };
    const up = path.posix.dirname(cur);
    if (up === cur) return null;
    cur = up;
  }
}

const byDev = new Map<bigint, NtfsMount | null>();

/** Forget every cached verdict (tests mount and unmount images). */
export function resetMountCache(): void {
  byDev.clear();
}

function probeNtfs(p: string): boolean {
  if (!getLibc()) return false; // without FFI the attributes cannot be read: the POSIX backend serves it
  for (let attempt = 0; ; attempt++) {
    try {
      return lgetxattr(p, XATTR_ATTRIB_BE) !== null;
    } catch (e) {
      // ntfs-3g answers EIO for a moment after a reparse point is set on this entry; ask again.
      if ((e as { code?: string }).code === 'EIO' && attempt < 3) {
        sleepMs(50 * (attempt + 1));
        continue;
      }
      return false; // ENOTSUP and friends: some other file system
    }
  }
}

/** Find the mount point of the device by walking up while the device id stays the same. */
function walkUpMountPoint(p: string, dev: bigint): string {
  let cur = p;
  for (;;) {
    const up = path.posix.dirname(cur);
    if (up === cur) return cur;
    const st = lstatOrNull(up);
    if (!st || st.dev !== dev) return cur;
    cur = up;
  }
}

function discover(probePath: string, dev: bigint): NtfsMount | null {
  const rows = readMountInfo();
  const mm = majorMinor(dev);
  const row = rows?.filter((r) => r.majorMinor === mm).pop(); // the last one mounted is the one visible
  if (rows && row && !row.fstype.startsWith('fuse')) return null; // not FUSE: no xattr round trip needed
  if (!probeNtfs(probePath)) return null;
  if (row) return { mountPoint: trimSlash(row.mountPoint), fsRoot: row.fsRoot || '/', dev, source: row.source || null };
  return { mountPoint: walkUpMountPoint(probePath, dev), fsRoot: '/', dev, source: null };
}

/** The ntfs-3g mount an absolute path lies on, or null. */
export function mountOf(abs: string): NtfsMount | null {
  const near = nearestExisting(abs);
  if (!near) return null;
  const dev = near.st.dev;
  if (byDev.has(dev)) {
    const m = byDev.get(dev)!;
    // A cached mount whose mount point no longer holds this device was unmounted and its device id
    // reused: look again.
    if (m === null || isUnder(abs, m.mountPoint) || stillMounted(m)) return m;
  }
  const m = discover(near.path, dev);
  byDev.set(dev, m);
  return m;
}

function stillMounted(m: NtfsMount): boolean {
  const st = lstatOrNull(m.mountPoint);
  return st !== null && st.dev === m.dev;
}

export function isUnder(p: string, dir: string): boolean {
  return p === dir || dir === '/' || p.startsWith(`${dir}/`);
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Block this thread (the engine is synchronous by design). */
export function sleepMs(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
