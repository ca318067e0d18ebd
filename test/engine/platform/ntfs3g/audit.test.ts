/**
 * The audit rules that need NTFS facts, on genuine reparse points of a real NTFS image (ntfs-3g):
 * each rule's case is planted with setfattr from a hand-built buffer, and the exact set of findings
 * of `linktools audit` is asserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from '../../helpers/cli.js';
import { getAttr, handAppExecLink, handJunction, handOpaque, handSymlink, makeImage, plantReparse, setAttrib, ntfsUnavailable, type NtfsImage } from './image.js';
import { requireOrSkip } from '../../helpers/capability.js';

const reason = ntfsUnavailable();
const skip = requireOrSkip('ntfs', reason === null ? null : `NTFS image tests cannot run: ${reason}`, 'test/engine/platform/ntfs3g/audit.test.ts');

describe.skipIf(skip)('audit on a real NTFS volume', () => {
  let im: NtfsImage;
  const at = (rel: string) => path.join(im.mnt, 'tree', rel);
  const make = (rel: string, dir: boolean, buf: Buffer): void => plantReparse(at(rel), dir, buf);

  beforeAll(async () => {
    im = await makeImage();
    await ensureCli();
    fs.mkdirSync(at('data'), { recursive: true });
    fs.writeFileSync(at('data/file.txt'), 'content');
    // clean: a junction and a relative directory symlink inside the tree
    make('good-junction', true, handJunction('\\??\\C:\\tree\\data', 'C:\\tree\\data'));
    make('good-dirlink', true, handSymlink('data', 'data', true));
    // print-name-mismatch: dir shows C:\tree\data\file.txt, the link really goes to C:\tree\data
    make('spoofed', true, handJunction('\\??\\C:\\tree\\data', 'C:\\tree\\data\\file.txt'));
    // type-mismatch: a directory symbolic link to a file
    make('wrong-type', true, handSymlink('data\\file.txt', 'data\\file.txt', true));
    // object-manager-target: a mount point into the object manager's RPC Control directory
    make('rpc', true, handJunction('\\RPC Control\\evil', '\\RPC Control\\evil'));
    // junction-not-local: a junction whose substitute name is a UNC path (Windows refuses to follow it)
    make('unc-junction', true, handJunction('\\??\\UNC\\server\\share\\x', '\\\\server\\share\\x'));
    // unsafe-reparse-tag: a cloud placeholder (never hydrated: OFFLINE | RECALL_ON_DATA_ACCESS)
    make('placeholder.docx', false, handOpaque(0x9000601a, Buffer.from('0102030405060708', 'hex')));
    setAttrib(at('placeholder.docx'), 0x00401020);
    // data reparse points are files: a deduplicated file, a WOF-compressed file and a hydrated cloud file
    make('dedup.bin', false, handOpaque(0x80000013, Buffer.from('0102030405060708', 'hex')));
    make('wof.dll', false, handOpaque(0x80000017, Buffer.from('0102030405060708', 'hex')));
    make('hydrated.docx', false, handOpaque(0x9000601a, Buffer.from('0102030405060708', 'hex')));
    // an app execution alias: described, not followed, and not a finding by itself
    make('app.exe', false, handAppExecLink('P_8wekyb3d8bbwe', 'P_8wekyb3d8bbwe!App', 'C:\\Program Files\\WindowsApps\\app.exe'));
  });

  afterAll(async () => {
    await im?.cleanup();
  });

  it('finds exactly the NTFS-only rule cases', () => {
    const r = cli(['audit', at(''), '--fail-on', 'error']);
    const findings = r.records
      .filter((x) => x.recordType === 'finding')
      .map((x) => `${x.rule} ${path.relative(at(''), x.path as string)}`)
      .sort();
    expect(findings).toEqual(
      [
        'junction-not-local unc-junction',
        'object-manager-target rpc',
        'print-name-mismatch spoofed',
        'remote-target unc-junction',
        'type-mismatch wrong-type',
        'unsafe-reparse-tag placeholder.docx',
        // an alias pointing out of the tree is reported as such, but it is no sensitive-target:
        // file I/O never follows an app execution alias.
        'escapes-root app.exe',
        // the absolute junctions: info-level portability notes are only for symbolic links
      ].sort(),
    );
    expect(r.code).toBe(1); // object-manager-target and junction-not-local are errors
    const summary = r.records.find((x) => x.recordType === 'auditSummary')!;
    expect(summary).toBeTruthy();
  });

  it('a scan that starts on POSIX re-routes at the NTFS mount point and reads real reparse points below it', () => {
    const r = cli(['scan', im.dir]);
    const byRel = new Map(r.records.filter((x) => x.recordType === 'linkInfo').map((x) => [path.relative(im.mnt, x.path as string), x]));
    expect(byRel.get('tree/good-junction')).toMatchObject({ kind: 'junction', backend: 'ntfs3g', reparse: { tagHex: '0xA0000003' } });
    expect(byRel.get('tree/wrong-type')).toMatchObject({ kind: 'symlink', backend: 'ntfs3g', targetType: 'directory' });
    expect(byRel.get('tree/placeholder.docx')).toMatchObject({ kind: 'reparsePoint', backend: 'ntfs3g' });
  });

  it('data reparse points (dedup, WOF, a hydrated cloud file) are files with a reparse tag: no link rules, not counted as links', () => {
    for (const [rel, tag] of [
      ['dedup.bin', '0x80000013'],
      ['wof.dll', '0x80000017'],
      ['hydrated.docx', '0x9000601A'],
    ] as const) {
      const info = cli(['info', at(rel)]).records[0]!;
      expect(info).toMatchObject({ kind: 'file', targetType: 'file', target: null, chain: [], reparse: { tagHex: tag, isLink: false } });
    }
    const r = cli(['audit', at(''), '--fail-on', 'never']);
    const paths = r.records.filter((x) => x.recordType === 'finding').map((x) => path.basename(x.path as string));
    expect(paths).not.toContain('dedup.bin');
    expect(paths).not.toContain('wof.dll');
    expect(paths).not.toContain('hydrated.docx');
    const summary = r.records.find((x) => x.recordType === 'auditSummary')!;
    // good-junction, good-dirlink, spoofed, wrong-type, rpc, unc-junction, placeholder.docx, app.exe
    expect(summary.links).toBe(8);
    expect(summary.dataReparseFiles).toBe(3);
  });

  it('never hydrates the placeholder: its reparse data and attributes are unchanged', () => {
    const before = [getAttr(at('placeholder.docx'), 'system.ntfs_reparse_data'), getAttr(at('placeholder.docx'), 'system.ntfs_attrib_be')];
    expect(before[0]).not.toBeNull();
    cli(['audit', at('')]);
    cli(['scan', at('')]);
    const after = [getAttr(at('placeholder.docx'), 'system.ntfs_reparse_data'), getAttr(at('placeholder.docx'), 'system.ntfs_attrib_be')];
    expect(after).toEqual(before);
    const info = cli(['info', at('placeholder.docx')]).records[0]!;
    expect(info).toMatchObject({ kind: 'reparsePoint', targetExists: null, reparse: { followSafe: false, label: 'cloud' } });
  });
});
