import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeLink } from '../../../engine/src/core/remove.js';
import { createPlatform } from '../../../engine/src/platform/index.js';
import { expectValid } from '../helpers/contract.js';
import { build, listing, tempDir } from '../helpers/tree.js';
import { codeOf } from '../helpers/errors.js';

const platform = createPlatform();

describe('remove on POSIX', () => {
  it('removes a directory symlink and never touches the target contents', () => {
    const d = tempDir();
    build(d, { 'target/a': 'A', 'target/sub/b': 'B' });
    fs.symlinkSync('target', path.join(d, 'dl'));
    const r = expectValid(removeLink(platform, path.join(d, 'dl') + '/'));
    expect(r).toMatchObject({ kind: 'symlink', target: 'target', remainingLinkCount: null, path: path.join(d, 'dl') });
    expect(listing(d)).toEqual(['target', 'target/a', 'target/sub', 'target/sub/b']);
  });

  it('removes a dangling link', () => {
    const d = tempDir();
    fs.symlinkSync('gone', path.join(d, 'l'));
    expectValid(removeLink(platform, path.join(d, 'l')));
    expect(listing(d)).toEqual([]);
  });

  it('removes one name of a hard link and reports the names left', () => {
    const d = tempDir();
    build(d, { f: 'data' });
    fs.linkSync(path.join(d, 'f'), path.join(d, 'g'));
    fs.linkSync(path.join(d, 'f'), path.join(d, 'h'));
    const r = expectValid(removeLink(platform, path.join(d, 'g')));
    expect(r).toMatchObject({ kind: 'hardlink', remainingLinkCount: 2 });
    expect(fs.statSync(path.join(d, 'f')).nlink).toBe(2);
    expect(fs.readFileSync(path.join(d, 'h'), 'utf8')).toBe('data');
  });

  it('refuses plain files and directories with LT_NOT_A_LINK', () => {
    const d = tempDir();
    build(d, { f: 'keep', 'dir/x': 'keep' });
    expect(codeOf(() => removeLink(platform, path.join(d, 'f')))).toBe('LT_NOT_A_LINK');
    expect(codeOf(() => removeLink(platform, path.join(d, 'dir')))).toBe('LT_NOT_A_LINK');
    expect(codeOf(() => removeLink(platform, path.join(d, 'missing')))).toBe('LT_NOT_FOUND');
    expect(listing(d)).toEqual(['dir', 'dir/x', 'f']);
  });
});
