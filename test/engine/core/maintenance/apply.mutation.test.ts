/**
 * Applying change records (engine/src/core/maintenance/apply.ts): the checks that the tree still
 * holds what the plan saw (each refusal with its code, and nothing changed), bad requests, and what
 * each operation leaves on the (mock) file system, as Windows and as POSIX.
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../../engine/src/contract/types.js';
import { applyChange } from '../../../../engine/src/core/maintenance/apply.js';
import { change } from '../../../../engine/src/core/maintenance/change.js';
import { inspect } from '../../../../engine/src/core/info.js';
import { expectValid } from '../../helpers/contract.js';
import { MODES, world, type World } from '../../platform/mock/world.js';
import type { EntryStat, LinkData } from '../../../../engine/src/platform/types.js';
import { overriding } from './stand-ins.js';

type Fields = Parameters<typeof change>[0];
const plan = (f: Omit<Fields, 'reason'>): Change => change({ ...f, reason: 'test' });
const apply = (w: World, c: Change) => expectValid(applyChange(w.m, c));
const err = (c: Change) => [c.applied, c.error?.code ?? null];
const idOf = (w: World, p: string) => w.m.defaultBackend.lstat(p).fileId;

describe.each(MODES)('applyChange on the mock (%s)', (mode) => {
  const setup = () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B').addDir(w.at('d'));
    w.m.fs.addSymlink(w.at('l'), 'a', 'file');
    return w;
  };

  it('an applied change is no dry run; a "none" change is not applied, changes nothing and fails nothing', () => {
    const w = setup();
    const done = apply(w, plan({ operation: 'retarget', path: w.at('l'), kind: 'symlink', targetType: 'file', oldTarget: 'a', newTarget: 'b' }));
    expect(done).toMatchObject({ dryRun: false, applied: true, error: null, newTarget: 'b' });
    expect(w.m.fs.readFile(w.at('l'))).toBe('B');
    const none = apply(w, plan({ operation: 'none', path: 'l', kind: null, oldTarget: 'b', newTarget: 'b' }));
    expect(none).toMatchObject({ operation: 'none', path: w.at('l'), dryRun: false, applied: false, error: null });
    expect(inspect(w.m, w.at('l')).target).toBe('b');
  });

  it('a change needs kind symlink, junction or hardlink (LT_BAD_REQUEST, nothing touched)', () => {
    const w = setup();
    for (const kind of [null, 'mountPoint' as unknown as 'symlink']) {
      // not validated: a record of a kind outside the schema (a hand-edited journal) is what is tested
      const c = applyChange(w.m, plan({ operation: 'retarget', path: w.at('l'), kind, oldTarget: 'a', newTarget: 'b' }));
      expect(err(c)).toEqual([false, 'LT_BAD_REQUEST']);
    }
    expect(inspect(w.m, w.at('l')).target).toBe('a');
  });

  it('retarget refuses a path that no longer holds the planned link: absent, real, another kind, another target', () => {
    const w = setup();
    const r = (p: string, kind: 'symlink' | 'junction', old: string) => apply(w, plan({ operation: 'retarget', path: p, kind, targetType: 'file', oldTarget: old, newTarget: 'b' }));
    expect(err(r(w.at('gone'), 'symlink', 'a'))).toEqual([false, 'LT_TREE_CHANGED']);
    expect(err(r(w.at('a'), 'symlink', 'a'))).toEqual([false, 'LT_TREE_CHANGED']);
    expect(err(r(w.at('l'), 'symlink', 'other'))).toEqual([false, 'LT_TREE_CHANGED']);
    if (w.win) {
      w.m.fs.addJunction(w.at('j'), w.at('d'));
      expect(err(r(w.at('j'), 'symlink', w.at('d')))).toEqual([false, 'LT_TREE_CHANGED']);
      expect(err(r(w.at('l'), 'junction', 'a'))).toEqual([false, 'LT_TREE_CHANGED']);
    }
    expect(w.m.fs.readFile(w.at('a'))).toBe('A');
    expect(inspect(w.m, w.at('l')).target).toBe('a');
    expect(w.m.fs.exists(w.at('gone'))).toBe(false);
  });

  it('retarget: a hard link has no target, and a retarget needs a new target (LT_BAD_REQUEST)', () => {
    const w = setup();
    w.m.fs.addHardLink(w.at('h'), w.at('a'));
    expect(err(apply(w, plan({ operation: 'retarget', path: w.at('h'), kind: 'hardlink', newTarget: 'b' })))).toEqual([false, 'LT_BAD_REQUEST']);
    expect(err(apply(w, plan({ operation: 'retarget', path: w.at('l'), kind: 'symlink', oldTarget: 'a', newTarget: null })))).toEqual([false, 'LT_BAD_REQUEST']);
    expect(inspect(w.m, w.at('l')).target).toBe('a');
    expect(idOf(w, w.at('h'))).toBe(idOf(w, w.at('a')));
  });

  it('create: something in the way is refused — a real entry with LT_EXISTS, a link with LT_TREE_CHANGED', () => {
    const w = setup();
    const c = (p: string) => apply(w, plan({ operation: 'create', path: p, kind: 'symlink', targetType: 'file', newTarget: 'b' }));
    expect(err(c(w.at('a')))).toEqual([false, 'LT_EXISTS']);
    expect(err(c(w.at('l')))).toEqual([false, 'LT_TREE_CHANGED']);
    expect(inspect(w.m, w.at('l')).target).toBe('a');
    expect(w.m.fs.readFile(w.at('a'))).toBe('A');
  });

  it('create: a symlink needs a new target (LT_BAD_REQUEST); a hard link without one names the path itself', () => {
    const w = setup();
    expect(err(apply(w, plan({ operation: 'create', path: w.at('n'), kind: 'symlink', newTarget: null })))).toEqual([false, 'LT_BAD_REQUEST']);
    expect(err(apply(w, plan({ operation: 'create', path: w.at('n'), kind: 'hardlink', newTarget: null })))).toEqual([false, 'LT_NOT_FOUND']);
    expect(w.m.fs.exists(w.at('n'))).toBe(false);
  });

  it('create: a hard link to the named file; the record says which file', () => {
    const w = setup();
    const done = apply(w, plan({ operation: 'create', path: w.at('h'), kind: 'hardlink', targetType: 'file', newTarget: w.at('a') }));
    expect(done).toMatchObject({ applied: true, newTarget: w.at('a') });
    expect(idOf(w, w.at('h'))).toBe(idOf(w, w.at('a')));
  });

  it('create: the planned type is the one made, even for a target that does not exist yet', () => {
    const w = setup();
    const done = apply(w, plan({ operation: 'create', path: w.at('n'), kind: 'symlink', targetType: 'directory', newTarget: 'later' }));
    expect(done).toMatchObject({ applied: true, error: null, newTarget: 'later' });
    expect(inspect(w.m, w.at('n'))).toMatchObject({ kind: 'symlink', target: 'later', targetExists: false });
    if (w.win) expect(inspect(w.m, w.at('n')).targetType).toBe('directory');
  });

  it('create replacing a link: only the link the plan saw (kind and target) is replaced', () => {
    const w = setup();
    const stale = apply(w, plan({ operation: 'create', path: w.at('l'), kind: 'symlink', targetType: 'file', oldKind: 'symlink', oldTarget: 'zzz', newTarget: 'b' }));
    expect(err(stale)).toEqual([false, 'LT_TREE_CHANGED']);
    expect(inspect(w.m, w.at('l')).target).toBe('a');
    const ok = apply(w, plan({ operation: 'create', path: w.at('l'), kind: 'symlink', targetType: 'file', oldKind: 'symlink', oldTarget: 'a', newTarget: 'b' }));
    expect(err(ok)).toEqual([true, null]);
    expect(w.m.fs.readFile(w.at('l'))).toBe('B');
  });

  it('create replacing a hard-link name: the name becomes a symlink, the file keeps its other name', () => {
    const w = setup();
    w.m.fs.addHardLink(w.at('h'), w.at('a'));
    const done = apply(w, plan({ operation: 'create', path: w.at('h'), kind: 'symlink', targetType: 'file', oldKind: 'hardlink', oldTarget: null, newTarget: 'b' }));
    expect(err(done)).toEqual([true, null]);
    expect(inspect(w.m, w.at('h'))).toMatchObject({ kind: 'symlink', target: 'b' });
    expect(w.m.fs.readFile(w.at('a'))).toBe('A');
    expect(w.m.defaultBackend.lstat(w.at('a')).nlink).toBe(1);
  });

  it('remove: a symlink only with the planned target; a hard-link name only while it is still that file', () => {
    const w = setup();
    expect(err(apply(w, plan({ operation: 'remove', path: w.at('l'), kind: 'symlink', oldTarget: 'b' })))).toEqual([false, 'LT_TREE_CHANGED']);
    expect(w.m.fs.exists(w.at('l'))).toBe(true);
    expect(err(apply(w, plan({ operation: 'remove', path: w.at('l'), kind: 'symlink', oldTarget: 'a' })))).toEqual([true, null]);
    expect(w.m.fs.exists(w.at('l'))).toBe(false);

    w.m.fs.addHardLink(w.at('h'), w.at('a'));
    expect(err(apply(w, plan({ operation: 'remove', path: w.at('h'), kind: 'hardlink', oldTarget: w.at('b') })))).toEqual([false, 'LT_TREE_CHANGED']);
    expect(err(apply(w, plan({ operation: 'remove', path: w.at('h'), kind: 'hardlink', oldTarget: w.at('missing') })))).toEqual([false, 'LT_TREE_CHANGED']);
    expect(err(apply(w, plan({ operation: 'remove', path: w.at('a'), kind: 'symlink', oldTarget: 'a' })))).toEqual([false, 'LT_TREE_CHANGED']);
    expect(idOf(w, w.at('h'))).toBe(idOf(w, w.at('a')));
    expect(err(apply(w, plan({ operation: 'remove', path: w.at('h'), kind: 'hardlink', oldTarget: w.at('a') })))).toEqual([true, null]);
    expect(w.m.fs.exists(w.at('h'))).toBe(false);
    expect(w.m.fs.readFile(w.at('a'))).toBe('A');
    // without a name to compare with, any hard-link name at the path is the one planned
    w.m.fs.addHardLink(w.at('h2'), w.at('b'));
    expect(err(apply(w, plan({ operation: 'remove', path: w.at('h2'), kind: 'hardlink', oldTarget: null })))).toEqual([true, null]);
    expect(w.m.fs.readFile(w.at('b'))).toBe('B');
  });

  it('move: needs a new path; refuses an occupied destination (real: LT_EXISTS, a link: LT_TREE_CHANGED)', () => {
    const w = setup();
    w.m.fs.addSymlink(w.at('other'), 'b', 'file');
    const mv = (to: string | null) => apply(w, plan({ operation: 'move', path: w.at('l'), kind: 'symlink', targetType: 'file', oldTarget: 'a', newTarget: 'a', newPath: to }));
    expect(err(mv(null))).toEqual([false, 'LT_BAD_REQUEST']);
    expect(err(mv(w.at('b')))).toEqual([false, 'LT_EXISTS']);
    expect(err(mv(w.at('other')))).toEqual([false, 'LT_TREE_CHANGED']);
    expect(inspect(w.m, w.at('l')).target).toBe('a');
    expect(inspect(w.m, w.at('other')).target).toBe('b');
  });

  it('move of a symlink whose planned new target reaches another object: the new link is taken away, the old one stays', () => {
    const w = setup();
    const c = apply(w, plan({ operation: 'move', path: w.at('l'), kind: 'symlink', targetType: 'file', oldTarget: 'a', newTarget: 'b', newPath: w.at('d', 'l') }));
    expect(err(c)).toEqual([false, 'LT_NOT_EQUIVALENT']);
    expect(w.m.fs.exists(w.at('d', 'l'))).toBe(false);
    expect(inspect(w.m, w.at('l')).target).toBe('a');
  });

  it('move of a symlink: the new name reaches the same file, the old name is gone; a dangling one moves as it is', () => {
    const w = setup();
    const c = apply(w, plan({ operation: 'move', path: w.at('l'), kind: 'symlink', targetType: 'file', oldTarget: 'a', newTarget: '../a', newPath: w.at('d', 'l') }));
    expect(c).toMatchObject({ applied: true, error: null, newPath: w.at('d', 'l'), newTarget: w.win ? '..\\a' : '../a' }); // as the file system stores it
    expect(w.m.fs.readFile(w.at('d', 'l'))).toBe('A');
    expect(w.m.fs.exists(w.at('l'))).toBe(false);
    w.m.fs.addSymlink(w.at('dangling'), 'nowhere', 'file');
    const dm = apply(w, plan({ operation: 'move', path: w.at('dangling'), kind: 'symlink', targetType: 'file', oldTarget: 'nowhere', newTarget: 'elsewhere', newPath: w.at('d', 'x') }));
    expect(dm).toMatchObject({ applied: true, newTarget: 'elsewhere' });
    expect(inspect(w.m, w.at('d', 'x'))).toMatchObject({ kind: 'symlink', target: 'elsewhere' });
    expect(w.m.fs.exists(w.at('dangling'))).toBe(false);
  });

  it('move of a hard-link name: the same file under the new name (whatever newTarget says), no target in the record', () => {
    const w = setup();
    w.m.fs.addHardLink(w.at('h'), w.at('a'));
    const id = idOf(w, w.at('a'));
    const c = apply(w, plan({ operation: 'move', path: w.at('h'), kind: 'hardlink', targetType: 'file', newTarget: w.at('b'), newPath: w.at('d', 'h') }));
    expect(c).toMatchObject({ applied: true, error: null, newTarget: null, newPath: w.at('d', 'h') });
    expect(idOf(w, w.at('d', 'h'))).toBe(id);
    expect(w.m.fs.exists(w.at('h'))).toBe(false);
    expect(w.m.defaultBackend.lstat(w.at('a')).nlink).toBe(2);
    expect(w.m.defaultBackend.lstat(w.at('b')).nlink).toBe(1);
  });
  it('move of a symlink without a new target fails before anything is made (LT_INVALID_ARGUMENT)', () => {
    const w = setup();
    const c = apply(w, plan({ operation: 'move', path: w.at('l'), kind: 'symlink', targetType: 'file', oldTarget: 'a', newTarget: null, newPath: w.at('d', 'l') }));
    expect(err(c)).toEqual([false, 'LT_INVALID_ARGUMENT']);
    expect(w.m.fs.exists(w.at('d', 'l'))).toBe(false);
    expect(inspect(w.m, w.at('l')).target).toBe('a');
  });

  it('a hard-link record is made as a hard link whatever type it carries', () => {
    const w = setup();
    const c = apply(w, plan({ operation: 'create', path: w.at('h'), kind: 'hardlink', targetType: 'directory', newTarget: w.at('a') }));
    expect(err(c)).toEqual([true, null]);
    expect(idOf(w, w.at('h'))).toBe(idOf(w, w.at('a')));
  });

  it('an unexpected failure inside is reported as LT_INTERNAL on that change, not thrown', () => {
    const w = setup();
    const p = overriding(w.m, {
      lstat: () => {
        throw new Error('boom');
      },
    });
    const c = applyChange(p, plan({ operation: 'remove', path: w.at('l'), kind: 'symlink', oldTarget: 'a' }));
    expect(err(c)).toEqual([false, 'LT_INTERNAL']);
    expect(c.error!.message).toContain('boom');
    expect(inspect(w.m, w.at('l')).target).toBe('a');
  });
});

describe('applyChange: a link whose target cannot be read', () => {
  it('moves (no object to compare, so the new name is kept)', () => {
    const w = world('posix');
    w.m.fs.addFile(w.at('a'), 'A').addDir(w.at('d'));
    w.m.fs.addSymlink(w.at('l'), 'a', 'file');
    const inner = w.m.defaultBackend;
    const p = overriding(w.m, {
      readLink: (q: string, st: EntryStat): LinkData | null => (q === w.at('l') ? { kind: 'symlink', target: null, declaredType: null, reparse: null } : inner.readLink(q, st)),
    });
    const c = applyChange(p, plan({ operation: 'move', path: w.at('l'), kind: 'symlink', targetType: 'file', oldTarget: null, newTarget: 'a', newPath: w.at('d', 'l') }));
    expect(err(c)).toEqual([true, null]);
    expect(w.m.fs.exists(w.at('l'))).toBe(false);
    expect(inspect(w.m, w.at('d', 'l')).target).toBe('a');
  });
});

describe('applyChange: a moved hard-link name must be the same file', () => {
  it('if the new name turns out to be another file, it is taken away and the old name stays (LT_NOT_EQUIVALENT)', () => {
    const w = world('posix');
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('other'), 'O').addDir(w.at('d'));
    w.m.fs.addHardLink(w.at('h'), w.at('a'));
    const inner = w.m.defaultBackend;
    // a backend that (wrongly) links another file: the check after making the new name must see it
    const p = overriding(w.m, { createHardLink: (link: string) => inner.createHardLink(link, w.at('other')) });
    const c = applyChange(p, plan({ operation: 'move', path: w.at('h'), kind: 'hardlink', targetType: 'file', newPath: w.at('d', 'h') }));
    expect(err(c)).toEqual([false, 'LT_NOT_EQUIVALENT']);
    expect(w.m.fs.exists(w.at('d', 'h'))).toBe(false);
    expect(inner.lstat(w.at('h')).fileId).toBe(inner.lstat(w.at('a')).fileId);
    expect(inner.lstat(w.at('other')).nlink).toBe(1);
  });
});
