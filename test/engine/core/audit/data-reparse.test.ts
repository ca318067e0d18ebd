/**
 * Reparse points that carry file data (dedup, WOF, an unknown non-surrogate tag on a normal file)
 * are files with a reparse tag: `info` says file, the audit does not count them as links and runs
 * no link rule on them; placeholders whose content is not known to be local and name surrogates
 * stay reparse points. On the mock backend in Windows mode, plus the tag table's own answers.
 */
import { describe, expect, it } from 'vitest';
import { createLink } from '../../../../engine/src/core/create.js';
import { runScan } from '../../../../engine/src/core/scan/scan.js';
import { codeOf } from '../../helpers/errors.js';
import { inspect } from '../../../../engine/src/core/info.js';
import { describeTag } from '../../../../engine/src/ntfs/index.js';
import { isDataFile } from '../../../../engine/src/platform/classify.js';
import { MockPlatform } from '../../../../engine/src/platform/mock/backend.js';
import { expectValid } from '../../helpers/contract.js';
import { audit, pairs } from './run.js';

describe('tag table: which tags hold file data', () => {
  it('dedup, WOF, SIS and unknown non-surrogates: yes; placeholders: when hydrated; links, sockets, NFS: no', () => {
    expect(describeTag(0x80000013).holdsData).toBe('yes'); // DEDUP
    expect(describeTag(0x80000017).holdsData).toBe('yes'); // WOF
    expect(describeTag(0x80000007).holdsData).toBe('yes'); // SIS
    expect(describeTag(0x00001234).holdsData).toBe('yes'); // unknown third-party, not a name surrogate
    expect(describeTag(0x9000601a).holdsData).toBe('when-hydrated'); // CLOUD_6 (OneDrive)
    expect(describeTag(0x80000021).holdsData).toBe('when-hydrated'); // ONEDRIVE
    expect(describeTag(0xa000000c).holdsData).toBe('no'); // SYMLINK
    expect(describeTag(0xa0000003).holdsData).toBe('no'); // MOUNT_POINT
    expect(describeTag(0x20001234).holdsData).toBe('no'); // unknown name surrogate
    expect(describeTag(0x80000023).holdsData).toBe('no'); // AF_UNIX
    expect(describeTag(0x80000014).holdsData).toBe('no'); // NFS
  });

  it('isDataFile: normal files only; a placeholder only with attributes that show local content', () => {
    const rec = (tag: number, details?: Record<string, unknown>) => ({
      tag,
      tagHex: '',
      tagName: '',
      label: describeTag(tag).label,
      isLink: describeTag(tag).isLink,
      followSafe: false,
      reason: '',
      ...(details ? { details } : {}),
    });
    const data = (tag: number, type: 'file' | 'directory', details?: Record<string, unknown>) => ({ kind: 'reparsePoint' as const, target: null, declaredType: type, reparse: rec(tag, details) });
    expect(isDataFile(data(0x80000013, 'file'))).toBe(true);
    expect(isDataFile(data(0x80000013, 'directory'))).toBe(false);
    expect(isDataFile(data(0x9000601a, 'file'))).toBe(false); // attributes unknown: not known to be local
    expect(isDataFile(data(0x9000601a, 'file', { attributes: '0x00000020' }))).toBe(true); // ARCHIVE only: hydrated
    expect(isDataFile(data(0x9000601a, 'file', { attributes: '0x00400020' }))).toBe(false); // RECALL_ON_DATA_ACCESS
    expect(isDataFile(data(0x9000601a, 'file', { attributes: '0x00001020' }))).toBe(false); // OFFLINE
    expect(isDataFile({ kind: 'symlink', target: 'x', declaredType: 'file', reparse: rec(0xa000000c) })).toBe(false);
  });
});

describe('data reparse points on the Windows mock', () => {
  function tree(): MockPlatform {
    const m = new MockPlatform({ mode: 'windows' });
    m.fs.addDir('C:\\t\\docs').addFile('C:\\t\\docs\\a.txt', 'a');
    m.fs.addReparse('C:\\t\\dedup.bin', 0x80000013, { data: new Uint8Array([1, 2, 3, 4]), content: 'deduplicated content' });
    m.fs.addReparse('C:\\t\\compact.dll', 0x80000017, { data: new Uint8Array([1, 2, 3, 4]), content: 'compressed content' });
    m.fs.addReparse('C:\\t\\vendor.dat', 0x00001234, { data: new Uint8Array([1, 2]), content: 'vendor content' });
    m.fs.addReparse('C:\\t\\cloud.docx', 0x9000601a); // a placeholder, attributes unknown: not followed
    m.fs.addReparse('C:\\t\\vendor-dir', 0x00001234, { directory: true }); // a directory: not a normal file
    m.fs.addSymlink('C:\\t\\to-dedup', 'dedup.bin', 'file');
    return m;
  }

  it('info: a file with its reparse tag (isLink false), not a link', () => {
    const m = tree();
    for (const [p, tag] of [
      ['C:\\t\\dedup.bin', '0x80000013'],
      ['C:\\t\\compact.dll', '0x80000017'],
      ['C:\\t\\vendor.dat', '0x00001234'],
    ] as const) {
      expect(expectValid(inspect(m, p))).toMatchObject({ kind: 'file', targetType: 'file', target: null, chain: [], targetExists: null, reparse: { tagHex: tag, isLink: false } });
    }
    expect(expectValid(inspect(m, 'C:\\t\\cloud.docx'))).toMatchObject({ kind: 'reparsePoint', targetExists: null });
    // A link to a data file ends there: the file exists.
    expect(expectValid(inspect(m, 'C:\\t\\to-dedup'))).toMatchObject({ kind: 'symlink', targetExists: true, finalTarget: 'C:\\t\\dedup.bin', targetType: 'file' });
  });

  it('create: a hard link to a data file is made (it is a file); to the placeholder and to a link it is refused', () => {
    const m = tree();
    const r = expectValid(createLink(m, { kind: 'hardlink', link: 'C:\\t\\dedup-2.bin', target: 'C:\\t\\dedup.bin' }));
    expect(r).toMatchObject({ kind: 'hardlink', linkCount: 2, reparse: { tagHex: '0x80000013', isLink: false } });
    expect(m.fs.readFile('C:\\t\\dedup-2.bin')).toBe('deduplicated content');
    expect(codeOf(() => createLink(m, { kind: 'hardlink', link: 'C:\\t\\c2', target: 'C:\\t\\cloud.docx' }))).toBe('LT_NOT_A_FILE');
    expect(codeOf(() => createLink(m, { kind: 'hardlink', link: 'C:\\t\\l2', target: 'C:\\t\\to-dedup' }))).toBe('LT_NOT_A_FILE');
  });

  it('scan: not counted or reported as links; a data file with two names is a hard-link group', () => {
    const m = tree();
    createLink(m, { kind: 'hardlink', link: 'C:\\t\\docs\\dedup-copy.bin', target: 'C:\\t\\dedup.bin' });
    const records: Array<Record<string, unknown>> = [];
    const r = runScan(m, { roots: ['C:\\t'] }, { record: (x) => records.push(expectValid(x) as unknown as Record<string, unknown>), error: () => undefined });
    expect(r.stats.dataReparseFiles).toBe(4); // dedup.bin (two names), compact.dll, vendor.dat
    expect(r.byKind).toEqual({ reparsePoint: 2, symlink: 1, hardlink: 2 });
    const hard = records
      .filter((x) => x['kind'] === 'hardlink')
      .map((x) => x['path'])
      .sort();
    expect(hard).toEqual(['C:\\t\\dedup.bin', 'C:\\t\\docs\\dedup-copy.bin']);
    expect(records.some((x) => x['recordType'] === 'linkInfo' && String(x['path']).endsWith('compact.dll'))).toBe(false);
  });

  it('audit: no link rule fires on them and they are not counted as links', () => {
    const r = audit(['C:\\t'], {}, { platform: tree() });
    expect(pairs(r.streamed, 'C:\\t', '\\')).toEqual(['unsafe-reparse-tag cloud.docx', 'unsafe-reparse-tag vendor-dir']);
    expect(r.summary.links).toBe(3); // cloud.docx, vendor-dir, to-dedup
    expect(r.summary.dataReparseFiles).toBe(3);
    expect(r.summary.byKind).toEqual({ reparsePoint: 2, symlink: 1 });
  });
});
