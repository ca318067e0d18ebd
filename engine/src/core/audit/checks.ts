/**
 * The per-link rules: one function per rule in LINK_CHECKS (keyed by the rule ids of rules.ts whose
 * scope is 'link'). Each takes the facts the walk and `inspect` already gathered (no extra
 * file-system calls, except type-mismatch's one lstat of an existing final target, the
 * world-writable test and messy-target's check that the tidy target leads to the same place) and
 * returns its finding or null. The rules over the whole tree are in tree-checks.ts.
 */
import type { LinkInfo } from '../../contract/types.js';
import type { EntryStat, LinkData, PathApi, Platform } from '../../platform/types.js';
import { actualTargetType, finalStatOf, type RealPaths } from '../info.js';
import { resolveLink, type AccessContext, type LinkDescription } from '../remote/index.js';
import { classifyNtPath, describeTag, hasDriveLetter, ntToDos, type NtPathKind } from '../../ntfs/index.js';
import type { AuditSettings } from './config.js';
import { shortestRelative, tidyText } from '../maintenance/targets.js';
import { atOrBelow, looksWindows, MountTable, normWin } from './paths.js';
import { RULES, type LinkRuleId, type RuleId } from './rules.js';

export interface RawFinding {
  rule: RuleId;
  path: string;
  message: string;
  details: Record<string, unknown>;
}

/** What one rule says about one link. */
interface Hit {
  message: string;
  details: Record<string, unknown>;
}

interface LinkContext {
  info: LinkInfo;
  data: LinkData;
  /** The link's own lstat (from the walk). */
  st: EntryStat;
  /** The root the link was found under, and its real path when it differs. */
  root: string;
  rootAliases: readonly string[];
  /** The link's path relative to the root, `/` separators. */
  rel: string;
  /** The real folder holding the link (links on its path followed): where the system resolves a relative target. */
  realDir: string;
}

/** What the rules share for a run: settings, the platform, and caches. */
export class CheckEnv {
  private lastDir: string | null = null;
  private lastDirWorldWritable = false;
  constructor(
    readonly platform: Platform,
    readonly s: AuditSettings,
    readonly mounts: MountTable | null,
    readonly realPaths: RealPaths,
  ) {}

  worldWritable(p: string): boolean {
    const b = this.platform.forPath(p);
    const dir = b.path.dirname(p);
    if (dir === this.lastDir) return this.lastDirWorldWritable;
    this.lastDir = dir;
    this.lastDirWorldWritable = false;
    this.lastDirWorldWritable = b.folderWorldWritable?.(dir) ?? false;
    return this.lastDirWorldWritable;
  }
}

type LinkCheck = (c: LinkContext, env: CheckEnv) => Hit | null;

/** Reparse tags whose opening recalls or streams content (labels from the tag table). */
const HYDRATING_LABELS = new Set(['cloud', 'onedrive', 'placeholder', 'hsm', 'projfs', 'storage-sync', 'appx-stream', 'dataless-cim']);

const isSymlinkish = (c: LinkContext) => c.info.kind === 'symlink' || c.info.kind === 'lxSymlink';
const isJunctionish = (c: LinkContext) => c.info.kind === 'junction' || c.info.kind === 'mountPoint';
const chainPaths = (c: LinkContext) => c.info.chain.map((h) => h.path);

/** The NT form of the target (substitute name when there is one) and its path kind. */
function ntFacts(c: LinkContext, env: CheckEnv): { ntTarget: string | null; ntKind: NtPathKind | null; winShaped: boolean; sub: string | null } {
  const sub = c.info.reparse?.substituteName ?? null;
  const ntTarget = sub ?? c.info.target;
  const ntKind = ntTarget !== null && ntTarget.length > 0 ? classifyNtPath(ntTarget) : null;
  const winShaped = c.info.reparse !== null || (ntTarget !== null && (ntTarget.startsWith('\\') || hasDriveLetter(ntTarget))) || env.platform.defaultBackend.path.sep === '\\';
  return { ntTarget, ntKind, winShaped, sub };
}

/** The path API a stored target is written in: Windows targets (and every target on an NTFS backend) use `\`. */
function targetPathApi(c: LinkContext, env: CheckEnv): PathApi {
  const b = env.platform.forPath(c.info.path);
  return b.path;
}

// ---------------------------------------------------------------------------------------------
// Target text: messy and lengthy

/** Number of leading `..` elements. */
function upHops(t: string, windows: boolean): number {
  let n = 0;
  for (const p of t.split(windows ? /[\\/]/ : /\//)) {
    if (p !== '..') break;
    n++;
  }
  return n;
}

function storedTextTarget(c: LinkContext): string | null {
  // Only symbolic links store a path the user wrote; junction and mount-point targets are absolute NT paths.
  if (!isSymlinkish(c) || c.info.target === null || c.info.target === '') return null;
  if (c.info.target.startsWith('\\??\\') || c.info.target.startsWith('\\\\?\\') || c.info.target.startsWith('\\\\.\\')) return null;
  return c.info.target;
}

function windowsText(c: LinkContext, env: CheckEnv, t: string): boolean {
  return targetPathApi(c, env).sep === '\\' || c.info.reparse !== null || (looksWindows(t) && !t.startsWith('/'));
}

// ---------------------------------------------------------------------------------------------
// The rules

const brokenTarget: LinkCheck = (c) => {
  const { info } = c;
  if (info.loop || info.targetExists !== false) return null;
  const last = info.chain[info.chain.length - 1];
  const missing = last?.resolvedTarget ?? null;
  return {
    message:
      info.chain.length > 1
        ? `Broken: its chain ends at ${missing ?? last?.target ?? '?'}, which does not exist (hop ${info.chain.length}).`
        : `Broken: its target ${info.target ?? '?'} does not exist.`,
    details: { target: info.target, resolvedTarget: info.resolvedTarget, missing, brokenAt: last?.path ?? info.path, hops: info.chain.length },
  };
};

const linkLoop: LinkCheck = (c) => {
  const { info } = c;
  if (!info.loop) return null;
  const paths = chainPaths(c);
  const last = info.chain[info.chain.length - 1];
  const back = last?.resolvedTarget ?? null;
  const at = back === null ? -1 : paths.indexOf(back);
  const cycle = at >= 0 ? paths.slice(at) : null;
  const inCycle = at === 0;
  return {
    message:
      cycle === null
        ? 'Following it does not end: more than the hop limit of links (or the OS reports a loop).'
        : inCycle
          ? `Part of a link loop: ${[...cycle, cycle[0]].join(' -> ')}.`
          : `Leads into a link loop: ${[...cycle, cycle[0]].join(' -> ')}.`,
    details: { target: info.target, chain: paths, cycle, inCycle },
  };
};

const chainTooLong: LinkCheck = (c, env) => {
  const { info } = c;
  if (info.loop || info.targetExists === false || info.chain.length <= env.s.maxChain) return null;
  return {
    message: `Resolves only through ${info.chain.length} links (more than ${env.s.maxChain}).`,
    details: { hops: info.chain.length, maxChain: env.s.maxChain, chain: chainPaths(c), finalTarget: info.finalTarget },
  };
};

const escapesRoot: LinkCheck = (c) => {
  const r = c.info.resolvedTarget;
  if (r === null || c.rootAliases.some((a) => atOrBelow(a, r))) return null;
  return { message: `Points outside the audited root ${c.root}: ${r}.`, details: { target: c.info.target, resolvedTarget: r, root: c.root } };
};

const absoluteTarget: LinkCheck = (c) => {
  if (!isSymlinkish(c) || c.info.isRelative !== false) return null;
  return { message: `Stores the absolute target ${c.info.target}; it breaks when the tree moves.`, details: { target: c.info.target } };
};

const remoteTarget: LinkCheck = (c, env) => {
  const { info } = c;
  const { ntTarget, ntKind, winShaped } = ntFacts(c, env);
  if (ntKind === 'unc' && winShaped && info.kind !== 'appExecLink') {
    // Host and share from the Win32 form: every NT spelling (\??\UNC\, \\?\UNC\, \\.\UNC\, \GLOBAL??\UNC\, / for \) becomes \\host\share.
    const m = /^[\\/]{2}([^\\/]+)[\\/]([^\\/]+)/.exec(ntToDos(ntTarget!).path);
    return { message: `Points to another machine: ${ntTarget}.`, details: { target: info.target, via: 'unc', host: m?.[1] ?? null, share: m?.[2] ?? null } };
  }
  if (env.mounts && info.resolvedTarget && !looksWindows(info.resolvedTarget)) {
    const tm = env.mounts.find(info.finalTarget ?? info.resolvedTarget);
    if (MountTable.isNetwork(tm) && env.mounts.find(info.path) !== tm) {
      return {
        message: `Points to a network file system (${tm!.fsType} ${tm!.source}).`,
        details: { target: info.target, via: 'network-mount', fsType: tm!.fsType, source: tm!.source, mountPoint: tm!.mountPoint },
      };
    }
  }
  return null;
};

const junctionNotLocal: LinkCheck = (c, env) => {
  const { ntTarget, ntKind, sub } = ntFacts(c, env);
  if (!isJunctionish(c) || ntKind === null || (ntKind !== 'unc' && ntKind !== 'relative' && ntKind !== 'rooted')) return null;
  return {
    message: `A ${c.info.kind === 'junction' ? 'junction' : 'mount point'} to ${ntTarget}, which is not a local absolute path; Windows will not follow it.`,
    details: { target: c.info.target, substituteName: sub, pathKind: ntKind },
  };
};

const typeMismatch: LinkCheck = (c, env) => {
  const { info, data } = c;
  if (!data.declaredType || !(info.kind === 'symlink' || isJunctionish(c)) || !info.targetExists) return null;
  const actual = actualTargetType(env.platform, info);
  if (!actual || actual === data.declaredType) return null;
  return {
    message: `Declared a ${data.declaredType} link but its target ${info.finalTarget} is a ${actual}.`,
    details: { declaredType: data.declaredType, actualType: actual, target: info.target, finalTarget: info.finalTarget },
  };
};

const remoteUnresolvable: LinkCheck = (c, env) => {
  const { info } = c;
  const target = info.target;
  if (!env.s.policy || !target || !(info.kind === 'symlink' || isJunctionish(c))) return null;
  const kind: LinkDescription['kind'] = info.kind === 'symlink' ? 'symlink' : info.kind === 'junction' ? 'junction' : 'mountPoint';
  // A Windows path is used as is; a POSIX tree is treated as the root of a share (X:\ = the root).
  let linkPath = info.path;
  if (!looksWindows(linkPath)) linkPath = `X:\\${c.rel.split('/').join('\\')}`;
  const ctx: AccessContext = { mode: 'remote', client: 'REMOTE-CLIENT', policy: env.s.policy };
  try {
    const r = resolveLink({ kind, target, linkPath, machine: 'LINK-HOST' }, ctx);
    if (r.ok) return null;
    return {
      message: `Will not resolve for a remote client: ${r.reason}`,
      details: { target, failure: r.failure, evaluationClass: r.evaluationClass, policy: r.policy, accessPath: r.accessPath, osError: r.osError },
    };
  } catch {
    return null; // a target the model cannot place (e.g. not a Windows path form): no verdict
  }
};

const sensitiveTarget: LinkCheck = (c, env) => {
  const { info } = c;
  const sens = env.s.sensitive;
  if (sens.match(info.path)) return null; // system locations link among themselves
  // An app execution alias is only read by CreateProcess: file I/O never follows it, so it cannot
  // redirect a privileged write (every alias in WindowsApps points into Program Files).
  if (info.kind === 'appExecLink') return null;
  if (env.s.writableScope === 'world-writable' && !env.worldWritable(info.path)) return null;
  const hops = [...info.chain.map((h) => h.resolvedTarget), info.finalTarget];
  if (info.target && looksWindows(info.target)) hops.push(info.target);
  for (const h of hops) {
    if (!h) continue;
    const loc = sens.match(h);
    if (loc) {
      return {
        message: `Points into the system location ${loc}: ${h}.`,
        details: { target: info.target, resolvedTarget: info.resolvedTarget, sensitivePath: loc, hop: h, scope: env.s.writableScope },
      };
    }
  }
  return null;
};

const printNameMismatch: LinkCheck = (c) => {
  const rp = c.info.reparse;
  if (!rp || !rp.printName || !rp.substituteName || !(c.info.kind === 'symlink' || isJunctionish(c))) return null;
  const subDos = ntToDos(rp.substituteName).path;
  const norm = (s: string) => s.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();
  if (norm(rp.printName) === norm(subDos) || norm(rp.printName) === norm(rp.substituteName)) return null;
  return {
    message: `Shows "${rp.printName}" but really leads to "${subDos}".`,
    details: { printName: rp.printName, substituteName: rp.substituteName, substituteAsDos: subDos },
  };
};

const objectManagerTarget: LinkCheck = (c, env) => {
  const { ntTarget, ntKind, winShaped, sub } = ntFacts(c, env);
  if (ntKind !== 'device' || !winShaped || !(c.info.kind === 'symlink' || isJunctionish(c))) return null;
  return { message: `Targets the object-manager path ${ntTarget}, not a file.`, details: { target: c.info.target, substituteName: sub, pathKind: ntKind } };
};

const unsafeReparseTag: LinkCheck = (c) => {
  const rp = c.info.reparse;
  if (!rp) return null;
  const t = describeTag(rp.tag);
  const malformed = (rp.details as Record<string, unknown> | undefined)?.['malformed'];
  if (typeof malformed === 'string') {
    // Data that does not parse: what the entry is cannot be known, so it is never followed, and
    // remove / create --force refuse it (LT_BAD_REPARSE_DATA).
    return {
      message: `Malformed ${t.name} reparse data (${malformed}); it is not followed, and LinkTools will not remove or replace it.`,
      details: { tag: rp.tag, tagHex: rp.tagHex, tagName: t.name, label: t.label, known: t.known, malformed, code: 'LT_BAD_REPARSE_DATA' },
    };
  }
  if (t.known && !HYDRATING_LABELS.has(t.label)) return null;
  return {
    message: `A ${t.known ? t.label : 'unknown'} reparse point (${t.name}); the audit did not open it. ${t.reason}`,
    details: { tag: rp.tag, tagHex: rp.tagHex, tagName: t.name, label: t.label, known: t.known, reason: t.reason },
  };
};

const messyTarget: LinkCheck = (c, env) => {
  const t = storedTextTarget(c);
  if (t === null) return null;
  const win = windowsText(c, env, t);
  const { tidy, reasons } = tidyText(t, win);
  if (reasons.length === 0) return null;
  // Does the tidy text lead where the stored text does? ".." after a name that is a link goes to
  // the link target's parent, not back: only the real paths can tell.
  const P = env.platform.forPath(c.info.path).path;
  const sep = P.sep;
  const raw = (x: string) => (P.isAbsolute(x) ? x : `${c.realDir}${c.realDir.endsWith(sep) ? '' : sep}${x}`);
  // Windows text on a backend with POSIX paths names nothing this backend can resolve: no verdict.
  const askable = !win || sep === '\\';
  const a = askable ? env.realPaths.of(raw(t)) : null;
  const b = askable ? env.realPaths.of(raw(tidy)) : null;
  const sameTarget = a === null || b === null ? null : win ? normWin(a) === normWin(b) : a === b;
  const words: Record<string, string> = {
    'empty-element': 'an empty element (//)',
    'dot-element': 'a "." element',
    'name-then-dot-dot': 'a name undone by ".."',
    'trailing-separator': 'a trailing separator',
  };
  return {
    message: `The target ${t} has ${reasons.map((r) => words[r]).join(', ')}; tidy: ${tidy}${sameTarget === false ? ' (which leads elsewhere: a name before ".." is a link)' : ''}.`,
    details: { target: t, tidyTarget: tidy, reasons, sameTarget },
  };
};

const lengthyTarget: LinkCheck = (c, env) => {
  const t = storedTextTarget(c);
  if (t === null || c.info.isRelative !== true) return null;
  const win = windowsText(c, env, t);
  const tidy = tidyText(t, win).tidy;
  const hops = upHops(tidy, win);
  if (hops === 0) return null;
  const P = env.platform.forPath(c.info.path).path;
  const abs = P.resolve(c.realDir, tidy);
  const shorter = shortestRelative(P, c.realDir, tidy);
  if (P.isAbsolute(shorter) || hasDriveLetter(shorter)) return null;
  const needed = upHops(shorter, win);
  if (needed >= hops) return null;
  return {
    message: `The target ${t} climbs ${hops} folder${hops === 1 ? '' : 's'} up where ${needed} would do: ${shorter} leads to the same ${abs}.`,
    details: { target: t, shorterTarget: shorter, hops, neededHops: needed, resolvedTarget: abs },
  };
};

/** The volume a Windows path names: drive letter, volume GUID or \\server\share (lower case). */
function volumeOf(p: string): string | null {
  const n = normWin(p);
  // normWin reads \\.\C:\x as C:\x and \\.\UNC\srv\share as that share; any other device
  // (\\.\pipe\x, \\.\PhysicalDrive0) keeps its prefix and is no volume this rule can name.
  if (n.startsWith('\\\\.\\')) return null;
  const m = /^([a-z]:)|^(volume\{[0-9a-f-]+\})|^(\\\\[^\\]+\\[^\\]+)/.exec(n);
  return m ? (m[1] ?? m[2] ?? m[3])! : null;
}

const otherFilesystem: LinkCheck = (c) => {
  const { info } = c;
  const fin = finalStatOf(info);
  if (fin) {
    if (fin.dev === c.st.dev) return null;
    return {
      message: `Leads to ${info.finalTarget}, on another file system (device ${fin.dev} vs ${c.st.dev} of the link).`,
      details: { target: info.target, finalTarget: info.finalTarget, linkDevice: String(c.st.dev), targetDevice: String(fin.dev), basis: 'device' },
    };
  }
  // Not reachable here (a drive or share this machine does not have, or missing): the names tell on Windows.
  if (info.loop || !info.resolvedTarget || !looksWindows(info.path) || !looksWindows(info.resolvedTarget)) return null;
  const from = volumeOf(info.path);
  const to = volumeOf(info.resolvedTarget);
  if (from === null || to === null || from === to) return null;
  return {
    message: `Leads to ${info.resolvedTarget}, on another volume (${to}) than the link (${from}).`,
    details: { target: info.target, finalTarget: null, linkVolume: from, targetVolume: to, basis: 'volume-name' },
  };
};

/** Every per-link rule, by id: the table (rules.ts) says which ones exist; this says how each is judged. */
export const LINK_CHECKS: { readonly [K in LinkRuleId]: LinkCheck } = {
  'broken-target': brokenTarget,
  'link-loop': linkLoop,
  'chain-too-long': chainTooLong,
  'escapes-root': escapesRoot,
  'absolute-target': absoluteTarget,
  'remote-target': remoteTarget,
  'junction-not-local': junctionNotLocal,
  'type-mismatch': typeMismatch,
  'remote-unresolvable': remoteUnresolvable,
  'sensitive-target': sensitiveTarget,
  'print-name-mismatch': printNameMismatch,
  'object-manager-target': objectManagerTarget,
  'unsafe-reparse-tag': unsafeReparseTag,
  'messy-target': messyTarget,
  'lengthy-target': lengthyTarget,
  'other-filesystem': otherFilesystem,
};

/** Runs the enabled per-link rules, in table order. */
export class LinkChecker {
  private readonly active: [LinkRuleId, LinkCheck][];
  constructor(private readonly env: CheckEnv) {
    this.active = RULES.filter((r) => r.scope === 'link' && env.s.rules.get(r.id)!.enabled).map((r) => [r.id as LinkRuleId, LINK_CHECKS[r.id as LinkRuleId]]);
  }

  check(c: LinkContext): RawFinding[] {
    const out: RawFinding[] = [];
    for (const [rule, fn] of this.active) {
      const hit = fn(c, this.env);
      if (hit) out.push({ rule, path: c.info.path, message: `${c.info.path}: ${hit.message}`, details: hit.details });
    }
    return out;
  }
}
