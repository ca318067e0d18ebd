/**
 * Applying a change: check that the tree still holds what the plan saw, then make the change with the
 * engine's own link operations (createLink with its make-aside-then-swap replacement, removeLink), so
 * each link changes atomically and a failure leaves that item as it was. One item's failure never
 * stops the others: it is reported in the change's `error`.
 */
import type { Change } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import type { Platform } from '../../platform/types.js';
import { createLink } from '../create.js';
import { absolutePath } from '../info.js';
import { removeLink } from '../remove.js';
import { readState, reach, type PathState } from './state.js';

function sameTarget(a: string | null, b: string | null): boolean {
  return a === b;
}

/** Throws LT_TREE_CHANGED unless `path` holds the link (kind, target) the change expects there before. */
function expectLink(platform: Platform, path: string, kind: Change['kind'], target: string | null, hardLinkOf: string | null): PathState {
  const b = platform.forPath(path);
  const s = readState(b, path);
  const what = s.what === 'link' ? `a ${s.kind}${s.target !== null ? ` to ${s.target}` : ''}` : s.what === 'absent' ? 'nothing' : s.what === 'real' ? `a real ${s.type}` : `a ${s.kind}`;
  if (s.what !== 'link' || s.kind !== kind) {
    throw new LinkToolsError('LT_TREE_CHANGED', `Expected a ${kind}${target !== null ? ` to ${target}` : ''} at this path but found ${what}: nothing was changed.`, path);
  }
  if (kind === 'hardlink') {
    if (hardLinkOf !== null) {
      const other = reach(platform, b, path, hardLinkOf);
      if (!other || other.fileId !== s.st.fileId) {
        throw new LinkToolsError('LT_TREE_CHANGED', `This name is no longer the same file as ${hardLinkOf}: nothing was changed.`, path);
      }
    }
  } else if (!sameTarget(s.target, target)) {
    throw new LinkToolsError('LT_TREE_CHANGED', `The link now points to ${String(s.target)}, not ${String(target)} as planned: nothing was changed.`, path);
  }
  return s;
}

function expectAbsent(platform: Platform, path: string): void {
  const s = readState(platform.forPath(path), path);
  if (s.what !== 'absent') {
    const what = s.what === 'link' ? `a ${s.kind}` : s.what === 'real' ? `a real ${s.type}` : `a ${s.kind}`;
    throw new LinkToolsError(s.what === 'real' ? 'LT_EXISTS' : 'LT_TREE_CHANGED', `Something is already at this path (${what}): nothing was changed.`, path);
  }
}

function make(platform: Platform, c: Change, at: string, force: boolean): string | null {
  const kind = c.kind!;
  const target = kind === 'hardlink' ? (c.newTarget ?? c.path) : c.newTarget!;
  const info = createLink(platform, {
    link: at,
    target,
    kind,
    targetType: kind === 'hardlink' ? undefined : (c.targetType ?? undefined),
    force,
  });
  return kind === 'hardlink' ? target : info.target;
}

/** Apply one planned change; returns the change as applied (or with its error). Never throws. */
export function applyChange(platform: Platform, planned: Change): Change {
  const c: Change = { ...planned, dryRun: false, applied: false, error: null };
  try {
    if (c.operation !== 'none' && (c.kind === null || !['symlink', 'junction', 'hardlink'].includes(c.kind))) {
      throw new LinkToolsError('LT_BAD_REQUEST', `A ${c.operation} change needs kind symlink, junction or hardlink.`, c.path);
    }
    const path = absolutePath(platform, c.path);
    c.path = path;
    switch (c.operation) {
      case 'none':
        return c;
      case 'create':
        if (c.oldKind) expectLink(platform, path, c.oldKind, c.oldKind === 'hardlink' ? null : c.oldTarget, null);
        else expectAbsent(platform, path);
        if (c.kind !== 'hardlink' && c.newTarget === null) throw new LinkToolsError('LT_BAD_REQUEST', 'A create change needs a newTarget.', path);
        c.newTarget = make(platform, c, path, Boolean(c.oldKind));
        break;
      case 'retarget': {
        if (c.kind === 'hardlink') throw new LinkToolsError('LT_BAD_REQUEST', 'A hard link has no target to change.', path);
        if (c.newTarget === null) throw new LinkToolsError('LT_BAD_REQUEST', 'A retarget change needs a newTarget.', path);
        expectLink(platform, path, c.kind, c.oldTarget, null);
        c.newTarget = make(platform, c, path, true);
        break;
      }
      case 'remove':
        expectLink(platform, path, c.kind, c.kind === 'hardlink' ? null : c.oldTarget, c.kind === 'hardlink' ? c.oldTarget : null);
        removeLink(platform, path);
        break;
      case 'move': {
        if (!c.newPath) throw new LinkToolsError('LT_BAD_REQUEST', 'A move change needs a newPath.', path);
        const dest = absolutePath(platform, c.newPath);
        c.newPath = dest;
        const b = platform.forPath(path);
        const before = expectLink(platform, path, c.kind, c.kind === 'hardlink' ? null : c.oldTarget, null);
        expectAbsent(platform, dest);
        const reached = before.what === 'link' && before.kind !== 'hardlink' && c.oldTarget !== null ? reach(platform, b, path, c.oldTarget) : null;
        const stored = make(platform, { ...c, newTarget: c.kind === 'hardlink' ? path : c.newTarget }, dest, false);
        // The old name goes only once the new one is in place and reaches the same object.
        const nb = platform.forPath(dest);
        const ok =
          c.kind === 'hardlink' ? nb.lstat(dest).fileId === (before.what === 'link' ? before.st.fileId : '') : reached === null || reach(platform, nb, dest, stored!)?.fileId === reached.fileId;
        if (!ok) {
          removeLink(platform, dest);
          throw new LinkToolsError('LT_NOT_EQUIVALENT', 'The moved link would not reach the same object: the new link was taken away again and the old one left in place.', path, {
            newPath: dest,
          });
        }
        removeLink(platform, path);
        c.newTarget = c.kind === 'hardlink' ? null : stored;
        break;
      }
    }
    c.applied = true;
  } catch (e) {
    const err = e instanceof LinkToolsError ? e : new LinkToolsError('LT_INTERNAL', `internal error: ${(e as Error)?.stack ?? String(e)}`, c.path);
    c.error = { code: err.code, message: err.message };
  }
  return c;
}
