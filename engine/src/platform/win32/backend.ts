/**
 * Windows backend: NTFS symbolic links, junctions and hard links through kernel32 (koffi), the same
 * Backend the POSIX backend implements (cf. libuv src/win/fs.c beside src/unix/fs.c).
 *
 * - Every open uses FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS: the entry itself is
 *   opened, never what a reparse point stands for, so cloud placeholders are never hydrated (Node's
 *   fs.lstat retries without the flag for tags it does not know, so it is not used here).
 * - Identity is (volume serial, file index) from GetFileInformationByHandle.
 * - Junction vs symlink vs anything else comes from FSCTL_GET_REPARSE_POINT parsed by the reparse codec.
 * - Long paths: `toLongPath` is applied to every path handed to a W function, and nowhere else.
 * - Decoding, error mapping and the algorithms are pure (rules.ts, paths.ts) and tested on Linux.
 *
 * Acting on a link is anchored on a handle (the Windows counterpart of openat/unlinkat; see
 * docs/windows.md): the link itself is opened with DELETE access and a share mode without
 * FILE_SHARE_DELETE (so nobody can rename, replace or delete that name while we hold it), the handle
 * is checked against what the caller checked (file id, reparse attribute and tag), and the delete
 * or rename goes through that handle (SetFileInformationByHandle). A name swapped before the open
 * (leaf or parent) yields a handle on another file, which the check refuses; a swap after it is
 * impossible. Nothing is ever deleted or replaced by name.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildMountPointBuffer, MAXIMUM_REPARSE_DATA_BUFFER_SIZE, parseReparseBuffer } from '../../ntfs/index.js';
import { fromOsError, LinkToolsError } from '../../errors.js';
import type { Backend, DirEntry, EntryStat, LinkData } from '../types.js';
import {
  callForString,
  DELETE,
  FILE_DISPOSITION_FLAG_DELETE,
  FILE_DISPOSITION_FLAG_IGNORE_READONLY_ATTRIBUTE,
  FILE_DISPOSITION_FLAG_POSIX_SEMANTICS,
  FILE_FLAG_BACKUP_SEMANTICS,
  FILE_FLAG_OPEN_REPARSE_POINT,
  FILE_NAME_NORMALIZED,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_ALL,
  FILE_SHARE_NO_DELETE,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  FileAttributeTagInfo,
  FileBasicInfo,
  FileDispositionInfo,
  FileDispositionInfoEx,
  FileRenameInfo,
  FindExInfoBasic,
  FindExSearchNameMatch,
  FSCTL_GET_REPARSE_POINT,
  FSCTL_SET_REPARSE_POINT,
  INVALID_HANDLE_VALUE,
  kernel32,
  OPEN_EXISTING,
  readWide,
  SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE,
  SYMBOLIC_LINK_FLAG_DIRECTORY,
  VOLUME_NAME_NONE,
  WIN32_FIND_DATAW_SIZE,
  type Kernel32,
} from './kernel32.js';
import { fromLongPath, isDeviceNamespace, joinVolumeName, junctionNames, resolveWindowsTarget, sameWindowsPath, symlinkTargetForWindows, toLongPath, volumeRootForNames } from './paths.js';
import {
  BY_HANDLE_FILE_INFORMATION_SIZE,
  changedEntryError,
  type CheckedEntry,
  decodeFindData,
  decodeHandleInfo,
  describeFacts,
  dispositionExUnsupported,
  encodeBasicInfoWithout,
  encodeRenameInfo,
  entryStatFromFindData,
  entryStatFromHandleInfo,
  ERROR_ACCESS_DENIED,
  ERROR_FILE_NOT_FOUND,
  ERROR_HANDLE_EOF,
  ERROR_INVALID_PARAMETER,
  ERROR_MORE_DATA,
  ERROR_NOT_A_REPARSE_POINT,
  ERROR_PATH_NOT_FOUND,
  ERROR_SHARING_VIOLATION,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_READONLY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  type HandleFacts,
  isFindPattern,
  linkDataFromReparse,
  removalMethod,
  win32Error,
  win32ErrorName,
} from './rules.js';
import { followStat } from '../chain.js';
import { swapViaAside } from '../swap.js';

/** What lstat learnt that EntryStat has no field for: the attributes and the reparse tag. */
interface Facts {
  attributes: number;
  tag: number;
}

const OPEN_SELF = FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS;
const SYMLINK_TAG = 0xa000000c;

export class Win32Backend implements Backend {
  readonly name = 'win32' as const;
  readonly path = path.win32;
  private readonly facts = new WeakMap<EntryStat, Facts>();
  private symlinkProbe: boolean | null | undefined;

  constructor(private readonly k32: () => Kernel32 = kernel32) {}

  private fail(p: string, what: string): LinkToolsError {
    return win32Error(this.k32().GetLastError(), p, what);
  }

  /** Open the entry itself (never through a reparse point); -1 and GetLastError() on failure. */
  private openSelf(p: string, access: number, share: number): number {
    return this.k32().CreateFileW(toLongPath(p), access, share, null, OPEN_EXISTING, OPEN_SELF, 0);
  }

  /** Open the entry itself and run `fn` on the handle. */
  private withHandle<T>(p: string, access: number, what: string, fn: (h: number) => T, share = FILE_SHARE_ALL): T {
    const k = this.k32();
    const h = this.openSelf(p, access, share);
    if (h === INVALID_HANDLE_VALUE) throw this.fail(p, what);
    try {
      return fn(h);
    } finally {
      k.CloseHandle(h);
    }
  }

  /** Attributes, identity, link count (GetFileInformationByHandle) and reparse tag (FileAttributeTagInfo) of a handle. */
  private handleFacts(h: number, p: string, what: string): HandleFacts {
    const k = this.k32();
    const buf = Buffer.alloc(BY_HANDLE_FILE_INFORMATION_SIZE);
    if (!k.GetFileInformationByHandle(h, buf)) throw this.fail(p, what);
    const info = decodeHandleInfo(buf);
    let tag = 0;
    if (info.attributes & FILE_ATTRIBUTE_REPARSE_POINT) {
      // Tolerated when the file system cannot answer (tag 0, as before): identity is still compared.
      const t = Buffer.alloc(8);
      if (k.GetFileInformationByHandleEx(h, FileAttributeTagInfo, t, 8)) tag = t.readUInt32LE(4);
    }
    return { info, tag };
  }

  lstat(p: string): EntryStat {
    const k = this.k32();
    const h = this.openSelf(p, FILE_READ_ATTRIBUTES, FILE_SHARE_ALL);
    if (h === INVALID_HANDLE_VALUE) {
      const err = k.GetLastError();
      // pagefile.sys, hiberfil.sys, files whose ACL denies FILE_READ_ATTRIBUTES: `dir` still lists
      // them, from the directory (libuv falls back the same way).
      if (err === ERROR_SHARING_VIOLATION || err === ERROR_ACCESS_DENIED) {
        const st = this.lstatFromDirectory(p);
        if (st) return st;
      }
      throw win32Error(err, p, 'cannot read');
    }
    try {
      const { info, tag } = this.handleFacts(h, p, 'cannot read');
      const st = entryStatFromHandleInfo(info);
      this.facts.set(st, { attributes: info.attributes, tag });
      return st;
    } finally {
      k.CloseHandle(h);
    }
  }

  /** lstat from the parent directory's entry (FindFirstFileExW; dwReserved0 is the reparse tag). Null when it cannot tell. */
  private lstatFromDirectory(p: string): EntryStat | null {
    const k = this.k32();
    if (isFindPattern(path.win32.basename(p))) return null;
    const data = Buffer.alloc(WIN32_FIND_DATAW_SIZE);
    let h: number;
    try {
      h = k.FindFirstFileExW(toLongPath(p), FindExInfoBasic, data, FindExSearchNameMatch, null, 0);
    } catch {
      return null; // no FindFirstFileExW in this kernel32
    }
    if (h === INVALID_HANDLE_VALUE) return null;
    k.FindClose(h);
    const fd = decodeFindData(data);
    const st = entryStatFromFindData(fd, path.win32.normalize(p));
    this.facts.set(st, { attributes: fd.attributes, tag: fd.tag });
    return st;
  }

  stat(p: string): EntryStat | null {
    return followStat({ lstat: (q) => this.lstat(q), readLink: (q, st) => this.readLink(q, st), resolveTarget: (d, t) => this.resolveTarget(d, t), dirname: path.win32.dirname }, p);
  }

  private factsOf(p: string, st: EntryStat): Facts {
    return this.facts.get(st) ?? this.facts.get(this.lstat(p))!;
  }

  private checked(p: string, st: EntryStat): CheckedEntry {
    const f = this.factsOf(p, st);
    return { fileId: st.fileId, attributes: f.attributes, tag: f.tag };
  }

  readLink(p: string, st: EntryStat): LinkData | null {
    if (st.type !== 'link') return null;
    const facts = this.factsOf(p, st);
    if (!(facts.attributes & FILE_ATTRIBUTE_REPARSE_POINT)) return null;
    const k = this.k32();
    const what = 'cannot read reparse data';
    const raw = this.withHandle(p, FILE_READ_ATTRIBUTES, what, (h) => {
      // The reparse data must be that of the entry lstat described, not of one swapped in since.
      if (!st.fileId.startsWith('path:')) {
        const changed = changedEntryError(p, this.checked(p, st), this.handleFacts(h, p, what), 'read');
        if (changed) throw changed;
      }
      const out = Buffer.alloc(MAXIMUM_REPARSE_DATA_BUFFER_SIZE);
      const returned = Buffer.alloc(4);
      if (!k.DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, null, 0, out, out.length, returned, null)) {
        const err = k.GetLastError();
        if (err === ERROR_NOT_A_REPARSE_POINT) return null;
        throw win32Error(err, p, what);
      }
      return out.subarray(0, returned.readUInt32LE(0));
    });
    if (!raw) return null;
    try {
      // The file attributes go with the reparse facts: whether a cloud placeholder's data is local
      // (no OFFLINE/RECALL_* bits) decides whether it is a plain file (platform/classify.ts).
      const attributes = `0x${(facts.attributes >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
      return linkDataFromReparse(parseReparseBuffer(raw), (facts.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0, { attributes });
    } catch (e) {
      if (e instanceof LinkToolsError) throw new LinkToolsError(e.code, e.message, p, e.details);
      throw e;
    }
  }

  resolveTarget(linkDir: string, target: string): string | null {
    return resolveWindowsTarget(linkDir, target);
  }

  createSymlink(link: string, target: string, targetType: 'file' | 'directory'): void {
    const k = this.k32();
    const what = 'cannot create symbolic link';
    const base = targetType === 'directory' ? SYMBOLIC_LINK_FLAG_DIRECTORY : 0;
    const stored = symlinkTargetForWindows(target);
    if (!k.CreateSymbolicLinkW(toLongPath(link), stored, base | SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE)) {
      let err = k.GetLastError();
      // Windows before 10 1703 rejects the unprivileged flag; retry without it (as libuv and Go do).
      if (err === ERROR_INVALID_PARAMETER) {
        if (k.CreateSymbolicLinkW(toLongPath(link), stored, base)) err = 0;
        else err = k.GetLastError();
      }
      if (err !== 0) throw win32Error(err, link, what);
    }
    this.checkCreatedSymlink(link, what, targetType);
  }

  /**
   * Post-condition of CreateSymbolicLinkW (Wine's stub, some SMB servers and file system filters
   * report success without making a symbolic link): the entry must be a reparse point with the
   * symlink tag and the directory attribute asked for. CreateSymbolicLinkW never replaces an entry,
   * so whatever stands at the name is what the call made: it is removed through its handle.
   */
  private checkCreatedSymlink(link: string, what: string, targetType: 'file' | 'directory'): void {
    let st: EntryStat;
    try {
      st = this.lstat(link); // read-only open, share all: an antivirus scanning the new link does not fail it
    } catch (e) {
      if (e instanceof LinkToolsError && e.code === 'LT_NOT_FOUND') {
        throw new LinkToolsError('LT_UNSUPPORTED_KIND', `${what}: CreateSymbolicLinkW reported success but no link exists (this system does not implement symbolic links).`, link, {
          osCode: 'CreateSymbolicLinkW',
        });
      }
      if (e instanceof LinkToolsError) throw new LinkToolsError(e.code, `${what}: the link was made but cannot be checked, so it is left in place: ${e.message}`, link, e.details);
      throw e;
    }
    const checked = this.checked(link, st);
    const isDir = (checked.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
    if (checked.attributes & FILE_ATTRIBUTE_REPARSE_POINT && checked.tag >>> 0 === SYMLINK_TAG && isDir === (targetType === 'directory')) return;
    const made = describeFacts(checked);
    let removed = true;
    try {
      this.withChecked(link, checked, 'remove', (h, f) => this.deleteThroughHandle(h, link, f.info.attributes, what));
    } catch {
      removed = false;
    }
    throw new LinkToolsError(
      'LT_UNSUPPORTED_KIND',
      `${what}: CreateSymbolicLinkW reported success but made ${made}, not a ${targetType} symbolic link (this file system does not store symbolic links); ${removed ? 'it was removed' : 'it could not be removed and is left in place'}.`,
      link,
      { osCode: 'CreateSymbolicLinkW', removed },
    );
  }

  /**
   * Resolve a junction target as Win32 would (GetFullPathNameW: `.`/`..`, trailing dots and spaces,
   * `CON` → `\\.\CON`), then to long names (GetLongPathNameW: `PROGRA~1` → `Program Files`, without
   * following links in the path), because NT stores and follows the substitute name literally.
   */
  private junctionTargetPath(absoluteTarget: string): string {
    const k = this.k32();
    if (isDeviceNamespace(absoluteTarget)) return absoluteTarget;
    const full = callForString((out, n) => k.GetFullPathNameW(absoluteTarget, n, out, null));
    if (full === null) throw this.fail(absoluteTarget, 'cannot resolve the junction target');
    if (/^\\\\\.\\/.test(full)) {
      throw new LinkToolsError('LT_INVALID_ARGUMENT', `The junction target ${absoluteTarget} names the device ${full.slice(4)}, not a directory.`, undefined, {
        target: absoluteTarget,
      });
    }
    const long = callForString((out, n) => k.GetLongPathNameW(toLongPath(full), out, n));
    return long === null ? full : fromLongPath(long);
  }

  createJunction(link: string, absoluteTarget: string): void {
    const k = this.k32();
    const what = 'cannot create junction';
    const names = junctionNames(this.junctionTargetPath(absoluteTarget));
    const buf = Buffer.from(buildMountPointBuffer(names));
    if (!k.CreateDirectoryW(toLongPath(link), null)) throw this.fail(link, what);
    // The directory we made, opened on itself and held without FILE_SHARE_DELETE: from here on
    // nobody can swap the name, and the reparse point is set on (or the folder removed through)
    // this handle only.
    const h = this.openSelf(link, FILE_WRITE_DATA | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | DELETE, FILE_SHARE_NO_DELETE);
    if (h === INVALID_HANDLE_VALUE) throw this.fail(link, `${what}: the new folder cannot be opened, so it is left in place`);
    try {
      const f = this.handleFacts(h, link, what);
      if (f.info.attributes & FILE_ATTRIBUTE_REPARSE_POINT || !(f.info.attributes & FILE_ATTRIBUTE_DIRECTORY)) {
        throw new LinkToolsError(
          'LT_BUSY',
          `${what}: the folder just created was replaced by ${describeFacts({ attributes: f.info.attributes, tag: f.tag })} before it could become a junction; nothing was changed.`,
          link,
        );
      }
      const returned = Buffer.alloc(4);
      if (!k.DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, buf, buf.length, null, 0, returned, null)) {
        const e = this.fail(link, what);
        try {
          this.deleteThroughHandle(h, link, f.info.attributes, what); // the empty folder we made
        } catch {
          /* it stays: an empty folder */
        }
        throw e;
      }
    } finally {
      k.CloseHandle(h);
    }
  }

  createHardLink(link: string, existing: string): void {
    const k = this.k32();
    if (!k.CreateHardLinkW(toLongPath(link), toLongPath(existing), null)) throw this.fail(link, 'cannot create hard link');
  }

  /**
   * Open the entry to act on with DELETE access and no delete sharing, check it is the one checked
   * (`checked`), and run `fn` on the handle. FILE_WRITE_ATTRIBUTES is asked too (to clear a
   * read-only attribute when the POSIX delete is not available); when the ACL refuses it, DELETE alone.
   */
  private withChecked<T>(p: string, checked: CheckedEntry, what: string, fn: (h: number, f: HandleFacts) => T): T {
    const k = this.k32();
    if (checked.fileId.startsWith('path:')) {
      throw new LinkToolsError(
        'LT_ACCESS_DENIED',
        `This entry could only be read from its folder's listing (it cannot be opened: in use or denied by its ACL), so LinkTools cannot check it through a handle and will not ${what} it: nothing was changed.`,
        p,
      );
    }
    let h = this.openSelf(p, DELETE | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES, FILE_SHARE_NO_DELETE);
    if (h === INVALID_HANDLE_VALUE && k.GetLastError() === ERROR_ACCESS_DENIED) h = this.openSelf(p, DELETE | FILE_READ_ATTRIBUTES, FILE_SHARE_NO_DELETE);
    if (h === INVALID_HANDLE_VALUE) {
      const err = k.GetLastError();
      if (err === ERROR_FILE_NOT_FOUND || err === ERROR_PATH_NOT_FOUND) {
        throw new LinkToolsError('LT_NOT_FOUND', `The entry vanished while LinkTools was about to ${what} it: nothing was changed.`, p, { osCode: win32ErrorName(err) });
      }
      throw win32Error(err, p, `cannot ${what}`);
    }
    try {
      const f = this.handleFacts(h, p, `cannot ${what}`);
      const changed = changedEntryError(p, checked, f, what);
      if (changed) throw changed;
      return fn(h, f);
    } finally {
      k.CloseHandle(h);
    }
  }

  /**
   * Delete the entry a handle is open on: FileDispositionInfoEx with POSIX semantics (the name goes
   * when the handle closes, even if others have it open) and IGNORE_READONLY_ATTRIBUTE; where that
   * is not available (before Windows 10 1809, FAT, SMB), FileDispositionInfo, after clearing a
   * read-only attribute through the same handle (and restoring it if the delete still fails).
   */
  private deleteThroughHandle(h: number, p: string, attributes: number, what: string): void {
    const k = this.k32();
    const ex = Buffer.alloc(4);
    ex.writeUInt32LE(FILE_DISPOSITION_FLAG_DELETE | FILE_DISPOSITION_FLAG_POSIX_SEMANTICS | FILE_DISPOSITION_FLAG_IGNORE_READONLY_ATTRIBUTE, 0);
    if (k.SetFileInformationByHandle(h, FileDispositionInfoEx, ex, 4)) return;
    const err = k.GetLastError();
    if (!dispositionExUnsupported(err)) throw win32Error(err, p, what);
    const readOnly = (attributes & FILE_ATTRIBUTE_READONLY) !== 0;
    if (readOnly && !k.SetFileInformationByHandle(h, FileBasicInfo, encodeBasicInfoWithout(attributes, FILE_ATTRIBUTE_READONLY), 40)) {
      throw this.fail(p, `${what}: it is read-only and the attribute cannot be cleared`);
    }
    const d = Buffer.alloc(4);
    d.writeUInt8(1, 0);
    if (k.SetFileInformationByHandle(h, FileDispositionInfo, d, 4)) return;
    const e = this.fail(p, what);
    if (readOnly) k.SetFileInformationByHandle(h, FileBasicInfo, encodeBasicInfoWithout(attributes | FILE_ATTRIBUTE_READONLY, 0), 40);
    throw e;
  }

  /** Rename the entry a handle is open on to `to` (never over an existing entry). */
  private renameThroughHandle(h: number, from: string, to: string, what: string): void {
    const k = this.k32();
    const info = encodeRenameInfo(toLongPath(to), 0 /* ReplaceIfExists = FALSE */);
    if (!k.SetFileInformationByHandle(h, FileRenameInfo, info, info.length)) throw this.fail(from, what);
  }

  removeLink(p: string, data: LinkData | null, st: EntryStat): void {
    const checked = this.checked(p, st);
    removalMethod(data, (checked.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0, p); // refuses data-carrying reparse points
    if (!data && !(st.type === 'file' && st.nlink > 1)) throw new LinkToolsError('LT_NOT_A_LINK', 'This is not a link: nothing was removed.', p);
    this.withChecked(p, checked, 'remove', (h, f) => {
      if (!data && f.info.links <= 1) throw new LinkToolsError('LT_NOT_A_LINK', 'This file has no other name any more: removing this one would delete it. Nothing was removed.', p);
      this.deleteThroughHandle(h, p, f.info.attributes, 'cannot remove link');
    });
  }

  /**
   * Put the new link `from` in place of the checked link `to`, by handles only: the old link is
   * opened and checked, renamed aside through its handle, the new link (opened and checked to be a
   * reparse point) is renamed to `to` without replace, and the old one is deleted through the handle
   * still held. `to` is absent for the moment between the two renames (Windows cannot exchange two
   * names), but no entry is ever replaced or deleted by name: if something takes the name meanwhile,
   * the second rename fails, the old link is moved back, and nothing else is touched.
   */
  replaceLink(from: string, to: string, _old: LinkData | null, oldStat: EntryStat): void {
    const checked = this.checked(to, oldStat);
    const fresh = this.lstat(from);
    const freshChecked = this.checked(from, fresh);
    const aside = path.win32.join(path.win32.dirname(to), `.${path.win32.basename(to)}.lt-old-${process.pid}-${randomBytes(4).toString('hex')}`);
    this.withChecked(to, checked, 'replace', (oldH, oldFacts) =>
      swapViaAside(
        {
          moveAside: () => this.renameThroughHandle(oldH, to, aside, 'cannot replace link'),
          moveIn: () => this.withChecked(from, freshChecked, 'put in place', (newH) => this.renameThroughHandle(newH, from, to, 'cannot replace link')),
          moveBack: () => this.renameThroughHandle(oldH, aside, to, 'cannot move the old link back'),
          removeAside: () => this.deleteThroughHandle(oldH, aside, oldFacts.info.attributes, 'cannot remove the old link'),
        },
        to,
        aside,
      ),
    );
  }

  readdir(p: string): DirEntry[] {
    // libuv lists with NtQueryDirectoryFile: no entry is opened, and any reparse point is a link.
    let ents: fs.Dirent[];
    try {
      ents = fs.readdirSync(p, { withFileTypes: true });
    } catch (e) {
      throw fromOsError(e, p, 'cannot list directory');
    }
    return ents.map((d) => ({
      name: d.name,
      type: d.isSymbolicLink() ? 'link' : d.isDirectory() ? 'directory' : d.isFile() ? 'file' : 'unknown',
    }));
  }

  hardLinkNames(p: string): string[] | null {
    try {
      return this.listNames(p);
    } catch (e) {
      if (e instanceof LinkToolsError && e.code === 'LT_UNSUPPORTED_KIND') return null; // e.g. Wine: no FindFirstFileNameW
      throw e;
    }
  }

  /** The entry's own name as FindFirstFileNameW spells it (`\dir\file`, volume-relative), or null. */
  private volumeRelativeName(p: string): string | null {
    const k = this.k32();
    const h = this.openSelf(p, FILE_READ_ATTRIBUTES, FILE_SHARE_ALL);
    if (h === INVALID_HANDLE_VALUE) return null;
    try {
      return callForString((out, n) => k.GetFinalPathNameByHandleW(h, out, n, FILE_NAME_NORMALIZED | VOLUME_NAME_NONE));
    } catch {
      return null;
    } finally {
      k.CloseHandle(h);
    }
  }

  private listNames(p: string): string[] | null {
    const k = this.k32();
    const vol = Buffer.alloc(2 * 1024);
    if (!k.GetVolumePathNameW(toLongPath(p), vol, 1024)) return null;
    const root = volumeRootForNames(readWide(vol));
    if (root === null) return null;
    const own = this.volumeRelativeName(p);
    const names: string[] = [];
    const rel: string[] = [];
    let cap = 1024;
    let out = Buffer.alloc(cap * 2);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(cap, 0);
    let h = k.FindFirstFileNameW(toLongPath(p), 0, len, out);
    if (h === INVALID_HANDLE_VALUE && k.GetLastError() === ERROR_MORE_DATA) {
      cap = len.readUInt32LE(0);
      out = Buffer.alloc(cap * 2);
      len.writeUInt32LE(cap, 0);
      h = k.FindFirstFileNameW(toLongPath(p), 0, len, out);
    }
    if (h === INVALID_HANDLE_VALUE) return null;
    try {
      for (;;) {
        const name = readWide(out, Math.min(cap, len.readUInt32LE(0)));
        rel.push(name);
        names.push(joinVolumeName(root, name));
        len.writeUInt32LE(cap, 0);
        let ok = k.FindNextFileNameW(h, len, out);
        let err = ok ? 0 : k.GetLastError();
        if (err === ERROR_MORE_DATA) {
          cap = len.readUInt32LE(0);
          out = Buffer.alloc(cap * 2);
          len.writeUInt32LE(cap, 0);
          ok = k.FindNextFileNameW(h, len, out);
          err = ok ? 0 : k.GetLastError();
        }
        if (ok) continue;
        if (err === ERROR_HANDLE_EOF) break;
        return null;
      }
    } finally {
      k.FindClose(h);
    }
    // The other names (FindFirstFileNameW lists all): drop our own, found by the handle's
    // volume-relative name (which also matches when `p` was given with 8.3 names or another case).
    return names.filter((n, i) => (own !== null ? rel[i]!.toUpperCase() !== own.toUpperCase() : !sameWindowsPath(n, p)));
  }

  /** Probe once: make and delete a dangling symbolic link in the temp folder. Null when it cannot tell. */
  canCreateSymlinks(): boolean | null {
    if (this.symlinkProbe !== undefined) return this.symlinkProbe;
    const probe = path.win32.join(os.tmpdir(), `.lt-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      this.createSymlink(probe, 'lt-probe-target', 'file');
      this.symlinkProbe = true;
      try {
        const st = this.lstat(probe);
        this.removeLink(probe, this.readLink(probe, st), st);
      } catch {
        /* best effort */
      }
    } catch (e) {
      this.symlinkProbe = e instanceof LinkToolsError && e.code === 'LT_PRIVILEGE_REQUIRED' ? false : null;
    }
    return this.symlinkProbe;
  }
}
