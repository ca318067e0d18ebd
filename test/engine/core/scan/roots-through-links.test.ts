/**
 * Roots given through a link: a root that is a link is reported and not entered (find -P), so a
 * second root below it (`scan L L/sub` with L -> a folder) is not "inside" a walked root and must be
 * walked itself, with the same records as when it is given alone. Checked with one thread and two.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScan } from '../../../../engine/src/core/scan/scan.js';
import { RoutingPlatform } from '../../../../engine/src/platform/index.js';
import { PosixBackend } from '../../../../engine/src/platform/posix/backend.js';
import { expectValid } from '../../helpers/contract.js';
import { tempDir } from '../../helpers/tree.js';

const saved = process.env.LINKTOOLS_SCAN_THREADS;
afterEach(() => {
  if (saved === undefined) delete process.env.LINKTOOLS_SCAN_THREADS;
  else process.env.LINKTOOLS_SCAN_THREADS = saved;
});

function links(roots: string[]): string[] {
  const out: string[] = [];
  runScan(
    new RoutingPlatform(new PosixBackend(), []),
    { roots, kinds: ['symlink'] },
    { record: (r) => void (expectValid(r).recordType === 'linkInfo' && out.push((r as { path: string }).path)), error: (e) => out.push(`error ${e.code} ${e.path}`) },
  );
  return out;
}

describe.skipIf(process.platform === 'win32')('a root below a root that is a link', () => {
  it.each(['1', '2'])('is walked (threads: %s)', (n) => {
    process.env.LINKTOOLS_SCAN_THREADS = n;
    const t = tempDir('lt-rtl-');
    fs.mkdirSync(path.join(t, 'real/sub/deeper'), { recursive: true });
    fs.symlinkSync('x', path.join(t, 'real/sub/l1'));
    fs.symlinkSync('y', path.join(t, 'real/sub/deeper/l2'));
    fs.symlinkSync(path.join(t, 'real'), path.join(t, 'L'));
    const L = path.join(t, 'L');
    const alone = links([path.join(L, 'sub')]);
    expect(alone).toEqual([path.join(L, 'sub/l1'), path.join(L, 'sub/deeper/l2')]);
    // The link root itself, then everything below L/sub.
    expect(links([L, path.join(L, 'sub')])).toEqual([L, ...alone]);
    // A real folder still swallows a root inside it (walked once).
    expect(links([path.join(t, 'real'), path.join(t, 'real/sub')])).toEqual([path.join(t, 'real/sub/l1'), path.join(t, 'real/sub/deeper/l2')]);
  });
});
