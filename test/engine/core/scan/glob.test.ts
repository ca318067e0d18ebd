import { describe, expect, it } from 'vitest';
import { compileGlob, globToRegExpSource } from '../../../../engine/src/core/scan/glob.js';

const m = (glob: string, rel: string, ci = false) => compileGlob(glob, ci).matches(rel, rel.split('/').pop()!);

describe('glob matcher', () => {
  it.each([
    ['*.txt', 'a.txt', true],
    ['*.txt', 'dir/a.txt', true], // no slash: matches the name at any depth
    ['*.txt', 'a.txt.bak', false],
    ['/*.txt', 'dir/a.txt', false], // a slash anchors to the root
    ['/*.txt', 'a.txt', true],
    ['dir/*.txt', 'dir/a.txt', true],
    ['dir/*.txt', 'dir/sub/a.txt', false],
    ['dir/**', 'dir/sub/a.txt', true],
    ['dir/**', 'dir', false],
    ['**/node_modules', 'a/b/node_modules', true],
    ['**/node_modules', 'node_modules', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/x/yb', false],
    ['?.md', 'a.md', true],
    ['?.md', 'ab.md', false],
    ['dir/?', 'dir/x', true],
    ['dir/?', 'dir//', false],
    ['[ab].txt', 'a.txt', true],
    ['[ab].txt', 'c.txt', false],
    ['[a-c]x', 'bx', true],
    ['[!a-c]x', 'bx', false],
    ['[^a-c]x', 'dx', true],
    ['[]]x', ']x', true],
    ['\\*.txt', '*.txt', true],
    ['\\*.txt', 'a.txt', false],
    ['a.b', 'aXb', false], // the dot is literal
    ['x**y', 'xaby', true], // ** inside an element acts like *
    ['x**y', 'xa/by', false],
    ['(a)+', '(a)+', true],
  ])('%s vs %s -> %s', (glob, rel, want) => {
    expect(m(glob, rel)).toBe(want);
  });

  it('negated classes never match a separator', () => {
    expect(m('a[!x]b', 'a/b')).toBe(false);
  });

  it('case-insensitive on request (Windows)', () => {
    expect(m('*.TXT', 'a.txt', true)).toBe(true);
    expect(m('*.TXT', 'a.txt', false)).toBe(false);
  });

  it('refuses an unterminated class and an empty glob', () => {
    expect(() => globToRegExpSource('[ab')).toThrow(/unterminated/);
    expect(() => compileGlob('')).toThrow(/empty/);
  });
});
