/**
 * The tree walk under `scan` and `audit`: one pass over each root that reports every link without
 * following it and without descending into it, collects hard-link groups, and turns entries that
 * vanish or refuse to be read into events instead of failures.
 *
 * Cost model (what makes it fast on a million entries):
 * - one synchronous readdir(withFileTypes) per directory; the dirent type answers for directories,
 *   links and specials, so those are never stat'ed (except directories under --one-file-system,
 *   which need the device number);
 * - regular files are lstat'ed only when hard links are wanted (nlink is not in a dirent), as
 *   GNU `find -links` does; on the POSIX backend that lstat is Node's plain (non-bigint) one, about
 *   30% cheaper, and only a file with nlink > 1 gets the backend's exact (bigint) lstat for its id;
 * - links are lstat'ed and read (their facts are the output).
 *
 * Memory: a stack of pending directories, plus, for files with nlink > 1 only, fileId -> names.
 * Links are handed to the sink as they are found and not kept here.
 */
import fs from 'node:fs';
import type { LinkKind } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import type { Backend, EntryStat, LinkData, Platform } from '../../platform/types.js';
import { anyMatch, type GlobMatcher } from './glob.js';

export interface WalkOptions {
  /** Absolute roots. Duplicates and roots inside another root are dropped (see normaliseRoots). */
  roots: string[];
  /** Depth limit like find -maxdepth: 0 = the root only, 1 = its entries, …; undefined = no limit. */
  maxDepth?: number;
  include?: readonly GlobMatcher[];
  exclude?: readonly GlobMatcher[];
  /** Do not descend into directories on another device than their root. */
  oneFileSystem?: boolean;
  /** Collect hard-link groups (lstat every regular file). */
  hardLinks?: boolean;
  /** Call sink.progress at most this often (ms); 0/undefined = never. */
  progressIntervalMs?: number;
}

export interface WalkedLink {
  path: string;
  /** The root it was found under, and the path relative to it with `/` separators. */
  root: string;
  rel: string;
  /** Whether --include lets it be reported (it is walked and counted either way). */
  included: boolean;
  st: EntryStat;
  data: LinkData;
  backend: Backend;
}

export interface HardLinkGroup {
  fileId: string;
  /** The file's own link count (names anywhere on the volume). */
  linkCount: number;
  /** Names found under the roots, in walk order. */
  names: string[];
  /** For each name, whether --include lets it be reported. */
  included: boolean[];
  /** The root the first name was found under. */
  root: string;
  st: EntryStat;
  backend: Backend;
}

export interface UnreadableEntry {
  path: string;
  root: string;
  /** What failed: listing a directory, stat'ing an entry, or reading a link. */
  operation: 'list' | 'stat' | 'readLink';
  error: LinkToolsError;
}

export interface WalkProgress {
  entries: number;
  links: number;
  currentDir: string | null;
  elapsedMs: number;
}

export interface WalkSink {
  link(l: WalkedLink): void;
  /** Called once per group after every root is walked (groups are complete only then). */
  hardLinkGroup?(g: HardLinkGroup): void;
  unreadable(u: UnreadableEntry): void;
  /** A root that cannot be read at all: the scan failed for that root. */
  rootFailed(root: string, error: LinkToolsError): void;
  progress?(p: WalkProgress): void;
}

export interface WalkStats {
  roots: string[];
  entries: number;
  directories: number;
  links: number;
  hardLinkGroups: number;
  unreadable: number;
  failedRoots: number;
  durationMs: number;
}

interface Pending {
  path: string;
  rel: string;
  depth: number;
}

interface GroupAcc {
  linkCount: number;
  names: string[];
  included: boolean[];
  root: string;
  st: EntryStat;
  backend: Backend;
}

function toLtError(e: unknown, p: string): LinkToolsError {
  return e instanceof LinkToolsError ? e : new LinkToolsError('LT_IO', String((e as Error)?.message ?? e), p);
}

/** Make roots absolute, drop duplicates and roots that lie inside another root (they would be walked twice). */
export function normaliseRoots(platform: Platform, roots: readonly string[]): string[] {
  const b = platform.defaultBackend;
  const win = b.path.sep === '\\';
  const key = (p: string) => (win ? p.toLowerCase() : p);
  const abs = [...new Set(roots.map((r) => b.path.resolve(r)))];
  return abs.filter((r) => !abs.some((o) => o !== r && isInside(b, key(o), key(r))));
}

/** `child` is strictly below `parent` (string test on normalised absolute paths). */
function isInside(b: Backend, parent: string, child: string): boolean {
  const sep = b.path.sep;
  const p = parent.endsWith(sep) ? parent : parent + sep;
  return child.startsWith(p);
}

export function walk(platform: Platform, opts: WalkOptions, sink: WalkSink): WalkStats {
  const t0 = performance.now();
  const roots = normaliseRoots(platform, opts.roots);
  const include = opts.include ?? [];
  const exclude = opts.exclude ?? [];
  const maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
  const wantHard = opts.hardLinks !== false;
  const interval = opts.progressIntervalMs ?? 0;
  const groups = new Map<string, GroupAcc>();
  const stats: WalkStats = { roots, entries: 0, directories: 0, links: 0, hardLinkGroups: 0, unreadable: 0, failedRoots: 0, durationMs: 0 };
  let nextProgress = interval > 0 ? t0 + interval : Number.POSITIVE_INFINITY;
  let currentDir: string | null = null;

  const tick = (): void => {
    const now = performance.now();
    if (now < nextProgress) return;
    nextProgress = now + interval;
    sink.progress?.({ entries: stats.entries, links: stats.links, currentDir, elapsedMs: Math.round(now - t0) });
  };

  const included = (rel: string, name: string): boolean => include.length === 0 || anyMatch(include, rel, name);

  for (const root of roots) {
    const rb = platform.forPath(root);
    let rootSt: EntryStat;
    try {
      rootSt = rb.lstat(root);
    } catch (e) {
      stats.failedRoots++;
      sink.rootFailed(root, toLtError(e, root));
      continue;
    }
    stats.entries++;
    const rootName = rb.path.basename(root) || root;

    // The root itself: a link is reported and not entered (find -P does the same).
    if (rootSt.type !== 'directory') {
      handleNonDir(rb, root, root, '', rootName, rootSt.type);
      continue;
    }
    if (maxDepth < 1) continue;

    const rootDev = rootSt.dev;
    const stack: Pending[] = [{ path: root, rel: '', depth: 0 }];
    let first = true;
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const b = first ? rb : platform.forPath(dir.path);
      currentDir = dir.path;
      let ents;
      try {
        ents = b.readdir(dir.path);
      } catch (e) {
        const err = toLtError(e, dir.path);
        if (first) {
          stats.failedRoots++;
          sink.rootFailed(root, err);
        } else {
          stats.unreadable++;
          sink.unreadable({ path: dir.path, root, operation: 'list', error: err });
        }
        first = false;
        continue;
      }
      first = false;
      stats.directories++;
      const sep = b.path.sep;
      const base = dir.path.endsWith(sep) ? dir.path : dir.path + sep;
      const childDepth = dir.depth + 1;
      for (let i = 0; i < ents.length; i++) {
        const ent = ents[i]!;
        const name = ent.name;
        const rel = dir.rel === '' ? name : `${dir.rel}/${name}`;
        stats.entries++;
        if ((stats.entries & 1023) === 0) tick();
        if (exclude.length > 0 && anyMatch(exclude, rel, name)) continue;
        const p = base + name;
        let type = ent.type;
        if (type === 'directory') {
          if (childDepth >= maxDepth) continue;
          if (opts.oneFileSystem) {
            try {
              if (b.lstat(p).dev !== rootDev) continue;
            } catch (e) {
              stats.unreadable++;
              sink.unreadable({ path: p, root, operation: 'stat', error: toLtError(e, p) });
              continue;
            }
          }
          stack.push({ path: p, rel, depth: childDepth });
          continue;
        }
        if (type === 'special') continue;
        if (type === 'file' && !wantHard) continue;
        if (type === 'unknown') {
          // The listing did not say (some file systems): ask, then dispatch.
          let st: EntryStat;
          try {
            st = b.lstat(p);
          } catch (e) {
            stats.unreadable++;
            sink.unreadable({ path: p, root, operation: 'stat', error: toLtError(e, p) });
            continue;
          }
          type = st.type;
          if (type === 'directory') {
            if (childDepth < maxDepth && (!opts.oneFileSystem || st.dev === rootDev)) stack.push({ path: p, rel, depth: childDepth });
            continue;
          }
          if (type === 'special' || (type === 'file' && !wantHard)) continue;
        }
        handleNonDir(b, p, root, rel, name, type);
      }
    }
  }

  function handleNonDir(b: Backend, p: string, root: string, rel: string, name: string, type: EntryStat['type']): void {
    if (type === 'special' || type === 'directory') return;
    if (type === 'file' && !wantHard) return;
    if (type === 'file' && b.name === 'posix') {
      // Fast path: most files have one name; only those with more need the exact identity.
      let nlink: number | undefined;
      try {
        nlink = fs.lstatSync(p, { throwIfNoEntry: false })?.nlink;
      } catch {
        nlink = 2; // let the backend's lstat report the error
      }
      if (nlink === 1) return;
      if (nlink === undefined) {
        stats.unreadable++;
        sink.unreadable({ path: p, root, operation: 'stat', error: new LinkToolsError('LT_NOT_FOUND', 'cannot read: The path does not exist. (ENOENT)', p, { osCode: 'ENOENT' }) });
        return;
      }
    }
    let st: EntryStat;
    try {
      st = b.lstat(p);
    } catch (e) {
      stats.unreadable++;
      sink.unreadable({ path: p, root, operation: 'stat', error: toLtError(e, p) });
      return;
    }
    if (st.type === 'file') {
      if (st.nlink > 1 && wantHard) {
        const g = groups.get(st.fileId);
        const inc = included(rel, name);
        if (g) {
          g.names.push(p);
          g.included.push(inc);
        } else groups.set(st.fileId, { linkCount: st.nlink, names: [p], included: [inc], root, st, backend: b });
      }
      return;
    }
    if (st.type !== 'link') return;
    let data: LinkData | null;
    try {
      data = b.readLink(p, st);
    } catch (e) {
      stats.unreadable++;
      sink.unreadable({ path: p, root, operation: 'readLink', error: toLtError(e, p) });
      return;
    }
    if (!data) return;
    stats.links++;
    sink.link({ path: p, root, rel, included: included(rel, name), st, data, backend: b });
  }

  stats.hardLinkGroups = groups.size;
  for (const [fileId, g] of groups) {
    sink.hardLinkGroup?.({ fileId, linkCount: g.linkCount, names: g.names, included: g.included, root: g.root, st: g.st, backend: g.backend });
  }
  groups.clear();
  stats.durationMs = Math.round(performance.now() - t0);
  return stats;
}

/** Link kinds a scan can report (the --kind values). */
export const SCAN_KINDS: readonly LinkKind[] = ['symlink', 'junction', 'hardlink', 'mountPoint', 'appExecLink', 'lxSymlink', 'reparsePoint'];
