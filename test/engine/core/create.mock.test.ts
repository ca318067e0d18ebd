/** core/create against the mock backend, as Windows (NTFS) and as POSIX. */
import { describe, expect, it } from 'vitest';
import { createLink, type CreateRequest } from '../../../engine/src/core/create.js';
import { inspect } from '../../../engine/src/core/info.js';
import { expectValid } from '../helpers/contract.js';
import { codeOf, MODES, world, type World } from '../platform/mock/world.js';

const create = (w: World, r: CreateRequest) => expectValid(createLink(w.m, r));

describe.each(MODES)('create on the mock (%s)', (mode) => {
  it('keeps a relative symlink target relative and infers the file type', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('sub', 'a.txt'), 'A');
    const r = create(w, { kind: 'symlink', link: w.at('sub', 'l'), target: w.win ? '.\\a.txt' : './a.txt' });
    expect(r).toMatchObject({ kind: 'symlink', target: w.win ? '.\\a.txt' : './a.txt', isRelative: true, targetType: 'file', targetExists: true, backend: 'mock' });
    expect(w.m.fs.readFile(w.at('sub', 'l'))).toBe('A');
    if (w.win) expect(r.reparse).toMatchObject({ tagName: 'IO_REPARSE_TAG_SYMLINK', relative: true });
    else expect(r.reparse).toBeNull();
  });

  it('infers a directory target and makes a directory symlink', () => {
    const w = world(mode);
    w.m.fs.addDir(w.at('tdir'));
    const r = create(w, { kind: 'symlink', link: w.at('dl'), target: w.at('tdir') });
    expect(r).toMatchObject({ targetType: 'directory', resolvedTarget: w.at('tdir'), finalTarget: w.at('tdir') });
  });

  it('needs --target-type for a missing target, then makes the dangling link', () => {
    const w = world(mode);
    expect(codeOf(() => createLink(w.m, { kind: 'symlink', link: w.at('x'), target: 'later' }))).toBe('LT_TARGET_TYPE_REQUIRED');
    const r = create(w, { kind: 'symlink', link: w.at('x'), target: 'later', targetType: 'directory' });
    expect(r).toMatchObject({ targetExists: false, targetType: w.win ? 'directory' : null }); // NTFS records the type
  });

  it('refuses a declared type that contradicts the target', () => {
    const w = world(mode);
    w.m.fs.addDir(w.at('d'));
    expect(codeOf(() => createLink(w.m, { kind: 'symlink', link: w.at('x'), target: w.at('d'), targetType: 'file' }))).toBe('LT_TARGET_TYPE_MISMATCH');
  });

  it('replaces a file link under --force, never a real file', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B').addSymlink(w.at('l'), w.at('a'), 'file').addFile(w.at('real'), 'R');
    expect(codeOf(() => createLink(w.m, { kind: 'symlink', link: w.at('l'), target: w.at('b') }))).toBe('LT_EXISTS');
    create(w, { kind: 'symlink', link: w.at('l'), target: w.at('b'), force: true });
    expect(w.m.fs.readFile(w.at('l'))).toBe('B');
    expect(codeOf(() => createLink(w.m, { kind: 'symlink', link: w.at('real'), target: w.at('b'), force: true }))).toBe('LT_EXISTS');
    expect(w.m.fs.readFile(w.at('real'))).toBe('R');
    expect(w.m.fs.list(w.at())).toEqual(['a', 'b', 'l', 'real']); // no temporary names left
  });

  it('replaces a directory link under --force (aside on Windows, rename on POSIX)', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('d1', 'one'), '1').addFile(w.at('d2', 'two'), '2').addSymlink(w.at('l'), w.at('d1'), 'directory');
    create(w, { kind: 'symlink', link: w.at('l'), target: w.at('d2'), force: true });
    expect(w.m.fs.list(w.at('l'))).toEqual(['two']);
    expect(w.m.fs.list(w.at('d1'))).toEqual(['one']);
    expect(w.m.fs.list(w.at())).toEqual(['d1', 'd2', 'l']);
  });

  it('hard-links files on the same volume and counts the names', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('f'), 'F');
    const r = create(w, { kind: 'hardlink', link: w.at('h'), target: w.at('f') });
    expect(r).toMatchObject({ kind: 'hardlink', linkCount: 2, targetType: 'file' });
    expect(inspect(w.m, w.at('f')).fileId).toBe(r.fileId);
    if (w.win) expect(r.hardLinkNames).toEqual([w.at('f')]);
  });

  it('refuses hard links to directories and across volumes (LT_CROSS_DEVICE)', () => {
    const w = world(mode);
    w.m.fs.addDir(w.at('d'));
    expect(codeOf(() => createLink(w.m, { kind: 'hardlink', link: w.at('h'), target: w.at('d') }))).toBe('LT_NOT_A_FILE');
    const other = w.win ? 'D:' : '/mnt/usb';
    w.m.fs.addVolume(other);
    const far = w.win ? 'D:\\f.txt' : '/mnt/usb/f.txt';
    w.m.fs.addFile(far, 'x');
    expect(codeOf(() => createLink(w.m, { kind: 'hardlink', link: w.at('h'), target: far }))).toBe('LT_CROSS_DEVICE');
    // The backend refuses too when asked directly (CreateHardLinkW: ERROR_NOT_SAME_DEVICE; link(2): EXDEV).
    expect(codeOf(() => w.m.defaultBackend.createHardLink(w.at('h'), far))).toBe('LT_CROSS_DEVICE');
  });
});

describe('create on the mock acting as Windows', () => {
  it('makes a junction with a \\??\\ substitute name and a DOS print name', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('t', 'x.txt'), 'X');
    const r = create(w, { kind: 'junction', link: w.at('j'), target: w.at('t') });
    expect(r).toMatchObject({ kind: 'junction', target: 'C:\\w\\t', targetType: 'directory', targetExists: true, isRelative: false });
    expect(r.reparse).toMatchObject({ tagHex: '0xA0000003', substituteName: '\\??\\C:\\w\\t', printName: 'C:\\w\\t', isVolumeMountPoint: false });
    expect(r.fileId).toMatch(/^[0-9a-f]{8}:[0-9a-f]{16}$/);
    expect(w.m.fs.readFile('C:\\w\\j\\x.txt')).toBe('X');
  });

  it('makes a relative junction target absolute (as mklink /J does)', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('t'));
    const r = create(w, { kind: 'junction', link: w.at('j'), target: 't' });
    expect(r.target).toBe('C:\\w\\t');
    expect(r.isRelative).toBe(false);
  });

  it('refuses a junction to a UNC path, in any spelling', () => {
    const w = world('windows');
    w.m.fs.addVolume('\\\\srv\\share');
    for (const t of ['\\\\srv\\share\\x', '//srv/share/x', '\\\\?\\UNC\\srv\\share\\x']) {
      expect(codeOf(() => createLink(w.m, { kind: 'junction', link: w.at('j'), target: t }))).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
    }
    expect(w.m.fs.exists(w.at('j'))).toBe(false);
  });

  it('refuses a junction to a file', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('f'));
    expect(codeOf(() => createLink(w.m, { kind: 'junction', link: w.at('j'), target: w.at('f') }))).toBe('LT_NOT_A_DIRECTORY');
  });

  it('without SeCreateSymbolicLinkPrivilege: LT_PRIVILEGE_REQUIRED with the hint, junctions and hard links still work', () => {
    const w = world('windows');
    w.m.fs.symlinkPrivilege = false;
    w.m.fs.addFile(w.at('f'), 'F').addDir(w.at('d'));
    let err: { code: string; message: string } | undefined;
    try {
      createLink(w.m, { kind: 'symlink', link: w.at('s'), target: w.at('f') });
    } catch (e) {
      err = e as { code: string; message: string };
    }
    expect(err?.code).toBe('LT_PRIVILEGE_REQUIRED');
    expect(err?.message).toMatch(/Developer Mode.*elevated.*junction/s);
    expect(w.m.fs.exists(w.at('s'))).toBe(false);
    expect(create(w, { kind: 'junction', link: w.at('j'), target: w.at('d') }).kind).toBe('junction');
    expect(create(w, { kind: 'hardlink', link: w.at('h'), target: w.at('f') }).kind).toBe('hardlink');
    expect(w.m.defaultBackend.canCreateSymlinks()).toBe(false);
  });

  it('without the privilege, --force leaves the existing link exactly as it was', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('a'), 'A').addFile(w.at('b'), 'B').addSymlink(w.at('l'), w.at('a'));
    const before = expectValid(inspect(w.m, w.at('l')));
    w.m.fs.symlinkPrivilege = false;
    expect(codeOf(() => createLink(w.m, { kind: 'symlink', link: w.at('l'), target: w.at('b'), force: true }))).toBe('LT_PRIVILEGE_REQUIRED');
    expect(inspect(w.m, w.at('l'))).toEqual(before);
    expect(w.m.fs.list(w.at())).toEqual(['a', 'b', 'l']);
  });

  it('restores the old directory link when moving the new one in fails', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('d1')).addDir(w.at('d2')).addJunction(w.at('j'), w.at('d1'));
    const before = inspect(w.m, w.at('j'));
    w.m.fs.failNext('rename', 32, 1); // j → aside works, new → j fails (ERROR_SHARING_VIOLATION)
    expect(codeOf(() => createLink(w.m, { kind: 'junction', link: w.at('j'), target: w.at('d2'), force: true }))).toBe('LT_BUSY');
    expect(inspect(w.m, w.at('j'))).toEqual(before);
    expect(w.m.fs.list(w.at())).toEqual(['d1', 'd2', 'j']);
  });

  it('turns / into \\ in symlink targets (NTFS does not translate them)', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('sub', 'a.txt'), 'A');
    const r = create(w, { kind: 'symlink', link: w.at('l'), target: 'sub/a.txt' });
    expect(r.target).toBe('sub\\a.txt');
    expect(w.m.fs.readFile(w.at('l'))).toBe('A');
  });

  it('handles paths longer than MAX_PATH, given plainly or with \\\\?\\', () => {
    const w = world('windows');
    const deep = w.at('a'.repeat(120), 'b'.repeat(120), 'c'.repeat(40));
    expect(deep.length).toBeGreaterThan(260);
    w.m.fs.addFile(`${deep}\\t.txt`, 'T');
    const r = create(w, { kind: 'symlink', link: `\\\\?\\${deep}\\l`, target: 't.txt' });
    expect(r.path).toBe(`\\\\?\\${deep}\\l`);
    expect(inspect(w.m, `${deep}\\l`)).toMatchObject({ kind: 'symlink', targetExists: true, resolvedTarget: `${deep}\\t.txt` });
    const j = create(w, { kind: 'junction', link: w.at('j'), target: deep });
    expect(j.reparse?.substituteName).toBe(`\\??\\${deep}`);
    expect(w.m.fs.readFile(`${w.at('j')}\\t.txt`)).toBe('T');
  });

  it('looks names up case-insensitively and keeps the stored case', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('Data', 'File.TXT'), 'F');
    const r = create(w, { kind: 'symlink', link: 'C:\\W\\DATA\\link', target: 'c:\\w\\data\\file.txt' });
    expect(r.targetExists).toBe(true);
    expect(inspect(w.m, 'c:\\w\\data\\LINK').kind).toBe('symlink');
    expect(w.m.fs.list('C:\\W\\DATA')).toEqual(['File.TXT', 'link']);
    expect(codeOf(() => createLink(w.m, { kind: 'hardlink', link: 'c:\\w\\data\\FILE.txt', target: w.at('Data', 'File.TXT') }))).toBe('LT_EXISTS');
  });
});

describe('create on the mock acting as POSIX', () => {
  it('has no junctions', () => {
    const w = world('posix');
    w.m.fs.addDir('/w/t');
    expect(codeOf(() => createLink(w.m, { kind: 'junction', link: '/w/j', target: '/w/t' }))).toBe('LT_UNSUPPORTED_KIND');
  });

  it('is case-sensitive', () => {
    const w = world('posix');
    w.m.fs.addFile('/w/Data/f', 'F');
    expect(codeOf(() => createLink(w.m, { kind: 'hardlink', link: '/w/data/h', target: '/w/Data/f' }))).toBe('LT_NOT_FOUND');
    expect(create(w, { kind: 'hardlink', link: '/w/Data/F', target: '/w/Data/f' }).linkCount).toBe(2);
  });

  it('needs no privilege for symlinks', () => {
    const w = world('posix');
    w.m.fs.symlinkPrivilege = false; // ignored on POSIX
    expect(create(w, { kind: 'symlink', link: '/w/s', target: 'nowhere', targetType: 'file' }).kind).toBe('symlink');
  });
});
