/**
 * The win32 backend's glue (which kernel32 calls, with which flags, and what their failures become),
 * against a scripted fake kernel32. Real NTFS behaviour is not simulated here: see the mock backend.
 */
import { describe, expect, it } from 'vitest';
import { buildMountPointBuffer, buildSymlinkBuffer } from '../../../../engine/src/core/reparse/index.js';
import { LinkToolsError } from '../../../../engine/src/errors.js';
import { Win32Backend } from '../../../../engine/src/platform/win32/backend.js';
import type { Kernel32 } from '../../../../engine/src/platform/win32/kernel32.js';
import { codeOf } from '../../helpers/errors.js';

interface Entry {
  attrs: number;
  links?: number;
  reparse?: Uint8Array;
}

/** A fake kernel32 over a table of entries, recording every call. */
function fake(entries: Record<string, Entry>, over: Partial<Kernel32> = {}) {
  const calls: { fn: string; args: unknown[] }[] = [];
  const handles = new Map<number, string>();
  let last = 0;
  let nextH = 100;
  const strip = (p: string) => p.replace(/^\\\\\?\\/, '');
  const k: Kernel32 = {
    CreateFileW(name, _access, _share, _sa, _disp, flags) {
      calls.push({ fn: 'CreateFileW', args: [name, flags] });
      if (!entries[strip(name)]) return (last = 2), -1;
      handles.set(nextH, strip(name));
      return nextH++;
    },
    CloseHandle: () => 1,
    GetFileInformationByHandle(h, out) {
      const e = entries[handles.get(h)!]!;
      out.writeUInt32LE(e.attrs, 0);
      out.writeUInt32LE(0xabcd0001, 28);
      out.writeUInt32LE(e.links ?? 1, 40);
      out.writeUInt32LE(42, 48);
      return 1;
    },
    GetFileInformationByHandleEx(h, _cls, out) {
      const e = entries[handles.get(h)!]!;
      out.writeUInt32LE(e.attrs, 0);
      out.writeUInt32LE(e.reparse ? new DataView(e.reparse.buffer, e.reparse.byteOffset).getUint32(0, true) : 0, 4);
      return 1;
    },
    DeviceIoControl(h, code, inBuf, _inSize, outBuf, _outSize, returned) {
      calls.push({ fn: 'DeviceIoControl', args: [code] });
      const e = entries[handles.get(h)!]!;
      if (code === 0x900a8) {
        if (!e.reparse) return (last = 4390), 0;
        outBuf!.set(e.reparse);
        returned.writeUInt32LE(e.reparse.length, 0);
        return 1;
      }
      e.reparse = new Uint8Array(inBuf!);
      e.attrs |= 0x400;
      return 1;
    },
    CreateDirectoryW(name) {
      calls.push({ fn: 'CreateDirectoryW', args: [name] });
      entries[strip(name)] = { attrs: 0x10 };
      return 1;
    },
    RemoveDirectoryW(name) {
      calls.push({ fn: 'RemoveDirectoryW', args: [name] });
      delete entries[strip(name)];
      return 1;
    },
    DeleteFileW(name) {
      calls.push({ fn: 'DeleteFileW', args: [name] });
      delete entries[strip(name)];
      return 1;
    },
    CreateSymbolicLinkW(link, target, flags) {
      calls.push({ fn: 'CreateSymbolicLinkW', args: [link, target, flags] });
      entries[strip(link)] = { attrs: (flags & 1 ? 0x10 : 0x20) | 0x400, reparse: buildSymlinkBuffer({ substituteName: target }) };
      return 1;
    },
    CreateHardLinkW: () => 1,
    MoveFileExW(from, to, flags) {
      calls.push({ fn: 'MoveFileExW', args: [from, to, flags] });
      entries[strip(to)] = entries[strip(from)]!;
      delete entries[strip(from)];
      return 1;
    },
    FindFirstFileNameW: () => -1,
    FindNextFileNameW: () => 0,
    FindClose: () => 1,
    GetVolumePathNameW: () => 0,
    GetLastError: () => last,
    ...over,
  };
  const setLast = (n: number) => (last = n);
  return { k, calls, setLast, entries };
}


describe('Win32Backend over a fake kernel32', () => {
  it('always opens with FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS (never hydrates)', () => {
    const f = fake({ 'C:\\c.txt': { attrs: 0x420, reparse: new Uint8Array([0x1a, 0x60, 0, 0x90, 0, 0, 0, 0]) } });
    const b = new Win32Backend(() => f.k);
    const st = b.lstat('C:\\c.txt');
    expect(st).toMatchObject({ type: 'link', fileId: 'abcd0001:000000000000002a' });
    expect(b.readLink('C:\\c.txt', st)).toMatchObject({ kind: 'reparsePoint', reparse: { label: 'cloud', followSafe: false } });
    expect(b.stat('C:\\c.txt')).toMatchObject({ type: 'file' });
    const opens = f.calls.filter((c) => c.fn === 'CreateFileW');
    expect(opens.length).toBeGreaterThan(0);
    for (const c of opens) expect((c.args[1] as number) & 0x02200000).toBe(0x02200000);
  });

  it('reads a junction through FSCTL_GET_REPARSE_POINT and tells it from a directory symlink', () => {
    const f = fake({
      'C:\\j': { attrs: 0x410, reparse: buildMountPointBuffer({ substituteName: '\\??\\C:\\t', printName: 'C:\\t' }) },
      'C:\\s': { attrs: 0x410, reparse: buildSymlinkBuffer({ substituteName: '\\??\\C:\\t', printName: 'C:\\t' }) },
      'C:\\t': { attrs: 0x10 },
    });
    const b = new Win32Backend(() => f.k);
    expect(b.readLink('C:\\j', b.lstat('C:\\j'))).toMatchObject({ kind: 'junction', target: 'C:\\t' });
    expect(b.readLink('C:\\s', b.lstat('C:\\s'))).toMatchObject({ kind: 'symlink', declaredType: 'directory' });
    expect(b.stat('C:\\j')).toMatchObject({ type: 'directory' });
  });

  it('maps ERROR_PRIVILEGE_NOT_HELD to LT_PRIVILEGE_REQUIRED, and retries without the unprivileged flag on ERROR_INVALID_PARAMETER', () => {
    const denied = fake({}, { CreateSymbolicLinkW: () => 0, GetLastError: () => 1314 });
    expect(codeOf(() => new Win32Backend(() => denied.k).createSymlink('C:\\l', 'C:\\t', 'file'))).toBe('LT_PRIVILEGE_REQUIRED');

    const old = fake({});
    const flagsSeen: number[] = [];
    const real = old.k.CreateSymbolicLinkW;
    old.k.CreateSymbolicLinkW = (l, t, fl) => {
      flagsSeen.push(fl);
      if (fl & 2) return old.setLast(87), 0;
      return real(l, t, fl);
    };
    new Win32Backend(() => old.k).createSymlink('C:\\l', 'C:/t/x', 'directory');
    expect(flagsSeen).toEqual([3, 1]);
    expect(old.calls.find((c) => c.fn === 'CreateSymbolicLinkW')?.args[1]).toBe('C:\\t\\x');
  });

  it('reports a CreateSymbolicLinkW that claims success but creates nothing (Wine) as LT_UNSUPPORTED_KIND', () => {
    const wine = fake({}, { CreateSymbolicLinkW: () => 1 });
    expect(codeOf(() => new Win32Backend(() => wine.k).createSymlink('C:\\l', 'C:\\t', 'file'))).toBe('LT_UNSUPPORTED_KIND');
  });

  it('creates a junction with a mount-point buffer, and removes the directory when FSCTL_SET_REPARSE_POINT fails', () => {
    const ok = fake({});
    new Win32Backend(() => ok.k).createJunction('C:\\j', 'C:\\t');
    expect(ok.calls.map((c) => c.fn)).toEqual(['CreateDirectoryW', 'CreateFileW', 'DeviceIoControl']);
    expect(ok.entries['C:\\j']?.attrs).toBe(0x410);

    const f = fake({}, { DeviceIoControl: () => 0, GetLastError: () => 50 });
    expect(codeOf(() => new Win32Backend(() => f.k).createJunction('C:\\j', 'C:\\t'))).toBe('LT_UNSUPPORTED_KIND');
    expect(f.calls.map((c) => c.fn)).toEqual(['CreateDirectoryW', 'CreateFileW', 'RemoveDirectoryW']);
    expect(f.entries['C:\\j']).toBeUndefined();
    expect(codeOf(() => new Win32Backend(() => f.k).createJunction('C:\\j', '\\\\srv\\share'))).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
  });

  it('removes directory links with RemoveDirectoryW and file links with DeleteFileW, with long paths prefixed', () => {
    const long = `C:\\${'x'.repeat(300)}`;
    const f = fake({
      'C:\\j': { attrs: 0x410, reparse: buildMountPointBuffer({ substituteName: '\\??\\C:\\t' }) },
      [`${long}\\f`]: { attrs: 0x420, reparse: buildSymlinkBuffer({ substituteName: 'a' }) },
    });
    const b = new Win32Backend(() => f.k);
    const jst = b.lstat('C:\\j');
    b.removeLink('C:\\j', b.readLink('C:\\j', jst), jst);
    const fst = b.lstat(`${long}\\f`);
    b.removeLink(`${long}\\f`, b.readLink(`${long}\\f`, fst), fst);
    expect(f.calls.filter((c) => c.fn.endsWith('W') && c.fn !== 'CreateFileW').map((c) => [c.fn, c.args[0]])).toEqual([
      ['RemoveDirectoryW', 'C:\\j'],
      ['DeleteFileW', `\\\\?\\${long}\\f`],
    ]);
  });

  it('replaces a directory link by moving the old one aside', () => {
    const f = fake({
      'C:\\old': { attrs: 0x410, reparse: buildMountPointBuffer({ substituteName: '\\??\\C:\\a' }) },
      'C:\\new': { attrs: 0x410, reparse: buildMountPointBuffer({ substituteName: '\\??\\C:\\b' }) },
    });
    const b = new Win32Backend(() => f.k);
    const st = b.lstat('C:\\old');
    b.replaceLink('C:\\new', 'C:\\old', b.readLink('C:\\old', st), st);
    const moves = f.calls.filter((c) => c.fn === 'MoveFileExW').map((c) => c.args);
    expect(moves[0]![0]).toBe('C:\\old');
    expect(moves[1]!.slice(0, 2)).toEqual(['C:\\new', 'C:\\old']);
    expect(Object.keys(f.entries)).toEqual(['C:\\old']);
  });

  it('returns null hard-link names when kernel32 lacks FindFirstFileNameW (Wine)', () => {
    const f = fake({ 'C:\\f': { attrs: 0x20, links: 2 } }, {
      GetVolumePathNameW: () => {
        throw new LinkToolsError('LT_UNSUPPORTED_KIND', 'no such function');
      },
    });
    expect(new Win32Backend(() => f.k).hardLinkNames('C:\\f')).toBeNull();
  });
});
