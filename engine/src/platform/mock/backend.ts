/**
 * Mock backend: an in-memory file system that behaves as Windows (NTFS) or as POSIX does, behind the
 * same Backend interface as posix/ and win32/. Pure: no disk, no FFI; used by core tests in both
 * modes and by the audit engine to plant NTFS-only cases on Linux.
 *
 * ```ts
 * import { MockPlatform } from '../platform/mock/backend.js';
 * const m = new MockPlatform({ mode: 'windows' });   // drive C: exists, cwd C:\ ; or { mode: 'posix' }
 * m.fs.addDir('C:\\data').addFile('C:\\data\\a.txt', 'A');
 * m.fs.addSymlink('C:\\l', 'data', 'directory');       // as CreateSymbolicLinkW stores it
 * m.fs.addJunction('C:\\j', 'C:\\data');               // \??\C:\data + print name C:\data
 * m.fs.addJunction('C:\\lie', '', { substituteName: '\\??\\D:\\x', printName: 'C:\\data' });
 * m.fs.addHardLink('C:\\data\\b.txt', 'C:\\data\\a.txt');
 * m.fs.addReparse('C:\\cloud.txt', 0x9000601a);       // any tag (+ data / GUID), or a whole buffer
 * m.fs.addReparse('C:\\app.exe', buildAppExecLinkBuffer({...}));
 * m.fs.addVolume('D:'); m.fs.addVolume('\\\\srv\\share'); m.fs.addVolume('E:', { guid })
 * m.fs.symlinkPrivilege = false;                        // CreateSymbolicLinkW → ERROR_PRIVILEGE_NOT_HELD
 * m.fs.failNext('replaceLink', 5);                      // next call of an operation fails (fault injection)
 * createLink(m, {...}); inspect(m, 'C:\\j');            // a Platform: pass it
 * m.fs.exists(p); m.fs.readFile(p); m.fs.list(p)        // assertions
 * ```
 *
 * Windows mode: drive letters and UNC shares (each a volume with a serial number and GUID),
 * `\\?\` paths, case-insensitive names; junctions store an absolute local target only; a file
 * symlink to a directory (or the reverse) cannot be opened; symlink creation needs the privilege
 * toggle (junctions and hard links do not); hard links are files-only and same-volume; link counts;
 * reparse data for any tag, read back through the same decoding as the win32 backend
 * (win32/rules.ts). POSIX mode: `/` paths, case-sensitive, symlinks store text, no junctions.
 * Fault-injectable operations: createSymlink, createJunction, createHardLink, removeLink,
 * replaceLink, rename (each rename inside a directory-link replacement).
 */
import { LinkToolsError } from '../../errors.js';
import type { Backend, DirEntry, EntryStat, LinkData, Platform } from '../types.js';
import { fileIdHex, junctionNames, resolveWindowsTarget, sameWindowsPath } from '../win32/paths.js';
import { linkDataFromReparse, removalMethod } from '../win32/rules.js';
import { followStat } from '../chain.js';
import { replaceViaAside } from '../swap.js';
import { parseReparseBuffer } from '../../ntfs/index.js';
import { MockFs, type MockNode, type MockOptions } from './fs.js';

export { MockFs, type MockOptions, type MockNode } from './fs.js';

class MockBackend implements Backend {
  readonly name = 'mock' as const;
  constructor(readonly fs: MockFs) {}

  get path() {
    return this.fs.path;
  }

  private statOf(node: MockNode): EntryStat {
    const w = this.fs.windows;
    const type: EntryStat['type'] = node.kind === 'symlink' || node.reparse ? 'link' : node.kind === 'dir' ? 'directory' : node.kind === 'special' ? 'special' : 'file';
    return {
      type,
      fileId: w ? fileIdHex(node.vol.serial, 0, node.id) : `${node.vol.serial}:${node.id}`,
      dev: BigInt(node.vol.serial),
      nlink: node.kind === 'dir' ? 1 : node.names,
      size: node.kind === 'dir' ? 0 : Buffer.byteLength(node.content),
      mtimeMs: node.mtimeMs,
    };
  }

  private nodeAt(p: string, what: string): { node: MockNode; parent: MockNode; name: string } {
    const w = this.fs.walk(p, false);
    if (!w.node) throw this.fs.fail('notFound', p, what);
    return { node: w.node, parent: w.parent, name: w.name };
  }

  lstat(p: string): EntryStat {
    return this.statOf(this.nodeAt(p, 'cannot read').node);
  }

  stat(p: string): EntryStat | null {
    if (this.fs.windows) {
      return followStat({ lstat: (q) => this.lstat(q), readLink: (q, st) => this.readLink(q, st), resolveTarget: (d, t) => this.resolveTarget(d, t), dirname: (q) => this.path.dirname(q) }, p);
    }
    try {
      const w = this.fs.walk(p, true);
      return w.node ? this.statOf(w.node) : null;
    } catch (e) {
      if (e instanceof LinkToolsError && e.code === 'LT_NOT_FOUND') return null;
      throw e;
    }
  }

  readLink(p: string, st: EntryStat): LinkData | null {
    if (st.type !== 'link') return null;
    const { node } = this.nodeAt(p, 'cannot read link');
    if (node.kind === 'symlink') return { kind: 'symlink', target: node.target, declaredType: null, reparse: null };
    if (!node.reparse) return null;
    try {
      return linkDataFromReparse(parseReparseBuffer(node.reparse), node.kind === 'dir');
    } catch (e) {
      if (e instanceof LinkToolsError) throw new LinkToolsError(e.code, e.message, p, e.details);
      throw e;
    }
  }

  resolveTarget(linkDir: string, target: string): string | null {
    return this.fs.windows ? resolveWindowsTarget(linkDir, target) : this.fs.path.resolve(linkDir, target);
  }

  createSymlink(link: string, target: string, targetType: 'file' | 'directory'): void {
    this.fs.checkFault('createSymlink', link);
    if (this.fs.windows && !this.fs.symlinkPrivilege) throw this.fs.fail('privilege', link, 'cannot create symbolic link');
    this.fs.makeSymlink(link, target, targetType);
  }

  createJunction(link: string, absoluteTarget: string): void {
    if (!this.fs.windows) {
      throw new LinkToolsError('LT_UNSUPPORTED_KIND', 'Junctions exist only on NTFS: this path is on a POSIX file system. Use --kind symlink, or a path on an NTFS volume.', link);
    }
    const names = junctionNames(absoluteTarget);
    this.fs.checkFault('createJunction', link);
    this.fs.makeJunction(link, names);
  }

  createHardLink(link: string, existing: string): void {
    this.fs.checkFault('createHardLink', link);
    this.fs.makeHardLink(link, existing);
  }

  removeLink(p: string, data: LinkData | null, _st: EntryStat): void {
    this.fs.checkFault('removeLink', p);
    const { node, parent, name } = this.nodeAt(p, 'cannot remove link');
    if (!this.fs.windows) {
      if (node.kind === 'dir') throw this.fs.fail('isDir', p, 'cannot remove link');
      this.fs.unlink(parent, name);
      return;
    }
    const how = removalMethod(data, node.kind === 'dir', p);
    if (how === 'removeDirectory') {
      if (node.kind !== 'dir') throw this.fs.fail('notDir', p, 'cannot remove link');
      if (node.children!.size > 0) throw this.fs.fail('notEmpty', p, 'cannot remove link');
    } else if (node.kind === 'dir') throw this.fs.fail('access', p, 'cannot remove link');
    this.fs.unlink(parent, name);
  }

  /** Rename an entry (the link itself); `replace` lets a non-directory replace a non-directory. */
  private rename(from: string, to: string, replace: boolean): void {
    this.fs.checkFault('rename', to);
    const src = this.nodeAt(from, 'cannot rename');
    const dst = this.fs.walk(to, false);
    if (dst.node) {
      if (!replace) throw this.fs.fail('exists', to, 'cannot rename');
      if (dst.node.kind === 'dir' || src.node.kind === 'dir') throw this.fs.fail(this.fs.windows ? 'access' : 'isDir', to, 'cannot rename');
      this.fs.unlink(dst.parent, dst.name);
    }
    if (dst.parent.vol !== src.node.vol) throw this.fs.fail('xdev', to, 'cannot rename');
    this.fs.unlink(src.parent, src.name);
    this.fs.link(dst.parent, dst.name, src.node);
  }

  replaceLink(from: string, to: string, old: LinkData | null, _oldStat: EntryStat): void {
    this.fs.checkFault('replaceLink', to);
    const oldNode = this.nodeAt(to, 'cannot replace link').node;
    const newNode = this.nodeAt(from, 'cannot replace link').node;
    if (!this.fs.windows || (oldNode.kind !== 'dir' && newNode.kind !== 'dir')) {
      this.rename(from, to, true); // rename(2) / MoveFileEx(REPLACE_EXISTING): atomic
      return;
    }
    const aside = `${to}.lt-old-mock`;
    replaceViaAside({ rename: (a, b) => this.rename(a, b, false), remove: (q) => this.removeLink(q, old, this.lstat(q)) }, from, to, aside);
  }

  readdir(p: string): DirEntry[] {
    const w = this.fs.windows ? this.fs.walkFollowingWindows(p) : this.fs.walk(p, true);
    if (!w.node) throw this.fs.fail('notFound', p, 'cannot list directory');
    if (w.node.kind !== 'dir') throw this.fs.fail('notDir', p, 'cannot list directory');
    return [...w.node.children!.values()].map(({ name, node }) => ({ name, type: this.statOf(node).type }));
  }

  hardLinkNames(p: string): string[] | null {
    if (!this.fs.windows) return null; // as the POSIX backend: no name index
    const { node } = this.nodeAt(p, 'cannot list names');
    const self = this.fs.walk(p, false).path;
    return this.fs.namesOf(node).filter((n) => !sameWindowsPath(n, self)); // the other names
  }

  canCreateSymlinks(): boolean | null {
    return this.fs.windows ? this.fs.symlinkPrivilege : true;
  }
}

/** A Platform over one mock file system: every path is served by its MockBackend. */
export class MockPlatform implements Platform {
  readonly fs: MockFs;
  readonly defaultBackend: MockBackend;
  constructor(opts: MockOptions | MockFs) {
    this.fs = opts instanceof MockFs ? opts : new MockFs(opts);
    this.defaultBackend = new MockBackend(this.fs);
  }
  forPath(_p: string): Backend {
    return this.defaultBackend;
  }
}
