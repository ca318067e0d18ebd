/**
 * The tree walk under `scan` and `audit`: one pass over each root that reports every link without
 * following it and without descending into it, collects hard-link groups, and turns entries that
 * vanish or refuse to be read into events instead of failures.
 *
 * Cost model (what makes it fast on a million entries):
 * - one synchronous readdir(withFileTypes) per directory; the dirent type answers for directories,
 *   links and specials, so those are never stat'ed (except directories under --one-file-system,
 *   which need the device number);
 * - regular files are looked at only when hard links are wanted (nlink is not in a dirent), as
 *   GNU `find -links` does: through the backend's link counter when it has one (POSIX: a plain
 *   lstat, moved to a worker thread once the walk is large, see platform/posix/link-counts.ts),
 *   else its lstat; only a file with nlink > 1 then gets the backend's exact lstat for its id;
 * - links are lstat'ed and read (their facts are the output);
 * - nothing is built per entry that the entry does not need: the root-relative path (`rel`) only
 *   for globs, links and hard-linked files.
 *
 * Order: link records and errors for links and folders come in walk order (depth first, entries in
 * the order the OS lists them). With a link counter, a file's nlink may be answered later than the
 * entries after it, so an error record for a file that vanished mid-scan can come after link
 * records found later; hard-link groups and their names stay in walk order (answers are delivered
 * in the order asked, and every answer is in before the root's walk ends).
 *
 * Memory: a stack of pending directories, the link counter's bounded queue, plus, for files with
 * nlink > 1 only, fileId -> names. Links are handed to the sink as they are found and not kept here.
 */
import type { LinkKind } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import type { Backend, EntryStat, LinkCounter, LinkData, Platform } from '../../platform/types.js';
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
  /** The parent folder's backend: inherited unless this folder is a mount point. */
  backend?: Backend;
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
  // The root being walked, and its path with a trailing separator (for the rel of a counted file).
  let root = '';
  let rootBase = '';

  const tick = (): void => {
    const now = performance.now();
    if (now < nextProgress) return;
    nextProgress = now + interval;
    sink.progress?.({ entries: stats.entries, links: stats.links, currentDir, elapsedMs: Math.round(now - t0) });
  };

  const included = (rel: string, name: string): boolean => include.length === 0 || anyMatch(include, rel, name);

  // One link counter per backend that offers one (normally just the POSIX backend), created on the
  // first regular file it serves; the last one used is remembered to skip the map on most files.
  const counters = new Map<Backend, LinkCounter | null>();
  let lastB: Backend | null = null;
  let lastC: LinkCounter | null = null;
  const counterFor = (b: Backend): LinkCounter | null => {
    if (b === lastB) return lastC;
    let c = counters.get(b);
    if (c === undefined) {
      c = b.linkCounter ? b.linkCounter((p, nlink) => counted(b, p, nlink)) : null;
      counters.set(b, c);
    }
    lastB = b;
    lastC = c;
    return c;
  };

  try {
    for (root of roots) {
      const rb = platform.forPath(root);
      rootBase = root.endsWith(rb.path.sep) ? root : root + rb.path.sep;
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
        if (rootSt.type === 'link' || (rootSt.type === 'file' && wantHard)) statEntry(rb, root, '', rootName);
        continue;
      }
      if (maxDepth < 1) continue;

      const rootDev = rootSt.dev;
      const boundaries = platform.mountPoints?.(root) ?? null;
      const stack: Pending[] = [{ path: root, rel: '', depth: 0 }];
      let first = true;
      while (stack.length > 0) {
        const dir = stack.pop()!;
        const b = first ? rb : dir.backend && boundaries && !boundaries.has(dir.path) ? dir.backend : platform.forPath(dir.path);
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
        const dirRel = dir.rel;
        const childDepth = dir.depth + 1;
        const counter = wantHard ? counterFor(b) : null;
        for (let i = 0; i < ents.length; i++) {
          const ent = ents[i]!;
          const name = ent.name;
          if ((++stats.entries & 1023) === 0) tick();
          if (exclude.length > 0 && anyMatch(exclude, relOf(dirRel, name), name)) continue;
          let type = ent.type;
          if (type === 'file') {
            if (!wantHard) continue;
            if (counter) counter.ask(base + name);
            else statEntry(b, base + name, dirRel, name);
            continue;
          }
          if (type === 'directory') {
            if (childDepth >= maxDepth) continue;
            const p = base + name;
            if (opts.oneFileSystem) {
              try {
                if (b.lstat(p).dev !== rootDev) continue;
              } catch (e) {
                stats.unreadable++;
                sink.unreadable({ path: p, root, operation: 'stat', error: toLtError(e, p) });
                continue;
              }
            }
            stack.push({ path: p, rel: relOf(dirRel, name), depth: childDepth, backend: b });
            continue;
          }
          if (type === 'special') continue;
          if (type === 'unknown') {
            // The listing did not say (some file systems): ask, then dispatch.
            const p = base + name;
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
              if (childDepth < maxDepth && (!opts.oneFileSystem || st.dev === rootDev)) stack.push({ path: p, rel: relOf(dirRel, name), depth: childDepth, backend: b });
              continue;
            }
            if (type === 'special' || (type === 'file' && !wantHard)) continue;
          }
          statEntry(b, base + name, dirRel, name);
        }
      }
      // Every file of this root answered before the next root (groups and stats stay per root in order).
      for (const c of counters.values()) c?.flush();
    }
  } finally {
    // Normally everything is answered already and this only releases the worker thread.
    for (const c of counters.values()) c?.close();
  }

  /** The link counter's answer for a regular file: one name only is the common case and needs nothing more. */
  function counted(b: Backend, p: string, nlink: number | undefined): void {
    if (nlink === 1) return;
    const rel = p.slice(rootBase.length);
    const cut = rel.lastIndexOf('/');
    const dirRel = b.path.sep === '/' ? rel.slice(0, cut < 0 ? 0 : cut) : rel.slice(0, Math.max(0, rel.lastIndexOf(b.path.sep))).split(b.path.sep).join('/');
    statEntry(b, p, dirRel, b.path.basename(p));
  }

  /** lstat a file or link (exact identity) and record it: a hard-link group name, or a link for the sink. */
  function statEntry(b: Backend, p: string, dirRel: string, name: string): void {
    let st: EntryStat;
    try {
      st = b.lstat(p);
    } catch (e) {
      stats.unreadable++;
      sink.unreadable({ path: p, root, operation: 'stat', error: toLtError(e, p) });
      return;
    }
    const rel = p === root ? '' : relOf(dirRel, name);
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

/** The path of `name` relative to the root, `/`-separated, given its folder's. */
function relOf(dirRel: string, name: string): string {
  return dirRel === '' ? name : `${dirRel}/${name}`;
}

/** Link kinds a scan can report (the --kind values). */
export const SCAN_KINDS: readonly LinkKind[] = ['symlink', 'junction', 'hardlink', 'mountPoint', 'appExecLink', 'lxSymlink', 'reparsePoint'];
