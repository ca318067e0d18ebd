/** What is at a path right now, as link maintenance sees it, and whether two targets reach one object. */
import type { LinkKind, TargetType } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import type { Backend, EntryStat, LinkData, Platform } from '../../platform/types.js';
import { typeOf } from '../info.js';

export type MaintainedKind = Extract<LinkKind, 'symlink' | 'junction' | 'hardlink'>;

export type PathState =
  | { what: 'absent' }
  | { what: 'link'; kind: MaintainedKind; target: string | null; declaredType: TargetType; st: EntryStat; data: LinkData | null }
  /** A link LinkTools does not maintain (mount point, app alias, WSL link, other reparse point). */
  | { what: 'other-link'; kind: string; st: EntryStat }
  /** A real file or folder (or a data-carrying reparse point): never replaced. */
  | { what: 'real'; type: EntryStat['type']; st: EntryStat };

export function readState(b: Backend, abs: string): PathState {
  let st: EntryStat;
  try {
    st = b.lstat(abs);
  } catch (e) {
    if (e instanceof LinkToolsError && e.code === 'LT_NOT_FOUND') return { what: 'absent' };
    throw e;
  }
  const data = b.readLink(abs, st);
  if (data) {
    if (data.reparse && !data.reparse.isLink) return { what: 'real', type: st.type, st };
    if (data.kind === 'symlink' || data.kind === 'junction') {
      return { what: 'link', kind: data.kind, target: data.target, declaredType: data.declaredType, st, data };
    }
    return { what: 'other-link', kind: data.kind, st };
  }
  if (st.type === 'file' && st.nlink > 1) return { what: 'link', kind: 'hardlink', target: null, declaredType: 'file', st, data: null };
  return { what: 'real', type: st.type, st };
}

/** The object a stored target reaches from the link's folder (links followed), or null. */
export function reach(platform: Platform, b: Backend, linkAbs: string, target: string): EntryStat | null {
  const dir = b.path.dirname(linkAbs);
  if (b.statTarget) {
    try {
      return b.statTarget(dir, target);
    } catch {
      return null;
    }
  }
  const abs = b.resolveTarget(dir, target);
  if (abs === null) return null;
  try {
    return platform.forPath(abs).stat(abs);
  } catch {
    return null;
  }
}

/** True when both targets reach the same existing object (same file identity). */
export function sameObject(platform: Platform, b: Backend, linkAbs: string, a: string, c: string): boolean {
  const x = reach(platform, b, linkAbs, a);
  const y = reach(platform, b, linkAbs, c);
  return x !== null && y !== null && x.fileId === y.fileId;
}

/** The file/dir type a re-made link must keep: the declared one, else what its target is. */
export function keptType(platform: Platform, b: Backend, linkAbs: string, declared: TargetType, ...targets: (string | null)[]): TargetType {
  if (declared) return declared;
  for (const t of targets) {
    if (t === null) continue;
    const ty = typeOf(reach(platform, b, linkAbs, t));
    if (ty) return ty;
  }
  return null;
}
