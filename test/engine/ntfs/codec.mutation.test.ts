/**
 * Byte-exact vectors for the reparse codec, written against [MS-FSCC] 2.1.2 by hand (not produced by
 * the builders they check), so a change that breaks the builder and the parser the same way (a GUID
 * written with its fields in the wrong order, a block device read as a char device) still fails.
 * These target survivors of `npm run mutate -- --mutate engine/src/ntfs/codec.ts`.
 */
import { describe, expect, it } from 'vitest';

import {
  buildAppExecLinkBuffer,
  buildLxSymlinkBuffer,
  buildMountPointBuffer,
  buildReparseBuffer,
  buildSymlinkBuffer,
  IO_REPARSE_TAG_NFS,
  MAXIMUM_REPARSE_DATA_BUFFER_SIZE,
  parseReparseBuffer,
} from '../../../engine/src/ntfs/index.js';
import { codeOf } from '../helpers/errors.js';
import { bytes, expectKind, le16, le32, utf16le } from './helpers.js';

/** A non-Microsoft tag (bit 31 clear): the GUID follows the 8-byte header. */
const THIRD_PARTY = 0x00001234;
const GUID = '01234567-89ab-cdef-0123-456789abcdef';
/** GUID in its on-disk layout: Data1 (LE u32), Data2 (LE u16), Data3 (LE u16), Data4 (8 bytes as written). */
const GUID_BYTES = [0x67, 0x45, 0x23, 0x01, 0xab, 0x89, 0xef, 0xcd, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];

describe('third-party tags: the GUID', () => {
  it('is written in the GUID structure layout (Data1..3 little-endian, Data4 as bytes)', () => {
    const b = buildReparseBuffer(THIRD_PARTY, Uint8Array.from([9, 8, 7]), GUID);
    expect([...b]).toEqual([...bytes(le32(THIRD_PARTY), le16(3), [0, 0], GUID_BYTES, [9, 8, 7])]);
  });

  it('is accepted with braces and in upper case, and written the same', () => {
    const want = buildReparseBuffer(THIRD_PARTY, new Uint8Array(0), GUID);
    expect([...buildReparseBuffer(THIRD_PARTY, new Uint8Array(0), `{${GUID.toUpperCase()}}`)]).toEqual([...want]);
  });

  it('is read back from hand-made bytes, lower case, and the data is what follows it', () => {
    const buf = bytes(le32(THIRD_PARTY), le16(2), [0, 0], GUID_BYTES, [0xaa, 0xbb], [0xcc, 0xdd]); // 2 trailing bytes beyond the length
    const r = expectKind(parseReparseBuffer(buf), 'opaque');
    expect(r.guid).toBe(GUID);
    expect([...r.data]).toEqual([0xaa, 0xbb]);
    expect(r.dataLength).toBe(2);
    expect(r.tag).toBe(THIRD_PARTY);
  });

  it('a GUID with high bits in every field reads back unsigned', () => {
    const g = 'fedcba98-7654-3210-fedc-ba9876543210';
    expect(expectKind(parseReparseBuffer(buildReparseBuffer(0x7fff0001, Uint8Array.from([1]), g)), 'opaque').guid).toBe(g);
  });

  it.each(['', 'not-a-guid', '0123456-89ab-cdef-0123-456789abcdef', '01234567-89ab-cdef-0123-456789abcdeff', '01234567-89ab-cdef-0123456789abcdef', '01234567-89ab-cdef-0123-456789abcdeg'])(
    'a malformed GUID %j is refused',
    (g) => {
      expect(codeOf(() => buildReparseBuffer(THIRD_PARTY, new Uint8Array(0), g))).toBe('LT_INVALID_ARGUMENT');
    },
  );

  it('a third-party tag needs a GUID; a Microsoft tag must not have one', () => {
    expect(codeOf(() => buildReparseBuffer(THIRD_PARTY, new Uint8Array(0)))).toBe('LT_INVALID_ARGUMENT');
    expect(codeOf(() => buildReparseBuffer(0x80000017, new Uint8Array(0), GUID))).toBe('LT_INVALID_ARGUMENT');
    // A Microsoft tag without a builder: header then data, no GUID.
    expect([...buildReparseBuffer(0x80000017, Uint8Array.from([5]))]).toEqual([...bytes(le32(0x80000017), le16(1), [0, 0], [5])]);
  });

  it('a third-party buffer shorter than header + GUID, or whose length runs past the end, is malformed', () => {
    expect(codeOf(() => parseReparseBuffer(bytes(le32(THIRD_PARTY), le16(0), [0, 0], GUID_BYTES.slice(0, 15))))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(bytes(le32(THIRD_PARTY), le16(0), [0, 0], GUID_BYTES)))).toBe('no error');
    expect(codeOf(() => parseReparseBuffer(bytes(le32(THIRD_PARTY), le16(3), [0, 0], GUID_BYTES, [1, 2])))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(bytes(le32(THIRD_PARTY), le16(2), [0, 0], GUID_BYTES, [1, 2])))).toBe('no error');
  });
});

/** An NFS reparse buffer: header, the 64-bit Type (low, high), then the type's data. */
function nfs(lo: number, hi: number, data: number[]): Uint8Array {
  return bytes(le32(IO_REPARSE_TAG_NFS), le16(8 + data.length), [0, 0], le32(lo), le32(hi), data);
}

describe('NFS special files ([MS-FSCC] 2.1.2.6)', () => {
  const CHR = 0x00524843; // "CHR"
  const BLK = 0x004b4c42; // "BLK"

  it('a block device is a block device, with its major and minor numbers in that order', () => {
    const r = expectKind(parseReparseBuffer(nfs(BLK, 0, [...le32(8), ...le32(1)])), 'nfs');
    expect(r).toMatchObject({ nfsType: 'blockDevice', major: 8, minor: 1, typeCode: '0x00000000004B4C42' });
  });

  it('a char device is a char device', () => {
    const r = expectKind(parseReparseBuffer(nfs(CHR, 0, [...le32(4), ...le32(0x40000001)])), 'nfs');
    expect(r).toMatchObject({ nfsType: 'charDevice', major: 4, minor: 0x40000001, typeCode: '0x0000000000524843' });
  });

  it('a device without its 8 bytes of numbers is malformed', () => {
    expect(codeOf(() => parseReparseBuffer(nfs(BLK, 0, le32(8))))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(nfs(CHR, 0, [])))).toBe('LT_BAD_REPARSE_DATA');
  });

  it('a symlink holds its UTF-16 target; trailing NULs are dropped, an odd length is malformed', () => {
    const LNK = 0x014b4e4c;
    expect(expectKind(parseReparseBuffer(nfs(LNK, 0, utf16le('../t'))), 'nfs')).toMatchObject({ nfsType: 'symlink', target: '../t' });
    expect(expectKind(parseReparseBuffer(nfs(LNK, 0, [...utf16le('x'), 0, 0, 0, 0])), 'nfs').target).toBe('x');
    expect(expectKind(parseReparseBuffer(nfs(LNK, 0, [])), 'nfs').target).toBe('');
    expect(codeOf(() => parseReparseBuffer(nfs(LNK, 0, [0x41, 0, 0x42])))).toBe('LT_BAD_REPARSE_DATA');
  });

  it('FIFO and SOCK; an unknown type, or any high Type bits, is "unknown" with the code kept', () => {
    expect(expectKind(parseReparseBuffer(nfs(0x4f464946, 0, [])), 'nfs').nfsType).toBe('fifo');
    expect(expectKind(parseReparseBuffer(nfs(0x4b434f53, 0, [])), 'nfs').nfsType).toBe('socket');
    expect(expectKind(parseReparseBuffer(nfs(0x12345678, 0, [])), 'nfs')).toMatchObject({ nfsType: 'unknown', typeCode: '0x0000000012345678' });
    const high = expectKind(parseReparseBuffer(nfs(BLK, 1, [...le32(8), ...le32(1)])), 'nfs');
    expect(high).toMatchObject({ nfsType: 'unknown', typeCode: '0x00000001004B4C42' });
    expect(high).not.toHaveProperty('major');
  });

  it('an NFS buffer shorter than the 8-byte Type is malformed', () => {
    expect(codeOf(() => parseReparseBuffer(bytes(le32(IO_REPARSE_TAG_NFS), le16(7), [0, 0], [0, 0, 0, 0, 0, 0, 0])))).toBe('LT_BAD_REPARSE_DATA');
  });
});

describe('symbolic links and junctions: exact layout', () => {
  it('a relative symbolic link: offsets, lengths, flags, no terminators', () => {
    const b = buildSymlinkBuffer({ substituteName: '..\\a', printName: 'P' });
    expect([...b]).toEqual([...bytes(le32(0xa000000c), le16(12 + 8 + 2), [0, 0], le16(0), le16(8), le16(8), le16(2), le32(1), utf16le('..\\a'), utf16le('P'))]);
  });

  it('an absolute symbolic link has flags 0 and, by default, the Win32 print name', () => {
    const b = buildSymlinkBuffer({ substituteName: '\\??\\C:\\x' });
    const r = expectKind(parseReparseBuffer(b), 'symlink');
    expect(r).toMatchObject({ substituteName: '\\??\\C:\\x', printName: 'C:\\x', relative: false, flags: 0 });
    expect([...b.slice(16, 20)]).toEqual([0, 0, 0, 0]);
    expect(expectKind(parseReparseBuffer(buildSymlinkBuffer({ substituteName: '\\??\\C:\\x', relative: true })), 'symlink').flags).toBe(1);
    expect(expectKind(parseReparseBuffer(buildSymlinkBuffer({ substituteName: 'rel', relative: false })), 'symlink').flags).toBe(0);
    expect(expectKind(parseReparseBuffer(buildSymlinkBuffer({ substituteName: '\\rooted' })), 'symlink').relative).toBe(true);
  });

  it('the relative flag is bit 0 only: other flag bits are kept but do not make it relative', () => {
    const withFlags = (f: number) => bytes(le32(0xa000000c), le16(12 + 2), [0, 0], le16(0), le16(2), le16(0), le16(0), le32(f), utf16le('x'));
    expect(expectKind(parseReparseBuffer(withFlags(2)), 'symlink')).toMatchObject({ relative: false, flags: 2 });
    expect(expectKind(parseReparseBuffer(withFlags(3)), 'symlink')).toMatchObject({ relative: true, flags: 3 });
  });

  it('a junction: NUL after each name (not counted), print offset past the NUL', () => {
    const b = buildMountPointBuffer({ substituteName: '\\??\\C:\\d', printName: 'C:\\d' });
    const sub = utf16le('\\??\\C:\\d');
    const pr = utf16le('C:\\d');
    expect([...b]).toEqual([
      ...bytes(le32(0xa0000003), le16(8 + sub.length + 2 + pr.length + 2), [0, 0], le16(0), le16(sub.length), le16(sub.length + 2), le16(pr.length), sub, [0, 0], pr, [0, 0]),
    ]);
  });

  it('a volume mount point has an empty print name by default and is flagged as one', () => {
    const vol = '\\??\\Volume{2eca078d-5cbc-43d3-aff8-7e8511f60d0e}\\';
    const r = expectKind(parseReparseBuffer(buildMountPointBuffer({ substituteName: vol })), 'mountPoint');
    expect(r).toMatchObject({ printName: '', isVolumeMountPoint: true });
    expect(expectKind(parseReparseBuffer(buildMountPointBuffer({ substituteName: '\\??\\C:\\d' })), 'mountPoint')).toMatchObject({ printName: 'C:\\d', isVolumeMountPoint: false });
  });

  it.each(['C:\\d', '\\\\server\\share', 'rel'])('a junction substitute name %j that is not an NT path is refused', (s) => {
    expect(codeOf(() => buildMountPointBuffer({ substituteName: s }))).toBe('LT_INVALID_ARGUMENT');
  });

  it('names: empty or NUL-containing substitute names are refused; an empty print name is allowed', () => {
    expect(codeOf(() => buildSymlinkBuffer({ substituteName: '' }))).toBe('LT_INVALID_ARGUMENT');
    expect(codeOf(() => buildSymlinkBuffer({ substituteName: 'a\u0000b' }))).toBe('LT_INVALID_ARGUMENT');
    expect(codeOf(() => buildSymlinkBuffer({ substituteName: 'a', printName: 'p\u0000' }))).toBe('LT_INVALID_ARGUMENT');
    expect(codeOf(() => buildSymlinkBuffer({ substituteName: 7 as unknown as string }))).toBe('LT_INVALID_ARGUMENT');
    expect(expectKind(parseReparseBuffer(buildSymlinkBuffer({ substituteName: 'a', printName: '' })), 'symlink').printName).toBe('');
  });

  it('the size limit is the buffer, header included: exactly 16 KiB is accepted, one unit more is not', () => {
    // 8 header + 12 fixed + 2 * n bytes of substitute name (print name empty).
    const n = (MAXIMUM_REPARSE_DATA_BUFFER_SIZE - 20) / 2;
    const max = buildSymlinkBuffer({ substituteName: 'a'.repeat(n), printName: '' });
    expect(max.length).toBe(MAXIMUM_REPARSE_DATA_BUFFER_SIZE);
    expect(expectKind(parseReparseBuffer(max), 'symlink').substituteName).toBe('a'.repeat(n));
    expect(codeOf(() => buildSymlinkBuffer({ substituteName: 'a'.repeat(n + 1), printName: '' }))).toBe('LT_INVALID_ARGUMENT');
  });

  it('long names decode across the 4096-unit chunks intact', () => {
    const s = Array.from({ length: 5000 }, (_, i) => String.fromCharCode(0x41 + (i % 26))).join('');
    expect(expectKind(parseReparseBuffer(buildSymlinkBuffer({ substituteName: s, printName: '' })), 'symlink').substituteName).toBe(s);
  });

  it('names are read from the offsets given, not assumed to be in order', () => {
    // Print name first in the PathBuffer, substitute name after it.
    const pr = utf16le('P');
    const sub = utf16le('SUB');
    const buf = bytes(le32(0xa000000c), le16(12 + pr.length + sub.length), [0, 0], le16(pr.length), le16(sub.length), le16(0), le16(pr.length), le32(0), pr, sub);
    expect(expectKind(parseReparseBuffer(buf), 'symlink')).toMatchObject({ substituteName: 'SUB', printName: 'P' });
  });

  it('offsets and lengths: odd, or running past the PathBuffer, are malformed; exactly to its end is fine', () => {
    const mk = (subOff: number, subLen: number, pathBuf: number[]) => bytes(le32(0xa000000c), le16(12 + pathBuf.length), [0, 0], le16(subOff), le16(subLen), le16(0), le16(0), le32(0), pathBuf);
    expect(codeOf(() => parseReparseBuffer(mk(1, 2, [0, 0, 0, 0])))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(mk(0, 3, [0, 0, 0, 0])))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(mk(2, 4, [0x41, 0, 0x42, 0])))).toBe('LT_BAD_REPARSE_DATA');
    expect(expectKind(parseReparseBuffer(mk(2, 2, [0x41, 0, 0x42, 0])), 'symlink').substituteName).toBe('B');
    // Fixed part too short for the offsets and flags.
    expect(codeOf(() => parseReparseBuffer(bytes(le32(0xa000000c), le16(11), [0, 0], new Array(11).fill(0))))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(bytes(le32(0xa0000003), le16(7), [0, 0], new Array(7).fill(0))))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(bytes(le32(0xa0000003), le16(8), [0, 0], new Array(8).fill(0))))).toBe('no error');
  });

  it('the header: shorter than 8 bytes, or a length past the end, is malformed; bytes after the length are ignored', () => {
    expect(codeOf(() => parseReparseBuffer(Uint8Array.from([0x0c, 0, 0, 0xa0, 0, 0, 0])))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(bytes(le32(0x80000017), le16(1), [0, 0])))).toBe('LT_BAD_REPARSE_DATA');
    const r = expectKind(parseReparseBuffer(bytes(le32(0x80000017), le16(1), [0, 0], [7, 8, 9])), 'opaque');
    expect([...r.data]).toEqual([7]);
    expect(r.guid).toBeUndefined();
    expect(codeOf(() => parseReparseBuffer([1, 2, 3] as unknown as Uint8Array))).toBe('LT_BAD_REPARSE_DATA');
  });
});

describe('WSL and app-execution-alias layouts', () => {
  it('LX_SYMLINK: version 2, then UTF-8 without a terminator; another version is malformed', () => {
    const b = buildLxSymlinkBuffer('é/x');
    expect([...b]).toEqual([...bytes(le32(0xa000001d), le16(4 + 4), [0, 0], le32(2), [0xc3, 0xa9, 0x2f, 0x78])]);
    expect(expectKind(parseReparseBuffer(b), 'lxSymlink')).toMatchObject({ version: 2, target: 'é/x' });
    b[8] = 1;
    expect(codeOf(() => parseReparseBuffer(b))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(bytes(le32(0xa000001d), le16(3), [0, 0], [2, 0, 0])))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => buildLxSymlinkBuffer(''))).toBe('LT_INVALID_ARGUMENT');
  });

  it('AppExecLink: version 3, NUL-terminated strings, appType "0" by default or left out', () => {
    const b = buildAppExecLinkBuffer({ packageId: 'p', appUserModelId: 'a', targetPath: 't' });
    expect([...b]).toEqual([...bytes(le32(0x8000001b), le16(4 + 16), [0, 0], le32(3), utf16le('p\u0000a\u0000t\u00000\u0000'))]);
    const r = expectKind(parseReparseBuffer(b), 'appExecLink');
    expect(r).toMatchObject({ version: 3, packageId: 'p', appUserModelId: 'a', targetPath: 't', appType: '0', strings: ['p', 'a', 't', '0'] });
    const three = expectKind(parseReparseBuffer(buildAppExecLinkBuffer({ packageId: 'p', appUserModelId: 'a', targetPath: 't', appType: null })), 'appExecLink');
    expect(three.appType).toBeUndefined();
    expect(three.strings).toEqual(['p', 'a', 't']);
  });

  it('AppExecLink: an unterminated last string is kept; fewer than three strings, an odd length or another version is malformed', () => {
    const ael = (version: number, s: number[]) => bytes(le32(0x8000001b), le16(4 + s.length), [0, 0], le32(version), s);
    expect(expectKind(parseReparseBuffer(ael(3, utf16le('p\u0000a\u0000t'))), 'appExecLink').targetPath).toBe('t');
    expect(codeOf(() => parseReparseBuffer(ael(3, utf16le('p\u0000a\u0000'))))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(ael(3, [...utf16le('p\u0000a\u0000t\u0000'), 0x41])))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(ael(2, utf16le('p\u0000a\u0000t\u0000'))))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => parseReparseBuffer(bytes(le32(0x8000001b), le16(3), [0, 0], [3, 0, 0])))).toBe('LT_BAD_REPARSE_DATA');
    expect(codeOf(() => buildAppExecLinkBuffer({ packageId: 'p\u0000', appUserModelId: 'a', targetPath: 't' }))).toBe('LT_INVALID_ARGUMENT');
  });
});
