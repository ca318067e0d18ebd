/**
 * The Win32 device namespace (\\.\) names the same volumes as the long-path prefix (\\?\): \\.\C:\x
 * is C:\x and \\.\UNC\srv\share\x is \\srv\share\x, so every rule that compares Windows paths
 * (sensitive-target, escapes-root, other-filesystem, messy-target) sees them as such. Other devices
 * (\\.\pipe\x, \\.\PhysicalDrive0) stay devices: no volume, never inside a folder.
 */
import { describe, expect, it } from 'vitest';
import { atOrBelow, normWin } from '../../../../engine/src/core/audit/paths.js';
import { audit } from './run.js';
import { FakeNtfs } from './fake-backend.js';

const R = 'C:\\data';
const at = (n: string) => `${R}\\${n}`;
const found = (r: ReturnType<typeof audit>) => r.streamed.map((f) => [f.rule, f.path.slice(R.length + 1), f.details]);

describe('normWin and atOrBelow read \\\\.\\ like \\\\?\\', () => {
  it('drive, UNC and volume-GUID forms lose the prefix; other devices keep it', () => {
    expect(normWin('\\\\.\\C:\\Windows\\')).toBe('c:\\windows');
    expect(normWin('//./c:/Windows')).toBe('c:\\windows');
    expect(normWin('\\\\.\\UNC\\Srv\\Share\\x')).toBe('\\\\srv\\share\\x');
    expect(normWin('\\\\.\\Volume{0b1c}\\x')).toBe('volume{0b1c}\\x');
    expect(normWin('\\\\.\\pipe\\x')).toBe('\\\\.\\pipe\\x');
    expect(normWin('\\\\.\\PhysicalDrive0')).toBe('\\\\.\\physicaldrive0');
    expect(normWin('\\\\.\\C:')).toBe('c:');
  });

  it('a device path is at or below the folder it names, and a pipe is below no drive', () => {
    expect(atOrBelow('C:\\Windows', '\\\\.\\C:\\Windows\\System32\\x')).toBe(true);
    expect(atOrBelow('\\\\.\\C:\\data', 'C:\\data\\in')).toBe(true);
    expect(atOrBelow('C:\\data', '\\\\.\\C:\\database')).toBe(false);
    expect(atOrBelow('\\\\srv\\share', '\\\\.\\UNC\\srv\\share\\f')).toBe(true);
    expect(atOrBelow('C:\\', '\\\\.\\pipe\\x')).toBe(false);
  });
});

describe('the rules on \\\\.\\ targets', () => {
  const fake = () =>
    new FakeNtfs()
      .dir('C:\\')
      .dir(R)
      .dir('C:\\Windows')
      .dir('C:\\Windows\\System32')
      .file('C:\\Windows\\System32\\cfg.ini')
      .file(at('in.txt'))
      .symlink(at('sys'), '\\\\.\\C:\\Windows\\System32\\cfg.ini', 'file', { sub: '\\??\\C:\\Windows\\System32\\cfg.ini' })
      .symlink(at('inside'), '\\\\.\\C:\\data\\in.txt', 'file', { sub: '\\??\\C:\\data\\in.txt' })
      .symlink(at('pipe'), '\\\\.\\pipe\\x', 'file', { sub: '\\??\\pipe\\x' });

  it('sensitive-target: \\\\.\\C:\\Windows\\System32\\cfg.ini is in C:\\Windows', () => {
    const hits = found(audit([R], { rule: ['sensitive-target'] }, { platform: fake() }));
    expect(hits.map((h) => h[1])).toEqual(['sys']);
    expect(hits[0]![2]).toMatchObject({ target: '\\\\.\\C:\\Windows\\System32\\cfg.ini' });
  });

  it('escapes-root: \\\\.\\C:\\data\\in.txt stays in C:\\data; the system file and the pipe leave it', () => {
    const hits = found(audit([R], { rule: ['escapes-root'] }, { platform: fake() }));
    expect(hits.map((h) => h[1]).sort()).toEqual(['pipe', 'sys']);
  });
});
