/** core/info against the mock backend: NTFS-only cases as Windows, and the same questions as POSIX. */
import { describe, expect, it } from 'vitest';
import { inspect } from '../../../engine/src/core/info.js';
import { buildAppExecLinkBuffer, buildMountPointBuffer, buildSymlinkBuffer } from '../../../engine/src/ntfs/index.js';
import { expectValid } from '../helpers/contract.js';
import { codeOf, MODES, world } from '../platform/mock/world.js';

describe.each(MODES)('info on the mock (%s)', (mode) => {
  it('describes plain files and directories', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('f'), 'hello').addDir(w.at('d'));
    expect(expectValid(inspect(w.m, w.at('f')))).toMatchObject({ kind: 'file', linkCount: 1, size: 5, target: null, chain: [] });
    expect(expectValid(inspect(w.m, w.at('d')))).toMatchObject({ kind: 'directory' });
    expect(codeOf(() => inspect(w.m, w.at('missing')))).toBe('LT_NOT_FOUND');
  });

  it('follows a chain hop by hop and detects loops', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('t'), 'T').addSymlink(w.at('b'), 't', 'file').addSymlink(w.at('a'), 'b', 'file');
    const r = expectValid(inspect(w.m, w.at('a')));
    expect(r.chain.map((h) => h.path)).toEqual([w.at('a'), w.at('b')]);
    expect(r).toMatchObject({ finalTarget: w.at('t'), targetExists: true, loop: false });
    w.m.fs.addSymlink(w.at('x'), 'y', 'file').addSymlink(w.at('y'), 'x', 'file');
    expect(expectValid(inspect(w.m, w.at('x')))).toMatchObject({ loop: true, targetExists: false });
  });

  it('gives each file an identity (volume:index) shared by its hard links', () => {
    const w = world(mode);
    w.m.fs.addFile(w.at('f'), 'F').addHardLink(w.at('g'), w.at('f'));
    const f = expectValid(inspect(w.m, w.at('f')));
    const g = expectValid(inspect(w.m, w.at('g')));
    expect(f.fileId).toBe(g.fileId);
    expect(f).toMatchObject({ kind: 'hardlink', linkCount: 2 });
    expect(f.fileId).toMatch(w.win ? /^[0-9a-f]{8}:[0-9a-f]{16}$/ : /^\d+:\d+$/);
  });
});

describe('info on the mock acting as Windows', () => {
  it('tells a junction from a directory symlink by the reparse tag', () => {
    const w = world('windows');
    w.m.fs.addDir(w.at('t')).addJunction(w.at('j'), w.at('t')).addSymlink(w.at('s'), w.at('t'), 'directory');
    expect(expectValid(inspect(w.m, w.at('j')))).toMatchObject({ kind: 'junction', reparse: { tagName: 'IO_REPARSE_TAG_MOUNT_POINT' } });
    expect(expectValid(inspect(w.m, w.at('s')))).toMatchObject({ kind: 'symlink', targetType: 'directory', reparse: { tagName: 'IO_REPARSE_TAG_SYMLINK' } });
  });

  it('follows the substitute name when a junction print name lies, and keeps both in reparse', () => {
    const w = world('windows');
    w.m.fs.addVolume('D:');
    w.m.fs.addDir('D:\\secret').addDir(w.at('shown'));
    w.m.fs.addJunction(w.at('j'), '', { substituteName: '\\??\\D:\\secret', printName: w.at('shown') });
    const r = expectValid(inspect(w.m, w.at('j')));
    expect(r).toMatchObject({ target: 'D:\\secret', finalTarget: 'D:\\secret', reparse: { printName: 'C:\\w\\shown', substituteName: '\\??\\D:\\secret' } });
  });

  it('describes a cloud placeholder without following it', () => {
    const w = world('windows');
    w.m.fs.addReparse(w.at('doc.txt'), 0x9000601a, { content: 'not hydrated' });
    w.m.fs.addSymlink(w.at('l'), 'doc.txt', 'file');
    expect(expectValid(inspect(w.m, w.at('doc.txt')))).toMatchObject({ kind: 'reparsePoint', target: null, reparse: { label: 'cloud', followSafe: false, isLink: false } });
    const l = expectValid(inspect(w.m, w.at('l')));
    expect(l.chain.map((h) => h.kind)).toEqual(['symlink', 'reparsePoint']);
    expect(l.targetExists).toBeNull();
    // stat through the link describes the placeholder as the file it is
    expect(w.m.defaultBackend.stat(w.at('l'))).toMatchObject({ type: 'file' });
  });

  it('reads app execution aliases and object-manager targets without resolving them', () => {
    const w = world('windows');
    w.m.fs.addReparse(w.at('app.exe'), buildAppExecLinkBuffer({ packageId: 'Pkg', appUserModelId: 'Pkg!App', targetPath: 'C:\\Program Files\\WindowsApps\\Pkg\\app.exe' }));
    expect(expectValid(inspect(w.m, w.at('app.exe')))).toMatchObject({ kind: 'appExecLink', target: 'C:\\Program Files\\WindowsApps\\Pkg\\app.exe', reparse: { followSafe: false } });
    w.m.fs.addReparse(w.at('dev'), buildSymlinkBuffer({ substituteName: '\\Device\\HarddiskVolume9\\x', printName: 'x' }));
    expect(expectValid(inspect(w.m, w.at('dev')))).toMatchObject({ kind: 'symlink', resolvedTarget: null, targetExists: null });
  });

  it('reports a volume mount point and resolves it through the volume GUID', () => {
    const w = world('windows');
    const guid = '01234567-89ab-cdef-0123-456789abcdef';
    w.m.fs.addVolume('E:', { guid });
    w.m.fs.addFile('E:\\on-e.txt', 'E');
    w.m.fs.addReparse(w.at('mnt'), buildMountPointBuffer({ substituteName: `\\??\\Volume{${guid}}\\` }), { directory: true });
    const r = expectValid(inspect(w.m, w.at('mnt')));
    expect(r).toMatchObject({ kind: 'mountPoint', targetExists: true, reparse: { isVolumeMountPoint: true } });
    expect(w.m.fs.readFile(`${w.at('mnt')}\\on-e.txt`)).toBe('E');
  });

  it('lists the other names of a hard-linked file with their drive', () => {
    const w = world('windows');
    w.m.fs.addFile(w.at('a', 'f.txt'), 'F').addHardLink(w.at('b', 'g.txt'), w.at('a', 'f.txt'));
    expect(expectValid(inspect(w.m, 'c:\\W\\A\\F.TXT'))).toMatchObject({ kind: 'hardlink', hardLinkNames: ['C:\\w\\b\\g.txt'] });
  });

  it('follows links through UNC shares', () => {
    const w = world('windows');
    w.m.fs.addVolume('\\\\srv\\share');
    w.m.fs.addFile('\\\\srv\\share\\x.txt', 'X').addSymlink(w.at('l'), '\\\\srv\\share\\x.txt', 'file');
    expect(expectValid(inspect(w.m, w.at('l')))).toMatchObject({ target: '\\\\srv\\share\\x.txt', finalTarget: '\\\\srv\\share\\x.txt', targetExists: true });
  });

  it('reports malformed reparse data as LT_BAD_REPARSE_DATA for that path', () => {
    const w = world('windows');
    const bad = buildSymlinkBuffer({ substituteName: '\\??\\C:\\x' }).slice(0, 12);
    bad[4] = 4; // ReparseDataLength that fits the slice but not the name offsets
    w.m.fs.addReparse(w.at('bad'), bad);
    expect(codeOf(() => inspect(w.m, w.at('bad')))).toBe('LT_BAD_REPARSE_DATA');
  });
});
