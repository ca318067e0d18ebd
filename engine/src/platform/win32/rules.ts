/**
 * The pure half of the win32 backend: Windows error numbers, attribute and handle-information
 * decoding, reparse data → LinkData, and deciding how a link is removed (following a chain and
 * swapping a link in place are shared with the other backends: ../chain.ts, ../swap.ts).
 *
 * No I/O and no FFI: the win32 backend feeds these with what kernel32 returns, the mock backend
 * (acting as Windows) feeds them with its in-memory state, and both are unit-tested on Linux.
 */
import { fromOsError, LinkToolsError } from '../../errors.js';
import type { EntryStat, LinkData } from '../types.js';
import { fileIdHex } from './paths.js';

// ---------------------------------------------------------------------------------------------
// Errors: GetLastError() numbers → names; errors.ts maps the names to LT_ codes (one table).

/** The Windows error numbers the backend can meet, by name (winerror.h). */
const WIN32_ERROR_NAMES: Readonly<Record<number, string>> = {
  1: 'ERROR_INVALID_FUNCTION',
  2: 'ERROR_FILE_NOT_FOUND',
  3: 'ERROR_PATH_NOT_FOUND',
  5: 'ERROR_ACCESS_DENIED',
  6: 'ERROR_INVALID_HANDLE',
  15: 'ERROR_INVALID_DRIVE',
  17: 'ERROR_NOT_SAME_DEVICE',
  19: 'ERROR_WRITE_PROTECT',
  21: 'ERROR_NOT_READY',
  32: 'ERROR_SHARING_VIOLATION',
  33: 'ERROR_LOCK_VIOLATION',
  38: 'ERROR_HANDLE_EOF',
  50: 'ERROR_NOT_SUPPORTED',
  53: 'ERROR_BAD_NETPATH',
  67: 'ERROR_BAD_NET_NAME',
  80: 'ERROR_FILE_EXISTS',
  87: 'ERROR_INVALID_PARAMETER',
  120: 'ERROR_CALL_NOT_IMPLEMENTED',
  122: 'ERROR_INSUFFICIENT_BUFFER',
  123: 'ERROR_INVALID_NAME',
  145: 'ERROR_DIR_NOT_EMPTY',
  161: 'ERROR_BAD_PATHNAME',
  183: 'ERROR_ALREADY_EXISTS',
  206: 'ERROR_FILENAME_EXCED_RANGE',
  234: 'ERROR_MORE_DATA',
  267: 'ERROR_DIRECTORY',
  1142: 'ERROR_TOO_MANY_LINKS',
  1314: 'ERROR_PRIVILEGE_NOT_HELD',
  1920: 'ERROR_CANT_ACCESS_FILE',
  1921: 'ERROR_CANT_RESOLVE_FILENAME',
  4390: 'ERROR_NOT_A_REPARSE_POINT',
  4391: 'ERROR_REPARSE_ATTRIBUTE_CONFLICT',
  4392: 'ERROR_INVALID_REPARSE_DATA',
  4393: 'ERROR_REPARSE_TAG_INVALID',
  4394: 'ERROR_REPARSE_TAG_MISMATCH',
};

export const ERROR_INVALID_FUNCTION = 1;
export const ERROR_FILE_NOT_FOUND = 2;
export const ERROR_PATH_NOT_FOUND = 3;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_NOT_SAME_DEVICE = 17;
export const ERROR_SHARING_VIOLATION = 32;
export const ERROR_HANDLE_EOF = 38;
export const ERROR_NOT_SUPPORTED = 50;
export const ERROR_FILE_EXISTS = 80;
export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_CALL_NOT_IMPLEMENTED = 120;
export const ERROR_INVALID_NAME = 123;
export const ERROR_DIR_NOT_EMPTY = 145;
export const ERROR_ALREADY_EXISTS = 183;
export const ERROR_MORE_DATA = 234;
export const ERROR_DIRECTORY = 267;
export const ERROR_TOO_MANY_LINKS = 1142;
export const ERROR_PRIVILEGE_NOT_HELD = 1314;
export const ERROR_CANT_ACCESS_FILE = 1920;
export const ERROR_CANT_RESOLVE_FILENAME = 1921;
export const ERROR_NOT_A_REPARSE_POINT = 4390;
export const ERROR_INVALID_REPARSE_DATA = 4392;
export const ERROR_REPARSE_TAG_INVALID = 4393;
export const ERROR_REPARSE_TAG_MISMATCH = 4394;

/** `ERROR_…` name of a Windows error number (`WIN32_ERROR_<n>` when unknown). */
export function win32ErrorName(errno: number): string {
  return WIN32_ERROR_NAMES[errno] ?? `WIN32_ERROR_${errno}`;
}

/**
 * Turn a GetLastError() value into a LinkToolsError through the one table in errors.ts.
 * ERROR_PRIVILEGE_NOT_HELD gets the full hint (Developer Mode, elevation, or a junction).
 */
export function win32Error(errno: number, path: string, what: string): LinkToolsError {
  const name = win32ErrorName(errno);
  const e = fromOsError({ code: name, message: name }, path, what);
  const details = { ...(e.details ?? {}), osCode: name, winError: errno };
  if (e.code === 'LT_PRIVILEGE_REQUIRED') {
    return new LinkToolsError(
      'LT_PRIVILEGE_REQUIRED',
      `${what}: this account does not hold SeCreateSymbolicLinkPrivilege (${name}). Enable Developer Mode (Settings > System > For developers), run elevated, or use --kind junction for a local directory.`,
      path,
      details,
    );
  }
  return new LinkToolsError(e.code, e.message, path, details);
}

// ---------------------------------------------------------------------------------------------
// Attributes and BY_HANDLE_FILE_INFORMATION

export const FILE_ATTRIBUTE_READONLY = 0x1;
export const FILE_ATTRIBUTE_DIRECTORY = 0x10;
const FILE_ATTRIBUTE_DEVICE = 0x40;
const FILE_ATTRIBUTE_NORMAL = 0x80;
const FILE_ATTRIBUTE_SPARSE_FILE = 0x200;
export const FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
const FILE_ATTRIBUTE_OFFLINE = 0x1000;
const FILE_ATTRIBUTE_RECALL_ON_OPEN = 0x40000;
const FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS = 0x400000;

/** What an entry is from its attributes alone: any reparse point is a 'link' (see Backend.lstat). */
export function entryTypeFromAttributes(attrs: number): EntryStat['type'] {
  if (attrs & FILE_ATTRIBUTE_REPARSE_POINT) return 'link';
  if (attrs & FILE_ATTRIBUTE_DIRECTORY) return 'directory';
  if (attrs & FILE_ATTRIBUTE_DEVICE) return 'special';
  return 'file';
}

/** Attributes that say opening the entry's data would recall it from elsewhere (cloud, HSM). */
export function isRecallAttributes(attrs: number): boolean {
  return (attrs & (FILE_ATTRIBUTE_OFFLINE | FILE_ATTRIBUTE_RECALL_ON_OPEN | FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS)) !== 0;
}

/** FILETIME (100 ns since 1601-01-01 UTC) → milliseconds since the Unix epoch. */
export function filetimeToMs(low: number, high: number): number {
  const t = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
  return Number(t / 10_000n) - 11_644_473_600_000;
}

/** Size of BY_HANDLE_FILE_INFORMATION. */
export const BY_HANDLE_FILE_INFORMATION_SIZE = 52;

/** The fields of BY_HANDLE_FILE_INFORMATION the backend uses. */
interface HandleInfo {
  attributes: number;
  lastWriteMs: number;
  volumeSerial: number;
  size: number;
  links: number;
  fileIndexHigh: number;
  fileIndexLow: number;
}

/** Decode BY_HANDLE_FILE_INFORMATION (52 bytes, little-endian) as GetFileInformationByHandle fills it. */
export function decodeHandleInfo(buf: Uint8Array): HandleInfo {
  if (buf.length < BY_HANDLE_FILE_INFORMATION_SIZE) throw new LinkToolsError('LT_INTERNAL', `BY_HANDLE_FILE_INFORMATION needs 52 bytes, got ${buf.length}`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const u = (o: number) => dv.getUint32(o, true);
  return {
    attributes: u(0),
    lastWriteMs: filetimeToMs(u(20), u(24)),
    volumeSerial: u(28),
    size: u(32) * 0x1_0000_0000 + u(36),
    links: u(40),
    fileIndexHigh: u(44),
    fileIndexLow: u(48),
  };
}

/** An EntryStat from handle information (links not followed: the handle was opened on the entry itself). */
export function entryStatFromHandleInfo(h: HandleInfo): EntryStat {
  const type = entryTypeFromAttributes(h.attributes);
  return {
    type,
    fileId: fileIdHex(h.volumeSerial, h.fileIndexHigh, h.fileIndexLow),
    dev: BigInt(h.volumeSerial >>> 0),
    nlink: h.links,
    size: h.attributes & FILE_ATTRIBUTE_DIRECTORY ? 0 : h.size,
    mtimeMs: h.lastWriteMs,
  };
}

// ---------------------------------------------------------------------------------------------
// Reparse data → LinkData

// Classification of parsed reparse data is shared with the ntfs3g and mock backends.
export { linkDataFromReparse, reparseRecord, storedTarget } from '../classify.js';

// ---------------------------------------------------------------------------------------------
// Removal (following a chain and swapping a link in place are shared: ../chain.ts, ../swap.ts)

type RemovalMethod = 'removeDirectory' | 'deleteFile';

/**
 * How to delete a link entry without touching what it points to: a directory symlink, junction or
 * mount point is an (empty) directory entry → RemoveDirectoryW; a file symlink or a hard-link name →
 * DeleteFileW. Reparse points that are not links (cloud placeholders, dedup, WOF…) are the data
 * itself, so they are refused.
 */
export function removalMethod(data: LinkData | null, isDirectory: boolean, path: string): RemovalMethod {
  if (data?.reparse && !data.reparse.isLink) {
    throw new LinkToolsError(
      'LT_NOT_A_LINK',
      `This is a ${data.reparse.label ?? data.reparse.tagName} reparse point (${data.reparse.tagName}), not a link: removing it would delete the data it stands for. Nothing was removed.`,
      path,
      { tag: data.reparse.tagHex },
    );
  }
  return isDirectory ? 'removeDirectory' : 'deleteFile';
}

// ---------------------------------------------------------------------------------------------
// Handle-anchored operations: what a handle says, whether it is what was checked, and the
// buffers SetFileInformationByHandle takes.

/** What the backend reads from a handle it opened on the entry itself. */
export interface HandleFacts {
  info: HandleInfo;
  /** FILE_ATTRIBUTE_TAG_INFO.ReparseTag (0 when the entry is not a reparse point). */
  tag: number;
}

/** What a check recorded about an entry (its lstat) and must still hold for the handle acted through. */
export interface CheckedEntry {
  fileId: string;
  attributes: number;
  tag: number;
}

/** A short description of what an entry is, from its handle facts (for error messages). */
export function describeFacts(f: { attributes: number; tag: number }): string {
  if (f.attributes & FILE_ATTRIBUTE_REPARSE_POINT) return `a reparse point with tag 0x${(f.tag >>> 0).toString(16).padStart(8, '0')}`;
  return f.attributes & FILE_ATTRIBUTE_DIRECTORY ? 'a directory' : 'a file';
}

/**
 * Null when the handle is on the entry that was checked (same volume serial and file index, same
 * reparse-point attribute and tag, same file/directory attribute), else the error to throw: the
 * name now leads elsewhere (a leaf or a parent was swapped), so nothing may be done through it.
 * Codes as on POSIX: LT_NOT_A_LINK when a real file or directory is there now, else LT_BUSY.
 */
export function changedEntryError(p: string, checked: CheckedEntry, now: HandleFacts, what: string): LinkToolsError | null {
  const nowId = fileIdHex(now.info.volumeSerial, now.info.fileIndexHigh, now.info.fileIndexLow);
  const mask = FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DIRECTORY;
  const tagNow = now.info.attributes & FILE_ATTRIBUTE_REPARSE_POINT ? now.tag >>> 0 : 0;
  const tagThen = checked.attributes & FILE_ATTRIBUTE_REPARSE_POINT ? checked.tag >>> 0 : 0;
  if (nowId === checked.fileId && (now.info.attributes & mask) === (checked.attributes & mask) && tagNow === tagThen) return null;
  const nowFacts = { attributes: now.info.attributes, tag: now.tag };
  const real = !(now.info.attributes & FILE_ATTRIBUTE_REPARSE_POINT) && now.info.links <= 1;
  return new LinkToolsError(
    real ? 'LT_NOT_A_LINK' : 'LT_BUSY',
    `The entry changed while LinkTools was about to ${what} it (it is now ${describeFacts(nowFacts)}, file id ${nowId}, not the one checked): nothing was changed.`,
    p,
    { checkedFileId: checked.fileId, fileId: nowId },
  );
}

/**
 * Errors after which SetFileInformationByHandle(FileDispositionInfoEx) is retried with the older
 * FileDispositionInfo: the class is unknown (before Windows 10 1607: ERROR_INVALID_PARAMETER), a flag
 * is unknown (IGNORE_READONLY before 1809: ERROR_INVALID_PARAMETER), or the file system has no POSIX
 * delete (FAT, exFAT, many SMB servers: ERROR_NOT_SUPPORTED / ERROR_INVALID_FUNCTION). Wine's stub
 * answers ERROR_CALL_NOT_IMPLEMENTED. The same list as libuv and Go's os.Remove fall back on.
 */
export function dispositionExUnsupported(err: number): boolean {
  return err === ERROR_INVALID_PARAMETER || err === ERROR_NOT_SUPPORTED || err === ERROR_INVALID_FUNCTION || err === ERROR_CALL_NOT_IMPLEMENTED;
}

/**
 * FILE_RENAME_INFO for SetFileInformationByHandle(FileRenameInfo), x64 layout: the BOOLEAN
 * ReplaceIfExists (or DWORD Flags for FileRenameInfoEx) at 0, HANDLE RootDirectory at 8, DWORD
 * FileNameLength (bytes, no NUL) at 16, FileName at 20, NUL-terminated; the size passed is the
 * whole buffer.
 */
export function encodeRenameInfo(newName: string, flagsOrReplace: number): Buffer {
  const name = Buffer.from(newName, 'utf16le');
  const size = Math.ceil((20 + name.length + 2) / 8) * 8;
  const buf = Buffer.alloc(size);
  buf.writeUInt32LE(flagsOrReplace >>> 0, 0);
  buf.writeBigUInt64LE(0n, 8);
  buf.writeUInt32LE(name.length, 16);
  name.copy(buf, 20);
  return buf;
}

/** Attributes SetFileInformationByHandle(FileBasicInfo) must not be handed back (the file system owns them). */
const NOT_SETTABLE = FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_SPARSE_FILE | 0x800 /* COMPRESSED */ | 0x4000; /* ENCRYPTED */

/**
 * FILE_BASIC_INFO (40 bytes) that leaves the times alone (0 = unchanged) and sets the attributes to
 * `attrs` without the read-only bit; FILE_ATTRIBUTE_NORMAL when nothing is left (0 would mean
 * "unchanged").
 */
export function encodeBasicInfoWithout(attrs: number, clear: number): Buffer {
  const buf = Buffer.alloc(40);
  let a = attrs & ~clear & ~NOT_SETTABLE;
  if (a === 0) a = FILE_ATTRIBUTE_NORMAL;
  buf.writeUInt32LE(a >>> 0, 32);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// The directory-query fallback of lstat (FindFirstFileExW), as libuv does for pagefile.sys & co.

/** The fields of WIN32_FIND_DATAW the fallback uses. */
interface FindData {
  attributes: number;
  lastWriteMs: number;
  size: number;
  /** dwReserved0: the reparse tag when FILE_ATTRIBUTE_REPARSE_POINT is set, else undefined content. */
  tag: number;
  name: string;
}

/** Decode WIN32_FIND_DATAW (592 bytes): attributes at 0, ftLastWriteTime at 20, size high/low at 28/32, dwReserved0 at 36, cFileName at 44. */
export function decodeFindData(buf: Uint8Array): FindData {
  if (buf.length < 564) throw new LinkToolsError('LT_INTERNAL', `WIN32_FIND_DATAW needs 592 bytes, got ${buf.length}`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const u = (o: number) => dv.getUint32(o, true);
  const attributes = u(0);
  const nameBytes = Buffer.from(buf.buffer, buf.byteOffset + 44, 520).toString('utf16le');
  const nul = nameBytes.indexOf('\0');
  return {
    attributes,
    lastWriteMs: filetimeToMs(u(20), u(24)),
    size: u(28) * 0x1_0000_0000 + u(32),
    tag: attributes & FILE_ATTRIBUTE_REPARSE_POINT ? u(36) : 0,
    name: nul < 0 ? nameBytes : nameBytes.slice(0, nul),
  };
}

/**
 * A name FindFirstFileExW would treat as a pattern (`*`, `?`, and the DOS wildcards `<`, `>`, `"`):
 * such a name cannot be a real NTFS name, and a query for it would match other entries.
 */
export function isFindPattern(base: string): boolean {
  return base === '' || /[*?<>"]/.test(base);
}

/**
 * The EntryStat of the fallback. A directory entry has no file index, link count or volume serial:
 * `fileId` is `path:` + the upper-cased path (unique, never equal to a real vvvvvvvv:iiii… id, so
 * it is never taken for another name of a hard-linked file), `nlink` 1, `dev` 0.
 */
export function entryStatFromFindData(fd: FindData, p: string): EntryStat {
  const type = entryTypeFromAttributes(fd.attributes);
  return {
    type,
    fileId: `path:${p.toUpperCase()}`,
    dev: 0n,
    nlink: 1,
    size: fd.attributes & FILE_ATTRIBUTE_DIRECTORY ? 0 : fd.size,
    mtimeMs: fd.lastWriteMs,
  };
}
