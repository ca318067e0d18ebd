/**
 * The remote-resolution model: where a Windows link leads when it is opened locally or by another
 * machine over SMB, and whether the opener's SymlinkEvaluation policy lets it be followed at all.
 *
 * Pure: no file-system or network access, no process state (path.win32.resolve is never called,
 * because it falls back to process.cwd()). Every value returned is plain JSON.
 *
 * The rules it encodes:
 * - A junction (or volume mount point) is resolved by the machine that HOLDS it ("server"); its
 *   target is always a local absolute path on that machine. Windows refuses to create one that
 *   points to a UNC path, and refuses to create one on a remote (SMB) volume.
 * - A symbolic link is resolved by the machine that OPENS the path ("client"). Over SMB the server
 *   hands the stored target back to the client (MS-SMB2 2.2.2.2.1.1): an absolute target such as
 *   C:\T_Dir then names the CLIENT's own disk; a UNC target is opened by the client; a relative
 *   target replaces the link's last element in the path the client used, so it stays on the
 *   server, under the same share.
 * - The opener's SymlinkEvaluation policy (fsutil behavior set SymlinkEvaluation) decides whether a
 *   symbolic link is followed. The first letter is where the link is, seen from the opener
 *   (L: a local volume, R: reached over SMB); the second is where the stored target points, seen
 *   from the link's machine (L: a local form — drive, volume or relative path; R: a UNC path).
 *   So an absolute C:\ target and a relative target, opened over SMB, both need R2L; a UNC target
 *   opened over SMB needs R2R. When the class is off Windows fails the open with
 *   ERROR_SYMLINK_CLASS_DISABLED (1463), "The symbolic link cannot be followed because its type is
 *   disabled." Junctions are not subject to the policy.
 */
import path from 'node:path';

import type { RemoteResolution, TargetType } from '../../contract/types.js';
import { LinkToolsError, type ErrorCode } from '../../errors.js';
import { adminShareOf, classifyNtPath, isAdminShareName, isDriveRoot } from '../../ntfs/ntpath.js';
import type { RemoteLinkKind } from './creation.js';
import { checkPolicy, CLASS_WORDS, DEFAULT_POLICY, formatPolicy, symlinkEvaluationClass, type Policy } from './policy.js';
import { below, clampToRoot, isLocalAbsolute, isLoopback, joinRelative, parseTarget, sameHost, sameText, type ParsedTarget } from './paths.js';

const win32 = path.win32;

/** A share on the machine that holds the link. */
export interface Share {
  /** Share name, e.g. "C$" or "Data". */
  name: string;
  /** The folder it exposes on that machine, e.g. "C:\\" or "D:\\Data". */
  path: string;
}

export interface LinkDescription {
  kind: RemoteLinkKind;
  /** The target exactly as stored: C:\T_Dir, \\Sv2\T_Dir, ..\data, \\?\Volume{…}\, \??\C:\T_Dir. */
  target: string;
  /**
   * Where the link is. Either its path on its own machine (C:\MyLink, D:\_tmp\data-link,
   * \\?\Volume{…}\link), or — remote access only — the UNC path the client uses
   * (\\Alice\Data\link), when the link's local path is not known.
   */
  linkPath: string;
  /** Host that holds the link ("Alice"). Optional when linkPath is a UNC path (its host is used). */
  machine?: string;
  targetType?: NonNullable<TargetType>;
}

export type AccessContext =
  | {
      mode: 'local';
      /** SymlinkEvaluation on this machine; DEFAULT_POLICY when absent. */
      policy?: Policy;
    }
  | {
      mode: 'remote';
      /** The machine that opens the path ("Bob"). */
      client: string;
      /**
       * The share through which the client reaches the link. Default: the admin share of the link's
       * drive (C:\MyLink → { name: 'C$', path: 'C:\\' }). Ignored when linkPath is a UNC path, except
       * that its `path` tells where that share is on the server when the names match.
       */
      share?: Share;
      /**
       * Other shares on the link's machine that the client can open, used to name a junction's
       * target as a UNC path. When the client came in through an admin share (X$), the admin
       * share of every drive is assumed reachable too: they exist by default and need the same
       * administrator rights.
       */
      shares?: readonly Share[];
      /** SymlinkEvaluation on the CLIENT; DEFAULT_POLICY when absent. */
      policy?: Policy;
    };

/** Why a resolution failed, as a stable word (ok: true → null). */
type ResolutionFailure = NonNullable<Resolution['failure']>;

/**
 * How one link resolves for one opener: the contract's remoteResolution (common.schema.json, where
 * every field is described). "server" is the machine that holds the link, "client" the machine that
 * opens it; in local mode they are the same machine, and a target on its own disk is reported on
 * the side whose rule applied (junction: server, symbolic link: client).
 */
export type Resolution = RemoteResolution;

interface Where {
  machine: string;
  /** The share the client uses (remote only). */
  share: { name: string; path: string | null } | null;
  accessPath: string;
}

function invalid(message: string): LinkToolsError {
  return new LinkToolsError('LT_INVALID_ARGUMENT', message);
}

function checkHost(name: unknown, what: string): string {
  if (typeof name !== 'string' || !/^[^\\/:*?"<>|\s]+$/.test(name)) throw invalid(`The ${what} name "${String(name)}" is not a valid host name.`);
  return name;
}

function checkShare(share: Share, what: string): Share {
  if (!share || typeof share.name !== 'string' || !/^[^\\/:*?"<>|]+$/.test(share.name)) {
    throw invalid(`The ${what} share name "${String(share?.name)}" is not valid.`);
  }
  const p = typeof share.path === 'string' ? parseTarget(share.path) : undefined;
  if (!p || (p.form !== 'drive' && p.form !== 'device')) {
    throw invalid(`The ${what} share "${share.name}" needs the absolute local folder it exposes, not "${String(share.path)}".`);
  }
  return { name: share.name, path: p.path };
}

function adminShareFor(localPath: string): Share | undefined {
  return adminShareOf(localPath) ?? undefined;
}

function isAdminShare(name: string): boolean {
  return isAdminShareName(name);
}

function locate(link: LinkDescription, ctx: AccessContext): Where {
  if (typeof link.linkPath !== 'string') throw invalid('The link path is missing.');
  const l = parseTarget(link.linkPath);
  if (l.form !== 'drive' && l.form !== 'device' && l.form !== 'unc') {
    throw invalid(`The link path "${link.linkPath}" must be absolute: C:\\dir\\link, \\\\?\\Volume{…}\\link or \\\\host\\share\\link.`);
  }

  if (l.form === 'unc') {
    if (ctx.mode !== 'remote') {
      throw invalid(`The link ${link.linkPath} is reached over the network: resolve it in remote mode, naming the client.`);
    }
    const machine = link.machine === undefined ? l.host! : checkHost(link.machine, 'link machine');
    if (!sameHost(machine, l.host!)) throw invalid(`The link path ${link.linkPath} is not on ${machine}.`);
    let sharePath: string | null = null;
    if (ctx.share && sameText(ctx.share.name, l.share!)) sharePath = checkShare(ctx.share, 'access').path;
    else if (isAdminShare(l.share!)) sharePath = `${l.share![0]!.toUpperCase()}:\\`;
    return { machine, share: { name: l.share!, path: sharePath }, accessPath: l.path };
  }

  const machine = checkHost(link.machine, 'link machine');
  if (ctx.mode === 'local') return { machine, share: null, accessPath: l.path };

  const share = ctx.share ? checkShare(ctx.share, 'access') : adminShareFor(l.path);
  if (!share) throw invalid(`The link ${link.linkPath} has no drive letter, so no admin share reaches it: name the share the client uses.`);
  const rest = below(share.path, l.path);
  if (rest === undefined) throw invalid(`The link ${link.linkPath} is not inside the share ${share.name} (${share.path}).`);
  const accessPath = rest ? win32.join(`\\\\${machine}\\${share.name}\\`, rest) : `\\\\${machine}\\${share.name}\\`;
  return { machine, share, accessPath };
}

/** Name a folder on the link's machine as a UNC path through a share the client can open. */
function uncOnServer(where: Where, ctx: AccessContext & { mode: 'remote' }, folder: string): string | null {
  const candidates: Share[] = [];
  if (where.share && where.share.path !== null) candidates.push({ name: where.share.name, path: where.share.path });
  for (const s of ctx.shares ?? []) candidates.push(checkShare(s, 'reachable'));
  if (where.share && isAdminShare(where.share.name)) {
    const admin = adminShareFor(folder);
    if (admin) candidates.push(admin);
  }
  let best: { share: Share; rest: string } | undefined;
  for (const share of candidates) {
    const rest = below(share.path, folder);
    if (rest === undefined) continue;
    // The access share wins ties (it is first); otherwise the deepest share path.
    if (!best || share.path.replace(/\\+$/, '').length > best.share.path.replace(/\\+$/, '').length) best = { share, rest };
  }
  if (!best) return null;
  const root = `\\\\${where.machine}\\${best.share.name}\\`;
  return best.rest ? win32.join(root, best.rest) : root;
}

function leadsToHost(host: string, opener: string, holder: string): 'server' | 'client' | 'third-party' {
  if (isLoopback(host) || sameHost(host, opener)) return 'client';
  if (sameHost(host, holder)) return 'server';
  return 'third-party';
}

/**
 * Where `link` leads when opened as `ctx` says. Malformed input (no machine, a relative link path,
 * an empty target, a share that does not contain the link) throws LT_INVALID_ARGUMENT; a link that
 * exists but cannot be followed is an ok: false Resolution, never an exception.
 */
export function resolveLink(link: LinkDescription, ctx: AccessContext): Resolution {
  if (!link || typeof link !== 'object') throw invalid('The link description is missing.');
  if (link.kind !== 'symlink' && link.kind !== 'junction' && link.kind !== 'mountPoint') {
    throw invalid(`Unknown link kind "${String(link.kind)}": remote resolution covers symlink, junction and mountPoint.`);
  }
  if (typeof link.target !== 'string' || link.target.length === 0) throw invalid('The link target is empty.');
  if (!ctx || (ctx.mode !== 'local' && ctx.mode !== 'remote')) throw invalid('The access mode must be local or remote.');
  const client = ctx.mode === 'remote' ? checkHost(ctx.client, 'client') : undefined;

  const where = locate(link, ctx);
  const opener = client ?? where.machine;
  const t = parseTarget(link.target);
  if (t.form === 'invalid' || t.form === 'driveRelative') {
    throw invalid(`The link target "${link.target}" is not a path a link can hold.`);
  }

  const base = {
    mode: ctx.mode,
    kind: link.kind,
    accessPath: where.accessPath,
  } as const;

  if (classifyNtPath(link.target) === 'device') return objectManagerResolution(link, ctx, where, opener, base);
  if (link.kind !== 'symlink') return resolveJunction(link, ctx, where, t, base);
  return resolveSymlink(link, ctx, where, opener, t, base);
}

type Base = Pick<Resolution, 'mode' | 'kind' | 'accessPath'>;

/**
 * A target in the NT object manager rather than a file system (\RPC Control\…, \??\GLOBALROOT\…,
 * \Device\…, \\.\pipe\…, \\.\PhysicalDrive0): never ok. Whoever resolves it (the server for a
 * junction, the opener for a symbolic link) looks it up in its own object namespace, so the opener
 * gets ERROR_PATH_NOT_FOUND when nothing is there, or whatever an object-manager symbolic link
 * planted there names: the redirection used in link-following privilege escalation.
 */
function objectManagerResolution(link: LinkDescription, ctx: AccessContext, where: Where, opener: string, base: Base): Resolution {
  const symlink = link.kind === 'symlink';
  const policy = ctx.policy ?? DEFAULT_POLICY;
  const resolver = symlink ? opener : where.machine;
  const what = symlink ? 'symbolic link' : link.kind === 'junction' ? 'junction' : 'mount point';
  const via = symlink ? (ctx.mode === 'remote' ? `${opener} resolves a symbolic link itself` : `${opener} resolves it`) : `${where.machine} resolves ${what}s itself`;
  return {
    ...base,
    ok: false,
    resolvedBy: symlink ? 'client' : 'server',
    resolvedOn: resolver,
    evaluationClass: symlink ? symlinkEvaluationClass(ctx.mode === 'remote', link.target) : null,
    policy: symlink ? formatPolicy(policy) : null,
    resolvedTarget: null,
    targetMachine: null,
    targetLocalPath: null,
    leadsTo: 'none',
    errorCode: null,
    osError: { name: 'ERROR_PATH_NOT_FOUND', code: 3 },
    failure: 'objectManagerTarget',
    reason:
      `The ${what} points into the NT object manager (${link.target}), not to a file or folder: ${via}, in ${resolver}'s own object namespace, ` +
      `so ${opener} gets ERROR_PATH_NOT_FOUND (3) when nothing is there, or whatever file an object-manager symbolic link planted there names (the redirection used in link-following privilege escalation). It never leads to a path ${opener} can rely on.`,
  };
}

/** A resolution that fails: nothing resolved, the failure word, the error (if any) and why. */
function failed(
  common: Pick<Resolution, 'mode' | 'kind' | 'accessPath' | 'resolvedBy' | 'resolvedOn' | 'evaluationClass' | 'policy'>,
  failure: ResolutionFailure,
  errorCode: ErrorCode | null,
  osError: Resolution['osError'],
  reason: string,
): Resolution {
  return { ...common, ok: false, resolvedTarget: null, targetMachine: null, targetLocalPath: null, leadsTo: 'none', errorCode, osError, failure, reason };
}

function resolveJunction(link: LinkDescription, ctx: AccessContext, where: Where, t: ParsedTarget, base: Base): Resolution {
  const common = { ...base, resolvedBy: 'server' as const, resolvedOn: where.machine, evaluationClass: null, policy: null };
  const fail = (failure: ResolutionFailure, errorCode: ErrorCode, reason: string): Resolution => failed(common, failure, errorCode, null, reason);

  if (t.form === 'unc') {
    return fail(
      'junctionTargetNotLocal',
      'LT_JUNCTION_TARGET_NOT_LOCAL',
      `The junction points to the network path ${link.target}, which Windows does not follow: a junction must point to a folder local to ${where.machine}.`,
    );
  }
  if (t.form === 'relative' || t.form === 'rooted') {
    return fail('junctionTargetNotAbsolute', 'LT_BAD_REPARSE_DATA', `The junction holds the relative path ${link.target}, but a junction's target must be an absolute local path.`);
  }

  const folder = t.path;
  if (ctx.mode === 'local') {
    return {
      ...common,
      ok: true,
      resolvedTarget: folder,
      targetMachine: where.machine,
      targetLocalPath: folder,
      leadsTo: 'server',
      errorCode: null,
      osError: null,
      failure: null,
      reason: `The junction is resolved by ${where.machine} itself and leads to its folder ${folder}.`,
    };
  }

  const unc = uncOnServer(where, ctx, folder);
  return {
    ...common,
    ok: true,
    resolvedTarget: unc,
    targetMachine: where.machine,
    targetLocalPath: folder,
    leadsTo: 'server',
    errorCode: null,
    osError: null,
    failure: null,
    reason:
      unc !== null
        ? `The junction is resolved by the server ${where.machine}, so ${ctx.client} reaches the server's own folder ${folder} as ${unc}.`
        : `The junction is resolved by the server ${where.machine}, so ${ctx.client} sees the server-local folder ${folder} through ${where.accessPath}, and can reach ${folder} directly only if a share exposes it.`,
  };
}

function resolveSymlink(link: LinkDescription, ctx: AccessContext, where: Where, opener: string, t: ParsedTarget, base: Base): Resolution {
  const remote = ctx.mode === 'remote';
  const policy = ctx.policy ?? DEFAULT_POLICY;
  checkPolicy(policy);
  const cls = symlinkEvaluationClass(remote, link.target);
  const common = {
    ...base,
    resolvedBy: 'client' as const,
    resolvedOn: opener,
    evaluationClass: cls,
    policy: formatPolicy(policy),
  };

  // Where it would lead if followed.
  let resolvedTarget: string;
  let targetMachine: string;
  let targetLocalPath: string | null;
  let leadsTo: 'server' | 'client' | 'third-party';
  let note = '';

  if (t.form === 'unc') {
    resolvedTarget = t.path;
    targetMachine = isLoopback(t.host!) ? opener : t.host!;
    targetLocalPath = null;
    leadsTo = leadsToHost(t.host!, opener, where.machine);
  } else if (isLocalAbsolute(t.form)) {
    // An absolute local target always names the disk of the machine that follows it: the opener's.
    resolvedTarget = t.path;
    targetMachine = opener;
    targetLocalPath = t.path;
    leadsTo = 'client';
  } else {
    // Relative or rooted: replace the link's last element in the path the opener used.
    const dir = win32.dirname(where.accessPath);
    const root = win32.parse(where.accessPath).root;
    if (remote) {
      const inShare = t.form === 'rooted' ? t.path.replace(/^\\+/, '') : joinRelative(below(root, dir) ?? '', t.path);
      if (inShare === null) {
        const shareIsVolumeRoot = where.share?.path !== null && where.share?.path !== undefined && isDriveRoot(where.share.path);
        if (!shareIsVolumeRoot) {
          return failed(
            common,
            'aboveShareRoot',
            null,
            null,
            `The relative target ${link.target} climbs above the root of the share ${root.replace(/\\$/, '')}, which a client resolving it through that share cannot follow to the folder the server would reach.`,
          );
        }
      }
      const rest = inShare ?? clampToRoot(below(root, dir) ?? '', t.path);
      resolvedTarget = rest ? win32.join(root, rest) : root;
      targetMachine = where.machine;
      targetLocalPath = where.share && where.share.path !== null ? (rest ? win32.join(where.share.path, rest) : where.share.path) : null;
      leadsTo = 'server';
      if (t.form === 'rooted' && where.share && !(where.share.path !== null && isDriveRoot(where.share.path))) {
        note = `, which is the root of the share, not of the server's volume`;
      }
    } else {
      resolvedTarget = t.form === 'rooted' ? win32.join(root, t.path) : win32.normalize(win32.join(dir, t.path));
      targetMachine = where.machine;
      targetLocalPath = resolvedTarget;
      leadsTo = 'client';
    }
  }

  if (!policy[cls]) {
    return failed(
      common,
      'classDisabled',
      'LT_SYMLINK_CLASS_DISABLED',
      { name: 'ERROR_SYMLINK_CLASS_DISABLED', code: 1463 },
      `The symbolic link cannot be followed because its type is disabled: it is a ${CLASS_WORDS[cls]} (${cls}), which ${opener} does not follow, and enabling ${cls} there would lead to ${resolvedTarget} on ${targetMachine}.`,
    );
  }

  let reason: string;
  if (!remote) {
    reason = `The symbolic link is resolved by ${opener} itself (${cls}) and leads to ${resolvedTarget}${leadsTo === 'third-party' ? ` on ${targetMachine}` : ''}.`;
  } else if (t.form === 'unc') {
    reason = `The symbolic link is resolved by the client ${opener} (${cls}), which opens ${resolvedTarget} itself with its own credentials.`;
  } else if (isLocalAbsolute(t.form)) {
    reason = `The symbolic link is resolved by the client ${opener} (${cls}), so ${link.target} leads back to ${opener}'s own disk, not to ${where.machine}'s.`;
  } else {
    reason = `The symbolic link is resolved by the client ${opener} (${cls}) against the path it used, so ${link.target} leads to ${resolvedTarget} on the server ${where.machine}${note}.`;
  }
  return {
    ...common,
    ok: true,
    resolvedTarget,
    targetMachine,
    targetLocalPath,
    leadsTo,
    errorCode: null,
    osError: null,
    failure: null,
    reason,
  };
}
