/**
 * What link maintenance reads at a path (engine/src/core/maintenance/state.ts): each state, what a
 * target reaches (the OS's own resolution when the backend has one), object identity, and the type a
 * re-made link keeps. Mock backend in both modes, and the real POSIX backend on temporary folders.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptType, reach, readState, sameObject } from '../../../../engine/src/core/maintenance/state.js';
import { LinkToolsError } from '../../../../engine/src/errors.js';
import { createPlatform } from '../../../../engine/src/platform/index.js';
import { codeOf, world } from '../../platform/mock/world.js';
import { build, tempDir } from '../../helpers/tree.js';
import { overriding } from './stand-ins.js';

const GUID = '11111111-2222-3333-4444-555555555555';

describe('readState', () => {
  it('absent, a real file, a real folder, a symlink (with its stored target and declared type)', () => {
    const w = world('windows');
    const b = w.m.defaultBackend;
    w.m.fs.addFile(w.at('f'), 'F').addDir(w.at('d'));
    w.m.fs.addSymlink(w.at('s'), 'd', 'directory');
    w.m.fs.addJunction(w.at('j'), w.at('d'));
    expect(readState(b, w.at('nothing'))).toEqual({ what: 'absent' });
    expect(readState(b, w.at('f'))).toMatchObject({ what: 'real', type: 'file', st: { nlink: 1 } });
    expect(readState(b, w.at('d'))).toMatchObject({ what: 'real', type: 'directory' });
    expect(readState(b, w.at('s'))).toMatchObject({ what: 'link', kind: 'symlink', target: 'd', declaredType: 'directory', data: { kind: 'symlink' } });
    expect(readState(b, w.at('j'))).toMatchObject({ what: 'link', kind: 'junction', target: w.at('d'), declaredType: 'directory' });
  });

  it('a failure other than "not found" is not taken for an absent path', () => {
    const w = world('posix');
    const denied = overriding(w.m, {
      lstat: (p: string) => {
        throw new LinkToolsError('LT_ACCESS_DENIED', 'denied', p);
      },
    });
    expect(codeOf(() => readState(denied.b, w.at('x')))).toBe('LT_ACCESS_DENIED');
  });

  it('a data-carrying reparse point is a real entry; a mount point is a link LinkTools does not maintain', () => {
    const w = world('windows');
    const b = w.m.defaultBackend;
    w.m.fs.addReparse(w.at('dedup.bin'), 0x80000013, { content: 'D' });
    w.m.fs.addJunction(w.at('mnt'), '', { substituteName: `\\??\\Volume{${GUID}}\\`, printName: '' });
    const dedup = readState(b, w.at('dedup.bin'));
    expect(dedup).toMatchObject({ what: 'real', type: 'link' });
    expect(dedup).not.toHaveProperty('kind');
    expect(readState(b, w.at('mnt'))).toMatchObject({ what: 'other-link', kind: 'mountPoint', st: { type: 'link' } });
  });

  it.each(['windows', 'posix'] as const)('%s: every name of a file with several names is a hard link (no target, type file)', (mode) => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addHardLink(w.at('b'), w.at('a'));
    const s = readState(w.m.defaultBackend, w.at('b'));
    expect(s).toEqual({ what: 'link', kind: 'hardlink', target: null, declaredType: 'file', data: null, st: expect.objectContaining({ type: 'file', nlink: 2 }) });
    expect(readState(w.m.defaultBackend, w.at('a'))).toMatchObject({ what: 'link', kind: 'hardlink' });
  });

  it('real POSIX: a folder with a link count above 1 is a real folder, not a hard link', () => {
    const t = tempDir();
    build(t, { 'd/sub1': null, 'd/sub2': null, f: 'F' });
    const b = createPlatform().forPath(t);
    expect(fs.lstatSync(path.join(t, 'd')).nlink).toBeGreaterThan(1);
    expect(readState(b, path.join(t, 'd'))).toMatchObject({ what: 'real', type: 'directory' });
    fs.linkSync(path.join(t, 'f'), path.join(t, 'g'));
    expect(readState(b, path.join(t, 'g'))).toMatchObject({ what: 'link', kind: 'hardlink', st: { nlink: 2 } });
  });
});

describe('reach and sameObject', () => {
  it('real POSIX: a target is resolved the way the OS does it, component by component', () => {
    const t = tempDir();
    build(t, { 'x.txt': 'X', 'deep/er/.keep': '', 'deep/x.txt': 'DEEP' });
    fs.symlinkSync('deep/er', path.join(t, 'hop'));
    const p = createPlatform();
    const b = p.forPath(t);
    const link = path.join(t, 'link');
    const x = fs.statSync(path.join(t, 'x.txt'));
    // "missing/.." does not exist for the OS, although the text "missing/../x.txt" normalises to x.txt
    expect(reach(p, b, link, 'missing/../x.txt')).toBeNull();
    expect(reach(p, b, link, 'x.txt')?.fileId).toBe(`${x.dev}:${x.ino}`);
    // "hop/.." is the parent of where hop leads (deep), not t
    const deepX = fs.statSync(path.join(t, 'deep/x.txt'));
    expect(reach(p, b, link, 'hop/../x.txt')?.fileId).toBe(`${deepX.dev}:${deepX.ino}`);
    expect(sameObject(p, b, link, 'x.txt', './x.txt')).toBe(true);
    expect(sameObject(p, b, link, 'x.txt', 'hop/../x.txt')).toBe(false);
    expect(sameObject(p, b, link, 'missing/../x.txt', 'x.txt')).toBe(false);
    expect(sameObject(p, b, link, 'x.txt', 'missing/../x.txt')).toBe(false);
    expect(sameObject(p, b, link, 'nope', 'nope')).toBe(false); // nothing is not the same object as nothing
  });

  it('mock (no OS resolution): resolveTarget then stat; a target that cannot be placed reaches nothing', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('f'), 'F');
    const b = w.m.defaultBackend;
    expect(reach(w.m, b, w.at('l'), 'f')).toMatchObject({ type: 'file' });
    expect(reach(w.m, b, w.at('l'), 'C:f')).toBeNull(); // drive-relative: no place
    expect(reach(w.m, b, w.at('l'), 'missing')).toBeNull();
    const throwing = overriding(w.m, {
      statTarget: () => {
        throw new LinkToolsError('LT_LOOP', 'loop', w.at('l'));
      },
    });
    expect(reach(throwing, throwing.b, w.at('l'), 'f')).toBeNull();
    // a loop: stat throws (LT_LOOP), reach says nothing is there
    w.m.fs.addSymlink(w.at('x'), w.at('y'), 'file').addSymlink(w.at('y'), w.at('x'), 'file');
    expect(codeOf(() => b.stat(w.at('x')))).toBe('LT_LOOP');
    expect(reach(w.m, b, w.at('l'), 'x')).toBeNull();
  });
});

describe('keptType', () => {
  it('the declared type wins, even over what the target is', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('d'));
    expect(keptType(w.m, w.m.defaultBackend, w.at('l'), 'file', 'd')).toBe('file');
  });

  it('undeclared: the type of the first target that exists; nulls and missing targets are skipped', () => {
    const w = world('posix');
    w.m.fs.addDir(w.at('d')).addFile(w.at('f'), 'F');
    const b = w.m.defaultBackend;
    expect(keptType(w.m, b, w.at('l'), null, 'd')).toBe('directory');
    expect(keptType(w.m, b, w.at('l'), null, null, 'f')).toBe('file');
    expect(keptType(w.m, b, w.at('l'), null, 'missing', 'd', 'f')).toBe('directory');
    expect(keptType(w.m, b, w.at('l'), null, 'missing', null)).toBeNull();
    expect(keptType(w.m, b, w.at('l'), null)).toBeNull();
  });
});
