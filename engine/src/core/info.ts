/** `info`: what one path is and where it leads, following every hop with loop detection. */
import type { ChainHop, LinkInfo, LinkKind, TargetType } from '../contract/types.js';
import { LinkToolsError } from '../errors.js';
import type { Backend, EntryStat, LinkData, Platform } from '../platform/types.js';
import { SCHEMA_VERSION } from '../version.js';
import { resolveLink, type AccessContext, type Resolution } from './remote.js';

/** Windows and Linux both give up after a bounded number of hops (63 on NTFS, 40 on Linux). */
export const MAX_HOPS = 40;

export interface ChainResult {
  chain: ChainHop[];
  loop: boolean;
  /** The chain stopped at a reparse point that must not be followed (e.g. a cloud placeholder). */
  stoppedUnsafe: boolean;
  /** The chain stopped at a target this machine cannot express (another drive, a UNC path, a volume GUID). */
  unresolvable?: boolean;
  /** Where the chain ends when it ends at an existing entry. */
  finalTarget: string | null;
  finalStat: EntryStat | null;
}

function absolute(platform: Platform, p: string): string {
  if (p.length === 0) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'The path is empty.', p);
  if (p.includes('\0')) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'The path contains a NUL character.', p);
  return platform.defaultBackend.path.resolve(p);
}

export { absolute as absolutePath };

/** Follow a link hop by hop from `start` (whose lstat and link data are known). */
export function followChain(platform: Platform, start: string, maxHops = MAX_HOPS, first?: { st: EntryStat; data: LinkData | null; backend: Backend }): ChainResult {
  const chain: ChainHop[] = [];
  const seen = new Set<string>();
  let cur = start;
  for (let hop = 0; ; hop++) {
    // The first hop's facts may be known already (a tree walk read them): read each link once.
    const known = hop === 0 ? first : undefined;
    const b = known?.backend ?? platform.forPath(cur);
    let st: EntryStat;
    try {
      st = known?.st ?? b.lstat(cur);
    } catch (e) {
      if (e instanceof LinkToolsError && e.code === 'LT_LOOP') return { chain, loop: true, stoppedUnsafe: false, finalTarget: null, finalStat: null };
      if (e instanceof LinkToolsError && (e.code === 'LT_NOT_FOUND' || e.code === 'LT_ACCESS_DENIED')) {
        return { chain, loop: false, stoppedUnsafe: false, finalTarget: null, finalStat: null };
      }
      throw e;
    }
    const data = known ? known.data : b.readLink(cur, st);
    if (!data) return { chain, loop: false, stoppedUnsafe: false, finalTarget: cur, finalStat: st };
    if (seen.has(cur) || hop >= maxHops) return { chain, loop: true, stoppedUnsafe: false, finalTarget: null, finalStat: null };
    seen.add(cur);
    const resolved = data.target === null ? null : b.resolveTarget(b.path.dirname(cur), data.target);
    chain.push({ path: cur, kind: data.kind, target: data.target, resolvedTarget: resolved });
    if (data.reparse && !data.reparse.followSafe) {
      return { chain, loop: false, stoppedUnsafe: true, finalTarget: null, finalStat: null };
    }
    if (resolved === null) return { chain, loop: false, stoppedUnsafe: false, unresolvable: true, finalTarget: null, finalStat: null };
    cur = resolved;
  }
}

function plainKind(st: EntryStat): LinkKind {
  if (st.type === 'directory') return 'directory';
  if (st.type === 'file') return st.nlink > 1 ? 'hardlink' : 'file';
  return 'special';
}

export function typeOf(st: EntryStat | null): TargetType {
  if (!st) return null;
  if (st.type === 'directory') return 'directory';
  if (st.type === 'file') return 'file';
  return null;
}

export interface InspectOptions {
  maxHops?: number;
  /** Predict how the link resolves for this access context (info --remote-client). */
  remote?: { ctx: AccessContext; server: string };
  /** Known lstat/link data of the path (a tree walk already has them). */
  known?: { st: EntryStat; data: LinkData | null; backend: Backend };
}

/** Describe one path. Throws LinkToolsError (e.g. LT_NOT_FOUND) when the path itself cannot be read. */
export function inspect(platform: Platform, p: string, opts: InspectOptions = {}): LinkInfo {
  const abs = opts.known ? p : absolute(platform, p);
  const b = opts.known?.backend ?? platform.forPath(abs);
  const st = opts.known?.st ?? b.lstat(abs);
  const data = opts.known ? opts.known.data : b.readLink(abs, st);
  const info: LinkInfo = {
    recordType: 'linkInfo',
    schemaVersion: SCHEMA_VERSION,
    path: abs,
    kind: data ? data.kind : plainKind(st),
    targetType: null,
    target: null,
    resolvedTarget: null,
    finalTarget: null,
    targetExists: null,
    isRelative: null,
    linkCount: st.nlink,
    fileId: st.fileId,
    size: st.size,
    chain: [],
    loop: false,
    reparse: data?.reparse ?? null,
    backend: b.name,
  };
  if (!data) {
    if (info.kind === 'hardlink') {
      info.targetType = 'file';
      const names = b.hardLinkNames?.(abs);
      if (names) info.hardLinkNames = names.filter((n) => n !== abs);
    }
    return info;
  }
  info.target = data.target;
  info.isRelative = data.target === null ? null : !isAbsoluteTarget(b, data.target);
  const r = followChain(platform, abs, opts.maxHops, opts.known);
  info.chain = r.chain;
  info.loop = r.loop;
  info.resolvedTarget = r.chain[0]?.resolvedTarget ?? null;
  info.finalTarget = r.finalTarget;
  // Unknown (null) when the chain stops at a reparse point it must not follow or at a target this
  // machine cannot reach; false only when the target demonstrably is not there.
  info.targetExists = r.stoppedUnsafe || r.unresolvable ? null : r.finalTarget !== null;
  info.targetType = data.declaredType ?? typeOf(r.finalStat);
  if (opts.remote) info.remote = remoteResolution(b, abs, data, info, opts.remote);
  return info;
}

/** The remote-resolution model applied to a real link; it needs the link's Windows path. */
function remoteResolution(
  b: Backend,
  abs: string,
  data: LinkData,
  info: LinkInfo,
  remote: NonNullable<InspectOptions['remote']>,
): Resolution | { ok: null; reason: string } {
  const kind = data.kind === 'symlink' || data.kind === 'junction' || data.kind === 'mountPoint' ? data.kind : null;
  if (!kind || data.target === null) {
    return { ok: null, reason: `A ${data.kind} is not resolved like a symbolic link or junction: no remote prediction.` };
  }
  const winPath = b.windowsPath?.(abs) ?? null;
  if (!winPath) {
    return { ok: null, reason: 'Remote resolution is modelled for NTFS links only; this link is on a POSIX file system.' };
  }
  const target = data.reparse?.printName || data.target;
  try {
    return resolveLink(
      { kind, target, linkPath: winPath, machine: remote.server, targetType: info.targetType ?? undefined },
      remote.ctx,
    );
  } catch (e) {
    return { ok: null, reason: e instanceof LinkToolsError ? e.message : String(e) };
  }
}

/** A stored target is absolute when it names a root on either platform's rules (C:\, \\srv, /). */
export function isAbsoluteTarget(b: Backend, target: string): boolean {
  return b.path.isAbsolute(target) || /^[A-Za-z]:[\\/]/.test(target) || target.startsWith('\\\\');
}

/** The type the chain actually ends at, for mismatch checks. */
export function actualTargetType(platform: Platform, info: LinkInfo): TargetType {
  if (!info.finalTarget) return null;
  try {
    const b = platform.forPath(info.finalTarget);
    return typeOf(b.lstat(info.finalTarget));
  } catch {
    return null;
  }
}
