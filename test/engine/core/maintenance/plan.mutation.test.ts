/**
 * Planning (engine/src/core/maintenance/plan.ts): which links a retarget looks at, each mode's
 * decision (and when it leaves a link alone), move destinations, and ensure against every kind of
 * entry already at a declared path. Mock backend as Windows and POSIX, an ntfs-3g stand-in, and the
 * real POSIX backend where the OS's own resolution matters.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../../engine/src/contract/types.js';
import { planEnsure, planMove, planRetarget, type RetargetMode } from '../../../../engine/src/core/maintenance/plan.js';
import { LinkToolsError } from '../../../../engine/src/errors.js';
import { createPlatform } from '../../../../engine/src/platform/index.js';
import type { EntryStat, LinkData } from '../../../../engine/src/platform/types.js';
import { expectValid } from '../../helpers/contract.js';
import { build, tempDir } from '../../helpers/tree.js';
import { codeOf, MODES, world, type World } from '../../platform/mock/world.js';
import { ntfsLike, overriding } from './stand-ins.js';

const ops = (plan: Change[]) => plan.map((c) => [c.path, c.operation, c.newTarget]);
const retarget = (w: World | { m: Parameters<typeof planRetarget>[0] }, paths: string[], how: RetargetMode, recurse = false) =>
  planRetarget(w.m, { paths, recurse, how }).map((c) => expectValid(c));

describe.each(MODES)('planRetarget on the mock (%s)', (mode) => {
  const setup = () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B').addDir(w.at('d'));
    w.m.fs.addSymlink(w.at('l'), 'a', 'file');
    w.m.fs.addSymlink(w.at('d', 'abs'), w.at('a'), 'file');
    return w;
  };

  it('named links are planned one by one; a named folder without --recurse is not a link', () => {
    const w = setup();
    expect(ops(retarget(w, [w.at('l')], { mode: 'to', target: 'b' }))).toEqual([[w.at('l'), 'retarget', 'b']]);
    expect(codeOf(() => retarget(w, [w.at('d')], { mode: 'to', target: 'b' }))).toBe('LT_NOT_A_LINK');
    expect(codeOf(() => retarget(w, [w.at('a')], { mode: 'to', target: 'b' }))).toBe('LT_NOT_A_LINK');
    expect(codeOf(() => retarget(w, [w.at('missing')], { mode: 'to', target: 'b' }))).toBe('LT_NOT_FOUND');
  });

  it('--recurse walks a folder for symlinks and junctions; a named link under --recurse is still that one link', () => {
    const w = setup();
    w.m.fs.addHardLink(w.at('d', 'h'), w.at('b'));
    expect(ops(retarget(w, [w.at('d')], { mode: 'to', target: 'b' }, true))).toEqual([[w.at('d', 'abs'), 'retarget', 'b']]);
    const named = retarget(w, [w.at('l')], { mode: 'tidy' }, true);
    expect(named.map((c) => [c.path, c.operation, c.oldTarget])).toEqual([[w.at('l'), 'none', 'a']]);
  });

  it('a named hard link cannot be retargeted (it has no target)', () => {
    const w = setup();
    w.m.fs.addHardLink(w.at('h'), w.at('a'));
    expect(codeOf(() => retarget(w, [w.at('h')], { mode: 'to', target: 'b' }))).toBe('LT_NOT_A_LINK');
  });

  it('--to: a new target even when it does not exist (no same-object check); the same target is no change', () => {
    const w = setup();
    expect(retarget(w, [w.at('l')], { mode: 'to', target: 'nowhere' })[0]).toMatchObject({ operation: 'retarget', oldTarget: 'a', newTarget: 'nowhere', kind: 'symlink' });
    expect(retarget(w, [w.at('l')], { mode: 'to', target: 'a' })[0]).toMatchObject({ operation: 'none', oldTarget: 'a', newTarget: 'a' });
  });

  it('--replace: a named link that matches no rule is reported unchanged; one under --recurse is left out', () => {
    const w = setup();
    const rules = [{ from: w.at('zzz'), to: w.at('new') }];
    expect(retarget(w, [w.at('d', 'abs')], { mode: 'replace', rules }).map((c) => c.operation)).toEqual(['none']);
    expect(retarget(w, [w.at('d')], { mode: 'replace', rules }, true)).toEqual([]);
    const hit = retarget(w, [w.at('d')], { mode: 'replace', rules: [{ from: w.at(), to: w.at('new') }] }, true);
    expect(ops(hit)).toEqual([[w.at('d', 'abs'), 'retarget', w.at('new', 'a')]]);
  });

  it('--relative: an already relative target is no change when named and left out under --recurse', () => {
    const w = setup();
    expect(retarget(w, [w.at('l')], { mode: 'relative' })[0]).toMatchObject({ operation: 'none', oldTarget: 'a' });
    w.m.fs.addSymlink(w.at('d', 'rel'), '../a', 'file');
    // d/rel is left out; d/abs points outside the walked folder (the boundary), so it stays absolute
    expect(retarget(w, [w.at('d')], { mode: 'relative' }, true).map((c) => [c.path, c.operation])).toEqual([[w.at('d', 'abs'), 'none']]);
  });

  it('--relative: a target outside the boundary stays absolute; inside it becomes relative and keeps its type', () => {
    const w = setup();
    // named: the boundary is the link's own folder, and a is outside d
    expect(retarget(w, [w.at('d', 'abs')], { mode: 'relative' })[0]).toMatchObject({ operation: 'none', newTarget: w.at('a') });
    const inside = retarget(w, [w.at('d', 'abs')], { mode: 'relative', boundary: w.at() })[0]!;
    expect(inside).toMatchObject({ operation: 'retarget', oldTarget: w.at('a'), newTarget: w.win ? '..\\a' : '../a', targetType: 'file' });
  });

  it('--absolute: a relative target is made absolute in the link\u2019s form; an absolute one is no change', () => {
    const w = setup();
    expect(retarget(w, [w.at('l')], { mode: 'absolute' })[0]).toMatchObject({ operation: 'retarget', oldTarget: 'a', newTarget: w.at('a') });
    expect(retarget(w, [w.at('d', 'abs')], { mode: 'absolute' })[0]).toMatchObject({ operation: 'none', newTarget: w.at('a') });
    expect(retarget(w, [w.at()], { mode: 'absolute' }, true).map((c) => c.path)).toEqual([w.at('l')]);
  });

  it('--absolute: an absolute target is left as it is, even one that is not in normal form', () => {
    const w = setup();
    const messy = w.win ? 'C:\\w\\d\\..\\a' : '/w/d/../a';
    w.m.fs.addSymlink(w.at('m'), messy, 'file');
    expect(retarget(w, [w.at('m')], { mode: 'absolute' })[0]).toMatchObject({ operation: 'none', newTarget: messy });
  });

  it('--recurse over a real file: it is not a link (LT_NOT_A_LINK)', () => {
    const w = setup();
    expect(codeOf(() => retarget(w, [w.at('a')], { mode: 'tidy' }, true))).toBe('LT_NOT_A_LINK');
  });

  it('--absolute and --tidy leave a dangling link as it is: no proof that the new text means the same', () => {
    const w = setup();
    w.m.fs.addSymlink(w.at('dang'), 'x/./gone', 'file');
    const stored = w.win ? 'x\\.\\gone' : 'x/./gone'; // as the file system stores it
    expect(retarget(w, [w.at('dang')], { mode: 'absolute' })[0]).toMatchObject({ operation: 'none', oldTarget: stored, newTarget: stored });
    expect(retarget(w, [w.at('dang')], { mode: 'tidy' })[0]).toMatchObject({ operation: 'none', newTarget: stored });
    w.m.fs.addSymlink(w.at('messy'), './d/../a', 'file');
    expect(retarget(w, [w.at('messy')], { mode: 'tidy' })[0]).toMatchObject({ operation: 'retarget', newTarget: 'a', targetType: 'file' });
  });
});

describe('planRetarget: links with no readable target, and folders that cannot be read', () => {
  it('a named link without a readable target is reported unchanged; under --recurse it is left out', () => {
    const w = world('posix');
    w.m.fs.addDir(w.at('d'));
    w.m.fs.addSymlink(w.at('d', 'l'), 'x', 'file');
    const inner = w.m.defaultBackend;
    const p = overriding(w.m, {
      readLink: (q: string, st: EntryStat): LinkData | null => (st.type === 'link' ? { kind: 'symlink', target: null, declaredType: null, reparse: null } : inner.readLink(q, st)),
    });
    expect(planRetarget(p, { paths: [w.at('d', 'l')], how: { mode: 'to', target: 'y' } })).toMatchObject([{ operation: 'none', oldTarget: null, newTarget: null }]);
    expect(planRetarget(p, { paths: [w.at('d')], recurse: true, how: { mode: 'to', target: 'y' } })).toEqual([]);
  });

  it('a folder below the root that cannot be listed: no plan at all (LT_UNREADABLE)', () => {
    const w = world('posix');
    w.m.fs.addDir(w.at('d', 'locked'));
    w.m.fs.addSymlink(w.at('d', 'l'), '/x', 'file');
    const inner = w.m.defaultBackend;
    const p = overriding(w.m, {
      readdir: (q: string) => {
        if (q.endsWith('locked')) throw new LinkToolsError('LT_ACCESS_DENIED', 'denied', q);
        return inner.readdir(q);
      },
    });
    expect(codeOf(() => planRetarget(p, { paths: [w.at('d')], recurse: true, how: { mode: 'absolute' } }))).toBe('LT_UNREADABLE');
    const root = overriding(w.m, {
      readdir: (q: string) => {
        throw new LinkToolsError('LT_ACCESS_DENIED', 'denied', q);
      },
    });
    expect(codeOf(() => planRetarget(root, { paths: [w.at('d')], recurse: true, how: { mode: 'absolute' } }))).toBe('LT_ACCESS_DENIED');
  });
});

describe('planRetarget --relative on other volumes and forms', () => {
  it('Windows: a boundary on another drive gives no relative form (the target stays absolute)', () => {
    const w = world('windows');
    w.m.fs.addVolume('D:');
    w.m.fs.addDir('D:\\t').addFile('D:\\t\\f', 'F');
    w.m.fs.addSymlink(w.at('l'), 'D:\\t\\f', 'file');
    expect(retarget(w, [w.at('l')], { mode: 'relative', boundary: 'D:\\' })[0]).toMatchObject({ operation: 'none', oldTarget: 'D:\\t\\f', newTarget: 'D:\\t\\f' });
  });

  it('ntfs-3g: a Windows-form target inside the boundary is made relative in Windows form; the boundary is compared as a Windows path', () => {
    const w = world('posix');
    w.m.fs.addDir(w.at('t', 'data')).addFile(w.at('t', 'data', 'f'), 'F');
    w.m.fs.addSymlink(w.at('t', 'l'), 'C:\\w\\t\\data\\f', 'file');
    const p = ntfsLike(w.m);
    expect(planRetarget(p, { paths: [w.at('t', 'l')], how: { mode: 'relative', boundary: w.at('t') } })[0]).toMatchObject({ operation: 'retarget', newTarget: 'data\\f' });
    expect(planRetarget(p, { paths: [w.at('t', 'l')], how: { mode: 'relative', boundary: w.at('t', 'data', 'x') } })[0]).toMatchObject({ operation: 'none' });
  });

  it('ntfs-3g: a boundary with no Windows path leaves a Windows-form target absolute', () => {
    const w = world('posix');
    w.m.fs.addDir(w.at('t', 'data'));
    w.m.fs.addSymlink(w.at('t', 'l'), 'C:\\w\\t\\data', 'directory');
    const p = ntfsLike(w.m);
    const inner = p.b.windowsPath!.bind(p.b);
    const partial = overriding(w.m, { windowsPath: (q: string) => (q.startsWith(w.at('t', 'l')) ? inner(q) : null), resolveTarget: p.b.resolveTarget.bind(p.b) });
    expect(planRetarget(partial, { paths: [w.at('t', 'l')], how: { mode: 'relative', boundary: w.at('t') } })[0]).toMatchObject({ operation: 'none', newTarget: 'C:\\w\\t\\data' });
  });

  it('POSIX without Windows paths: a Windows-form absolute target stays absolute under --relative', () => {
    const w = world('posix');
    w.m.fs.addSymlink(w.at('l'), 'C:\\x\\y', 'file');
    expect(retarget(w, [w.at('l')], { mode: 'relative', boundary: w.at() })[0]).toMatchObject({ operation: 'none', newTarget: 'C:\\x\\y' });
  });

  it('real POSIX: a relative form that would reach another object (the link\u2019s folder is reached through a link) is not planned', () => {
    const t = tempDir();
    build(t, { 'x.txt': 'X', 'deep/er/.keep': '' });
    fs.symlinkSync('deep/er', path.join(t, 'via'));
    fs.symlinkSync(path.join(t, 'x.txt'), path.join(t, 'deep/er/l'));
    const plan = planRetarget(createPlatform(), { paths: [path.join(t, 'via', 'l')], how: { mode: 'relative', boundary: t } });
    expect(plan).toMatchObject([{ operation: 'none', oldTarget: path.join(t, 'x.txt') }]);
    expect(fs.readlinkSync(path.join(t, 'deep/er/l'))).toBe(path.join(t, 'x.txt'));
  });
});

describe.each(MODES)('planMove on the mock (%s)', (mode) => {
  const setup = () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addDir(w.at('d')).addDir(w.at('e', 'f'));
    w.m.fs.addSymlink(w.at('l'), 'a', 'file');
    return w;
  };

  it('refuses what is not a link, and a missing source', () => {
    const w = setup();
    expect(codeOf(() => planMove(w.m, w.at('missing'), w.at('d')))).toBe('LT_NOT_FOUND');
    expect(codeOf(() => planMove(w.m, w.at('a'), w.at('d')))).toBe('LT_NOT_A_LINK');
    expect(codeOf(() => planMove(w.m, w.at('d'), w.at('e')))).toBe('LT_NOT_A_LINK');
  });

  it('a new name is used as given; a folder (or a link to one) as destination takes the link inside', () => {
    const w = setup();
    expect(planMove(w.m, w.at('l'), w.at('renamed'))).toMatchObject({ newPath: w.at('renamed'), newTarget: 'a', oldTarget: 'a' });
    expect(planMove(w.m, w.at('l'), w.at('d'))).toMatchObject({ newPath: w.at('d', 'l'), newTarget: w.win ? '..\\a' : '../a' });
    w.m.fs.addSymlink(w.at('tod'), 'e', 'directory');
    expect(planMove(w.m, w.at('l'), w.at('tod')).newPath).toBe(w.at('tod', 'l'));
    w.m.fs.addSymlink(w.at('dangling'), 'nothing', 'directory');
    expect(codeOf(() => planMove(w.m, w.at('l'), w.at('dangling')))).toBe('LT_EXISTS');
    w.m.fs.addSymlink(w.at('tof'), 'a', 'file');
    expect(codeOf(() => planMove(w.m, w.at('l'), w.at('tof')))).toBe('LT_EXISTS');
    expect(codeOf(() => planMove(w.m, w.at('l'), w.at('a')))).toBe('LT_EXISTS');
  });

  it('moving a link onto itself is no change; an absolute target is kept; the type is kept', () => {
    const w = setup();
    expect(planMove(w.m, w.at('l'), w.at()).operation).toBe('none');
    w.m.fs.addSymlink(w.at('abs'), w.at('a'), 'file');
    expect(planMove(w.m, w.at('abs'), w.at('e', 'f'))).toMatchObject({ operation: 'move', newTarget: w.at('a'), targetType: 'file', newPath: w.at('e', 'f', 'abs') });
  });

  it('a hard-link name moves as a name: no target, type file', () => {
    const w = setup();
    w.m.fs.addHardLink(w.at('h'), w.at('a'));
    expect(expectValid(planMove(w.m, w.at('h'), w.at('d')))).toMatchObject({ operation: 'move', kind: 'hardlink', targetType: 'file', oldTarget: null, newTarget: null, newPath: w.at('d', 'h') });
  });
});

describe('planMove: special destinations and sources', () => {
  it('Windows: a mount point at the destination is in the way (never entered as a folder)', () => {
    const w = world('windows');
    const guid = '11111111-2222-3333-4444-555555555555';
    w.m.fs.addVolume('E:', { guid });
    w.m.fs.addFile(w.at('a'), 'A').addSymlink(w.at('l'), 'a', 'file');
    w.m.fs.addJunction(w.at('mnt'), '', { substituteName: `\\??\\Volume{${guid}}\\`, printName: '' });
    expect(w.m.defaultBackend.stat(w.at('mnt'))?.type).toBe('directory');
    expect(codeOf(() => planMove(w.m, w.at('l'), w.at('mnt')))).toBe('LT_EXISTS');
  });

  it('a link whose target cannot be read moves with no target to rebase', () => {
    const w = world('posix');
    w.m.fs.addDir(w.at('d')).addSymlink(w.at('l'), 'x', 'file');
    const inner = w.m.defaultBackend;
    const p = overriding(w.m, {
      readLink: (q: string, st: EntryStat): LinkData | null => (st.type === 'link' ? { kind: 'symlink', target: null, declaredType: null, reparse: null } : inner.readLink(q, st)),
    });
    expect(planMove(p, w.at('l'), w.at('d'))).toMatchObject({ operation: 'move', oldTarget: null, newTarget: null, newPath: w.at('d', 'l') });
  });
});

describe('planMove across volumes', () => {
  it('Windows: a relative target cannot be kept from another drive (LT_INVALID_ARGUMENT)', () => {
    const w = world('windows');
    w.m.fs.addVolume('D:');
    w.m.fs.addDir('D:\\x').addFile(w.at('a'), 'A');
    w.m.fs.addSymlink(w.at('l'), 'a', 'file');
    expect(codeOf(() => planMove(w.m, w.at('l'), 'D:\\x'))).toBe('LT_INVALID_ARGUMENT');
  });
});

describe.each(MODES)('planEnsure on the mock (%s)', (mode) => {
  const setup = () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B').addDir(w.at('d'));
    return w;
  };
  const ensure = (w: World, links: Parameters<typeof planEnsure>[1]['links']) => {
    const r = planEnsure(w.m, { links }, w.at());
    return { plan: r.plan.map((c) => expectValid(c)), codes: r.errors.map((e) => e.code) };
  };

  it('a path named twice is an error for the second entry only', () => {
    const w = setup();
    const r = ensure(w, [
      { path: 'l', target: 'a', kind: 'symlink' },
      { path: 'l', target: 'b', kind: 'symlink' },
    ]);
    expect(r.codes).toEqual(['LT_BAD_MANIFEST']);
    expect(ops(r.plan)).toEqual([[w.at('l'), 'create', 'a']]);
  });

  it('missing links are created with their type: hard link file (target resolved), symlink from its target or the manifest', () => {
    const w = setup();
    const r = ensure(w, [
      { path: 'h', target: 'a', kind: 'hardlink' },
      { path: 's', target: 'd', kind: 'symlink' },
      { path: 't', target: 'later', kind: 'symlink', targetType: 'directory' },
      { path: 'u', target: 'later', kind: 'symlink' },
    ]);
    expect(r.codes).toEqual([]);
    expect(r.plan.map((c) => [c.path, c.operation, c.kind, c.targetType, c.newTarget])).toEqual([
      [w.at('h'), 'create', 'hardlink', 'file', w.at('a')],
      [w.at('s'), 'create', 'symlink', 'directory', 'd'],
      [w.at('t'), 'create', 'symlink', 'directory', 'later'],
      [w.at('u'), 'create', 'symlink', null, 'later'],
    ]);
  });

  it('a missing hard link or junction keeps its fixed type even when its target is missing too', () => {
    const w = setup();
    expect(ensure(w, [{ path: 'h', target: 'gone', kind: 'hardlink' }]).plan).toMatchObject([{ operation: 'create', targetType: 'file', newTarget: w.at('gone') }]);
    if (w.win) expect(ensure(w, [{ path: 'j', target: w.at('gone'), kind: 'junction' }]).plan).toMatchObject([{ operation: 'create', targetType: 'directory' }]);
  });

  it('a symlink holds only with the same target text: ./a is a retarget of a', () => {
    const w = setup();
    w.m.fs.addSymlink(w.at('l'), 'a', 'file');
    const dotted = w.win ? '.\\a' : './a';
    expect(ensure(w, [{ path: 'l', target: dotted, kind: 'symlink' }]).plan).toMatchObject([{ operation: 'retarget', oldTarget: 'a', newTarget: dotted }]);
  });

  it('an unexpected failure is reported for its entry (LT_INTERNAL) and the others are planned', () => {
    const w = setup();
    const inner = w.m.defaultBackend;
    const p = overriding(w.m, {
      lstat: (q: string) => {
        if (q === w.at('bad')) throw new Error('boom');
        return inner.lstat(q);
      },
    });
    const r = planEnsure(
      p,
      {
        links: [
          { path: 'bad', target: 'a', kind: 'symlink' },
          { path: 'ok', target: 'a', kind: 'symlink' },
        ],
      },
      w.at(),
    );
    expect(r.errors.map((e) => [e.code, e.path])).toEqual([['LT_INTERNAL', w.at('bad')]]);
    expect(r.plan.map((c) => c.path)).toEqual([w.at('ok')]);
  });

  it('a link whose folder does not exist is an error (LT_NOT_FOUND)', () => {
    const w = setup();
    expect(ensure(w, [{ path: 'nope/l', target: 'a', kind: 'symlink' }]).codes).toEqual(['LT_NOT_FOUND']);
  });

  it('a real file is never replaced, unless it already is the declared hard link', () => {
    const w = setup();
    w.m.fs.addHardLink(w.at('h'), w.at('a'));
    expect(ensure(w, [{ path: 'h', target: 'a', kind: 'hardlink' }]).plan.map((c) => c.operation)).toEqual(['none']);
    expect(ensure(w, [{ path: 'h', target: 'b', kind: 'hardlink', replace: true }]).plan).toMatchObject([{ operation: 'create', oldKind: 'hardlink', oldTarget: null }]);
    expect(ensure(w, [{ path: 'b', target: 'a', kind: 'hardlink', replace: true }]).codes).toEqual(['LT_EXISTS']);
    expect(ensure(w, [{ path: 'b', target: 'a', kind: 'symlink', replace: true }]).codes).toEqual(['LT_EXISTS']);
    // b has one name: declared as a hard link of itself it holds; of a missing file it is a real file in the way
    expect(ensure(w, [{ path: 'b', target: 'b', kind: 'hardlink' }]).plan.map((c) => c.operation)).toEqual(['none']);
    expect(ensure(w, [{ path: 'b', target: 'missing', kind: 'hardlink' }]).codes).toEqual(['LT_EXISTS']);
    expect(ensure(w, [{ path: 'h', target: 'missing', kind: 'hardlink' }]).codes).toEqual(['LT_EXISTS']);
    // only a hard link can "already be" its declared file: a symlink to itself, or a folder, is in the way
    expect(ensure(w, [{ path: 'b', target: 'b', kind: 'symlink' }]).codes).toEqual(['LT_EXISTS']);
    expect(ensure(w, [{ path: 'd', target: 'd', kind: 'hardlink' }]).codes).toEqual(['LT_EXISTS']);
  });

  it('a symlink that holds is no change; a wrong target is retargeted keeping its type; another kind needs replace', () => {
    const w = setup();
    w.m.fs.addSymlink(w.at('l'), 'a', 'file');
    expect(ensure(w, [{ path: 'l', target: 'a', kind: 'symlink' }]).plan.map((c) => c.operation)).toEqual(['none']);
    expect(ensure(w, [{ path: 'l', target: 'a', kind: 'symlink', targetType: 'file' }]).plan.map((c) => c.operation)).toEqual(['none']);
    expect(ensure(w, [{ path: 'l', target: 'b', kind: 'symlink' }]).plan).toMatchObject([{ operation: 'retarget', oldTarget: 'a', newTarget: 'b', targetType: 'file' }]);
    expect(ensure(w, [{ path: 'l', target: 'a', kind: 'hardlink' }]).codes).toEqual(['LT_EXISTS']);
    expect(ensure(w, [{ path: 'l', target: 'a', kind: 'hardlink', replace: true }]).plan).toMatchObject([
      { operation: 'create', kind: 'hardlink', oldKind: 'symlink', oldTarget: 'a', newTarget: w.at('a') },
    ]);
  });
});

describe('planEnsure: Windows kinds', () => {
  it('a junction holds whatever the case or a trailing separator; another target is retargeted', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('Data')).addDir(w.at('other'));
    w.m.fs.addJunction(w.at('j'), w.at('Data'));
    const e = (target: string) => planEnsure(w.m, { links: [{ path: 'j', target, kind: 'junction' }] }, w.at()).plan;
    expect(e('c:\\W\\data\\').map((c) => c.operation)).toEqual(['none']);
    expect(e('C:/w/Data').map((c) => c.operation)).toEqual(['none']);
    expect(e(w.at('other'))).toMatchObject([{ operation: 'retarget', kind: 'junction', targetType: 'directory', newTarget: w.at('other') }]);
    expect(e(w.at('Data', 'sub'))).toMatchObject([{ operation: 'retarget' }]);
  });

  it('a mount point or other reparse link at the path is never replaced', () => {
    const w = world('windows');
    w.m.fs.addJunction(w.at('mnt'), '', { substituteName: '\\??\\Volume{11111111-2222-3333-4444-555555555555}\\', printName: '' });
    const r = planEnsure(w.m, { links: [{ path: 'mnt', target: 'x', kind: 'symlink', replace: true }] }, w.at());
    expect(r.plan).toEqual([]);
    expect(r.errors.map((e) => e.code)).toEqual(['LT_EXISTS']);
  });

  it('a junction where a symlink is declared, with replace: the old kind, target and type are recorded', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('d'));
    w.m.fs.addJunction(w.at('j'), w.at('d'));
    expect(planEnsure(w.m, { links: [{ path: 'j', target: 'd', kind: 'symlink', replace: true }] }, w.at()).plan).toMatchObject([
      { operation: 'create', kind: 'symlink', targetType: 'directory', oldKind: 'junction', oldTarget: w.at('d'), oldTargetType: 'directory' },
    ]);
  });

  it('a junction with a POSIX-form target (as a backend may report it) is compared by normalised text', () => {
    const w = world('posix');
    w.m.fs.addSymlink(w.at('j'), '/srv/x', 'directory');
    const inner = w.m.defaultBackend;
    const p = overriding(w.m, {
      readLink: (q: string, st: EntryStat): LinkData | null => (st.type === 'link' ? { kind: 'junction', target: '/srv/./x', declaredType: 'directory', reparse: null } : inner.readLink(q, st)),
    });
    expect(planEnsure(p, { links: [{ path: 'j', target: '/srv/x', kind: 'junction' }] }, w.at()).plan.map((c) => c.operation)).toEqual(['none']);
    expect(planEnsure(p, { links: [{ path: 'j', target: '/srv/y', kind: 'junction' }] }, w.at()).plan.map((c) => c.operation)).toEqual(['retarget']);
  });

  it('junction targets: Windows forms compare case-insensitively (also with / and a trailing \\), POSIX forms exactly', () => {
    const w = world('posix');
    w.m.fs.addSymlink(w.at('j'), '/x', 'directory');
    const inner = w.m.defaultBackend;
    const holds = (stored: string | null, declared: string) => {
      const p = overriding(w.m, {
        readLink: (q: string, st: EntryStat): LinkData | null => (st.type === 'link' ? { kind: 'junction', target: stored, declaredType: 'directory', reparse: null } : inner.readLink(q, st)),
      });
      const r = planEnsure(p, { links: [{ path: 'j', target: declared, kind: 'junction' }] }, w.at());
      return r.plan.map((c) => [c.operation, c.oldTarget]);
    };
    expect(holds('C:/w/data', 'c:/W/Data')).toEqual([['none', 'C:/w/data']]);
    expect(holds('C:\\w\\Data\\', 'C:\\w\\data')).toEqual([['none', 'C:\\w\\Data\\']]);
    expect(holds('/srv/a:B', '/srv/a:b')).toEqual([['retarget', '/srv/a:B']]);
    expect(holds(null, '/srv/x')).toEqual([['retarget', null]]);
  });
});
