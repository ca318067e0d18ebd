import { describe, expect, it } from 'vitest';
import { classifyNtPath, dosToNt, isVolumeRoot, ntToDos, type NtPathKind } from '../../../engine/src/ntfs/index.js';

const VOL = 'Volume{01234567-89ab-cdef-0123-456789abcdef}';

describe('classifyNtPath', () => {
  const cases: Array<[string, NtPathKind]> = [
    ['\\??\\C:\\x', 'drive'],
    ['\\??\\c:\\', 'drive'],
    ['\\\\?\\C:\\x', 'drive'],
    ['\\\\.\\C:\\x', 'drive'],
    ['\\GLOBAL??\\D:\\y', 'drive'],
    ['\\DosDevices\\D:\\y', 'drive'],
    ['C:\\x', 'drive'],
    ['C:/x', 'drive'],
    ['\\??\\UNC\\srv\\share\\x', 'unc'],
    ['\\\\?\\UNC\\srv\\share', 'unc'],
    ['\\\\srv\\share\\x', 'unc'],
    ['//srv/share', 'unc'],
    [`\\??\\${VOL}\\`, 'volumeGuid'],
    [`\\??\\${VOL}\\dir`, 'volumeGuid'],
    [`\\\\?\\${VOL.toUpperCase()}\\`, 'volumeGuid'],
    ['..\\a.txt', 'relative'],
    ['a\\b', 'relative'],
    ['C:a', 'relative'],
    ['', 'relative'],
    ['\\x', 'rooted'],
    ['\\Windows\\System32', 'rooted'],
    ['/etc', 'rooted'],
    ['\\Device\\HarddiskVolume1\\x', 'device'],
    ['\\device\\Mup\\srv', 'device'],
    ['\\RPC Control\\foo', 'device'],
    ['\\BaseNamedObjects\\x', 'device'],
    ['\\??\\GLOBALROOT\\Device\\HarddiskVolume1', 'device'],
    ['\\??\\pipe\\x', 'device'],
    ['\\\\.\\pipe\\x', 'device'],
    ['\\\\.\\PhysicalDrive0', 'device'],
    ['\\??\\C:', 'device'],
    ['\\??\\UNC', 'device'],
    ['\\??\\Volume{not-a-guid}\\', 'device'],
  ];
  it.each(cases)('%s is %s', (p, kind) => {
    expect(classifyNtPath(p)).toBe(kind);
  });
});

describe('ntToDos', () => {
  const cases: Array<[string, string, NtPathKind]> = [
    ['\\??\\C:\\x', 'C:\\x', 'drive'],
    ['\\\\?\\C:\\x', 'C:\\x', 'drive'],
    ['\\??\\UNC\\srv\\share\\x', '\\\\srv\\share\\x', 'unc'],
    ['\\\\?\\UNC\\srv\\share', '\\\\srv\\share', 'unc'],
    ['\\\\srv\\share', '\\\\srv\\share', 'unc'],
    [`\\??\\${VOL}\\`, `\\\\?\\${VOL}\\`, 'volumeGuid'],
    ['\\Device\\HarddiskVolume1\\x', '\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1\\x', 'device'],
    ['\\??\\GLOBALROOT\\Device\\X', '\\\\?\\GLOBALROOT\\Device\\X', 'device'],
    ['\\??\\pipe\\p', '\\\\?\\pipe\\p', 'device'],
    ['\\\\.\\pipe\\p', '\\\\.\\pipe\\p', 'device'],
    ['..\\a.txt', '..\\a.txt', 'relative'],
    ['\\x', '\\x', 'rooted'],
  ];
  it.each(cases)('%s → %s (%s)', (nt, dos, kind) => {
    expect(ntToDos(nt)).toEqual({ path: dos, kind });
  });
});

describe('dosToNt', () => {
  const cases: Array<[string, string]> = [
    ['C:\\x', '\\??\\C:\\x'],
    ['C:/x/y', '\\??\\C:\\x\\y'],
    ['\\\\srv\\share', '\\??\\UNC\\srv\\share'],
    ['//srv/share/x', '\\??\\UNC\\srv\\share\\x'],
    ['\\\\?\\C:\\x', '\\??\\C:\\x'],
    ['\\\\?\\UNC\\srv\\s', '\\??\\UNC\\srv\\s'],
    [`\\\\?\\${VOL}\\`, `\\??\\${VOL}\\`],
    ['\\\\.\\pipe\\p', '\\??\\pipe\\p'],
    ['\\??\\C:\\x', '\\??\\C:\\x'],
    ['..\\a.txt', '..\\a.txt'],
    ['a/b', 'a/b'],
    ['C:rel', 'C:rel'],
    ['\\x', '\\x'],
  ];
  it.each(cases)('%s → %s', (dos, nt) => {
    expect(dosToNt(dos)).toBe(nt);
  });

  it('round-trips drive and UNC paths through ntToDos', () => {
    for (const p of ['C:\\a\\b', '\\\\srv\\share\\d', 'rel\\x', '\\rooted']) expect(ntToDos(dosToNt(p)).path).toBe(p);
  });
});

describe('isVolumeRoot', () => {
  it('is true only for a bare volume GUID path', () => {
    expect(isVolumeRoot(`\\??\\${VOL}\\`)).toBe(true);
    expect(isVolumeRoot(`\\??\\${VOL}`)).toBe(true);
    expect(isVolumeRoot(`\\\\?\\${VOL}\\`)).toBe(true);
    expect(isVolumeRoot(`\\??\\${VOL}\\dir`)).toBe(false);
    expect(isVolumeRoot('\\??\\C:\\')).toBe(false);
    expect(isVolumeRoot(VOL)).toBe(false);
  });
});
