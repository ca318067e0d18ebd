/**
 * A minimal in-memory Windows-like backend for the NTFS-only rules: entries are planted with the
 * exact LinkData (kind, target, declared type, reparse facts) a Windows or ntfs-3g backend would
 * return, so each rule's input is controlled precisely. Paths are exact strings (no link following
 * in intermediate elements).
 */
import path from 'node:path';
import type { Reparse } from '../../../../engine/src/contract/types.js';
import { describeTag, formatTag, ntToDos } from '../../../../engine/src/ntfs/index.js';
import { LinkToolsError } from '../../../../engine/src/errors.js';
import type { Backend, DirEntry, EntryStat, LinkData, Platform } from '../../../../engine/src/platform/types.js';

type Node = { type: 'directory' | 'file'; nlink?: number; id: number } | { type: 'link'; data: LinkData; id: number };

export class FakeNtfs implements Backend, Platform {
  readonly name = 'mock' as const;
  readonly path = path.win32;
  readonly nodes = new Map<string, Node>();
  private next = 1;
  /** Paths whose listing fails (simulating access denied). */
  readonly deny = new Set<string>();

  get defaultBackend(): Backend {
    return this;
  }
  forPath(): Backend {
    return this;
  }

  dir(p: string): this {
    this.nodes.set(p, { type: 'directory', id: this.next++ });
    return this;
  }
  file(p: string, nlink = 1): this {
    this.nodes.set(p, { type: 'file', nlink, id: this.next++ });
    return this;
  }
  symlink(p: string, target: string, declared: 'file' | 'directory', names?: { sub?: string; print?: string }): this {
    const sub = names?.sub ?? (path.win32.isAbsolute(target) ? `\\??\\${target}` : target);
    return this.link(p, { kind: 'symlink', target, declaredType: declared, reparse: reparse(0xa000000c, sub, names?.print ?? target) });
  }
  junction(p: string, sub: string, print?: string): this {
    const dos = ntToDos(sub).path;
    return this.link(p, { kind: 'junction', target: dos, declaredType: 'directory', reparse: reparse(0xa0000003, sub, print ?? dos) });
  }
  other(p: string, tag: number): this {
    return this.link(p, { kind: 'reparsePoint', target: null, declaredType: null, reparse: reparse(tag, null, null) });
  }
  link(p: string, data: LinkData): this {
    this.nodes.set(p, { type: 'link', data, id: this.next++ });
    return this;
  }

  private get(p: string): Node {
    const n = this.nodes.get(p);
    if (!n) throw new LinkToolsError('LT_NOT_FOUND', 'The path does not exist.', p);
    return n;
  }
  lstat(p: string): EntryStat {
    const n = this.get(p);
    return { type: n.type, fileId: `0x1234:${n.id}`, dev: 1n, nlink: n.type === 'file' ? (n.nlink ?? 1) : 1, size: 0, mtimeMs: 0 };
  }
  stat(p: string): EntryStat | null {
    return this.nodes.has(p) ? this.lstat(p) : null;
  }
  readLink(p: string): LinkData | null {
    const n = this.get(p);
    return n.type === 'link' ? n.data : null;
  }
  resolveTarget(linkDir: string, target: string): string | null {
    const dos = target.startsWith('\\??\\') ? ntToDos(target) : null;
    const t = dos ? dos.path : target;
    if (/^[A-Za-z]:\\/.test(t)) return path.win32.normalize(t);
    if (t.startsWith('\\\\')) return t;
    if (t.startsWith('\\')) return null;
    return path.win32.resolve(linkDir, t);
  }
  readdir(p: string): DirEntry[] {
    if (this.deny.has(p)) throw new LinkToolsError('LT_ACCESS_DENIED', 'Access is denied. (ERROR_ACCESS_DENIED)', p, { osCode: 'ERROR_ACCESS_DENIED' });
    this.get(p);
    const prefix = p.endsWith('\\') ? p : p + '\\';
    const out: DirEntry[] = [];
    for (const [k, n] of this.nodes) {
      if (k.startsWith(prefix) && k.length > prefix.length && !k.slice(prefix.length).includes('\\')) out.push({ name: k.slice(prefix.length), type: n.type });
    }
    return out;
  }
  createSymlink(): void {
    throw new Error('read-only fake');
  }
  createJunction(): void {
    throw new Error('read-only fake');
  }
  createHardLink(): void {
    throw new Error('read-only fake');
  }
  removeLink(): void {
    throw new Error('read-only fake');
  }
  replaceLink(): void {
    throw new Error('read-only fake');
  }
}

function reparse(tag: number, sub: string | null, print: string | null): Reparse {
  const t = describeTag(tag);
  return { tag, tagHex: formatTag(tag), tagName: t.name, label: t.label, isLink: t.isLink, followSafe: t.followSafe, reason: t.reason, substituteName: sub, printName: print };
}
