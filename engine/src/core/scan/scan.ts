/**
 * `scan` as pure logic: walk the roots and turn what the walk finds into records.
 *
 * Order of records: link records (symlinks, junctions, other reparse points) stream while the walk
 * runs; hard-link records follow once every root is walked, because only then is each group's
 * list of names complete; the scanSummary comes last. Nothing here writes to stdout: records go to
 * the sink the command gives.
 */
import type { LinkInfo, LinkKind, Progress, ScanSummary } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import type { Backend, Platform } from '../../platform/types.js';
import { SCHEMA_VERSION } from '../../version.js';
import { inspect, isAbsoluteTarget, RealPaths } from '../info.js';
import { compileGlob, type GlobMatcher } from './glob.js';
import { SCAN_KINDS, walk, type HardLinkGroup, type UnreadableEntry, type WalkedLink, type WalkProgress, type WalkStats } from './walk.js';

export interface ScanOptions {
  roots: string[];
  maxDepth?: number;
  include?: string[];
  exclude?: string[];
  oneFileSystem?: boolean;
  kinds?: string[];
  progressIntervalMs?: number;
}

interface ScanRecordSink {
  record(r: LinkInfo | ScanSummary): void;
  /** One entry that could not be read, or a root that failed (`fatal`). */
  error(err: LinkToolsError, fatal: boolean): void;
  progress?(p: Progress): void;
}

function compileGlobs(patterns: readonly string[] | undefined, caseInsensitive: boolean, what: string): GlobMatcher[] {
  return (patterns ?? []).map((g) => {
    try {
      return compileGlob(g, caseInsensitive);
    } catch (e) {
      throw new LinkToolsError('LT_INVALID_ARGUMENT', `--${what} ${JSON.stringify(g)}: ${(e as Error).message}`);
    }
  });
}

function checkKinds(kinds: readonly string[] | undefined): LinkKind[] | undefined {
  if (!kinds || kinds.length === 0) return undefined;
  for (const k of kinds) {
    if (!(SCAN_KINDS as readonly string[]).includes(k)) {
      throw new LinkToolsError('LT_INVALID_ARGUMENT', `--kind ${JSON.stringify(k)} is not a link kind: use one of ${SCAN_KINDS.join(', ')}.`);
    }
  }
  return kinds as LinkKind[];
}

function checkDepth(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 0) throw new LinkToolsError('LT_INVALID_ARGUMENT', `--max-depth must be a whole number >= 0, not ${n}.`);
  return n;
}

function progressRecord(phase: string, p: WalkProgress): Progress {
  return {
    recordType: 'progress',
    schemaVersion: SCHEMA_VERSION,
    phase,
    entries: p.entries,
    links: p.links,
    currentDir: p.currentDir,
    rate: p.elapsedMs > 0 ? Math.round((p.entries * 1000) / p.elapsedMs) : 0,
    elapsedMs: p.elapsedMs,
  };
}

/** The linkInfo record of one name of a hard-link group: the other names are the group's other names found. */
function hardLinkInfo(g: HardLinkGroup, index: number): LinkInfo {
  const path = g.names[index]!;
  return {
    recordType: 'linkInfo',
    schemaVersion: SCHEMA_VERSION,
    path,
    kind: 'hardlink',
    targetType: 'file',
    target: null,
    resolvedTarget: null,
    finalTarget: null,
    targetExists: null,
    isRelative: null,
    linkCount: g.linkCount,
    fileId: g.fileId,
    size: g.st.size,
    chain: [],
    loop: false,
    hardLinkNames: g.names.filter((_, i) => i !== index),
    hardLinkGroup: groupFacts(g),
    reparse: null,
    backend: g.backend.name,
  };
}

/** Sizes of a hard-link group and what is known of its names beyond those found. */
function groupFacts(g: HardLinkGroup): NonNullable<LinkInfo['hardLinkGroup']> {
  const count = Math.max(0, g.linkCount - g.names.length);
  let names: string[] | null = null;
  let reason: string | null = null;
  if (count > 0) {
    // Where the file system keeps a list of a file's names (NTFS through Windows), ask it.
    const all = g.backend.hardLinkNames?.(g.names[0]!) ?? null;
    if (all) {
      const found = new Set(g.names);
      names = all.filter((n) => !found.has(n));
    } else reason = outsideReason(g.backend.name, count);
  }
  return { namesFound: g.names.length, apparentSize: g.st.size * g.names.length, trueSize: g.st.size, outside: { count, names, reason } };
}

function outsideReason(backend: string, count: number): string {
  const other = `${count} other name${count === 1 ? '' : 's'}`;
  if (backend === 'ntfs3g') {
    return `${other} outside the scanned roots (or excluded) are unknown: ntfs-3g gives a file's link count but no list of its names over FUSE, and reading them from the MFT record in the volume image is not implemented.`;
  }
  if (backend === 'posix') {
    return `${other} outside the scanned roots (or excluded) are unknown: a POSIX file system keeps a file's link count, not a list of its names; only a walk of the whole volume finds them (find MOUNTPOINT -xdev -samefile PATH).`;
  }
  return `${other} outside the scanned roots (or excluded) are unknown: this file system gives no list of a file's names.`;
}

export function isWin(platform: Platform): boolean {
  return platform.defaultBackend.path.sep === '\\';
}

interface ScanResult {
  stats: WalkStats;
  byKind: Record<string, number>;
  emitted: number;
}

/** What a link walk tells its user: scan and audit share the walk, its filters and `inspect`. */
interface LinkVisitor {
  /** A link, or one name of a hard-link group, that passed --include and --kind; `walked` is null for hard-link names. */
  link(info: LinkInfo, walked: WalkedLink | null): void;
  /** A hard-link group with at least one included name, before its names are visited. */
  hardLinkGroup?(g: HardLinkGroup): void;
  unreadable(u: UnreadableEntry): void;
  rootFailed(root: string, error: LinkToolsError): void;
}

interface LinkWalkOptions extends ScanOptions {
  /** Hops to follow before calling a chain a loop (default: inspect's). */
  maxHops?: number;
  /** Names the progress records' phase. */
  phase: string;
  progress?(p: Progress): void;
}

/**
 * The LinkInfo of a link the walk found. Following its chain uses path calls, which a link the walk
 * reached by directory handle may not survive (a path longer than PATH_MAX): then the record holds
 * what the walk read itself (the link and its stored target) and leaves the rest unknown (null).
 */
function inspectWalked(platform: Platform, l: WalkedLink, maxHops: number | undefined, realPaths: RealPaths): LinkInfo {
  try {
    return inspect(platform, l.path, { maxHops, known: { st: l.st, data: l.data, backend: l.backend }, realPaths });
  } catch (e) {
    if (!(e instanceof LinkToolsError)) throw e;
    const b = l.backend;
    const target = l.data.target;
    const resolved = target === null ? null : b.resolveTarget(b.path.dirname(l.path), target);
    return {
      recordType: 'linkInfo',
      schemaVersion: SCHEMA_VERSION,
      path: l.path,
      kind: l.data.kind,
      targetType: l.data.declaredType,
      target,
      resolvedTarget: resolved,
      finalTarget: null,
      targetExists: null,
      isRelative: target === null ? null : !isAbsoluteTarget(b, target),
      linkCount: l.st.nlink,
      fileId: l.st.fileId,
      size: l.st.size,
      chain: [{ path: l.path, kind: l.data.kind, target, resolvedTarget: resolved }],
      loop: false,
      reparse: l.data.reparse,
      backend: b.name,
    };
  }
}

/** Paths whose backend one walk remembers at most (then it starts over): memory follows links, not entries. */
const ROUTE_CACHE = 4096;

/**
 * The platform as one walk's link chains see it: which backend serves a path is asked once per
 * path (on Linux each answer is an lstat, to see whether the path is on an ntfs-3g mount), as the
 * walk itself decides mount boundaries once per root. Only the chain following uses it.
 */
export function routeCached(platform: Platform): Platform {
  const cache = new Map<string, Backend>();
  // Taken once per walk: when one backend serves every path (no ntfs-3g volume mounted), no lstat at all.
  const sole = platform.soleBackend?.() ?? null;
  return {
    defaultBackend: platform.defaultBackend,
    forPath(p: string): Backend {
      if (sole) return sole;
      let b = cache.get(p);
      if (b === undefined) {
        if (cache.size >= ROUTE_CACHE) cache.clear();
        b = platform.forPath(p);
        cache.set(p, b);
      }
      return b;
    },
    ...(platform.mountPoints ? { mountPoints: (root: string) => platform.mountPoints!(root) } : {}),
  };
}

/** Walk the roots and visit every link that passes the filters, as a LinkInfo. Throws only for bad options. */
export function walkLinks(platform: Platform, o: LinkWalkOptions, v: LinkVisitor): WalkStats {
  const ci = isWin(platform);
  const include = compileGlobs(o.include, ci, 'include');
  const exclude = compileGlobs(o.exclude, ci, 'exclude');
  const kinds = checkKinds(o.kinds);
  const maxDepth = checkDepth(o.maxDepth);
  const wanted = kinds ? new Set<LinkKind>(kinds) : null;
  const progress = o.progress;
  // One walk shares what its chains learnt: the backend of a path, the real folder of a folder.
  const chains = routeCached(platform);
  const realPaths = new RealPaths(chains);
  // Whether each root is its own real path: then every folder the walk entered by handle below it is
  // real too (entered without following a link), and a link's folder needs no realpath.
  const realRoots = new Map<string, boolean>();
  const realRoot = (root: string): boolean => {
    let r = realRoots.get(root);
    if (r === undefined) realRoots.set(root, (r = realPaths.of(root) === root));
    return r;
  };
  return walk(
    platform,
    {
      roots: o.roots,
      maxDepth,
      include,
      exclude,
      oneFileSystem: o.oneFileSystem,
      hardLinks: !wanted || wanted.has('hardlink'),
      progressIntervalMs: progress ? o.progressIntervalMs : 0,
    },
    {
      link(l: WalkedLink) {
        if (!l.included || (wanted && !wanted.has(l.data.kind))) return;
        if (l.byHandle && l.rel !== '' && realRoot(l.root)) realPaths.assumeReal(l.backend.path.dirname(l.path));
        v.link(inspectWalked(chains, l, o.maxHops, realPaths), l);
      },
      hardLinkGroup(g: HardLinkGroup) {
        if (!g.included.some(Boolean)) return;
        v.hardLinkGroup?.(g);
        for (let i = 0; i < g.names.length; i++) if (g.included[i]) v.link(hardLinkInfo(g, i), null);
      },
      unreadable: (u: UnreadableEntry) => v.unreadable(u),
      rootFailed: (root: string, error: LinkToolsError) => v.rootFailed(root, error),
      progress: progress ? (p) => progress(progressRecord(o.phase, p)) : undefined,
    },
  );
}

/** Walk and emit linkInfo records then the scanSummary. Throws only for bad options. */
export function runScan(platform: Platform, opts: ScanOptions, sink: ScanRecordSink): ScanResult {
  const byKind: Record<string, number> = {};
  let emitted = 0;
  const stats = walkLinks(
    platform,
    { ...opts, phase: 'scan', progress: sink.progress?.bind(sink) },
    {
      link(info) {
        byKind[info.kind] = (byKind[info.kind] ?? 0) + 1;
        emitted++;
        sink.record(info);
      },
      unreadable(u) {
        sink.error(new LinkToolsError('LT_UNREADABLE', `${u.error.message}`, u.path, { operation: u.operation, code: u.error.code, ...(u.error.details ?? {}) }), false);
      },
      rootFailed(root, error) {
        sink.error(error.path ? error : new LinkToolsError(error.code, error.message, root, error.details), true);
      },
    },
  );
  const summary: ScanSummary = {
    recordType: 'scanSummary',
    schemaVersion: SCHEMA_VERSION,
    roots: stats.roots,
    entries: stats.entries,
    directories: stats.directories,
    links: emitted,
    byKind,
    hardLinkGroups: stats.hardLinkGroups,
    unreadable: stats.unreadable,
    durationMs: stats.durationMs,
    hardLinkSizes: { ...stats.hardLinkSizes },
  };
  sink.record(summary);
  return { stats, byKind, emitted };
}
