/** Every record a test sees is validated against the contract's schema for its recordType. */
import { expect } from 'vitest';
import type { ValidateFunction } from 'ajv';
import * as validators from '../../../engine/src/contract/validators.js';

const byType = validators as unknown as Record<string, ValidateFunction>;

export function expectValid<T extends { recordType: string }>(rec: T): T {
  const v = byType[rec.recordType];
  expect(v, `a schema for recordType ${rec.recordType}`).toBeTypeOf('function');
  const ok = v(rec);
  expect(ok, `record breaks its schema: ${JSON.stringify(v.errors)}\n${JSON.stringify(rec)}`).toBe(true);
  return rec;
}
