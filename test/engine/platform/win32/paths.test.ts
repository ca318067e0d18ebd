import { describe, expect, it } from 'vitest';
import {
  fileIdHex,
  fromLongPath,
  joinVolumeName,
  junctionNames,
  LONG_PATH_THRESHOLD,
  resolveWindowsTarget,
  sameWindowsPath,
  symlinkTargetForWindows,
  toLongPath,
} from '../../../../engine/src/platform/win32/paths.js';
import { codeOf } from '../../helpers/errors.js';

describe('toLongPath / fromLongPath', () => {
  const long = `C:\\${'d'.repeat(100)}\\${'e'.repeat(100)}\\${'f'.repeat(100)}`;

  it('leaves short paths in Win32 form (normalised)', () => {
    expect(toLongPath('C:/a/./b/../c')).toBe('C:\\a\\c');
    expect(toLongPath('\\\\srv\\share\\x')).toBe('\\\\srv\\share\\x');
  });

  it('prefixes long drive paths with \\\\?\\ after normalising (the prefix turns normalisation off)', () => {
    expect(long.length).toBeGreaterThanOrEqual(LONG_PATH_THRESHOLD);
    expect(toLongPath(`${long}/./x/..`)).toBe(`\\\\?\\${long}`);
  });

  it('prefixes long UNC paths with \\\\?\\UNC\\', () => {
    const unc = `\\\\srv\\share\\${'u'.repeat(300)}`;
    expect(toLongPath(unc)).toBe(`\\\\?\\UNC\\srv\\share\\${'u'.repeat(300)}`);
    expect(toLongPath('\\\\srv\\share\\x', true)).toBe('\\\\?\\UNC\\srv\\share\\x');
  });

  it('passes device-namespace and relative paths through', () => {
    expect(toLongPath('\\\\?\\C:\\x')).toBe('\\\\?\\C:\\x');
    expect(toLongPath('//?/C:/x')).toBe('\\\\?\\C:/x');
    expect(toLongPath('\\\\.\\pipe\\p')).toBe('\\\\.\\pipe\\p');
    expect(toLongPath('rel\\x')).toBe('rel\\x');
  });

  it('forces the prefix on short paths when asked', () => {
    expect(toLongPath('C:\\x', true)).toBe('\\\\?\\C:\\x');
  });

  it('round-trips with fromLongPath', () => {
    expect(fromLongPath(toLongPath(long))).toBe(long);
    expect(fromLongPath('\\\\?\\UNC\\srv\\share\\x')).toBe('\\\\srv\\share\\x');
    expect(fromLongPath('\\\\?\\Volume{x}\\')).toBe('\\\\?\\Volume{x}\\');
  });
});

describe('fileIdHex', () => {
  it('formats volume serial and 64-bit file index as fixed-width hex', () => {
    expect(fileIdHex(0x1234abcd, 0x00010000, 0x0000002a)).toBe('1234abcd:000100000000002a');
    expect(fileIdHex(0xffffffff, 0xffffffff, 0xffffffff)).toBe('ffffffff:ffffffffffffffff');
    expect(fileIdHex(7n, 0, 1)).toBe('00000007:0000000000000001');
  });
});

describe('symlinkTargetForWindows', () => {
  it('turns / into \\ (NTFS does not translate it) and keeps relative targets relative', () => {
    expect(symlinkTargetForWindows('../a/b.txt')).toBe('..\\a\\b.txt');
    expect(symlinkTargetForWindows('C:/x')).toBe('C:\\x');
  });
});

describe('junctionNames', () => {
  it('stores \\??\\ substitute and DOS print names', () => {
    expect(junctionNames('C:\\data\\sub')).toEqual({ substituteName: '\\??\\C:\\data\\sub', printName: 'C:\\data\\sub' });
    expect(junctionNames('C:/data/sub/')).toEqual({ substituteName: '\\??\\C:\\data\\sub', printName: 'C:\\data\\sub' });
    expect(junctionNames('D:\\')).toEqual({ substituteName: '\\??\\D:\\', printName: 'D:\\' });
    expect(junctionNames('\\\\?\\C:\\long')).toEqual({ substituteName: '\\??\\C:\\long', printName: 'C:\\long' });
  });

  it('refuses UNC targets and anything that is not an absolute local path', () => {
    expect(codeOf(() => junctionNames('\\\\srv\\share\\x'))).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
    expect(codeOf(() => junctionNames('\\\\?\\UNC\\srv\\share\\x'))).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
    expect(codeOf(() => junctionNames('rel\\x'))).toBe('LT_INVALID_ARGUMENT');
    expect(codeOf(() => junctionNames('\\Device\\HarddiskVolume1\\x'))).toBe('LT_INVALID_ARGUMENT');
  });
});

describe('resolveWindowsTarget', () => {
  it('resolves relative and rooted targets against the link folder', () => {
    expect(resolveWindowsTarget('C:\\a\\b', '..\\c.txt')).toBe('C:\\a\\c.txt');
    expect(resolveWindowsTarget('C:\\a\\b', 'c')).toBe('C:\\a\\b\\c');
    expect(resolveWindowsTarget('D:\\a\\b', '\\x')).toBe('D:\\x');
    expect(resolveWindowsTarget('\\\\srv\\share\\a', '..\\x')).toBe('\\\\srv\\share\\x');
  });

  it('normalises drive, UNC and NT forms', () => {
    expect(resolveWindowsTarget('C:\\', '\\??\\D:\\x\\.\\y')).toBe('D:\\x\\y');
    expect(resolveWindowsTarget('C:\\', '\\\\?\\D:\\x')).toBe('D:\\x');
    expect(resolveWindowsTarget('C:\\', '\\??\\UNC\\srv\\share\\x')).toBe('\\\\srv\\share\\x');
    expect(resolveWindowsTarget('C:\\', 'E:/x/y')).toBe('E:\\x\\y');
  });

  it('keeps volume GUID paths and gives up on object-manager and drive-relative targets', () => {
    const g = '\\\\?\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\x';
    expect(resolveWindowsTarget('C:\\', g)).toBe(g);
    expect(resolveWindowsTarget('C:\\', '\\Device\\HarddiskVolume2\\x')).toBeNull();
    expect(resolveWindowsTarget('C:\\', '\\??\\pipe\\x')).toBeNull();
    expect(resolveWindowsTarget('C:\\', 'D:x')).toBeNull();
    expect(resolveWindowsTarget('C:\\', '')).toBeNull();
  });
});

describe('joinVolumeName and sameWindowsPath', () => {
  it('prefixes FindFirstFileNameW names with the volume mount path', () => {
    expect(joinVolumeName('C:\\', '\\dir\\f.txt')).toBe('C:\\dir\\f.txt');
    expect(joinVolumeName('C:\\mnt\\vol\\', '\\f.txt')).toBe('C:\\mnt\\vol\\f.txt');
  });
  it('compares case-insensitively and across long-path forms', () => {
    expect(sameWindowsPath('c:\\Data\\X', '\\\\?\\C:\\data\\x')).toBe(true);
    expect(sameWindowsPath('C:\\a', 'C:\\b')).toBe(false);
  });
});

describe('Win32 name rules (GetFullPathNameW semantics) and the 248-character threshold', () => {
  it('trims a trailing period of a component and trailing periods and spaces of the path', async () => {
    const { win32TrimPath } = await import('../../../../engine/src/platform/win32/paths.js');
    expect(win32TrimPath('C:\\dir.')).toBe('C:\\dir');
    expect(win32TrimPath('C:\\dir. . ')).toBe('C:\\dir');
    expect(win32TrimPath('C:\\a.\\b')).toBe('C:\\a\\b');
    expect(win32TrimPath('C:\\a...\\b')).toBe('C:\\a...\\b'); // three periods: a valid name
    expect(win32TrimPath('C:\\dir \\')).toBe('C:\\dir \\'); // a trailing separator keeps the space
    expect(win32TrimPath('C:\\')).toBe('C:\\');
  });

  it('names DOS devices as GetFullPathNameW does', async () => {
    const { isDosDeviceName, win32FullPathName } = await import('../../../../engine/src/platform/win32/paths.js');
    expect(win32FullPathName('C:\\x\\CON')).toBe('\\\\.\\CON');
    expect(win32FullPathName('C:\\x\\nul.txt')).toBe('\\\\.\\NUL');
    expect(win32FullPathName('C:\\x\\com1 ')).toBe('\\\\.\\COM1');
    expect(win32FullPathName('C:\\x\\console')).toBe('C:\\x\\console');
    expect(win32FullPathName('C:\\x\\..\\y.')).toBe('C:\\y');
    expect(win32FullPathName('\\\\?\\C:\\y.')).toBe('\\\\?\\C:\\y.');
    expect(isDosDeviceName('LPT9.log')).toBe(true);
    expect(isDosDeviceName('LPT0')).toBe(false);
  });

  it('a name means the same object above and below the threshold', () => {
    const short = 'C:\\dir.';
    const long = `C:\\${'x'.repeat(LONG_PATH_THRESHOLD)}\\dir.`;
    expect(toLongPath(short)).toBe('C:\\dir.'); // Win32 trims it when opening
    expect(toLongPath(long)).toBe(`\\\\?\\C:\\${'x'.repeat(LONG_PATH_THRESHOLD)}\\dir`); // trimmed before the prefix turns the rules off
    expect(toLongPath(`\\\\srv\\share\\${'y'.repeat(LONG_PATH_THRESHOLD)}\\f `)).toBe(`\\\\?\\UNC\\srv\\share\\${'y'.repeat(LONG_PATH_THRESHOLD)}\\f`);
  });

  it('a stored target Win32 would rewrite is resolved to its literal \\\\?\\ form (NT follows it literally)', async () => {
    const { literalPath } = await import('../../../../engine/src/platform/win32/paths.js');
    expect(resolveWindowsTarget('C:\\links', '\\??\\C:\\data.')).toBe('\\\\?\\C:\\data.');
    expect(resolveWindowsTarget('C:\\links', '..\\t ')).toBe('\\\\?\\C:\\t ');
    expect(resolveWindowsTarget('C:\\links', '..\\t')).toBe('C:\\t');
    expect(resolveWindowsTarget('C:\\links', '\\??\\C:\\dev\\AUX')).toBe('\\\\?\\C:\\dev\\AUX');
    expect(literalPath('\\\\srv\\share\\x.')).toBe('\\\\?\\UNC\\srv\\share\\x.');
  });
});

describe('volumeRootForNames (GetVolumePathNameW → the root of FindFirstFileNameW names)', () => {
  it('drive, long drive, long UNC, UNC, volume GUID, folder mount; null for device paths', async () => {
    const { volumeRootForNames } = await import('../../../../engine/src/platform/win32/paths.js');
    expect(volumeRootForNames('C:\\')).toBe('C:\\');
    expect(volumeRootForNames('\\\\?\\D:\\')).toBe('D:\\');
    expect(volumeRootForNames('\\\\?\\UNC\\srv\\share\\')).toBe('\\\\srv\\share\\');
    expect(volumeRootForNames('\\\\srv\\share\\')).toBe('\\\\srv\\share\\');
    expect(volumeRootForNames('\\\\?\\Volume{12345678-aaaa-bbbb-cccc-1234567890ab}\\')).toBe('\\\\?\\Volume{12345678-aaaa-bbbb-cccc-1234567890ab}\\');
    expect(volumeRootForNames('C:\\mnt\\vol\\')).toBe('C:\\mnt\\vol\\');
    expect(volumeRootForNames('\\\\.\\PhysicalDrive0\\')).toBeNull();
    expect(joinVolumeName(volumeRootForNames('\\\\?\\UNC\\srv\\share\\')!, '\\d\\f')).toBe('\\\\srv\\share\\d\\f');
  });
});
