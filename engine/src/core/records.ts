/** Small helpers shared by the core modules that build records. */
import type { ErrorRecord } from '../contract/types.js';
import { LinkToolsError } from '../errors.js';
import { SCHEMA_VERSION } from '../version.js';

export type RequestId = string | number | null | undefined;

export function withRequestId<T extends object>(rec: T, id: RequestId): T {
  if (id !== undefined) (rec as { requestId?: RequestId }).requestId = id;
  return rec;
}

export function errorRecord(err: unknown, requestId?: RequestId, fallbackPath?: string): ErrorRecord {
  const e = err instanceof LinkToolsError ? err : new LinkToolsError('LT_INTERNAL', `internal error: ${(err as Error)?.stack ?? String(err)}`, fallbackPath);
  const rec: ErrorRecord = {
    recordType: 'error',
    schemaVersion: SCHEMA_VERSION,
    code: e.code,
    category: e.category,
    message: e.message,
    path: e.path ?? fallbackPath ?? null,
  };
  if (e.details) rec.details = e.details;
  return withRequestId(rec, requestId);
}
