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
import type { DirEntry, DirWalker, EntryStat, LinkData, WalkChildren, WalkDir, WalkListing } from '../types.js';
import { ENTRY_TYPES, Prefetcher, REC, STATX_COPY, type PrefetchRecord, type PrefetchTask } from './dirfd-prefetch.js';

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

/**
 * The second core (./dirfd-prefetch.ts), asked for with LINKTOOLS_SCAN_THREADS=2: after `after`
 * folders listed here (LINKTOOLS_SCAN_PREFETCH_AFTER, default 1024; 0: from the first folder,
 * waiting for the worker to start), the walk's pending subfolders are handed to a worker thread,
 * started at half of that so it is ready by then. Off by default: the thread costs ~22 MB of
 * memory and more CPU in all, and only shortens a walk when a core is idle (docs/performance.md).
 * Read when a walker is made.
 */
function prefetchSettings(): { on: boolean; after: number; wait: boolean } {
  return {
    on: process.env.LINKTOOLS_SCAN_THREADS === '2',
    after: envInt('LINKTOOLS_SCAN_PREFETCH_AFTER', 1024),
    // For tests: at the hand-off, wait for a worker that is still starting instead of walking on.
    wait: process.env.LINKTOOLS_SCAN_PREFETCH_WAIT === '1',
  };
}

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? n : dflt;
}

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

/** What the worker read about one entry that the walk will stat (and read, for a link). */
interface Known {
  statErr: number;
  /** The statx bytes (offsets as in the statx buffer, up to STATX_COPY). */
  stat: Buffer | null;
  /** -1: not read (not a link); else 0 or the errno of readlinkat. */
  linkErr: number;
  link: Buffer | null;
}

class Dir implements WalkDir {
  fd = -1;
  /** Subfolders listed and not entered yet: the handle is needed until this is 0. */
  pending = 0;
  listed = false;
  dev = 0n;
  ino = 0n;
  /** Walked by the worker: its record number (never opened here: no handle), else -1. */
  seq = -1;
  /** The worker's record of this folder until it is listed, then what it stat'ed, by name. */
  pre: PrefetchRecord | null = null;
  known: Map<string, Known> | null = null;
  /** Subfolders handed to the worker (name -> task), and how many tasks still use this handle. */
  handed: Map<string, number> | null = null;
  pins = 0;
  closeWhenUnpinned = false;
  /**
   * Opened and not finished (listed, every subfolder entered and finished). A folder stays open
   * while a subfolder of it is live: an evicted subfolder is reopened from it, so it must be open or
   * evicted itself (with its identity recorded), never closed without one.
   */
  live = false;
  liveKids = 0;
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

/** A folder's entries as read, before sorting. */
interface Listed {
  names: string[];
  types: DirEntry['type'][];
  /** Exact bytes of names that are not ASCII (for the byte order sort), else null. */
  raw8: (Buffer | null)[] | null;
  total: number;
}

/** The entries in the order Node's readdir gives: sorted by their bytes. */
function sortedListing(acc: Listed): WalkListing {
  const { names, types, raw8 } = acc;
  const order = names.map((_, i) => i);
  if (raw8) {
    const bytes = (i: number) => raw8[i] ?? Buffer.from(names[i]!, 'latin1');
    order.sort((a, b) => Buffer.compare(bytes(a), bytes(b)));
  } else order.sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const entries = new Array<DirEntry>(order.length);
  for (let i = 0; i < order.length; i++) entries[i] = { name: names[order[i]!]!, type: types[order[i]!]! };
  return { entries, total: acc.total };
}

/** The name in bytes [start, end) of `b`, as list() makes it. */
function nameOf(b: Buffer, start = 0, end = b.length): string {
  return isAscii(b, start, end) ? b.toString('latin1', start, end) : bytesToName(Buffer.from(b.subarray(start, end)));
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
  /** The second core: the worker once started (null: not started or not available). */
  private pf: Prefetcher | null = null;
  private readonly pfAfter: number;
  private readonly pfWait: boolean;
  private pfTried: boolean;
  private listedHere = 0;
  /** Subfolders pushed by folders listed here and not entered yet, in the walk's stack order. */
  private mirror: { parent: Dir; name: string; depth: number; maxDepth: number; linked: boolean }[] = [];
  private nextTask = 0;
  private readonly tasks = new Map<number, { parent: Dir; name: string }>();

  constructor(private readonly c: Libc) {
    const pf = prefetchSettings();
    this.pfAfter = pf.after;
    this.pfWait = pf.wait;
    this.pfTried = !pf.on || !c.raw;
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
    if (par.seq < 0 && this.mirror.length > 0) this.unmirror(par, name);
    if (this.pf && (par.seq >= 0 || par.handed?.has(name))) {
      const d = this.fromWorker(par, name, p);
      if (d) return d;
    }
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
    if (d.pre) return this.listKnown(d);
    if (d.seq < 0 && ++this.listedHere >= this.pfAfter / 2 && !this.pfTried) {
      this.pfTried = true;
      this.pf = Prefetcher.start();
    }
    this.ensureOpen(d);
    const c = this.c;
    const buf = this.dents;
    const acc: Listed = { names: [], types: [], raw8: null, total: 0 };
    // Raw addresses when libc took them (no Buffer view made per file), else the Buffer forms.
    const raw = c.raw && this.dentsAddr > 0 && this.sxAddr > 0 ? c.raw : null;
    for (;;) {
      const n = raw ? raw.getdents64(d.fd, this.dentsAddr, buf.length) : c.getdents64(d.fd, buf, buf.length);
      if (n < 0) throw osError(c.errno(), d.path, 'cannot list directory');
      if (n === 0) break;
      this.entriesOf(d.fd, n, files, linked, raw, acc);
    }
    d.listed = true;
    return sortedListing(acc);
  }

  /**
   * The entries of one getdents64 answer (`n` bytes in this.dents) into `acc`. Its own function so
   * that V8 optimises this loop as a whole: compiled while running inside list() (on-stack), the
   * code after the loop had no type feedback yet and bailed out at every large folder.
   */
  private entriesOf(fd: number, n: number, files: boolean | 'linked', linked: boolean, raw: Libc['raw'], acc: Listed): void {
    const buf = this.dents;
    const dentsAddr = this.dentsAddr;
    const sxAddr = this.sxAddr;
    const sx32 = this.sx32;
    const sx16 = this.sx16;
    const { names, types } = acc;
    let total = 0;
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
          const rc = raw ? raw.statx(fd, dentsAddr + start, STATX_FLAGS, NLINK_MASK, sxAddr) : this.c.statx(fd, buf.subarray(start), STATX_FLAGS, NLINK_MASK, this.sx);
          if (rc === 0 && (sx16[14]! & S_IFMT) === S_IFREG && sx32[4] === 1) continue;
        }
      }
      let end = start;
      while (buf[end] !== 0) end++;
      let name: string;
      if (isAscii(buf, start, end)) {
        name = buf.toString('latin1', start, end);
        if (acc.raw8) acc.raw8.push(null);
      } else {
        const bytes = Buffer.from(buf.subarray(start, end));
        name = bytesToName(bytes);
        if (!acc.raw8) acc.raw8 = names.map(() => null);
        acc.raw8.push(bytes);
      }
      names.push(name);
      types.push(dt === DT_REG ? 'file' : dt === DT_DIR ? 'directory' : dt === DT_LNK ? 'link' : dt === DT_UNKNOWN ? 'unknown' : 'special');
    }
    acc.total += total;
  }

  lstatAt(dir: WalkDir, name: string, p: string): EntryStat {
    const d = dir as Dir;
    const k = d.known?.get(name);
    if (k) {
      if (k.statErr !== 0) throw osError(k.statErr, p, 'cannot read');
      return statOf(k.stat!);
    }
    this.ensureOpen(d);
    if (this.c.statx(d.fd, cname(name), STATX_FLAGS, STATX_MASK, this.sx) !== 0) throw osError(this.c.errno(), p, 'cannot read');
    return statOf(this.sx);
  }

  readLinkAt(dir: WalkDir, name: string, p: string, st: EntryStat): LinkData | null {
    if (st.type !== 'link') return null;
    const d = dir as Dir;
    const k = d.known?.get(name);
    if (k && k.linkErr >= 0) {
      if (k.linkErr !== 0) throw osError(k.linkErr, p, 'cannot read link');
      return { kind: 'symlink', target: bytesToName(k.link!), declaredType: null, reparse: null };
    }
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

  done(dir: WalkDir, subfolders: number, children?: WalkChildren): void {
    const d = dir as Dir;
    d.listed = true; // also after a failed listing: nothing more is read from it
    d.known = null;
    d.pending += subfolders;
    if (children && d.seq < 0 && this.pf && children.files !== true) {
      for (const name of children.names) this.mirror.push({ parent: d, name, depth: children.depth, maxDepth: children.maxDepth, linked: children.files === 'linked' });
      this.handOff();
    }
    this.release(d, 0);
  }

  /** Subfolders are of use only while a worker is running (done() mirrors them for the hand-off). */
  wantsChildren(): boolean {
    return this.pf !== null;
  }

  close(): void {
    // The worker first: it may still use a handle of ours (a handed-off subtree's parent).
    this.pf?.stop();
    this.pf = null;
    for (const d of [...this.open]) {
      d.pins = 0;
      this.closeFd(d);
    }
  }

  /**
   * Hand every pending subfolder to the worker, once enough folders were listed here and the worker
   * is ready, and only when each of their parents is open (the worker opens them relative to it).
   */
  private handOff(): void {
    const pf = this.pf!;
    if (this.mirror.length === 0 || this.listedHere < this.pfAfter) return;
    const ready = this.pfAfter === 0 || this.pfWait ? pf.waitReady(10_000) : pf.readyState() === 1;
    if (!ready) {
      if (pf.readyState() === -1 || pf.failed) {
        pf.stop();
        this.pf = null;
        this.mirror = [];
      }
      return;
    }
    if (this.mirror.some((m) => m.parent.fd < 0)) return;
    const tasks: PrefetchTask[] = [];
    // In the order the walk will enter them: the top of its stack first.
    for (let i = this.mirror.length - 1; i >= 0; i--) {
      const m = this.mirror[i]!;
      const id = this.nextTask++;
      (m.parent.handed ??= new Map()).set(m.name, id);
      m.parent.pins++;
      this.tasks.set(id, { parent: m.parent, name: m.name });
      tasks.push({ id, parentFd: m.parent.fd, cname: cname(m.name), depth: m.depth, maxDepth: m.maxDepth, linked: m.linked });
    }
    this.mirror = [];
    pf.send(tasks);
  }

  /** The walk enters `name` of `par`: drop it (and subfolders it did not enter here) from the mirror. */
  private unmirror(par: Dir, name: string): void {
    const m = this.mirror;
    for (let i = m.length - 1; i >= 0; i--) {
      const top = m[i]!;
      if (top.parent === par && top.name === name) {
        m.length = i;
        return;
      }
    }
  }

  /**
   * Subfolder `name` of `par` from the worker's records: records of folders the walk did not enter
   * (routed to another backend) are passed over with everything below them. Null when the worker
   * has no record of it (then it is opened here).
   */
  private fromWorker(par: Dir, name: string, p: string): Dir | null {
    const pf = this.pf!;
    for (;;) {
      if (this.tasks.size === 0) return null;
      const r = pf.peek();
      if (!r) {
        // The worker failed: what it was to walk cannot be reached from here (no handles).
        this.release(par, 1);
        throw new LinkToolsError('LT_IO', 'cannot list directory: the directory prefetch thread stopped answering', p);
      }
      if (r.kind === REC.END_TASK) {
        pf.take();
        this.endTask(r.task);
        continue;
      }
      const task = r.parentSeq < 0 ? this.tasks.get(r.task) : undefined;
      const match = r.parentSeq < 0 ? task !== undefined && task.parent === par && task.name === name : r.parentSeq === par.seq && nameOf(r.name) === name;
      if (!match) {
        this.skip(r);
        continue;
      }
      pf.take();
      const d = new Dir(p, par, null);
      d.seq = r.seq;
      this.release(par, 1);
      if (r.kind === REC.OPEN_FAILED) {
        if (r.flags & 1) throw new LinkToolsError('LT_UNREADABLE', 'cannot list directory: it was replaced during the walk', par.path);
        throw osError(r.errno, p, 'cannot list directory');
      }
      d.pre = r;
      return d;
    }
  }

  /** Pass over a record and the records of everything below it. */
  private skip(r: PrefetchRecord): void {
    const pf = this.pf!;
    const depth = r.depth;
    pf.take();
    for (let n = pf.peek(); n && n.kind !== REC.END_TASK && n.depth > depth; n = pf.peek()) pf.take();
  }

  private endTask(id: number): void {
    const t = this.tasks.get(id);
    if (!t) return;
    this.tasks.delete(id);
    t.parent.handed?.delete(t.name);
    if (--t.parent.pins <= 0 && t.parent.closeWhenUnpinned) this.closeFd(t.parent);
  }

  /** The listing of a folder the worker walked, from its record. */
  private listKnown(d: Dir): WalkListing {
    const r = d.pre!;
    d.pre = null;
    d.listed = true;
    if (r.kind === REC.LIST_FAILED) throw osError(r.errno, d.path, 'cannot list directory');
    const b = r.buf;
    const entries = new Array<DirEntry>(r.count);
    let known: Map<string, Known> | null = null;
    let at = r.entriesAt;
    for (let i = 0; i < r.count; i++) {
      const type = b[at]!;
      const info = b[at + 1]!;
      const len = b[at + 2]! | (b[at + 3]! << 8);
      const start = at + 4;
      at = start + len;
      const name = nameOf(b, start, at);
      entries[i] = { name, type: ENTRY_TYPES[type]! };
      if (info === 0) continue;
      const k: Known = { statErr: 0, stat: null, linkErr: -1, link: null };
      if (info & 1) {
        k.statErr = b.readInt32LE(at);
        at += 4;
        if (k.statErr === 0) {
          k.stat = b.subarray(at, at + STATX_COPY);
          at += STATX_COPY;
        }
      }
      if (info & 4) {
        k.linkErr = b.readInt32LE(at);
        at += 4;
        if (k.linkErr === 0) {
          const n = b.readUInt32LE(at);
          k.link = b.subarray(at + 4, at + 4 + n);
          at += 4 + n;
        }
      }
      (known ??= new Map()).set(name, k);
    }
    d.known = known;
    return { entries, total: r.total };
  }

  /** One subfolder of `d` was entered (or given up): close `d` once none is left and it is listed. */
  private release(d: Dir, entered: number): void {
    d.pending -= entered;
    this.finishIfDone(d);
  }

  /**
   * Close a folder that is listed, whose subfolders are all entered and finished; then maybe its
   * parent, and so on up (a loop: a chain may be deeper than the call stack).
   */
  private finishIfDone(d: Dir | null): void {
    while (d && d.live && d.pending <= 0 && d.listed && d.liveKids <= 0) {
      d.live = false;
      this.closeFd(d);
      d = d.parent;
      if (d) d.liveKids--;
    }
  }

  private closeFd(d: Dir): void {
    if (d.pins > 0) {
      d.closeWhenUnpinned = true; // the worker may still open a handed-off subfolder from it
      return;
    }
    if (d.fd >= 0) {
      this.c.close(d.fd);
      d.fd = -1;
      this.open.delete(d);
    }
  }

  private ensureOpen(d: Dir): void {
    if (d.fd >= 0) return;
    // A folder the worker walked has no handle here and is not reopened by path.
    if (d.seq >= 0) throw new LinkToolsError('LT_UNREADABLE', 'cannot read directory: its handle is with the directory prefetch thread', d.path);
    this.reopen(d, false);
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
        if (o !== d.parent && o.pins === 0) {
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
    if (first) {
      d.live = true;
      if (d.parent) d.parent.liveKids++;
    }
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
