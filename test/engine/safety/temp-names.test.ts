/**
 * The temporary name `create --force` uses never reaches the user: an error while making the new link
 * or while swapping it in names the link path, and no temporary entry is left (mock backend, both
 * modes: the path through Backend.createSymlink + replaceLink that backends without
 * replaceWithNewLink take).
 */
import { describe, expect, it } from 'vitest';
import { createLink } from '../../../engine/src/core/create.js';
import { MODES, world } from '../platform/mock/world.js';

describe.each(MODES)('create --force temporary names on the mock (%s)', (mode) => {
  const setup = () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('a.txt'), 'A').addFile(w.at('b.txt'), 'B');
    w.m.fs.addSymlink(w.at('l'), w.win ? 'a.txt' : 'a.txt', 'file');
    return w;
  };
  const errorOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as { code: string; path?: string; message: string };
    }
    throw new Error('no error');
  };

  it.each(['createSymlink', 'replaceLink'])('a failure in %s names the link path and leaves no temporary entry', (op) => {
    const w = setup();
    w.m.fs.failNext(op, w.win ? 5 : 'EACCES');
    const e = errorOf(() => createLink(w.m, { kind: 'symlink', link: w.at('l'), target: w.at('b.txt'), force: true }));
    expect(e.code).toBe('LT_ACCESS_DENIED');
    expect(e.path).toBe(w.at('l'));
    expect(e.message).not.toContain('.lt-');
    expect(w.m.fs.list(w.at()).filter((n) => n.includes('.lt-'))).toEqual([]);
    expect(w.m.fs.readFile(w.at('l'))).toBe('A'); // the old link, as it was
  });
});
