/**
 * The one chain follower of the backends: a path's real folder (every link on it followed the way
 * the system follows a path component) and a link chain followed hop by hop, each backend giving
 * only its own reading of one hop. No I/O of its own: it is handed the backend operations, so the
 * win32, ntfs3g and mock backends and core's RealPaths all follow links the same way.
 */
import path from 'node:path';
import type { TargetType } from '../contract/types.js';
import { LinkToolsError } from '../errors.js';
import { IO_REPARSE_TAG_MOUNT_POINT, IO_REPARSE_TAG_SYMLINK } from '../ntfs/index.js';
import type { EntryStat, LinkData, PathApi } from './types.js';

/** The most links followed from one path: NTFS gives up after 63 reparse hops (ERROR_CANT_RESOLVE_FILENAME). */
export const MAX_REPARSE_HOPS = 63;

/** What the follower asks of the backend that serves a path. */
interface LinkReader {
  lstat(p: string): EntryStat;
  readLink(p: string, st: EntryStat): LinkData | null;
  resolveTarget(linkDir: string, target: string): string | null;
}

/** Does the system follow this link when it is a component of a path (symlinks, junctions, mount points)? */
function followedAsComponent(data: LinkData): boolean {
  if (data.target === null) return false;
  if (data.kind !== 'symlink' && data.kind !== 'junction' && data.kind !== 'mountPoint') return false;
  return data.reparse === null || (data.reparse.isLink && data.reparse.followSafe);
}

/**
 * The real path of `p`: each link on it followed (a relative target against the real folder reached
 * so far, `..` to the parent of the real folder), by the reader `readerFor` gives for each entry.
 * Components below a missing or unreadable one are joined as given. Null when more than
 * `budget.hops` links are followed (a loop). `cache` (real folder + name -> real path) lets a tree
 * walk ask each folder once.
 */
export function realPathVia(readerFor: (p: string) => LinkReader, P: PathApi, p: string, budget: { hops: number }, cache?: Map<string, string>): string | null {
  const root = P.parse(p).root;
  const comps = p.slice(root.length).split(P.sep === '\\' ? /[\\/]/ : /\//);
  let cur = root;
  for (let i = 0; i < comps.length; i++) {
    const c = comps[i]!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      cur = P.dirname(cur);
      continue;
    }
    const next = P.join(cur, c);
    const known = cache?.get(next);
    if (known !== undefined) {
      cur = known;
      continue;
    }
    let real = next;
    try {
      const b = readerFor(next);
      const st = b.lstat(next);
      const data = st.type === 'link' ? b.readLink(next, st) : null;
      if (data && followedAsComponent(data)) {
        if (--budget.hops < 0) return null;
        const t = b.resolveTarget(cur, data.target!);
        if (t !== null) {
          const r = realPathVia(readerFor, P, t, budget, cache);
          if (r === null) return null;
          real = r;
        }
      }
    } catch {
      return P.join(cur, ...comps.slice(i));
    }
    cache?.set(next, real);
    cur = real;
  }
  return cur;
}

/**
 * The real folder `dir` names, so a relative target is resolved where the system resolves it
 * (`C:\j\l -> ..\x` under `C:\j -> D:\real` is `D:\x`). `dir` itself when the links loop.
 */
export function realFolderVia(readerFor: (p: string) => LinkReader, P: PathApi, dir: string): string {
  return realPathVia(readerFor, P, dir, { hops: MAX_REPARSE_HOPS }) ?? dir;
}

/** One hop of a chain, as a backend reads it: the chain ends here (with this stat, or null), or goes on to `next`. */
type Hop = { end: EntryStat | null } | { next: string };

/**
 * Follow a link chain from `p`, one `hop` at a time, until a hop ends it. A path reached twice, or
 * more than `maxHops` hops, is a loop: LT_LOOP (with `loopDetails`, e.g. the OS error it stands for).
 */
export function followChain(p: string, hop: (cur: string) => Hop, maxHops = MAX_REPARSE_HOPS, loopDetails?: Record<string, unknown>): EntryStat | null {
  const seen = new Set<string>();
  let cur = p;
  for (let n = 0; n <= maxHops && !seen.has(cur); n++) {
    seen.add(cur);
    const h = hop(cur);
    if ('end' in h) return h.end;
    cur = h.next;
  }
  throw new LinkToolsError('LT_LOOP', `More than ${maxHops} reparse points were followed from ${p}, or the chain comes back to itself.`, p, loopDetails);
}

/** Tags the Windows I/O manager itself reparses on open (everything else is left to filter drivers). */
function isSystemFollowedTag(tag: number): boolean {
  return tag >>> 0 === IO_REPARSE_TAG_SYMLINK || tag >>> 0 === IO_REPARSE_TAG_MOUNT_POINT;
}

/** A reader that also knows the folder of a path. */
interface FollowOps extends LinkReader {
  dirname(p: string): string;
}

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
  const declared: TargetType[] = [];
  return followChain(
    p,
    (cur) => {
      let st: EntryStat;
      try {
        st = ops.lstat(cur);
      } catch (e) {
        if (e instanceof LinkToolsError && e.code === 'LT_NOT_FOUND') return { end: null };
        throw e;
      }
      const data = st.type === 'link' ? ops.readLink(cur, st) : null;
      let final: EntryStat | null = null;
      if (!data) final = st;
      else if (data.reparse && !data.reparse.isLink) final = { ...st, type: data.declaredType === 'directory' ? 'directory' : 'file' };
      if (final) {
        const t = final.type === 'directory' ? 'directory' : final.type === 'file' ? 'file' : null;
        return { end: declared.some((d) => d !== null && t !== null && d !== t) ? null : final };
      }
      if (!data!.reparse || !isSystemFollowedTag(data!.reparse.tag) || data!.target === null) return { end: null };
      const next = ops.resolveTarget(
        realFolderVia(() => ops, P, ops.dirname(cur)),
        data!.target,
      );
      if (next === null) return { end: null };
      declared.push(data!.declaredType);
      return { next };
    },
    maxHops,
    { osCode: 'ERROR_CANT_RESOLVE_FILENAME' },
  );
}
