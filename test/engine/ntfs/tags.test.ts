import { describe, expect, it } from 'vitest';
import { describeTag, formatTag, isCloudTag, IO_REPARSE_TAG_CLOUD_MASK, REPARSE_TAGS } from '../../../engine/src/ntfs/index.js';

/** The [MS-FSCC] 2.1.2.1 table (plus DATALESS_CIM from ntifs.h), name → value, typed in from the spec. */
const SPEC: Record<string, number> = {
  IO_REPARSE_TAG_RESERVED_ZERO: 0x00000000,
  IO_REPARSE_TAG_RESERVED_ONE: 0x00000001,
  IO_REPARSE_TAG_RESERVED_TWO: 0x00000002,
  IO_REPARSE_TAG_MOUNT_POINT: 0xa0000003,
  IO_REPARSE_TAG_HSM: 0xc0000004,
  IO_REPARSE_TAG_DRIVE_EXTENDER: 0x80000005,
  IO_REPARSE_TAG_HSM2: 0x80000006,
  IO_REPARSE_TAG_SIS: 0x80000007,
  IO_REPARSE_TAG_WIM: 0x80000008,
  IO_REPARSE_TAG_CSV: 0x80000009,
  IO_REPARSE_TAG_DFS: 0x8000000a,
  IO_REPARSE_TAG_FILTER_MANAGER: 0x8000000b,
  IO_REPARSE_TAG_SYMLINK: 0xa000000c,
  IO_REPARSE_TAG_IIS_CACHE: 0xa0000010,
  IO_REPARSE_TAG_DFSR: 0x80000012,
  IO_REPARSE_TAG_DEDUP: 0x80000013,
  IO_REPARSE_TAG_APPXSTRM: 0xc0000014,
  IO_REPARSE_TAG_NFS: 0x80000014,
  IO_REPARSE_TAG_FILE_PLACEHOLDER: 0x80000015,
  IO_REPARSE_TAG_DFM: 0x80000016,
  IO_REPARSE_TAG_WOF: 0x80000017,
  IO_REPARSE_TAG_WCI: 0x80000018,
  IO_REPARSE_TAG_WCI_1: 0x90001018,
  IO_REPARSE_TAG_GLOBAL_REPARSE: 0xa0000019,
  IO_REPARSE_TAG_CLOUD: 0x9000001a,
  IO_REPARSE_TAG_CLOUD_1: 0x9000101a,
  IO_REPARSE_TAG_CLOUD_2: 0x9000201a,
  IO_REPARSE_TAG_CLOUD_3: 0x9000301a,
  IO_REPARSE_TAG_CLOUD_4: 0x9000401a,
  IO_REPARSE_TAG_CLOUD_5: 0x9000501a,
  IO_REPARSE_TAG_CLOUD_6: 0x9000601a,
  IO_REPARSE_TAG_CLOUD_7: 0x9000701a,
  IO_REPARSE_TAG_CLOUD_8: 0x9000801a,
  IO_REPARSE_TAG_CLOUD_9: 0x9000901a,
  IO_REPARSE_TAG_CLOUD_A: 0x9000a01a,
  IO_REPARSE_TAG_CLOUD_B: 0x9000b01a,
  IO_REPARSE_TAG_CLOUD_C: 0x9000c01a,
  IO_REPARSE_TAG_CLOUD_D: 0x9000d01a,
  IO_REPARSE_TAG_CLOUD_E: 0x9000e01a,
  IO_REPARSE_TAG_CLOUD_F: 0x9000f01a,
  IO_REPARSE_TAG_APPEXECLINK: 0x8000001b,
  IO_REPARSE_TAG_PROJFS: 0x9000001c,
  IO_REPARSE_TAG_LX_SYMLINK: 0xa000001d,
  IO_REPARSE_TAG_STORAGE_SYNC: 0x8000001e,
  IO_REPARSE_TAG_STORAGE_SYNC_FOLDER: 0x90000027,
  IO_REPARSE_TAG_WCI_TOMBSTONE: 0xa000001f,
  IO_REPARSE_TAG_UNHANDLED: 0x80000020,
  IO_REPARSE_TAG_ONEDRIVE: 0x80000021,
  IO_REPARSE_TAG_PROJFS_TOMBSTONE: 0xa0000022,
  IO_REPARSE_TAG_AF_UNIX: 0x80000023,
  IO_REPARSE_TAG_LX_FIFO: 0x80000024,
  IO_REPARSE_TAG_LX_CHR: 0x80000025,
  IO_REPARSE_TAG_LX_BLK: 0x80000026,
  IO_REPARSE_TAG_WCI_LINK: 0xa0000027,
  IO_REPARSE_TAG_WCI_LINK_1: 0xa0001027,
  IO_REPARSE_TAG_DATALESS_CIM: 0xa0000028,
};

describe('reparse tag table', () => {
  it('holds exactly the spec table, with the right values', () => {
    const table = Object.fromEntries(REPARSE_TAGS.map((t) => [t.name, t.tag]));
    expect(table).toEqual(SPEC);
    expect(new Set(REPARSE_TAGS.map((t) => t.tag)).size).toBe(REPARSE_TAGS.length);
  });

  it('describes symlinks and mount points as follow-safe links', () => {
    expect(describeTag(0xa000000c)).toMatchObject({ name: 'IO_REPARSE_TAG_SYMLINK', label: 'symlink', isLink: true, followSafe: true, isNameSurrogate: true, isMicrosoft: true });
    expect(describeTag(0xa0000003)).toMatchObject({ name: 'IO_REPARSE_TAG_MOUNT_POINT', label: 'junction', isLink: true, followSafe: true, isNameSurrogate: true });
    expect(describeTag(0xa000001d)).toMatchObject({ label: 'wsl-symlink', isLink: true });
  });

  it('never lets an audit follow a cloud placeholder', () => {
    const clouds = REPARSE_TAGS.filter((t) => isCloudTag(t.tag));
    expect(clouds).toHaveLength(16);
    for (const t of clouds) {
      expect(t).toMatchObject({ label: 'cloud', followSafe: false, isLink: false, isDirectory: true });
      expect(t.reason).toMatch(/hydrat/);
    }
    expect(IO_REPARSE_TAG_CLOUD_MASK).toBe(0x0000f000);
    expect(isCloudTag(0x9000001b)).toBe(false);
  });

  it('treats data-holding and placeholder tags as not follow-safe', () => {
    for (const name of ['HSM', 'HSM2', 'DEDUP', 'WOF', 'SIS', 'PROJFS', 'ONEDRIVE', 'STORAGE_SYNC', 'FILE_PLACEHOLDER', 'LX_FIFO', 'APPEXECLINK', 'GLOBAL_REPARSE']) {
      const t = describeTag(SPEC[`IO_REPARSE_TAG_${name}`]!);
      expect(t.followSafe, name).toBe(false);
    }
  });

  it('gives every row a label and a one-sentence reason, and bits that agree with the value', () => {
    const safe = REPARSE_TAGS.filter((t) => t.followSafe).map((t) => t.name);
    expect(safe.sort()).toEqual(['IO_REPARSE_TAG_LX_SYMLINK', 'IO_REPARSE_TAG_MOUNT_POINT', 'IO_REPARSE_TAG_SYMLINK']);
    for (const t of REPARSE_TAGS) {
      expect(t.known).toBe(true);
      expect(t.label).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(t.reason).toMatch(/^[A-Z].*\.$/);
      expect(t.isMicrosoft).toBe(t.tag >= 0x80000000);
      expect(t.isNameSurrogate).toBe((t.tag & 0x20000000) !== 0);
      expect(t.isDirectory).toBe((t.tag & 0x10000000) !== 0);
      // [MS-FSCC]: the D bit must not be set together with N.
      expect(t.isDirectory && t.isNameSurrogate).toBe(false);
      if (t.followSafe) expect(t.isLink).toBe(true);
    }
  });

  it('decodes unknown tags from their bits and never follows them', () => {
    expect(describeTag(0xa0000fff)).toMatchObject({
      tag: 0xa0000fff,
      known: false,
      name: 'IO_REPARSE_TAG_MICROSOFT_A0000FFF',
      label: 'unknown-microsoft',
      isMicrosoft: true,
      isNameSurrogate: true,
      isDirectory: false,
      isLink: false,
      followSafe: false,
    });
    expect(describeTag(0x10001234)).toMatchObject({ known: false, label: 'third-party', isMicrosoft: false, isDirectory: true, followSafe: false });
    expect(describeTag(0x10001234).reason).toMatch(/unknown third-party directory-capable reparse point/);
  });

  it('accepts signed 32-bit values the way DWORDs arrive from some bindings', () => {
    expect(describeTag(-1610612724).name).toBe('IO_REPARSE_TAG_SYMLINK');
    expect(formatTag(-1610612724)).toBe('0xA000000C');
  });
});
