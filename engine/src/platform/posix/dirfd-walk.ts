/**
 * Directory-handle tree walking on Linux (Backend.dirWalker of the POSIX backend), through koffi -> libc:
 * openat(O_DIRECTORY|O_NOFOLLOW) folder by folder relative to its parent's handle, getdents64 into a
 * reused buffer, statx/readlinkat relative to the folder's handle.
 *
 * What it buys over path calls through node:fs:
 * - names are bytes end to end: a name that is not valid UTF-8 is listed, stat'ed and read exactly and
 *   reported in the reversible form of platform/pathbytes.ts (a path call would get a lossy UTF-8 string);
 * - no PATH_MAX: each call names one entry relative to an open folder, so trees deeper than 4096
 *   bytes are walked (the reported path may be longer than the OS accepts; it is text);
 * - less work: a listing entry that the walk does not need (a regular file when hard links are not
 *   wanted) is never decoded into a string, and the kernel resolves one name per call, not a path;
 * - no re-resolution: a folder is entered through its parent's handle without following links, so a
 *   folder swapped for a link mid-walk is not followed out of the tree.
 *
 * Order: the entries of a folder are returned sorted by their bytes (strcmp), the order Node's
 * readdir (libuv scandir) gives, so output is the same as the path-based walk.
 *
 * Handles: a folder's handle stays open while subfolders of it are still to be entered. At most
 * MAX_OPEN handles are open; beyond that the oldest one is closed and reopened, from its nearest open
 * ancestor by name (checking it is still the same folder, device and inode), when next needed.
 *
 * Unavailable (null from dirWalker()) off Linux, off x86-64/arm64, or when koffi cannot load: the
 * walk then uses the backend's path calls.
 */
import os from 'node:os';
import { fromOsError, LinkToolsError } from '../../errors.js';
import { loadKoffi, type Koffi } from '../native.js';
import { bytesToName, hasEscapedBytes, nameToBytes } from '../pathbytes.js';
import type { DirEntry, DirWalker, EntryStat, LinkData, WalkDir, WalkListing } from '../types.js';

const AT_FDCWD = -100;
const O_RDONLY = 0;
const O_DIRECTORY = 0o200000;
const O_NOFOLLOW = 0o400000;
const O_CLOEXEC = 0o2000000;
const OPEN_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_EMPTY_PATH = 0x1000;
const AT_STATX_DONT_SYNC = 0x4000;
const STATX_FLAGS = AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC;
/** STATX_TYPE | MODE | NLINK | INO | SIZE | MTIME: what EntryStat holds. */
const STATX_MASK = 0x1 | 0x2 | 0x4 | 0x100 | 0x200 | 0x40;
/** STATX_TYPE | NLINK: enough to tell a hard-linked file. */
const NLINK_MASK = 0x1 | 0x4;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const DT_UNKNOWN = 0;
const DT_DIR = 4;
const DT_REG = 8;
const DT_LNK = 10;

/** Open folder handles at most (the soft RLIMIT_NOFILE is usually 1024). */
const MAX_OPEN = 96;
const DENTS_SIZE = 64 * 1024;
const LINK_BUF = 4096;

const ERRNO_NAMES: Map<number, string> = new Map(Object.entries(os.constants.errno).map(([k, v]) => [v as number, k]));

interface Libc {
  openat(dirfd: number, path: string | Buffer, flags: number): number;
  getdents64(fd: number, buf: Buffer, n: number): number;
  statx(dirfd: number, path: string | Buffer, flags: number, mask: number, buf: Buffer): number;
  readlinkat(dirfd: number, path: string | Buffer, buf: Buffer, n: number): number;
  close(fd: number): number;
  errno(): number;
  /**
   * The same two calls with the buffers passed as raw addresses (numbers), for the per-entry loop:
   * no Buffer view is made per file and koffi converts a number instead of an object. Null when the
   * addresses cannot be taken (then the Buffer forms above are used).
   */
  raw: {
    getdents64(fd: number, buf: number, n: number): number;
    statx(dirfd: number, path: number, flags: number, mask: number, buf: number): number;
    /** The address of a Buffer's first byte (memset(b, 0, 0) returns its argument). */
    addressOf(b: Buffer): number;
  } | null;
}

let libc: Libc | null | undefined;

function loadLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return null;
  if (process.env.LINKTOOLS_NO_DIRFD === '1') return null;
  const { koffi } = loadKoffi();
  if (!koffi) return null;
  try {
    const k = koffi as Koffi;
    const lib = k.load('libc.so.6');
    const c: Libc = {
      // The name parameters are `const void *`: a JS string is not accepted there, so every call passes
      // the name's exact bytes, NUL-terminated (see cname()).
      openat: lib.func('int openat(int, const void *, int)'),
      getdents64: lib.func('long getdents64(int, void *, size_t)'),
      statx: lib.func('int statx(int, const void *, int, unsigned int, void *)'),
      readlinkat: lib.func('long readlinkat(int, const void *, void *, size_t)'),
      close: lib.func('int close(int)'),
      errno: () => k.errno() as number,
      raw: null,
    };
    try {
      const memset = lib.func('intptr_t memset(void *, int, size_t)');
      const probe = Buffer.alloc(16);
      const a = Number(memset(probe, 0, 0));
      if (Number.isSafeInteger(a) && a > 0) {
        c.raw = {
          getdents64: lib.func('long getdents64(int, intptr_t, size_t)'),
          statx: lib.func('int statx(int, intptr_t, int, unsigned int, intptr_t)'),
          addressOf: (b: Buffer) => Number(memset(b, 0, 0)),
        };
      }
    } catch {
      /* no raw addresses: the Buffer forms serve */
    }
    libc = c;
  } catch {
    libc = null;
  }
  return libc;
}

function osError(errno: number, p: string, what: string): LinkToolsError {
  const code = ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
  return fromOsError(Object.assign(new Error(`${code}: ${what}`), { code, errno: -errno, path: p }), p, what);
}

/** NUL-terminated bytes of a name for libc. */
function cname(name: string): Buffer {
  if (!hasEscapedBytes(name)) return Buffer.from(name + '\0', 'utf8');
  const b = nameToBytes(name);
  const out = Buffer.allocUnsafe(b.length + 1);
  b.copy(out);
  out[b.length] = 0;
  return out;
}

class Dir implements WalkDir {
  fd = -1;
  /** Subfolders listed and not entered yet: the handle is needed until this is 0. */
  pending = 0;
  listed = false;
  dev = 0n;
  ino = 0n;
  constructor(
    readonly path: string,
    readonly parent: Dir | null,
    /** The NUL-terminated name in the parent (null for a root: reopened by path). */
    readonly cname: Buffer | null,
  ) {}
}

/** The device of the last statx seen and its forms (a walk stays on one or a few devices). */
let lastMajor = -1;
let lastMinor = -1;
let lastDev = 0n;
let lastDevText = '0';

function devOf(sx: Buffer): bigint {
  const major = sx.readUInt32LE(136);
  const minor = sx.readUInt32LE(140);
  if (major !== lastMajor || minor !== lastMinor) {
    const ma = BigInt(major);
    const mi = BigInt(minor);
    // glibc's makedev, the encoding Node reports as st_dev.
    lastDev = ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn);
    lastDevText = String(lastDev);
    lastMajor = major;
    lastMinor = minor;
  }
  return lastDev;
}

function statOf(sx: Buffer): EntryStat {
  const mode = sx.readUInt16LE(28) & S_IFMT;
  const type: EntryStat['type'] = mode === S_IFLNK ? 'link' : mode === S_IFDIR ? 'directory' : mode === S_IFREG ? 'file' : 'special';
  const dev = devOf(sx);
  // stx_ino as its decimal text without a BigInt while it fits a double exactly.
  const lo = sx.readUInt32LE(32);
  const hi = sx.readUInt32LE(36);
  const ino = hi < 0x200000 ? String(hi * 0x100000000 + lo) : String(sx.readBigUInt64LE(32));
  const sec = Number(sx.readBigInt64LE(112));
  const nsec = sx.readUInt32LE(120);
  return {
    type,
    fileId: `${lastDevText}:${ino}`,
    dev,
    nlink: sx.readUInt32LE(16),
    size: Number(sx.readBigUInt64LE(40)),
    mtimeMs: sec * 1000 + Math.floor(nsec / 1e6),
  };
}

function isAscii(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i]! >= 0x80) return false;
  return true;
}

class LinuxDirWalker implements DirWalker {
  // Buffer.alloc (never a slice of the shared pool): each is its own memory that never moves, so
  // its address can be handed to libc as a number for as long as this walker holds it.
  private readonly dents = Buffer.alloc(DENTS_SIZE);
  private readonly sx = Buffer.alloc(256);
  /** Views of statx's stx_nlink (u32 at 16) and stx_mode (u16 at 28), read once per regular file. */
  private readonly sx32 = new Uint32Array(this.sx.buffer, this.sx.byteOffset, 64);
  private readonly sx16 = new Uint16Array(this.sx.buffer, this.sx.byteOffset, 128);
  private readonly dentsAddr: number;
  private readonly sxAddr: number;
  private linkBuf = Buffer.allocUnsafe(LINK_BUF);
  /** Open folders, oldest first. */
  private readonly open = new Set<Dir>();

  constructor(private readonly c: Libc) {
    this.dentsAddr = c.raw ? c.raw.addressOf(this.dents) : 0;
    this.sxAddr = c.raw ? c.raw.addressOf(this.sx) : 0;
  }

  openRoot(p: string): WalkDir {
    const d = new Dir(p, null, null);
    this.reopen(d, true);
    return d;
  }

  openChild(parent: WalkDir, name: string, p: string): WalkDir {
    const par = parent as Dir;
    const d = new Dir(p, par, cname(name));
    try {
      this.reopen(d, true);
    } finally {
      this.release(par, 1);
    }
    return d;
  }

  list(dir: WalkDir, files: boolean | 'linked'): WalkListing {
    const linked = files === 'linked';
    const d = dir as Dir;
    this.ensureOpen(d);
    const c = this.c;
    const buf = this.dents;
    const names: string[] = [];
    const types: DirEntry['type'][] = [];
    /** Exact bytes of names that are not ASCII (for the byte order sort), else null. */
    let raw8: (Buffer | null)[] | null = null;
    let total = 0;
    // Raw addresses when libc took them (no Buffer view made per file), else the Buffer forms.
    const raw = c.raw && this.dentsAddr > 0 && this.sxAddr > 0 ? c.raw : null;
    const dentsAddr = this.dentsAddr;
    const sxAddr = this.sxAddr;
    const sx32 = this.sx32;
    const sx16 = this.sx16;
    for (;;) {
      const n = raw ? raw.getdents64(d.fd, dentsAddr, buf.length) : c.getdents64(d.fd, buf, buf.length);
      if (n < 0) throw osError(c.errno(), d.path, 'cannot list directory');
      if (n === 0) break;
      for (let off = 0; off < n;) {
        const reclen = buf[off + 16]! | (buf[off + 17]! << 8);
        const dt = buf[off + 18]!;
        const start = off + 19;
        off += reclen;
        // "." and ".." (the only names starting with "." of length 1 or 2 that are all dots).
        if (buf[start] === 0x2e && (buf[start + 1] === 0 || (buf[start + 1] === 0x2e && buf[start + 2] === 0))) continue;
        total++;
        if (dt === DT_REG) {
          if (!files) continue;
          // Only hard-linked files are wanted: ask for the link count by the name's bytes right
          // here in the listing (NUL-terminated in place), and drop the common nlink == 1 file
          // without ever making a string of its name. A file that fails here is returned, so the
          // walk asks again in order and reports it there.
          if (linked) {
            const rc = raw ? raw.statx(d.fd, dentsAddr + start, STATX_FLAGS, NLINK_MASK, sxAddr) : c.statx(d.fd, buf.subarray(start), STATX_FLAGS, NLINK_MASK, this.sx);
            if (rc === 0 && (sx16[14]! & S_IFMT) === S_IFREG && sx32[4] === 1) continue;
          }
        }
        let end = start;
        while (buf[end] !== 0) end++;
        let name: string;
        if (isAscii(buf, start, end)) {
          name = buf.toString('latin1', start, end);
          if (raw8) raw8.push(null);
        } else {
          const bytes = Buffer.from(buf.subarray(start, end));
          name = bytesToName(bytes);
          if (!raw8) raw8 = names.map(() => null);
          raw8.push(bytes);
        }
        names.push(name);
        types.push(dt === DT_REG ? 'file' : dt === DT_DIR ? 'directory' : dt === DT_LNK ? 'link' : dt === DT_UNKNOWN ? 'unknown' : 'special');
      }
    }
    d.listed = true;
    const order = names.map((_, i) => i);
    if (raw8) {
      const r = raw8;
      const bytes = (i: number) => r[i] ?? Buffer.from(names[i]!, 'latin1');
      order.sort((a, b) => Buffer.compare(bytes(a), bytes(b)));
    } else order.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
    const entries = new Array<DirEntry>(order.length);
    for (let i = 0; i < order.length; i++) entries[i] = { name: names[order[i]!]!, type: types[order[i]!]! };
    return { entries, total };
  }

  lstatAt(dir: WalkDir, name: string, p: string): EntryStat {
    const d = dir as Dir;
    this.ensureOpen(d);
    if (this.c.statx(d.fd, cname(name), STATX_FLAGS, STATX_MASK, this.sx) !== 0) throw osError(this.c.errno(), p, 'cannot read');
    return statOf(this.sx);
  }

  readLinkAt(dir: WalkDir, name: string, p: string, st: EntryStat): LinkData | null {
    if (st.type !== 'link') return null;
    const d = dir as Dir;
    this.ensureOpen(d);
    const n = cname(name);
    for (;;) {
      const len = this.c.readlinkat(d.fd, n, this.linkBuf, this.linkBuf.length);
      if (len < 0) throw osError(this.c.errno(), p, 'cannot read link');
      if (len < this.linkBuf.length) return { kind: 'symlink', target: bytesToName(this.linkBuf.subarray(0, len)), declaredType: null, reparse: null };
      this.linkBuf = Buffer.allocUnsafe(this.linkBuf.length * 2);
    }
  }

  dirStat(dir: WalkDir): EntryStat {
    const d = dir as Dir;
    this.ensureOpen(d);
    if (this.c.statx(d.fd, EMPTY, AT_EMPTY_PATH | STATX_FLAGS, STATX_MASK, this.sx) !== 0) throw osError(this.c.errno(), d.path, 'cannot read');
    return statOf(this.sx);
  }

  done(dir: WalkDir, subfolders: number): void {
    const d = dir as Dir;
    d.listed = true; // also after a failed listing: nothing more is read from it
    d.pending += subfolders;
    this.release(d, 0);
  }

  close(): void {
    for (const d of this.open) this.closeFd(d);
  }

  /** One subfolder of `d` was entered (or given up): close `d` once none is left and it is listed. */
  private release(d: Dir, entered: number): void {
    d.pending -= entered;
    if (d.pending <= 0 && d.listed) this.closeFd(d);
  }

  private closeFd(d: Dir): void {
    if (d.fd >= 0) {
      this.c.close(d.fd);
      d.fd = -1;
      this.open.delete(d);
    }
  }

  private ensureOpen(d: Dir): void {
    if (d.fd < 0) this.reopen(d, false);
  }

  /**
   * Open `d`: the first time by name from its parent (or by path for a root); again after it was
   * closed to stay under MAX_OPEN, checking it is still the folder that was closed (device, inode).
   */
  private reopen(d: Dir, first: boolean): void {
    if (d.parent) this.ensureOpen(d.parent);
    while (this.open.size >= MAX_OPEN) {
      // The oldest open handle that is not `d`'s parent (needed right now).
      let victim: Dir | null = null;
      for (const o of this.open) {
        if (o !== d.parent) {
          victim = o;
          break;
        }
      }
      if (!victim) break;
      this.evict(victim);
    }
    const fd = d.parent ? this.c.openat(d.parent.fd, d.cname!, OPEN_FLAGS) : this.c.openat(AT_FDCWD, cname(d.path), OPEN_FLAGS);
    if (fd < 0) throw osError(this.c.errno(), d.path, 'cannot list directory');
    if (!first) {
      const same = this.c.statx(fd, EMPTY, AT_EMPTY_PATH | STATX_FLAGS, STATX_MASK, this.sx) === 0 && devOf(this.sx) === d.dev && this.sx.readBigUInt64LE(32) === d.ino;
      if (!same) {
        this.c.close(fd);
        throw new LinkToolsError('LT_UNREADABLE', 'cannot list directory: it was replaced during the walk', d.path);
      }
    }
    d.fd = fd;
    this.open.add(d);
  }

  /** Close a handle that is still needed later: remember what it is, to check when it is reopened. */
  private evict(d: Dir): void {
    if (this.c.statx(d.fd, EMPTY, AT_EMPTY_PATH | STATX_FLAGS, STATX_MASK, this.sx) === 0) {
      d.dev = devOf(this.sx);
      d.ino = this.sx.readBigUInt64LE(32);
    }
    this.closeFd(d);
  }
}

const EMPTY = Buffer.from([0]);

/**
 * A directory-handle walker for one tree walk, or null where this platform has none (then walk by
 * path). The walk calls close() when it ends.
 */
export function linuxDirWalker(): DirWalker | null {
  const c = loadLibc();
  return c ? new LinuxDirWalker(c) : null;
}
