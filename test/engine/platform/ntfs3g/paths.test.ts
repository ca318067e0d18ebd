/** Path mapping and drive configuration of the ntfs3g backend: pure, no mount needed. */
import { describe, expect, it } from 'vitest';
import { majorMinor, NtfsDrives, parseDriveSpec, type NtfsMount } from '../../../../engine/src/platform/ntfs3g/mounts.js';
import { fromWindows, resolveOn, toWindows } from '../../../../engine/src/platform/ntfs3g/paths.js';

const m: NtfsMount = { mountPoint: '/mnt/win', fsRoot: '/', dev: 1234n, source: '/img' };
const bind: NtfsMount = { mountPoint: '/srv/users', fsRoot: '/Users', dev: 99n, source: null };

/** The default drive letters: no --ntfs-drive, no LINKTOOLS_NTFS_DRIVE. */
const drives = new NtfsDrives(undefined, {});

describe('drive configuration', () => {
  it('parses a single letter, with or without the colon, in either case', () => {
    expect(parseDriveSpec('d').defaultDrive).toBe('D:');
    expect(parseDriveSpec('E:').defaultDrive).toBe('E:');
  });

  it('parses per-mount letters and a default', () => {
    const c = parseDriveSpec('D:=/mnt/data/; e:=/mnt/e ;Z:');
    expect(c.defaultDrive).toBe('Z:');
    expect([...c.byMount]).toEqual([
      ['/mnt/data', 'D:'],
      ['/mnt/e', 'E:'],
    ]);
  });

  it('rejects anything else with LT_INVALID_ARGUMENT', () => {
    for (const bad of ['', 'CD', '1:', 'D:=relative/path', '=/mnt', ';;']) {
      expect(() => parseDriveSpec(bad), bad).toThrow(expect.objectContaining({ code: 'LT_INVALID_ARGUMENT' }));
    }
    expect(() => new NtfsDrives('nope', {})).toThrow(expect.objectContaining({ code: 'LT_INVALID_ARGUMENT' }));
  });

  it('is C: by default; the option wins over the environment variable', () => {
    expect(drives.of(m)).toBe('C:');
    const env = { LINKTOOLS_NTFS_DRIVE: 'F:' };
    expect(new NtfsDrives(undefined, env).of(m)).toBe('F:');
    const option = new NtfsDrives('G:=/mnt/win', env);
    expect(option.of(m)).toBe('G:');
    expect(option.of(bind)).toBe('C:');
  });
});

describe('POSIX path <-> Windows path', () => {
  it('maps the mount root to the drive root and below', () => {
    expect(toWindows(drives, m, '/mnt/win')).toBe('C:\\');
    expect(toWindows(drives, m, '/mnt/win/a/b c/d.txt')).toBe('C:\\a\\b c\\d.txt');
    expect(toWindows(drives, m, '/elsewhere')).toBeNull();
  });

  it('maps back only the same drive, clamping .. at the root', () => {
    expect(fromWindows(drives, m, 'C:\\a\\b')).toBe('/mnt/win/a/b');
    expect(fromWindows(drives, m, 'c:/a/b')).toBe('/mnt/win/a/b');
    expect(fromWindows(drives, m, 'C:\\')).toBe('/mnt/win');
    expect(fromWindows(drives, m, 'C:\\..\\..\\x')).toBe('/mnt/win/x');
    expect(fromWindows(drives, m, 'D:\\a')).toBeNull();
  });

  it('honours a bind mount that shows a subtree of the volume', () => {
    expect(toWindows(drives, bind, '/srv/users/ann')).toBe('C:\\Users\\ann');
    expect(fromWindows(drives, bind, 'C:\\Users\\ann\\x')).toBe('/srv/users/ann/x');
    expect(fromWindows(drives, bind, 'C:\\Windows')).toBeNull(); // not visible through this mount
  });

  it('resolves stored targets of every form', () => {
    const dir = '/mnt/win/links';
    expect(resolveOn(drives, m, dir, '\\??\\C:\\data')).toBe('/mnt/win/data');
    expect(resolveOn(drives, m, dir, 'C:\\data')).toBe('/mnt/win/data');
    expect(resolveOn(drives, m, dir, '..\\data\\f.txt')).toBe('/mnt/win/data/f.txt');
    expect(resolveOn(drives, m, dir, 'sub/f.txt')).toBe('/mnt/win/links/sub/f.txt');
    expect(resolveOn(drives, m, dir, '\\rooted\\x')).toBe('/mnt/win/rooted/x');
    expect(resolveOn(drives, m, dir, '..\\..\\..\\x')).toBe('/mnt/win/x');
    expect(resolveOn(drives, m, dir, '/usr/bin/env')).toBe('/usr/bin/env');
    for (const none of ['D:\\x', 'C:relative', '\\\\server\\share\\x', '\\??\\UNC\\server\\share', '\\\\?\\Volume{4f1c6d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f}\\', '\\Device\\HarddiskVolume2\\x']) {
      expect(resolveOn(drives, m, dir, none), none).toBeNull();
    }
  });
});

describe('device ids', () => {
  it('splits a dev_t like glibc', () => {
    expect(majorMinor(39n)).toBe('0:39');
    expect(majorMinor(0x801n)).toBe('8:1');
    expect(majorMinor((259n << 8n) | 3n)).toBe('259:3');
    expect(majorMinor(0x12300045n)).toBe(`0:${0x12345}`); // a large minor: high bits live above bit 20
  });
});
