/**
 * The per-link audit rules (engine/src/core/audit/checks.ts), fourth part: sensitive locations met
 * on the way, print names of symbolic links, messy targets in a drive's root folder and through a
 * folder link on Windows, and the volume a GLOBALROOT device path names (none). Exact findings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Reparse } from '../../../../engine/src/contract/types.js';
import { describeTag, formatTag } from '../../../../engine/src/ntfs/index.js';
import { build, tempDir } from '../../helpers/tree.js';
import { audit } from './run.js';
import { FakeNtfs } from './fake-backend.js';

const R = 'C:\\data';
const at = (rel: string) => `${R}\\${rel}`;
const found = (r: ReturnType<typeof audit>, root: string) => r.streamed.map((f) => [f.rule, f.path.slice(root.length + 1), f.details]);
const reparseOf = (tag: number, sub: string, print: string): Reparse => {
  const t = describeTag(tag);
  return { tag, tagHex: formatTag(tag), tagName: t.name, label: t.label, isLink: t.isLink, followSafe: t.followSafe, reason: t.reason, substituteName: sub, printName: print };
};

describe('sensitive-target: every hop of the chain counts', () => {
  it('a chain that passes through a sensitive folder and ends outside it', () => {
    const root = path.join(tempDir(), 'r');
    build(root, { 'sys/.keep': '', 'data/f.txt': 'F' });
    fs.symlinkSync('../data/f.txt', path.join(root, 'sys/hop')); // inside the sensitive folder: not judged
    fs.symlinkSync('sys/hop', path.join(root, 'a'));
    const sys = path.join(root, 'sys');
    const r = audit([root], { rule: ['sensitive-target'] }, { config: { sensitivePaths: [sys], defaultSensitivePaths: false } });
    expect(found(r, root)).toEqual([['sensitive-target', 'a', { target: 'sys/hop', resolvedTarget: path.join(sys, 'hop'), sensitivePath: sys, hop: path.join(sys, 'hop'), scope: 'tree' }]]);
  });

  it('Windows text on POSIX ending with a separator is still Windows text (no verdict on where it leads)', () => {
    const root = path.join(tempDir(), 'r');
    fs.mkdirSync(root, { recursive: true });
    fs.symlinkSync('C:/x/', path.join(root, 'drive-slash'));
    expect(found(audit([root], { rule: ['messy-target'] }), root)).toEqual([
      ['messy-target', 'drive-slash', { target: 'C:/x/', tidyTarget: 'C:/x', reasons: ['trailing-separator'], sameTarget: null }],
    ]);
  });
});

describe('print-name-mismatch and messy-target on Windows', () => {
  it('a symbolic link whose print name differs is reported; an app execution alias or WSL link with such names is not', () => {
    const fake = new FakeNtfs()
      .dir(R)
      .dir(at('docs'))
      .dir(at('other'))
      .symlink(at('sym'), 'C:\\data\\other', 'directory', { sub: '\\??\\C:\\data\\other', print: 'C:\\data\\docs' })
      .link(at('alias.exe'), { kind: 'appExecLink', target: 'C:\\data\\other', declaredType: null, reparse: reparseOf(0x8000001b, '\\??\\C:\\data\\other', 'C:\\data\\docs') })
      .link(at('lx'), { kind: 'lxSymlink', target: 'C:\\data\\other', declaredType: null, reparse: reparseOf(0xa000001d, '\\??\\C:\\data\\other', 'C:\\data\\docs') });
    expect(found(audit([R], { rule: ['print-name-mismatch'] }, { platform: fake }), R)).toEqual([
      ['print-name-mismatch', 'sym', { printName: 'C:\\data\\docs', substituteName: '\\??\\C:\\data\\other', substituteAsDos: 'C:\\data\\other' }],
    ]);
  });

  it('in the root folder of a drive, and through a folder link (the tidy text leads elsewhere)', () => {
    const fake = new FakeNtfs()
      .dir('C:\\')
      .dir('C:\\docs')
      .file('C:\\docs\\a.txt')
      .file('C:\\f.txt')
      .dir('C:\\deep')
      .dir('C:\\deep\\er')
      .file('C:\\deep\\f.txt')
      .symlink('C:\\m', 'docs\\.\\a.txt', 'file')
      .symlink('C:\\hop', 'deep\\er', 'directory')
      .symlink('C:\\through', 'hop\\..\\f.txt', 'file') // hop\.. is C:\deep, so this is C:\deep\f.txt, not C:\f.txt
      .symlink('C:\\updown', 'docs\\..\\f.txt', 'file'); // docs is a real folder: the same C:\f.txt
    const r = audit(['C:\\'], { rule: ['messy-target'] }, { platform: fake });
    expect(r.streamed.map((f) => [f.path, f.details])).toEqual([
      ['C:\\m', { target: 'docs\\.\\a.txt', tidyTarget: 'docs\\a.txt', reasons: ['dot-element'], sameTarget: true }],
      ['C:\\through', { target: 'hop\\..\\f.txt', tidyTarget: 'f.txt', reasons: ['name-then-dot-dot'], sameTarget: false }],
      ['C:\\updown', { target: 'docs\\..\\f.txt', tidyTarget: 'f.txt', reasons: ['name-then-dot-dot'], sameTarget: true }],
    ]);
  });
});

describe('other-filesystem by volume name: a GLOBALROOT device path names no volume', () => {
  it('no verdict for device paths (even with a ":" stream, a "volume{…}" or an empty element inside); none for a link under one', () => {
    const shadow = '\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1';
    const fake = new FakeNtfs()
      .dir(R)
      .symlink(at('ads'), `${shadow}\\f.txt:s`, 'file', { sub: `\\??\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\f.txt:s` })
      .symlink(at('vol-name'), `${shadow}\\volume{1}\\f.txt`, 'file', { sub: `\\??\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\volume{1}\\f.txt` })
      .symlink(at('empty-element'), `${shadow}\\\\srv\\share\\f.txt`, 'file', { sub: `\\??\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\\\srv\\share\\f.txt` })
      .symlink(at('to-d'), 'D:\\f.txt', 'file')
      .dir(`${shadow}\\data`)
      .symlink(`${shadow}\\data\\to-c`, 'C:\\f.txt', 'file');
    const r = audit([R, `${shadow}\\data`], { rule: ['other-filesystem'] }, { platform: fake });
    expect(r.streamed.map((f) => [f.path, f.details])).toEqual([[at('to-d'), { target: 'D:\\f.txt', finalTarget: null, linkVolume: 'c:', targetVolume: 'd:', basis: 'volume-name' }]]);
  });

  it('a \\\\.\\ device-namespace path names the volume after the prefix (\\\\.\\C: is C:), and a pipe or other device names none', () => {
    const fake = new FakeNtfs()
      .dir(R)
      .symlink(at('dot-c'), '\\\\.\\C:\\missing.txt', 'file', { sub: '\\??\\C:\\missing.txt' })
      .symlink(at('dot-d'), '\\\\.\\D:\\f.txt', 'file', { sub: '\\??\\D:\\f.txt' })
      .symlink(at('dot-unc'), '\\\\.\\UNC\\srv\\share\\f', 'file', { sub: '\\??\\UNC\\srv\\share\\f' })
      .symlink(at('dot-pipe'), '\\\\.\\pipe\\x', 'file', { sub: '\\??\\pipe\\x' });
    const r = audit([R], { rule: ['other-filesystem'] }, { platform: fake });
    expect(r.streamed.map((f) => [f.path, (f.details as Record<string, unknown>).linkVolume, (f.details as Record<string, unknown>).targetVolume])).toEqual([
      [at('dot-d'), 'c:', 'd:'],
      [at('dot-unc'), 'c:', '\\\\srv\\share'],
    ]);
  });

  it('remote-target: host and share are read from the start of the name only', () => {
    const fake = new FakeNtfs().dir(R).symlink(at('doubled'), '\\\\srv\\\\share\\x', 'file', { sub: '\\\\srv\\\\share\\x' });
    expect(found(audit([R], { rule: ['remote-target'] }, { platform: fake }), R)).toEqual([['remote-target', 'doubled', { target: '\\\\srv\\\\share\\x', via: 'unc', host: null, share: null }]]);
  });
});
