/**
 * tidyText and shortestRelative (engine/src/core/maintenance/targets.ts), the lexical tidy step shared
 * by the audit's messy-target/lengthy-target rules and `retarget --tidy`. Each expected value was
 * worked out by hand from the rules (POSIX: `/` only, a root of `/` or exactly `//`; Windows: `\` and
 * `/` alike, the Win32 root as typed), not printed by the code under test. Reasons are listed in the
 * order they are first met.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shortestRelative, tidyText } from '../../../../engine/src/core/maintenance/targets.js';

type Case = [target: string, tidy: string, reasons: string[]];

describe('tidyText, POSIX text', () => {
  it.each<Case>([
    ['a/b', 'a/b', []],
    ['a//b', 'a/b', ['empty-element']],
    ['./a', 'a', ['dot-element']],
    ['a/./b', 'a/b', ['dot-element']],
    ['/a/.', '/a', ['dot-element']],
    ['a/../b', 'b', ['name-then-dot-dot']],
    ['a/..', '.', ['name-then-dot-dot']],
    ['../a/..', '..', ['name-then-dot-dot']],
    ['/..', '/', ['name-then-dot-dot']], // "/.." is "/"
    ['a/', 'a', ['trailing-separator']],
    ['./', '.', ['trailing-separator']],
    ['a/b//', 'a/b', ['trailing-separator', 'empty-element']],
    ['/./a/../b//', '/b', ['trailing-separator', 'dot-element', 'name-then-dot-dot', 'empty-element']],
    ['///a', '/a', ['empty-element']], // three or more slashes are one root
    ['///a/', '/a', ['empty-element', 'trailing-separator']], // the extra slashes are met first
    ['/.', '/', ['dot-element']], // a dot after a root is one, even alone
    // Tidy already: a lone dot, leading climbs, roots, the POSIX "//" root, a backslash (part of a name).
    ['.', '.', []],
    ['', '.', []],
    ['..', '..', []],
    ['../..', '../..', []],
    ['/', '/', []],
    ['//', '//', []],
    ['//srv/x', '//srv/x', []],
    ['a\\b', 'a\\b', []],
    ['x\\..\\y', 'x\\..\\y', []],
  ])('%j -> %j %j', (target, tidy, reasons) => {
    expect(tidyText(target, false)).toEqual({ tidy, reasons });
  });
});

describe('tidyText, Windows text', () => {
  it.each<Case>([
    ['C:\\a\\.\\b', 'C:\\a\\b', ['dot-element']],
    ['..\\a\\..\\b', '..\\b', ['name-then-dot-dot']],
    ['C:\\..', 'C:\\', ['name-then-dot-dot']],
    ['C:\\.', 'C:\\', ['dot-element']],
    ['\\\\?\\C:\\a\\..\\b', '\\\\?\\C:\\b', ['name-then-dot-dot']],
    ['\\\\srv\\share\\x\\', '\\\\srv\\share\\x', ['trailing-separator']],
    ['C:a\\\\b', 'C:a\\b', ['empty-element']], // drive-relative: the root is "C:"
    ['\\a\\\\b', '\\a\\b', ['empty-element']],
    ['.\\', '.', ['trailing-separator']],
    ['a\\\\', 'a', ['trailing-separator', 'empty-element']],
    // `/` is a separator too, written back as `\`; that alone is no reason.
    ['a/b', 'a\\b', []],
    ['a/./b', 'a\\b', ['dot-element']],
    ['C:', 'C:', []],
    ['C:\\', 'C:\\', []],
  ])('%j -> %j %j', (target, tidy, reasons) => {
    expect(tidyText(target, true)).toEqual({ tidy, reasons });
  });
});

describe('shortestRelative', () => {
  it('is the relative path from the folder to where the target leads, "." for the folder itself', () => {
    expect(shortestRelative(path.posix, '/a/b', '../b/c')).toBe('c');
    expect(shortestRelative(path.posix, '/a/b', '/a/c')).toBe('../c');
    expect(shortestRelative(path.posix, '/a', '.')).toBe('.');
    expect(shortestRelative(path.posix, '/a', '../a')).toBe('.');
    expect(shortestRelative(path.win32, 'C:\\a\\b', '..\\..\\a\\b\\x')).toBe('x');
    expect(shortestRelative(path.win32, 'C:\\a\\b', '..\\..\\A\\B\\x')).toBe('x'); // Windows rules ignore case
  });
});
