/**
 * Relative targets of links inside linked folders resolve the way the system resolves them:
 * against the real folder reached after the links on the path itself were followed. The answer
 * is checked against the system itself (POSIX: the kernel; Windows mock: its own path walk; NTFS
 * via ntfs-3g: the backend's chain follower on a real image).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect, RealPaths } from '../../../engine/src/core/info.js';
import { MockPlatform } from '../../../engine/src/platform/mock/backend.js';
import { createPlatform } from '../../../engine/src/platform/index.js';
import { expectValid } from '../helpers/contract.js';
import { tempDir } from '../helpers/tree.js';
import { audit, pairs } from './audit/run.js';
import { announceSkip, handJunction, handSymlink, makeImage, ntfsUnavailable, plantReparse, type NtfsImage } from '../platform/ntfs3g/image.js';

describe('POSIX: a relative link inside a linked folder', () => {
  it('j -> ../real, j/l -> ../x opens base/x (not root/x): chain, existence and escapes-root follow the kernel', () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    fs.mkdirSync(path.join(base, 'real'), { recursive: true });
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(base, 'x'), 'outer x');
    fs.symlinkSync('../real', path.join(root, 'j'));
    fs.symlinkSync('../x', path.join(base, 'real', 'l'));
    // What the kernel opens.
    expect(fs.readFileSync(path.join(root, 'j', 'l'), 'utf8')).toBe('outer x');
    const info = expectValid(inspect(createPlatform(), path.join(root, 'j', 'l')));
    expect(info.chain[0]).toMatchObject({ path: path.join(root, 'j', 'l'), target: '../x', resolvedTarget: path.join(base, 'x') });
    expect(info).toMatchObject({ targetExists: true, finalTarget: path.join(base, 'x'), loop: false });
    // A chain through a second linked folder: k -> j (so k/l is j/l too).
    fs.symlinkSync('j', path.join(root, 'k'));
    expect(expectValid(inspect(createPlatform(), path.join(root, 'k', 'l'))).resolvedTarget).toBe(path.join(base, 'x'));
  });

  it('a root reached through a linked folder: links below it are judged from their real folders', () => {
    const base = tempDir();
    fs.mkdirSync(path.join(base, 'real/tree/sub'), { recursive: true });
    fs.writeFileSync(path.join(base, 'real/tree/f.txt'), 'f');
    fs.symlinkSync('../f.txt', path.join(base, 'real/tree/sub/up'));
    fs.symlinkSync('../../outside', path.join(base, 'real/tree/sub/out'));
    fs.symlinkSync('real', path.join(base, 'alias'));
    const root = path.join(base, 'alias', 'tree');
    const r = audit([root]);
    // ../f.txt stays inside the (real) root; ../../outside leaves it (and is missing).
    expect(pairs(r.streamed, root)).toEqual(['broken-target sub/out', 'escapes-root sub/out']);
    const up = r.links.find((l) => l.path.endsWith('up'))!;
    expect(up).toMatchObject({ targetExists: true, resolvedTarget: path.join(base, 'real/tree/f.txt') });
  });

  it('RealPaths follows links on the way and joins what is missing as given', () => {
    const base = tempDir();
    fs.mkdirSync(path.join(base, 'a/b'), { recursive: true });
    fs.symlinkSync('a/b', path.join(base, 'ab'));
    const rp = new RealPaths(createPlatform());
    expect(rp.of(path.join(base, 'ab'))).toBe(path.join(base, 'a/b'));
    expect(rp.of(`${base}/ab/..`)).toBe(path.join(base, 'a')); // ".." of the real folder, as the kernel does
    expect(rp.of(`${base}/ab/../missing/../b`)).toBe(path.join(base, 'a/b'));
    expect(rp.of(path.join(base, 'ab', 'missing', 'x'))).toBe(path.join(base, 'a/b/missing/x'));
    fs.symlinkSync('self', path.join(base, 'self'));
    expect(rp.of(path.join(base, 'self', 'x'))).toBeNull();
  });
});

describe('Windows mock: a relative symlink under a junction', () => {
  it('C:\\j -> D:\\real, C:\\j\\l -> ..\\x opens D:\\x (LinkTools used to say C:\\x)', () => {
    const m = new MockPlatform({ mode: 'windows' });
    m.fs.addVolume('D:');
    m.fs.addDir('D:\\real').addFile('D:\\x', 'on D').addFile('C:\\x', 'on C');
    m.fs.addJunction('C:\\j', 'D:\\real');
    m.fs.addSymlink('D:\\real\\l', '..\\x', 'file');
    // What the mock's own path walk (the "OS") opens.
    expect(m.fs.readFile('C:\\j\\l')).toBe('on D');
    const info = expectValid(inspect(m, 'C:\\j\\l'));
    expect(info.chain[0]).toMatchObject({ target: '..\\x', resolvedTarget: 'D:\\x' });
    expect(info).toMatchObject({ targetExists: true, finalTarget: 'D:\\x' });
    // Missing on D: is broken, even though C:\x exists.
    m.fs.addSymlink('D:\\real\\gone', '..\\nothing-here', 'file');
    m.fs.addFile('C:\\nothing-here', 'decoy');
    expect(expectValid(inspect(m, 'C:\\j\\gone'))).toMatchObject({ targetExists: false, resolvedTarget: 'D:\\nothing-here' });
    // The backend's own stat (what create uses for a target) agrees.
    expect(m.defaultBackend.stat('C:\\j\\l')).toMatchObject({ type: 'file', size: 4 });
    expect(m.defaultBackend.stat('C:\\j\\gone')).toBeNull();
  });
});

const ntfsReason = ntfsUnavailable();
if (ntfsReason) announceSkip('test/engine/core/info.linked.test.ts', `NTFS image tests cannot run: ${ntfsReason}`);

describe.skipIf(ntfsReason !== null)('NTFS (ntfs-3g image): a relative symlink under a junction', () => {
  let im: NtfsImage;
  const at = (rel: string) => path.join(im.mnt, rel);
  beforeAll(async () => {
    im = await makeImage();
    fs.mkdirSync(at('deep/real'), { recursive: true });
    fs.mkdirSync(at('top'), { recursive: true });
    fs.writeFileSync(at('deep/x.txt'), 'deep x');
    fs.writeFileSync(at('x.txt'), 'decoy x');
    // C:\top\j is a junction to C:\deep\real; C:\deep\real\l is a relative symlink to ..\x.txt.
    plantReparse(at('top/j'), true, handJunction('\\??\\C:\\deep\\real', 'C:\\deep\\real'));
    plantReparse(at('deep/real/l'), false, handSymlink('..\\x.txt', '..\\x.txt', true));
  });
  afterAll(async () => {
    await im?.cleanup();
  });

  it('C:\\top\\j\\l leads to C:\\deep\\x.txt, as Windows opens it', () => {
    const info = expectValid(inspect(createPlatform(), at('top/j/l')));
    expect(info.chain[0]).toMatchObject({ target: '..\\x.txt', resolvedTarget: at('deep/x.txt') });
    expect(info).toMatchObject({ targetExists: true, finalTarget: at('deep/x.txt'), backend: 'ntfs3g' });
    // The backend's own stat (what create uses for a target) agrees: the 6-byte deep x, not the 7-byte decoy.
    expect(createPlatform().forPath(at('top/j/l')).stat(at('top/j/l'))).toMatchObject({ type: 'file', size: 6 });
  });
});
