import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { requireOrSkip } from '../../helpers/capability.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tree.js';

const mounted: string[] = [];

beforeAll(async () => {
  await ensureCli();
});

afterEach(() => {
  while (mounted.length) spawnSync('umount', [mounted.pop()!]);
});

/** Mount a small tmpfs at `dir`; false (with a printed reason) when this process may not mount. */
function mountTmpfs(dir: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'lt-test', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.warn(`SKIP --one-file-system: cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()})`);
    return false;
  }
  mounted.push(dir);
  return true;
}

describe('scan --one-file-system', () => {
  it('does not descend into another file system mounted inside the tree', (ctx) => {
    const root = tempDir();
    fs.symlinkSync('nowhere', path.join(root, 'here'));
    const mnt = path.join(root, 'mnt');
    if (requireOrSkip('tmpfs', mountTmpfs(mnt) ? null : 'cannot mount a tmpfs here', 'one-file-system.test.ts')) return ctx.skip();
    fs.symlinkSync('elsewhere', path.join(mnt, 'there'));
    const links = (args: string[]) =>
      cli(['scan', ...args, root])
        .records.filter((r) => r.recordType === 'linkInfo')
        .map((r) => path.relative(root, r.path as string))
        .sort();
    expect(links([])).toEqual(['here', 'mnt/there']);
    expect(links(['--one-file-system'])).toEqual(['here']);
  });
});
