import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspect } from '../../../engine/src/core/info.js';
import { testLink } from '../../../engine/src/core/test.js';
import { LinkToolsError } from '../../../engine/src/errors.js';
import { createPlatform } from '../../../engine/src/platform/index.js';
import { expectValid } from '../helpers/contract.js';
import { build, tempDir } from '../helpers/tree.js';

const platform = createPlatform();
const info = (p: string) => expectValid(inspect(platform, p));

describe('info on a POSIX tree', () => {
  it('describes a relative file symlink exactly as stored', () => {
    const d = tempDir();
    build(d, { 'a.txt': 'A' });
    fs.symlinkSync('a.txt', path.join(d, 'link'));
    const r = info(path.join(d, 'link'));
    expect(r).toMatchObject({
      kind: 'symlink',
      target: 'a.txt',
      isRelative: true,
      resolvedTarget: path.join(d, 'a.txt'),
      finalTarget: path.join(d, 'a.txt'),
      targetExists: true,
      targetType: 'file',
      loop: false,
      linkCount: 1,
      backend: 'posix',
    });
    const st = fs.lstatSync(path.join(d, 'link'), { bigint: true });
    expect(r.fileId).toBe(`${st.dev}:${st.ino}`);
    expect(r.chain).toEqual([{ path: path.join(d, 'link'), kind: 'symlink', target: 'a.txt', resolvedTarget: path.join(d, 'a.txt') }]);
  });

  it('describes an absolute directory symlink', () => {
    const d = tempDir();
    build(d, { 'dir/x': 'x' });
    fs.symlinkSync(path.join(d, 'dir'), path.join(d, 'dl'));
    const r = info(path.join(d, 'dl'));
    expect(r).toMatchObject({ kind: 'symlink', isRelative: false, targetType: 'directory', targetExists: true, target: path.join(d, 'dir') });
  });

  it('reports a dangling link as not existing, with the target it names', () => {
    const d = tempDir();
    fs.symlinkSync('../nowhere/x', path.join(d, 'dangling'));
    const r = info(path.join(d, 'dangling'));
    expect(r).toMatchObject({ targetExists: false, finalTarget: null, targetType: null, resolvedTarget: path.resolve(d, '../nowhere/x') });
    expect(expectValid(testLink(platform, path.join(d, 'dangling')))).toMatchObject({ ok: false, reason: 'broken' });
  });

  it('follows a chain hop by hop', () => {
    const d = tempDir();
    build(d, { 'sub/final.txt': 'F' });
    fs.symlinkSync('sub/final.txt', path.join(d, 'c'));
    fs.symlinkSync('c', path.join(d, 'b'));
    fs.symlinkSync(path.join(d, 'b'), path.join(d, 'a'));
    const r = info(path.join(d, 'a'));
    expect(r.chain.map((h) => path.basename(h.path))).toEqual(['a', 'b', 'c']);
    expect(r.finalTarget).toBe(path.join(d, 'sub/final.txt'));
    expect(r.targetExists).toBe(true);
  });

  it('detects loops of one and of two links', () => {
    const d = tempDir();
    fs.symlinkSync('self', path.join(d, 'self'));
    fs.symlinkSync('l2', path.join(d, 'l1'));
    fs.symlinkSync('l1', path.join(d, 'l2'));
    for (const n of ['self', 'l1']) {
      const r = info(path.join(d, n));
      expect(r.loop, n).toBe(true);
      expect(r.targetExists).toBe(false);
      expect(expectValid(testLink(platform, path.join(d, n))).reason).toBe('loop');
    }
    expect(info(path.join(d, 'l1')).chain).toHaveLength(2);
  });

  it('detects a loop through an intermediate directory component', () => {
    const d = tempDir();
    fs.symlinkSync('up/x', path.join(d, 'up')); // up -> up/x : resolving needs up itself
    const r = info(path.join(d, 'up'));
    expect(r.loop || r.targetExists === false).toBe(true);
    expect(testLink(platform, path.join(d, 'up')).ok).toBe(false);
  });

  it('reports hard-linked files with their link count and identity', () => {
    const d = tempDir();
    build(d, { 'f.txt': 'data' });
    fs.linkSync(path.join(d, 'f.txt'), path.join(d, 'g.txt'));
    const a = info(path.join(d, 'f.txt'));
    const b = info(path.join(d, 'g.txt'));
    expect(a).toMatchObject({ kind: 'hardlink', linkCount: 2, targetType: 'file' });
    expect(a.fileId).toBe(b.fileId);
    expect(expectValid(testLink(platform, path.join(d, 'g.txt'))).ok).toBe(true);
  });

  it('reports plain files and directories as such', () => {
    const d = tempDir();
    build(d, { 'plain.txt': '', dir: null });
    expect(info(path.join(d, 'plain.txt'))).toMatchObject({ kind: 'file', target: null, targetExists: null, linkCount: 1 });
    expect(info(path.join(d, 'dir')).kind).toBe('directory');
    expect(testLink(platform, path.join(d, 'plain.txt'))).toMatchObject({ ok: false, reason: 'notALink' });
  });

  it('handles names with spaces, Unicode and newlines', () => {
    const d = tempDir();
    const names = ['with space.txt', 'ünïcødé-日本.txt', 'new\nline.txt', '😀 emoji'];
    for (const n of names) {
      fs.writeFileSync(path.join(d, n), n);
      fs.symlinkSync(n, path.join(d, `L ${n}`));
      const r = info(path.join(d, `L ${n}`));
      expect(r.target).toBe(n);
      expect(r.finalTarget).toBe(path.join(d, n));
      expect(r.targetExists).toBe(true);
    }
  });

  it('throws LT_NOT_FOUND for a missing path and LT_INVALID_ARGUMENT for an empty one', () => {
    const d = tempDir();
    expect(() => inspect(platform, path.join(d, 'missing'))).toThrowError(expect.objectContaining({ code: 'LT_NOT_FOUND' }));
    expect(() => inspect(platform, '')).toThrowError(LinkToolsError);
    expect(testLink(platform, path.join(d, 'missing'))).toMatchObject({ ok: false, reason: 'notFound' });
  });

  it('does not follow the last component when the path ends in a slash-less link to a directory', () => {
    const d = tempDir();
    build(d, { real: null });
    fs.symlinkSync('real', path.join(d, 'dl'));
    expect(info(path.join(d, 'dl') + '/').kind).toBe('symlink'); // trailing slash stripped, link described
  });
});
