import { describe, expect, it } from 'vitest';
import { buildAppExecLinkBuffer, buildLxSymlinkBuffer, buildMountPointBuffer, buildReparseBuffer, buildSymlinkBuffer, parseReparseBuffer } from '../../../../engine/src/ntfs/index.js';
import { LinkToolsError } from '../../../../engine/src/errors.js';
import type { EntryStat, LinkData } from '../../../../engine/src/platform/types.js';
import {
  decodeHandleInfo,
  entryStatFromHandleInfo,
  entryTypeFromAttributes,
  filetimeToMs,
  isRecallAttributes,
  linkDataFromReparse,
  removalMethod,
  storedTarget,
  win32Error,
  win32ErrorName,
} from '../../../../engine/src/platform/win32/rules.js';
import { followStat } from '../../../../engine/src/platform/chain.js';
import { replaceViaAside } from '../../../../engine/src/platform/swap.js';

const catchErr = (fn: () => unknown): LinkToolsError => {
  try {
    fn();
  } catch (e) {
    return e as LinkToolsError;
  }
  throw new Error('expected an error');
};

describe('win32Error: GetLastError numbers through the one error table', () => {
  it.each([
    [2, 'LT_NOT_FOUND'],
    [3, 'LT_NOT_FOUND'],
    [5, 'LT_ACCESS_DENIED'],
    [17, 'LT_CROSS_DEVICE'],
    [32, 'LT_BUSY'],
    [80, 'LT_EXISTS'],
    [87, 'LT_INVALID_ARGUMENT'],
    [120, 'LT_UNSUPPORTED_KIND'],
    [1, 'LT_UNSUPPORTED_KIND'],
    [50, 'LT_UNSUPPORTED_KIND'],
    [145, 'LT_NOT_EMPTY'],
    [183, 'LT_EXISTS'],
    [267, 'LT_NOT_FOUND'],
    [1920, 'LT_UNREADABLE'],
    [1921, 'LT_LOOP'],
    [4390, 'LT_NOT_A_LINK'],
    [4392, 'LT_BAD_REPARSE_DATA'],
    [99999, 'LT_IO'],
  ])('%i → %s', (n, code) => {
    const e = win32Error(n, 'C:\\x', 'cannot do');
    expect(e.code).toBe(code);
    expect(e.path).toBe('C:\\x');
    expect(e.details).toMatchObject({ osCode: win32ErrorName(n), winError: n });
  });

  it('turns ERROR_PRIVILEGE_NOT_HELD into LT_PRIVILEGE_REQUIRED with the Developer Mode / elevate / junction hint', () => {
    const e = win32Error(1314, 'C:\\l', 'cannot create symbolic link');
    expect(e.code).toBe('LT_PRIVILEGE_REQUIRED');
    expect(e.category).toBe('PermissionDenied');
    expect(e.message).toMatch(/Developer Mode/);
    expect(e.message).toMatch(/elevated/);
    expect(e.message).toMatch(/junction/);
    expect(e.details).toMatchObject({ osCode: 'ERROR_PRIVILEGE_NOT_HELD', winError: 1314 });
  });

  it('names unknown numbers', () => {
    expect(win32ErrorName(4242)).toBe('WIN32_ERROR_4242');
  });
});

describe('attributes and BY_HANDLE_FILE_INFORMATION', () => {
  it('decodes entry types from attributes (any reparse point is a link)', () => {
    expect(entryTypeFromAttributes(0x20)).toBe('file');
    expect(entryTypeFromAttributes(0x10)).toBe('directory');
    expect(entryTypeFromAttributes(0x410)).toBe('link');
    expect(entryTypeFromAttributes(0x420)).toBe('link');
    expect(entryTypeFromAttributes(0x40)).toBe('special');
    expect(isRecallAttributes(0x400000)).toBe(true);
    expect(isRecallAttributes(0x20)).toBe(false);
  });

  it('converts FILETIME to Unix milliseconds', () => {
    // 2024-01-01T00:00:00Z = 133485408000000000 (100 ns since 1601)
    const ft = 133485408000000000n;
    expect(filetimeToMs(Number(ft & 0xffffffffn), Number(ft >> 32n))).toBe(Date.UTC(2024, 0, 1));
  });

  it('decodes the 52-byte structure into an EntryStat with fileId vvvvvvvv:iiiiiiiiiiiiiiii', () => {
    const b = Buffer.alloc(52);
    const ft = 133485408000000000n;
    b.writeUInt32LE(0x20, 0);
    b.writeUInt32LE(Number(ft & 0xffffffffn), 20);
    b.writeUInt32LE(Number(ft >> 32n), 24);
    b.writeUInt32LE(0xdeadbeef, 28);
    b.writeUInt32LE(1, 32); // size high
    b.writeUInt32LE(5, 36); // size low
    b.writeUInt32LE(3, 40);
    b.writeUInt32LE(0x00020000, 44);
    b.writeUInt32LE(0x1234, 48);
    const h = decodeHandleInfo(b);
    expect(h).toMatchObject({ attributes: 0x20, volumeSerial: 0xdeadbeef, size: 0x1_0000_0005, links: 3 });
    const st = entryStatFromHandleInfo(h);
    expect(st).toEqual({ type: 'file', fileId: 'deadbeef:0002000000001234', dev: 0xdeadbeefn, nlink: 3, size: 0x1_0000_0005, mtimeMs: Date.UTC(2024, 0, 1) });
    b.writeUInt32LE(0x10, 0);
    expect(entryStatFromHandleInfo(decodeHandleInfo(b))).toMatchObject({ type: 'directory', size: 0 });
    expect(() => decodeHandleInfo(Buffer.alloc(10))).toThrow(LinkToolsError);
  });
});

describe('linkDataFromReparse', () => {
  it('tells a directory symlink from a file symlink by the directory attribute', () => {
    const r = parseReparseBuffer(buildSymlinkBuffer({ substituteName: '\\??\\C:\\data', printName: 'C:\\data' }));
    const d = linkDataFromReparse(r, true);
    expect(d).toMatchObject({ kind: 'symlink', target: 'C:\\data', declaredType: 'directory' });
    expect(d.reparse).toMatchObject({ tag: 0xa000000c, tagHex: '0xA000000C', tagName: 'IO_REPARSE_TAG_SYMLINK', isLink: true, followSafe: true, relative: false });
    expect(linkDataFromReparse(r, false).declaredType).toBe('file');
  });

  it('keeps relative symlink targets as stored', () => {
    const r = parseReparseBuffer(buildSymlinkBuffer({ substituteName: '..\\a.txt', printName: '..\\a.txt' }));
    expect(linkDataFromReparse(r, false)).toMatchObject({ target: '..\\a.txt', reparse: { relative: true, flags: 1 } });
  });

  it('reports a junction by its print name, and the substitute name when the print name lies', () => {
    const ok = parseReparseBuffer(buildMountPointBuffer({ substituteName: '\\??\\C:\\data', printName: 'C:\\data' }));
    expect(linkDataFromReparse(ok, true)).toMatchObject({ kind: 'junction', target: 'C:\\data', declaredType: 'directory' });
    const lie = parseReparseBuffer(buildMountPointBuffer({ substituteName: '\\??\\D:\\secret', printName: 'C:\\data' }));
    expect(linkDataFromReparse(lie, true)).toMatchObject({ kind: 'junction', target: 'D:\\secret', reparse: { printName: 'C:\\data', substituteName: '\\??\\D:\\secret' } });
    expect(storedTarget('\\??\\C:\\x', '')).toBe('C:\\x');
  });

  it('reports a volume mount point as mountPoint', () => {
    const g = '\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\';
    const d = linkDataFromReparse(parseReparseBuffer(buildMountPointBuffer({ substituteName: g })), true);
    expect(d).toMatchObject({ kind: 'mountPoint', target: '\\\\?\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\', reparse: { isVolumeMountPoint: true } });
  });

  it('decodes app execution aliases, WSL symlinks, cloud placeholders and third-party tags', () => {
    const app = linkDataFromReparse(parseReparseBuffer(buildAppExecLinkBuffer({ packageId: 'P', appUserModelId: 'P!App', targetPath: 'C:\\Program Files\\WindowsApps\\p\\app.exe' })), false);
    expect(app).toMatchObject({
      kind: 'appExecLink',
      target: 'C:\\Program Files\\WindowsApps\\p\\app.exe',
      declaredType: 'file',
      reparse: { isLink: true, followSafe: false, details: { packageId: 'P' } },
    });
    expect(linkDataFromReparse(parseReparseBuffer(buildLxSymlinkBuffer('/mnt/c/x')), false)).toMatchObject({ kind: 'lxSymlink', target: '/mnt/c/x' });
    const cloud = linkDataFromReparse(parseReparseBuffer(buildReparseBuffer(0x9000601a, new Uint8Array(4))), false);
    expect(cloud).toMatchObject({ kind: 'reparsePoint', target: null, declaredType: 'file', reparse: { isLink: false, followSafe: false, label: 'cloud' } });
    const third = linkDataFromReparse(parseReparseBuffer(buildReparseBuffer(0x00001234, new Uint8Array(2), '{11111111-2222-3333-4444-555555555555}')), true);
    expect(third.reparse).toMatchObject({ followSafe: false, details: { guid: '11111111-2222-3333-4444-555555555555', dataLength: 2 } });
  });
});

describe('removalMethod', () => {
  const data = (isLink: boolean): LinkData => ({
    kind: isLink ? 'junction' : 'reparsePoint',
    target: null,
    declaredType: 'directory',
    reparse: { tag: 1, tagHex: '0x00000001', tagName: 'X', label: 'cloud', isLink, followSafe: isLink },
  });
  it('removes directory links with RemoveDirectoryW and file links / hard-link names with DeleteFileW', () => {
    expect(removalMethod(data(true), true, 'C:\\j')).toBe('removeDirectory');
    expect(removalMethod(null, false, 'C:\\h')).toBe('deleteFile');
  });
  it('refuses reparse points that are the data itself (placeholders)', () => {
    expect(catchErr(() => removalMethod(data(false), false, 'C:\\c')).code).toBe('LT_NOT_A_LINK');
  });
});

describe('replaceViaAside', () => {
  const ops = (fs: Map<string, string>, failOn?: string) => ({
    rename(a: string, b: string) {
      if (failOn === `${a}->${b}`) throw new LinkToolsError('LT_ACCESS_DENIED', 'injected');
      if (!fs.has(a) || fs.has(b)) throw new LinkToolsError('LT_EXISTS', 'bad rename');
      fs.set(b, fs.get(a)!);
      fs.delete(a);
    },
    remove(p: string) {
      if (failOn === `rm ${p}`) throw new LinkToolsError('LT_ACCESS_DENIED', 'injected');
      fs.delete(p);
    },
  });

  it('moves old aside, new in, deletes old', () => {
    const fs = new Map([
      ['to', 'old'],
      ['from', 'new'],
    ]);
    replaceViaAside(ops(fs), 'from', 'to', 'aside');
    expect([...fs]).toEqual([['to', 'new']]);
  });

  it('restores the old link when the new one cannot be moved in', () => {
    const fs = new Map([
      ['to', 'old'],
      ['from', 'new'],
    ]);
    expect(catchErr(() => replaceViaAside(ops(fs, 'from->to'), 'from', 'to', 'aside')).code).toBe('LT_ACCESS_DENIED');
    expect(fs.get('to')).toBe('old');
    expect(fs.has('aside')).toBe(false);
  });

  it('says where the old link is when it cannot be deleted', () => {
    const fs = new Map([
      ['to', 'old'],
      ['from', 'new'],
    ]);
    const e = catchErr(() => replaceViaAside(ops(fs, 'rm aside'), 'from', 'to', 'aside'));
    expect(e.code).toBe('LT_IO');
    expect(e.details).toMatchObject({ aside: 'aside' });
    expect(fs.get('to')).toBe('new');
  });
});

describe('followStat', () => {
  // A tiny table-driven world: path → entry.
  type E = { st: EntryStat; data: LinkData | null };
  const st = (type: EntryStat['type'], id: string): EntryStat => ({ type, fileId: id, dev: 1n, nlink: 1, size: 0, mtimeMs: 0 });
  const sym = (target: string, declared: 'file' | 'directory', tag = 0xa000000c, isLink = true, followSafe = true): E => ({
    st: st('link', target),
    data: { kind: 'symlink', target, declaredType: declared, reparse: { tag, tagHex: '', tagName: '', isLink, followSafe } },
  });
  const world = (w: Record<string, E>) => ({
    lstat: (p: string) => {
      const e = w[p];
      if (!e) throw new LinkToolsError('LT_NOT_FOUND', 'x', p);
      return e.st;
    },
    readLink: (p: string) => w[p]!.data,
    resolveTarget: (_d: string, t: string) => (t.startsWith('\\Device') ? null : t),
    dirname: (p: string) => p,
  });

  it('follows symlinks and junctions to the final entry', () => {
    const w = world({ a: sym('b', 'directory'), b: sym('c', 'directory'), c: { st: st('directory', 'C'), data: null } });
    expect(followStat(w, 'a')?.fileId).toBe('C');
  });

  it('returns null for a missing target, a type mismatch, an unresolvable or a non-system link', () => {
    expect(followStat(world({ a: sym('gone', 'file') }), 'a')).toBeNull();
    expect(followStat(world({ a: sym('d', 'file'), d: { st: st('directory', 'D'), data: null } }), 'a')).toBeNull();
    expect(followStat(world({ a: sym('\\Device\\X', 'file') }), 'a')).toBeNull();
    expect(followStat(world({ a: sym('f', 'file', 0x8000001b, true, false), f: { st: st('file', 'F'), data: null } }), 'a')).toBeNull();
  });

  it('describes a placeholder at the end of a chain without following it', () => {
    const cloud: E = {
      st: st('link', 'CLOUD'),
      data: { kind: 'reparsePoint', target: null, declaredType: 'file', reparse: { tag: 0x9000001a, tagHex: '', tagName: '', isLink: false, followSafe: false } },
    };
    expect(followStat(world({ a: sym('p', 'file'), p: cloud }), 'a')).toMatchObject({ type: 'file', fileId: 'CLOUD' });
  });

  it('throws LT_LOOP after 63 hops', () => {
    expect(catchErr(() => followStat(world({ a: sym('b', 'file'), b: sym('a', 'file') }), 'a')).code).toBe('LT_LOOP');
  });
});

describe('handle-anchored helpers', () => {
  it('encodeRenameInfo lays FILE_RENAME_INFO out for x64 (ReplaceIfExists 0, RootDirectory 8, FileNameLength 16, FileName 20)', async () => {
    const { encodeRenameInfo } = await import('../../../../engine/src/platform/win32/rules.js');
    const b = encodeRenameInfo('C:\\a', 0);
    expect(b.length % 8).toBe(0);
    expect(b.readUInt8(0)).toBe(0);
    expect(b.readBigUInt64LE(8)).toBe(0n);
    expect(b.readUInt32LE(16)).toBe(8);
    expect(b.toString('utf16le', 20, 28)).toBe('C:\\a');
    expect(b.readUInt16LE(28)).toBe(0);
  });

  it('encodeBasicInfoWithout keeps the times (0) and clears read-only; NORMAL when nothing is left', async () => {
    const { encodeBasicInfoWithout } = await import('../../../../engine/src/platform/win32/rules.js');
    expect(encodeBasicInfoWithout(0x421, 0x1).readUInt32LE(32)).toBe(0x20);
    expect(encodeBasicInfoWithout(0x411, 0x1).readUInt32LE(32)).toBe(0x80);
    expect(
      encodeBasicInfoWithout(0x411, 0x1)
        .subarray(0, 32)
        .every((x) => x === 0),
    ).toBe(true);
  });

  it('decodeFindData reads WIN32_FIND_DATAW; the tag (dwReserved0) only counts on a reparse point', async () => {
    const { decodeFindData, entryStatFromFindData } = await import('../../../../engine/src/platform/win32/rules.js');
    const buf = Buffer.alloc(592);
    buf.writeUInt32LE(0x420, 0);
    buf.writeUInt32LE(1, 28);
    buf.writeUInt32LE(5, 32);
    buf.writeUInt32LE(0xa000000c, 36);
    buf.write('l.txt', 44, 'utf16le');
    const fd = decodeFindData(buf);
    expect(fd).toMatchObject({ attributes: 0x420, size: 0x1_0000_0005, tag: 0xa000000c, name: 'l.txt' });
    expect(entryStatFromFindData(fd, 'C:\\l.txt')).toMatchObject({ type: 'link', fileId: 'path:C:\\L.TXT', nlink: 1 });
    buf.writeUInt32LE(0x20, 0);
    expect(decodeFindData(buf).tag).toBe(0);
  });

  it('changedEntryError: same id, attributes and tag → null; a real file now → LT_NOT_A_LINK; another link → LT_BUSY', async () => {
    const { changedEntryError } = await import('../../../../engine/src/platform/win32/rules.js');
    const info = { attributes: 0x410, lastWriteMs: 0, volumeSerial: 1, size: 0, links: 1, fileIndexHigh: 0, fileIndexLow: 7 };
    const checked = { fileId: '00000001:0000000000000007', attributes: 0x410, tag: 0xa0000003 };
    expect(changedEntryError('C:\\x', checked, { info, tag: 0xa0000003 }, 'remove')).toBeNull();
    expect(changedEntryError('C:\\x', checked, { info: { ...info, fileIndexLow: 8 }, tag: 0xa0000003 }, 'remove')?.code).toBe('LT_BUSY');
    expect(changedEntryError('C:\\x', checked, { info: { ...info, attributes: 0x10, fileIndexLow: 9 }, tag: 0 }, 'remove')?.code).toBe('LT_NOT_A_LINK');
    expect(changedEntryError('C:\\x', checked, { info, tag: 0xa000000c }, 'remove')?.code).toBe('LT_BUSY'); // same id, tag rewritten
  });

  it('falls back from FileDispositionInfoEx on the errors of old systems and non-NTFS volumes only', async () => {
    const { dispositionExUnsupported } = await import('../../../../engine/src/platform/win32/rules.js');
    expect([87, 50, 1, 120].map(dispositionExUnsupported)).toEqual([true, true, true, true]);
    expect([5, 32, 145].map(dispositionExUnsupported)).toEqual([false, false, false]);
  });

  it('ERROR_TOO_MANY_LINKS (1142) is LT_TOO_MANY_LINKS', async () => {
    const { win32Error } = await import('../../../../engine/src/platform/win32/rules.js');
    expect(win32Error(1142, 'C:\\f', 'cannot create hard link').code).toBe('LT_TOO_MANY_LINKS');
  });
});
