/**
 * The win32 backend against a fake kernel32 that behaves like NTFS (fake-kernel32.ts): which calls
 * it makes, with which flags, what their failures become, and that every delete or rename goes
 * through a handle that was checked to be the link the caller checked (a swapped leaf or parent is
 * refused, and what was swapped in is untouched).
 */
import { describe, expect, it } from 'vitest';
import { buildMountPointBuffer, buildSymlinkBuffer, parseReparseBuffer } from '../../../../engine/src/ntfs/index.js';
import { removeLink as coreRemove } from '../../../../engine/src/core/remove.js';
import { LinkToolsError } from '../../../../engine/src/errors.js';
import type { Platform } from '../../../../engine/src/platform/types.js';
import { Win32Backend } from '../../../../engine/src/platform/win32/backend.js';
import { codeOf } from '../../helpers/errors.js';
import { ATTR, E, fakeKernel32 } from './fake-kernel32.js';

const CLOUD = new Uint8Array([0x1a, 0x00, 0x00, 0x90, 0, 0, 0, 0]); // IO_REPARSE_TAG_CLOUD, no data
const junction = (t: string) => buildMountPointBuffer({ substituteName: `\\??\\${t}`, printName: t });

function setup(opts: Parameters<typeof fakeKernel32>[0] = {}) {
  const f = fakeKernel32(opts);
  const b = new Win32Backend(() => f.k);
  const platform: Platform = { defaultBackend: b, forPath: () => b };
  return { f, b, platform };
}

function substituteOf(buf: Uint8Array | undefined): string | undefined {
  const r = buf ? parseReparseBuffer(buf) : undefined;
  return r && 'substituteName' in r ? (r.substituteName as string) : undefined;
}

describe('Win32Backend: reading', () => {
  it('always opens with FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS (never hydrates)', () => {
    const { f, b } = setup();
    f.reparse('C:\\c.txt', CLOUD, false);
    const st = b.lstat('C:\\c.txt');
    expect(st).toMatchObject({ type: 'link', fileId: expect.stringMatching(/^abcd0001:[0-9a-f]{16}$/) });
    expect(b.readLink('C:\\c.txt', st)).toMatchObject({ kind: 'reparsePoint', reparse: { label: 'cloud', followSafe: false } });
    expect(b.stat('C:\\c.txt')).toMatchObject({ type: 'file' });
    const opens = f.calls.filter((c) => c.fn === 'CreateFileW');
    expect(opens.length).toBeGreaterThan(0);
    for (const c of opens) expect((c.args[5] as number) & 0x02200000).toBe(0x02200000);
  });

  it('reads a junction through FSCTL_GET_REPARSE_POINT and tells it from a directory symlink; names are case-insensitive', () => {
    const { f, b } = setup();
    f.dir('C:\\t');
    f.reparse('C:\\j', junction('C:\\t'), true);
    f.reparse('C:\\s', buildSymlinkBuffer({ substituteName: '\\??\\C:\\t', printName: 'C:\\t' }), true);
    expect(b.readLink('C:\\J', b.lstat('C:\\J'))).toMatchObject({ kind: 'junction', target: 'C:\\t' });
    expect(b.readLink('c:\\s', b.lstat('c:\\s'))).toMatchObject({ kind: 'symlink', declaredType: 'directory' });
    expect(b.stat('C:\\j')).toMatchObject({ type: 'directory' });
    expect(b.lstat('C:\\J').fileId).toBe(b.lstat('c:\\j').fileId);
  });

  it('refuses to return reparse data of an entry swapped in after lstat', () => {
    const { f, b } = setup();
    f.dir('C:\\t');
    f.reparse('C:\\j', junction('C:\\t'), true);
    const st = b.lstat('C:\\j');
    f.remove('C:\\j');
    f.reparse('C:\\j', junction('C:\\Windows'), true); // another link under the same name
    expect(codeOf(() => b.readLink('C:\\j', st))).toBe('LT_BUSY');
  });

  it('malformed reparse data returned by FSCTL_GET_REPARSE_POINT is LT_BAD_REPARSE_DATA with the path', () => {
    const { f, b } = setup();
    const bad = Buffer.from(junction('C:\\t'));
    bad.writeUInt16LE(0x7000, 10); // SubstituteNameLength far past the buffer
    f.reparse('C:\\bad', bad, true); // planted as a corrupt volume or a buggy driver would leave it
    const st = b.lstat('C:\\bad');
    let err: LinkToolsError | undefined;
    try {
      b.readLink('C:\\bad', st);
    } catch (e) {
      err = e as LinkToolsError;
    }
    expect(err?.code).toBe('LT_BAD_REPARSE_DATA');
    expect(err?.path).toBe('C:\\bad');
  });

  it('lstat falls back to the directory entry (FindFirstFileExW, tag in dwReserved0) on ERROR_SHARING_VIOLATION and ERROR_ACCESS_DENIED', () => {
    const { f, b } = setup();
    f.file('C:\\pagefile.sys', 4096).locked = true;
    const st = b.lstat('C:\\pagefile.sys');
    expect(st).toMatchObject({ type: 'file', size: 4096, nlink: 1, fileId: 'path:C:\\PAGEFILE.SYS' });
    expect(f.calls.map((c) => c.fn)).toContain('FindFirstFileExW');

    f.reparse('C:\\denied', CLOUD, false).denyRead = true;
    expect(b.lstat('C:\\denied')).toMatchObject({ type: 'link' });
    // The tag came from dwReserved0: readLink knows it is a reparse point (and cannot open it: the ACL).
    expect(codeOf(() => b.readLink('C:\\denied', b.lstat('C:\\denied')))).toBe('LT_ACCESS_DENIED');

    // A missing file is still LT_NOT_FOUND, and no directory query is made for it.
    const before = f.calls.filter((c) => c.fn === 'FindFirstFileExW').length;
    expect(codeOf(() => b.lstat('C:\\nope'))).toBe('LT_NOT_FOUND');
    expect(f.calls.filter((c) => c.fn === 'FindFirstFileExW').length).toBe(before);
  });

  it('an entry known only from the directory listing is never acted on (no handle to check it through)', () => {
    const { f, b } = setup();
    f.dir('C:\\a');
    f.reparse('C:\\l', junction('C:\\a'), true).denyRead = true;
    const st = b.lstat('C:\\l');
    expect(st.fileId).toBe('path:C:\\L');
    expect(codeOf(() => b.removeLink('C:\\l', { kind: 'junction', target: 'C:\\a', declaredType: 'directory', reparse: null }, st))).toBe('LT_ACCESS_DENIED');
    expect(f.entry('C:\\l')).toBeDefined();
    expect(f.calls.some((c) => c.fn === 'CreateFileW' && (c.args[1] as number) & 0x10000)).toBe(false);
  });

  it('does not query the directory for a name that is a pattern (the error of the open stands)', () => {
    const { f, b } = setup();
    f.file('C:\\a.txt').locked = true;
    f.setLast(0);
    const k = f.k;
    const real = k.CreateFileW;
    k.CreateFileW = (...a) => (a[0] === 'C:\\*.txt' ? (f.setLast(E.SHARING_VIOLATION), -1) : real(...a));
    expect(codeOf(() => b.lstat('C:\\*.txt'))).toBe('LT_BUSY');
    expect(f.calls.some((c) => c.fn === 'FindFirstFileExW')).toBe(false);
  });
});

describe('Win32Backend: creating', () => {
  it('maps ERROR_PRIVILEGE_NOT_HELD to LT_PRIVILEGE_REQUIRED, and retries without the unprivileged flag on ERROR_INVALID_PARAMETER', () => {
    const denied = setup({ symlinks: false });
    expect(codeOf(() => denied.b.createSymlink('C:\\l', 'C:\\t', 'file'))).toBe('LT_PRIVILEGE_REQUIRED');

    const old = setup();
    const flagsSeen: number[] = [];
    const real = old.f.k.CreateSymbolicLinkW;
    old.f.k.CreateSymbolicLinkW = (l, t, fl) => {
      flagsSeen.push(fl);
      if (fl & 2) return (old.f.setLast(87), 0);
      return real(l, t, fl);
    };
    old.b.createSymlink('C:\\l', 'C:/t/x', 'directory');
    expect(flagsSeen).toEqual([3, 1]);
    // Stored as CreateSymbolicLinkW stores it: \??\ substitute name, print name as given, absolute flag.
    const r = parseReparseBuffer(old.f.entry('C:\\l')!.reparse!);
    expect(r).toMatchObject({ kind: 'symlink', substituteName: '\\??\\C:\\t\\x', printName: 'C:\\t\\x', flags: 0 });
    expect(old.f.entry('C:\\l')!.attrs & ATTR.DIRECTORY).toBe(ATTR.DIRECTORY);
  });

  it('a relative symlink is stored as given with SYMLINK_FLAG_RELATIVE, and read back as given', () => {
    const { f, b } = setup();
    f.file('C:\\d\\t.txt');
    b.createSymlink('C:\\d\\l', 't.txt', 'file');
    expect(parseReparseBuffer(f.entry('C:\\d\\l')!.reparse!)).toMatchObject({ substituteName: 't.txt' });
    expect(b.readLink('C:\\d\\l', b.lstat('C:\\d\\l'))).toMatchObject({ kind: 'symlink', target: 't.txt' });
    expect(codeOf(() => b.createSymlink('C:\\D\\L', 'x', 'file'))).toBe('LT_EXISTS'); // case-insensitive: the name is taken
  });

  it('reports a CreateSymbolicLinkW that claims success but creates nothing (Wine) as LT_UNSUPPORTED_KIND', () => {
    const { f, b } = setup();
    f.k.CreateSymbolicLinkW = () => 1;
    const e = (() => {
      try {
        b.createSymlink('C:\\l', 'C:\\t', 'file');
      } catch (x) {
        return x as LinkToolsError;
      }
      return null;
    })();
    expect(e?.code).toBe('LT_UNSUPPORTED_KIND');
    expect(e?.message).toMatch(/no link exists/);
  });

  it('removes what a CreateSymbolicLinkW made when it is not a symbolic link, and says so', () => {
    const { f, b } = setup();
    f.dir('C:\\d');
    f.k.CreateSymbolicLinkW = (link) => (f.file(link.replace(/^\\\\\?\\/, ''), 12), f.setLast(0), 1); // an SMB server making a plain file
    let err: LinkToolsError | undefined;
    try {
      b.createSymlink('C:\\d\\l', 'C:\\t', 'file');
    } catch (e) {
      err = e as LinkToolsError;
    }
    expect(err?.code).toBe('LT_UNSUPPORTED_KIND');
    expect(err?.message).toMatch(/made a file, not a file symbolic link.*it was removed/);
    expect(f.entry('C:\\d\\l')).toBeUndefined();
    expect(f.openHandles()).toBe(0);
  });

  it('the post-creation check of a symlink does not need DELETE access (a scanner holding the new link open does not fail it)', () => {
    const { f, b } = setup();
    let scanner = 0;
    f.before((fn) => {
      if (fn === 'CreateFileW' && f.entry('C:\\l') && scanner === 0) {
        scanner = -2;
        scanner = f.k.CreateFileW('C:\\l', 0x80000000, 0x1, null, 3, 0x02200000, 0); // share read only
      }
    });
    b.createSymlink('C:\\l', 'C:\\t', 'file');
    expect(scanner).toBeGreaterThan(0);
    expect(f.entry('C:\\l')!.attrs & ATTR.REPARSE).toBe(ATTR.REPARSE);
    f.k.CloseHandle(scanner);
  });

  it('creates a junction: CreateDirectoryW, then FSCTL_SET_REPARSE_POINT on a handle opened on the new folder without delete sharing', () => {
    const { f, b } = setup();
    f.dir('C:\\t');
    b.createJunction('C:\\j', 'C:\\t');
    const fns = f.calls.map((c) => c.fn);
    const made = fns.indexOf('CreateDirectoryW');
    expect(fns.slice(0, made)).toEqual(['GetFullPathNameW', 'GetLongPathNameW']); // the target as Win32 means it
    expect(fns[made + 1]).toBe('CreateFileW');
    const open = f.calls[made + 1]!;
    expect(open.args[0]).toBe('C:\\j');
    expect((open.args[2] as number) & 0x4).toBe(0); // no FILE_SHARE_DELETE
    expect(fns.filter((n) => n === 'CreateFileW')).toHaveLength(1); // FSCTL_SET_REPARSE_POINT went to that one handle
    expect(f.entry('C:\\j')!.attrs).toBe(ATTR.DIRECTORY | ATTR.REPARSE);
    expect(substituteOf(f.entry('C:\\j')!.reparse)).toBe('\\??\\C:\\t');
    expect(f.openHandles()).toBe(0);
  });

  it('removes the new folder through its handle when FSCTL_SET_REPARSE_POINT fails, and refuses UNC targets', () => {
    const { f, b } = setup();
    f.dir('C:\\t');
    f.k.DeviceIoControl = () => (f.setLast(50), 0);
    expect(codeOf(() => b.createJunction('C:\\j', 'C:\\t'))).toBe('LT_UNSUPPORTED_KIND');
    expect(f.entry('C:\\j')).toBeUndefined();
    expect(f.calls.some((c) => c.fn === 'RemoveDirectoryW')).toBe(false); // never by name
    expect(codeOf(() => b.createJunction('C:\\j', '\\\\srv\\share'))).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
  });

  it('fails CreateDirectoryW on an existing name (the junction is not made over it)', () => {
    const { f, b } = setup();
    f.dir('C:\\t');
    f.file('C:\\j', 5);
    expect(codeOf(() => b.createJunction('C:\\J', 'C:\\t'))).toBe('LT_EXISTS');
    expect(f.entry('C:\\j')!.attrs & ATTR.REPARSE).toBe(0);
  });

  it('stores the junction target Win32 means: trailing dots and spaces trimmed, 8.3 names expanded, DOS devices refused', () => {
    const { f, b } = setup({ shortNames: { 'C:\\PROGRA~1': 'C:\\Program Files' } });
    f.dir('C:\\Program Files\\App');
    f.dir('C:\\target');
    b.createJunction('C:\\j1', 'C:\\target. ');
    expect(substituteOf(f.entry('C:\\j1')!.reparse)).toBe('\\??\\C:\\target');
    b.createJunction('C:\\j2', 'C:\\PROGRA~1\\App');
    expect(substituteOf(f.entry('C:\\j2')!.reparse)).toBe('\\??\\C:\\Program Files\\App');
    expect(codeOf(() => b.createJunction('C:\\j3', 'C:\\target\\CON'))).toBe('LT_INVALID_ARGUMENT');
    expect(f.entry('C:\\j3')).toBeUndefined();
  });

  it('maps ERROR_TOO_MANY_LINKS (1023 names) to LT_TOO_MANY_LINKS', () => {
    const { f, b } = setup();
    f.file('C:\\f', 3);
    for (let i = 1; i < 1023; i++) expect(f.k.CreateHardLinkW(`C:\\h${i}`, 'C:\\f', null)).toBe(1);
    expect(codeOf(() => b.createHardLink('C:\\one-too-many', 'C:\\f'))).toBe('LT_TOO_MANY_LINKS');
    expect(f.entry('C:\\one-too-many')).toBeUndefined();
  });
});

describe('Win32Backend: removing through a checked handle', () => {
  it('removes directory and file links with FileDispositionInfoEx (POSIX semantics, ignore read-only) on a DELETE handle without delete sharing', () => {
    const long = `C:\\${'x'.repeat(300)}`;
    const { f, b } = setup();
    f.dir('C:\\t');
    f.reparse('C:\\j', junction('C:\\t'), true);
    f.reparse(`${long}\\f`, buildSymlinkBuffer({ substituteName: 'a' }), false);
    const jst = b.lstat('C:\\j');
    b.removeLink('C:\\j', b.readLink('C:\\j', jst), jst);
    const fst = b.lstat(`${long}\\f`);
    b.removeLink(`${long}\\f`, b.readLink(`${long}\\f`, fst), fst);
    expect(f.entry('C:\\j')).toBeUndefined();
    expect(f.entry(`${long}\\f`)).toBeUndefined();
    expect(f.entry('C:\\t')).toBeDefined();
    const sets = f.calls.filter((c) => c.fn === 'SetFileInformationByHandle');
    expect(sets.map((c) => [c.args[1], (c.args[2] as Buffer).readUInt32LE(0)])).toEqual([
      [21, 0x13],
      [21, 0x13],
    ]);
    const deleteOpens = f.calls.filter((c) => c.fn === 'CreateFileW' && (c.args[1] as number) & 0x10000);
    expect(deleteOpens.map((c) => c.args[0])).toEqual(['C:\\j', `\\\\?\\${long}\\f`]);
    for (const c of deleteOpens) expect((c.args[2] as number) & 0x4).toBe(0);
    expect(f.calls.some((c) => c.fn === 'DeleteFileW' || c.fn === 'RemoveDirectoryW')).toBe(false);
    expect(f.openHandles()).toBe(0);
  });

  it('removes a read-only link (attrib +r): with IGNORE_READONLY_ATTRIBUTE, and on older systems by clearing the attribute through the handle', () => {
    for (const noDispositionEx of [false, true]) {
      const { f, b } = setup({ noDispositionEx });
      f.file('C:\\t.txt', 1);
      f.reparse('C:\\l', buildSymlinkBuffer({ substituteName: '\\??\\C:\\t.txt' }), false).attrs |= ATTR.READONLY;
      expect(f.k.DeleteFileW('C:\\l')).toBe(0); // what a by-name delete gets
      expect(f.k.GetLastError()).toBe(E.ACCESS_DENIED);
      const st = b.lstat('C:\\l');
      b.removeLink('C:\\l', b.readLink('C:\\l', st), st);
      expect(f.entry('C:\\l')).toBeUndefined();
      expect(f.entry('C:\\t.txt')).toBeDefined();
      const classes = f.calls.filter((c) => c.fn === 'SetFileInformationByHandle').map((c) => c.args[1]);
      expect(classes).toEqual(noDispositionEx ? [21, 0, 4] : [21]);
    }
  });

  it('refuses data-carrying reparse points (cloud placeholder) without opening them for delete', () => {
    const { f, b } = setup();
    f.reparse('C:\\c.txt', CLOUD, false);
    const st = b.lstat('C:\\c.txt');
    expect(codeOf(() => b.removeLink('C:\\c.txt', b.readLink('C:\\c.txt', st), st))).toBe('LT_NOT_A_LINK');
    expect(f.entry('C:\\c.txt')).toBeDefined();
    expect(f.calls.some((c) => c.fn === 'CreateFileW' && (c.args[1] as number) & 0x10000)).toBe(false);
  });

  it('a link exchanged for a real file between the check and the delete: refused, the file is untouched (core remove)', () => {
    const { f, platform } = setup();
    f.file('C:\\tree\\t.txt', 1);
    f.reparse('C:\\tree\\victim', buildSymlinkBuffer({ substituteName: 't.txt' }), false);
    f.file('C:\\stash\\real.txt', 77);
    // Another process swaps names right before the engine opens the entry for DELETE.
    f.before((fn, args) => {
      if (fn === 'CreateFileW' && (args[1] as number) & 0x10000 && f.entry('C:\\stash\\real.txt')) {
        f.rename('C:\\tree\\victim', 'C:\\stash\\link');
        f.rename('C:\\stash\\real.txt', 'C:\\tree\\victim');
      }
    });
    expect(codeOf(() => coreRemove(platform, 'C:\\tree\\victim'))).toBe('LT_NOT_A_LINK');
    expect(f.entry('C:\\tree\\victim')).toMatchObject({ size: 77, attrs: ATTR.ARCHIVE });
    expect(f.openHandles()).toBe(0);
  });

  it('a parent folder exchanged for a junction to another folder: the same-named file there is untouched', () => {
    const { f, b, platform } = setup();
    f.file('C:\\tree\\dir\\t.txt', 1);
    f.reparse('C:\\tree\\dir\\victim', buildSymlinkBuffer({ substituteName: 't.txt' }), false);
    f.file('C:\\outside\\victim', 99); // a real file with the chosen base name
    f.before((fn, args) => {
      if (fn === 'CreateFileW' && (args[1] as number) & 0x10000 && !f.entry('C:\\tree\\dir.real')) {
        f.rename('C:\\tree\\dir', 'C:\\tree\\dir.real');
        f.reparse('C:\\tree\\dir', junction('C:\\outside'), true);
      }
    });
    expect(codeOf(() => coreRemove(platform, 'C:\\tree\\dir\\victim'))).toBe('LT_NOT_A_LINK');
    expect(f.entry('C:\\outside\\victim')).toMatchObject({ size: 99 });
    expect(f.entry('C:\\tree\\dir.real\\victim')).toBeDefined();
    void b;
  });

  it('a link exchanged for another link (or removed) before the delete: refused with LT_BUSY / LT_NOT_FOUND', () => {
    const { f, platform } = setup();
    f.dir('C:\\a');
    f.reparse('C:\\l', junction('C:\\a'), true);
    let step = 0;
    f.before((fn, args) => {
      if (fn === 'CreateFileW' && (args[1] as number) & 0x10000 && step === 0) {
        step = 1;
        f.remove('C:\\l');
        f.reparse('C:\\l', junction('C:\\a'), true);
      }
    });
    expect(codeOf(() => coreRemove(platform, 'C:\\l'))).toBe('LT_BUSY');
    expect(f.entry('C:\\l')).toBeDefined();
    f.before((fn, args) => {
      if (fn === 'CreateFileW' && (args[1] as number) & 0x10000 && step === 1) {
        step = 2;
        f.remove('C:\\l');
      }
    });
    expect(codeOf(() => coreRemove(platform, 'C:\\l'))).toBe('LT_NOT_FOUND');
  });

  it('removes one name of a hard-linked file, and refuses when the other names went meanwhile', () => {
    const { f, b } = setup();
    f.file('C:\\f', 3);
    b.createHardLink('C:\\g', 'C:\\f');
    const st = b.lstat('C:\\g');
    expect(st.nlink).toBe(2);
    b.removeLink('C:\\g', null, st);
    expect(f.entry('C:\\g')).toBeUndefined();
    b.createHardLink('C:\\g', 'C:\\f');
    const st2 = b.lstat('C:\\g');
    f.remove('C:\\f'); // the last other name goes between check and act
    expect(codeOf(() => b.removeLink('C:\\g', null, st2))).toBe('LT_NOT_A_LINK');
    expect(f.entry('C:\\g')).toBeDefined();
  });

  it('fails while another process holds the link open without delete sharing (ERROR_SHARING_VIOLATION → LT_BUSY)', () => {
    const { f, b } = setup();
    f.dir('C:\\a');
    f.reparse('C:\\l', junction('C:\\a'), true);
    const other = f.k.CreateFileW('C:\\l', 0x80000000, 0x1, null, 3, 0x02200000, 0);
    expect(other).toBeGreaterThan(0);
    const st = b.lstat('C:\\l');
    expect(codeOf(() => b.removeLink('C:\\l', b.readLink('C:\\l', st), st))).toBe('LT_BUSY');
    f.k.CloseHandle(other);
    b.removeLink('C:\\l', b.readLink('C:\\l', st), st);
    expect(f.entry('C:\\l')).toBeUndefined();
  });
});

describe('Win32Backend: replacing through checked handles', () => {
  it('moves the checked old link aside through its handle, renames the new one in without replace, and deletes the old one through the held handle', () => {
    const { f, b } = setup();
    f.dir('C:\\a');
    f.dir('C:\\b');
    f.reparse('C:\\old', junction('C:\\a'), true);
    f.reparse('C:\\new', junction('C:\\b'), true);
    const st = b.lstat('C:\\old');
    b.replaceLink('C:\\new', 'C:\\old', b.readLink('C:\\old', st), st);
    expect(f.names()).toEqual(['C:\\a', 'C:\\b', 'C:\\old']);
    expect(substituteOf(f.entry('C:\\old')!.reparse)).toBe('\\??\\C:\\b');
    const renames = f.calls.filter((c) => c.fn === 'SetFileInformationByHandle' && c.args[1] === 3);
    expect(renames).toHaveLength(2);
    for (const r of renames) expect((r.args[2] as Buffer).readUInt8(0)).toBe(0); // ReplaceIfExists = FALSE
    expect(f.calls.some((c) => c.fn === 'MoveFileExW')).toBe(false);
    expect(f.openHandles()).toBe(0);
  });

  it('file links are replaced the same way (no MoveFileEx REPLACE_EXISTING onto an unchecked name)', () => {
    const { f, b } = setup();
    f.file('C:\\x.txt', 1);
    b.createSymlink('C:\\l', 'x.txt', 'file');
    b.createSymlink('C:\\tmp', 'y.txt', 'file');
    const st = b.lstat('C:\\l');
    b.replaceLink('C:\\tmp', 'C:\\l', b.readLink('C:\\l', st), st);
    expect(b.readLink('C:\\l', b.lstat('C:\\l'))).toMatchObject({ target: 'y.txt' });
    expect(f.names()).toEqual(['C:\\l', 'C:\\x.txt']);
  });

  it('the old link exchanged for a real file before the replace: refused, the file and the new link are untouched', () => {
    const { f, b } = setup();
    f.dir('C:\\a');
    f.reparse('C:\\old', junction('C:\\a'), true);
    f.reparse('C:\\new', junction('C:\\a'), true);
    f.file('C:\\real', 5);
    const st = b.lstat('C:\\old');
    const data = b.readLink('C:\\old', st);
    f.rename('C:\\old', 'C:\\gone');
    f.rename('C:\\real', 'C:\\old');
    expect(codeOf(() => b.replaceLink('C:\\new', 'C:\\old', data, st))).toBe('LT_NOT_A_LINK');
    expect(f.entry('C:\\old')).toMatchObject({ size: 5 });
    expect(f.entry('C:\\new')).toBeDefined();
  });

  it('something taking the name between the two renames: the new link is not put over it, the old link is moved back... or stays aside when the name is taken', () => {
    const { f, b } = setup();
    f.dir('C:\\a');
    f.reparse('C:\\old', junction('C:\\a'), true);
    f.reparse('C:\\new', junction('C:\\a'), true);
    const st = b.lstat('C:\\old');
    let planted = false;
    f.before((fn, args) => {
      if (fn === 'CreateFileW' && args[0] === 'C:\\new' && (args[1] as number) & 0x10000 && !planted) {
        planted = true;
        f.file('C:\\old', 42); // a real file appears at the vacated name
      }
    });
    const e = (() => {
      try {
        b.replaceLink('C:\\new', 'C:\\old', b.readLink('C:\\old', st), st);
      } catch (x) {
        return x as LinkToolsError;
      }
      return null;
    })();
    expect(e?.code).toBe('LT_IO'); // the old link cannot be moved back over the newcomer: it says where it is
    expect(e?.message).toMatch(/lt-old-/);
    expect(f.entry('C:\\old')).toMatchObject({ size: 42 }); // the newcomer is untouched
    expect(f.entry('C:\\new')).toBeDefined();
  });
});

describe('Win32Backend: hard-link names', () => {
  it('lists the other names, grows the buffer on ERROR_MORE_DATA, and leaves out its own name given in another case', () => {
    const { f, b } = setup();
    const deep = `C:\\${'d'.repeat(200)}\\${'e'.repeat(200)}\\${'f'.repeat(200)}\\${'g'.repeat(200)}\\${'h'.repeat(200)}\\x.txt`;
    f.file('C:\\one.txt', 1);
    f.dir(deep.slice(0, deep.lastIndexOf('\\')));
    b.createHardLink('C:\\two.txt', 'C:\\one.txt');
    b.createHardLink(deep, 'C:\\one.txt');
    const names = b.hardLinkNames('c:\\ONE.TXT');
    expect(names).toEqual(['C:\\two.txt', deep]);
    expect(f.calls.filter((c) => c.fn === 'FindNextFileNameW').length).toBeGreaterThanOrEqual(3); // one ERROR_MORE_DATA retry
  });

  it('places names on a UNC volume (\\\\?\\UNC\\srv\\share\\) and a volume with no drive letter (\\\\?\\Volume{…}\\)', () => {
    const unc = setup({ volumePath: '\\\\?\\UNC\\srv\\share\\' });
    unc.f.file('\\\\srv\\share\\d\\a.txt', 1);
    unc.b.createHardLink('\\\\srv\\share\\d\\b.txt', '\\\\srv\\share\\d\\a.txt');
    expect(unc.b.hardLinkNames('\\\\srv\\share\\d\\a.txt')).toEqual(['\\\\srv\\share\\d\\b.txt']);

    const vol = setup({ volumePath: '\\\\?\\Volume{12345678-aaaa-bbbb-cccc-1234567890ab}\\' });
    vol.f.file('C:\\m\\a.txt', 1);
    vol.b.createHardLink('C:\\m\\b.txt', 'C:\\m\\a.txt');
    expect(vol.b.hardLinkNames('C:\\m\\a.txt')).toEqual(['\\\\?\\Volume{12345678-aaaa-bbbb-cccc-1234567890ab}\\m\\b.txt']);
  });

  it('returns null hard-link names when kernel32 lacks FindFirstFileNameW (Wine)', () => {
    const { f, b } = setup();
    f.file('C:\\f', 1);
    f.k.GetVolumePathNameW = () => {
      throw new LinkToolsError('LT_UNSUPPORTED_KIND', 'no such function');
    };
    expect(b.hardLinkNames('C:\\f')).toBeNull();
  });
});

describe('the fake kernel32 behaves like NTFS', () => {
  it('RemoveDirectoryW on a file or a non-empty folder, DeleteFileW on a folder, CreateDirectoryW on an existing name fail', () => {
    const { f } = setup();
    f.file('C:\\d\\f', 1);
    const k = f.k;
    expect([k.RemoveDirectoryW('C:\\d\\f'), k.GetLastError()]).toEqual([0, E.DIRECTORY]);
    expect([k.RemoveDirectoryW('C:\\d'), k.GetLastError()]).toEqual([0, E.DIR_NOT_EMPTY]);
    expect([k.DeleteFileW('C:\\d'), k.GetLastError()]).toEqual([0, E.ACCESS_DENIED]);
    expect([k.CreateDirectoryW('C:\\D', null), k.GetLastError()]).toEqual([0, E.ALREADY_EXISTS]);
    expect([k.CreateDirectoryW('C:\\nope\\x', null), k.GetLastError()]).toEqual([0, E.PATH_NOT_FOUND]);
  });

  it('FSCTL_SET_REPARSE_POINT validates REPARSE_DATA_BUFFER lengths ([MS-FSCC] 2.1.2.5) with ERROR_INVALID_REPARSE_DATA', () => {
    const { f } = setup();
    f.dir('C:\\j');
    const k = f.k;
    const h = k.CreateFileW('C:\\j', 0x40000000, 3, null, 3, 0x02200000, 0);
    const set = (buf: Buffer, size = buf.length) => [k.DeviceIoControl(h, 0x900a4, buf, size, null, 0, Buffer.alloc(4), null), k.GetLastError()];
    const good = Buffer.from(junction('C:\\t'));
    const wrongLength = Buffer.from(good);
    wrongLength.writeUInt16LE(good.readUInt16LE(4) + 2, 4); // ReparseDataLength past the buffer
    expect(set(wrongLength)).toEqual([0, E.INVALID_REPARSE_DATA]);
    const nameOut = Buffer.from(good);
    nameOut.writeUInt16LE(400, 10); // SubstituteNameLength past PathBuffer
    expect(set(nameOut)).toEqual([0, E.INVALID_REPARSE_DATA]);
    const odd = Buffer.from(good);
    odd.writeUInt16LE(odd.readUInt16LE(10) - 1, 10); // odd UTF-16 length
    expect(set(odd)).toEqual([0, E.INVALID_REPARSE_DATA]);
    expect(set(good, 6)).toEqual([0, E.INVALID_REPARSE_DATA]); // shorter than the header
    const zeroTag = Buffer.from(good);
    zeroTag.writeUInt32LE(0, 0);
    expect(set(zeroTag)).toEqual([0, E.REPARSE_TAG_INVALID]);
    expect(set(good)).toEqual([1, 0]);
    expect(set(Buffer.from(buildSymlinkBuffer({ substituteName: 'x' })))).toEqual([0, E.REPARSE_TAG_MISMATCH]);
    k.CloseHandle(h);
    const ro = k.CreateFileW('C:\\j', 0x80, 7, null, 3, 0x02200000, 0);
    expect(k.DeviceIoControl(ro, 0x900a4, good, good.length, null, 0, Buffer.alloc(4), null)).toBe(0); // no write access
    expect(k.GetLastError()).toBe(E.ACCESS_DENIED);
    k.CloseHandle(ro);
  });

  it('the backend turns a mount point on a non-empty folder into LT_NOT_EMPTY (ERROR_DIR_NOT_EMPTY)', () => {
    const { f, b } = setup();
    f.dir('C:\\t');
    // Someone drops a file into the new folder between CreateDirectoryW and the open.
    f.before((fn, args) => {
      if (fn === 'CreateFileW' && args[0] === 'C:\\j' && !f.entry('C:\\j\\x')) f.file('C:\\j\\x', 1);
    });
    expect(codeOf(() => b.createJunction('C:\\j', 'C:\\t'))).toBe('LT_NOT_EMPTY');
    expect(f.entry('C:\\j\\x')).toBeDefined(); // not deleted: the folder is not empty, so it stays
  });
});
