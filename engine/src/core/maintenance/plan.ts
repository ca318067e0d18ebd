/**
 * Planning: every maintenance command first computes its whole plan (change records) from what is on
 * disk, before anything is changed. `--dry-run` prints it; applying runs applyChange per record.
 */
import path from 'node:path';
import type { Change, Manifest } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import type { Platform } from '../../platform/types.js';
import { absolutePath, isAbsoluteTarget, typeOf } from '../info.js';
import { walkLinks } from '../scan/scan.js';
import { change, none } from './change.js';
import { keptType, readState, reach, sameObject, type MaintainedKind } from './state.js';
import { absoluteTarget, apiFor, isInside, rebaseRelative, relativeTarget, replacePrefix, tidyTarget, type PrefixRule } from './targets.js';
import { hasDriveLetter } from '../../ntfs/ntpath.js';

export type RetargetMode = { mode: 'to'; target: string } | { mode: 'replace'; rules: PrefixRule[] } | { mode: 'relative'; boundary?: string } | { mode: 'absolute' } | { mode: 'tidy' };

interface RetargetRequest {
  paths: string[];
  recurse?: boolean;
  how: RetargetMode;
}

const JUNCTION_ABSOLUTE = 'a junction always stores an absolute local path (\\??\\C:\\…): it is resolved by the machine that holds it, so a relative junction cannot exist';

/** The links a retarget looks at: the named links, or with `recurse` every symlink and junction below each folder. */
function candidates(platform: Platform, req: RetargetRequest): { path: string; root: string; named: boolean }[] {
  const out: { path: string; root: string; named: boolean }[] = [];
  for (const p of req.paths) {
    const abs = absolutePath(platform, p);
    const b = platform.forPath(abs);
    const s = readState(b, abs);
    if (req.recurse && s.what === 'real' && s.type === 'directory') {
      walkLinks(
        platform,
        { roots: [abs], kinds: ['symlink', 'junction'], phase: 'retarget' },
        {
          link: (info) => out.push({ path: info.path, root: abs, named: false }),
          unreadable: (u) => {
            throw new LinkToolsError('LT_UNREADABLE', `Part of the tree could not be read, so no plan is made: ${u.error.message}`, u.path);
          },
          rootFailed: (_root, e) => {
            throw e;
          },
        },
      );
    } else {
      if (s.what === 'absent') throw new LinkToolsError('LT_NOT_FOUND', undefined, abs);
      out.push({ path: abs, root: b.path.dirname(abs), named: true });
    }
  }
  return out;
}

function planOne(platform: Platform, linkAbs: string, root: string, named: boolean, how: RetargetMode): Change | null {
  const b = platform.forPath(linkAbs);
  const s = readState(b, linkAbs);
  if (s.what !== 'link' || s.kind === 'hardlink') {
    if (!named) return null;
    const what = s.what === 'link' ? 'a hard link (it has no target: every name is the file itself)' : s.what === 'real' ? `a real ${s.type}` : s.what === 'absent' ? 'nothing' : `a ${s.kind}`;
    throw new LinkToolsError('LT_NOT_A_LINK', `Only symbolic links and junctions can be retargeted; this is ${what}.`, linkAbs);
  }
  const kind = s.kind;
  const old = s.target;
  if (old === null) return named ? none(linkAbs, kind, 'the link has no readable target') : null;
  const keep = (newTarget: string, reason: string, checkSame: boolean): Change | null => {
    if (newTarget === old) return named ? none(linkAbs, kind, 'the target is already in that form', old) : null;
    if (checkSame && !sameObject(platform, b, linkAbs, old, newTarget)) {
      const dangling = reach(platform, b, linkAbs, old) === null;
      return none(
        linkAbs,
        kind,
        dangling ? `left as it is: the target does not resolve, so it cannot be proved that ${newTarget} means the same` : `left as it is: ${newTarget} would not reach the same object as ${old}`,
        old,
      );
    }
    const targetType = keptType(platform, b, linkAbs, s.declaredType, old, newTarget);
    return change({ operation: 'retarget', path: linkAbs, kind, targetType, oldTarget: old, newTarget, reason });
  };
  const relative = !isAbsoluteTarget(b, old);
  switch (how.mode) {
    case 'to':
      return keep(how.target, `retarget to ${how.target}`, false);
    case 'replace': {
      const t = replacePrefix(b, old, how.rules);
      if (t === null) return named ? none(linkAbs, kind, 'the target starts with none of the --replace prefixes', old) : null;
      return keep(t, `prefix rebased: ${old} -> ${t}`, false);
    }
    case 'relative': {
      if (kind === 'junction') return none(linkAbs, kind, `left absolute: ${JUNCTION_ABSOLUTE}`, old);
      if (relative) return named ? none(linkAbs, kind, 'the target is already relative', old) : null;
      const api = apiFor(b, old);
      const boundary = how.boundary ?? root;
      const boundaryInForm = api === b.path ? boundary : (b.windowsPath?.(boundary) ?? null);
      if (boundaryInForm === null || !isInside(api, boundaryInForm, old)) {
        return none(linkAbs, kind, `left absolute: the target lies outside the boundary ${boundary} (a relative form would climb out of the tree and break when it is copied)`, old);
      }
      const rel = relativeTarget(b, linkAbs, old);
      if (rel === null) return none(linkAbs, kind, 'left absolute: no relative path reaches the target (another volume)', old);
      return keep(rel, 'made relative (the target lies inside the boundary)', true);
    }
    case 'absolute': {
      if (!relative) return named ? none(linkAbs, kind, 'the target is already absolute', old) : null;
      return keep(absoluteTarget(b, linkAbs, old), 'made absolute', true);
    }
    case 'tidy': {
      const t = tidyTarget(b, linkAbs, old);
      return keep(t, `tidied: ${old} -> ${t}`, true);
    }
  }
}

export function planRetarget(platform: Platform, req: RetargetRequest): Change[] {
  const plan: Change[] = [];
  for (const c of candidates(platform, req)) {
    const ch = planOne(platform, c.path, c.root, c.named, req.how);
    if (ch) plan.push(ch);
  }
  return plan;
}

/** `move <link> <dest>`: the link goes, never its target's contents; a relative target is rebased. */
export function planMove(platform: Platform, link: string, dest: string): Change {
  const src = absolutePath(platform, link);
  const b = platform.forPath(src);
  const s = readState(b, src);
  if (s.what === 'absent') throw new LinkToolsError('LT_NOT_FOUND', undefined, src);
  if (s.what !== 'link') {
    throw new LinkToolsError('LT_NOT_A_LINK', `move moves links only; this is ${s.what === 'real' ? `a real ${s.type}` : `a ${s.kind}`} (use Move-Item for real files and folders).`, src);
  }
  let to = absolutePath(platform, dest);
  const db = platform.forPath(to);
  const ds = readState(db, to);
  let destDir = false;
  if (ds.what === 'real' && ds.type === 'directory') destDir = true;
  else if (ds.what === 'link' && ds.kind !== 'hardlink') {
    let st = null;
    try {
      st = db.stat(to);
    } catch {
      st = null;
    }
    destDir = typeOf(st) === 'directory';
  }
  if (destDir) to = db.path.join(to, b.path.basename(src));
  if (to === src) return none(src, s.kind, 'the link is already there', s.target);
  const tb = platform.forPath(to);
  if (readState(tb, to).what !== 'absent') throw new LinkToolsError('LT_EXISTS', 'Something already exists at the destination: nothing was moved.', to);
  if (s.kind === 'hardlink') {
    return change({ operation: 'move', path: src, kind: 'hardlink', targetType: 'file', newPath: to, reason: 'hard-link name moved (same volume; the data stays where it is)' });
  }
  let newTarget = s.target;
  let reason = 'moved; the absolute target stays as it is';
  if (s.target !== null && !isAbsoluteTarget(b, s.target)) {
    const rebased = rebaseRelative(b, src, to, s.target);
    if (rebased === null) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'The relative target cannot be expressed from the destination (another volume): retarget it --absolute first.', src);
    newTarget = rebased;
    reason = `moved; relative target rebased so it still reaches the same place: ${s.target} -> ${rebased}`;
  }
  const targetType = keptType(platform, b, src, s.declaredType, s.target);
  return change({ operation: 'move', path: src, kind: s.kind, targetType, oldTarget: s.target, newTarget, newPath: to, reason });
}

interface EnsureResult {
  plan: Change[];
  /** Per-entry failures that make no change record (a real file in the way, a missing folder). */
  errors: LinkToolsError[];
}

function manifestEntryPath(platform: Platform, manifestDir: string, p: string): string {
  const P = platform.defaultBackend.path;
  return P.isAbsolute(p) ? P.normalize(p) : P.resolve(manifestDir, p);
}

/** Converge the tree to a manifest: create missing links, retarget wrong ones, replace wrong links only when allowed. */
export function planEnsure(platform: Platform, manifest: Manifest, manifestDir: string): EnsureResult {
  const plan: Change[] = [];
  const errors: LinkToolsError[] = [];
  const seen = new Set<string>();
  for (const [i, e] of manifest.links.entries()) {
    const linkAbs = manifestEntryPath(platform, manifestDir, e.path);
    if (seen.has(linkAbs)) {
      errors.push(new LinkToolsError('LT_BAD_MANIFEST', `Entry ${i + 1} names ${e.path} a second time.`, linkAbs));
      continue;
    }
    seen.add(linkAbs);
    try {
      const ch = ensureOne(platform, linkAbs, e);
      plan.push(ch);
    } catch (err) {
      errors.push(err instanceof LinkToolsError ? err : new LinkToolsError('LT_INTERNAL', String(err), linkAbs));
    }
  }
  return { plan, errors };
}

function ensureOne(platform: Platform, linkAbs: string, e: Manifest['links'][number]): Change {
  const b = platform.forPath(linkAbs);
  const kind: MaintainedKind = e.kind;
  const s = readState(b, linkAbs);
  const wanted = kind === 'hardlink' ? b.path.resolve(b.path.dirname(linkAbs), e.target) : e.target;
  const targetType = kind === 'hardlink' ? 'file' : kind === 'junction' ? 'directory' : (e.targetType ?? keptType(platform, b, linkAbs, null, e.target));
  if (s.what === 'absent') {
    const parent = b.path.dirname(linkAbs);
    if (readState(b, parent).what === 'absent') throw new LinkToolsError('LT_NOT_FOUND', `The folder that should hold the link does not exist: ${parent}`, linkAbs);
    return change({ operation: 'create', path: linkAbs, kind, targetType, newTarget: wanted, reason: 'missing: created as the manifest declares' });
  }
  if (s.what === 'real') {
    if (kind === 'hardlink' && s.type === 'file' && reach(platform, b, linkAbs, wanted)?.fileId === s.st.fileId) {
      return none(linkAbs, kind, 'holds: this name is already the declared file', wanted);
    }
    throw new LinkToolsError('LT_EXISTS', `A real ${s.type} is where the manifest declares a ${kind}: it is never replaced.`, linkAbs);
  }
  if (s.what === 'other-link') {
    throw new LinkToolsError('LT_EXISTS', `A ${s.kind} is where the manifest declares a ${kind}: LinkTools does not replace it.`, linkAbs);
  }
  // A link is there.
  if (s.kind === kind) {
    if (kind === 'hardlink') {
      if (reach(platform, b, linkAbs, wanted)?.fileId === s.st.fileId) return none(linkAbs, kind, 'holds', wanted);
    } else {
      const sameText = s.target === e.target || (kind === 'junction' && s.target !== null && sameJunctionTarget(b, s.target, e.target));
      const typeOk = !e.targetType || !s.declaredType || s.declaredType === e.targetType;
      if (sameText && typeOk) return none(linkAbs, kind, 'holds', s.target);
      if (typeOk) {
        return change({
          operation: 'retarget',
          path: linkAbs,
          kind,
          targetType: s.declaredType ?? targetType,
          oldTarget: s.target,
          newTarget: e.target,
          reason: `wrong target: ${String(s.target)} -> ${e.target}`,
        });
      }
    }
  }
  const what = `a ${s.kind}${s.target !== null ? ` to ${s.target}` : ''}${s.declaredType ? ` (${s.declaredType})` : ''}`;
  if (!e.replace) {
    throw new LinkToolsError(
      'LT_EXISTS',
      `${what} is where the manifest declares a ${kind}${e.targetType ? ` (${e.targetType})` : ''}; set "replace": true to let ensure replace that link.`,
      linkAbs,
    );
  }
  return change({
    operation: 'create',
    path: linkAbs,
    kind,
    targetType,
    newTarget: wanted,
    oldKind: s.kind,
    oldTarget: s.kind === 'hardlink' ? null : s.target,
    oldTargetType: s.declaredType,
    reason: `replaces ${what} (the manifest allows it)`,
  });
}

function sameJunctionTarget(b: { path: { normalize(p: string): string } }, a: string, c: string): boolean {
  const api = hasDriveLetter(a) || a.includes('\\') ? path.win32 : null;
  if (api) return api.normalize(a).toLowerCase().replace(/\\$/, '') === api.normalize(c).toLowerCase().replace(/\\$/, '');
  return b.path.normalize(a) === b.path.normalize(c);
}
