/**
 * The in-memory file system behind the mock backend (see backend.ts for the API summary).
 *
 * One tree of nodes per volume. A node is a file, a directory, a special file, or (POSIX mode only)
 * a symlink; in Windows mode a symlink, junction or any other reparse point is a file or directory
 * node that carries a reparse buffer, exactly as NTFS stores it. Hard links are several directory
 * entries naming the same node. Windows mode: drive letters and UNC shares are volumes, names compare
 * case-insensitively, errors are Windows error numbers. POSIX mode: one `/` tree (plus volumes
 * mounted on folders), case-sensitive names, errno names.
 */
import path from 'node:path';
import { buildMountPointBuffer, buildReparseBuffer, buildSymlinkBuffer, dosToNt, IO_REPARSE_TAG_MOUNT_POINT, IO_REPARSE_TAG_SYMLINK, parseReparseBuffer } from '../../ntfs/index.js';
import { fromOsError, LinkToolsError } from '../../errors.js';
import type { PathApi } from '../types.js';
import { fromLongPath, junctionNames, resolveWindowsTarget, symlinkTargetForWindows } from '../win32/paths.js';
import { linkDataFromReparse, win32Error } from '../win32/rules.js';
import { MAX_REPARSE_HOPS } from '../chain.js';

export type MockMode = 'windows' | 'posix';

export interface MockOptions {
  mode: MockMode;
  /** Current directory for relative paths (default `C:\` or `/`). */
  cwd?: string;
  /** Whether the process holds SeCreateSymbolicLinkPrivilege (Windows mode; default true). */
  symlinkPrivilege?: boolean;
}

interface MockVolume {
  /** `C:`, `\\srv\share`, or (POSIX) the mount path. */
  readonly key: string;
  readonly serial: number;
  readonly guid: string | undefined;
  readonly root: MockNode;
}

export interface MockNode {
  readonly id: number;
  readonly kind: 'file' | 'dir' | 'symlink' | 'special';
  readonly vol: MockVolume;
  /** Number of directory entries naming this node (the link count). */
  names: number;
  content: string;
  mtimeMs: number;
  readonly children: Map<string, { name: string; node: MockNode }> | null;
  /** Windows: the reparse buffer, exactly as FSCTL_GET_REPARSE_POINT would return it. */
  reparse: Uint8Array | null;
  /** POSIX: the symlink target. */
  target: string | null;
}

/** Abstract failures, turned into the mode's OS error (Windows number or errno name). */
type MockFailure = 'notFound' | 'pathNotFound' | 'notDir' | 'exists' | 'xdev' | 'privilege' | 'loop' | 'notEmpty' | 'access' | 'isDir' | 'cantAccess';

const WIN: Record<MockFailure, number> = {
  notFound: 2,
  pathNotFound: 3,
  notDir: 267,
  exists: 183,
  xdev: 17,
  privilege: 1314,
  loop: 1921,
  notEmpty: 145,
  access: 5,
  isDir: 5,
  cantAccess: 1920,
};
const POSIX: Record<MockFailure, string> = {
  notFound: 'ENOENT',
  pathNotFound: 'ENOENT',
  notDir: 'ENOTDIR',
  exists: 'EEXIST',
  xdev: 'EXDEV',
  privilege: 'EPERM',
  loop: 'ELOOP',
  notEmpty: 'ENOTEMPTY',
  access: 'EACCES',
  isDir: 'EISDIR',
  cantAccess: 'EACCES',
};

interface Walked {
  vol: MockVolume;
  parent: MockNode;
  /** The last component as given (for creation) or as stored (when it exists). */
  name: string;
  node: MockNode | undefined;
  /** The canonical absolute path (stored case for existing components). */
  path: string;
}

const DEFAULT_GUID_PREFIX = '5c1e0000-0000-4000-8000-';

export class MockFs {
  readonly mode: MockMode;
  readonly windows: boolean;
  symlinkPrivilege: boolean;
  cwd: string;
  readonly path: PathApi;
  private nextId = 1;
  private nextSerial = 0x1a2b0001;
  private readonly volumes = new Map<string, MockVolume>();
  private readonly faults = new Map<string, { error: number | string; skip: number }[]>();

  constructor(opts: MockOptions) {
    this.mode = opts.mode;
    this.windows = opts.mode === 'windows';
    this.symlinkPrivilege = opts.symlinkPrivilege ?? true;
    const base = this.windows ? path.win32 : path.posix;
    this.cwd = opts.cwd ?? (this.windows ? 'C:\\' : '/');
    // Resolve against the mock's cwd, never the host process's.
    this.path = { ...base, resolve: (...parts: string[]) => base.resolve(this.cwd, ...parts) } as PathApi;
    if (this.windows) this.addVolume('C:');
    else this.volumes.set('/', this.makeVolume('/', undefined));
  }

  // -------------------------------------------------------------------------------------------
  // Errors and fault injection

  /** Throw the mode's OS error for an abstract failure, mapped through the one error table. */
  fail(f: MockFailure, p: string, what: string): LinkToolsError {
    return this.windows ? win32Error(WIN[f], p, what) : fromOsError({ code: POSIX[f], message: POSIX[f] }, p, what);
  }

  /**
   * Make a later call of backend operation `op` fail with an OS error (Windows error number or errno
   * name): the next call, or the one after `skip` successful calls.
   */
  failNext(op: string, error: number | string, skip = 0): void {
    const q = this.faults.get(op) ?? [];
    q.push({ error, skip });
    this.faults.set(op, q);
  }

  /** Called by the backend at the start of each operation. */
  checkFault(op: string, p: string): void {
    const f = this.faults.get(op)?.[0];
    if (!f) return;
    if (f.skip > 0) {
      f.skip--;
      return;
    }
    this.faults.get(op)!.shift();
    const e = f.error;
    if (typeof e === 'number') throw win32Error(e, p, `${op} (injected)`);
    throw fromOsError({ code: e, message: e }, p, `${op} (injected)`);
  }

  // -------------------------------------------------------------------------------------------
  // Volumes and paths

  private makeVolume(key: string, guid: string | undefined): MockVolume {
    const vol = { key, serial: this.nextSerial++, guid } as MockVolume;
    (vol as { root: MockNode }).root = this.makeNode('dir', vol);
    vol.root.names = 1;
    return vol;
  }

  private makeNode(kind: MockNode['kind'], vol: MockVolume): MockNode {
    return {
      id: this.nextId++,
      kind,
      vol,
      names: 0,
      content: '',
      mtimeMs: Date.UTC(2024, 0, 1),
      children: kind === 'dir' ? new Map() : null,
      reparse: null,
      target: null,
    };
  }

  /**
   * Add a volume. Windows: a drive (`D:`) or a share (`\\srv\share`), with an optional volume GUID
   * for `\\?\Volume{guid}\` paths. POSIX: a mount point (`/mnt/usb`, created as a directory) with
   * its own device number, so hard links across it fail.
   */
  addVolume(key: string, opts: { guid?: string } = {}): MockVolume {
    if (this.windows) {
      const k = /^[A-Za-z]:$/.test(key) ? key.toUpperCase() : path.win32.normalize(key).replace(/\\$/, '');
      const guid = opts.guid ?? `${DEFAULT_GUID_PREFIX}${this.nextSerial.toString(16).padStart(12, '0')}`;
      const vol = this.makeVolume(k, guid.toLowerCase());
      this.volumes.set(k.toUpperCase(), vol);
      return vol;
    }
    const abs = path.posix.resolve('/', key);
    this.mkdirp(path.posix.dirname(abs));
    const w = this.walk(abs, false);
    if (w.node) throw new LinkToolsError('LT_EXISTS', `mock: ${abs} already exists`, abs);
    const vol = this.makeVolume(abs, undefined);
    this.link(w.parent, w.name, vol.root);
    this.volumes.set(abs, vol);
    return vol;
  }

  private key(name: string): string {
    return this.windows ? name.toUpperCase() : name;
  }

  /** Split an absolute path into its volume and components. */
  private parse(p: string): { vol: MockVolume; rootPath: string; comps: string[] } {
    if (!this.windows) {
      const abs = path.posix.resolve(this.cwd, p);
      return { vol: this.volumes.get('/')!, rootPath: '/', comps: abs.split('/').filter(Boolean) };
    }
    let q = fromLongPath(p.replace(/^\/\/([?.])\//, '\\\\$1\\'));
    const guid = /^\\\\\?\\Volume\{([0-9a-f-]{36})\}(?:\\(.*))?$/i.exec(q);
    if (guid) {
      const vol = [...this.volumes.values()].find((v) => v.guid === guid[1]!.toLowerCase());
      if (!vol) throw this.fail('pathNotFound', p, 'cannot find volume');
      const rest = (guid[2] ?? '').split(/[\\/]/).filter(Boolean);
      return {
        vol,
        rootPath: `\\\\?\\Volume{${vol.guid}}\\`,
        comps: path.win32
          .normalize(`\\${rest.join('\\')}`)
          .split('\\')
          .filter(Boolean),
      };
    }
    if (/^[\\/]{2}[?.][\\/]/.test(q)) throw this.fail('pathNotFound', p, 'not a file path');
    q = this.path.resolve(q);
    const drive = /^([A-Za-z]:)\\/.exec(q);
    let key: string;
    let rest: string;
    if (drive) {
      key = drive[1]!.toUpperCase();
      rest = q.slice(3);
    } else {
      const unc = /^\\\\([^\\]+)\\([^\\]+)\\?(.*)$/.exec(q);
      if (!unc) throw this.fail('pathNotFound', p, 'not a file path');
      key = `\\\\${unc[1]}\\${unc[2]}`.toUpperCase();
      rest = unc[3]!;
    }
    const vol = this.volumes.get(key);
    if (!vol) throw this.fail('pathNotFound', p, 'no such drive or share');
    return { vol, rootPath: `${vol.key}\\`, comps: rest.split('\\').filter(Boolean) };
  }

  private join(base: string, name: string): string {
    return this.windows ? (base.endsWith('\\') ? base + name : `${base}\\${name}`) : base === '/' ? `/${name}` : `${base}/${name}`;
  }

  /** Where a link entry leads when the OS follows it as a path component; null when it is not followed. */
  private followTarget(node: MockNode, dir: string): { to: string | null; isLink: boolean } {
    if (!this.windows) {
      if (node.kind !== 'symlink') return { to: null, isLink: false };
      return { to: path.posix.resolve(dir, node.target!), isLink: true };
    }
    if (!node.reparse) return { to: null, isLink: false };
    const r = parseReparseBuffer(node.reparse);
    if (r.tag !== IO_REPARSE_TAG_SYMLINK && r.tag !== IO_REPARSE_TAG_MOUNT_POINT) {
      return { to: null, isLink: r.tagInfo.isNameSurrogate };
    }
    const data = linkDataFromReparse(r, node.kind === 'dir');
    const to = data.target === null ? null : resolveWindowsTarget(dir, data.target);
    return { to, isLink: true };
  }

  /**
   * Find an entry. Links in intermediate components are followed as the OS would (a file symlink
   * cannot be passed through: it is not a directory); the last component is followed only when
   * `followLast` (POSIX stat). Throws the mode's OS errors.
   */
  walk(p: string, followLast: boolean, hops = 0): Walked {
    const { vol, rootPath, comps } = this.parse(p);
    let node = vol.root;
    let cur = rootPath;
    if (comps.length === 0) return { vol, parent: node, name: '', node, path: cur };
    for (let i = 0; i < comps.length; i++) {
      const c = comps[i]!;
      const last = i === comps.length - 1;
      if (node.kind !== 'dir') throw this.fail('notDir', p, 'cannot open');
      const entry = node.children!.get(this.key(c));
      if (!entry) {
        if (last) return { vol, parent: node, name: c, node: undefined, path: this.join(cur, c) };
        throw this.fail('pathNotFound', p, 'cannot open');
      }
      const child = entry.node;
      const here = this.join(cur, entry.name);
      if (!last || followLast) {
        const f = this.followTarget(child, cur);
        if (f.isLink) {
          if (f.to === null) throw this.fail(this.windows ? 'cantAccess' : 'notFound', p, 'cannot follow');
          if (this.windows && child.kind !== 'dir' && !last) throw this.fail('notDir', p, 'cannot open a file symbolic link as a folder');
          if (hops >= (this.windows ? MAX_REPARSE_HOPS : 40)) throw this.fail('loop', p, 'cannot follow');
          const rest = comps.slice(i + 1);
          const next = rest.reduce((acc, r) => this.join(acc, r), f.to);
          return this.walk(next, followLast, hops + 1);
        }
      }
      if (last) return { vol, parent: node, name: entry.name, node: child, path: here };
      node = child;
      cur = here;
    }
    throw new Error('unreachable');
  }

  /** Add an entry naming `node` to a directory. */
  link(parent: MockNode, name: string, node: MockNode): void {
    parent.children!.set(this.key(name), { name, node });
    node.names++;
  }

  unlink(parent: MockNode, name: string): void {
    const e = parent.children!.get(this.key(name));
    if (!e) return;
    parent.children!.delete(this.key(name));
    e.node.names--;
  }

  /** Make a new node at `p` (the parent must exist and `p` must not). */
  create(p: string, kind: MockNode['kind'], what: string): MockNode {
    const w = this.walk(p, false);
    if (w.node) throw this.fail('exists', p, what);
    if (w.parent.kind !== 'dir') throw this.fail('notDir', p, what);
    const node = this.makeNode(kind, w.parent.vol);
    this.link(w.parent, w.name, node);
    return node;
  }

  // -------------------------------------------------------------------------------------------
  // Builder API for tests (bypasses privileges and fault injection; creates parent folders)

  private mkdirp(p: string): MockNode {
    const abs = this.path.resolve(p);
    const parent = this.path.dirname(abs);
    if (parent !== abs) {
      let found: Walked | undefined;
      try {
        found = this.walk(abs, false);
      } catch {
        found = undefined;
      }
      if (!found) this.mkdirp(parent);
    }
    const w = this.walk(abs, false);
    if (w.node) {
      if (w.node.kind === 'dir') return w.node;
      throw new LinkToolsError('LT_EXISTS', `mock: ${abs} exists and is not a directory`, abs);
    }
    const node = this.makeNode('dir', w.parent.vol);
    this.link(w.parent, w.name, node);
    return node;
  }

  private ensureParent(p: string): void {
    this.mkdirp(this.path.dirname(this.path.resolve(p)));
  }

  /** A directory, with any missing parents. */
  addDir(p: string): this {
    this.mkdirp(this.path.resolve(p));
    return this;
  }

  /** A file with text content, with any missing parents. */
  addFile(p: string, content = ''): this {
    this.ensureParent(p);
    this.create(p, 'file', 'mock addFile').content = content;
    return this;
  }

  /** A device, FIFO or socket (POSIX mode). */
  addSpecial(p: string): this {
    this.ensureParent(p);
    this.create(p, 'special', 'mock addSpecial');
    return this;
  }

  /**
   * A symbolic link stored as CreateSymbolicLinkW (Windows) or symlink(2) (POSIX) would store it.
   * Windows: `type` is the link's own file/directory flag; default: what the target is now, else file.
   */
  addSymlink(p: string, target: string, type?: 'file' | 'directory'): this {
    this.ensureParent(p);
    this.makeSymlink(p, target, type ?? this.typeAt(this.path.dirname(this.path.resolve(p)), target) ?? 'file');
    return this;
  }

  /** A junction to an absolute local path; `names` plants any substitute/print name pair instead. */
  addJunction(p: string, target: string, names?: { substituteName: string; printName: string }): this {
    this.ensureParent(p);
    this.makeJunction(p, names ?? junctionNames(this.path.resolve(target)));
    return this;
  }

  /** Another name for an existing file. */
  addHardLink(p: string, existing: string): this {
    this.ensureParent(p);
    this.makeHardLink(p, existing);
    return this;
  }

  /**
   * Any reparse point (Windows mode): a whole buffer (from the codec's builders), or a tag plus raw
   * data (non-Microsoft tags get a GUID). `directory` sets FILE_ATTRIBUTE_DIRECTORY.
   * e.g. addReparse('C:\\u\\doc.txt', 0x9000601a) plants a OneDrive (cloud) placeholder.
   */
  addReparse(p: string, bufferOrTag: Uint8Array | number, opts: { directory?: boolean; data?: Uint8Array; guid?: string; content?: string } = {}): this {
    if (!this.windows) throw new LinkToolsError('LT_UNSUPPORTED_KIND', 'mock: reparse points exist only in Windows mode', p);
    this.ensureParent(p);
    let buf: Uint8Array;
    if (typeof bufferOrTag === 'number') {
      const microsoft = (bufferOrTag & 0x80000000) !== 0;
      buf = buildReparseBuffer(bufferOrTag, opts.data ?? new Uint8Array(0), microsoft ? undefined : (opts.guid ?? '{00000000-0000-0000-0000-000000000001}'));
    } else buf = bufferOrTag;
    const node = this.create(p, opts.directory ? 'dir' : 'file', 'mock addReparse');
    node.reparse = buf;
    node.content = opts.content ?? '';
    return this;
  }

  /** What a target is now (following links), for defaults; null when missing. */
  private typeAt(dir: string, target: string): 'file' | 'directory' | null {
    const abs = this.windows ? resolveWindowsTarget(dir, symlinkTargetForWindows(target)) : path.posix.resolve(dir, target);
    if (abs === null) return null;
    try {
      const w = this.walk(abs, true);
      if (!w.node) return null;
      if (this.windows && w.node.reparse && w.node.kind === 'dir') return 'directory';
      return w.node.kind === 'dir' ? 'directory' : 'file';
    } catch {
      return null;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Primitive creations shared by the builder and the backend

  makeSymlink(p: string, target: string, type: 'file' | 'directory'): void {
    if (!this.windows) {
      this.create(p, 'symlink', 'cannot create symbolic link').target = target;
      return;
    }
    const t = symlinkTargetForWindows(target);
    const node = this.create(p, type === 'directory' ? 'dir' : 'file', 'cannot create symbolic link');
    node.reparse = buildSymlinkBuffer({ substituteName: dosToNt(t), printName: t });
  }

  makeJunction(p: string, names: { substituteName: string; printName: string }): void {
    const buf = buildMountPointBuffer(names);
    this.create(p, 'dir', 'cannot create junction').reparse = buf;
  }

  makeHardLink(p: string, existing: string): void {
    const e = this.walk(existing, false);
    if (!e.node) throw this.fail('notFound', existing, 'cannot create hard link');
    if (e.node.kind === 'dir') throw this.fail(this.windows ? 'access' : 'isDir', p, 'cannot create hard link');
    const w = this.walk(p, false);
    if (w.node) throw this.fail('exists', p, 'cannot create hard link');
    if (w.parent.vol !== e.node.vol) throw this.fail('xdev', p, 'cannot create hard link');
    this.link(w.parent, w.name, e.node);
  }

  // -------------------------------------------------------------------------------------------
  // Inspection helpers for tests

  /** Whether an entry exists at `p` (the entry itself, links not followed). */
  exists(p: string): boolean {
    try {
      return this.walk(p, false).node !== undefined;
    } catch {
      return false;
    }
  }

  /** A file's content, following links. */
  readFile(p: string): string {
    const w = this.windows ? this.walkFollowingWindows(p) : this.walk(p, true);
    if (!w.node) throw this.fail('notFound', p, 'cannot read');
    if (w.node.kind === 'dir') throw this.fail(this.windows ? 'access' : 'isDir', p, 'cannot read');
    return w.node.content;
  }

  /** Names in a directory (following links to it), sorted by code point. */
  list(p: string): string[] {
    const w = this.windows ? this.walkFollowingWindows(p) : this.walk(p, true);
    if (!w.node || w.node.kind !== 'dir') throw this.fail('notDir', p, 'cannot list');
    return [...w.node.children!.values()].map((e) => e.name).sort();
  }

  /** Windows: walk and follow symlinks/junctions at the last component too. */
  walkFollowingWindows(p: string, hops = 0): Walked {
    const w = this.walk(p, false);
    if (!w.node || !w.node.reparse) return w;
    const f = this.followTarget(w.node, this.path.dirname(w.path));
    if (!f.isLink) return w;
    if (f.to === null) throw this.fail('cantAccess', p, 'cannot follow');
    if (hops >= MAX_REPARSE_HOPS) throw this.fail('loop', p, 'cannot follow');
    return this.walkFollowingWindows(f.to, hops + 1);
  }

  /** Every path naming `node` on its volume (hard-link names), without following links. */
  namesOf(node: MockNode): string[] {
    const out: string[] = [];
    const rootPath = this.windows ? `${node.vol.key}\\` : node.vol.key;
    const visit = (dir: MockNode, at: string) => {
      for (const e of dir.children!.values()) {
        const p = this.join(at, e.name);
        if (e.node === node) out.push(p);
        if (e.node.kind === 'dir' && !e.node.reparse && e.node.vol === node.vol) visit(e.node, p);
      }
    };
    visit(node.vol.root, rootPath);
    return out;
  }
}
