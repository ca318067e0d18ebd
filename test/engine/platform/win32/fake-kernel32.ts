/**
 * A fake kernel32 that behaves like NTFS seen through Win32, for the win32 backend's tests on Linux.
 * It is written from Microsoft's documentation, not from the backend, so that a backend mistake
 * fails here for the reason it would fail on Windows:
 *
 * - names are case-insensitive and case-preserving; `\\?\` paths skip Win32 trimming, other
 *   paths get it (`dir.` is `dir`); intermediate junctions and symbolic links are followed, the last
 *   component only without FILE_FLAG_OPEN_REPARSE_POINT; directories open only with
 *   FILE_FLAG_BACKUP_SEMANTICS;
 * - share modes: an open asking DELETE fails with ERROR_SHARING_VIOLATION when a handle without
 *   FILE_SHARE_DELETE is open, and the other way round; a folder with open handles below it cannot
 *   be renamed (ERROR_ACCESS_DENIED);
 * - CreateDirectoryW on an existing name, CreateSymbolicLinkW/CreateHardLinkW onto an existing
 *   name: ERROR_ALREADY_EXISTS; RemoveDirectoryW on a file: ERROR_DIRECTORY, on a non-empty folder:
 *   ERROR_DIR_NOT_EMPTY; DeleteFileW on a folder or a read-only file: ERROR_ACCESS_DENIED;
 * - FSCTL_SET_REPARSE_POINT validates the REPARSE_DATA_BUFFER as [MS-FSCC] 2.1.2.2/2.1.2.4/2.1.2.5
 *   describe it (header, ReparseDataLength, name offsets and lengths inside PathBuffer, even
 *   lengths) and fails with ERROR_INVALID_REPARSE_DATA; tag 0/1 → ERROR_REPARSE_TAG_INVALID, another
 *   tag over an existing one → ERROR_REPARSE_TAG_MISMATCH, a mount point on a file → ERROR_DIRECTORY,
 *   on a non-empty folder → ERROR_DIR_NOT_EMPTY; the handle needs write access;
 * - symbolic links are stored as CreateSymbolicLinkW stores them: an absolute target as
 *   `\??\C:\…` with the target as given for print name, a relative one as is with
 *   SYMLINK_FLAG_RELATIVE; ERROR_PRIVILEGE_NOT_HELD without the privilege or Developer Mode;
 * - SetFileInformationByHandle: FileDispositionInfo(Ex) (DELETE access, read-only refused unless
 *   IGNORE_READONLY_ATTRIBUTE, non-empty folder refused; the name goes when the handle closes),
 *   FileRenameInfo (DELETE access, ERROR_ALREADY_EXISTS without replace), FileBasicInfo
 *   (FILE_WRITE_ATTRIBUTES); `noDispositionEx` makes FileDispositionInfoEx answer
 *   ERROR_INVALID_PARAMETER as before Windows 10 1607;
 * - FindFirstFileNameW/FindNextFileNameW list volume-relative names and answer ERROR_MORE_DATA
 *   (with the length needed) when the buffer is short, ERROR_HANDLE_EOF at the end; a file has at
 *   most 1023 names (ERROR_TOO_MANY_LINKS);
 * - FindFirstFileExW fills WIN32_FIND_DATAW with the reparse tag in dwReserved0; entries can be
 *   `locked` (pagefile.sys: every open fails with ERROR_SHARING_VIOLATION) or `denyRead` (ACL).
 *
 * `before(fn)` runs a hook before every call, so that a test can change the tree between two calls
 * the way another process would.
 */
import path from 'node:path';
import type { Kernel32 } from '../../../../engine/src/platform/win32/kernel32.js';
import { win32FullPathName, win32TrimPath } from '../../../../engine/src/platform/win32/paths.js';

const W = path.win32;

export const E = {
  FILE_NOT_FOUND: 2,
  PATH_NOT_FOUND: 3,
  ACCESS_DENIED: 5,
  INVALID_HANDLE: 6,
  SHARING_VIOLATION: 32,
  HANDLE_EOF: 38,
  INVALID_PARAMETER: 87,
  DIR_NOT_EMPTY: 145,
  ALREADY_EXISTS: 183,
  MORE_DATA: 234,
  DIRECTORY: 267,
  TOO_MANY_LINKS: 1142,
  PRIVILEGE_NOT_HELD: 1314,
  CANT_RESOLVE_FILENAME: 1921,
  NOT_A_REPARSE_POINT: 4390,
  INVALID_REPARSE_DATA: 4392,
  REPARSE_TAG_INVALID: 4393,
  REPARSE_TAG_MISMATCH: 4394,
} as const;

const A = { READONLY: 0x1, DIRECTORY: 0x10, ARCHIVE: 0x20, REPARSE: 0x400 };
const DELETE = 0x10000;
const GENERIC_WRITE = 0x40000000;
const FILE_WRITE_DATA = 0x2;
const FILE_WRITE_ATTRIBUTES = 0x100;
const SHARE_DELETE = 0x4;
const OPEN_REPARSE_POINT = 0x00200000;
const BACKUP_SEMANTICS = 0x02000000;
const TAG_MOUNT_POINT = 0xa0000003;
const TAG_SYMLINK = 0xa000000c;

export interface Inode {
  index: number;
  attrs: number;
  size: number;
  reparse?: Uint8Array;
  /** Canonical keys (upper case) of the names of this file. */
  names: Set<string>;
  /** Every open fails with ERROR_SHARING_VIOLATION (pagefile.sys). */
  locked?: boolean;
  /** Opens asking more than nothing fail with ERROR_ACCESS_DENIED (an ACL that denies read attributes). */
  denyRead?: boolean;
}

interface Handle {
  inode: Inode;
  key: string;
  access: number;
  share: number;
  deleteOnClose: boolean;
}

export interface FakeOptions {
  /** What GetVolumePathNameW answers (default: the drive root of the path). */
  volumePath?: string;
  /** The account may create symbolic links (default true). */
  symlinks?: boolean;
  /** FileDispositionInfoEx unknown (Windows before 10 1607): ERROR_INVALID_PARAMETER. */
  noDispositionEx?: boolean;
  /** 8.3 aliases: upper-case short path → long path (for GetLongPathNameW and opens). */
  shortNames?: Record<string, string>;
  volumeSerial?: number;
}

export function fakeKernel32(opts: FakeOptions = {}) {
  const inodes = new Map<string, Inode>(); // key → inode
  const display = new Map<string, string>(); // key → name as created
  const handles = new Map<number, Handle>();
  const finds = new Map<number, string[]>();
  const calls: { fn: string; args: unknown[] }[] = [];
  const hooks: ((fn: string, args: unknown[]) => void)[] = [];
  let last = 0;
  let nextH = 100;
  let nextIndex = 1000;
  const serial = opts.volumeSerial ?? 0xabcd0001;

  const fail = (err: number, ret = 0) => ((last = err), ret);
  const ok = (ret = 1) => ((last = 0), ret);

  /** Key of a path as Win32 would see it: `\\?\` stripped (no trimming), else trimmed; upper case. */
  function keyOf(raw: string): string {
    let p = raw.replace(/\//g, '\\');
    if (/^\\\\\?\\UNC\\/i.test(p)) p = `\\\\${p.slice(8)}`;
    else if (/^\\\\\?\\/.test(p)) p = p.slice(4);
    else p = win32TrimPath(W.normalize(p));
    if (p.length > 3 && p.endsWith('\\')) p = p.slice(0, -1);
    for (const [short, long] of Object.entries(opts.shortNames ?? {})) {
      if (p.toUpperCase() === short || p.toUpperCase().startsWith(`${short}\\`)) p = long + p.slice(short.length);
    }
    return p.toUpperCase();
  }
  const parentKey = (key: string) => W.dirname(key);
  const isRoot = (key: string) => W.parse(key).root.replace(/\\$/, '') === key.replace(/\\$/, '') || W.parse(key).root === key;
  const childrenOf = (key: string) => [...inodes.keys()].filter((k) => k !== key && parentKey(k) === key);

  /** Where a symlink or junction leads, as a key (absolute targets only, plus relative symlinks). */
  function reparseTargetKey(linkKey: string, ino: Inode): string | null {
    if (!ino.reparse) return null;
    const dv = new DataView(ino.reparse.buffer, ino.reparse.byteOffset, ino.reparse.byteLength);
    const tag = dv.getUint32(0, true);
    if (tag !== TAG_MOUNT_POINT && tag !== TAG_SYMLINK) return null;
    const base = tag === TAG_SYMLINK ? 20 : 16;
    const off = dv.getUint16(8, true);
    const len = dv.getUint16(10, true);
    const sub = Buffer.from(ino.reparse.buffer, ino.reparse.byteOffset + base + off, len).toString('utf16le');
    if (sub.startsWith('\\??\\')) return keyOf(`\\\\?\\${sub.slice(4)}`);
    return keyOf(W.resolve(W.dirname(display.get(linkKey) ?? linkKey), sub));
  }

  /** Resolve a path to a key, following reparse points in the parents (and the last one when `followLast`). */
  function resolve(raw: string, followLast: boolean): { key: string; err: number } {
    let key = keyOf(raw);
    for (let hops = 0; hops < 63; hops++) {
      const root = W.parse(key).root;
      const parts = key.slice(root.length).split('\\').filter(Boolean);
      let cur = root.replace(/\\$/, '');
      let redirected = false;
      for (let i = 0; i < parts.length; i++) {
        cur = `${cur}\\${parts[i]}`;
        const ino = inodes.get(cur);
        const lastPart = i === parts.length - 1;
        if (!ino) return { key: cur, err: lastPart ? E.FILE_NOT_FOUND : E.PATH_NOT_FOUND };
        if (ino.attrs & A.REPARSE && (!lastPart || followLast)) {
          const t = reparseTargetKey(cur, ino);
          if (t === null) return { key: cur, err: lastPart ? 0 : E.PATH_NOT_FOUND };
          key = [t, ...parts.slice(i + 1)].join('\\');
          redirected = true;
          break;
        }
        if (!lastPart && !(ino.attrs & A.DIRECTORY)) return { key: cur, err: E.PATH_NOT_FOUND };
      }
      if (!redirected) return { key, err: 0 };
    }
    return { key, err: E.CANT_RESOLVE_FILENAME };
  }

  function newEntry(key: string, name: string, attrs: number, size = 0): Inode {
    const ino: Inode = { index: nextIndex++, attrs, size, names: new Set([key]) };
    inodes.set(key, ino);
    display.set(key, name);
    return ino;
  }

  const childDisplay = (key: string, name: string) => {
    const pk = parentKey(key);
    return `${(display.get(pk) ?? pk).replace(/\\$/, '')}\\${name}`;
  };

  /** The parent of a new entry must exist and be a real directory. */
  function parentOk(raw: string): { key: string; err: number; name: string } {
    const r = resolve(raw, false);
    const shown = /^\\\\\?\\/.test(raw) ? raw.slice(4) : win32TrimPath(W.normalize(raw));
    const name = W.basename(shown);
    if (r.err === E.PATH_NOT_FOUND || r.err === E.CANT_RESOLVE_FILENAME) return { key: r.key, err: r.err, name };
    const pk = parentKey(r.key);
    const parent = inodes.get(pk);
    if (!isRoot(pk) && (!parent || !(parent.attrs & A.DIRECTORY) || parent.attrs & A.REPARSE)) return { key: r.key, err: E.PATH_NOT_FOUND, name };
    return { key: r.key, err: inodes.has(r.key) ? E.ALREADY_EXISTS : 0, name };
  }

  /** Whether an open with `access`/`share` conflicts with the handles open on `ino`. */
  function shareConflict(ino: Inode, access: number, share: number): boolean {
    for (const h of handles.values()) {
      if (h.inode !== ino) continue;
      if (access & DELETE && !(h.share & SHARE_DELETE)) return true;
      if (h.access & DELETE && !(share & SHARE_DELETE)) return true;
    }
    return false;
  }
  const openBelow = (key: string) => [...handles.values()].some((h) => h.key.startsWith(`${key}\\`));

  function unlinkName(key: string) {
    const ino = inodes.get(key);
    if (!ino) return;
    ino.names.delete(key);
    inodes.delete(key);
    display.delete(key);
  }

  /** Move `from` (and, for a folder, everything below it) to `to` (named `toName`). */
  function moveName(from: string, to: string, toName: string) {
    const oldRoot = display.get(from)!;
    const pk = parentKey(to);
    const newRoot = `${(display.get(pk) ?? pk).replace(/\\$/, '')}\\${toName}`;
    const moves = [...inodes.keys()].filter((k) => k === from || k.startsWith(`${from}\\`));
    const moved = moves.map((k) => ({ k, ino: inodes.get(k)!, d: display.get(k)! }));
    for (const m of moved) {
      inodes.delete(m.k);
      display.delete(m.k);
      m.ino.names.delete(m.k);
    }
    for (const m of moved) {
      const nk = to + m.k.slice(from.length);
      m.ino.names.add(nk);
      inodes.set(nk, m.ino);
      display.set(nk, newRoot + m.d.slice(oldRoot.length));
      for (const h of handles.values()) if (h.key === m.k) h.key = nk;
    }
  }

  /** MS-FSCC 2.1.2.x checks NTFS makes before it stores a reparse point. */
  function validateReparse(buf: Uint8Array, size: number): number {
    if (size < 8 || size > 16 * 1024 || buf.length < size) return E.INVALID_REPARSE_DATA;
    const dv = new DataView(buf.buffer, buf.byteOffset, size);
    const tag = dv.getUint32(0, true);
    const dataLen = dv.getUint16(4, true);
    if (tag === 0 || tag === 1) return E.REPARSE_TAG_INVALID;
    const microsoft = (tag & 0x80000000) !== 0;
    const header = microsoft ? 8 : 24; // non-Microsoft tags carry a GUID (REPARSE_GUID_DATA_BUFFER)
    if (size < header || dataLen !== size - header) return E.INVALID_REPARSE_DATA;
    if (tag === TAG_MOUNT_POINT || tag === TAG_SYMLINK) {
      const fixed = tag === TAG_SYMLINK ? 12 : 8;
      if (dataLen < fixed) return E.INVALID_REPARSE_DATA;
      const pathBuf = dataLen - fixed;
      const so = dv.getUint16(8, true);
      const sl = dv.getUint16(10, true);
      const po = dv.getUint16(12, true);
      const pl = dv.getUint16(14, true);
      if ((so | sl | po | pl) & 1) return E.INVALID_REPARSE_DATA;
      if (so + sl > pathBuf || po + pl > pathBuf) return E.INVALID_REPARSE_DATA;
      if (sl === 0) return E.INVALID_REPARSE_DATA;
    }
    return 0;
  }

  function symlinkBuffer(target: string): Uint8Array {
    const absolute = /^[A-Za-z]:\\/.test(target) || /^\\\\/.test(target);
    const sub = absolute ? (/^\\\\\?\\/.test(target) ? `\\??\\${target.slice(4)}` : /^\\\\/.test(target) ? `\\??\\UNC\\${target.slice(2)}` : `\\??\\${target}`) : target;
    const s = Buffer.from(sub, 'utf16le');
    const p = Buffer.from(target, 'utf16le');
    const buf = Buffer.alloc(20 + s.length + p.length);
    buf.writeUInt32LE(TAG_SYMLINK, 0);
    buf.writeUInt16LE(12 + s.length + p.length, 4);
    buf.writeUInt16LE(0, 8);
    buf.writeUInt16LE(s.length, 10);
    buf.writeUInt16LE(s.length, 12);
    buf.writeUInt16LE(p.length, 14);
    buf.writeUInt32LE(absolute ? 0 : 1, 16);
    s.copy(buf, 20);
    p.copy(buf, 20 + s.length);
    return new Uint8Array(buf);
  }

  const volRel = (key: string) => display.get(key)!.slice(W.parse(display.get(key)!).root.length - 1);

  const k: Kernel32 = {
    CreateFileW(name, access, share, _sa, _disp, flags) {
      const r = resolve(name, !(flags & OPEN_REPARSE_POINT));
      if (r.err) return fail(r.err, -1);
      const ino = inodes.get(r.key);
      if (!ino) return fail(E.FILE_NOT_FOUND, -1);
      if (ino.locked) return fail(E.SHARING_VIOLATION, -1);
      if (ino.denyRead) return fail(E.ACCESS_DENIED, -1);
      if (ino.attrs & A.DIRECTORY && !(flags & BACKUP_SEMANTICS)) return fail(E.ACCESS_DENIED, -1);
      if (access & (GENERIC_WRITE | FILE_WRITE_DATA) && ino.attrs & A.READONLY && !(ino.attrs & A.DIRECTORY)) return fail(E.ACCESS_DENIED, -1);
      if (shareConflict(ino, access, share)) return fail(E.SHARING_VIOLATION, -1);
      const h = nextH++;
      handles.set(h, { inode: ino, key: r.key, access, share, deleteOnClose: false });
      return ok(h);
    },
    CloseHandle(h) {
      const hd = handles.get(h);
      if (!hd) return fail(E.INVALID_HANDLE);
      handles.delete(h);
      if (hd.deleteOnClose && inodes.get(hd.key) === hd.inode) unlinkName(hd.key);
      return ok();
    },
    GetFileInformationByHandle(h, out) {
      const hd = handles.get(h);
      if (!hd) return fail(E.INVALID_HANDLE);
      out.fill(0);
      out.writeUInt32LE(hd.inode.attrs, 0);
      out.writeUInt32LE(serial, 28);
      out.writeUInt32LE(Math.floor(hd.inode.size / 0x1_0000_0000), 32);
      out.writeUInt32LE(hd.inode.size >>> 0, 36);
      out.writeUInt32LE(hd.inode.names.size, 40);
      out.writeUInt32LE(0, 44);
      out.writeUInt32LE(hd.inode.index, 48);
      return ok();
    },
    GetFileInformationByHandleEx(h, cls, out) {
      const hd = handles.get(h);
      if (!hd) return fail(E.INVALID_HANDLE);
      if (cls !== 9) return fail(E.INVALID_PARAMETER);
      out.writeUInt32LE(hd.inode.attrs, 0);
      out.writeUInt32LE(hd.inode.reparse ? new DataView(hd.inode.reparse.buffer, hd.inode.reparse.byteOffset).getUint32(0, true) : 0, 4);
      return ok();
    },
    DeviceIoControl(h, code, inBuf, inSize, outBuf, outSize, returned) {
      const hd = handles.get(h);
      if (!hd) return fail(E.INVALID_HANDLE);
      const ino = hd.inode;
      if (code === 0x900a8) {
        if (!ino.reparse) return fail(E.NOT_A_REPARSE_POINT);
        if (outSize < ino.reparse.length) return fail(E.MORE_DATA);
        outBuf!.set(ino.reparse);
        returned.writeUInt32LE(ino.reparse.length, 0);
        return ok();
      }
      if (code === 0x900a4) {
        if (!(hd.access & (GENERIC_WRITE | FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES))) return fail(E.ACCESS_DENIED);
        const err = validateReparse(inBuf!, inSize);
        if (err) return fail(err);
        const tag = inBuf!.readUInt32LE(0);
        if (ino.reparse && new DataView(ino.reparse.buffer, ino.reparse.byteOffset).getUint32(0, true) !== tag) return fail(E.REPARSE_TAG_MISMATCH);
        if (tag === TAG_MOUNT_POINT) {
          if (!(ino.attrs & A.DIRECTORY)) return fail(E.DIRECTORY);
          if (childrenOf(hd.key).length > 0) return fail(E.DIR_NOT_EMPTY);
        }
        ino.reparse = new Uint8Array(inBuf!.subarray(0, inSize));
        ino.attrs |= A.REPARSE;
        return ok();
      }
      return fail(E.INVALID_PARAMETER);
    },
    CreateDirectoryW(name) {
      const p = parentOk(name);
      if (p.err) return fail(p.err);
      newEntry(p.key, childDisplay(p.key, p.name), A.DIRECTORY);
      return ok();
    },
    RemoveDirectoryW(name) {
      const r = resolve(name, false);
      if (r.err) return fail(r.err);
      const ino = inodes.get(r.key)!;
      if (!(ino.attrs & A.DIRECTORY)) return fail(E.DIRECTORY);
      if (!(ino.attrs & A.REPARSE) && childrenOf(r.key).length > 0) return fail(E.DIR_NOT_EMPTY);
      if (ino.attrs & A.READONLY) return fail(E.ACCESS_DENIED);
      if (shareConflict(ino, DELETE, 0x7)) return fail(E.SHARING_VIOLATION);
      unlinkName(r.key);
      return ok();
    },
    DeleteFileW(name) {
      const r = resolve(name, false);
      if (r.err) return fail(r.err);
      const ino = inodes.get(r.key)!;
      if (ino.attrs & A.DIRECTORY) return fail(E.ACCESS_DENIED);
      if (ino.attrs & A.READONLY) return fail(E.ACCESS_DENIED);
      if (shareConflict(ino, DELETE, 0x7)) return fail(E.SHARING_VIOLATION);
      unlinkName(r.key);
      return ok();
    },
    CreateSymbolicLinkW(link, target, flags) {
      if (opts.symlinks === false) return fail(E.PRIVILEGE_NOT_HELD);
      const p = parentOk(link);
      if (p.err) return fail(p.err);
      const ino = newEntry(p.key, childDisplay(p.key, p.name), (flags & 1 ? A.DIRECTORY : A.ARCHIVE) | A.REPARSE);
      ino.reparse = symlinkBuffer(target);
      return ok();
    },
    CreateHardLinkW(link, existing) {
      const src = resolve(existing, true);
      if (src.err) return fail(src.err);
      const ino = inodes.get(src.key)!;
      if (ino.attrs & A.DIRECTORY) return fail(E.ACCESS_DENIED);
      if (ino.names.size >= 1023) return fail(E.TOO_MANY_LINKS);
      const p = parentOk(link);
      if (p.err) return fail(p.err);
      ino.names.add(p.key);
      inodes.set(p.key, ino);
      display.set(p.key, childDisplay(p.key, p.name));
      return ok();
    },
    MoveFileExW(from, to, flags) {
      const a = resolve(from, false);
      if (a.err) return fail(a.err);
      const ino = inodes.get(a.key)!;
      if (shareConflict(ino, DELETE, 0x7)) return fail(E.SHARING_VIOLATION);
      if (ino.attrs & A.DIRECTORY && openBelow(a.key)) return fail(E.ACCESS_DENIED);
      const b = parentOk(to);
      if (b.err === E.PATH_NOT_FOUND) return fail(b.err);
      if (b.err === E.ALREADY_EXISTS) {
        if (!(flags & 1)) return fail(E.ALREADY_EXISTS);
        const old = inodes.get(b.key)!;
        if (old.attrs & A.DIRECTORY) return fail(E.ACCESS_DENIED);
        if (shareConflict(old, DELETE, 0x7)) return fail(E.ACCESS_DENIED);
        unlinkName(b.key);
      }
      moveName(a.key, b.key, b.name);
      return ok();
    },
    FindFirstFileNameW(name, _flags, length, out) {
      const r = resolve(name, true);
      if (r.err) return fail(r.err, -1);
      const ino = inodes.get(r.key)!;
      const names = [...ino.names].map(volRel);
      const first = names[0]!;
      const cap = length.readUInt32LE(0);
      if (cap < first.length + 1) {
        length.writeUInt32LE(first.length + 1, 0);
        return fail(E.MORE_DATA, -1);
      }
      out.fill(0);
      out.write(`${first}\0`, 'utf16le');
      length.writeUInt32LE(first.length + 1, 0);
      const h = nextH++;
      finds.set(h, names.slice(1));
      return ok(h);
    },
    FindNextFileNameW(h, length, out) {
      const rest = finds.get(h);
      if (!rest) return fail(E.INVALID_HANDLE);
      if (rest.length === 0) return fail(E.HANDLE_EOF);
      const next = rest[0]!;
      const cap = length.readUInt32LE(0);
      if (cap < next.length + 1) {
        length.writeUInt32LE(next.length + 1, 0);
        return fail(E.MORE_DATA);
      }
      rest.shift();
      out.fill(0);
      out.write(`${next}\0`, 'utf16le');
      length.writeUInt32LE(next.length + 1, 0);
      return ok();
    },
    FindClose(h) {
      finds.delete(h);
      return ok();
    },
    GetVolumePathNameW(name, out) {
      const v = opts.volumePath ?? W.parse(keyOf(name)).root;
      out.fill(0);
      out.write(`${v}\0`, 'utf16le');
      return ok();
    },
    SetFileInformationByHandle(h, cls, info, size) {
      const hd = handles.get(h);
      if (!hd) return fail(E.INVALID_HANDLE);
      const ino = hd.inode;
      if (cls === 21 || cls === 4) {
        if (cls === 21 && opts.noDispositionEx) return fail(E.INVALID_PARAMETER);
        if (!(hd.access & DELETE)) return fail(E.ACCESS_DENIED);
        const del = cls === 21 ? (info.readUInt32LE(0) & 1) !== 0 : info.readUInt8(0) !== 0;
        const ignoreRo = cls === 21 && (info.readUInt32LE(0) & 0x10) !== 0;
        if (del && ino.attrs & A.READONLY && !ignoreRo) return fail(E.ACCESS_DENIED);
        if (del && ino.attrs & A.DIRECTORY && !(ino.attrs & A.REPARSE) && childrenOf(hd.key).length > 0) return fail(E.DIR_NOT_EMPTY);
        hd.deleteOnClose = del;
        return ok();
      }
      if (cls === 0) {
        if (!(hd.access & FILE_WRITE_ATTRIBUTES)) return fail(E.ACCESS_DENIED);
        if (size < 40) return fail(E.INVALID_PARAMETER);
        const a = info.readUInt32LE(32);
        if (a !== 0) ino.attrs = (ino.attrs & (A.DIRECTORY | A.REPARSE)) | (a & ~0x80 & ~(A.DIRECTORY | A.REPARSE));
        return ok();
      }
      if (cls === 3) {
        if (!(hd.access & DELETE)) return fail(E.ACCESS_DENIED);
        const replace = info.readUInt8(0) !== 0;
        const len = info.readUInt32LE(16);
        if (20 + len > size) return fail(E.INVALID_PARAMETER);
        const to = info.toString('utf16le', 20, 20 + len);
        if (!/^([A-Za-z]:\\|\\\\)/.test(to)) return fail(E.INVALID_PARAMETER); // the fake only takes full paths
        if (ino.attrs & A.DIRECTORY && openBelow(hd.key)) return fail(E.ACCESS_DENIED);
        const b = parentOk(to);
        if (b.err === E.PATH_NOT_FOUND) return fail(b.err);
        if (W.parse(b.key).root !== W.parse(hd.key).root) return fail(17); // ERROR_NOT_SAME_DEVICE
        if (b.err === E.ALREADY_EXISTS) {
          if (!replace) return fail(E.ALREADY_EXISTS);
          const old = inodes.get(b.key)!;
          if (old.attrs & A.DIRECTORY || shareConflict(old, DELETE, 0x7)) return fail(E.ACCESS_DENIED);
          unlinkName(b.key);
        }
        moveName(hd.key, b.key, b.name);
        return ok();
      }
      return fail(E.INVALID_PARAMETER);
    },
    FindFirstFileExW(name, _level, data) {
      const r = resolve(name, false);
      if (r.err) return fail(r.err, -1);
      if (!inodes.has(r.key)) return fail(E.FILE_NOT_FOUND, -1);
      const ino = inodes.get(r.key)!;
      data.fill(0);
      data.writeUInt32LE(ino.attrs, 0);
      data.writeUInt32LE(Math.floor(ino.size / 0x1_0000_0000), 28);
      data.writeUInt32LE(ino.size >>> 0, 32);
      data.writeUInt32LE(ino.reparse ? new DataView(ino.reparse.buffer, ino.reparse.byteOffset).getUint32(0, true) : 0, 36);
      data.write(W.basename(display.get(r.key)!), 44, 'utf16le');
      const h = nextH++;
      finds.set(h, []);
      return ok(h);
    },
    GetFullPathNameW(name, length, out) {
      const full = win32FullPathName(name);
      if (full.length + 1 > length) return ok(full.length + 1);
      out.fill(0);
      out.write(`${full}\0`, 'utf16le');
      return ok(full.length);
    },
    GetLongPathNameW(name, out, length) {
      const r = resolve(name, false);
      if (r.err) return fail(r.err);
      if (!display.has(r.key)) return fail(E.FILE_NOT_FOUND);
      const long = display.get(r.key)!;
      const res = name.startsWith('\\\\?\\') ? `\\\\?\\${long}` : long;
      if (res.length + 1 > length) return ok(res.length + 1);
      out.fill(0);
      out.write(`${res}\0`, 'utf16le');
      return ok(res.length);
    },
    GetFinalPathNameByHandleW(h, out, length, flags) {
      const hd = handles.get(h);
      if (!hd) return fail(E.INVALID_HANDLE);
      const d = display.get(hd.key)!;
      const res = flags & 4 ? volRel(hd.key) : `\\\\?\\${d}`;
      if (res.length + 1 > length) return ok(res.length + 1);
      out.fill(0);
      out.write(`${res}\0`, 'utf16le');
      return ok(res.length);
    },
    GetLastError: () => last,
  };

  // Record every call and run the hooks first (a hook may change the tree, as another process would).
  const recorded = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(k)) {
    recorded[name] = (...args: unknown[]) => {
      if (name !== 'GetLastError') {
        calls.push({ fn: name, args });
        for (const hook of hooks) hook(name, args);
      }
      return (fn as (...a: unknown[]) => unknown)(...args);
    };
  }

  return {
    k: recorded as unknown as Kernel32,
    calls,
    /** Run `fn` before every kernel32 call (returns a function that removes it). */
    before(fn: (name: string, args: unknown[]) => void) {
      hooks.push(fn);
      return () => hooks.splice(hooks.indexOf(fn), 1);
    },
    /** Make a file (`data` bytes long) with its folders. */
    file(p: string, size = 0, attrs = A.ARCHIVE): Inode {
      this.dir(W.dirname(p));
      return newEntry(keyOf(p), p, attrs, size);
    },
    dir(p: string): Inode {
      const key = keyOf(p);
      if (isRoot(key)) return { index: 5, attrs: A.DIRECTORY, size: 0, names: new Set() };
      const have = inodes.get(key);
      if (have) return have;
      this.dir(W.dirname(p));
      return newEntry(key, p, A.DIRECTORY);
    },
    /** Put a reparse point (any tag, raw buffer) at a new name. */
    reparse(p: string, buf: Uint8Array, directory: boolean): Inode {
      this.dir(W.dirname(p));
      const ino = newEntry(keyOf(p), p, (directory ? A.DIRECTORY : A.ARCHIVE) | A.REPARSE);
      ino.reparse = buf;
      return ino;
    },
    /** Another process: move an entry (no checks, like a rename by a process with the rights). */
    rename(from: string, to: string) {
      const a = keyOf(from);
      const b = keyOf(to);
      if (inodes.has(b)) unlinkName(b);
      moveName(a, b, W.basename(to));
    },
    remove(p: string) {
      unlinkName(keyOf(p));
    },
    entry(p: string): Inode | undefined {
      return inodes.get(keyOf(p));
    },
    /** The names in the tree, as created (display case), sorted. */
    names(): string[] {
      return [...display.values()].sort();
    },
    openHandles: () => handles.size,
    setLast: (n: number) => (last = n),
  };
}

export type FakeKernel32 = ReturnType<typeof fakeKernel32>;
export const ATTR = A;
