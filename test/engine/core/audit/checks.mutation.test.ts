/**
 * The per-link audit rules (engine/src/core/audit/checks.ts): the exact details record of every
 * finding (it feeds JSON and SARIF, so an emptied or wrong field is a regression), on an in-memory
 * Windows-like backend that hands the audit exact reparse facts. Each value was checked by hand
 * against the planted tree below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckEnv, LINK_CHECKS } from '../../../../engine/src/core/audit/checks.js';
import { resolveSettings } from '../../../../engine/src/core/audit/config.js';
import { MountTable } from '../../../../engine/src/core/audit/paths.js';
import { createPlatform } from '../../../../engine/src/platform/index.js';
import { buildAppExecLinkBuffer } from '../../../../engine/src/ntfs/index.js';
import { MockPlatform } from '../../../../engine/src/platform/mock/backend.js';
import { build, tempDir } from '../../helpers/tree.js';
import { audit } from './run.js';
import { FakeNtfs } from './fake-backend.js';

const R = 'C:\\data';
const at = (rel: string) => `${R}\\${rel}`;

function tree(): FakeNtfs {
  return new FakeNtfs()
    .dir(R)
    .dir(at('docs'))
    .file(at('docs\\a.txt'))
    .dir('C:\\Windows')
    .dir('C:\\Windows\\System32')
    .file('C:\\Windows\\System32\\cmd.exe')
    .symlink(at('broken'), 'missing.txt', 'file')
    .symlink(at('b1'), 'b2', 'file')
    .symlink(at('b2'), 'nothing', 'file')
    .symlink(at('l1'), 'l2', 'file')
    .symlink(at('l2'), 'l1', 'file')
    .symlink(at('into'), 'l1', 'file')
    .symlink(at('c1'), 'c2', 'file')
    .symlink(at('c2'), 'c3', 'file')
    .symlink(at('c3'), 'docs\\a.txt', 'file')
    .symlink(at('sys'), 'C:\\Windows\\System32\\cmd.exe', 'file')
    .symlink(at('otherdrive'), 'D:\\x\\y', 'file')
    .junction(at('unc-junction'), '\\??\\UNC\\srv\\share\\x', '\\\\srv\\share\\x')
    .junction(at('relative-junction'), 'docs', 'docs')
    .symlink(at('file-to-dir'), 'docs', 'file')
    .junction(at('liar'), '\\??\\C:\\Windows\\System32', 'C:\\data\\docs')
    .junction(at('rpc'), '\\RPC Control\\evil', '\\RPC Control\\evil')
    .other(at('cloud.txt'), 0x9000601a)
    .other(at('mystery'), 0x00001234);
}

describe('per-link rules: the details of every finding', () => {
  it('every rule except remote-unresolvable, maxChain 2', () => {
    const r = audit([R], { maxChain: 2, disableRule: ['remote-unresolvable'] }, { platform: tree() });
    const got = r.streamed.map((f) => [`${f.rule} ${f.path.slice(R.length + 1)}`, f.details]);
    expect(got).toEqual([
      ['broken-target broken', { target: 'missing.txt', resolvedTarget: 'C:\\data\\missing.txt', missing: 'C:\\data\\missing.txt', brokenAt: 'C:\\data\\broken', hops: 1 }],
      ['broken-target b1', { target: 'b2', resolvedTarget: 'C:\\data\\b2', missing: 'C:\\data\\nothing', brokenAt: 'C:\\data\\b2', hops: 2 }],
      ['broken-target b2', { target: 'nothing', resolvedTarget: 'C:\\data\\nothing', missing: 'C:\\data\\nothing', brokenAt: 'C:\\data\\b2', hops: 1 }],
      ['link-loop l1', { target: 'l2', chain: ['C:\\data\\l1', 'C:\\data\\l2'], cycle: ['C:\\data\\l1', 'C:\\data\\l2'], inCycle: true }],
      ['link-loop l2', { target: 'l1', chain: ['C:\\data\\l2', 'C:\\data\\l1'], cycle: ['C:\\data\\l2', 'C:\\data\\l1'], inCycle: true }],
      ['link-loop into', { target: 'l1', chain: ['C:\\data\\into', 'C:\\data\\l1', 'C:\\data\\l2'], cycle: ['C:\\data\\l1', 'C:\\data\\l2'], inCycle: false }],
      ['chain-too-long c1', { hops: 3, maxChain: 2, chain: ['C:\\data\\c1', 'C:\\data\\c2', 'C:\\data\\c3'], finalTarget: 'C:\\data\\docs\\a.txt' }],
      ['escapes-root sys', { target: 'C:\\Windows\\System32\\cmd.exe', resolvedTarget: 'C:\\Windows\\System32\\cmd.exe', root: 'C:\\data' }],
      ['absolute-target sys', { target: 'C:\\Windows\\System32\\cmd.exe' }],
      [
        'sensitive-target sys',
        { target: 'C:\\Windows\\System32\\cmd.exe', resolvedTarget: 'C:\\Windows\\System32\\cmd.exe', sensitivePath: 'C:\\Windows', hop: 'C:\\Windows\\System32\\cmd.exe', scope: 'tree' },
      ],
      ['broken-target otherdrive', { target: 'D:\\x\\y', resolvedTarget: 'D:\\x\\y', missing: 'D:\\x\\y', brokenAt: 'C:\\data\\otherdrive', hops: 1 }],
      ['escapes-root otherdrive', { target: 'D:\\x\\y', resolvedTarget: 'D:\\x\\y', root: 'C:\\data' }],
      ['absolute-target otherdrive', { target: 'D:\\x\\y' }],
      ['other-filesystem otherdrive', { target: 'D:\\x\\y', finalTarget: null, linkVolume: 'c:', targetVolume: 'd:', basis: 'volume-name' }],
      ['broken-target unc-junction', { target: '\\\\srv\\share\\x', resolvedTarget: '\\\\srv\\share\\x', missing: '\\\\srv\\share\\x', brokenAt: 'C:\\data\\unc-junction', hops: 1 }],
      ['escapes-root unc-junction', { target: '\\\\srv\\share\\x', resolvedTarget: '\\\\srv\\share\\x', root: 'C:\\data' }],
      ['remote-target unc-junction', { target: '\\\\srv\\share\\x', via: 'unc', host: 'srv', share: 'share' }],
      ['junction-not-local unc-junction', { target: '\\\\srv\\share\\x', substituteName: '\\??\\UNC\\srv\\share\\x', pathKind: 'unc' }],
      ['other-filesystem unc-junction', { target: '\\\\srv\\share\\x', finalTarget: null, linkVolume: 'c:', targetVolume: '\\\\srv\\share', basis: 'volume-name' }],
      ['junction-not-local relative-junction', { target: 'docs', substituteName: 'docs', pathKind: 'relative' }],
      ['type-mismatch file-to-dir', { declaredType: 'file', actualType: 'directory', target: 'docs', finalTarget: 'C:\\data\\docs' }],
      ['escapes-root liar', { target: 'C:\\Windows\\System32', resolvedTarget: 'C:\\Windows\\System32', root: 'C:\\data' }],
      ['sensitive-target liar', { target: 'C:\\Windows\\System32', resolvedTarget: 'C:\\Windows\\System32', sensitivePath: 'C:\\Windows', hop: 'C:\\Windows\\System32', scope: 'tree' }],
      ['print-name-mismatch liar', { printName: 'C:\\data\\docs', substituteName: '\\??\\C:\\Windows\\System32', substituteAsDos: 'C:\\Windows\\System32' }],
      [
        'broken-target rpc',
        {
          target: '\\\\?\\GLOBALROOT\\RPC Control\\evil',
          resolvedTarget: '\\\\?\\GLOBALROOT\\RPC Control\\evil',
          missing: '\\\\?\\GLOBALROOT\\RPC Control\\evil',
          brokenAt: 'C:\\data\\rpc',
          hops: 1,
        },
      ],
      ['escapes-root rpc', { target: '\\\\?\\GLOBALROOT\\RPC Control\\evil', resolvedTarget: '\\\\?\\GLOBALROOT\\RPC Control\\evil', root: 'C:\\data' }],
      ['object-manager-target rpc', { target: '\\\\?\\GLOBALROOT\\RPC Control\\evil', substituteName: '\\RPC Control\\evil', pathKind: 'device' }],
      ['unsafe-reparse-tag cloud.txt', { tag: 2415943706, tagHex: '0x9000601A', tagName: 'IO_REPARSE_TAG_CLOUD_6', label: 'cloud', known: true, reason: expect.any(String) }],
      ['unsafe-reparse-tag mystery', { tag: 4660, tagHex: '0x00001234', tagName: 'IO_REPARSE_TAG_THIRD_PARTY_00001234', label: 'third-party', known: false, reason: expect.any(String) }],
    ]);
  });

  it('remote-unresolvable: why a remote client cannot follow each link, with the policy and the OS error', () => {
    const r = audit([R], { rule: ['remote-unresolvable'], remotePolicy: 'L2L,L2R' }, { platform: tree() });
    const by = new Map(r.streamed.map((f) => [f.path.slice(R.length + 1), f.details]));
    expect(by.get('sys')).toEqual({
      target: 'C:\\Windows\\System32\\cmd.exe',
      failure: 'classDisabled',
      evaluationClass: 'R2L',
      policy: 'L2L:1,L2R:1,R2L:0,R2R:0',
      accessPath: '\\\\LINK-HOST\\C$\\data\\sys',
      osError: { name: 'ERROR_SYMLINK_CLASS_DISABLED', code: 1463 },
    });
    expect(by.get('unc-junction')).toEqual({
      target: '\\\\srv\\share\\x',
      failure: 'junctionTargetNotLocal',
      evaluationClass: null,
      policy: null,
      accessPath: '\\\\LINK-HOST\\C$\\data\\unc-junction',
      osError: null,
    });
    expect(by.get('relative-junction')).toMatchObject({ failure: 'junctionTargetNotAbsolute' });
    expect(by.get('rpc')).toMatchObject({ failure: 'objectManagerTarget', osError: { name: 'ERROR_PATH_NOT_FOUND', code: 3 } });
    // junctions to local folders resolve on the server: no finding; every symlink is refused (R2L off)
    expect([...by.keys()].sort()).toEqual(['b1', 'b2', 'broken', 'c1', 'c2', 'c3', 'file-to-dir', 'into', 'l1', 'l2', 'otherdrive', 'relative-junction', 'rpc', 'sys', 'unc-junction'].sort());
  });
});

describe('per-link rules on real POSIX trees and the Windows mock', () => {
  it('messy-target and lengthy-target: exact details, including a tidy text that leads elsewhere or nowhere', () => {
    const root = path.join(tempDir(), 'r');
    build(root, { 'docs/f.txt': 'F', 'docs/sub/g.txt': 'G', 'deep/er/.keep': '', 'deep/f.txt': 'DEEP', 'other/o.txt': 'O' });
    fs.symlinkSync('deep/er', path.join(root, 'hop'));
    fs.symlinkSync('hop/../f.txt', path.join(root, 'through'));
    fs.symlinkSync('missing/./x', path.join(root, 'dangling'));
    fs.symlinkSync('../../docs/sub/g.txt', path.join(root, 'docs/sub/len'));
    fs.symlinkSync('../other/o.txt', path.join(root, 'docs/fine'));
    const r = audit([root], { rule: ['messy-target', 'lengthy-target'] });
    const got = r.streamed.map((f) => [f.rule, path.relative(root, f.path), f.details]).sort((a, b) => String(a[1]).localeCompare(String(b[1])));
    expect(got).toEqual([
      // a missing target: the real path of what exists, plus the rest, is the same text for both forms
      ['messy-target', 'dangling', { target: 'missing/./x', tidyTarget: 'missing/x', reasons: ['dot-element'], sameTarget: true }],
      ['lengthy-target', 'docs/sub/len', { target: '../../docs/sub/g.txt', shorterTarget: 'g.txt', hops: 2, neededHops: 0, resolvedTarget: path.join(root, 'docs/sub/g.txt') }],
      ['messy-target', 'through', { target: 'hop/../f.txt', tidyTarget: 'f.txt', reasons: ['name-then-dot-dot'], sameTarget: false }],
    ]);
  });

  it('sensitive-target with writableScope world-writable: only links in world-writable folders count', () => {
    const root = path.join(tempDir(), 'r');
    build(root, { 'closed/.keep': '', 'open/.keep': '' });
    fs.chmodSync(path.join(root, 'closed'), 0o755);
    fs.chmodSync(path.join(root, 'open'), 0o777);
    fs.symlinkSync('/etc/passwd', path.join(root, 'closed/p'));
    fs.symlinkSync('/etc/passwd', path.join(root, 'open/p'));
    const r = audit([root], { rule: ['sensitive-target'] }, { config: { writableScope: 'world-writable' } });
    expect(r.streamed.map((f) => [path.relative(root, f.path), f.details])).toEqual([
      ['open/p', { target: '/etc/passwd', resolvedTarget: '/etc/passwd', sensitivePath: '/etc', hop: '/etc/passwd', scope: 'world-writable' }],
    ]);
    const tree = audit([root], { rule: ['sensitive-target'] });
    expect(tree.streamed.map((f) => [path.relative(root, f.path), (f.details as { scope: string }).scope]).sort()).toEqual([
      ['closed/p', 'tree'],
      ['open/p', 'tree'],
    ]);
  });

  it('an app execution alias into a system location is no sensitive-target (file I/O never follows it); a symlink there is', () => {
    const m = new MockPlatform({ mode: 'windows' });
    m.fs.addDir('C:\\r').addDir('C:\\Windows\\System32').addFile('C:\\Windows\\System32\\app.exe', 'X');
    m.fs.addReparse('C:\\r\\alias.exe', buildAppExecLinkBuffer({ packageId: 'P', appUserModelId: 'P!App', targetPath: 'C:\\Windows\\System32\\app.exe' }));
    m.fs.addSymlink('C:\\r\\sym.exe', 'C:\\Windows\\System32\\app.exe', 'file');
    const r = audit(['C:\\r'], { rule: ['sensitive-target'] }, { platform: m });
    expect(r.streamed.map((f) => f.path)).toEqual(['C:\\r\\sym.exe']);
  });
});

describe('remote-target through the mount table (POSIX network file systems)', () => {
  const mounts = new MountTable([
    { mountPoint: '/mnt/nfs', fsType: 'nfs4', source: 'srv:/export' },
    { mountPoint: '/mnt/disk', fsType: 'ext4', source: '/dev/sdb1' },
    { mountPoint: '/', fsType: 'ext4', source: '/dev/sda1' },
  ]);
  const env = new CheckEnv(createPlatform(), resolveSettings(null, {}), mounts, null as never);
  const check = (linkPath: string, resolvedTarget: string, finalTarget: string | null = resolvedTarget) =>
    LINK_CHECKS['remote-target']({ info: { path: linkPath, kind: 'symlink', target: resolvedTarget, resolvedTarget, finalTarget, reparse: null } } as never, env);

  it('a link into a network mount from outside it: the file system, its source and mount point', () => {
    expect(check('/home/u/l', '/mnt/nfs/data/f')?.details).toEqual({ target: '/mnt/nfs/data/f', via: 'network-mount', fsType: 'nfs4', source: 'srv:/export', mountPoint: '/mnt/nfs' });
  });

  it('judged by where the chain ends (finalTarget), else the resolved target', () => {
    expect(check('/home/u/l', '/home/u/hop', '/mnt/nfs/f')?.details).toMatchObject({ via: 'network-mount' });
    expect(check('/home/u/l', '/mnt/nfs/f', null)?.details).toMatchObject({ via: 'network-mount' });
  });

  it('no finding for a local disk, inside the same network mount, or a Windows-looking target', () => {
    expect(check('/home/u/l', '/mnt/disk/f')).toBeNull();
    expect(check('/mnt/nfs/a/l', '/mnt/nfs/b/f')).toBeNull();
    expect(check('/home/u/l', 'C:\\x')).toBeNull();
    const none = new CheckEnv(createPlatform(), resolveSettings(null, {}), null, null as never);
    expect(
      LINK_CHECKS['remote-target']({ info: { path: '/home/u/l', kind: 'symlink', target: '/mnt/nfs/f', resolvedTarget: '/mnt/nfs/f', finalTarget: '/mnt/nfs/f', reparse: null } } as never, none),
    ).toBeNull();
  });
});

describe('per-link rules: edge cases of each rule (exact findings)', () => {
  it('rooted junctions, print names equal after normalising, long UNC forms, malformed data, a chain at the limit, lengthy and messy Windows text', () => {
    const fake = new FakeNtfs()
      .dir(R)
      .dir(at('docs'))
      .file(at('docs\\a.txt'))
      .dir(at('docs\\sub'))
      .junction(at('rooted'), '\\docs', '\\docs')
      .junction(at('print-ok'), '\\??\\C:\\data\\docs', 'c:/DATA/docs/') // same place: case, / and a trailing separator
      .junction(at('print-sub'), '\\??\\C:\\data\\docs', '\\??\\C:\\data\\docs') // print name = substitute name
      .junction(at('j-to-file'), '\\??\\C:\\data\\docs\\a.txt', 'C:\\data\\docs\\a.txt')
      .symlink(at('unc-long'), '\\\\?\\UNC\\srv2\\sh2\\f', 'file', { sub: '\\??\\UNC\\srv2\\sh2\\f', print: '\\\\srv2\\sh2\\f' })
      .symlink(at('messy'), 'docs\\.\\a.txt', 'file')
      .symlink(at('docs\\sub\\lengthy'), '..\\..\\docs\\a.txt', 'file')
      .symlink(at('docs\\ok-up'), '..\\docs', 'directory')
      .symlink(at('c1'), 'c2', 'file') // two hops: at the limit of 2, not over it
      .symlink(at('c2'), 'docs\\a.txt', 'file')
      .link(at('bad'), {
        kind: 'reparsePoint',
        target: null,
        declaredType: null,
        reparse: {
          tag: 0xa000000c,
          tagHex: '0xA000000C',
          tagName: 'IO_REPARSE_TAG_SYMLINK',
          label: 'symlink',
          isLink: true,
          followSafe: true,
          reason: 'x',
          substituteName: null,
          printName: null,
          details: { malformed: 'name past the end' },
        } as never,
      })
      .other(at('deduped.bin'), 0x80000013); // a file holding its own data: no finding
    const r = audit([R], { maxChain: 2, disableRule: ['remote-unresolvable'] }, { platform: fake });
    expect(r.streamed.map((f) => [`${f.rule} ${f.path.slice(R.length + 1)}`, f.details])).toEqual([
      ['junction-not-local rooted', { target: '\\docs', substituteName: '\\docs', pathKind: 'rooted' }],
      ['type-mismatch j-to-file', { declaredType: 'directory', actualType: 'file', target: 'C:\\data\\docs\\a.txt', finalTarget: 'C:\\data\\docs\\a.txt' }],
      ['broken-target unc-long', { target: '\\\\?\\UNC\\srv2\\sh2\\f', resolvedTarget: '\\\\?\\UNC\\srv2\\sh2\\f', missing: '\\\\?\\UNC\\srv2\\sh2\\f', brokenAt: 'C:\\data\\unc-long', hops: 1 }],
      ['escapes-root unc-long', { target: '\\\\?\\UNC\\srv2\\sh2\\f', resolvedTarget: '\\\\?\\UNC\\srv2\\sh2\\f', root: 'C:\\data' }],
      ['absolute-target unc-long', { target: '\\\\?\\UNC\\srv2\\sh2\\f' }],
      ['remote-target unc-long', { target: '\\\\?\\UNC\\srv2\\sh2\\f', via: 'unc', host: 'srv2', share: 'sh2' }],
      ['other-filesystem unc-long', { target: '\\\\?\\UNC\\srv2\\sh2\\f', finalTarget: null, linkVolume: 'c:', targetVolume: '\\\\srv2\\sh2', basis: 'volume-name' }],
      ['messy-target messy', { target: 'docs\\.\\a.txt', tidyTarget: 'docs\\a.txt', reasons: ['dot-element'], sameTarget: true }],
      [
        'unsafe-reparse-tag bad',
        { tag: 2684354572, tagHex: '0xA000000C', tagName: 'IO_REPARSE_TAG_SYMLINK', label: 'symlink', known: true, malformed: 'name past the end', code: 'LT_BAD_REPARSE_DATA' },
      ],
      ['lengthy-target docs\\ok-up', { target: '..\\docs', shorterTarget: '.', hops: 1, neededHops: 0, resolvedTarget: 'C:\\data\\docs' }],
      ['lengthy-target docs\\sub\\lengthy', { target: '..\\..\\docs\\a.txt', shorterTarget: '..\\a.txt', hops: 2, neededHops: 1, resolvedTarget: 'C:\\data\\docs\\a.txt' }],
      [
        'directory-cycle docs\\ok-up',
        {
          target: '..\\docs',
          realTarget: 'C:\\data\\docs',
          ancestor: 'C:\\data\\docs',
          cycle: ['C:\\data\\docs\\ok-up'],
          recursingTools: ['find -L', 'du -L', 'rsync -L', 'tar -h', 'cp -rL', 'grep -R', 'Get-ChildItem -Recurse -FollowSymlink'],
        },
      ],
    ]);
  });
});
