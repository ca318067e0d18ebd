/**
 * Target arithmetic (engine/src/core/maintenance/targets.ts) and change records (change.ts), pure:
 * three stand-in backends that only answer path questions — POSIX, Windows, and ntfs-3g (POSIX paths
 * whose links store Windows-form targets, with the link's Windows path known under /mnt/c).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import type { Change } from '../../../../engine/src/contract/types.js';
import { change, inverse, none } from '../../../../engine/src/core/maintenance/change.js';
import {
  absoluteTarget,
  apiFor,
  isInside,
  isWin,
  isWindowsForm,
  linkDirFor,
  parsePrefixRule,
  rebaseRelative,
  relativeTarget,
  replacePrefix,
  tidyTarget,
} from '../../../../engine/src/core/maintenance/targets.js';
import { ntfsB, posixB, winB } from './stand-ins.js';

describe('path forms', () => {
  it.each([
    ['C:\\x', true],
    ['c:/x', true],
    ['C:', true],
    ['\\\\srv\\share', true],
    ['..\\x', true],
    ['a\\b', true],
    ['/x', false],
    ['../x', false],
    ['x', false],
    ['C:x', false],
    ['CC:\\x', true], // contains a backslash
    ['1:/x', false],
  ])('isWindowsForm(%j) = %s', (t, want) => {
    expect(isWindowsForm(t)).toBe(want);
  });

  it('apiFor: a Windows-form target follows Windows rules even on a POSIX-path backend; others the backend\u2019s own', () => {
    expect(apiFor(ntfsB, 'C:\\x')).toBe(path.win32);
    expect(apiFor(ntfsB, '../x')).toBe(path.posix);
    expect(apiFor(winB, 'x')).toBe(path.win32);
    expect(apiFor(winB, 'C:\\x')).toBe(path.win32);
    expect(apiFor(posixB, '/x')).toBe(path.posix);
    expect(isWin(path.win32)).toBe(true);
    expect(isWin(path.posix)).toBe(false);
  });

  it('apiFor: on a plain POSIX backend every target is a POSIX path (a backslash is part of a name there)', () => {
    for (const t of ['a\\b', '..\\x', 'C:\\x', 'c:/x', '\\\\srv\\share']) expect(apiFor(posixB, t), t).toBe(path.posix);
    expect(apiFor(ntfsB, '..\\x')).toBe(path.win32);
    expect(apiFor(ntfsB, '\\\\srv\\share')).toBe(path.win32);
    // The arithmetic follows: a name with a backslash is rebased as one name, not as two components.
    expect(rebaseRelative(posixB, '/t/sub/l', '/t/l', '../a\\b')).toBe('a\\b');
    expect(relativeTarget(posixB, '/t/deep/l', '/t/a\\b')).toBe('../a\\b');
    expect(tidyTarget(posixB, '/t/l', 'x\\..\\y')).toBe('x\\..\\y');
  });

  it('replacePrefix: a rule applies only to targets of its own form (a Windows UNC rule never rewrites a POSIX //host path on ntfs-3g)', () => {
    const unc = [{ from: '\\\\srv\\share', to: '\\\\srv2\\share' }];
    expect(replacePrefix(ntfsB, '\\\\srv\\share\\x', unc)).toBe('\\\\srv2\\share\\x');
    expect(replacePrefix(ntfsB, '//srv/share/x', unc)).toBeNull();
  });

  it('linkDirFor: the backend\u2019s own folder, or the Windows folder when ntfs-3g knows it, else null', () => {
    expect(linkDirFor(posixB, path.posix, '/a/b/link')).toBe('/a/b');
    expect(linkDirFor(ntfsB, path.win32, '/mnt/c/d/link')).toBe('C:\\d');
    expect(linkDirFor(ntfsB, path.win32, '/elsewhere/link')).toBeNull();
    expect(linkDirFor(posixB, path.win32, '/a/link')).toBeNull(); // no windowsPath at all
  });
});

describe('isInside', () => {
  it.each([
    [path.posix, '/a/b', '/a/b', true],
    [path.posix, '/a/b/', '/a/b', true],
    [path.posix, '/a/b', '/a/b/c', true],
    [path.posix, '/a/b', '/a/bc', false],
    [path.posix, '/a/b', '/a', false],
    [path.posix, '/a/b', '/A/B/c', false],
    [path.posix, '/', '/x', true],
    [path.posix, '/a/./b', '/a/b/../b/c', true],
    [path.win32, 'C:\\Data', 'c:\\data\\x', true],
    [path.win32, 'C:\\Data\\', 'C:/Data', true],
    [path.win32, 'C:\\Data', 'C:\\Database', false],
    [path.win32, 'C:\\', 'C:\\x', true],
    [path.win32, 'C:\\', 'D:\\x', false],
  ] as const)('%#: isInside(%s, %j, %j) = %s', (api, dir, p, want) => {
    expect(isInside(api, dir, p)).toBe(want);
  });
});

describe('prefix rules', () => {
  it.each([
    ['D:\\Old=E:\\New', { from: 'D:\\Old', to: 'E:\\New' }],
    ['a=b=c', { from: 'a', to: 'b=c' }],
    ['/x=/y', { from: '/x', to: '/y' }],
  ])('parsePrefixRule(%j)', (s, want) => {
    expect(parsePrefixRule(s)).toEqual(want);
  });

  it.each(['', '=', '=x', 'x=', 'noequals'])('parsePrefixRule(%j) is null', (s) => {
    expect(parsePrefixRule(s)).toBeNull();
  });

  const rules = [{ from: 'D:\\Old', to: 'E:\\New' }];

  it.each([
    ['D:\\Old', 'E:\\New'],
    ['D:\\Old\\x\\y', 'E:\\New\\x\\y'],
    ['d:/old/x', 'E:\\New\\x'],
    ['D:\\OLD\\', 'E:\\New\\'], // the stored trailing separator is kept
    ['D:\\Older\\x', null],
    ['D:\\Ol', null],
    ['C:\\Old\\x', null],
    ['../Old/x', null],
  ])('Windows rule D:\\Old=E:\\New on %j → %j', (t, want) => {
    expect(replacePrefix(ntfsB, t, rules)).toBe(want);
  });

  it('POSIX rules are case-sensitive and whole-component; the new prefix keeps its own separator', () => {
    const r = [{ from: '/srv/old/', to: '/srv/new' }];
    expect(replacePrefix(posixB, '/srv/old/a', r)).toBe('/srv/new/a');
    expect(replacePrefix(posixB, '/srv/old', r)).toBe('/srv/new');
    expect(replacePrefix(posixB, '/srv/OLD/a', r)).toBeNull();
    expect(replacePrefix(posixB, '/srv/older', r)).toBeNull();
    expect(replacePrefix(posixB, '/srv/old/a', [{ from: '/srv/old', to: '/srv/new/' }])).toBe('/srv/new/a');
    expect(replacePrefix(posixB, '/srv/old/a', [{ from: '/srv/old', to: 'rel' }])).toBe('rel/a');
    expect(replacePrefix(ntfsB, 'D:\\Old\\a', [{ from: 'D:\\Old', to: 'E:/New' }])).toBe('E:/New/a');
    expect(replacePrefix(ntfsB, 'D:\\Old\\a', [{ from: 'D:\\Old', to: 'E:\\New\\' }])).toBe('E:\\New\\a');
  });

  it('the first matching rule wins; a rule of the other form is skipped', () => {
    const r = [
      { from: '/x', to: '/never' },
      { from: 'D:\\A', to: 'E:\\First' },
      { from: 'D:\\A', to: 'E:\\Second' },
    ];
    expect(replacePrefix(ntfsB, 'D:\\A\\f', r)).toBe('E:\\First\\f');
    expect(replacePrefix(ntfsB, '/x/f', r)).toBe('/never/f');
  });
});

describe('tidy, relative and absolute targets', () => {
  it.each([
    [posixB, '/a/link', '/b/./c//d/', '/b/c/d'],
    [posixB, '/a/link', './x', 'x'],
    [posixB, '/a/b/link', '../../a/x', '../x'],
    [posixB, '/a/link', '.', '.'],
    [posixB, '/a/link', './', '.'],
    [posixB, '/a/link', 'x/../y/', 'y'],
    [ntfsB, '/mnt/c/d/link', 'C:\\x\\.\\y\\', 'C:\\x\\y'],
    [ntfsB, '/mnt/c/d/e/link', '..\\..\\d\\f', '..\\f'],
    [ntfsB, '/elsewhere/link', '..\\..\\d\\f', '..\\..\\d\\f'],
    [winB, 'C:\\d\\link', 'C:/x/', 'C:\\x'],
    [winB, 'C:\\d\\link', 'C:', 'C:.'],
  ] as const)('%#: tidyTarget(%j, %j) = %j', (b, link, t, want) => {
    expect(tidyTarget(b, link, t)).toBe(want);
  });

  it('relativeTarget: from the link\u2019s folder; null on another drive or without a Windows path', () => {
    expect(relativeTarget(posixB, '/a/b/link', '/a/c/f')).toBe('../c/f');
    expect(relativeTarget(posixB, '/a/link', '/a')).toBe('.');
    expect(relativeTarget(ntfsB, '/mnt/c/d/link', 'C:\\e\\f')).toBe('..\\e\\f');
    expect(relativeTarget(ntfsB, '/mnt/c/d/link', 'c:\\d\\f')).toBe('f');
    expect(relativeTarget(ntfsB, '/mnt/c/d/link', 'D:\\e')).toBeNull();
    expect(relativeTarget(ntfsB, '/elsewhere/link', 'C:\\e')).toBeNull();
    expect(relativeTarget(winB, 'C:\\d\\link', 'D:\\e')).toBeNull();
  });

  it('absoluteTarget: in the link\u2019s own file system form (Windows on NTFS)', () => {
    expect(absoluteTarget(posixB, '/a/b/link', '../c')).toBe('/a/c');
    expect(absoluteTarget(ntfsB, '/mnt/c/d/link', '..\\e')).toBe('C:\\e');
    expect(absoluteTarget(ntfsB, '/elsewhere/link', '../e')).toBe('/e');
    expect(absoluteTarget(winB, 'C:\\d\\link', '..\\e')).toBe('C:\\e');
  });

  it('rebaseRelative: the same place from the new folder, keeping the stored separator style', () => {
    expect(rebaseRelative(posixB, '/a/b/link', '/a/link', '../c')).toBe('c');
    expect(rebaseRelative(posixB, '/a/link', '/a/x/y/link', 'c')).toBe('../../c');
    expect(rebaseRelative(ntfsB, '/mnt/c/d/e/link', '/mnt/c/d/link', '..\\f')).toBe('f');
    expect(rebaseRelative(ntfsB, '/mnt/c/d/link', '/mnt/c/d/x/link', '../d/f')).toBe('../f');
    expect(rebaseRelative(ntfsB, '/mnt/c/d/link', '/mnt/c/d/x/link', 'a\\f')).toBe('..\\a\\f');
    expect(rebaseRelative(ntfsB, '/mnt/c/d/link', '/elsewhere/link', '..\\f')).toBeNull();
  });
});

describe('change records and their inverses', () => {
  const applied = (c: Change): Change => ({ ...c, dryRun: false, applied: true });

  it('a change starts as a dry-run plan with every optional field null', () => {
    expect(change({ operation: 'retarget', path: '/l', kind: 'symlink', reason: 'r' })).toEqual({
      recordType: 'change',
      schemaVersion: expect.any(String),
      operation: 'retarget',
      path: '/l',
      kind: 'symlink',
      targetType: null,
      oldTarget: null,
      newTarget: null,
      newPath: null,
      oldKind: null,
      reason: 'r',
      dryRun: true,
      applied: false,
      error: null,
    });
    expect(change({ operation: 'create', path: '/l', kind: 'symlink', oldTargetType: 'file', reason: 'r' }).oldTargetType).toBe('file');
    expect(change({ operation: 'create', path: '/l', kind: 'symlink', reason: 'r' })).not.toHaveProperty('oldTargetType');
    expect(none('/l', 'junction', 'ok', 'C:\\t')).toMatchObject({ operation: 'none', oldTarget: 'C:\\t', newTarget: 'C:\\t', kind: 'junction' });
    expect(none('/l', null, 'ok')).toMatchObject({ oldTarget: null, newTarget: null });
  });

  it('retarget ↔ retarget, move ↔ move back', () => {
    const r = applied(change({ operation: 'retarget', path: '/l', kind: 'symlink', targetType: 'file', oldTarget: 'a', newTarget: 'b', reason: '' }));
    expect(inverse(r)).toMatchObject({ operation: 'retarget', path: '/l', kind: 'symlink', targetType: 'file', oldTarget: 'b', newTarget: 'a', dryRun: true, applied: false });
    const m = applied(change({ operation: 'move', path: '/old', newPath: '/new', kind: 'junction', oldTarget: 'x', newTarget: 'y', reason: '' }));
    expect(inverse(m)).toMatchObject({ operation: 'move', path: '/new', newPath: '/old', kind: 'junction', oldTarget: 'y', newTarget: 'x' });
  });

  it('create of a new link → remove it; create that replaced a link → put the old one back', () => {
    const fresh = applied(change({ operation: 'create', path: '/l', kind: 'symlink', targetType: 'directory', newTarget: 't', reason: '' }));
    expect(inverse(fresh)).toMatchObject({ operation: 'remove', path: '/l', kind: 'symlink', targetType: 'directory', oldTarget: 't', newTarget: null });
    const replaced = applied(
      change({ operation: 'create', path: '/l', kind: 'symlink', targetType: 'file', oldKind: 'junction', oldTargetType: 'directory', oldTarget: 'C:\\old', newTarget: 'new', reason: '' }),
    );
    expect(inverse(replaced)).toMatchObject({
      operation: 'create',
      path: '/l',
      kind: 'junction',
      targetType: 'directory',
      oldKind: 'symlink',
      oldTargetType: 'file',
      oldTarget: 'new',
      newTarget: 'C:\\old',
    });
    const noType = applied(change({ operation: 'create', path: '/l', kind: 'symlink', oldKind: 'junction', oldTarget: 'o', newTarget: 'n', reason: '' }));
    expect(inverse(noType)!.targetType).toBeNull();
  });

  it('remove → recreate with the old target; a removed hard link (no target) and none cannot be undone', () => {
    const rm = applied(change({ operation: 'remove', path: '/l', kind: 'symlink', targetType: 'file', oldTarget: 't', reason: '' }));
    expect(inverse(rm)).toMatchObject({ operation: 'create', path: '/l', kind: 'symlink', targetType: 'file', oldTarget: null, newTarget: 't' });
    expect(inverse(applied(change({ operation: 'remove', path: '/h', kind: 'hardlink', reason: '' })))).toBeNull();
    expect(inverse(none('/l', 'symlink', 'ok', 't'))).toBeNull();
  });

  it('undoing the undo gives the original change back', () => {
    const r = applied(change({ operation: 'retarget', path: '/l', kind: 'symlink', oldTarget: 'a', newTarget: 'b', reason: '' }));
    const back = inverse(applied(inverse(r)!))!;
    expect({ ...back, reason: '' }).toEqual({ ...r, reason: '', dryRun: true, applied: false });
  });
});
