/**
 * The libc calls the handle-anchored operations need (openat, statx, renameat2, …), bound through
 * koffi (loaded by ../native.ts). Linux only: names and flags below are Linux's (glibc 2.28+ has
 * statx and renameat2). On any other system, or when koffi or libc cannot be bound, `getLibc()`
 * returns null and says why (`libcUnavailableReason()`); the callers then fall back to Node's
 * path-based calls (see docs/safety.md).
 *
 * Every name argument is the exact bytes of the name (NUL-terminated here), so a name that is not
 * valid UTF-8 (carried as surrogate escapes, see ../pathbytes.ts) reaches the kernel unchanged.
 * A failing call throws SysError, whose `code` is the errno name (ENOENT, ELOOP …): errors.ts's one
 * table (fromOsError) turns it into an LT_ code like any error Node raises.
 */
import fs from 'node:fs';
import os from 'node:os';
import { loadKoffi, type Koffi } from '../native.js';

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_EMPTY_PATH = 0x1000;
export const RENAME_NOREPLACE = 1;
export const RENAME_EXCHANGE = 2;
/** Same value on every Linux architecture (asm-generic and x86). */
const O_CLOEXEC = 0o2000000;
const C = fs.constants;
export const O_DIRECTORY = C.O_DIRECTORY;
export const O_NOFOLLOW = C.O_NOFOLLOW;
export const O_RDONLY = C.O_RDONLY;
export const O_WRONLY = C.O_WRONLY;
export const O_CREAT = C.O_CREAT;
export const O_EXCL = C.O_EXCL;
export const O_NONBLOCK = C.O_NONBLOCK;
export { O_CLOEXEC };
const STATX_BASIC_STATS = 0x7ff;

const ERRNO_NAMES: Map<number, string> = new Map(Object.entries(os.constants.errno).map(([name, n]) => [n, name]));

/** An OS error as Node would raise it (code = errno name), so fromOsError maps it like any other. */
class SysError extends Error {
  constructor(
    readonly code: string,
    readonly errno: number,
    readonly syscall: string,
  ) {
    super(`${code}: ${syscall}`);
  }
}

/** What statx says about one entry (the fields the checks need). */
export interface Stx {
  mode: number;
  uid: number;
  nlink: number;
  ino: bigint;
  dev: bigint;
  size: number;
  mtimeMs: number;
  /** `${dev}:${ino}`, the same form as the posix backend's EntryStat.fileId (Node's st_dev). */
  fileId: string;
}

interface Raw {
  koffi: Koffi;
  openat: (...a: unknown[]) => number;
  close: (fd: number) => number;
  statx: (dirfd: number, name: Buffer, flags: number, mask: number, out: Buffer) => number;
  readlinkat: (dirfd: number, name: Buffer, out: Buffer, size: number) => number | bigint;
  renameat2: (ofd: number, oname: Buffer, nfd: number, nname: Buffer, flags: number) => number;
  unlinkat: (dirfd: number, name: Buffer, flags: number) => number;
  symlinkat: (target: Buffer, dirfd: number, name: Buffer) => number;
  linkat: (ofd: number, oname: Buffer, nfd: number, nname: Buffer, flags: number) => number;
  mkdirat: (dirfd: number, name: Buffer, mode: number) => number;
  fgetxattr: (fd: number, name: string, out: Buffer | null, size: number) => number | bigint;
  fsetxattr: (fd: number, name: string, value: Buffer, size: number, flags: number) => number;
  fremovexattr: (fd: number, name: string) => number;
}

let raw: Raw | null | undefined;
let reason: string | null = null;

function bind(): Raw | null {
  if (raw !== undefined) return raw;
  if (process.platform !== 'linux') {
    reason = `handle-anchored calls are implemented for Linux only (this is ${process.platform})`;
    return (raw = null);
  }
  if (process.env.LINKTOOLS_ANCHORED === '0') {
    reason = 'LINKTOOLS_ANCHORED=0 turned the handle-anchored calls off';
    return (raw = null);
  }
  const { koffi, error } = loadKoffi();
  if (!koffi) {
    reason = `the FFI package koffi did not load: ${error}`;
    return (raw = null);
  }
  try {
    const lib = koffi.load('libc.so.6');
    const openat = lib.func('int openat(int dirfd, const char *name, int flags, ...)');
    raw = {
      koffi,
      openat: (...a: unknown[]) => openat(...a) as number,
      close: lib.func('int close(int fd)'),
      statx: lib.func('int statx(int dirfd, const char *name, int flags, unsigned int mask, _Out_ uint8_t *out)'),
      readlinkat: lib.func('intptr_t readlinkat(int dirfd, const char *name, _Out_ uint8_t *out, size_t size)'),
      renameat2: lib.func('int renameat2(int ofd, const char *oname, int nfd, const char *nname, unsigned int flags)'),
      unlinkat: lib.func('int unlinkat(int dirfd, const char *name, int flags)'),
      symlinkat: lib.func('int symlinkat(const char *target, int dirfd, const char *name)'),
      linkat: lib.func('int linkat(int ofd, const char *oname, int nfd, const char *nname, int flags)'),
      mkdirat: lib.func('int mkdirat(int dirfd, const char *name, uint32_t mode)'),
      fgetxattr: lib.func('intptr_t fgetxattr(int fd, const char *name, _Out_ uint8_t *value, size_t size)'),
      fsetxattr: lib.func('int fsetxattr(int fd, const char *name, const uint8_t *value, size_t size, int flags)'),
      fremovexattr: lib.func('int fremovexattr(int fd, const char *name)'),
    };
  } catch (e) {
    reason = `libc.so.6 could not be bound through koffi: ${(e as Error).message}`;
    raw = null;
  }
  return raw;
}

/** Null when the anchored calls are not available here (see libcUnavailableReason). */
export function getLibc(): Libc | null {
  return bind() ? libc : null;
}

export function libcUnavailableReason(): string | null {
  bind();
  return reason;
}

function fail(r: Raw, syscall: string): SysError {
  const n = Number(r.koffi.errno());
  return new SysError(ERRNO_NAMES.get(n) ?? `E${n}`, n, syscall);
}

/** NUL-terminated copy of a name's bytes. */
function cstr(b: Uint8Array): Buffer {
  const out = Buffer.alloc(b.length + 1);
  out.set(b);
  return out;
}

const EMPTY = Buffer.from([0]);

/** glibc's makedev (what Node reports as st_dev). */
function makedev(major: number, minor: number): bigint {
  const ma = BigInt(major >>> 0);
  const mi = BigInt(minor >>> 0);
  return ((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn);
}

function parseStatx(b: Buffer): Stx {
  const ino = b.readBigUInt64LE(32);
  const dev = makedev(b.readUInt32LE(136), b.readUInt32LE(140));
  const mtimeMs = Number(b.readBigInt64LE(112)) * 1000 + b.readUInt32LE(120) / 1e6;
  return {
    mode: b.readUInt16LE(28),
    uid: b.readUInt32LE(20),
    nlink: b.readUInt32LE(16),
    ino,
    dev,
    size: Number(b.readBigUInt64LE(40)),
    mtimeMs,
    fileId: `${dev}:${ino}`,
  };
}

/** The bound calls; every one throws SysError on failure. Names are raw bytes (no NUL). */
export const libc = {
  openat(dirfd: number, name: Uint8Array, flags: number, mode = 0): number {
    const r = raw!;
    const fd = r.openat(dirfd, cstr(name), flags | O_CLOEXEC, 'int', mode);
    if (fd < 0) throw fail(r, 'openat');
    return fd;
  },
  close(fd: number): void {
    raw!.close(fd);
  },
  /** statx of `name` in `dirfd`, the entry itself (links not followed); `name` empty: the fd itself. */
  fstatat(dirfd: number, name: Uint8Array): Stx {
    const r = raw!;
    const out = Buffer.alloc(256);
    const flags = name.length === 0 ? AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW : AT_SYMLINK_NOFOLLOW;
    if (r.statx(dirfd, name.length === 0 ? EMPTY : cstr(name), flags, STATX_BASIC_STATS, out) !== 0) throw fail(r, 'statx');
    return parseStatx(out);
  },
  readlinkat(dirfd: number, name: Uint8Array): Buffer {
    const r = raw!;
    for (let size = 4096; ; size *= 4) {
      const out = Buffer.alloc(size);
      const n = Number(r.readlinkat(dirfd, cstr(name), out, size));
      if (n < 0) throw fail(r, 'readlinkat');
      if (n < size || size >= 1 << 20) return out.subarray(0, n);
    }
  },
  renameat2(ofd: number, oname: Uint8Array, nfd: number, nname: Uint8Array, flags: number): void {
    const r = raw!;
    if (r.renameat2(ofd, cstr(oname), nfd, cstr(nname), flags) !== 0) throw fail(r, 'renameat2');
  },
  unlinkat(dirfd: number, name: Uint8Array, flags: number): void {
    const r = raw!;
    if (r.unlinkat(dirfd, cstr(name), flags) !== 0) throw fail(r, 'unlinkat');
  },
  symlinkat(target: Uint8Array, dirfd: number, name: Uint8Array): void {
    const r = raw!;
    if (r.symlinkat(cstr(target), dirfd, cstr(name)) !== 0) throw fail(r, 'symlinkat');
  },
  linkat(ofd: number, oname: Uint8Array, nfd: number, nname: Uint8Array): void {
    const r = raw!;
    if (r.linkat(ofd, cstr(oname), nfd, cstr(nname), 0) !== 0) throw fail(r, 'linkat');
  },
  mkdirat(dirfd: number, name: Uint8Array, mode: number): void {
    const r = raw!;
    if (r.mkdirat(dirfd, cstr(name), mode) !== 0) throw fail(r, 'mkdirat');
  },
  /** An attribute of an open file; null when it has none (ENODATA). */
  fgetxattr(fd: number, attr: string): Buffer | null {
    const r = raw!;
    for (let size = 4096; ; size *= 4) {
      const out = Buffer.alloc(size);
      const n = Number(r.fgetxattr(fd, attr, out, size));
      if (n >= 0) return out.subarray(0, n);
      const err = fail(r, 'fgetxattr');
      if (err.code === 'ENODATA') return null;
      if (err.code !== 'ERANGE' || size >= 1 << 20) throw err;
    }
  },
  fsetxattr(fd: number, attr: string, value: Uint8Array): void {
    const r = raw!;
    const b = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (r.fsetxattr(fd, attr, b, b.length, 0) !== 0) throw fail(r, 'fsetxattr');
  },
  fremovexattr(fd: number, attr: string): void {
    const r = raw!;
    if (r.fremovexattr(fd, attr) !== 0) throw fail(r, 'fremovexattr');
  },
};

export type Libc = typeof libc;

export const S_IFMT = 0o170000;
export const S_IFLNK = 0o120000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const isLnk = (s: Stx) => (s.mode & S_IFMT) === S_IFLNK;
export const isReg = (s: Stx) => (s.mode & S_IFMT) === S_IFREG;
export const isDir = (s: Stx) => (s.mode & S_IFMT) === S_IFDIR;
