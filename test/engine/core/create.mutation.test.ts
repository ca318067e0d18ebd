/**
 * core/create edge cases the other create tests do not pin: argument checks, what counts as a link
 * under --force (hard-link names yes; data-carrying or malformed reparse points no), junction and
 * hard-link target rules, failures that must name the user's path (never the temporary name), and
 * junction targets mapped through an ntfs-3g-like backend. Every refusal is checked to leave the
 * file system as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLink, isUncPath, type CreateRequest } from '../../../engine/src/core/create.js';
import { inspect } from '../../../engine/src/core/info.js';
import { LinkToolsError } from '../../../engine/src/errors.js';
import type { Reparse } from '../../../engine/src/contract/types.js';
import type { Backend, EntryStat, Platform } from '../../../engine/src/platform/types.js';
import { expectValid } from '../helpers/contract.js';
import { createPlatform } from '../../../engine/src/platform/index.js';
import { build, tempDir } from '../helpers/tree.js';
import { codeOf, MODES, world, type World } from '../platform/mock/world.js';

const create = (w: World, r: CreateRequest) => expectValid(createLink(w.m, r));
const failure = (fn: () => unknown): LinkToolsError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof LinkToolsError) return e;
    throw e;
  }
  throw new Error('no error');
};
function overriding(w: World, over: Partial<Record<keyof Backend, unknown>>): Platform {
  const b = Object.assign(Object.create(w.m.defaultBackend) as Backend, over);
  return { defaultBackend: b, forPath: () => b };
}

describe('isUncPath', () => {
  it.each([
    ['\\\\srv\\share', true],
    ['//srv/share', true],
    ['\\\\?\\UNC\\srv\\share', true],
    ['//./unc/srv/share', true],
    ['\\??\\UNC\\srv\\share', true],
    ['\\??\\unc\\srv\\s', true],
    ['\\\\?\\C:\\x', false],
    ['\\\\.\\C:\\x', false],
    ['C:\\x', false],
    ['\\x', false],
    ['x\\\\srv\\share', false],
    ['a\\??\\UNC\\srv', false],
    ['x\\\\?\\UNC\\srv\\s', false],
    ['\\\\', false],
  ])('%j: %s', (p, want) => {
    expect(isUncPath(p)).toBe(want);
  });
});

describe.each(MODES)('create argument checks on the mock (%s)', (mode) => {
  it.each([
    ['an unknown kind', { kind: 'shortcut' }],
    ['an empty link path', { link: '' }],
    ['an empty target', { target: '' }],
    ['a link path that is not text', { link: 42 }],
    ['a NUL in the link path', { link: 'l\0x' }],
    ['a NUL in the target', { target: 'a\0b' }],
    ['an unknown target type', { targetType: 'socket' }],
  ])('%s: LT_INVALID_ARGUMENT, nothing created', (_what, bad) => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A');
    const req = { kind: 'symlink', link: w.at('l'), target: w.at('a'), ...bad } as unknown as CreateRequest;
    expect(codeOf(() => createLink(w.m, req))).toBe('LT_INVALID_ARGUMENT');
    expect(w.m.fs.list(w.at())).toEqual(['a']);
  });

  it('both declared target types are accepted', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addDir(w.at('d'));
    expect(create(w, { kind: 'symlink', link: w.at('f'), target: w.at('a'), targetType: 'file' }).kind).toBe('symlink');
    expect(create(w, { kind: 'symlink', link: w.at('g'), target: w.at('d'), targetType: 'directory' }).kind).toBe('symlink');
  });
});

describe.each(MODES)('create --force on the mock (%s)', (mode) => {
  it('a name of a hard-linked file is a link: --force replaces that name, the file keeps its other name', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B').addHardLink(w.at('h'), w.at('a'));
    const e = failure(() => createLink(w.m, { kind: 'symlink', link: w.at('h'), target: w.at('b') }));
    expect([e.code, e.path]).toEqual(['LT_EXISTS', w.at('h')]);
    expect(create(w, { kind: 'symlink', link: w.at('h'), target: w.at('b'), force: true })).toMatchObject({ kind: 'symlink', target: w.at('b') });
    expect(w.m.fs.readFile(w.at('a'))).toBe('A');
    expect(w.m.defaultBackend.lstat(w.at('a')).nlink).toBe(1);
  });

  it('--force with a hard link onto another name of the same file: nothing to do, no temporary name left', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addHardLink(w.at('h'), w.at('a'));
    expect(create(w, { kind: 'hardlink', link: w.at('h'), target: w.at('a'), force: true })).toMatchObject({ kind: 'hardlink', linkCount: 2 });
    expect(w.m.fs.list(w.at())).toEqual(['a', 'h']);
  });

  it('a failure while the new link is made under a temporary name names the link path; the old link stays', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B').addSymlink(w.at('l'), w.at('a'), 'file');
    w.m.fs.failNext('createSymlink', w.win ? 5 : 'EACCES');
    const e = failure(() => createLink(w.m, { kind: 'symlink', link: w.at('l'), target: w.at('b'), force: true }));
    expect(e.code).toBe('LT_ACCESS_DENIED');
    expect(e.path).toBe(w.at('l'));
    expect(e.message).not.toContain('.lt-');
    expect(inspect(w.m, w.at('l')).target).toBe(w.at('a'));
    expect(w.m.fs.list(w.at())).toEqual(['a', 'b', 'l']);
  });

  it('a failure of the swap takes the temporary link away and names the link path', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B').addSymlink(w.at('l'), w.at('a'), 'file');
    w.m.fs.failNext('replaceLink', w.win ? 5 : 'EACCES');
    const e = failure(() => createLink(w.m, { kind: 'symlink', link: w.at('l'), target: w.at('b'), force: true }));
    expect(e.code).toBe('LT_ACCESS_DENIED');
    expect(e.path).toBe(w.at('l'));
    expect(inspect(w.m, w.at('l')).target).toBe(w.at('a'));
    expect(w.m.fs.list(w.at())).toEqual(['a', 'b', 'l']);
  });

  it('an error that names neither the temporary nor the user path is passed on unchanged', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addSymlink(w.at('l'), w.at('a'), 'file');
    const odd = new LinkToolsError('LT_IO', 'the disk is unhappy', w.at('elsewhere'));
    const p = overriding(w, {
      createSymlink: () => {
        throw odd;
      },
    });
    expect(failure(() => createLink(p, { kind: 'symlink', link: w.at('l'), target: w.at('a'), force: true }))).toBe(odd);
  });
});

describe('create: what a path holds decides, as Windows (NTFS reparse points)', () => {
  it('a data-carrying reparse point (dedup) is never replaced, with or without --force', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('b'), 'B').addReparse(w.at('dedup.bin'), 0x80000013, { content: 'DATA' });
    expect(codeOf(() => createLink(w.m, { kind: 'symlink', link: w.at('dedup.bin'), target: w.at('b') }))).toBe('LT_EXISTS');
    const e = failure(() => createLink(w.m, { kind: 'symlink', link: w.at('dedup.bin'), target: w.at('b'), force: true }));
    expect(e.code).toBe('LT_EXISTS');
    expect(e.details).toEqual({ tag: '0x80000013' });
    expect(w.m.fs.readFile(w.at('dedup.bin'))).toBe('DATA');
  });

  it('malformed reparse data (as ntfs-3g reports it): --force refuses it with LT_BAD_REPARSE_DATA and its tag; without --force it exists', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('b'), 'B').addFile(w.at('bad'), 'KEEP');
    const inner = w.m.defaultBackend;
    const malformed = { tag: 0xa000000c, tagHex: '0xa000000c', isLink: true, label: 'symlink', details: { malformed: 'name past the end' } } as unknown as Reparse;
    const p = overriding(w, { readLink: (q: string, st: EntryStat) => (q === w.at('bad') ? { kind: 'symlink', target: null, declaredType: null, reparse: malformed } : inner.readLink(q, st)) });
    const e = failure(() => createLink(p, { kind: 'symlink', link: w.at('bad'), target: w.at('b'), force: true }));
    expect([e.code, e.path, e.details]).toEqual(['LT_BAD_REPARSE_DATA', w.at('bad'), { tag: '0xa000000c' }]);
    expect(codeOf(() => createLink(p, { kind: 'symlink', link: w.at('bad'), target: w.at('b') }))).toBe('LT_EXISTS');
    expect(w.m.fs.readFile(w.at('bad'))).toBe('KEEP');
    // the same entry without the malformed mark is a link, and --force replaces it
    const fine = { ...malformed, details: {} } as Reparse;
    const q = overriding(w, { readLink: (x: string, st: EntryStat) => (x === w.at('bad') ? { kind: 'symlink', target: 'x', declaredType: 'file', reparse: fine } : inner.readLink(x, st)) });
    createLink(q, { kind: 'symlink', link: w.at('bad'), target: w.at('b'), force: true });
    expect(inspect(w.m, w.at('bad'))).toMatchObject({ kind: 'symlink', target: w.at('b') });
    expect(w.m.fs.readFile(w.at('bad'))).toBe('B');
  });

  it('a hard link may name a data-carrying file (dedup), not a symlink', () => {
    const w = world('windows');
    w.m.fs.addReparse(w.at('dedup.bin'), 0x80000013, { content: 'DATA' }).addFile(w.at('f'), 'F').addSymlink(w.at('s'), w.at('f'), 'file');
    expect(create(w, { kind: 'hardlink', link: w.at('h'), target: w.at('dedup.bin') })).toMatchObject({ kind: 'hardlink', linkCount: 2 });
    expect(w.m.fs.readFile(w.at('h'))).toBe('DATA');
    expect(codeOf(() => createLink(w.m, { kind: 'hardlink', link: w.at('h2'), target: w.at('s') }))).toBe('LT_NOT_A_FILE');
    expect(w.m.fs.exists(w.at('h2'))).toBe(false);
  });

  it('junction rules: --target-type file does not apply; a missing target is allowed; a file target is refused', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('d')).addFile(w.at('f'), 'F');
    expect(codeOf(() => createLink(w.m, { kind: 'junction', link: w.at('j'), target: w.at('d'), targetType: 'file' }))).toBe('LT_INVALID_ARGUMENT');
    expect(create(w, { kind: 'junction', link: w.at('j'), target: w.at('d'), targetType: 'directory' })).toMatchObject({ kind: 'junction', target: w.at('d') });
    expect(create(w, { kind: 'junction', link: w.at('later'), target: w.at('not-yet') })).toMatchObject({ kind: 'junction', targetExists: false, target: w.at('not-yet') });
    expect(codeOf(() => createLink(w.m, { kind: 'junction', link: w.at('jf'), target: w.at('f') }))).toBe('LT_NOT_A_DIRECTORY');
    expect(w.m.fs.exists(w.at('jf'))).toBe(false);
  });

  it('a symlink to a target in a link loop needs a declared type (the loop tells nothing)', () => {
    const w = world('windows');
    w.m.fs.addSymlink(w.at('x'), w.at('y'), 'file').addSymlink(w.at('y'), w.at('x'), 'file');
    expect(codeOf(() => createLink(w.m, { kind: 'symlink', link: w.at('l'), target: w.at('x') }))).toBe('LT_TARGET_TYPE_REQUIRED');
    expect(create(w, { kind: 'symlink', link: w.at('l'), target: w.at('x'), targetType: 'file' })).toMatchObject({ kind: 'symlink', loop: true });
  });
});

describe.each(MODES)('create: hard-link and lookup rules on the mock (%s)', (mode) => {
  it('a hard link with --target-type directory is refused before anything is looked at', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A');
    expect(codeOf(() => createLink(w.m, { kind: 'hardlink', link: w.at('h'), target: w.at('a'), targetType: 'directory' }))).toBe('LT_NOT_A_FILE');
    expect(create(w, { kind: 'hardlink', link: w.at('h'), target: w.at('a'), targetType: 'file' }).linkCount).toBe(2);
  });

  it('a hard link to a special file is refused', () => {
    const w = world(mode);
    w.m.fs.addSpecial(w.at('fifo'));
    expect(codeOf(() => createLink(w.m, { kind: 'hardlink', link: w.at('h'), target: w.at('fifo') }))).toBe('LT_NOT_A_FILE');
    expect(w.m.fs.exists(w.at('h'))).toBe(false);
  });

  it('a failure other than "not found" when looking at the folder or the link path is passed on', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A');
    const inner = w.m.defaultBackend;
    const p = overriding(w, {
      lstat: (q: string) => {
        if (q === w.at('l')) throw new LinkToolsError('LT_ACCESS_DENIED', 'denied', q);
        return inner.lstat(q);
      },
    });
    expect(codeOf(() => createLink(p, { kind: 'symlink', link: w.at('l'), target: w.at('a') }))).toBe('LT_ACCESS_DENIED');
    expect(w.m.fs.exists(w.at('l'))).toBe(false);
  });

  it('a failure other than a loop when looking at the target is passed on', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A');
    const p = overriding(w, {
      stat: (q: string) => {
        throw new LinkToolsError('LT_ACCESS_DENIED', 'denied', q);
      },
    });
    expect(codeOf(() => createLink(p, { kind: 'symlink', link: w.at('l'), target: w.at('a') }))).toBe('LT_ACCESS_DENIED');
  });
});

describe('create: a junction given a Windows drive path on a backend with POSIX paths (ntfs-3g)', () => {
  it('the drive path is mapped through the backend; a drive it cannot reach is refused', () => {
    const w = world('posix');
    w.m.fs.addDir(w.at('data'));
    const made: [string, string][] = [];
    const inner = w.m.defaultBackend;
    const p = overriding(w, {
      resolveTarget: (dir: string, t: string) => (/^C:[\\/]/i.test(t) ? t.slice(2).replace(/\\/g, '/') : /^[A-Za-z]:/.test(t) ? null : inner.resolveTarget(dir, t)),
      createJunction: (link: string, abs: string) => {
        made.push([link, abs]);
        w.m.fs.addSymlink(link, abs, 'directory'); // stands in for the junction ntfs-3g would write
      },
    });
    createLink(p, { kind: 'junction', link: w.at('j'), target: 'C:\\w\\data' });
    expect(made).toEqual([[w.at('j'), '/w/data']]);
    const e = failure(() => createLink(p, { kind: 'junction', link: w.at('k'), target: 'D:\\x' }));
    expect([e.code, e.details]).toEqual(['LT_INVALID_ARGUMENT', { target: 'D:\\x' }]);
    w.m.fs.addDir(w.at('sub'));
    createLink(p, { kind: 'junction', link: w.at('sub', 'r'), target: 'data' });
    expect(made[1]).toEqual([w.at('sub', 'r'), '/w/data']); // relative: made absolute from the current folder (/w)
    createLink(p, { kind: 'junction', link: w.at('sub', 'q'), target: 'data/C:/x' });
    expect(made[2]).toEqual([w.at('sub', 'q'), '/w/data/C:/x']); // a drive letter only counts at the start
    expect(w.m.fs.exists(w.at('k'))).toBe(false);
  });
});

describe('create: the details of refusals, and what is never attempted', () => {
  it('refusals carry the target the user gave', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('d'));
    expect(failure(() => createLink(w.m, { kind: 'symlink', link: w.at('l'), target: w.at('d'), targetType: 'file' })).details).toEqual({ target: w.at('d'), actual: 'directory' });
    expect(failure(() => createLink(w.m, { kind: 'symlink', link: w.at('l'), target: 'later' })).details).toEqual({ target: 'later' });
    expect(failure(() => createLink(w.m, { kind: 'junction', link: w.at('j'), target: '\\\\srv\\share' })).details).toEqual({ target: '\\\\srv\\share' });
    expect(failure(() => createLink(w.m, { kind: 'hardlink', link: w.at('h'), target: 'nope' })).details).toEqual({ target: 'nope' });
    expect(w.m.fs.list(w.at())).toEqual(['d']);
  });

  it('a symlink target that cannot be placed (drive-relative C:x) needs a declared type', () => {
    const w = world('windows');
    expect(codeOf(() => createLink(w.m, { kind: 'symlink', link: w.at('l'), target: 'C:x' }))).toBe('LT_TARGET_TYPE_REQUIRED');
    expect(create(w, { kind: 'symlink', link: w.at('l'), target: 'C:x', targetType: 'file' })).toMatchObject({ kind: 'symlink', target: 'C:x' });
  });

  it('a relative junction target is made absolute from the current folder (as mklink /J), not from the link’s folder', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('d')).addDir(w.at('sub'));
    expect(create(w, { kind: 'junction', link: w.at('sub', 'j'), target: 'd' })).toMatchObject({ target: w.at('d'), targetExists: true });
  });

  it('a junction target with a trailing separator is stored without it (resolved like mklink /J)', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('d'));
    expect(create(w, { kind: 'junction', link: w.at('j'), target: `${w.at('d')}\\` })).toMatchObject({ target: w.at('d'), targetExists: true });
  });

  it('a hard link across volumes is refused before the backend is asked', () => {
    const w = world('windows');
    w.m.fs.addVolume('D:');
    w.m.fs.addFile('D:\\f', 'F');
    const calls: string[] = [];
    const p = overriding(w, { createHardLink: (l: string) => calls.push(l) });
    expect(codeOf(() => createLink(p, { kind: 'hardlink', link: w.at('h'), target: 'D:\\f' }))).toBe('LT_CROSS_DEVICE');
    expect(calls).toEqual([]);
  });

  it('--force with a hard link onto another name of the same file asks the backend for nothing', () => {
    const w = world('posix');
    w.m.fs.addFile(w.at('a'), 'A').addHardLink(w.at('h'), w.at('a'));
    const calls: string[] = [];
    const p = overriding(w, { createHardLink: (l: string) => calls.push(l), replaceLink: (_f: string, t: string) => calls.push(t) });
    expect(createLink(p, { kind: 'hardlink', link: w.at('h'), target: w.at('a'), force: true })).toMatchObject({ kind: 'hardlink', linkCount: 2 });
    expect(calls).toEqual([]);
  });

  it('--force with a hard link onto a symlink replaces the symlink', () => {
    const w = world('posix');
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B').addSymlink(w.at('l'), w.at('b'));
    expect(create(w, { kind: 'hardlink', link: w.at('l'), target: w.at('a'), force: true })).toMatchObject({ kind: 'hardlink', linkCount: 2 });
    expect(w.m.defaultBackend.lstat(w.at('l')).fileId).toBe(w.m.defaultBackend.lstat(w.at('a')).fileId);
  });

  it('an error that is not a LinkToolsError is passed on as it is, even when it names the temporary path', () => {
    const w = world('posix');
    w.m.fs.addFile(w.at('a'), 'A').addSymlink(w.at('l'), w.at('a'));
    const p = overriding(w, {
      createSymlink: (at: string) => {
        throw new RangeError(`cannot make ${at}`);
      },
    });
    let thrown: unknown;
    try {
      createLink(p, { kind: 'symlink', link: w.at('l'), target: w.at('a'), force: true });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(RangeError);
    expect((thrown as Error).message).toContain('.lt-');
  });
});

describe('create --force on real POSIX: the backend makes and swaps the new link in the folder itself', () => {
  it('replaceWithNewLink is used (not a temporary path and replaceLink), for a symlink and a hard link', () => {
    const t = tempDir();
    build(t, { a: 'A', b: 'B' });
    fs.symlinkSync('a', path.join(t, 'l'));
    const real = createPlatform();
    const inner = real.forPath(t);
    const calls: string[] = [];
    const b = Object.assign(Object.create(inner) as Backend, {
      replaceWithNewLink: (to: string, make: unknown, old: unknown, st: EntryStat) => {
        calls.push(`swap ${JSON.stringify(make)}`);
        return inner.replaceWithNewLink!(to, make as never, old as never, st);
      },
      replaceLink: () => calls.push('replaceLink'),
    });
    const p: Platform = { defaultBackend: b, forPath: () => b };
    createLink(p, { kind: 'symlink', link: path.join(t, 'l'), target: 'b', force: true });
    expect(fs.readlinkSync(path.join(t, 'l'))).toBe('b');
    createLink(p, { kind: 'hardlink', link: path.join(t, 'l'), target: path.join(t, 'a'), force: true });
    expect(fs.lstatSync(path.join(t, 'l')).ino).toBe(fs.statSync(path.join(t, 'a')).ino);
    expect(calls).toEqual([`swap ${JSON.stringify({ kind: 'symlink', target: 'b', targetType: 'file' })}`, `swap ${JSON.stringify({ kind: 'hardlink', existing: path.join(t, 'a') })}`]);
    expect(fs.readdirSync(t).sort()).toEqual(['a', 'b', 'l']);
  });
});
