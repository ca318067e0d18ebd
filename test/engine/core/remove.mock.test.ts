/** core/remove against the mock backend: the link goes, what it points to stays. */
import { describe, expect, it } from 'vitest';
import { removeLink } from '../../../engine/src/core/remove.js';
import { expectValid } from '../helpers/contract.js';
import { codeOf, MODES, world } from '../platform/mock/world.js';

describe.each(MODES)('remove on the mock (%s)', (mode) => {
  it('removes a directory symlink and leaves the target and its contents', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('t', 'keep.txt'), 'K').addSymlink(w.at('l'), 't', 'directory');
    expect(expectValid(removeLink(w.m, w.at('l')))).toMatchObject({ kind: 'symlink', target: 't' });
    expect(w.m.fs.exists(w.at('l'))).toBe(false);
    expect(w.m.fs.readFile(w.at('t', 'keep.txt'))).toBe('K');
  });

  it('removes a file symlink and one hard-link name', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('f'), 'F').addSymlink(w.at('s'), 'f', 'file').addHardLink(w.at('h'), w.at('f'));
    removeLink(w.m, w.at('s'));
    expect(expectValid(removeLink(w.m, w.at('h')))).toMatchObject({ kind: 'hardlink', remainingLinkCount: 1 });
    expect(w.m.fs.readFile(w.at('f'))).toBe('F');
    expect(w.m.fs.list(w.at())).toEqual(['f']);
  });

  it('refuses plain files and directories', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('f')).addDir(w.at('d'));
    expect(codeOf(() => removeLink(w.m, w.at('f')))).toBe('LT_NOT_A_LINK');
    expect(codeOf(() => removeLink(w.m, w.at('d')))).toBe('LT_NOT_A_LINK');
    expect(codeOf(() => removeLink(w.m, w.at('missing')))).toBe('LT_NOT_FOUND');
  });
});

describe('remove on the mock acting as Windows', () => {
  it('removing a junction leaves the target contents', () => {
    const w = world('windows');
    w.m.fs
      .addFile(w.at('t', 'a.txt'), 'A')
      .addFile(w.at('t', 'sub', 'b.txt'), 'B')
      .addJunction(w.at('j'), w.at('t'));
    expect(expectValid(removeLink(w.m, 'c:\\w\\J'))).toMatchObject({ kind: 'junction', target: 'C:\\w\\t' });
    expect(w.m.fs.exists(w.at('j'))).toBe(false);
    expect(w.m.fs.list(w.at('t'))).toEqual(['a.txt', 'sub']);
    expect(w.m.fs.readFile(w.at('t', 'sub', 'b.txt'))).toBe('B');
  });

  it('refuses to delete a cloud placeholder (it is the data, not a link)', () => {
    const w = world('windows');
    w.m.fs.addReparse(w.at('doc.txt'), 0x9000001a);
    expect(codeOf(() => removeLink(w.m, w.at('doc.txt')))).toBe('LT_NOT_A_LINK');
    expect(w.m.fs.exists(w.at('doc.txt'))).toBe(true);
  });

  it('removes an app execution alias (a link) and a dangling junction', () => {
    const w = world('windows');
    w.m.fs.addReparse(w.at('a.exe'), 0x8000001b, { data: new Uint8Array([3, 0, 0, 0, 0x50, 0, 0, 0, 0x51, 0, 0, 0, 0x52, 0, 0, 0]) });
    w.m.fs.addJunction(w.at('j'), w.at('gone'));
    expect(removeLink(w.m, w.at('a.exe')).kind).toBe('appExecLink');
    expect(removeLink(w.m, w.at('j')).kind).toBe('junction');
    expect(w.m.fs.list(w.at())).toEqual([]);
  });

  it('reports an OS failure as one error and leaves the link', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('t')).addJunction(w.at('j'), w.at('t'));
    w.m.fs.failNext('removeLink', 32);
    expect(codeOf(() => removeLink(w.m, w.at('j')))).toBe('LT_BUSY');
    expect(w.m.fs.exists(w.at('j'))).toBe(true);
  });
});
