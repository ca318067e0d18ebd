/**
 * The per-link audit rules (engine/src/core/audit/checks.ts), third part: NTFS facts read on a
 * backend with POSIX paths (an ntfs-3g volume: reparse data, but `/` paths), Windows targets without
 * reparse data, links whose chain cannot be followed to the end, and the real-path side of
 * messy-target and other-filesystem. Exact finding records.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LinkInfo, Reparse } from '../../../../engine/src/contract/types.js';
import { CheckEnv, LINK_CHECKS } from '../../../../engine/src/core/audit/checks.js';
import { resolveSettings } from '../../../../engine/src/core/audit/config.js';
import { RealPaths } from '../../../../engine/src/core/info.js';
import { describeTag, formatTag } from '../../../../engine/src/ntfs/index.js';
import { createPlatform } from '../../../../engine/src/platform/index.js';
import type { EntryStat } from '../../../../engine/src/platform/types.js';
import { build, tempDir } from '../../helpers/tree.js';
import { audit } from './run.js';
import { FakeNtfs } from './fake-backend.js';

const R = 'C:\\data';
const at = (rel: string) => `${R}\\${rel}`;
const found = (r: ReturnType<typeof audit>, root: string) => r.streamed.map((f) => [f.rule, f.path.slice(root.length + 1), f.details]);

/** A symlink's reparse facts as an NTFS volume stores them. */
const symlinkReparse = (sub: string, print = sub): Reparse => {
  const t = describeTag(0xa000000c);
  return { tag: 0xa000000c, tagHex: formatTag(0xa000000c), tagName: t.name, label: t.label, isLink: true, followSafe: t.followSafe, reason: t.reason, substituteName: sub, printName: print };
};

/**
 * One link as an ntfs-3g backend reports it: POSIX paths for the link and where it resolves, the
 * stored (Windows) target text and its reparse facts. Judged by one rule directly.
 */
function onPosix(rule: keyof typeof LINK_CHECKS, link: { path: string; target: string; reparse: Reparse | null; resolvedTarget?: string | null; isRelative?: boolean }) {
  const platform = createPlatform();
  const env = new CheckEnv(platform, resolveSettings(null, {}), null, new RealPaths(platform));
  const resolvedTarget = link.resolvedTarget ?? null;
  const info = {
    path: link.path,
    kind: 'symlink',
    target: link.target,
    resolvedTarget,
    finalTarget: resolvedTarget,
    targetExists: false,
    isRelative: link.isRelative ?? false,
    loop: false,
    chain: [{ path: link.path, kind: 'symlink', target: link.target, resolvedTarget }],
    reparse: link.reparse,
  } as unknown as LinkInfo;
  const st: EntryStat = { type: 'link', fileId: '1:2', dev: 1n, nlink: 1, size: 0, mtimeMs: 0 };
  return LINK_CHECKS[rule](
    {
      info,
      data: { kind: 'symlink', target: link.target, declaredType: 'file', reparse: link.reparse },
      st,
      root: '/mnt/win',
      rootAliases: ['/mnt/win'],
      rel: path.posix.relative('/mnt/win', link.path),
      realDir: path.posix.dirname(link.path),
    },
    env,
  );
}

describe('NTFS facts on a backend with POSIX paths (ntfs-3g)', () => {
  it('remote-target: a stored //host/share target is UNC because the link is an NTFS reparse point', () => {
    expect(onPosix('remote-target', { path: '/mnt/win/l', target: '//srv/share/x', reparse: symlinkReparse('//srv/share/x') })?.details).toEqual({
      target: '//srv/share/x',
      via: 'unc',
      host: 'srv',
      share: 'share',
    });
    // the same text in a plain POSIX symlink is a POSIX path
    expect(onPosix('remote-target', { path: '/mnt/win/l', target: '//srv/share/x', reparse: null })).toBeNull();
  });

  it('messy-target: a relative reparse target is Windows text (tidied with \\); no verdict on where it leads', () => {
    expect(onPosix('messy-target', { path: '/mnt/win/l', target: 'docs\\.\\a.txt', reparse: symlinkReparse('docs\\.\\a.txt'), isRelative: true })?.details).toEqual({
      target: 'docs\\.\\a.txt',
      tidyTarget: 'docs\\a.txt',
      reasons: ['dot-element'],
      sameTarget: null,
    });
  });

  it('sensitive-target: a stored Windows target into a system folder counts although it resolves to a mount path', () => {
    const hit = onPosix('sensitive-target', {
      path: '/mnt/win/l',
      target: 'C:\\Windows\\System32\\drivers\\etc\\hosts',
      reparse: symlinkReparse('\\??\\C:\\Windows\\System32\\drivers\\etc\\hosts'),
      resolvedTarget: '/mnt/win/Windows/System32/drivers/etc/hosts',
    });
    expect(hit?.details).toEqual({
      target: 'C:\\Windows\\System32\\drivers\\etc\\hosts',
      resolvedTarget: '/mnt/win/Windows/System32/drivers/etc/hosts',
      sensitivePath: 'C:\\Windows',
      hop: 'C:\\Windows\\System32\\drivers\\etc\\hosts',
      scope: 'tree',
    });
  });
});

describe('Windows links without reparse facts, and links that cannot be followed', () => {
  it('a //host/share target on Windows is UNC; an app execution alias to a share is not a remote target', () => {
    const fake = new FakeNtfs()
      .dir(R)
      .link(at('fwd'), { kind: 'symlink', target: '//srv/share/x', declaredType: 'file', reparse: null })
      .link(at('alias.exe'), { kind: 'appExecLink', target: '\\\\srv\\share\\app.exe', declaredType: null, reparse: null });
    expect(found(audit([R], { rule: ['remote-target'] }, { platform: fake }), R)).toEqual([['remote-target', 'fwd', { target: '//srv/share/x', via: 'unc', host: 'srv', share: 'share' }]]);
  });

  it('junction targets are never tidied; a symlink without target text is skipped by the text rules', () => {
    const fake = new FakeNtfs()
      .dir(R)
      .dir(at('docs'))
      .dir(at('docs\\sub'))
      .junction(at('j'), '\\??\\C:\\data\\.\\docs\\sub\\..', 'C:\\data\\.\\docs\\sub\\..')
      .link(at('blank'), { kind: 'symlink', target: null, declaredType: 'file', reparse: null });
    const r = audit([R], { rule: ['messy-target', 'lengthy-target', 'remote-target', 'junction-not-local', 'object-manager-target', 'print-name-mismatch'] }, { platform: fake });
    expect(r.streamed).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('a chain longer than the hop limit: a loop with no cycle named; a broken chain is never chain-too-long', () => {
    const fake = new FakeNtfs().dir(R).file(at('end.txt'));
    for (let i = 0; i < 45; i++) fake.symlink(at(`h${String(i).padStart(2, '0')}`), i === 44 ? 'end.txt' : `h${String(i + 1).padStart(2, '0')}`, 'file');
    fake.symlink(at('b1'), 'b2', 'file').symlink(at('b2'), 'b3', 'file').symlink(at('b3'), 'none', 'file');
    const r = audit([R], { rule: ['link-loop', 'chain-too-long', 'broken-target'], maxChain: 2 }, { platform: fake });
    const first = r.streamed.filter((f) => f.path === at('h00'));
    expect(first.map((f) => f.rule)).toEqual(['link-loop']);
    expect(first[0]!.details).toMatchObject({ target: 'h01', cycle: null, inCycle: false });
    expect((first[0]!.details as { chain: string[] }).chain.slice(0, 2)).toEqual([at('h00'), at('h01')]);
    expect(r.streamed.filter((f) => f.path === at('b1')).map((f) => [f.rule, f.details])).toEqual([
      ['broken-target', { target: 'b2', resolvedTarget: at('b2'), missing: at('none'), brokenAt: at('b3'), hops: 3 }],
    ]);
  });
});

describe('real paths: messy-target verdicts and other-filesystem', () => {
  it('a tidy text through a link loop has no verdict; a trailing separator on Windows leads to the same folder', () => {
    const root = path.join(tempDir(), 'r');
    build(root, { 'f.txt': 'F' });
    fs.symlinkSync('l2', path.join(root, 'l1'));
    fs.symlinkSync('l1', path.join(root, 'l2'));
    fs.symlinkSync('l1/../f.txt', path.join(root, 'via-loop'));
    const r = audit([root], { rule: ['messy-target'] });
    expect(found(r, root)).toEqual([['messy-target', 'via-loop', { target: 'l1/../f.txt', tidyTarget: 'f.txt', reasons: ['name-then-dot-dot'], sameTarget: null }]]);

    const fake = new FakeNtfs().dir(R).dir(at('docs')).symlink(at('trail'), 'docs\\', 'directory');
    expect(found(audit([R], { rule: ['messy-target'] }, { platform: fake }), R)).toEqual([
      ['messy-target', 'trail', { target: 'docs\\', tidyTarget: 'docs', reasons: ['trailing-separator'], sameTarget: true }],
    ]);
  });

  it('other-filesystem: by device when the target exists, by volume name when it does not, never for a loop', () => {
    // D: is another device; the loop C: -> D: -> C: crosses volumes but ends nowhere
    class TwoDrives extends FakeNtfs {
      override lstat(p: string): EntryStat {
        return { ...super.lstat(p), dev: p.toUpperCase().startsWith('D:') ? 2n : 1n };
      }
    }
    const fake = new TwoDrives()
      .dir(R)
      .dir('D:\\x')
      .file('D:\\x\\f.txt')
      .symlink(at('to-d'), 'D:\\x\\f.txt', 'file')
      .symlink(at('loop'), 'D:\\x\\back', 'file')
      .symlink('D:\\x\\back', 'C:\\data\\loop', 'file');
    const r = audit([R], { rule: ['other-filesystem'] }, { platform: fake });
    expect(found(r, R)).toEqual([['other-filesystem', 'to-d', { target: 'D:\\x\\f.txt', finalTarget: 'D:\\x\\f.txt', linkDevice: '1', targetDevice: '2', basis: 'device' }]]);
  });
});

describe('rules that judge only symlinks, junctions and mount points', () => {
  it('type-mismatch: POSIX symlinks declare no type; remote-unresolvable: WSL symlinks and app execution aliases are not followed remotely', () => {
    const root = path.join(tempDir(), 'r');
    build(root, { 'f.txt': 'F', 'd/.keep': '' });
    fs.symlinkSync('f.txt', path.join(root, 'to-file'));
    fs.symlinkSync('d', path.join(root, 'to-dir'));
    expect(audit([root], { rule: ['type-mismatch'] }).streamed).toEqual([]);

    const fake = new FakeNtfs()
      .dir(R)
      .file(at('f.txt'))
      .link(at('lx'), { kind: 'lxSymlink', target: '/mnt/c/data/f.txt', declaredType: null, reparse: null })
      .link(at('alias.exe'), { kind: 'appExecLink', target: 'C:\\data\\f.txt', declaredType: null, reparse: null })
      .link(at('mp'), { kind: 'mountPoint', target: 'f.txt', declaredType: 'directory', reparse: null });
    const r = audit([R], { rule: ['remote-unresolvable'], remotePolicy: 'L2L,L2R,R2L,R2R' }, { platform: fake });
    expect(r.streamed.map((f) => [f.path, (f.details as { failure: string }).failure])).toEqual([[at('mp'), 'junctionTargetNotAbsolute']]);
  });
});
