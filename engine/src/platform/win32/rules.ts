/**
 * The pure half of the win32 backend: Windows error numbers, attribute and handle-information
 * decoding, reparse data → LinkData, and the small algorithms (follow a chain without hydrating,
 * replace a directory link by moving the old one aside, decide how a link is removed).
 *
 * No I/O and no FFI: the win32 backend feeds these with what kernel32 returns, the mock backend
 * (acting as Windows) feeds them with its in-memory state, and both are unit-tested on Linux.
 */
import type { TargetType } from '../../contract/types.js';
import { fromOsError, LinkToolsError } from '../../errors.js';
import { IO_REPARSE_TAG_MOUNT_POINT, IO_REPARSE_TAG_SYMLINK } from '../../core/reparse/index.js';
import path from 'node:path';
import type { EntryStat, LinkData, PathApi } from '../types.js';
import { fileIdHex } from './paths.js';

// ---------------------------------------------------------------------------------------------
// Errors: GetLastError() numbers → names; errors.ts maps the names to LT_ codes (one table).

/** The Windows error numbers the backend can meet, by name (winerror.h). */
export const WIN32_ERROR_NAMES: Readonly<Record<number, string>> = {
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

export const ERROR_FILE_NOT_FOUND = 2;
export const ERROR_PATH_NOT_FOUND = 3;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_NOT_SAME_DEVICE = 17;
export const ERROR_HANDLE_EOF = 38;
export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_DIR_NOT_EMPTY = 145;
export const ERROR_ALREADY_EXISTS = 183;
export const ERROR_MORE_DATA = 234;
export const ERROR_DIRECTORY = 267;
export const ERROR_PRIVILEGE_NOT_HELD = 1314;
export const ERROR_CANT_ACCESS_FILE = 1920;
export const ERROR_CANT_RESOLVE_FILENAME = 1921;
export const ERROR_NOT_A_REPARSE_POINT = 4390;

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
export const FILE_ATTRIBUTE_HIDDEN = 0x2;
export const FILE_ATTRIBUTE_SYSTEM = 0x4;
export const FILE_ATTRIBUTE_DIRECTORY = 0x10;
export const FILE_ATTRIBUTE_ARCHIVE = 0x20;
export const FILE_ATTRIBUTE_DEVICE = 0x40;
export const FILE_ATTRIBUTE_NORMAL = 0x80;
export const FILE_ATTRIBUTE_SPARSE_FILE = 0x200;
export const FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
export const FILE_ATTRIBUTE_OFFLINE = 0x1000;
export const FILE_ATTRIBUTE_RECALL_ON_OPEN = 0x40000;
export const FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS = 0x400000;
export const INVALID_FILE_ATTRIBUTES = 0xffffffff;

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
export interface HandleInfo {
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
export { linkDataFromReparse, reparseRecord, storedTarget } from '../../core/reparse/index.js';

/** Tags the Windows I/O manager itself reparses on open (everything else is left to filter drivers). */
export function isSystemFollowedTag(tag: number): boolean {
  return tag >>> 0 === IO_REPARSE_TAG_SYMLINK || tag >>> 0 === IO_REPARSE_TAG_MOUNT_POINT;
}

// ---------------------------------------------------------------------------------------------
// Algorithms over backend operations

export interface FollowOps {
  lstat(p: string): EntryStat;
  readLink(p: string, st: EntryStat): LinkData | null;
  resolveTarget(linkDir: string, target: string): string | null;
  dirname(p: string): string;
}

/**
 * The real folder `dir` names: each link on it followed the way the system follows a path component
 * (symlinks and junctions, each relative target against the real folder reached so far), so a
 * relative target is resolved where Windows resolves it (`C:\j\l -> ..\x` under `C:\j -> D:\real` is
 * `D:\x`). `dir` itself when a component cannot be read or the links loop.
 */
export function realFolderVia(ops: FollowOps, P: PathApi, dir: string, budget = { hops: MAX_REPARSE_HOPS }): string {
  const root = P.parse(dir).root;
  const comps = dir.slice(root.length).split(P.sep === '\\' ? /[\\/]/ : /\//);
  let cur = root;
  for (let i = 0; i < comps.length; i++) {
    const c = comps[i]!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      cur = P.dirname(cur);
      continue;
    }
    const next = P.join(cur, c);
    try {
      const st = ops.lstat(next);
      const data = st.type === 'link' ? ops.readLink(next, st) : null;
      if (data && data.target !== null && (data.kind === 'symlink' || data.kind === 'junction' || data.kind === 'mountPoint') && (!data.reparse || (data.reparse.isLink && data.reparse.followSafe))) {
        if (--budget.hops < 0) return dir;
        const t = ops.resolveTarget(cur, data.target);
        cur = t === null ? next : realFolderVia(ops, P, t, budget);
        continue;
      }
    } catch {
      return P.join(cur, ...comps.slice(i));
    }
    cur = next;
  }
  return cur;
}

/** NTFS gives up after 63 reparse hops (ERROR_CANT_RESOLVE_FILENAME). */
export const MAX_REPARSE_HOPS = 63;

/**
 * Stat following links, the way Windows would open the path, but without ever opening an entry
 * through a reparse point: each hop is an lstat (FILE_FLAG_OPEN_REPARSE_POINT) and a parse, so a
 * cloud placeholder at the end of a chain is described, never hydrated.
 * - symlinks and junctions are followed; a symlink whose declared type (file/directory) differs from
 *   what it leads to cannot be opened on Windows → null;
 * - a placeholder (reparse point that is not a link) is the entry itself: its stat with the
 *   file/directory type from its attributes;
 * - a link the I/O manager does not follow (app execution alias, WSL symlink, unknown name
 *   surrogate) or a target that cannot be expressed → null; a missing target → null;
 * - more than 63 hops → LT_LOOP.
 */
export function followStat(ops: FollowOps, p: string, maxHops = MAX_REPARSE_HOPS, P: PathApi = path.win32): EntryStat | null {
  let cur = p;
  const declared: TargetType[] = [];
  for (let hop = 0; hop <= maxHops; hop++) {
    let st: EntryStat;
    try {
      st = ops.lstat(cur);
    } catch (e) {
      if (e instanceof LinkToolsError && e.code === 'LT_NOT_FOUND') return null;
      throw e;
    }
    const data = st.type === 'link' ? ops.readLink(cur, st) : null;
    let final: EntryStat | null = null;
    if (!data) final = st;
    else if (data.reparse && !data.reparse.isLink) final = { ...st, type: data.declaredType === 'directory' ? 'directory' : 'file' };
    if (final) {
      const t = final.type === 'directory' ? 'directory' : final.type === 'file' ? 'file' : null;
      return declared.some((d) => d !== null && t !== null && d !== t) ? null : final;
    }
    if (!data!.reparse || !isSystemFollowedTag(data!.reparse.tag) || data!.target === null) return null;
    const next = ops.resolveTarget(realFolderVia(ops, P, ops.dirname(cur)), data!.target);
    if (next === null) return null;
    declared.push(data!.declaredType);
    cur = next;
  }
  throw new LinkToolsError('LT_LOOP', `More than ${maxHops} reparse points were followed from ${p}.`, p, { osCode: 'ERROR_CANT_RESOLVE_FILENAME' });
}

export type RemovalMethod = 'removeDirectory' | 'deleteFile';

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

export interface ReplaceOps {
  /** Rename an entry (the link itself, never its target). */
  rename(from: string, to: string): void;
  /** Remove the old link once it is out of the way. */
  remove(p: string): void;
}

/**
 * Put the fresh link `from` in place of the existing link `to` when an atomic rename cannot (Windows
 * cannot rename over a directory entry): move `to` aside to `aside`, move `from` in, delete the old
 * one. If moving the new link in fails, the old one is moved back and the error rethrown, so the
 * old link is exactly as it was.
 */
export function replaceViaAside(ops: ReplaceOps, from: string, to: string, aside: string): void {
  ops.rename(to, aside);
  try {
    ops.rename(from, to);
  } catch (e) {
    try {
      ops.rename(aside, to);
    } catch {
      throw new LinkToolsError('LT_IO', `The new link could not be moved in and the old link could not be moved back: it is at ${aside}.`, to, {
        aside,
        cause: (e as Error).message,
      });
    }
    throw e;
  }
  try {
    ops.remove(aside);
  } catch (e) {
    throw new LinkToolsError('LT_IO', `The new link is in place, but the old link could not be deleted: it is still at ${aside}.`, to, {
      aside,
      cause: (e as Error).message,
    });
  }
}
