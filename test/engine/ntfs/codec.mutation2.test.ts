/**
 * Second round of byte-exact cases for the reparse codec, aimed at survivors of
 * `npm run mutate -- --mutate engine/src/ntfs/codec.ts` (docs/mutation.md lists the equivalent ones).
 */
import { describe, expect, it } from 'vitest';

import { LinkToolsError } from '../../../engine/src/errors.js';
import { buildReparseBuffer, parseReparseBuffer, type ReparseData } from '../../../engine/src/ntfs/index.js';

const le16 = (v: number) => [v & 0xff, (v >>> 8) & 0xff];
const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LinkToolsError);
    return (e as LinkToolsError).code;
  }
  return 'no error';
}

function as<K extends ReparseData['kind']>(r: ReparseData, kind: K): Extract<ReparseData, { kind: K }> {
  expect(r.kind).toBe(kind);
  return r as Extract<ReparseData, { kind: K }>;
}

const THIRD_PARTY = 0x00001234;
const GUID = '01234567-89ab-cdef-0123-456789abcdef';

describe('codec: inputs at the edges', () => {
  it('a GUID with text before or after it is refused', () => {
    expect(code(() => buildReparseBuffer(THIRD_PARTY, new Uint8Array(0), `x${GUID}`))).toBe('LT_INVALID_ARGUMENT');
    expect(code(() => buildReparseBuffer(THIRD_PARTY, new Uint8Array(0), `${GUID}x`))).toBe('LT_INVALID_ARGUMENT');
  });

  it('an array-like object that is not a Uint8Array is refused, however long it claims to be', () => {
    const fake = { length: 64, 0: 0x0c, 1: 0, 2: 0, 3: 0xa0 } as unknown as Uint8Array;
    expect(code(() => parseReparseBuffer(fake))).toBe('LT_BAD_REPARSE_DATA');
    expect(code(() => parseReparseBuffer(Array.from(new Uint8Array(24)) as unknown as Uint8Array))).toBe('LT_BAD_REPARSE_DATA');
  });

  it('a tag given as a signed 32-bit number is written and read back unsigned', () => {
    const signed = 0x80000017 | 0; // negative in JavaScript
    const b = buildReparseBuffer(signed, Uint8Array.from([5, 6]));
    expect([...b]).toEqual([...bytes(le32(0x80000017), le16(2), [0, 0], [5, 6])]);
    const r = as(parseReparseBuffer(b), 'opaque');
    expect(r.tag).toBe(0x80000017);
    expect(r.guid).toBeUndefined();
    expect([...r.data]).toEqual([5, 6]);
  });
});
