/**
 * The tree walk under `scan` and `audit`: one pass over each root that reports every link without
 * following it and without descending into it, collects hard-link groups, and turns entries that
 * vanish or refuse to be read into events instead of failures.
 *
 * Two ways to reach entries, chosen per folder by its backend:
 * - by directory handle (Backend.dirWalker; Linux, platform/posix/dirfd-walk.ts): each folder is
 *   opened relative to its parent without following links and its entries are stat'ed and read
 *   relative to it, so names are exact bytes and depth is not bounded by PATH_MAX;
 * - by path (every other backend, and a POSIX backend whose path calls a subclass changed).
 *
 * Cost model (do only the work the request needs):
 * - one listing per folder; the listing's type (d_type) answers for folders, links and specials, so
 *   those are never stat'ed (except folders under --one-file-system, which need the device number),
 *   and an entry whose type is unknown is stat'ed once;
 * - regular files are looked at only when hard links are wanted (nlink is not in a listing), as GNU
 *   `find -links` does; without hard links (e.g. --kind symlink) a handle listing does not even
 *   decode their names. By handle: one statx for the link count inside the listing, and the full
 *   stat only when it is above 1; by path: the backend's link counter when it has one (POSIX: lstat, moved to a worker
 *   thread once the walk is large, see platform/posix/link-counts.ts), else its lstat;
 * - links are stat'ed and read once; the record's first hop uses those facts;
 * - nothing is built per entry that the entry does not need: the root-relative path (`rel`) only
 *   for globs, links and hard-linked files.
 *
 * Order: link records and errors for links and folders come in walk order (depth first, entries in
 * the order Node's readdir gives: sorted by name bytes; the handle walk sorts the same way). With a
 * link counter, a file's nlink may be answered later than the entries after it, so an error record
 * for a file that vanished mid-scan can come after link records found later; hard-link groups and
 * their names stay in walk order (answers are delivered in the order asked, and every answer is in
 * before the root's walk ends).
 *
 * Memory: a stack of pending folders (each with its path and, by handle, a small node; at most 96
 * handles open), the link counter's bounded queue, plus, for files with nlink > 1 only,
 * fileId -> names. Links are handed to the sink as they are found and not kept here.
 */
import type { LinkKind } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import type { Backend, DirEntry, DirWalker, EntryStat, LinkCounter, LinkData, Platform, WalkChildren, WalkDir } from '../../platform/types.js';
import { isDataFile } from '../../platform/classify.js';
import { anyMatch, type GlobMatcher } from './glob.js';

interface WalkOptions {
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
  /** Found in a folder read by directory handle (entered from its parent without following links). */
  byHandle: boolean;
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

interface WalkSink {
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
  /** Reparse points that hold their file's data (dedup, WOF, hydrated cloud files): files, not links. */
  dataReparseFiles: number;
  hardLinkGroups: number;
  unreadable: number;
  failedRoots: number;
  durationMs: number;
  /** Over every hard-link group found: sizes with each name counted (apparent) and each file once (true). */
  hardLinkSizes: { apparentSize: number; trueSize: number; namesFound: number; namesOutside: number };
}

interface Pending {
  path: string;
  rel: string;
  depth: number;
  /** The parent folder's backend: inherited unless this folder is a mount point. */
  backend?: Backend;
  /** The parent's directory handle when it was walked by handle, and this folder's name in it. */
  parent?: WalkDir;
  name?: string;
}

/** The folder whose entries are being looked at: how to reach an entry, by handle or by path. */
interface Here {
  b: Backend;
  /** Directory-handle walking of this folder, or null: path calls. */
  dw: DirWalker | null;
  handle: WalkDir | null;
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

/**
 * Make roots absolute, drop duplicates and roots that lie inside another root (they would be walked
 * twice), but not a root below a root that is a link: a link root is reported, never entered.
 */
function normaliseRoots(platform: Platform, roots: readonly string[]): string[] {
  const b = platform.defaultBackend;
  const win = b.path.sep === '\\';
  const key = (p: string) => (win ? p.toLowerCase() : p);
  const abs = [...new Set(roots.map((r) => b.path.resolve(r)))];
  const entered = (p: string): boolean => {
    try {
      return platform.forPath(p).lstat(p).type === 'directory';
    } catch {
      return true; // a root that cannot be read fails as before
    }
  };
  return abs.filter((r) => !abs.some((o) => o !== r && isInside(b, key(o), key(r)) && entered(o)));
}

/** `child` is strictly below `parent` (string test on normalised absolute paths). */
function isInside(b: Backend, parent: string, child: string): boolean {
  const sep = b.path.sep;
  const p = parent.endsWith(sep) ? parent : parent + sep;
  return child.startsWith(p);
}

export function walk(platform: Platform, opts: WalkOptions, sink: WalkSink): WalkStats {
  return new Walker(platform, opts, sink).run();
}

/** One walk: roots in order, each depth first (see the file comment for order and cost). */
class Walker {
  private readonly t0 = nowMs();
  private readonly roots: string[];
  private readonly include: readonly GlobMatcher[];
  private readonly exclude: readonly GlobMatcher[];
  private readonly maxDepth: number;
  private readonly wantHard: boolean;
  private readonly interval: number;
  private readonly groups = new Map<string, GroupAcc>();
  private readonly stats: WalkStats;
  private nextProgress: number;
  private currentDir: string | null = null;
  /** The root being walked, and its path with a trailing separator (for the rel of a counted file). */
  private root = '';
  private rootBase = '';
  /** One link counter per backend that offers one (normally just the POSIX backend), made on first use. */
  private readonly counters = new Map<Backend, LinkCounter | null>();
  private lastB: Backend | null = null;
  private lastC: LinkCounter | null = null;
  /** The directory walker of each backend that has one (made on first use, closed when the walk ends). */
  private readonly dirWalkers = new Map<Backend, DirWalker | null>();

  constructor(
    private readonly platform: Platform,
    private readonly opts: WalkOptions,
    private readonly sink: WalkSink,
  ) {
    this.roots = normaliseRoots(platform, opts.roots);
    this.include = opts.include ?? [];
    this.exclude = opts.exclude ?? [];
    this.maxDepth = opts.maxDepth ?? Number.POSITIVE_INFINITY;
    this.wantHard = opts.hardLinks !== false;
    this.interval = opts.progressIntervalMs ?? 0;
    this.nextProgress = this.interval > 0 ? this.t0 + this.interval : Number.POSITIVE_INFINITY;
    this.stats = {
      roots: this.roots,
      entries: 0,
      directories: 0,
      links: 0,
      dataReparseFiles: 0,
      hardLinkGroups: 0,
      unreadable: 0,
      failedRoots: 0,
      durationMs: 0,
      hardLinkSizes: { apparentSize: 0, trueSize: 0, namesFound: 0, namesOutside: 0 },
    };
  }

  run(): WalkStats {
    try {
      for (const root of this.roots) {
        this.walkRoot(root);
        // Every file of this root answered before the next root (groups and stats stay per root in order).
        for (const c of this.counters.values()) c?.flush();
      }
    } finally {
      // Normally everything is answered already and this only releases the worker thread.
      for (const c of this.counters.values()) c?.close();
      for (const dw of this.dirWalkers.values()) dw?.close();
    }
    const { stats, groups, sink } = this;
    stats.hardLinkGroups = groups.size;
    const sizes = stats.hardLinkSizes;
    for (const [fileId, g] of groups) {
      sizes.apparentSize += g.st.size * g.names.length;
      sizes.trueSize += g.st.size;
      sizes.namesFound += g.names.length;
      sizes.namesOutside += Math.max(0, g.linkCount - g.names.length);
      sink.hardLinkGroup?.({ fileId, linkCount: g.linkCount, names: g.names, included: g.included, root: g.root, st: g.st, backend: g.backend });
    }
    groups.clear();
    stats.durationMs = Math.round(nowMs() - this.t0);
    return stats;
  }

  /** THE place where an entry that vanished or refused to be read becomes an event. */
  private unreadable(p: string, operation: UnreadableEntry['operation'], e: unknown): void {
    this.stats.unreadable++;
    this.sink.unreadable({ path: p, root: this.root, operation, error: toLtError(e, p) });
  }

  private tick(): void {
    const now = nowMs();
    if (now < this.nextProgress) return;
    this.nextProgress = now + this.interval;
    this.sink.progress?.({ entries: this.stats.entries, links: this.stats.links, currentDir: this.currentDir, elapsedMs: Math.round(now - this.t0) });
  }

  private included(rel: string, name: string): boolean {
    return this.include.length === 0 || anyMatch(this.include, rel, name);
  }

  private counterFor(b: Backend): LinkCounter | null {
    if (b === this.lastB) return this.lastC;
    let c = this.counters.get(b);
    if (c === undefined) {
      c = b.linkCounter ? b.linkCounter((p, nlink) => this.counted(b, p, nlink)) : null;
      this.counters.set(b, c);
    }
    this.lastB = b;
    this.lastC = c;
    return c;
  }

  private dirWalkerOf(b: Backend): DirWalker | null {
    let dw = this.dirWalkers.get(b);
    if (dw === undefined) this.dirWalkers.set(b, (dw = b.dirWalker?.() ?? null));
    return dw;
  }

  private walkRoot(root: string): void {
    const { platform, stats, sink } = this;
    this.root = root;
    const rb = platform.forPath(root);
    this.rootBase = root.endsWith(rb.path.sep) ? root : root + rb.path.sep;
    let rootSt: EntryStat;
    try {
      rootSt = rb.lstat(root);
    } catch (e) {
      stats.failedRoots++;
      sink.rootFailed(root, toLtError(e, root));
      return;
    }
    stats.entries++;
    const rootName = rb.path.basename(root) || root;
    const plain: Here = { b: rb, dw: null, handle: null };

    // The root itself: a link is reported and not entered (find -P does the same).
    if (rootSt.type !== 'directory') {
      if (rootSt.type === 'link' || (rootSt.type === 'file' && this.wantHard)) this.statEntry(plain, root, '', rootName);
      return;
    }
    if (this.maxDepth < 1) return;

    const rootDev = rootSt.dev;
    const boundaries = platform.mountPoints?.(root) ?? null;
    const stack: Pending[] = [{ path: root, rel: '', depth: 0 }];
    let first = true;
    while (stack.length > 0) {
      const dir = stack.pop()!;
      const b = first ? rb : dir.backend && boundaries && !boundaries.has(dir.path) ? dir.backend : platform.forPath(dir.path);
      const isRoot = first;
      first = false;
      this.currentDir = dir.path;
      const here: Here = { b, dw: this.dirWalkerOf(b), handle: null };
      let ents: DirEntry[];
      let total: number;
      try {
        if (here.dw) {
          // Enter by handle from the parent when the parent was walked by the same walker, else by path.
          here.handle = dir.parent && dir.backend === b ? here.dw.openChild(dir.parent, dir.name!, dir.path) : here.dw.openRoot(dir.path);
          ({ entries: ents, total } = here.dw.list(here.handle, this.wantHard ? 'linked' : false));
        } else {
          ents = b.readdir(dir.path);
          total = ents.length;
        }
      } catch (e) {
        if (here.handle) here.dw!.done(here.handle, 0);
        if (isRoot) {
          stats.failedRoots++;
          sink.rootFailed(root, toLtError(e, dir.path));
        } else this.unreadable(dir.path, 'list', e);
        continue;
      }
      stats.directories++;
      // Names the listing did not return (files not needed): counted, with progress every 1024 as for the rest.
      const target = stats.entries + total - ents.length;
      for (let next = (stats.entries | 1023) + 1; next <= target; next += 1024) {
        stats.entries = next;
        this.tick();
      }
      stats.entries = target;
      // By handle, with nothing but the depth limit deciding what is entered, the walker is told
      // which subfolders will be entered (it may read them ahead on another thread).
      const children: WalkChildren | undefined =
        here.handle && this.exclude.length === 0 && !this.opts.oneFileSystem && here.dw!.wantsChildren?.()
          ? { names: [], depth: dir.depth + 1, maxDepth: this.maxDepth, files: this.wantHard ? 'linked' : false }
          : undefined;
      const pushed = this.listEntries(here, dir, ents, stack, rootDev, children?.names);
      if (here.handle) here.dw!.done(here.handle, pushed, children);
    }
  }

  /** Look at the entries of one listed folder; returns how many subfolders were pushed. */
  private listEntries(here: Here, dir: Pending, ents: DirEntry[], stack: Pending[], rootDev: bigint, pushedNames?: string[]): number {
    const { stats, exclude, opts, wantHard } = this;
    const b = here.b;
    const sep = b.path.sep;
    const base = dir.path.endsWith(sep) ? dir.path : dir.path + sep;
    const dirRel = dir.rel;
    const childDepth = dir.depth + 1;
    // By handle, a file costs one statx of one name; the path-based link counter only pays by path.
    const counter = wantHard && !here.handle ? this.counterFor(b) : null;
    let pushed = 0;
    const push = (p: string, name: string): void => {
      stack.push({ path: p, rel: relOf(dirRel, name), depth: childDepth, backend: b, parent: here.handle ?? undefined, name });
      pushedNames?.push(name);
      pushed++;
    };
    for (let i = 0; i < ents.length; i++) {
      const ent = ents[i]!;
      const name = ent.name;
      if ((++stats.entries & 1023) === 0) this.tick();
      if (exclude.length > 0 && anyMatch(exclude, relOf(dirRel, name), name)) continue;
      let type = ent.type;
      if (type === 'file') {
        if (!wantHard) continue;
        const p = base + name;
        // By handle the listing ('linked') already dropped every file with one name: what is left
        // gets its full stat straight away (a file whose count fell to 1 meanwhile is dropped there).
        if (counter) counter.ask(p);
        else this.statEntry(here, p, dirRel, name);
        continue;
      }
      if (type === 'directory') {
        if (childDepth >= this.maxDepth) continue;
        const p = base + name;
        if (opts.oneFileSystem) {
          const st = this.lstatHere(here, p, name);
          if (!st) continue;
          if (st.dev !== rootDev) continue;
        }
        push(p, name);
        continue;
      }
      if (type === 'special') continue;
      if (type === 'unknown') {
        // The listing did not say (some file systems): ask, then dispatch.
        const p = base + name;
        const st = this.lstatHere(here, p, name);
        if (!st) continue;
        type = st.type;
        if (type === 'directory') {
          if (childDepth < this.maxDepth && (!opts.oneFileSystem || st.dev === rootDev)) push(p, name);
          continue;
        }
        if (type === 'special' || (type === 'file' && !wantHard)) continue;
      }
      this.statEntry(here, base + name, dirRel, name);
    }
    return pushed;
  }

  /** lstat an entry of the folder `here` (by handle or by path); null when it is unreadable (reported). */
  private lstatHere(here: Here, p: string, name: string): EntryStat | null {
    try {
      return here.handle ? here.dw!.lstatAt(here.handle, name, p) : here.b.lstat(p);
    } catch (e) {
      this.unreadable(p, 'stat', e);
      return null;
    }
  }

  /** The link counter's answer for a regular file: one name only is the common case and needs nothing more. */
  private counted(b: Backend, p: string, nlink: number | undefined): void {
    if (nlink === 1) return;
    const rel = p.slice(this.rootBase.length);
    const cut = rel.lastIndexOf('/');
    const dirRel =
      b.path.sep === '/'
        ? rel.slice(0, cut < 0 ? 0 : cut)
        : rel
            .slice(0, Math.max(0, rel.lastIndexOf(b.path.sep)))
            .split(b.path.sep)
            .join('/');
    this.statEntry({ b, dw: null, handle: null }, p, dirRel, b.path.basename(p));
  }

  /** lstat a file or link (exact identity) and record it: a hard-link group name, or a link for the sink. */
  private statEntry(here: Here, p: string, dirRel: string, name: string): void {
    const st = this.lstatHere(here, p, name);
    if (!st) return;
    const rel = p === this.root ? '' : relOf(dirRel, name);
    if (st.type === 'file') {
      this.fileName(here, p, rel, name, st);
      return;
    }
    if (st.type !== 'link') return;
    let data: LinkData | null;
    try {
      data = here.handle ? here.dw!.readLinkAt(here.handle, name, p, st) : here.b.readLink(p, st);
    } catch (e) {
      this.unreadable(p, 'readLink', e);
      return;
    }
    if (!data) return;
    if (isDataFile(data)) {
      // A dedup/WOF/hydrated cloud file is a file with a reparse tag: counted as such, grouped by its
      // names like any file, never reported as a link.
      this.stats.dataReparseFiles++;
      this.fileName(here, p, rel, name, st);
      return;
    }
    this.stats.links++;
    this.sink.link({ path: p, root: this.root, rel, included: this.included(rel, name), st, data, backend: here.b, byHandle: here.handle !== null });
  }

  /** One name of a regular file (or data reparse file): a member of its hard-link group when it has several names. */
  private fileName(here: Here, p: string, rel: string, name: string, st: EntryStat): void {
    if (st.nlink <= 1 || !this.wantHard) return;
    const g = this.groups.get(st.fileId);
    const inc = this.included(rel, name);
    if (g) {
      g.names.push(p);
      g.included.push(inc);
    } else this.groups.set(st.fileId, { linkCount: st.nlink, names: [p], included: [inc], root: this.root, st, backend: here.b });
  }
}

/**
 * Milliseconds on a monotonic clock. process.hrtime, not performance.now(): the global `performance`
 * loads node:perf_hooks on first use (~4 ms of every engine start that walks a tree).
 */
function nowMs(): number {
  const [s, ns] = process.hrtime();
  return s * 1000 + ns / 1e6;
}

/** The path of `name` relative to the root, `/`-separated, given its folder's. */
function relOf(dirRel: string, name: string): string {
  return dirRel === '' ? name : `${dirRel}/${name}`;
}

/** Link kinds a scan can report (the --kind values). */
export const SCAN_KINDS: readonly LinkKind[] = ['symlink', 'junction', 'hardlink', 'mountPoint', 'appExecLink', 'lxSymlink', 'reparsePoint'];
