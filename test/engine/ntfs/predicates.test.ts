/** The drive-letter and root predicates of ntpath.ts that the other floors ask instead of matching drive letters themselves. */
import { describe, expect, it } from 'vitest';
import { adminShareOf, driveLetterOf, hasDriveLetter, isAdminShareName, isDriveAbsolute, isDriveAnchored, isDriveRoot, isWin32Absolute, win32RootText } from '../../../engine/src/ntfs/index.js';

describe('drive-letter predicates', () => {
  it('isDriveAbsolute: a drive root with either slash, nothing else', () => {
    for (const p of ['C:\\', 'c:\\x', 'Z:/a/b']) expect(isDriveAbsolute(p), p).toBe(true);
    for (const p of ['C:', 'C:x', '\\\\?\\C:\\x', '\\x', '1:\\x', 'CC:\\x', '', 'x\\C:\\']) expect(isDriveAbsolute(p), p).toBe(false);
  });

  it('hasDriveLetter: any text that starts with a letter and a colon', () => {
    for (const p of ['C:', 'C:x', 'c:\\x', 'D:/']) expect(hasDriveLetter(p), p).toBe(true);
    for (const p of ['', ':x', '1:x', '\\C:', 'ab:']) expect(hasDriveLetter(p), p).toBe(false);
  });

  it('isDriveAnchored: a drive root or a bare drive, not drive-relative text', () => {
    for (const p of ['C:', 'C:\\', 'c:/x']) expect(isDriveAnchored(p), p).toBe(true);
    for (const p of ['C:x', 'C', '\\\\srv\\s']) expect(isDriveAnchored(p), p).toBe(false);
  });

  it('isDriveRoot: exactly C:\\ (backslash)', () => {
    expect(isDriveRoot('C:\\')).toBe(true);
    expect(isDriveRoot('d:\\')).toBe(true);
    for (const p of ['C:', 'C:/', 'C:\\x', '\\\\?\\C:\\']) expect(isDriveRoot(p), p).toBe(false);
  });

  it('driveLetterOf: the letter as written, of a drive-rooted path', () => {
    expect(driveLetterOf('c:\\x')).toBe('c');
    expect(driveLetterOf('E:/')).toBe('E');
    expect(driveLetterOf('C:x')).toBeNull();
    expect(driveLetterOf('\\\\srv\\share')).toBeNull();
  });

  it('isWin32Absolute: drive roots and UNC, not rooted or relative paths', () => {
    for (const p of ['C:\\x', 'C:/x', '\\\\srv\\share', '\\\\?\\Volume{x}\\']) expect(isWin32Absolute(p), p).toBe(true);
    for (const p of ['\\x', 'C:x', 'x', '/x']) expect(isWin32Absolute(p), p).toBe(false);
  });

  it('admin shares: C$ names and the share of a drive path', () => {
    expect(isAdminShareName('C$')).toBe(true);
    expect(isAdminShareName('d$')).toBe(true);
    for (const n of ['C', 'CD$', 'Data', '$']) expect(isAdminShareName(n), n).toBe(false);
    expect(adminShareOf('d:\\data\\x')).toEqual({ name: 'D$', path: 'D:\\' });
    expect(adminShareOf('D:/data')).toBeNull();
    expect(adminShareOf('\\\\srv\\share\\x')).toBeNull();
  });

  it('win32RootText: the root as typed', () => {
    expect(win32RootText('C:/a/b')).toBe('C:/');
    expect(win32RootText('C:\\a')).toBe('C:\\');
    expect(win32RootText('\\\\srv\\share\\a')).toBe('\\\\srv\\share\\');
    expect(win32RootText('\\\\srv\\share')).toBe('\\\\srv\\share');
    expect(win32RootText('\\a')).toBe('\\');
    expect(win32RootText('a\\b')).toBe('');
    expect(win32RootText('C:a')).toBe('');
  });
});
