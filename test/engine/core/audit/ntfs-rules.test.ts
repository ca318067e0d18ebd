/**
 * The NTFS-only rules (junction-not-local, type-mismatch, print-name-mismatch,
 * object-manager-target, unsafe-reparse-tag) and the UNC / remote ones, on an in-memory
 * Windows-like backend that hands the audit exact reparse facts.
 */
import { describe, expect, it } from 'vitest';
import { audit, pairs } from './run.js';
import { FakeNtfs } from './fake-backend.js';

const R = 'C:\\data';

function tree(): FakeNtfs {
  return new FakeNtfs()
    .dir(R)
    .dir(`${R}\\docs`)
    .file(`${R}\\docs\\a.txt`)
    .dir('C:\\Windows')
    .dir('C:\\Windows\\System32')
    .file('C:\\Windows\\System32\\cmd.exe')
    .junction(`${R}\\ok-junction`, '\\??\\C:\\data\\docs')
    .symlink(`${R}\\ok-file-link`, 'docs\\a.txt', 'file')
    .junction(`${R}\\unc-junction`, '\\??\\UNC\\srv\\share\\x', '\\\\srv\\share\\x')
    .junction(`${R}\\relative-junction`, 'docs', 'docs')
    .symlink(`${R}\\file-to-dir`, 'docs', 'file')
    .symlink(`${R}\\dir-to-file`, 'docs\\a.txt', 'directory')
    .junction(`${R}\\liar`, '\\??\\C:\\Windows\\System32', 'C:\\data\\docs')
    .junction(`${R}\\rpc`, '\\RPC Control\\evil', '\\RPC Control\\evil')
    .symlink(`${R}\\globalroot`, '\\??\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\x', 'file', { sub: '\\??\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\x', print: '' })
    .symlink(`${R}\\unc-link`, '\\\\srv\\share\\doc.txt', 'file', { sub: '\\??\\UNC\\srv\\share\\doc.txt', print: '\\\\srv\\share\\doc.txt' })
    .other(`${R}\\cloud.txt`, 0x9000601a)
    .other(`${R}\\mystery`, 0x00001234)
    .other(`${R}\\deduped.bin`, 0x80000013);
}

describe('NTFS rules on a fake Windows backend', () => {
  it('finds exactly the planted NTFS cases', () => {
    const fake = tree();
    const r = audit([R], { rule: ['junction-not-local', 'type-mismatch', 'print-name-mismatch', 'object-manager-target', 'unsafe-reparse-tag', 'remote-target'] }, { platform: fake });
    expect(pairs(r.streamed, R, '\\')).toEqual([
      'junction-not-local relative-junction',
      'junction-not-local unc-junction',
      'object-manager-target globalroot',
      'object-manager-target rpc',
      'print-name-mismatch liar',
      'remote-target unc-junction',
      'remote-target unc-link',
      'type-mismatch dir-to-file',
      'type-mismatch file-to-dir',
      'unsafe-reparse-tag cloud.txt',
      'unsafe-reparse-tag mystery',
    ]);
    const byPath = new Map(r.streamed.map((f) => [`${f.rule} ${f.path}`, f.details as Record<string, unknown>]));
    expect(byPath.get(`print-name-mismatch ${R}\\liar`)).toMatchObject({ printName: 'C:\\data\\docs', substituteAsDos: 'C:\\Windows\\System32' });
    expect(byPath.get(`type-mismatch ${R}\\file-to-dir`)).toMatchObject({ declaredType: 'file', actualType: 'directory' });
    expect(byPath.get(`unsafe-reparse-tag ${R}\\cloud.txt`)).toMatchObject({ label: 'cloud', known: true });
    expect(byPath.get(`unsafe-reparse-tag ${R}\\mystery`)).toMatchObject({ known: false });
    expect(byPath.get(`remote-target ${R}\\unc-link`)).toMatchObject({ via: 'unc', host: 'srv', share: 'share' });
  });

  it('the junction that lies about its target also trips sensitive-target; device and UNC targets escape the root', () => {
    const r = audit([R], { rule: ['sensitive-target', 'escapes-root'] }, { platform: tree() });
    expect(pairs(r.streamed, R, '\\')).toEqual([
      'escapes-root globalroot',
      'escapes-root liar',
      'escapes-root rpc',
      'escapes-root unc-junction',
      'escapes-root unc-link',
      'sensitive-target liar',
    ]);
  });

  it('never follows an unsafe reparse point (the chain stops, nothing is called broken)', () => {
    const r = audit([R], { rule: ['broken-target', 'link-loop'] }, { platform: tree() });
    expect(r.streamed.map((f) => f.path)).not.toContain(`${R}\\cloud.txt`);
    const cloud = r.links.find((l) => l.path === `${R}\\cloud.txt`)!;
    expect(cloud.targetExists).toBeNull();
  });

  it('remote-unresolvable: with R2L off a remote client cannot follow symbolic links; junctions still resolve on the server', () => {
    const fake = new FakeNtfs()
      .dir(R)
      .dir(`${R}\\docs`)
      .junction(`${R}\\j`, '\\??\\C:\\data\\docs')
      .symlink(`${R}\\rel`, 'docs', 'directory')
      .symlink(`${R}\\unc`, '\\\\srv\\share', 'directory', { sub: '\\??\\UNC\\srv\\share', print: '\\\\srv\\share' });
    const off = audit([R], { rule: ['remote-unresolvable'], remotePolicy: 'L2L,L2R' }, { platform: fake });
    expect(pairs(off.streamed, R, '\\')).toEqual(['remote-unresolvable rel', 'remote-unresolvable unc']);
    expect(off.streamed[0]!.details).toMatchObject({ failure: 'classDisabled' });
    const r2l = audit([R], { rule: ['remote-unresolvable'], remotePolicy: 'R2L' }, { platform: fake });
    expect(pairs(r2l.streamed, R, '\\')).toEqual(['remote-unresolvable unc']);
    expect(r2l.streamed[0]!.details).toMatchObject({ evaluationClass: 'R2R' });
    expect(audit([R], { rule: ['remote-unresolvable'], remotePolicy: 'R2L,R2R' }, { platform: fake }).streamed).toEqual([]);
  });

  it('an unlistable folder is an unreadable finding', () => {
    const fake = tree();
    fake.deny.add(`${R}\\docs`);
    const r = audit([R], { rule: ['unreadable'] }, { platform: fake });
    expect(pairs(r.streamed, R, '\\')).toEqual(['unreadable docs']);
  });

  it('globs match case-insensitively on Windows paths', () => {
    const r = audit([R], { rule: ['unsafe-reparse-tag'], exclude: ['CLOUD.TXT'] }, { platform: tree() });
    expect(pairs(r.streamed, R, '\\')).toEqual(['unsafe-reparse-tag mystery']);
  });
});
