/** core/test against the mock backend, as Windows and as POSIX. */
import { describe, expect, it } from 'vitest';
import { testLink } from '../../../engine/src/core/test.js';
import { expectValid } from '../helpers/contract.js';
import { MODES, world } from '../platform/mock/world.js';

describe.each(MODES)('test on the mock (%s)', (mode) => {
  it('says ok, broken, loop, notALink and notFound', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('t'), 'T').addDir(w.at('d'));
    w.m.fs.addSymlink(w.at('ok'), 't', 'file').addSymlink(w.at('broken'), 'gone', 'file');
    w.m.fs.addSymlink(w.at('x'), 'y', 'file').addSymlink(w.at('y'), 'x', 'file');
    const reason = (p: string) => expectValid(testLink(w.m, p)).reason;
    expect(reason(w.at('ok'))).toBe('ok');
    expect(reason(w.at('broken'))).toBe('broken');
    expect(reason(w.at('x'))).toBe('loop');
    expect(reason(w.at('d'))).toBe('notALink');
    expect(reason(w.at('nothing'))).toBe('notFound');
  });

  it('a file symlink to a directory is typeMismatch on Windows, ok on POSIX (no link type there)', () => {
    const w = world(mode);
    w.m.fs.addDir(w.at('d'));
    w.m.fs.addSymlink(w.at('fl'), 'd', 'file');
    const r = expectValid(testLink(w.m, w.at('fl')));
    expect(r.reason).toBe(w.win ? 'typeMismatch' : 'ok');
    expect(r.ok).toBe(!w.win);
  });
});

describe('test on the mock acting as Windows', () => {
  it('a directory symlink to a file is typeMismatch; the right type is ok', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('f')).addDir(w.at('d'));
    w.m.fs.addSymlink(w.at('df'), 'f', 'directory').addSymlink(w.at('dd'), 'd', 'directory');
    expect(testLink(w.m, w.at('df')).reason).toBe('typeMismatch');
    expect(testLink(w.m, w.at('dd')).reason).toBe('ok');
    // and the mismatched link cannot be passed through as a folder
    w.m.fs.addFile(w.at('d', 'in.txt'), 'I').addSymlink(w.at('fd'), 'd', 'file');
    expect(() => w.m.fs.readFile(`${w.at('fd')}\\in.txt`)).toThrow();
    expect(w.m.fs.readFile(`${w.at('dd')}\\in.txt`)).toBe('I');
  });

  it('placeholders and app execution aliases are unsafeTag, never followed', () => {
    const w = world('windows');
    w.m.fs.addReparse(w.at('c.txt'), 0x9000001a);
    w.m.fs.addReparse(w.at('p'), 0x9000001c, { directory: true }); // ProjFS
    expect(expectValid(testLink(w.m, w.at('c.txt')))).toMatchObject({ ok: false, reason: 'unsafeTag' });
    expect(testLink(w.m, w.at('p')).reason).toBe('unsafeTag');
  });

  it('a junction to a missing directory is broken; case does not matter', () => {
    const w = world('windows');
    w.m.fs.addJunction(w.at('j'), w.at('gone'));
    expect(testLink(w.m, 'C:\\W\\J').reason).toBe('broken');
    w.m.fs.addDir(w.at('GONE'));
    expect(testLink(w.m, w.at('j')).reason).toBe('ok');
  });
});
