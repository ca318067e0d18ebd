import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLink, type CreateRequest } from '../../../engine/src/core/create.js';
import { createPlatform } from '../../../engine/src/platform/index.js';
import { expectValid } from '../helpers/contract.js';
import { build, listing, tempDir } from '../helpers/tree.js';
import { codeOf } from '../helpers/errors.js';
import { requireOrSkip } from '../helpers/capability.js';

const platform = createPlatform();
const create = (r: CreateRequest) => expectValid(createLink(platform, r));

describe('create on POSIX', () => {
  it('keeps a relative symlink target relative, exactly as given', () => {
    const d = tempDir();
    build(d, { 'sub/a.txt': 'A' });
    const r = create({ kind: 'symlink', link: path.join(d, 'sub', 'l'), target: './a.txt' });
    expect(fs.readlinkSync(path.join(d, 'sub', 'l'))).toBe('./a.txt');
    expect(r).toMatchObject({ kind: 'symlink', target: './a.txt', isRelative: true, targetType: 'file', targetExists: true });
    expect(fs.readFileSync(path.join(d, 'sub', 'l'), 'utf8')).toBe('A');
  });

  it('infers the directory type and creates an absolute directory symlink', () => {
    const d = tempDir();
    build(d, { tdir: null });
    const r = create({ kind: 'symlink', link: path.join(d, 'dl'), target: path.join(d, 'tdir') });
    expect(r.targetType).toBe('directory');
    expect(fs.statSync(path.join(d, 'dl')).isDirectory()).toBe(true);
  });

  it('needs --target-type for a target that does not exist yet, and then makes the dangling link', () => {
    const d = tempDir();
    expect(codeOf(() => createLink(platform, { kind: 'symlink', link: path.join(d, 'x'), target: 'later' }))).toBe('LT_TARGET_TYPE_REQUIRED');
    expect(listing(d)).toEqual([]);
    const r = create({ kind: 'symlink', link: path.join(d, 'x'), target: 'later', targetType: 'directory' });
    // POSIX symlinks do not record a file/directory type: with the target missing it is unknown.
    expect(r).toMatchObject({ targetExists: false, targetType: null });
    expect(fs.readlinkSync(path.join(d, 'x'))).toBe('later');
  });

  it('refuses a declared type that contradicts the existing target', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    expect(codeOf(() => createLink(platform, { kind: 'symlink', link: path.join(d, 'l'), target: 'f', targetType: 'directory' }))).toBe('LT_TARGET_TYPE_MISMATCH');
    expect(listing(d)).toEqual(['f']);
  });

  it('says junctions are unsupported on a POSIX file system and creates nothing', () => {
    const d = tempDir();
    build(d, { t: null });
    expect(codeOf(() => createLink(platform, { kind: 'junction', link: path.join(d, 'j'), target: path.join(d, 't') }))).toBe('LT_UNSUPPORTED_KIND');
    expect(codeOf(() => createLink(platform, { kind: 'junction', link: path.join(d, 'j'), target: '\\\\srv\\share' }))).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
    expect(listing(d)).toEqual(['t']);
  });

  it('makes hard links to files only, refusing directories, missing targets and symlinks', () => {
    const d = tempDir();
    build(d, { 'f.txt': 'data', dir: null });
    fs.symlinkSync('f.txt', path.join(d, 'sl'));
    const r = create({ kind: 'hardlink', link: path.join(d, 'h.txt'), target: path.join(d, 'f.txt') });
    expect(r).toMatchObject({ kind: 'hardlink', linkCount: 2 });
    expect(fs.statSync(path.join(d, 'f.txt')).nlink).toBe(2);
    expect(codeOf(() => createLink(platform, { kind: 'hardlink', link: path.join(d, 'h2'), target: path.join(d, 'dir') }))).toBe('LT_NOT_A_FILE');
    expect(codeOf(() => createLink(platform, { kind: 'hardlink', link: path.join(d, 'h3'), target: path.join(d, 'nope') }))).toBe('LT_NOT_FOUND');
    expect(codeOf(() => createLink(platform, { kind: 'hardlink', link: path.join(d, 'h4'), target: path.join(d, 'sl') }))).toBe('LT_NOT_A_FILE');
    expect(listing(d)).toEqual(['dir', 'f.txt', 'h.txt', 'sl']);
  });

  it('refuses a hard link across devices with LT_CROSS_DEVICE', (ctx) => {
    const d = tempDir();
    build(d, { 'f.txt': 'data' });
    const other = ['/dev/shm', '/run', '/proc/self/cwd'].find((p) => {
      try {
        return fs.statSync(p).dev !== fs.statSync(d).dev && fs.accessSync(p, fs.constants.W_OK) === undefined;
      } catch {
        return false;
      }
    });
    if (requireOrSkip('tmpfs', other ? null : 'no second writable file system (/dev/shm, /run) here', 'create.test.ts: cross-device hard link') || !other) {
      ctx.skip();
      return;
    }
    const link = path.join(other, `lt-xdev-${process.pid}`);
    expect(codeOf(() => createLink(platform, { kind: 'hardlink', link, target: path.join(d, 'f.txt') }))).toBe('LT_CROSS_DEVICE');
    expect(fs.existsSync(link)).toBe(false);
  });

  it('refuses an existing path without --force', () => {
    const d = tempDir();
    build(d, { a: 'A', b: 'B' });
    fs.symlinkSync('a', path.join(d, 'l'));
    expect(codeOf(() => createLink(platform, { kind: 'symlink', link: path.join(d, 'l'), target: 'b' }))).toBe('LT_EXISTS');
    expect(fs.readlinkSync(path.join(d, 'l'))).toBe('a');
  });

  it('--force replaces a link atomically and leaves no temporary entry', () => {
    const d = tempDir();
    build(d, { a: 'A', b: 'B', dir: null });
    fs.symlinkSync('dir', path.join(d, 'l'));
    const r = create({ kind: 'symlink', link: path.join(d, 'l'), target: 'b', force: true });
    expect(r.target).toBe('b');
    expect(fs.readlinkSync(path.join(d, 'l'))).toBe('b');
    expect(listing(d)).toEqual(['a', 'b', 'dir', 'l']);
  });

  it('--force never replaces a real file or directory', () => {
    const d = tempDir();
    build(d, { a: 'A', real: 'precious', realdir: null, 'realdir/inside': 'keep' });
    for (const victim of ['real', 'realdir']) {
      expect(codeOf(() => createLink(platform, { kind: 'symlink', link: path.join(d, victim), target: 'a', force: true }))).toBe('LT_EXISTS');
    }
    expect(fs.readFileSync(path.join(d, 'real'), 'utf8')).toBe('precious');
    expect(fs.readFileSync(path.join(d, 'realdir/inside'), 'utf8')).toBe('keep');
    expect(listing(d)).toEqual(['a', 'real', 'realdir', 'realdir/inside']);
  });

  it('--force that fails leaves the old link intact', () => {
    const d = tempDir();
    build(d, { a: 'A', dir: null });
    fs.symlinkSync('a', path.join(d, 'l'));
    expect(codeOf(() => createLink(platform, { kind: 'hardlink', link: path.join(d, 'l'), target: path.join(d, 'dir'), force: true }))).toBe('LT_NOT_A_FILE');
    expect(codeOf(() => createLink(platform, { kind: 'junction', link: path.join(d, 'l'), target: path.join(d, 'dir'), force: true }))).toBe('LT_UNSUPPORTED_KIND');
    expect(fs.readlinkSync(path.join(d, 'l'))).toBe('a');
    expect(listing(d)).toEqual(['a', 'dir', 'l']);
  });

  it('refuses a link whose folder does not exist', () => {
    const d = tempDir();
    expect(codeOf(() => createLink(platform, { kind: 'symlink', link: path.join(d, 'no/such/l'), target: 'x', targetType: 'file' }))).toBe('LT_NOT_FOUND');
  });
});
