/**
 * The tree-scope audit rules (engine/src/core/audit/tree-checks.ts) and the target tidying of
 * messy-target (tidyText in core/maintenance/targets.ts), directly: the exact finding records (rule, path, details)
 * for hard-link groups, unreadable entries and folder-link cycles, and every kind of needless element.
 */
import { describe, expect, it } from 'vitest';
import type { LinkInfo } from '../../../../engine/src/contract/types.js';
import { tidyText as tidyTarget } from '../../../../engine/src/core/maintenance/targets.js';
import { CycleFinder, hardlinkGroupEscapes, unreadable } from '../../../../engine/src/core/audit/tree-checks.js';
import type { HardLinkGroup } from '../../../../engine/src/core/scan/walk.js';
import { LinkToolsError } from '../../../../engine/src/errors.js';

const RECURSING = ['find -L', 'du -L', 'rsync -L', 'tar -h', 'cp -rL', 'grep -R', 'Get-ChildItem -Recurse -FollowSymlink'];
const info = (p: string, kind: LinkInfo['kind'] = 'symlink', target = 't') => ({ path: p, kind, target }) as unknown as LinkInfo;

describe('hardlink-group-escapes', () => {
  const group = (linkCount: number, names: string[]) => ({ fileId: '1:2', linkCount, names }) as unknown as HardLinkGroup;

  it('no finding when every name is under the roots (or more were found than counted)', () => {
    expect(hardlinkGroupEscapes(group(2, ['/r/a', '/r/b']))).toBeNull();
    expect(hardlinkGroupEscapes(group(1, ['/r/a', '/r/b']))).toBeNull();
  });

  it('names outside the roots: reported at the first name, with the counts', () => {
    expect(hardlinkGroupEscapes(group(3, ['/r/a', '/r/b']))).toMatchObject({
      rule: 'hardlink-group-escapes',
      path: '/r/a',
      details: { fileId: '1:2', linkCount: 3, namesFound: 2, names: ['/r/a', '/r/b'], missing: 1 },
    });
    expect(hardlinkGroupEscapes(group(5, ['/r/x']))!.details).toEqual({ fileId: '1:2', linkCount: 5, namesFound: 1, names: ['/r/x'], missing: 4 });
  });
});

describe('unreadable', () => {
  it.each(['list', 'stat', 'readLink'] as const)('%s: the operation, the code and the OS code', (operation) => {
    const error = new LinkToolsError('LT_ACCESS_DENIED', 'Access is denied.', '/r/x', { osCode: 'EACCES' });
    const f = unreadable({ path: '/r/x', root: '/r', operation, error });
    expect(f).toMatchObject({ rule: 'unreadable', path: '/r/x', details: { operation, code: 'LT_ACCESS_DENIED', osCode: 'EACCES' } });
    expect(f.message).toContain('Access is denied.');
  });

  it('without an OS code: null', () => {
    const f = unreadable({ path: '/r/x', root: '/r', operation: 'stat', error: new LinkToolsError('LT_NOT_FOUND', 'gone', '/r/x') });
    expect(f.details).toEqual({ operation: 'stat', code: 'LT_NOT_FOUND', osCode: null });
  });
});

describe('directory-cycle (CycleFinder)', () => {
  it('no links, no findings; a link to a folder beside it is no cycle', () => {
    expect(new CycleFinder().findings()).toEqual([]);
    const c = new CycleFinder();
    c.add(info('/r/a/l'), '/r/a', '/r/b');
    expect(c.findings()).toEqual([]);
  });

  it('a link to a folder that holds it: a cycle by itself, with the ancestor', () => {
    const c = new CycleFinder();
    c.add(info('/r/a/b/up', 'symlink', '../..'), '/r/a/b', '/r/a');
    expect(c.findings()).toEqual([
      {
        rule: 'directory-cycle',
        path: '/r/a/b/up',
        message: expect.stringContaining('/r/a'),
        details: { target: '../..', realTarget: '/r/a', ancestor: '/r/a', cycle: ['/r/a/b/up'], recursingTools: RECURSING },
      },
    ]);
  });

  it('a link in the very folder it targets is a cycle; one in a folder whose name only starts the same is not', () => {
    const c = new CycleFinder();
    c.add(info('/r/a/self'), '/r/a', '/r/a');
    c.add(info('/r/a-x/l'), '/r/a-x', '/r/a');
    c.add(info('/r/ab/l'), '/r/ab', '/r/a');
    expect(c.findings().map((f) => f.path)).toEqual(['/r/a/self']);
  });

  it('two links leading into each other\u2019s folders: both reported, cycle sorted, no ancestor', () => {
    const c = new CycleFinder();
    c.add(info('/r/m2/y', 'symlink', '../m1'), '/r/m2', '/r/m1');
    c.add(info('/r/m1/x', 'symlink', '../m2'), '/r/m1', '/r/m2');
    c.add(info('/r/other/z'), '/r/other', '/r/m1'); // leads into the cycle but is not on it
    const f = c.findings();
    expect(f.map((x) => [x.path, x.details])).toEqual([
      ['/r/m1/x', { target: '../m2', realTarget: '/r/m2', ancestor: null, cycle: ['/r/m1/x', '/r/m2/y'], recursingTools: RECURSING }],
      ['/r/m2/y', { target: '../m1', realTarget: '/r/m1', ancestor: null, cycle: ['/r/m1/x', '/r/m2/y'], recursingTools: RECURSING }],
    ]);
    expect(f[0]!.message).toContain('one of 2 folder links');
  });

  it('three links in a ring are one cycle of three; a self-cycle on the way is reported on its own', () => {
    const c = new CycleFinder();
    c.add(info('/r/a/l'), '/r/a', '/r/b');
    c.add(info('/r/b/l'), '/r/b', '/r/c');
    c.add(info('/r/c/l'), '/r/c', '/r/a');
    c.add(info('/r/c/d/up'), '/r/c/d', '/r/c');
    const f = c.findings();
    expect(f.map((x) => [x.path, (x.details as { cycle: string[] }).cycle.length, (x.details as { ancestor: string | null }).ancestor])).toEqual([
      ['/r/a/l', 3, null],
      ['/r/b/l', 3, null],
      ['/r/c/d/up', 1, '/r/c'],
      ['/r/c/l', 3, null],
    ]);
  });

  it('Windows paths compare case-insensitively with either separator; junctions add robocopy to the tools', () => {
    const c = new CycleFinder();
    c.add(info('C:\\R\\A\\B\\j', 'junction', 'C:\\r\\a'), 'C:\\R\\A\\B', 'c:/r/a/');
    c.add(info('C:\\R\\Mnt', 'mountPoint', 'C:\\r'), 'C:\\R', 'C:\\r\\');
    const f = c.findings();
    expect(f.map((x) => x.path)).toEqual(['C:\\R\\A\\B\\j', 'C:\\R\\Mnt']);
    expect((f[0]!.details as { recursingTools: string[] }).recursingTools).toEqual([...RECURSING, 'robocopy (without /XJ)']);
    expect((f[1]!.details as { recursingTools: string[] }).recursingTools).toEqual([...RECURSING, 'robocopy (without /XJ)']);
    expect(f[0]!.details).toMatchObject({ ancestor: 'c:/r/a/', realTarget: 'c:/r/a/' });
  });

  it('a root folder target (/) holds everything below it', () => {
    const c = new CycleFinder();
    c.add(info('/x/l'), '/x', '/');
    expect(c.findings().map((f) => f.path)).toEqual(['/x/l']);
  });
});

describe('tidyTarget (messy-target)', () => {
  it.each([
    ['a/b', false, 'a/b', []],
    ['.', false, '.', []],
    ['./a', false, 'a', ['dot-element']],
    ['a/./b', false, 'a/b', ['dot-element']],
    ['a//b', false, 'a/b', ['empty-element']],
    ['a/', false, 'a', ['trailing-separator']],
    ['a/../b', false, 'b', ['name-then-dot-dot']],
    ['../a', false, '../a', []],
    ['../../a', false, '../../a', []],
    ['a/../../b', false, '../b', ['name-then-dot-dot']],
    ['/..', false, '/', ['name-then-dot-dot']],
    ['/../a', false, '/a', ['name-then-dot-dot']],
    ['//srv/x', false, '//srv/x', []],
    ['///x', false, '/x', ['empty-element']],
    ['/', false, '/', []],
    ['/a/', false, '/a', ['trailing-separator']],
    ['a\\b', false, 'a\\b', []],
    ['a\\.\\b', true, 'a\\b', ['dot-element']],
    ['a/b', true, 'a\\b', []],
    ['C:\\x\\.\\y', true, 'C:\\x\\y', ['dot-element']],
    ['C:\\', true, 'C:\\', []],
    ['C:/x/', true, 'C:/x', ['trailing-separator']],
    ['\\\\srv\\share\\x\\..\\y', true, '\\\\srv\\share\\y', ['name-then-dot-dot']],
    ['\\\\srv\\share\\..', true, '\\\\srv\\share\\', ['name-then-dot-dot']],
    ['\\x\\\\y', true, '\\x\\y', ['empty-element']],
    ['x/./../y//', false, 'y', ['trailing-separator', 'dot-element', 'name-then-dot-dot', 'empty-element']],
    ['', false, '.', []],
  ] as const)('%j (windows %s) -> %j %j', (t, win, tidy, reasons) => {
    expect(tidyTarget(t, win)).toEqual({ tidy, reasons });
  });
});
