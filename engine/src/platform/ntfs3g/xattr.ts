/**
 * Extended attributes through libc (koffi): Node has no xattr API. Only the `l*` variants are bound,
 * so a call never follows a link: ntfs-3g shows every reparse point as a symbolic link, and the
 * attributes we want are those of the reparse point itself, never of what it leads to.
 *
 * ntfs-3g's attributes (see ntfs-3g(8), "Extended attributes"):
 *   system.ntfs_attrib_be       the Windows file attributes, 4 bytes big-endian (endian-independent twin
 *                               of system.ntfs_attrib, which is native-endian)
 *   system.ntfs_reparse_data    the raw reparse data buffer ([MS-FSCC] 2.1.2); setting it on an empty
 *                               file or directory makes it a reparse point
 */
import os from 'node:os';
import { LinkToolsError } from '../../errors.js';
import { loadKoffi, type Koffi } from '../native.js';
import { nameToBytes } from '../pathbytes.js';

/** The exact bytes of a path (escaped non-UTF-8 bytes included), NUL-terminated for libc. */
function cpath(p: string): Buffer {
  const b = nameToBytes(p);
  const out = Buffer.alloc(b.length + 1);
  out.set(b);
  return out;
}

export const XATTR_ATTRIB_BE = 'system.ntfs_attrib_be';
export const XATTR_REPARSE = 'system.ntfs_reparse_data';

/** Windows file attributes (winnt.h) that matter here. */
export const FILE_ATTRIBUTE = {
  READONLY: 0x1,
  HIDDEN: 0x2,
  SYSTEM: 0x4,
  DIRECTORY: 0x10,
  ARCHIVE: 0x20,
  NORMAL: 0x80,
  TEMPORARY: 0x100,
  SPARSE_FILE: 0x200,
  REPARSE_POINT: 0x400,
  COMPRESSED: 0x800,
  OFFLINE: 0x1000,
  NOT_CONTENT_INDEXED: 0x2000,
  ENCRYPTED: 0x4000,
  RECALL_ON_OPEN: 0x40000,
  RECALL_ON_DATA_ACCESS: 0x400000,
} as const;

/** Names of the attribute bits that are set, in bit order (for `reparse.details`). */
export function attributeNames(attrib: number): string[] {
  return Object.entries(FILE_ATTRIBUTE)
    .filter(([, bit]) => (attrib & bit) !== 0)
    .sort((a, b) => a[1] - b[1])
    .map(([name]) => name);
}

interface Libc {
  lgetxattr(path: Buffer, name: string, value: Buffer | null, size: number): number | bigint;
  lsetxattr(path: Buffer, name: string, value: Buffer, size: number, flags: number): number;
  lremovexattr(path: Buffer, name: string): number;
  koffi: Koffi;
}

let libc: Libc | null | undefined;
let libcError: string | null = null;

/** The bound functions, or null (with `xattrUnavailableReason()`) when FFI cannot load. */
export function getLibc(): Libc | null {
  if (libc !== undefined) return libc;
  const { koffi, error } = loadKoffi();
  if (!koffi) {
    libcError = `the FFI package koffi did not load: ${error}`;
    return (libc = null);
  }
  try {
    const lib = koffi.load('libc.so.6');
    libc = {
      koffi,
      lgetxattr: lib.func('intptr_t lgetxattr(const char *path, const char *name, void *value, size_t size)'),
      lsetxattr: lib.func('int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)'),
      lremovexattr: lib.func('int lremovexattr(const char *path, const char *name)'),
    };
  } catch (e) {
    libcError = `libc.so.6 could not be bound through koffi: ${(e as Error).message}`;
    libc = null;
  }
  return libc;
}

const ERRNO_NAMES: Map<number, string> = new Map(Object.entries(os.constants.errno).map(([name, n]) => [n, name]));

/** An OS error as Node would raise it (code = errno name), so fromOsError maps it like any other. */
class XattrError extends Error {
  constructor(
    readonly code: string,
    readonly errno: number,
    readonly path: string,
    readonly syscall: string,
  ) {
    super(`${code}: ${syscall} '${path}'`);
  }
}

function failure(l: Libc, syscall: string, path: string): XattrError {
  const n = Number(l.koffi.errno());
  return new XattrError(ERRNO_NAMES.get(n) ?? `E${n}`, n, path, syscall);
}

function need(): Libc {
  const l = getLibc();
  if (!l) throw new LinkToolsError('LT_UNSUPPORTED_KIND', `Cannot read NTFS attributes: ${libcError}`);
  return l;
}

/**
 * Read an attribute of the entry itself. Returns null when the entry has no such attribute
 * (ENODATA); throws XattrError for anything else (ENOTSUP on a file system without it, EIO, ...).
 */
export function lgetxattr(path: string, name: string): Buffer | null {
  const l = need();
  let size = 4096;
  for (;;) {
    const buf = Buffer.alloc(size);
    const n = Number(l.lgetxattr(cpath(path), name, buf, buf.length));
    if (n >= 0) return buf.subarray(0, n);
    const err = failure(l, 'lgetxattr', path);
    if (err.code === 'ENODATA') return null;
    if (err.code !== 'ERANGE' || size >= 1 << 20) throw err;
    size *= 4; // the value grew between calls or is larger than a reparse buffer can be: try bigger
  }
}

export function lsetxattr(path: string, name: string, value: Uint8Array): void {
  const l = need();
  const buf = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (l.lsetxattr(cpath(path), name, buf, buf.length, 0) !== 0) throw failure(l, 'lsetxattr', path);
}

export function lremovexattr(path: string, name: string): void {
  const l = need();
  if (l.lremovexattr(cpath(path), name) !== 0) throw failure(l, 'lremovexattr', path);
}
