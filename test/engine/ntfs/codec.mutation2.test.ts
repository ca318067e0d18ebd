/**
 * Second round of byte-exact cases for the reparse codec, aimed at survivors of
 * `npm run mutate -- --mutate engine/src/ntfs/codec.ts` (docs/mutation.md lists the equivalent ones).
 */
import { describe, expect, it } from 'vitest';

import {
  buildAppExecLinkBuffer,
  buildLxSymlinkBuffer,
  buildMountPointBuffer,
  buildReparseBuffer,
  buildSymlinkBuffer,
  IO_REPARSE_TAG_APPEXECLINK,
  IO_REPARSE_TAG_LX_SYMLINK,
  IO_REPARSE_TAG_NFS,
  IO_REPARSE_TAG_SYMLINK,
  parseReparseBuffer,
} from '../../../engine/src/ntfs/index.js';
import { caught, codeOf } from '../helpers/errors.js';
import { bytes, expectKind, le16, le32 } from './helpers.js';

const THIRD_PARTY = 0x00001234;
const GUID = '01234567-89ab-cdef-0123-456789abcdef';

describe('codec: inputs at the edges', () => {
  it('a GUID with text before or after it is refused', () => {
    expect(codeOf(() => buildReparseBuffer(THIRD_PARTY, new Uint8Array(0), `x${GUID}`))).toBe('LT_INVALID_ARGUMENT');
    expect(codeOf(() => buildReparseBuffer(THIRD_PARTY, new Uint8Array(0), `${GUID}x`))).toBe('LT_INVALID_ARGUMENT');
  });

  it('an array-like object that is not a Uint8Array is refused, however long it claims to be', () => {
    const fake = { length: 64, 0: 0x0c, 1: 0, 2: 0, 3: 0xa0 } as unknown as Uint8Array;
    expect(codeOf(() => parseReparseBuffer(fake))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(Array.from(new Uint8Array(24)) as unknown as Uint8Array))).toBe('LT_BAD_REPARSE_DATA');
  });

  it('a tag given as a signed 32-bit number is written and read back unsigned', () => {
    const signed = 0x80000017 | 0; // negative in JavaScript
    const b = buildReparseBuffer(signed, Uint8Array.from([5, 6]));
    expect([...b]).toEqual([...bytes(le32(0x80000017), le16(2), [0, 0], [5, 6])]);
    const r = expectKind(parseReparseBuffer(b), 'opaque');
    expect(r.tag).toBe(0x80000017);
    expect(r.guid).toBeUndefined();
    expect([...r.data]).toEqual([5, 6]);
  });
});

describe('codec: which check fires, and what the error names', () => {
  it('a name past the PathBuffer carries its offset, length and the PathBuffer length as details', () => {
    // Symbolic link, ReparseDataLength 16: 12 fixed bytes, then a 4-byte PathBuffer; substitute name 2 at offset 4.
    const buf = bytes(le32(IO_REPARSE_TAG_SYMLINK), le16(16), [0, 0], le16(4), le16(2), le16(0), le16(0), le32(0), [0x61, 0, 0x62, 0]);
    const e = caught(() => parseReparseBuffer(buf));
    expect(e.code).toBe('LT_BAD_REPARSE_DATA');
    expect(e.details).toEqual({ offset: 4, length: 2, pathBufferLength: 4 });
  });

  it('an AppExecLink with its version and no strings at all is refused for the missing strings', () => {
    const e = caught(() => parseReparseBuffer(bytes(le32(IO_REPARSE_TAG_APPEXECLINK), le16(4), [0, 0], le32(3))));
    expect(e.code).toBe('LT_BAD_REPARSE_DATA');
    expect(e.message).toMatch(/holds 1 string/);
  });

  it('an LX_SYMLINK of just its version parses, with an empty target', () => {
    const r = expectKind(parseReparseBuffer(bytes(le32(IO_REPARSE_TAG_LX_SYMLINK), le16(4), [0, 0], le32(2))), 'lxSymlink');
    expect(r.version).toBe(2);
    expect(r.target).toBe('');
    expect([...r.targetBytes]).toEqual([]);
  });

  it('an NFS device with less than 4 bytes of numbers names the missing major number', () => {
    const buf = bytes(le32(IO_REPARSE_TAG_NFS), le16(10), [0, 0], le32(0x00524843), le32(0), [1, 0]);
    const e = caught(() => parseReparseBuffer(buf));
    expect(e.code).toBe('LT_BAD_REPARSE_DATA');
    expect(e.message).toMatch(/NFS device major number/);
  });

  it('a refused builder argument is named in the error', () => {
    const cases: Array<[() => unknown, RegExp]> = [
      [() => buildSymlinkBuffer({ substituteName: '' }), /^substituteName /],
      [() => buildSymlinkBuffer({ substituteName: 'x', printName: 'a\u0000' }), /^printName /],
      [() => buildMountPointBuffer({ substituteName: '\\??\\C:\\a\u0000' }), /^substituteName /],
      [() => buildMountPointBuffer({ substituteName: '\\??\\C:\\a', printName: 'b\u0000' }), /^printName /],
      [() => buildLxSymlinkBuffer(''), /^target /],
      [() => buildAppExecLinkBuffer({ packageId: 'p\u0000', appUserModelId: 'a', targetPath: 't' }), /^packageId /],
      [() => buildAppExecLinkBuffer({ packageId: 'p', appUserModelId: 'a\u0000', targetPath: 't' }), /^appUserModelId /],
      [() => buildAppExecLinkBuffer({ packageId: 'p', appUserModelId: 'a', targetPath: 't\u0000' }), /^targetPath /],
      [() => buildAppExecLinkBuffer({ packageId: 'p', appUserModelId: 'a', targetPath: 't', appType: '\u0000' }), /^appType /],
    ];
    for (const [fn, re] of cases) {
      const e = caught(fn);
      expect(e.code).toBe('LT_INVALID_ARGUMENT');
      expect(e.message).toMatch(re);
    }
  });
});
