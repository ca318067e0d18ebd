/**
 * The maintenance planner and applier against the mock backend, as Windows (NTFS: junctions, typed
 * symlinks, drive letters, case-insensitive names) and as POSIX.
 */
import { describe, expect, it } from 'vitest';
import type { Change } from '../../../../engine/src/contract/types.js';
import { applyChange } from '../../../../engine/src/core/maintenance/apply.js';
import { inverse } from '../../../../engine/src/core/maintenance/change.js';
import { planEnsure, planMove, planRetarget } from '../../../../engine/src/core/maintenance/plan.js';
import { replacePrefix, tidyTarget } from '../../../../engine/src/core/maintenance/targets.js';
import { inspect } from '../../../../engine/src/core/info.js';
import { expectValid } from '../../helpers/contract.js';
import { codeOf, MODES, world } from '../../platform/mock/world.js';

const applyAll = (m: Parameters<typeof applyChange>[0], plan: Change[]) => plan.map((c) => expectValid(applyChange(m, c)));

describe('maintenance on the mock as Windows', () => {
  it('--replace rebases a junction and a directory symlink from D:\\Old to E:\\New, case-insensitively, keeping kind and type', () => {
    const w = world('windows');
    w.m.fs.addVolume('D:');
    w.m.fs.addVolume('E:');
    w.m.fs.addDir('E:\\New\\Logs').addFile('E:\\New\\cfg.ini', 'C');
    w.m.fs.addJunction(w.at('logs'), 'D:\\Old\\Logs');
    w.m.fs.addSymlink(w.at('cfg'), 'd:\\old\\cfg.ini', 'file');
    w.m.fs.addSymlink(w.at('other'), 'D:\\Older\\x', 'directory');
    const plan = planRetarget(w.m, { paths: [w.at()], recurse: true, how: { mode: 'replace', rules: [{ from: 'D:\\Old', to: 'E:\\New' }] } });
    expect(plan.map((c) => [c.path, c.kind, c.targetType, c.newTarget]).sort()).toEqual([
      [w.at('cfg'), 'symlink', 'file', 'E:\\New\\cfg.ini'],
      [w.at('logs'), 'junction', 'directory', 'E:\\New\\Logs'],
    ]);
    applyAll(w.m, plan);
    expect(inspect(w.m, w.at('logs'))).toMatchObject({ kind: 'junction', target: 'E:\\New\\Logs', targetExists: true });
    expect(inspect(w.m, w.at('cfg'))).toMatchObject({ kind: 'symlink', target: 'E:\\New\\cfg.ini', targetType: 'file' });
    expect(w.m.fs.readFile(w.at('cfg'))).toBe('C');
    expect(inspect(w.m, w.at('other')).target).toBe('D:\\Older\\x');
  });

  it('--relative leaves a junction absolute and says why; a directory symlink keeps its declared type', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('rel', 'data'));
    w.m.fs.addJunction(w.at('rel', 'j'), w.at('rel', 'data'));
    w.m.fs.addSymlink(w.at('rel', 'd'), w.at('rel', 'data'), 'directory');
    const plan = planRetarget(w.m, { paths: [w.at('rel')], recurse: true, how: { mode: 'relative' } });
    const j = plan.find((c) => c.path.endsWith('\\j'))!;
    expect(j.operation).toBe('none');
    expect(j.reason).toMatch(/junction always stores an absolute/);
    const d = plan.find((c) => c.path.endsWith('\\d'))!;
    expect(d).toMatchObject({ operation: 'retarget', newTarget: 'data', targetType: 'directory' });
    applyAll(w.m, plan);
    expect(inspect(w.m, w.at('rel', 'd'))).toMatchObject({ target: 'data', targetType: 'directory', reparse: { relative: true } });
  });

  it('move of a junction moves the link only, never the folder it points to', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('payload', 'big.bin'), 'DATA');
    w.m.fs.addDir(w.at('elsewhere'));
    w.m.fs.addJunction(w.at('j'), w.at('payload'));
    const c = planMove(w.m, w.at('j'), w.at('elsewhere'));
    expect(c).toMatchObject({ operation: 'move', newPath: w.at('elsewhere', 'j'), newTarget: w.at('payload') });
    const done = expectValid(applyChange(w.m, c));
    expect(done.applied).toBe(true);
    expect(w.m.fs.exists(w.at('j'))).toBe(false);
    expect(w.m.fs.list(w.at('payload'))).toEqual(['big.bin']);
    expect(w.m.fs.readFile(w.at('elsewhere', 'j', 'big.bin'))).toBe('DATA');
    // and undo moves it back
    expect(applyChange(w.m, inverse(done)!).applied).toBe(true);
    expect(inspect(w.m, w.at('j'))).toMatchObject({ kind: 'junction', targetExists: true });
  });

  it('ensure with a typed symlink: a file symlink where a directory one is declared is replaced only with replace', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('t'));
    w.m.fs.addSymlink(w.at('l'), 't', 'file'); // wrong type: it will not open
    const strict = planEnsure(w.m, { links: [{ path: 'l', target: 't', kind: 'symlink', targetType: 'directory' }] }, w.at());
    expect(strict.plan).toEqual([]);
    expect(strict.errors.map((e) => e.code)).toEqual(['LT_EXISTS']);
    const loose = planEnsure(w.m, { links: [{ path: 'l', target: 't', kind: 'symlink', targetType: 'directory', replace: true }] }, w.at());
    expect(loose.plan[0]).toMatchObject({ operation: 'create', oldKind: 'symlink', oldTargetType: 'file', targetType: 'directory' });
    applyAll(w.m, loose.plan);
    expect(inspect(w.m, w.at('l'))).toMatchObject({ targetType: 'directory', targetExists: true });
    const again = planEnsure(w.m, { links: [{ path: 'L', target: 't', kind: 'symlink', targetType: 'directory' }] }, w.at());
    expect(again.plan.map((c) => c.operation)).toEqual(['none']); // case-insensitive names
  });
});

describe.each(MODES)('maintenance on the mock (%s)', (mode) => {
  it('applying checks the tree first: a link changed since the plan is refused, the others go on', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B');
    w.m.fs.addSymlink(w.at('l1'), w.at('a'), 'file').addSymlink(w.at('l2'), w.at('a'), 'file');
    const plan = planRetarget(w.m, { paths: [w.at()], recurse: true, how: { mode: 'relative' } });
    expect(plan).toHaveLength(2);
    // l1 is changed behind the plan's back
    w.m.fs.unlink(w.m.fs.walk(w.at(), true).node!, 'l1');
    w.m.fs.addSymlink(w.at('l1'), w.at('b'), 'file');
    const done = applyAll(w.m, plan);
    expect(done.map((c) => [c.applied, c.error?.code ?? null])).toEqual([
      [false, 'LT_TREE_CHANGED'],
      [true, null],
    ]);
    expect(inspect(w.m, w.at('l1')).target).toBe(w.at('b'));
    expect(inspect(w.m, w.at('l2')).target).toBe('a');
  });

  it('a removed link is put back by undo; a real file is never replaced by a create', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('real'), 'R');
    const create: Change = applyChange(w.m, { ...planEnsure(w.m, { links: [{ path: 'l', target: 'a', kind: 'symlink' }] }, w.at()).plan[0]! });
    expect(create.applied).toBe(true);
    const removed = applyChange(w.m, inverse(create)!);
    expect(removed).toMatchObject({ operation: 'remove', applied: true });
    expect(w.m.fs.exists(w.at('l'))).toBe(false);
    expect(applyChange(w.m, inverse(removed)!).applied).toBe(true);
    expect(w.m.fs.readFile(w.at('l'))).toBe('A');
    const onReal = applyChange(w.m, { ...create, path: w.at('real') });
    expect(onReal.error?.code).toBe('LT_EXISTS');
    expect(w.m.fs.readFile(w.at('real'))).toBe('R');
    expect(
      codeOf(() =>
        planEnsure(w.m, { links: [{ path: 'real', target: 'a', kind: 'symlink', replace: true }] }, w.at()).errors.forEach((e) => {
          throw e;
        }),
      ),
    ).toBe('LT_EXISTS');
  });
});

describe('target arithmetic', () => {
  const posix = world('posix');
  const win = world('windows');
  const bp = posix.m.defaultBackend;
  const bw = win.m.defaultBackend;
  it('replacePrefix matches whole components, Windows forms case-insensitively', () => {
    expect(replacePrefix(bp, '/srv/old/x', [{ from: '/srv/old', to: '/srv/new' }])).toBe('/srv/new/x');
    expect(replacePrefix(bp, '/srv/old', [{ from: '/srv/old/', to: '/srv/new' }])).toBe('/srv/new');
    expect(replacePrefix(bp, '/srv/older/x', [{ from: '/srv/old', to: '/srv/new' }])).toBeNull();
    expect(replacePrefix(bp, '/SRV/old/x', [{ from: '/srv/old', to: '/srv/new' }])).toBeNull();
    expect(replacePrefix(bw, 'd:/OLD/x\\y', [{ from: 'D:\\Old', to: 'E:\\New' }])).toBe('E:\\New\\x\\y');
    expect(replacePrefix(bw, '\\\\srv\\share\\a', [{ from: '\\\\SRV\\Share', to: '\\\\nas\\s2' }])).toBe('\\\\nas\\s2\\a');
  });
  it('tidyTarget removes . and // and shortens detours', () => {
    expect(tidyTarget(bp, '/t/a/b/l', './x/./y')).toBe('x/y');
    expect(tidyTarget(bp, '/t/a/b/l', 'x//y/')).toBe('x/y');
    expect(tidyTarget(bp, '/t/a/b/l', '../../a/b/f')).toBe('f');
    expect(tidyTarget(bp, '/t/a/b/l', '/t//a/./f')).toBe('/t/a/f');
    expect(tidyTarget(bw, 'C:\\t\\a\\l', '..\\a\\.\\f')).toBe('f');
  });
});
