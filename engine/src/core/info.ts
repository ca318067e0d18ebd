/** `info`: what one path is and where it leads, following every hop with loop detection. */
import type { ChainHop, LinkInfo, LinkKind, TargetType } from '../contract/types.js';
import { LinkToolsError } from '../errors.js';
import type { Backend, EntryStat, LinkData, Platform } from '../platform/types.js';
import { SCHEMA_VERSION } from '../version.js';
import { isDataFile } from '../platform/classify.js';
import { realPathVia } from '../platform/chain.js';
import { resolveLink, type AccessContext, type Resolution } from './remote/index.js';
import { isWin32Absolute } from '../ntfs/ntpath.js';

/** Windows and Linux both give up after a bounded number of hops (63 on NTFS, 40 on Linux). */
export const MAX_HOPS = 40;

interface ChainResult {
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

/**
 * Real paths the way the OS reaches them: every link on the path is followed (a relative target
 * against the real folder reached so far), `..` goes to the parent of the real folder. One
 * instance caches what it learnt (real folder + name -> real path), so a tree walk asks each
 * folder once; make a new one when the tree may have changed.
 */
export class RealPaths {
  private readonly cache = new Map<string, string>();
  /** Whole paths the OS resolved (POSIX fast path). */
  private readonly whole = new Map<string, string>();
  constructor(
    private readonly platform: Platform,
    private readonly maxHops = MAX_HOPS,
  ) {}

  /**
   * Take `p` as a real path without asking: a folder a tree walk entered by handle from a real root
   * (never following a link) is one. Only for paths the caller knows that of.
   */
  assumeReal(p: string): void {
    if (this.whole.size > 100_000) this.whole.clear();
    this.whole.set(p, p);
  }

  /** The real path of `p`; components below a missing (or unreadable) one are joined as given. Null on a loop. */
  of(p: string): string | null {
    const known = this.whole.get(p);
    if (known !== undefined) return known;
    const b = this.platform.forPath(p);
    if (b.realPath) {
      // The OS does this in one call where the backend offers it; the answer must land on the same
      // backend (not in an ntfs-3g mount, whose links only our own reader follows right).
      try {
        const real = b.realPath(p);
        if (this.platform.forPath(real) === b) {
          if (this.whole.size > 100_000) this.whole.clear();
          this.whole.set(p, real);
          return real;
        }
      } catch {
        /* missing or unreadable on the way: walk it component by component */
      }
    }
    return this.walk(p, { hops: this.maxHops });
  }

  /** The real folder a link in `dir` is resolved against (`dir` itself when it cannot be read). */
  folder(dir: string): string {
    return this.of(dir) ?? dir;
  }

  private walk(p: string, budget: { hops: number }): string | null {
    return realPathVia((q) => this.platform.forPath(q), this.platform.forPath(p).path, p, budget, this.cache);
  }
}

/** The lstat of where an inspected link's chain ends (its device says which file system that is). */
const FINAL_STATS = new WeakMap<LinkInfo, EntryStat>();

/** The lstat of the entry an inspected link's chain ended at (null when it did not end at one). */
export function finalStatOf(info: LinkInfo): EntryStat | null {
  return FINAL_STATS.get(info) ?? null;
}

/**
 * Follow a link hop by hop from `start` (whose lstat and link data are known). A relative target
 * is resolved against the real folder of the link (links on the link's own path followed first),
 * as the system does: a link `j/l -> ../x` under a folder link `j -> /real` leads to `/x`.
 */
function followChain(
  platform: Platform,
  start: string,
  maxHops = MAX_HOPS,
  real: RealPaths = new RealPaths(platform),
  /** The first hop's facts when they are known already (a tree walk read them): each link is read once. */
  first?: { st: EntryStat; data: LinkData | null; backend: Backend },
): ChainResult {
  const chain: ChainHop[] = [];
  const seen = new Set<string>();
  let cur = start;
  for (let hop = 0; ; hop++) {
    // The first hop's facts may be known already (a tree walk read them): read each link once.
    const known = hop === 0 ? first : undefined;
    const b = known?.backend ?? platform.forPath(cur);
    let st: EntryStat;
    // Each hop's own entry, reached through its real folder (what the OS opens).
    const name = b.path.basename(cur);
    const parent = b.path.dirname(cur);
    const dir = name === '' || parent === cur ? parent : real.folder(parent);
    const at = hop === 0 || name === '' || parent === cur ? cur : b.path.join(dir, name);
    try {
      st = known?.st ?? b.lstat(at);
    } catch (e) {
      if (e instanceof LinkToolsError && e.code === 'LT_LOOP') return { chain, loop: true, stoppedUnsafe: false, finalTarget: null, finalStat: null };
      if (e instanceof LinkToolsError && (e.code === 'LT_NOT_FOUND' || e.code === 'LT_ACCESS_DENIED')) {
        return { chain, loop: false, stoppedUnsafe: false, finalTarget: null, finalStat: null };
      }
      throw e;
    }
    const data = known ? known.data : b.readLink(at, st);
    if (!data || isDataFile(data)) return { chain, loop: false, stoppedUnsafe: false, finalTarget: cur, finalStat: st };
    const key = at === cur ? cur : b.path.join(dir, name);
    if (seen.has(key) || hop >= maxHops) return { chain, loop: true, stoppedUnsafe: false, finalTarget: null, finalStat: null };
    seen.add(key);
    const resolved = data.target === null ? null : b.resolveTarget(dir, data.target);
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
  /** Real folders learnt so far (a tree walk shares one); default: a fresh one per call. */
  realPaths?: RealPaths;
}

/** Describe one path. Throws LinkToolsError (e.g. LT_NOT_FOUND) when the path itself cannot be read. */
export function inspect(platform: Platform, p: string, opts: InspectOptions = {}): LinkInfo {
  const abs = opts.known ? p : absolute(platform, p);
  const b = opts.known?.backend ?? platform.forPath(abs);
  const st = opts.known?.st ?? b.lstat(abs);
  const linkData = opts.known ? opts.known.data : b.readLink(abs, st);
  // A reparse point that carries the file's own data (dedup, WOF, a hydrated cloud file, ...) is a file.
  const dataFile = linkData !== null && isDataFile(linkData);
  const data = dataFile ? null : linkData;
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
    reparse: linkData?.reparse ?? null,
    backend: b.name,
  };
  if (dataFile) {
    info.kind = st.nlink > 1 ? 'hardlink' : 'file';
    info.targetType = 'file';
  }
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
  const r = followChain(platform, abs, opts.maxHops, opts.realPaths, opts.known);
  if (r.finalStat) FINAL_STATS.set(info, r.finalStat);
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
function remoteResolution(b: Backend, abs: string, data: LinkData, info: LinkInfo, remote: NonNullable<InspectOptions['remote']>): Resolution | { ok: null; reason: string } {
  const kind = data.kind === 'symlink' || data.kind === 'junction' || data.kind === 'mountPoint' ? data.kind : null;
  if (!kind || data.target === null) {
    return { ok: null, reason: `A ${data.kind} is not resolved like a symbolic link or junction: no remote prediction.` };
  }
  // A backend on Windows paths (win32, the mock in Windows mode) has the Windows path already.
  const winPath = b.windowsPath?.(abs) ?? (b.path.sep === '\\' ? abs : null);
  if (!winPath) {
    return { ok: null, reason: 'Remote resolution is modelled for NTFS links only; this link is on a POSIX file system.' };
  }
  const target = data.reparse?.printName || data.target;
  try {
    return resolveLink({ kind, target, linkPath: winPath, machine: remote.server, targetType: info.targetType ?? undefined }, remote.ctx);
  } catch (e) {
    return { ok: null, reason: e instanceof LinkToolsError ? e.message : String(e) };
  }
}

/** A stored target is absolute when it names a root on either platform's rules (C:\, \\srv, /). */
export function isAbsoluteTarget(b: Backend, target: string): boolean {
  return b.path.isAbsolute(target) || isWin32Absolute(target);
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
