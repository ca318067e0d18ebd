import { describe, expect, it } from 'vitest';
import { LinkToolsError } from '../../../engine/src/errors.js';
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
import { caught } from '../helpers/errors.js';
import { expectKind, fromHex, parseError } from './helpers.js';

function expectBad(buf: Uint8Array, pattern: RegExp): void {
  const e = parseError(buf);
  expect(e).toBeInstanceOf(LinkToolsError);
  expect(e.code).toBe('LT_BAD_REPARSE_DATA');
  expect(e.category).toBe('InvalidData');
  expect(e.message).toMatch(pattern);
}

// ---------------------------------------------------------------------------------------------
// Fixtures written out by hand from [MS-FSCC] 2.1.2.2 (generic header), 2.1.2.4 (symbolic link),
// 2.1.2.5 (mount point), 2.1.2.6 (NFS) and 2.1.2.7 (LX symlink). All integers little-endian.

/** Junction C:\T_Dir: substitute `\??\C:\T_Dir` (24 bytes) + NUL, print `C:\T_Dir` (16 bytes) + NUL. */
const JUNCTION_T_DIR = fromHex(`
  03 00 00 a0 | 34 00 | 00 00
  00 00 18 00 | 1a 00 10 00
  5c 00 3f 00 3f 00 5c 00 43 00 3a 00 5c 00 54 00 5f 00 44 00 69 00 72 00 | 00 00
  43 00 3a 00 5c 00 54 00 5f 00 44 00 69 00 72 00 | 00 00
`);

/** Relative file symlink `..\a.txt`, laid out print name first, as CreateSymbolicLink does. */
const SYMLINK_RELATIVE = fromHex(`
  0c 00 00 a0 | 2c 00 | 00 00
  10 00 10 00 | 00 00 10 00 | 01 00 00 00
  2e 00 2e 00 5c 00 61 00 2e 00 74 00 78 00 74 00
  2e 00 2e 00 5c 00 61 00 2e 00 74 00 78 00 74 00
`);

/** Volume mount point: substitute `\??\Volume{01234567-89ab-cdef-0123-456789abcdef}\` (98 bytes), empty print name. */
const VOLUME_MOUNT_POINT = fromHex(`
  03 00 00 a0 | 6e 00 | 00 00
  00 00 62 00 | 64 00 00 00
  5c 00 3f 00 3f 00 5c 00 56 00 6f 00 6c 00 75 00 6d 00 65 00 7b 00
  30 00 31 00 32 00 33 00 34 00 35 00 36 00 37 00 2d 00 38 00 39 00 61 00 62 00 2d 00
  63 00 64 00 65 00 66 00 2d 00 30 00 31 00 32 00 33 00 2d 00
  34 00 35 00 36 00 37 00 38 00 39 00 61 00 62 00 63 00 64 00 65 00 66 00 7d 00 5c 00 | 00 00
  00 00
`);

/** WSL symlink to /usr/bin: version 2, then UTF-8 without a terminator. */
const LX_USR_BIN = fromHex(`1d 00 00 a0 | 0c 00 | 00 00 | 02 00 00 00 | 2f 75 73 72 2f 62 69 6e`);

/** AppExecLink version 3 with strings "p", "a", "t", "0", each NUL-terminated. */
const APPEXEC_SMALL = fromHex(`
  1b 00 00 80 | 14 00 | 00 00 | 03 00 00 00
  70 00 00 00 | 61 00 00 00 | 74 00 00 00 | 30 00 00 00
`);

/** Third-party tag 0x00007E57 with GUID {01234567-89ab-cdef-0123-456789abcdef} and 4 data bytes. */
const THIRD_PARTY = fromHex(`
  57 7e 00 00 | 04 00 | 00 00
  67 45 23 01 | ab 89 | ef cd | 01 23 45 67 89 ab cd ef
  de ad be ef
`);

/** NFS symlink (Type "LNK\x01") to "x". */
const NFS_SYMLINK = fromHex(`14 00 00 80 | 0a 00 | 00 00 | 4c 4e 4b 01 00 00 00 00 | 78 00`);
/** NFS character device (Type "CHR") 1:3. */
const NFS_CHR = fromHex(`14 00 00 80 | 10 00 | 00 00 | 43 48 52 00 00 00 00 00 | 01 00 00 00 | 03 00 00 00`);

/** Cloud placeholder, sub-type 1 (0x9000101A), two data bytes. */
const CLOUD_1 = fromHex(`1a 10 00 90 | 02 00 | 00 00 | 01 02`);

describe('parseReparseBuffer on hand-written fixtures', () => {
  it('parses a junction to C:\\T_Dir', () => {
    const r = expectKind(parseReparseBuffer(JUNCTION_T_DIR), 'mountPoint');
    expect(r).toMatchObject({
      tag: 0xa0000003,
      dataLength: 52,
      substituteName: '\\??\\C:\\T_Dir',
      printName: 'C:\\T_Dir',
      isVolumeMountPoint: false,
    });
    expect(r.tagInfo.label).toBe('junction');
  });

  it('builds the junction fixture byte for byte', () => {
    expect(buildMountPointBuffer({ substituteName: '\\??\\C:\\T_Dir', printName: 'C:\\T_Dir' })).toEqual(JUNCTION_T_DIR);
    expect(buildMountPointBuffer({ substituteName: '\\??\\C:\\T_Dir' })).toEqual(JUNCTION_T_DIR);
  });

  it('parses a relative file symlink with the print name first', () => {
    const r = expectKind(parseReparseBuffer(SYMLINK_RELATIVE), 'symlink');
    expect(r).toMatchObject({ substituteName: '..\\a.txt', printName: '..\\a.txt', relative: true, flags: 1, dataLength: 44 });
  });

  it('parses a volume mount point', () => {
    const r = expectKind(parseReparseBuffer(VOLUME_MOUNT_POINT), 'mountPoint');
    expect(r.substituteName).toBe('\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\');
    expect(r.printName).toBe('');
    expect(r.isVolumeMountPoint).toBe(true);
    expect(buildMountPointBuffer({ substituteName: r.substituteName })).toEqual(VOLUME_MOUNT_POINT);
  });

  it('does not call a junction into a volume GUID path a volume mount point', () => {
    const buf = buildMountPointBuffer({ substituteName: '\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\dir' });
    expect(expectKind(parseReparseBuffer(buf), 'mountPoint').isVolumeMountPoint).toBe(false);
  });

  it('parses a WSL symlink', () => {
    const r = expectKind(parseReparseBuffer(LX_USR_BIN), 'lxSymlink');
    expect(r.target).toBe('/usr/bin');
    expect(r.version).toBe(2);
    expect(Array.from(r.targetBytes)).toEqual([0x2f, 0x75, 0x73, 0x72, 0x2f, 0x62, 0x69, 0x6e]);
    expect(buildLxSymlinkBuffer('/usr/bin')).toEqual(LX_USR_BIN);
  });

  it('keeps the raw bytes of a WSL target that is not UTF-8', () => {
    const r = expectKind(parseReparseBuffer(fromHex('1d 00 00 a0 06 00 00 00 02 00 00 00 ff 41')), 'lxSymlink');
    expect(r.target).toBe('\ufffdA');
    expect(Array.from(r.targetBytes)).toEqual([0xff, 0x41]);
  });

  it('parses an AppExecLink', () => {
    const r = expectKind(parseReparseBuffer(APPEXEC_SMALL), 'appExecLink');
    expect(r).toMatchObject({ version: 3, packageId: 'p', appUserModelId: 'a', targetPath: 't', appType: '0' });
    expect(r.strings).toEqual(['p', 'a', 't', '0']);
    expect(buildAppExecLinkBuffer({ packageId: 'p', appUserModelId: 'a', targetPath: 't' })).toEqual(APPEXEC_SMALL);
  });

  it('accepts an AppExecLink whose last string is not terminated', () => {
    const r = expectKind(parseReparseBuffer(fromHex('1b 00 00 80 0e 00 00 00 03 00 00 00 70 00 00 00 61 00 00 00 74 00')), 'appExecLink');
    expect(r.strings).toEqual(['p', 'a', 't']);
    expect(r.appType).toBeUndefined();
  });

  it('parses a third-party tag with its GUID as opaque', () => {
    const r = expectKind(parseReparseBuffer(THIRD_PARTY), 'opaque');
    expect(r.tag).toBe(0x7e57);
    expect(r.guid).toBe('01234567-89ab-cdef-0123-456789abcdef');
    expect(r.dataLength).toBe(4);
    expect(Array.from(r.data)).toEqual([0xde, 0xad, 0xbe, 0xef]);
    expect(r.tagInfo.isMicrosoft).toBe(false);
    expect(buildReparseBuffer(0x7e57, Uint8Array.of(0xde, 0xad, 0xbe, 0xef), '{01234567-89AB-CDEF-0123-456789ABCDEF}')).toEqual(THIRD_PARTY);
  });

  it('parses NFS special files', () => {
    expect(parseReparseBuffer(NFS_SYMLINK)).toMatchObject({ kind: 'nfs', nfsType: 'symlink', target: 'x', typeCode: '0x00000000014B4E4C' });
    expect(parseReparseBuffer(NFS_CHR)).toMatchObject({ kind: 'nfs', nfsType: 'charDevice', major: 1, minor: 3 });
    const fifo = buildReparseBuffer(IO_REPARSE_TAG_NFS, fromHex('46 49 46 4f 00 00 00 00'));
    expect(parseReparseBuffer(fifo)).toMatchObject({ kind: 'nfs', nfsType: 'fifo' });
    const odd = buildReparseBuffer(IO_REPARSE_TAG_NFS, fromHex('41 42 43 44 00 00 00 01'));
    expect(parseReparseBuffer(odd)).toMatchObject({ kind: 'nfs', nfsType: 'unknown', typeCode: '0x0100000044434241' });
  });

  it('parses a cloud placeholder and an unknown Microsoft tag as opaque', () => {
    const cloud = expectKind(parseReparseBuffer(CLOUD_1), 'opaque');
    expect(cloud.tagInfo.name).toBe('IO_REPARSE_TAG_CLOUD_1');
    expect(cloud.tagInfo.followSafe).toBe(false);
    expect(cloud.guid).toBeUndefined();
    expect(Array.from(cloud.data)).toEqual([1, 2]);
    const unknown = expectKind(parseReparseBuffer(fromHex('ff 0f 00 80 00 00 00 00')), 'opaque');
    expect(unknown.tagInfo.known).toBe(false);
    expect(unknown.data.length).toBe(0);
  });
});

describe('parseReparseBuffer tolerance', () => {
  it('ignores bytes past ReparseDataLength', () => {
    const padded = new Uint8Array(MAXIMUM_REPARSE_DATA_BUFFER_SIZE).fill(0xcc);
    padded.set(JUNCTION_T_DIR);
    expect(parseReparseBuffer(padded)).toEqual(parseReparseBuffer(JUNCTION_T_DIR));
  });

  it('handles mount point names without NUL terminators', () => {
    const r = parseReparseBuffer(
      fromHex(`
      03 00 00 a0 | 0c 00 | 00 00
      00 00 02 00 | 02 00 02 00
      41 00 42 00`),
    );
    expect(r).toMatchObject({ kind: 'mountPoint', substituteName: 'A', printName: 'B' });
  });

  it('drops NULs a writer counted into a name length', () => {
    const r = parseReparseBuffer(
      fromHex(`
      03 00 00 a0 | 10 00 | 00 00
      00 00 04 00 | 04 00 04 00
      41 00 00 00 42 00 00 00`),
    );
    expect(r).toMatchObject({ substituteName: 'A', printName: 'B' });
  });

  it('does not modify its input, and opaque data is a copy', () => {
    const buf = CLOUD_1.slice();
    const r = expectKind(parseReparseBuffer(buf), 'opaque');
    r.data[0] = 0x99;
    expect(buf).toEqual(CLOUD_1);
  });

  it('accepts a Node Buffer', () => {
    expect(parseReparseBuffer(Buffer.from(SYMLINK_RELATIVE)).kind).toBe('symlink');
  });

  it('reads an absolute symlink and keeps extra flag bits', () => {
    const buf = buildSymlinkBuffer({ substituteName: '\\??\\C:\\x', printName: 'C:\\x' });
    buf[16] = 0x02; // an undefined flag bit, relative bit clear
    expect(parseReparseBuffer(buf)).toMatchObject({ kind: 'symlink', relative: false, flags: 2 });
  });
});

describe('malformed reparse data gives LT_BAD_REPARSE_DATA', () => {
  it('rejects a header shorter than 8 bytes', () => {
    for (let n = 0; n < 8; n++) expectBad(JUNCTION_T_DIR.slice(0, n), /shorter than the 8-byte reparse header/);
  });

  it('rejects a ReparseDataLength past the end', () => {
    expectBad(JUNCTION_T_DIR.slice(0, JUNCTION_T_DIR.length - 1), /ReparseDataLength 52 runs past the end of the 59-byte buffer/);
    expectBad(fromHex('0c 00 00 a0 ff ff 00 00'), /ReparseDataLength 65535/);
    expectBad(THIRD_PARTY.slice(0, 27), /ReparseDataLength 4 runs past the end/);
  });

  it('rejects a third-party tag without room for its GUID', () => {
    expectBad(fromHex('57 7e 00 00 00 00 00 00'), /needs a 16-byte GUID/);
    expectBad(THIRD_PARTY.slice(0, 23), /needs a 16-byte GUID/);
  });

  it('rejects symlink and mount point data too short for the fixed fields', () => {
    expectBad(fromHex('0c 00 00 a0 08 00 00 00 00 00 00 00 00 00 00 00'), /Symbolic link data needs 12 bytes/);
    expectBad(fromHex('03 00 00 a0 04 00 00 00 00 00 00 00'), /Mount point data needs 8 bytes/);
    expectBad(fromHex('03 00 00 a0 00 00 00 00'), /ReparseDataLength is 0/);
  });

  it('rejects names past the PathBuffer', () => {
    const subLen = JUNCTION_T_DIR.slice();
    subLen[10] = 0x60; // SubstituteNameLength 96
    expectBad(subLen, /SubstituteName \(offset 0, length 96\) runs past the 44-byte PathBuffer/);
    const prOff = SYMLINK_RELATIVE.slice();
    prOff[12] = 0x20; // PrintNameOffset 32, length 16
    expectBad(prOff, /PrintName \(offset 32, length 16\) runs past the 32-byte PathBuffer/);
    const big = SYMLINK_RELATIVE.slice();
    big[8] = 0xfe;
    big[9] = 0xff; // SubstituteNameOffset 65534
    expectBad(big, /SubstituteName \(offset 65534/);
  });

  it('rejects odd offsets and lengths in UTF-16 names', () => {
    const oddOff = SYMLINK_RELATIVE.slice();
    oddOff[8] = 0x0f;
    expectBad(oddOff, /SubstituteNameOffset 15 is odd/);
    const oddLen = JUNCTION_T_DIR.slice();
    oddLen[14] = 0x0f;
    expectBad(oddLen, /PrintNameLength 15 is odd/);
  });

  it('rejects a wrong AppExecLink version, odd string bytes and too few strings', () => {
    const v2 = APPEXEC_SMALL.slice();
    v2[8] = 2;
    expectBad(v2, /AppExecLink version is 2, expected 3/);
    expectBad(fromHex('1b 00 00 80 02 00 00 00 03 00'), /needs a 4-byte version/);
    expectBad(fromHex('1b 00 00 80 07 00 00 00 03 00 00 00 70 00 00'), /not whole UTF-16 code units/);
    expectBad(fromHex('1b 00 00 80 0c 00 00 00 03 00 00 00 70 00 00 00 61 00 00 00'), /holds 2 string\(s\)/);
  });

  it('rejects a wrong LX_SYMLINK version or missing version', () => {
    const v1 = LX_USR_BIN.slice();
    v1[8] = 1;
    expectBad(v1, /LX_SYMLINK version is 1, expected 2/);
    expectBad(fromHex('1d 00 00 a0 00 00 00 00'), /LX_SYMLINK data needs a 4-byte version/);
  });

  it('rejects short or odd NFS data', () => {
    expectBad(fromHex('14 00 00 80 04 00 00 00 4c 4e 4b 01'), /NFS data needs an 8-byte Type/);
    expectBad(
      NFS_CHR.slice(0, NFS_CHR.length - 1).map((b, i) => (i === 4 ? 0x0f : b)),
      /NFS device minor number/,
    );
    expectBad(fromHex('14 00 00 80 09 00 00 00 4c 4e 4b 01 00 00 00 00 78'), /NFS symlink target is 1 bytes/);
  });

  it('rejects something that is not a byte buffer', () => {
    expectBad('not bytes' as unknown as Uint8Array, /expected a byte buffer/);
    expectBad(null as unknown as Uint8Array, /expected a byte buffer/);
  });
});

describe('builders', () => {
  it('round-trip a symlink, defaulting the print name and relative flag', () => {
    const abs = parseReparseBuffer(buildSymlinkBuffer({ substituteName: '\\??\\UNC\\srv\\share\\f' }));
    expect(abs).toMatchObject({ kind: 'symlink', printName: '\\\\srv\\share\\f', relative: false, flags: 0 });
    const rel = parseReparseBuffer(buildSymlinkBuffer({ substituteName: 'sub\\f.txt' }));
    expect(rel).toMatchObject({ kind: 'symlink', printName: 'sub\\f.txt', relative: true, flags: 1 });
    const rooted = parseReparseBuffer(buildSymlinkBuffer({ substituteName: '\\Windows' }));
    expect(rooted).toMatchObject({ relative: true });
  });

  it('lay the symlink out substitute first, lengths in bytes, ReparseDataLength = size - 8', () => {
    const buf = buildSymlinkBuffer({ substituteName: '\\??\\C:\\x', printName: 'C:\\x', relative: false });
    expect(buf).toEqual(
      fromHex(`
        0c 00 00 a0 | 24 00 | 00 00
        00 00 10 00 | 10 00 08 00 | 00 00 00 00
        5c 00 3f 00 3f 00 5c 00 43 00 3a 00 5c 00 78 00
        43 00 3a 00 5c 00 78 00`),
    );
  });

  it('keep spoofed print names and unpaired surrogates exactly', () => {
    const printName = 'C:\\Users\\me\\\u202etxt.exe';
    const substituteName = '\\??\\C:\\evil\\\ud800x\udfff\u{1f600}';
    const r = parseReparseBuffer(buildSymlinkBuffer({ substituteName, printName }));
    expect(r).toMatchObject({ substituteName, printName });
  });

  it('round-trip an AppExecLink without the application type string', () => {
    const opts = {
      packageId: 'Microsoft.WindowsTerminal_8wekyb3d8bbwe',
      appUserModelId: 'Microsoft.WindowsTerminal_8wekyb3d8bbwe!App',
      targetPath: 'C:\\Program Files\\WindowsApps\\Microsoft.WindowsTerminal\\wt.exe',
      appType: null,
    };
    const r = expectKind(parseReparseBuffer(buildAppExecLinkBuffer(opts)), 'appExecLink');
    expect(r).toMatchObject({ packageId: opts.packageId, appUserModelId: opts.appUserModelId, targetPath: opts.targetPath });
    expect(r.strings).toHaveLength(3);
  });

  it('reject bad input with LT_INVALID_ARGUMENT', () => {
    const cases: Array<() => unknown> = [
      () => buildSymlinkBuffer({ substituteName: '' }),
      () => buildSymlinkBuffer({ substituteName: 'a\u0000b' }),
      () => buildSymlinkBuffer({ substituteName: 'x', printName: 'p\u0000' }),
      () => buildSymlinkBuffer({ substituteName: 'x'.repeat(MAXIMUM_REPARSE_DATA_BUFFER_SIZE / 2) }),
      () => buildMountPointBuffer({ substituteName: 'C:\\dir' }),
      () => buildMountPointBuffer({ substituteName: '\\\\srv\\share' }),
      () => buildLxSymlinkBuffer(''),
      () => buildAppExecLinkBuffer({ packageId: 'p\u0000', appUserModelId: 'a', targetPath: 't' }),
      () => buildReparseBuffer(0x1234, new Uint8Array(0)),
      () => buildReparseBuffer(0x80000017, new Uint8Array(0), '01234567-89ab-cdef-0123-456789abcdef'),
      () => buildReparseBuffer(0x1234, new Uint8Array(0), 'not-a-guid'),
    ];
    for (const c of cases) expect(caught(c).code).toBe('LT_INVALID_ARGUMENT');
  });

  it('accept the largest buffer Windows takes', () => {
    // 16384 - 8 header - 12 fixed = 16364 bytes of names: 8182 UTF-16 units.
    const buf = buildSymlinkBuffer({ substituteName: 'a'.repeat(8181), printName: 'b' });
    expect(buf.length).toBe(MAXIMUM_REPARSE_DATA_BUFFER_SIZE);
    expect(expectKind(parseReparseBuffer(buf), 'symlink').substituteName).toHaveLength(8181);
  });
});
