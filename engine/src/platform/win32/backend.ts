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
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildMountPointBuffer, MAXIMUM_REPARSE_DATA_BUFFER_SIZE, parseReparseBuffer } from '../../core/reparse/index.js';
import { fromOsError, LinkToolsError } from '../../errors.js';
import type { Backend, DirEntry, EntryStat, LinkData } from '../types.js';
import {
  FILE_FLAG_BACKUP_SEMANTICS,
  FILE_FLAG_OPEN_REPARSE_POINT,
  FILE_READ_ATTRIBUTES,
  FILE_SHARE_ALL,
  FileAttributeTagInfo,
  FSCTL_GET_REPARSE_POINT,
  FSCTL_SET_REPARSE_POINT,
  GENERIC_READ,
  GENERIC_WRITE,
  INVALID_HANDLE_VALUE,
  kernel32,
  MOVEFILE_REPLACE_EXISTING,
  OPEN_EXISTING,
  readWide,
  SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE,
  SYMBOLIC_LINK_FLAG_DIRECTORY,
  type Kernel32,
} from './kernel32.js';
import { joinVolumeName, junctionNames, resolveWindowsTarget, sameWindowsPath, symlinkTargetForWindows, toLongPath } from './paths.js';
import {
  BY_HANDLE_FILE_INFORMATION_SIZE,
  decodeHandleInfo,
  entryStatFromHandleInfo,
  ERROR_HANDLE_EOF,
  ERROR_INVALID_PARAMETER,
  ERROR_MORE_DATA,
  ERROR_NOT_A_REPARSE_POINT,
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_ATTRIBUTE_REPARSE_POINT,
  followStat,
  linkDataFromReparse,
  removalMethod,
  replaceViaAside,
  win32Error,
} from './rules.js';

/** What lstat learnt that EntryStat has no field for: the attributes and the reparse tag. */
interface Facts {
  attributes: number;
  tag: number;
}

export class Win32Backend implements Backend {
  readonly name = 'win32' as const;
  readonly path = path.win32;
  private readonly facts = new WeakMap<EntryStat, Facts>();
  private symlinkProbe: boolean | null | undefined;

  constructor(private readonly k32: () => Kernel32 = kernel32) {}

  private fail(p: string, what: string): LinkToolsError {
    return win32Error(this.k32().GetLastError(), p, what);
  }

  /** Open the entry itself (never through a reparse point) and run `fn` on the handle. */
  private withHandle<T>(p: string, access: number, what: string, fn: (h: number) => T): T {
    const k = this.k32();
    const h = k.CreateFileW(toLongPath(p), access, FILE_SHARE_ALL, null, OPEN_EXISTING, FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS, 0);
    if (h === INVALID_HANDLE_VALUE) throw this.fail(p, what);
    try {
      return fn(h);
    } finally {
      k.CloseHandle(h);
    }
  }

  lstat(p: string): EntryStat {
    const k = this.k32();
    return this.withHandle(p, FILE_READ_ATTRIBUTES, 'cannot read', (h) => {
      const buf = Buffer.alloc(BY_HANDLE_FILE_INFORMATION_SIZE);
      if (!k.GetFileInformationByHandle(h, buf)) throw this.fail(p, 'cannot read');
      const info = decodeHandleInfo(buf);
      let tag = 0;
      if (info.attributes & FILE_ATTRIBUTE_REPARSE_POINT) {
        const t = Buffer.alloc(8);
        if (k.GetFileInformationByHandleEx(h, FileAttributeTagInfo, t, 8)) tag = t.readUInt32LE(4);
      }
      const st = entryStatFromHandleInfo(info);
      this.facts.set(st, { attributes: info.attributes, tag });
      return st;
    });
  }

  stat(p: string): EntryStat | null {
    return followStat({ lstat: (q) => this.lstat(q), readLink: (q, st) => this.readLink(q, st), resolveTarget: (d, t) => this.resolveTarget(d, t), dirname: path.win32.dirname }, p);
  }

  private factsOf(p: string, st: EntryStat): Facts {
    return this.facts.get(st) ?? this.facts.get(this.lstat(p))!;
  }

  readLink(p: string, st: EntryStat): LinkData | null {
    if (st.type !== 'link') return null;
    const facts = this.factsOf(p, st);
    if (!(facts.attributes & FILE_ATTRIBUTE_REPARSE_POINT)) return null;
    const k = this.k32();
    const raw = this.withHandle(p, FILE_READ_ATTRIBUTES, 'cannot read reparse data', (h) => {
      const out = Buffer.alloc(MAXIMUM_REPARSE_DATA_BUFFER_SIZE);
      const returned = Buffer.alloc(4);
      if (!k.DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, null, 0, out, out.length, returned, null)) {
        const err = k.GetLastError();
        if (err === ERROR_NOT_A_REPARSE_POINT) return null;
        throw win32Error(err, p, 'cannot read reparse data');
      }
      return out.subarray(0, returned.readUInt32LE(0));
    });
    if (!raw) return null;
    try {
      return linkDataFromReparse(parseReparseBuffer(raw), (facts.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0);
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
    // Post-condition: some implementations (Wine's stub) report success without creating anything.
    let st: EntryStat;
    try {
      st = this.lstat(link);
    } catch {
      throw new LinkToolsError('LT_UNSUPPORTED_KIND', `${what}: CreateSymbolicLinkW reported success but no link exists (this system does not implement symbolic links).`, link, {
        osCode: 'CreateSymbolicLinkW',
      });
    }
    if (this.facts.get(st)?.tag !== 0xa000000c) {
      throw new LinkToolsError('LT_UNSUPPORTED_KIND', `${what}: CreateSymbolicLinkW reported success but the entry is not a symbolic link.`, link);
    }
  }

  createJunction(link: string, absoluteTarget: string): void {
    const k = this.k32();
    const what = 'cannot create junction';
    const names = junctionNames(absoluteTarget);
    const buf = Buffer.from(buildMountPointBuffer(names));
    if (!k.CreateDirectoryW(toLongPath(link), null)) throw this.fail(link, what);
    try {
      this.withHandle(link, GENERIC_READ | GENERIC_WRITE, what, (h) => {
        const returned = Buffer.alloc(4);
        if (!k.DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, buf, buf.length, null, 0, returned, null)) throw this.fail(link, what);
      });
    } catch (e) {
      k.RemoveDirectoryW(toLongPath(link)); // the empty directory we made; it holds nothing
      throw e;
    }
  }

  createHardLink(link: string, existing: string): void {
    const k = this.k32();
    if (!k.CreateHardLinkW(toLongPath(link), toLongPath(existing), null)) throw this.fail(link, 'cannot create hard link');
  }

  removeLink(p: string, data: LinkData | null, st: EntryStat): void {
    const k = this.k32();
    const facts = this.factsOf(p, st);
    const how = removalMethod(data, (facts.attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0, p);
    const ok = how === 'removeDirectory' ? k.RemoveDirectoryW(toLongPath(p)) : k.DeleteFileW(toLongPath(p));
    if (!ok) throw this.fail(p, 'cannot remove link');
  }

  replaceLink(from: string, to: string, _old: LinkData | null, oldStat: EntryStat): void {
    const k = this.k32();
    const oldDir = (this.factsOf(to, oldStat).attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
    const newDir = (this.factsOf(from, this.lstat(from)).attributes & FILE_ATTRIBUTE_DIRECTORY) !== 0;
    const rename = (a: string, b: string, flags = 0) => {
      if (!k.MoveFileExW(toLongPath(a), toLongPath(b), flags)) throw this.fail(b, 'cannot replace link');
    };
    if (!oldDir && !newDir) {
      rename(from, to, MOVEFILE_REPLACE_EXISTING); // a file name is replaced atomically
      return;
    }
    const aside = `${to}.lt-old-${process.pid}-${randomBytes(4).toString('hex')}`;
    replaceViaAside(
      {
        rename: (a, b) => rename(a, b),
        remove: (q) => {
          if (!(oldDir ? k.RemoveDirectoryW(toLongPath(q)) : k.DeleteFileW(toLongPath(q)))) throw this.fail(q, 'cannot remove the old link');
        },
      },
      from,
      to,
      aside,
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

  private listNames(p: string): string[] | null {
    const k = this.k32();
    const vol = Buffer.alloc(2 * 1024);
    if (!k.GetVolumePathNameW(toLongPath(p), vol, 1024)) return null;
    const volumePath = readWide(vol).replace(/^\\\\\?\\/, '');
    const names: string[] = [];
    let cap = 1024;
    let out = Buffer.alloc(cap * 2);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(cap, 0);
    let h = k.FindFirstFileNameW(toLongPath(p), 0, len, out);
    if (h === INVALID_HANDLE_VALUE && k.GetLastError() === ERROR_MORE_DATA) {
      cap = len.readUInt32LE(0);
      out = Buffer.alloc(cap * 2);
      h = k.FindFirstFileNameW(toLongPath(p), 0, len, out);
    }
    if (h === INVALID_HANDLE_VALUE) return null;
    try {
      for (;;) {
        names.push(joinVolumeName(volumePath, readWide(out, len.readUInt32LE(0))));
        len.writeUInt32LE(cap, 0);
        let ok = k.FindNextFileNameW(h, len, out);
        let err = ok ? 0 : k.GetLastError();
        if (err === ERROR_MORE_DATA) {
          cap = len.readUInt32LE(0);
          out = Buffer.alloc(cap * 2);
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
    return names.filter((n) => !sameWindowsPath(n, p)); // the other names (FindFirstFileNameW lists all)
  }

  /** Probe once: make and delete a dangling symbolic link in the temp folder. Null when it cannot tell. */
  canCreateSymlinks(): boolean | null {
    if (this.symlinkProbe !== undefined) return this.symlinkProbe;
    const probe = path.win32.join(os.tmpdir(), `.lt-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      this.createSymlink(probe, 'lt-probe-target', 'file');
      this.symlinkProbe = true;
      try {
        this.k32().DeleteFileW(toLongPath(probe));
      } catch {
        /* best effort */
      }
    } catch (e) {
      this.symlinkProbe = e instanceof LinkToolsError && e.code === 'LT_PRIVILEGE_REQUIRED' ? false : null;
    }
    return this.symlinkProbe;
  }
}
