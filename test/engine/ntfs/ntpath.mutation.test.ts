/**
 * NT path edge cases found by `npm run mutate -- --mutate engine/src/ntfs/ntpath.ts`: every
 * prefix spelling (\??\, \\?\, \\.\, forward slashes, \GLOBAL??\, \DosDevices\), every object
 * directory, the exact volume-root test, and the slash rules of dosToNt.
 */
import { describe, expect, it } from 'vitest';

import { classifyNtPath, dosToNt, isVolumeRoot, ntToDos } from '../../../engine/src/ntfs/index.js';

const G = '{2eca078d-5cbc-43d3-aff8-7e8511f60d0e}';

describe('classifyNtPath: prefixes', () => {
  it.each([
    ['\\??\\C:\\x', 'drive'],
    ['\\??\\c:/x', 'drive'],
    ['\\??\\C:', 'device'],
    ['\\??\\C:x', 'device'],
    ['\\\\?\\C:\\x', 'drive'],
    ['//?/C:/x', 'drive'],
    ['\\/?\\C:\\x', 'drive'],
    ['\\\\.\\C:\\x', 'drive'],
    ['//./C:/x', 'drive'],
    ['\\\\?/C:\\x', 'drive'],
    ['\\GLOBAL??\\C:\\x', 'drive'],
    ['\\global??\\UNC\\s\\h', 'unc'],
    ['\\DosDevices\\C:\\x', 'drive'],
    ['\\dosdevices\\Volume' + G + '\\', 'volumeGuid'],
    ['\\??\\UNC\\srv\\share', 'unc'],
    ['\\??\\unc/srv', 'unc'],
    ['\\??\\UNC\\', 'device'],
    ['\\??\\UNC', 'device'],
    ['\\??\\UNCx\\srv', 'device'],
    ['\\??\\Volume' + G, 'volumeGuid'],
    ['\\??\\volume' + G.toUpperCase() + '\\x', 'volumeGuid'],
    ['\\??\\Volume' + G + 'x', 'device'],
    ['\\??\\Volume{2eca078d-5cbc-43d3-aff8-7e8511f60d0}\\', 'device'],
    ['\\??\\pipe\\x', 'device'],
    ['\\??\\', 'device'],
    ['\\\\.\\PhysicalDrive0', 'device'],
  ])('%j → %s', (p, kind) => {
    expect(classifyNtPath(p)).toBe(kind);
  });
});

describe('classifyNtPath: no prefix', () => {
  it.each([
    ['\\\\srv\\share', 'unc'],
    ['//srv/share', 'unc'],
    ['\\/srv', 'unc'],
    ['C:\\x', 'drive'],
    ['z:/x', 'drive'],
    ['C:', 'relative'],
    ['C:x', 'relative'],
    ['1:\\x', 'relative'],
    ['\\x', 'rooted'],
    ['/x', 'rooted'],
    ['\\', 'rooted'],
    ['a\\b', 'relative'],
    ['..\\a.txt', 'relative'],
    ['', 'relative'],
    // An object directory at the root is a device path, with a backslash only and in any case.
    ['\\Device\\HarddiskVolume1\\x', 'device'],
    ['\\device\\x', 'device'],
    ['/Device/x', 'rooted'],
    ['\\Devices\\x', 'rooted'],
    ['\\Device', 'device'],
    ['\\RPC Control\\x', 'device'],
    ['\\??x', 'rooted'],
  ])('%j → %s', (p, kind) => {
    expect(classifyNtPath(p)).toBe(kind);
  });

  it.each([
    'Device',
    'GLOBAL??',
    '??',
    'DosDevices',
    'RPC Control',
    'BaseNamedObjects',
    'Sessions',
    'KnownDlls',
    'KnownDlls32',
    'ObjectTypes',
    'Driver',
    'FileSystem',
    'Callback',
    'KernelObjects',
    'SystemRoot',
    'ArcName',
    'Registry',
    'NLS',
    'Silos',
    'UMDFCommunicationPorts',
  ])('\\%s\\… is an object-manager (device) path', (dir) => {
    expect(classifyNtPath(`\\${dir}\\x`)).toBe('device');
    expect(classifyNtPath(`\\${dir.toUpperCase()}\\x`)).toBe('device');
    expect(classifyNtPath(`\\${dir}x\\y`)).toBe('rooted');
  });
});

describe('ntToDos', () => {
  it.each([
    ['\\??\\C:\\x', 'C:\\x', 'drive'],
    ['\\\\?\\C:\\x', 'C:\\x', 'drive'],
    ['\\\\.\\C:\\x', 'C:\\x', 'drive'],
    ['\\GLOBAL??\\C:\\x', 'C:\\x', 'drive'],
    ['C:\\x', 'C:\\x', 'drive'],
    ['\\??\\UNC\\srv\\share\\x', '\\\\srv\\share\\x', 'unc'],
    ['\\\\?\\UNC\\srv\\share', '\\\\srv\\share', 'unc'],
    ['\\\\srv\\share\\x', '\\\\srv\\share\\x', 'unc'],
    ['\\??\\Volume' + G + '\\x', '\\\\?\\Volume' + G + '\\x', 'volumeGuid'],
    ['\\\\?\\Volume' + G + '\\', '\\\\?\\Volume' + G + '\\', 'volumeGuid'],
    ['\\Device\\HarddiskVolume1\\x', '\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1\\x', 'device'],
    ['\\??\\pipe\\x', '\\\\?\\pipe\\x', 'device'],
    ['\\\\.\\PhysicalDrive0', '\\\\.\\PhysicalDrive0', 'device'],
    ['\\GLOBAL??\\pipe\\x', '\\\\?\\pipe\\x', 'device'],
    ['\\x', '\\x', 'rooted'],
    ['..\\x', '..\\x', 'relative'],
    ['C:x', 'C:x', 'relative'],
  ])('%j → %j (%s)', (p, path, kind) => {
    expect(ntToDos(p)).toEqual({ path, kind });
  });
});

describe('dosToNt', () => {
  it.each([
    ['C:\\x', '\\??\\C:\\x'],
    ['C:/x/y', '\\??\\C:\\x\\y'],
    ['\\\\srv\\share\\x', '\\??\\UNC\\srv\\share\\x'],
    ['//srv/share/x', '\\??\\UNC\\srv\\share\\x'],
    ['\\\\?\\C:\\x', '\\??\\C:\\x'],
    ['\\\\.\\C:\\x', '\\??\\C:\\x'],
    ['\\\\?\\C:/x', '\\??\\C:/x'], // after \\?\ nothing is translated, as Win32 does
    ['//?/C:/x', '\\??\\C:\\x'],
    ['//./pipe/x', '\\??\\pipe\\x'],
    ['\\??\\C:\\x', '\\??\\C:\\x'],
    ['\\??\\C:/x', '\\??\\C:/x'],
    ['C:x', 'C:x'],
    ['\\x', '\\x'],
    ['/x', '/x'],
    ['..\\x', '..\\x'],
    ['', ''],
  ])('%j → %j', (p, want) => {
    expect(dosToNt(p)).toBe(want);
  });
});

describe('isVolumeRoot', () => {
  it.each([
    ['\\??\\Volume' + G + '\\', true],
    ['\\\\?\\Volume' + G + '\\', true],
    ['\\\\.\\Volume' + G + '\\', true],
    ['\\??\\volume' + G.toUpperCase() + '\\', true],
    ['\\??\\Volume' + G, true],
    ['\\??\\Volume' + G + '\\x', false],
    ['\\??\\Volume' + G + '\\\\', false],
    ['\\GLOBAL??\\Volume' + G + '\\', false],
    ['Volume' + G + '\\', false],
    ['\\??\\C:\\', false],
    ['', false],
  ])('%j → %s', (p, want) => {
    expect(isVolumeRoot(p)).toBe(want);
  });
});

describe('anchoring: a prefix, drive or UNC pattern counts only at the start', () => {
  it.each([
    ['\\??\\pipe\\C:\\x', 'device'],
    ['\\??\\pipe\\UNC\\x', 'device'],
    ['\\??\\xVolume' + G + '\\', 'device'],
    ['a\\\\b', 'relative'],
    ['\\x\\\\y', 'rooted'],
    ['a\\C:\\x', 'relative'],
    ['\\a\\b:c', 'rooted'],
    ['\\:x', 'rooted'],
    ['a//?/x', 'relative'],
  ])('classifyNtPath(%j) = %s', (p, kind) => {
    expect(classifyNtPath(p)).toBe(kind);
  });

  it.each([
    ['a//?/x', 'a//?/x'],
    ['/?/x', '/?/x'],
    ['ab?/x', 'ab?/x'],
    ['//a/b', '\\??\\UNC\\a\\b'],
    ['//?x', '\\??\\UNC\\?x'],
    ['a//b', 'a//b'],
    ['x/C:/y', 'x/C:/y'],
    ['\\\\.\\C:/x', '\\??\\C:/x'], // after \\.\ nothing is translated either
  ])('dosToNt(%j) = %j', (p, want) => {
    expect(dosToNt(p)).toBe(want);
  });

  it('ntToDos keeps which Win32 prefix a device path had: \\\\?\\ (normalised) or \\\\.\\ (as given)', () => {
    expect(ntToDos('//?/pipe/x')).toEqual({ kind: 'device', path: '\\\\?\\pipe/x' });
    expect(ntToDos('//./pipe/x')).toEqual({ kind: 'device', path: '//./pipe/x' });
    expect(ntToDos('\\\\.\\Volume' + G + '\\')).toEqual({ kind: 'volumeGuid', path: '\\\\?\\Volume' + G + '\\' });
  });
});
