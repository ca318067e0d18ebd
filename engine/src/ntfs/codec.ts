/**
 * Reparse data buffers, per [MS-FSCC] 2.1.2: parse what FSCTL_GET_REPARSE_POINT (or an NTFS
 * $REPARSE_POINT attribute) holds, and build what FSCTL_SET_REPARSE_POINT accepts.
 *
 * Parsing is total: any byte sequence yields a ReparseData or a LinkToolsError with code
 * LT_BAD_REPARSE_DATA. Every read is bounds-checked by hand (no DataView), so no RangeError escapes.
 * Bytes after the ReparseDataLength the header declares are ignored, as Windows ignores them.
 * UTF-16 names are decoded code unit by code unit, so unpaired surrogates survive a round trip.
 */

import { LinkToolsError } from '../errors.js';
import { isVolumeRoot, ntToDos, classifyNtPath } from './ntpath.js';
import { describeTag, formatTag, IO_REPARSE_TAG_APPEXECLINK, IO_REPARSE_TAG_LX_SYMLINK, IO_REPARSE_TAG_MOUNT_POINT, IO_REPARSE_TAG_NFS, IO_REPARSE_TAG_SYMLINK, type TagInfo } from './tags.js';

/** The largest reparse buffer Windows accepts (header included). */
export const MAXIMUM_REPARSE_DATA_BUFFER_SIZE = 16 * 1024;
/** ReparseTag + ReparseDataLength + Reserved. */
export const REPARSE_HEADER_SIZE = 8;
/** The header plus the 16-byte GUID that non-Microsoft tags carry. */
export const REPARSE_GUID_HEADER_SIZE = 24;
/** Symbolic link Flags bit: the substitute name is relative to the link's directory. */
export const SYMLINK_FLAG_RELATIVE = 0x00000001;
/** The AppExecLink version (some sources call this field StringCount) Windows writes. */
export const APPEXECLINK_VERSION = 3;
/** The WSL LX_SYMLINK format version. */
export const LX_SYMLINK_VERSION = 2;

/** [MS-FSCC] 2.1.2.6 NFS special file types (the 64-bit Type field, read as ASCII). */
export const NFS_SPECFILE_LNK = 0x014b4e4c;
export const NFS_SPECFILE_CHR = 0x00524843;
export const NFS_SPECFILE_BLK = 0x004b4c42;
export const NFS_SPECFILE_FIFO = 0x4f464946;
export const NFS_SPECFILE_SOCK = 0x4b434f53;

interface ReparseBase {
  /** The tag, unsigned. */
  readonly tag: number;
  readonly tagInfo: TagInfo;
  /** ReparseDataLength from the header: bytes after the header (after the GUID for non-Microsoft tags). */
  readonly dataLength: number;
}

export interface SymlinkReparse extends ReparseBase {
  readonly kind: 'symlink';
  /** The NT path the link resolves to; relative to the link's directory when `relative`. */
  readonly substituteName: string;
  /** Display text only; it may disagree with the substitute name. */
  readonly printName: string;
  readonly relative: boolean;
  /** The raw Flags field (SYMLINK_FLAG_RELATIVE = 1; other bits preserved). */
  readonly flags: number;
}

export interface MountPointReparse extends ReparseBase {
  readonly kind: 'mountPoint';
  readonly substituteName: string;
  readonly printName: string;
  /** The substitute name is exactly a volume root, `\??\Volume{GUID}\`: a volume mount point, not a junction. */
  readonly isVolumeMountPoint: boolean;
}

export interface AppExecLinkReparse extends ReparseBase {
  readonly kind: 'appExecLink';
  readonly version: number;
  readonly packageId: string;
  readonly appUserModelId: string;
  readonly targetPath: string;
  /** The fourth string when present (the application type, "0" for a desktop app). */
  readonly appType: string | undefined;
  /** Every string in the list, in order. */
  readonly strings: readonly string[];
}

export interface LxSymlinkReparse extends ReparseBase {
  readonly kind: 'lxSymlink';
  readonly version: number;
  /** The POSIX target decoded as UTF-8 (invalid sequences become U+FFFD). */
  readonly target: string;
  /** The target exactly as stored. */
  readonly targetBytes: Uint8Array;
}

export type NfsType = 'symlink' | 'charDevice' | 'blockDevice' | 'fifo' | 'socket' | 'unknown';

export interface NfsReparse extends ReparseBase {
  readonly kind: 'nfs';
  readonly nfsType: NfsType;
  /** The 64-bit Type field as a hex string, e.g. "0x00000000014B4E4C". */
  readonly typeCode: string;
  /** Symlink target (NFS symlinks only; UTF-16, stored without a terminator). */
  readonly target?: string;
  /** Device numbers (character and block devices only). */
  readonly major?: number;
  readonly minor?: number;
}

export interface OpaqueReparse extends ReparseBase {
  readonly kind: 'opaque';
  /** The GUID of a non-Microsoft tag, lower case without braces. */
  readonly guid?: string;
  /** A copy of the data after the header (and GUID). */
  readonly data: Uint8Array;
}

export type ReparseData = SymlinkReparse | MountPointReparse | AppExecLinkReparse | LxSymlinkReparse | NfsReparse | OpaqueReparse;

export type ReparseKind = ReparseData['kind'];

// ---------------------------------------------------------------------------------------------
// Low-level reads. Every read checks its bounds and throws LT_BAD_REPARSE_DATA naming the field.

function bad(message: string, details?: Record<string, unknown>): LinkToolsError {
  return new LinkToolsError('LT_BAD_REPARSE_DATA', `Malformed reparse data: ${message}`, undefined, details);
}

function u16(buf: Uint8Array, off: number, limit: number, field: string): number {
  if (off < 0 || off + 2 > limit) throw bad(`${field} at byte ${off} lies past the end of the data (${limit} bytes)`);
  return buf[off]! | (buf[off + 1]! << 8);
}

function u32(buf: Uint8Array, off: number, limit: number, field: string): number {
  if (off < 0 || off + 4 > limit) throw bad(`${field} at byte ${off} lies past the end of the data (${limit} bytes)`);
  return (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
}

/** Decode UTF-16LE code units one by one (lossless for unpaired surrogates). Caller checks bounds. */
function decodeUtf16(buf: Uint8Array, start: number, byteLength: number): string {
  const units = byteLength >>> 1;
  const chunk = 4096;
  let out = '';
  for (let i = 0; i < units; i += chunk) {
    const n = Math.min(chunk, units - i);
    const codes = new Array<number>(n);
    for (let j = 0; j < n; j++) {
      const o = start + (i + j) * 2;
      codes[j] = buf[o]! | (buf[o + 1]! << 8);
    }
    out += String.fromCharCode(...codes);
  }
  return out;
}

function stripTrailingNuls(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0) end--;
  return end === s.length ? s : s.slice(0, end);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function formatGuid(buf: Uint8Array, off: number): string {
  const d1 = (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
  const d2 = buf[off + 4]! | (buf[off + 5]! << 8);
  const d3 = buf[off + 6]! | (buf[off + 7]! << 8);
  let d4 = '';
  for (let i = 8; i < 16; i++) d4 += hex(buf[off + i]!, 2) + (i === 9 ? '-' : '');
  return `${hex(d1, 8)}-${hex(d2, 4)}-${hex(d3, 4)}-${d4}`;
}

// ignoreBOM: a target that starts with U+FEFF must keep it (the default decoder drops it).
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const utf8Encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// Parsing

/** Read one counted UTF-16 name out of a PathBuffer that spans [pathStart, end). */
function readName(buf: Uint8Array, pathStart: number, end: number, field: string, off: number, len: number): string {
  const room = end - pathStart;
  if (off % 2 !== 0) throw bad(`${field}NameOffset ${off} is odd; UTF-16 names must be 2-byte aligned`);
  if (len % 2 !== 0) throw bad(`${field}NameLength ${len} is odd; UTF-16 names are whole 2-byte code units`);
  if (off + len > room) {
    throw bad(`${field}Name (offset ${off}, length ${len}) runs past the ${room}-byte PathBuffer`, {
      offset: off,
      length: len,
      pathBufferLength: room,
    });
  }
  return stripTrailingNuls(decodeUtf16(buf, pathStart + off, len));
}

interface Names {
  substituteName: string;
  printName: string;
  flags: number;
}

function parseNames(buf: Uint8Array, end: number, dataLength: number, withFlags: boolean, what: string): Names {
  const fixed = withFlags ? 12 : 8;
  if (dataLength < fixed) {
    throw bad(`${what} data needs ${fixed} bytes of name offsets${withFlags ? ' and flags' : ''}, ReparseDataLength is ${dataLength}`);
  }
  const subOff = u16(buf, 8, end, 'SubstituteNameOffset');
  const subLen = u16(buf, 10, end, 'SubstituteNameLength');
  const prOff = u16(buf, 12, end, 'PrintNameOffset');
  const prLen = u16(buf, 14, end, 'PrintNameLength');
  const flags = withFlags ? u32(buf, 16, end, 'Flags') : 0;
  const pathStart = REPARSE_HEADER_SIZE + fixed;
  return {
    substituteName: readName(buf, pathStart, end, 'Substitute', subOff, subLen),
    printName: readName(buf, pathStart, end, 'Print', prOff, prLen),
    flags,
  };
}

function parseAppExecLink(buf: Uint8Array, end: number, dataLength: number): Omit<AppExecLinkReparse, keyof ReparseBase> {
  if (dataLength < 4) throw bad(`AppExecLink data needs a 4-byte version, ReparseDataLength is ${dataLength}`);
  const version = u32(buf, 8, end, 'AppExecLink version');
  if (version !== APPEXECLINK_VERSION) throw bad(`AppExecLink version is ${version}, expected ${APPEXECLINK_VERSION}`);
  const start = 12;
  const bytes = end - start;
  if (bytes % 2 !== 0) throw bad(`AppExecLink string list is ${bytes} bytes, not whole UTF-16 code units`);
  const all = decodeUtf16(buf, start, bytes);
  const strings = all.split('\u0000');
  // A terminated list ends in NUL, which leaves one empty element after the split; an unterminated last
  // string is accepted as it stands.
  if (all.endsWith('\u0000')) strings.pop();
  if (strings.length < 3) {
    throw bad(`AppExecLink holds ${strings.length} string(s); it needs a package id, an app user model id and a target path`);
  }
  return {
    kind: 'appExecLink',
    version,
    packageId: strings[0]!,
    appUserModelId: strings[1]!,
    targetPath: strings[2]!,
    appType: strings[3],
    strings,
  };
}

function parseLxSymlink(buf: Uint8Array, end: number, dataLength: number): Omit<LxSymlinkReparse, keyof ReparseBase> {
  if (dataLength < 4) throw bad(`LX_SYMLINK data needs a 4-byte version, ReparseDataLength is ${dataLength}`);
  const version = u32(buf, 8, end, 'LX_SYMLINK version');
  if (version !== LX_SYMLINK_VERSION) throw bad(`LX_SYMLINK version is ${version}, expected ${LX_SYMLINK_VERSION}`);
  const targetBytes = buf.slice(12, end);
  return { kind: 'lxSymlink', version, target: utf8Decoder.decode(targetBytes), targetBytes };
}

function parseNfs(buf: Uint8Array, end: number, dataLength: number): Omit<NfsReparse, keyof ReparseBase> {
  if (dataLength < 8) throw bad(`NFS data needs an 8-byte Type, ReparseDataLength is ${dataLength}`);
  const lo = u32(buf, 8, end, 'NFS Type');
  const hi = u32(buf, 12, end, 'NFS Type');
  const typeCode = `0x${(hex(hi, 8) + hex(lo, 8)).toUpperCase()}`;
  const start = 16;
  if (hi !== 0) return { kind: 'nfs', nfsType: 'unknown', typeCode };
  switch (lo) {
    case NFS_SPECFILE_LNK: {
      const bytes = end - start;
      if (bytes % 2 !== 0) throw bad(`NFS symlink target is ${bytes} bytes, not whole UTF-16 code units`);
      return { kind: 'nfs', nfsType: 'symlink', typeCode, target: stripTrailingNuls(decodeUtf16(buf, start, bytes)) };
    }
    case NFS_SPECFILE_CHR:
    case NFS_SPECFILE_BLK: {
      const nfsType = lo === NFS_SPECFILE_CHR ? 'charDevice' : 'blockDevice';
      const major = u32(buf, start, end, 'NFS device major number');
      const minor = u32(buf, start + 4, end, 'NFS device minor number');
      return { kind: 'nfs', nfsType, typeCode, major, minor };
    }
    case NFS_SPECFILE_FIFO:
      return { kind: 'nfs', nfsType: 'fifo', typeCode };
    case NFS_SPECFILE_SOCK:
      return { kind: 'nfs', nfsType: 'socket', typeCode };
    default:
      return { kind: 'nfs', nfsType: 'unknown', typeCode };
  }
}

/**
 * Parse a reparse data buffer. Returns a discriminated union on `kind`; tags without a known layout
 * (and every non-Microsoft tag) come back as 'opaque'. Throws LinkToolsError('LT_BAD_REPARSE_DATA')
 * for malformed data, and never anything else.
 */
export function parseReparseBuffer(buf: Uint8Array): ReparseData {
  if (!(buf instanceof Uint8Array)) throw bad('expected a byte buffer (Uint8Array)');
  const size = buf.length;
  if (size < REPARSE_HEADER_SIZE) {
    throw bad(`the buffer is ${size} bytes, shorter than the ${REPARSE_HEADER_SIZE}-byte reparse header`);
  }
  const tag = u32(buf, 0, size, 'ReparseTag');
  const dataLength = u16(buf, 4, size, 'ReparseDataLength');
  const tagInfo = describeTag(tag);
  const base: ReparseBase = { tag, tagInfo, dataLength };

  if (!tagInfo.isMicrosoft) {
    if (size < REPARSE_GUID_HEADER_SIZE) {
      throw bad(`non-Microsoft tag ${formatTag(tag)} needs a 16-byte GUID after the header; the buffer is ${size} bytes`);
    }
    const end = REPARSE_GUID_HEADER_SIZE + dataLength;
    if (end > size) {
      throw bad(`ReparseDataLength ${dataLength} runs past the end of the ${size}-byte buffer (GUID header of 24 bytes)`);
    }
    return { ...base, kind: 'opaque', guid: formatGuid(buf, REPARSE_HEADER_SIZE), data: buf.slice(REPARSE_GUID_HEADER_SIZE, end) };
  }

  const end = REPARSE_HEADER_SIZE + dataLength;
  if (end > size) throw bad(`ReparseDataLength ${dataLength} runs past the end of the ${size}-byte buffer`);

  switch (tag) {
    case IO_REPARSE_TAG_SYMLINK: {
      const n = parseNames(buf, end, dataLength, true, 'Symbolic link');
      return {
        ...base,
        kind: 'symlink',
        substituteName: n.substituteName,
        printName: n.printName,
        relative: (n.flags & SYMLINK_FLAG_RELATIVE) !== 0,
        flags: n.flags,
      };
    }
    case IO_REPARSE_TAG_MOUNT_POINT: {
      const n = parseNames(buf, end, dataLength, false, 'Mount point');
      return {
        ...base,
        kind: 'mountPoint',
        substituteName: n.substituteName,
        printName: n.printName,
        isVolumeMountPoint: isVolumeRoot(n.substituteName),
      };
    }
    case IO_REPARSE_TAG_APPEXECLINK:
      return { ...base, ...parseAppExecLink(buf, end, dataLength) };
    case IO_REPARSE_TAG_LX_SYMLINK:
      return { ...base, ...parseLxSymlink(buf, end, dataLength) };
    case IO_REPARSE_TAG_NFS:
      return { ...base, ...parseNfs(buf, end, dataLength) };
    default:
      return { ...base, kind: 'opaque', data: buf.slice(REPARSE_HEADER_SIZE, end) };
  }
}

// ---------------------------------------------------------------------------------------------
// Building

function invalid(message: string): LinkToolsError {
  return new LinkToolsError('LT_INVALID_ARGUMENT', message);
}

function encodeUtf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[i * 2] = c & 0xff;
    out[i * 2 + 1] = c >>> 8;
  }
  return out;
}

function checkName(field: string, s: string, allowEmpty: boolean): void {
  if (typeof s !== 'string') throw invalid(`${field} must be a string`);
  if (!allowEmpty && s.length === 0) throw invalid(`${field} must not be empty`);
  if (s.includes('\u0000')) throw invalid(`${field} must not contain NUL characters`);
}

class Writer {
  readonly bytes: Uint8Array;
  constructor(size: number) {
    if (size > MAXIMUM_REPARSE_DATA_BUFFER_SIZE) {
      throw invalid(`the reparse data would be ${size} bytes; Windows accepts at most ${MAXIMUM_REPARSE_DATA_BUFFER_SIZE}`);
    }
    this.bytes = new Uint8Array(size);
  }
  u16(off: number, v: number): void {
    this.bytes[off] = v & 0xff;
    this.bytes[off + 1] = (v >>> 8) & 0xff;
  }
  u32(off: number, v: number): void {
    this.u16(off, v & 0xffff);
    this.u16(off + 2, (v >>> 16) & 0xffff);
  }
  header(tag: number): void {
    this.u32(0, tag >>> 0);
    this.u16(4, this.bytes.length - REPARSE_HEADER_SIZE);
    this.u16(6, 0);
  }
}

/**
 * Lay out substitute then print name in a PathBuffer. `terminate` adds a NUL after each (not counted in
 * the lengths), as mount points require.
 */
function buildNames(tag: number, fixed: number, sub: Uint8Array, pr: Uint8Array, terminate: boolean, flags: number): Uint8Array {
  const nul = terminate ? 2 : 0;
  const pathStart = REPARSE_HEADER_SIZE + fixed;
  const w = new Writer(pathStart + sub.length + nul + pr.length + nul);
  w.header(tag);
  w.u16(8, 0);
  w.u16(10, sub.length);
  w.u16(12, sub.length + nul);
  w.u16(14, pr.length);
  if (fixed === 12) w.u32(16, flags);
  w.bytes.set(sub, pathStart);
  w.bytes.set(pr, pathStart + sub.length + nul);
  return w.bytes;
}

export interface SymlinkBufferOptions {
  /** The NT path (`\??\C:\x`) or, for a relative link, the relative path (`..\a.txt`). */
  readonly substituteName: string;
  /** Display name; defaults to the Win32 form of the substitute name. */
  readonly printName?: string;
  /** Sets SYMLINK_FLAG_RELATIVE; defaults to true when the substitute name is relative or rooted. */
  readonly relative?: boolean;
}

/** Build an IO_REPARSE_TAG_SYMLINK buffer: substitute name then print name, no terminators, lengths in bytes. */
export function buildSymlinkBuffer(opts: SymlinkBufferOptions): Uint8Array {
  const { substituteName } = opts;
  checkName('substituteName', substituteName, false);
  const printName = opts.printName ?? ntToDos(substituteName).path;
  checkName('printName', printName, true);
  const kind = classifyNtPath(substituteName);
  const relative = opts.relative ?? (kind === 'relative' || kind === 'rooted');
  return buildNames(IO_REPARSE_TAG_SYMLINK, 12, encodeUtf16(substituteName), encodeUtf16(printName), false, relative ? SYMLINK_FLAG_RELATIVE : 0);
}

export interface MountPointBufferOptions {
  /** An NT path: `\??\C:\dir` for a junction, `\??\Volume{GUID}\` for a volume mount point. */
  readonly substituteName: string;
  /** Display name; defaults to the Win32 form of a junction target, or empty for a volume root. */
  readonly printName?: string;
}

/** Build an IO_REPARSE_TAG_MOUNT_POINT buffer: substitute then print name, each NUL-terminated. */
export function buildMountPointBuffer(opts: MountPointBufferOptions): Uint8Array {
  const { substituteName } = opts;
  checkName('substituteName', substituteName, false);
  if (!substituteName.startsWith('\\') || substituteName.startsWith('\\\\')) {
    throw invalid(`a mount point substitute name must be an NT path such as \\??\\C:\\dir (see dosToNt), not "${substituteName}"`);
  }
  const printName = opts.printName ?? (isVolumeRoot(substituteName) ? '' : ntToDos(substituteName).path);
  checkName('printName', printName, true);
  return buildNames(IO_REPARSE_TAG_MOUNT_POINT, 8, encodeUtf16(substituteName), encodeUtf16(printName), true, 0);
}

/** Build an IO_REPARSE_TAG_LX_SYMLINK buffer: version 2, then the UTF-8 target without a terminator. */
export function buildLxSymlinkBuffer(target: string): Uint8Array {
  checkName('target', target, false);
  const bytes = utf8Encoder.encode(target);
  const w = new Writer(REPARSE_HEADER_SIZE + 4 + bytes.length);
  w.header(IO_REPARSE_TAG_LX_SYMLINK);
  w.u32(8, LX_SYMLINK_VERSION);
  w.bytes.set(bytes, 12);
  return w.bytes;
}

export interface AppExecLinkBufferOptions {
  readonly packageId: string;
  readonly appUserModelId: string;
  readonly targetPath: string;
  /** The fourth string; defaults to "0". Pass null to leave it out. */
  readonly appType?: string | null;
}

/** Build an IO_REPARSE_TAG_APPEXECLINK buffer: version 3, then NUL-terminated UTF-16 strings. */
export function buildAppExecLinkBuffer(opts: AppExecLinkBufferOptions): Uint8Array {
  const strings = [opts.packageId, opts.appUserModelId, opts.targetPath];
  const appType = opts.appType === undefined ? '0' : opts.appType;
  if (appType !== null) strings.push(appType);
  ['packageId', 'appUserModelId', 'targetPath', 'appType'].slice(0, strings.length).forEach((f, i) => checkName(f, strings[i]!, true));
  const body = encodeUtf16(strings.map((s) => `${s}\u0000`).join(''));
  const w = new Writer(REPARSE_HEADER_SIZE + 4 + body.length);
  w.header(IO_REPARSE_TAG_APPEXECLINK);
  w.u32(8, APPEXECLINK_VERSION);
  w.bytes.set(body, 12);
  return w.bytes;
}

const GUID_RE = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/**
 * Build a buffer for any tag from raw data: the 8-byte header, then (for a non-Microsoft tag, which
 * must have one) the GUID, then the data. Use it for tags without a dedicated builder.
 */
export function buildReparseBuffer(tag: number, data: Uint8Array, guid?: string): Uint8Array {
  const t = tag >>> 0;
  const microsoft = describeTag(t).isMicrosoft;
  if (!microsoft && guid === undefined) throw invalid(`non-Microsoft tag ${formatTag(t)} needs a GUID`);
  if (microsoft && guid !== undefined) throw invalid(`Microsoft tag ${formatTag(t)} does not carry a GUID`);
  const head = microsoft ? REPARSE_HEADER_SIZE : REPARSE_GUID_HEADER_SIZE;
  const w = new Writer(head + data.length);
  w.u32(0, t);
  w.u16(4, data.length);
  if (guid !== undefined) {
    const m = GUID_RE.exec(guid);
    if (!m) throw invalid(`"${guid}" is not a GUID`);
    w.u32(8, parseInt(m[1]!, 16));
    w.u16(12, parseInt(m[2]!, 16));
    w.u16(14, parseInt(m[3]!, 16));
    const d4 = m[4]! + m[5]!;
    for (let i = 0; i < 8; i++) w.bytes[16 + i] = parseInt(d4.slice(i * 2, i * 2 + 2), 16);
  }
  w.bytes.set(data, head);
  return w.bytes;
}
