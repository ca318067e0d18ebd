/** Change records: the one currency of link maintenance (plans, applied changes, journals, undo). */
import type { Change, TargetType } from '../../contract/types.js';
import { SCHEMA_VERSION } from '../../version.js';
import type { MaintainedKind } from './state.js';

export type Operation = Change['operation'];

interface ChangeFields {
  operation: Operation;
  path: string;
  kind: MaintainedKind | null;
  targetType?: TargetType;
  oldTarget?: string | null;
  newTarget?: string | null;
  newPath?: string | null;
  oldKind?: MaintainedKind | null;
  oldTargetType?: TargetType;
  reason: string;
}

/** A planned change (dryRun until applied). */
export function change(f: ChangeFields): Change {
  const c: Change = {
    recordType: 'change',
    schemaVersion: SCHEMA_VERSION,
    operation: f.operation,
    path: f.path,
    kind: f.kind,
    targetType: f.targetType ?? null,
    oldTarget: f.oldTarget ?? null,
    newTarget: f.newTarget ?? null,
    newPath: f.newPath ?? null,
    oldKind: f.oldKind ?? null,
    reason: f.reason,
    dryRun: true,
    applied: false,
    error: null,
  };
  if (f.oldTargetType !== undefined) c.oldTargetType = f.oldTargetType;
  return c;
}

export function none(path: string, kind: MaintainedKind | null, reason: string, target: string | null = null): Change {
  return change({ operation: 'none', path, kind, oldTarget: target, newTarget: target, reason });
}

/** The change that puts back what `c` (an applied change) did. Null when it cannot be reversed. */
export function inverse(c: Change): Change | null {
  const base = { kind: c.kind, targetType: c.targetType };
  switch (c.operation) {
    case 'none':
      return null;
    case 'retarget':
      return change({ ...base, operation: 'retarget', path: c.path, oldTarget: c.newTarget, newTarget: c.oldTarget, reason: `undo: back to ${c.oldTarget}` });
    case 'move':
      return change({ ...base, operation: 'move', path: c.newPath!, newPath: c.path, oldTarget: c.newTarget, newTarget: c.oldTarget, reason: `undo: move back to ${c.path}` });
    case 'create':
      if (c.oldKind) {
        return change({
          operation: 'create',
          path: c.path,
          kind: c.oldKind,
          targetType: c.oldTargetType ?? null,
          oldKind: c.kind,
          oldTargetType: c.targetType,
          oldTarget: c.newTarget,
          newTarget: c.oldTarget,
          reason: `undo: put back the ${c.oldKind} that was replaced`,
        });
      }
      return change({ ...base, operation: 'remove', path: c.path, oldTarget: c.newTarget, newTarget: null, reason: 'undo: remove the link that was created' });
    case 'remove':
      if (c.oldTarget === null) return null;
      return change({ ...base, operation: 'create', path: c.path, oldTarget: null, newTarget: c.oldTarget, reason: 'undo: recreate the link that was removed' });
  }
}
