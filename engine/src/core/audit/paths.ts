/**
 * Path comparisons the rules share: "is P at or below Q" for POSIX and Windows paths, the built-in
 * list of sensitive system locations, and the network-mount table (remote-target on POSIX).
 */
import type { Mount } from '../../platform/types.js';
import { isDriveAbsolute } from '../../ntfs/ntpath.js';

/** Windows-looking path: drive, UNC or an NT/Win32 device prefix. */
export function looksWindows(p: string): boolean {
  return isDriveAbsolute(p) || p.startsWith('\\');
}

/**
 * Strip \\?\ and \??\ prefixes, turn \\?\UNC\ into \\, unify separators to \, drop a trailing \.
 * The device namespace \\.\ names the same volumes when a drive, UNC\ or Volume{GUID} follows
 * (\\.\C:\x is C:\x); any other device (\\.\pipe\x, \\.\PhysicalDrive0) keeps its prefix.
 */
export function normWin(p: string): string {
  let s = p.replace(/\//g, '\\');
  const m = /^(?:\\\\\?\\|\\\?\?\\|\\\\\.\\(?=[a-z]:|unc\\|volume\{))(.*)$/i.exec(s);
  if (m) s = /^UNC\\/i.test(m[1]!) ? `\\\\${m[1]!.slice(4)}` : m[1]!;
  if (s.length > 3 && s.endsWith('\\')) s = s.slice(0, -1);
  return s.toLowerCase();
}

function normPosix(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** `child` equals `parent` or lies below it, on element boundaries. Windows paths compare case-insensitively. */
export function atOrBelow(parent: string, child: string): boolean {
  const win = looksWindows(parent) || looksWindows(child);
  const sep = win ? '\\' : '/';
  const a = win ? normWin(parent) : normPosix(parent);
  const b = win ? normWin(child) : normPosix(child);
  if (a === b) return true;
  const prefix = a.endsWith(sep) ? a : a + sep;
  return b.startsWith(prefix);
}

const DEFAULT_SENSITIVE_POSIX: readonly string[] = [
  '/etc',
  '/bin',
  '/sbin',
  '/usr',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/boot',
  '/root',
  '/var/lib',
  '/var/spool/cron',
  '/dev',
  '/proc',
  '/sys',
];

/**
 * Below a default sensitive location but not a system location: scratch file systems anyone may
 * write (tmpfs, message queues, huge pages). A link there is merely on another file system.
 */
const NOT_SENSITIVE_POSIX: readonly string[] = ['/dev/shm', '/dev/mqueue', '/dev/hugepages', '/run/shm'];

const DEFAULT_SENSITIVE_WINDOWS: readonly string[] = ['C:\\Windows', 'C:\\Program Files', 'C:\\Program Files (x86)', 'C:\\ProgramData\\Microsoft', 'C:\\Boot'];

/** Folder names that are sensitive wherever they are (another Windows installation on D:, an offline image). */
const SENSITIVE_ELEMENTS = new Set(['system32', 'syswow64', 'winsxs']);

export class SensitivePaths {
  readonly list: string[];
  private readonly extra: readonly string[];
  private readonly useDefaults: boolean;
  constructor(extra: readonly string[] = [], useDefaults = true) {
    const sysRoot = process.env.SystemRoot;
    this.extra = extra;
    this.useDefaults = useDefaults;
    this.list = [...(useDefaults ? [...DEFAULT_SENSITIVE_POSIX, ...DEFAULT_SENSITIVE_WINDOWS, ...(sysRoot ? [sysRoot] : [])] : []), ...extra];
  }

  /** The sensitive location `p` lies in, or null. Scratch areas below a default one are not (NOT_SENSITIVE_POSIX) unless configured. */
  match(p: string): string | null {
    for (const s of this.extra) if (atOrBelow(s, p)) return s;
    if (this.useDefaults && !looksWindows(p) && NOT_SENSITIVE_POSIX.some((x) => atOrBelow(x, p))) return null;
    for (const s of this.list) if (atOrBelow(s, p)) return s;
    if (looksWindows(p)) {
      const parts = normWin(p).split('\\');
      for (const part of parts) if (SENSITIVE_ELEMENTS.has(part)) return `…\\${part}`;
    }
    return null;
  }
}

/** File-system types whose data is on another machine. */
const NETWORK_FS = /^(nfs4?|cifs|smb3?|smbfs|ncpfs|afs|ceph|glusterfs|lustre|davfs|fuse\.(sshfs|s3fs|rclone|gcsfuse|davfs2|glusterfs|cephfs))$/;

export class MountTable {
  constructor(private readonly mounts: Mount[]) {}
  /** The mount holding `p` (a POSIX absolute path). */
  find(p: string): Mount | null {
    for (const m of this.mounts) if (atOrBelow(m.mountPoint, p)) return m;
    return null;
  }
  static isNetwork(m: Mount | null): boolean {
    return m !== null && NETWORK_FS.test(m.fsType);
  }
}
