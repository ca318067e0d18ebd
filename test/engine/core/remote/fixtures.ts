/** Shared pieces of the remote model's mutation tests: policies, the seed's machines (Alice holds, Bob opens). */
import type { AccessContext, LinkDescription, Policy } from '../../../../engine/src/core/remote/index.js';
import type { RemoteLinkKind } from '../../../../engine/src/core/remote/creation.js';

export const ALL_ON: Policy = { L2L: true, L2R: true, R2L: true, R2R: true };
export const ALL_OFF: Policy = { L2L: false, L2R: false, R2L: false, R2R: false };

/** Bob opening a link over SMB, with `policy` on Bob (Windows' default when absent). */
export function bobOn(policy?: Policy, extra: Partial<Extract<AccessContext, { mode: 'remote' }>> = {}): AccessContext {
  return { mode: 'remote', client: 'Bob', ...(policy ? { policy } : {}), ...extra };
}

/** A link held by Alice at `linkPath` (C:\MyLink unless given). */
export function onAlice(kind: RemoteLinkKind, target: string, linkPath = 'C:\\MyLink'): LinkDescription {
  return { kind, target, linkPath, machine: 'Alice' };
}
