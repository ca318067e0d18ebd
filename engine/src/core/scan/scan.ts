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
import type { Platform } from '../../platform/types.js';
import { SCHEMA_VERSION } from '../../version.js';
import { inspect } from '../info.js';
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

export interface ScanRecordSink {
  record(r: LinkInfo | ScanSummary): void;
  /** One entry that could not be read, or a root that failed (`fatal`). */
  error(err: LinkToolsError, fatal: boolean): void;
  progress?(p: Progress): void;
}

export function compileGlobs(patterns: readonly string[] | undefined, caseInsensitive: boolean, what: string): GlobMatcher[] {
  return (patterns ?? []).map((g) => {
    try {
      return compileGlob(g, caseInsensitive);
    } catch (e) {
      throw new LinkToolsError('LT_INVALID_ARGUMENT', `--${what} ${JSON.stringify(g)}: ${(e as Error).message}`);
    }
  });
}

export function checkKinds(kinds: readonly string[] | undefined): LinkKind[] | undefined {
  if (!kinds || kinds.length === 0) return undefined;
  for (const k of kinds) {
    if (!(SCAN_KINDS as readonly string[]).includes(k)) {
      throw new LinkToolsError('LT_INVALID_ARGUMENT', `--kind ${JSON.stringify(k)} is not a link kind: use one of ${SCAN_KINDS.join(', ')}.`);
    }
  }
  return kinds as LinkKind[];
}

export function checkDepth(n: number | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < 0) throw new LinkToolsError('LT_INVALID_ARGUMENT', `--max-depth must be a whole number >= 0, not ${n}.`);
  return n;
}

export function progressRecord(phase: string, p: WalkProgress): Progress {
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
export function hardLinkInfo(g: HardLinkGroup, index: number): LinkInfo {
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
    reparse: null,
    backend: g.backend.name,
  };
}

export function isWin(platform: Platform): boolean {
  return platform.defaultBackend.path.sep === '\\';
}

export interface ScanResult {
  stats: WalkStats;
  byKind: Record<string, number>;
  emitted: number;
}

/** Walk and emit linkInfo records then the scanSummary. Throws only for bad options. */
export function runScan(platform: Platform, opts: ScanOptions, sink: ScanRecordSink): ScanResult {
  const ci = isWin(platform);
  const include = compileGlobs(opts.include, ci, 'include');
  const exclude = compileGlobs(opts.exclude, ci, 'exclude');
  const kinds = checkKinds(opts.kinds);
  const maxDepth = checkDepth(opts.maxDepth);
  const wanted = kinds ? new Set<LinkKind>(kinds) : null;
  const byKind: Record<string, number> = {};
  let emitted = 0;
  const emit = (info: LinkInfo): void => {
    byKind[info.kind] = (byKind[info.kind] ?? 0) + 1;
    emitted++;
    sink.record(info);
  };
  const stats = walk(
    platform,
    {
      roots: opts.roots,
      maxDepth,
      include,
      exclude,
      oneFileSystem: opts.oneFileSystem,
      hardLinks: !wanted || wanted.has('hardlink'),
      progressIntervalMs: sink.progress ? opts.progressIntervalMs : 0,
    },
    {
      link(l: WalkedLink) {
        if (!l.included || (wanted && !wanted.has(l.data.kind))) return;
        emit(inspect(platform, l.path, { known: { st: l.st, data: l.data, backend: l.backend } }));
      },
      hardLinkGroup(g: HardLinkGroup) {
        for (let i = 0; i < g.names.length; i++) if (g.included[i]) emit(hardLinkInfo(g, i));
      },
      unreadable(u: UnreadableEntry) {
        sink.error(new LinkToolsError('LT_UNREADABLE', `${u.error.message}`, u.path, { operation: u.operation, code: u.error.code, ...(u.error.details ?? {}) }), false);
      },
      rootFailed(root, error) {
        sink.error(error.path ? error : new LinkToolsError(error.code, error.message, root, error.details), true);
      },
      progress: sink.progress ? (p) => sink.progress!(progressRecord('scan', p)) : undefined,
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
  };
  sink.record(summary);
  return { stats, byKind, emitted };
}
