/**
 * `audit` as pure logic: one walk (core/scan/walk.ts), each link inspected and checked as it is
 * found, hard-link groups checked after the walk, drift against a baseline tracked on the way.
 * Findings and drift stream to the sink; only what a report, graph or saved baseline needs is kept
 * (and only when one was asked for).
 */
import type { AuditSummary, Baseline, Drift, Finding, LinkInfo, Manifest, Progress } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import type { Platform } from '../../platform/types.js';
import { SCHEMA_VERSION } from '../../version.js';
import { finalStatOf, MAX_HOPS, RealPaths } from '../info.js';
import { planEnsure } from '../maintenance/plan.js';
import { routeCached, walkLinks } from '../scan/scan.js';
import type { HardLinkGroup, WalkedLink } from '../scan/walk.js';
import { BaselineWriter, DriftTracker, type LinkState } from './baseline.js';
import { CheckEnv, LinkChecker, type RawFinding } from './checks.js';
import { CycleFinder, hardlinkGroupEscapes, unreadable } from './tree-checks.js';
import { enabledRules, type AuditSettings } from './config.js';
import { MountTable } from './paths.js';
import type { Severity } from '../../contract/types.js';
import { SEVERITY_RANK, type RuleId } from './rules.js';

interface AuditOptions {
  roots: string[];
  maxDepth?: number;
  oneFileSystem?: boolean;
  kinds?: string[];
  progressIntervalMs?: number;
  settings: AuditSettings;
  baseline?: Baseline | null;
  /** Keep findings, drift and links for a report or graph. */
  collect?: boolean;
  /** Keep link states for --save-baseline. */
  saveBaseline?: boolean;
  /** --manifest: the declared layout (and the folder its relative paths start from) for manifest-drift. */
  manifest?: { manifest: Manifest; dir: string };
}

interface AuditSink {
  finding(f: Finding): void;
  drift(d: Drift): void;
  /** A root that could not be read (fatal: exit 3). */
  error(err: LinkToolsError): void;
  progress?(p: Progress): void;
}

export interface AuditResult {
  summary: AuditSummary;
  findings: Finding[];
  drift: Drift[];
  links: LinkInfo[];
  baseline: Baseline | null;
}

function stateOf(info: LinkInfo): LinkState {
  return { kind: info.kind, target: info.target, fileId: info.fileId };
}

/** Exit code for a finished audit: 3 a root failed, 1 a finding at or above failOn, else 0. */
/**
 * 3 when the audit is incomplete — a root, or a folder below it, could not be read (what lies there
 * was not audited, whatever --fail-on says) — else 1 when a finding is at least --fail-on, else 0.
 */
function exitCodeFor(bySeverity: Record<Severity, number>, failOn: AuditSettings['failOn'], failedRoots: number, foldersNotWalked = 0): 0 | 1 | 3 {
  if (failedRoots > 0 || foldersNotWalked > 0) return 3;
  if (failOn === 'never') return 0;
  const min = SEVERITY_RANK[failOn];
  for (const sev of ['info', 'warning', 'error'] as Severity[]) if (SEVERITY_RANK[sev] >= min && bySeverity[sev] > 0) return 1;
  return 0;
}

function realAliases(real: RealPaths, root: string): string[] {
  const r = real.of(root);
  return r !== null && r !== root ? [root, r] : [root];
}

export function runAudit(platform: Platform, opts: AuditOptions, sink: AuditSink): AuditResult {
  const s = opts.settings;
  const on = (id: RuleId) => s.rules.get(id)!.enabled;
  // remote-target needs the system's mount table: only where the backend has one (Linux).
  const mounts = on('remote-target') ? platform.defaultBackend.mounts?.() : undefined;
  const maxHops = Math.max(MAX_HOPS, s.maxChain + 1);
  // The checks route paths the way the walk's chains do: once per path, no lstat when one backend serves all.
  const routed = routeCached(platform);
  const realPaths = new RealPaths(routed, maxHops);
  const checker = new LinkChecker(new CheckEnv(routed, s, mounts ? new MountTable(mounts) : null, realPaths));
  const cycles = on('directory-cycle') ? new CycleFinder() : null;
  const aliases = new Map<string, string[]>();
  const realRoots = new Map<string, boolean>();
  const realRoot = (root: string): boolean => {
    let r = realRoots.get(root);
    if (r === undefined) realRoots.set(root, (r = realPaths.of(root) === root));
    return r;
  };
  const tracker = opts.baseline ? new DriftTracker(opts.baseline) : null;
  const writer = opts.saveBaseline ? new BaselineWriter() : null;

  const findings: Finding[] = [];
  const drifts: Drift[] = [];
  const links: LinkInfo[] = [];
  const byKind: Record<string, number> = {};
  const byRule: Record<string, number> = {};
  const bySeverity: Record<Severity, number> = { info: 0, warning: 0, error: 0 };
  let findingCount = 0;
  let driftCount = 0;
  let linkCount = 0;
  let foldersNotWalked = 0;

  const emitFinding = (f: RawFinding): void => {
    const severity = s.rules.get(f.rule)!.severity;
    const rec: Finding = { recordType: 'finding', schemaVersion: SCHEMA_VERSION, rule: f.rule, severity, path: f.path, message: f.message, details: f.details };
    findingCount++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    bySeverity[severity]++;
    if (opts.collect) findings.push(rec);
    sink.finding(rec);
  };
  const emitDrift = (d: Drift | null): void => {
    if (!d) return;
    driftCount++;
    if (opts.collect) drifts.push(d);
    sink.drift(d);
  };
  const linkSeen = (info: LinkInfo): void => {
    linkCount++;
    byKind[info.kind] = (byKind[info.kind] ?? 0) + 1;
    if (opts.collect) links.push(info);
    const st = stateOf(info);
    writer?.add(info.path, st);
    if (tracker) emitDrift(tracker.seen(info.path, st));
  };

  const stats = walkLinks(
    platform,
    {
      roots: opts.roots,
      maxDepth: opts.maxDepth,
      include: s.include,
      exclude: s.exclude,
      oneFileSystem: opts.oneFileSystem,
      kinds: opts.kinds,
      progressIntervalMs: opts.progressIntervalMs,
      maxHops,
      phase: 'audit',
      progress: sink.progress?.bind(sink),
    },
    {
      link(info: LinkInfo, l: WalkedLink | null) {
        if (l) {
          let rootAliases = aliases.get(l.root);
          if (!rootAliases) aliases.set(l.root, (rootAliases = realAliases(realPaths, l.root)));
          const b = l.backend;
          // A folder entered by handle below a real root is real (no link followed on the way): no realpath.
          if (l.byHandle && l.rel !== '' && realRoot(l.root)) realPaths.assumeReal(b.path.dirname(info.path));
          const realDir = realPaths.folder(b.path.dirname(info.path));
          for (const f of checker.check({ info, data: l.data, st: l.st, root: l.root, rootAliases, rel: l.rel, realDir })) emitFinding(f);
          if (cycles && info.targetExists && info.finalTarget && finalStatOf(info)?.type === 'directory') {
            const realTarget = realPaths.of(info.finalTarget);
            if (realTarget !== null) cycles.add(info, realDir, realTarget);
          }
        }
        linkSeen(info);
      },
      hardLinkGroup(g: HardLinkGroup) {
        if (!on('hardlink-group-escapes')) return;
        const f = hardlinkGroupEscapes(g);
        if (f) emitFinding(f);
      },
      unreadable(u) {
        // A folder that could not be listed (not one that vanished meanwhile) leaves the audit incomplete.
        if (u.operation === 'list' && u.error.code !== 'LT_NOT_FOUND') foldersNotWalked++;
        if (on('unreadable')) emitFinding(unreadable(u));
      },
      rootFailed(root, error) {
        sink.error(error.path ? error : new LinkToolsError(error.code, error.message, root, error.details));
      },
    },
  );

  if (cycles) for (const f of cycles.findings()) emitFinding(f);
  if (opts.manifest && on('manifest-drift')) for (const f of manifestDrift(platform, opts.manifest.manifest, opts.manifest.dir)) emitFinding(f);
  if (tracker) for (const d of tracker.removed(stats.roots)) emitDrift(d);

  const summary: AuditSummary = {
    recordType: 'auditSummary',
    schemaVersion: SCHEMA_VERSION,
    roots: stats.roots,
    entries: stats.entries,
    links: linkCount,
    hardLinkGroups: stats.hardLinkGroups,
    dataReparseFiles: stats.dataReparseFiles,
    hardLinkSizes: { ...stats.hardLinkSizes },
    byKind,
    byRule,
    bySeverity,
    findings: findingCount,
    drift: driftCount,
    rulesRun: enabledRules(s),
    failOn: s.failOn,
    exitCode: exitCodeFor(bySeverity, s.failOn, stats.failedRoots, foldersNotWalked),
    reportPath: null,
    graphPath: null,
    baselinePath: null,
    durationMs: stats.durationMs,
  };
  return { summary, findings, drift: drifts, links, baseline: writer ? writer.toDocument(stats.roots) : null };
}

/**
 * manifest-drift: what `ensure` would change, or cannot change, for the manifest (one finding per
 * entry that does not hold). The same planner as ensure, so the audit and Set-LinkState never disagree.
 */
function manifestDrift(platform: Platform, manifest: Manifest, dir: string): RawFinding[] {
  const { plan, errors } = planEnsure(platform, manifest, dir);
  const out: RawFinding[] = [];
  for (const c of plan) {
    if (c.operation === 'none') continue;
    const what =
      c.operation === 'create' && c.oldKind
        ? `is a ${c.oldKind}${c.oldTarget !== null ? ` to ${c.oldTarget}` : ''} where the manifest declares a ${c.kind} to ${String(c.newTarget)}`
        : c.operation === 'create'
          ? `is missing: the manifest declares a ${c.kind} to ${String(c.newTarget)}`
          : `points to ${String(c.oldTarget)}; the manifest declares ${String(c.newTarget)}`;
    out.push({
      rule: 'manifest-drift',
      path: c.path,
      message: `${c.path}: ${what}.`,
      details: { operation: c.operation, kind: c.kind, targetType: c.targetType, expected: c.newTarget, found: c.oldTarget, foundKind: c.oldKind ?? (c.operation === 'retarget' ? c.kind : null) },
    });
  }
  for (const e of errors) {
    out.push({ rule: 'manifest-drift', path: e.path ?? dir, message: `${e.path ?? dir}: ${e.message}`, details: { operation: 'blocked', code: e.code } });
  }
  return out;
}
