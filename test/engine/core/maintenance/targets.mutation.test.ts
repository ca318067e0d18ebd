/**
 * Target arithmetic edge cases (engine/src/core/maintenance/targets.ts) that targets.test.ts does not
 * pin: drive letters only at the start, roots kept by tidy, the form check of prefix rules, the
 * separator of a bare new prefix, and the separator style kept by a rebased target.
 */
import { describe, expect, it } from 'vitest';
import { isWindowsForm, rebaseRelative, relativeTarget, replacePrefix, tidyTarget } from '../../../../engine/src/core/maintenance/targets.js';
import { ntfsB, posixB, winB } from './stand-ins.js';

describe('targets: edge cases', () => {
  it('a drive letter counts only at the start of the target', () => {
    expect(isWindowsForm('ab:/x')).toBe(false);
    expect(isWindowsForm('x/C:/y')).toBe(false);
    expect(isWindowsForm('b:/x')).toBe(true);
  });

  it('tidy keeps a root as it is', () => {
    expect(tidyTarget(posixB, '/a/link', '/')).toBe('/');
    expect(tidyTarget(posixB, '/a/link', '//')).toBe('/');
    expect(tidyTarget(winB, 'C:\\a\\link', 'C:\\')).toBe('C:\\');
    expect(tidyTarget(winB, 'C:\\a\\link', 'C:/')).toBe('C:\\');
  });

  it('tidy treats a name with a colon inside a relative target as a name (only a leading drive is absolute)', () => {
    expect(tidyTarget(posixB, '/d/link', '../d/a:b')).toBe('a:b');
  });

  it('a rule in Windows form never applies to a POSIX target, even when the text would match', () => {
    expect(replacePrefix(posixB, 'a/b/c', [{ from: 'a\\b', to: 'z' }])).toBeNull();
    expect(replacePrefix(posixB, 'a/b/c', [{ from: 'a/b', to: 'z' }])).toBe('z/c');
  });

  it('a bare new prefix (no separator of its own) gets the separator of the target form', () => {
    expect(replacePrefix(winB, 'C:\\a\\x', [{ from: 'C:\\a', to: 'rel' }])).toBe('rel\\x');
    expect(replacePrefix(posixB, '/a/x', [{ from: '/a', to: 'rel' }])).toBe('rel/x');
  });

  it('rebaseRelative: only a target written with forward slashes alone gets forward slashes back', () => {
    expect(rebaseRelative(ntfsB, '/mnt/c/d/link', '/mnt/c/d/x/link', 'f')).toBe('..\\f');
    expect(rebaseRelative(ntfsB, '/mnt/c/d/link', '/mnt/c/d/x/link', '../d/f')).toBe('../f');
    expect(rebaseRelative(ntfsB, '/mnt/c/d/link', '/mnt/c/d/x/link', 'a\\b/c')).toBe('..\\a\\b\\c'); // mixed: Windows style
    expect(rebaseRelative(posixB, '/a/link', '/a/x/y/link', 'c/d')).toBe('../../c/d');
  });

  it('rebaseRelative: null (not a crash) when the new folder has no Windows path, whatever the separator style', () => {
    expect(rebaseRelative(ntfsB, '/mnt/c/d/link', '/elsewhere/link', '../f')).toBeNull();
  });

  it('relativeTarget: none between two shares of one server (Windows would give a wrong ..\\..\\ path)', () => {
    expect(relativeTarget(winB, '\\\\srv\\s\\x\\link', '\\\\srv\\t\\y')).toBeNull();
    expect(relativeTarget(winB, '\\\\srv\\s\\x\\link', '\\\\SRV\\S\\y')).toBe('..\\y');
  });
});
