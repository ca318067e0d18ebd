/**
 * Hard-link groups carry their sizes (apparent: every name counted; true: the file once, like du)
 * per group and in the scan and audit summaries, and say what is known of names outside the roots.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LinkInfo, ScanSummary } from '../../../../engine/src/contract/types.js';
import { runScan } from '../../../../engine/src/core/scan/scan.js';
import { RoutingPlatform } from '../../../../engine/src/platform/index.js';
import { PosixBackend } from '../../../../engine/src/platform/posix/backend.js';
import { cli, ensureCli } from '../../helpers/cli.js';
import { expectValid } from '../../helpers/contract.js';
import { tempDir } from '../../helpers/tree.js';

const posix = process.platform !== 'win32';

beforeAll(async () => {
  await ensureCli();
});

/** root/a (1000 bytes) with names a, sub/a2, sub/a3 and one outside the root; root/b (10 bytes) with b, b2. */
function tree() {
  const t = tempDir();
  const root = path.join(t, 'root');
  fs.mkdirSync(path.join(root, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'a'), Buffer.alloc(1000, 1));
  fs.linkSync(path.join(root, 'a'), path.join(root, 'sub', 'a2'));
  fs.linkSync(path.join(root, 'a'), path.join(root, 'sub', 'a3'));
  fs.linkSync(path.join(root, 'a'), path.join(t, 'outside'));
  fs.writeFileSync(path.join(root, 'b'), '0123456789');
  fs.linkSync(path.join(root, 'b'), path.join(root, 'b2'));
  fs.writeFileSync(path.join(root, 'single'), Buffer.alloc(5000));
  return root;
}

describe.skipIf(!posix)('hard-link group sizes', () => {
  it('scan: per group and in the summary; names outside the roots unknown with a reason', () => {
    const root = tree();
    const recs: (LinkInfo | ScanSummary)[] = [];
    runScan(
      new RoutingPlatform(new PosixBackend(), []),
      { roots: [root] },
      {
        record: (r) => recs.push(expectValid(r)),
        error: (e) => {
          throw e;
        },
      },
    );
    const summary = recs.pop() as ScanSummary;
    const sizeA = fs.statSync(path.join(root, 'a')).size;
    const sizeB = fs.statSync(path.join(root, 'b')).size;
    expect([sizeA, sizeB]).toEqual([1000, 10]);
    expect(summary.hardLinkSizes).toEqual({ apparentSize: 3 * sizeA + 2 * sizeB, trueSize: sizeA + sizeB, namesFound: 5, namesOutside: 1 });
    const a = recs.find((r) => r.recordType === 'linkInfo' && r.path === path.join(root, 'sub', 'a2')) as LinkInfo;
    expect(a.linkCount).toBe(fs.statSync(path.join(root, 'a')).nlink);
    expect(a.hardLinkGroup).toMatchObject({ namesFound: 3, apparentSize: 3000, trueSize: 1000, outside: { count: 1, names: null } });
    expect(a.hardLinkGroup!.outside.reason).toMatch(/1 other name outside the scanned roots .*POSIX.*-samefile/);
    const b = recs.find((r) => r.recordType === 'linkInfo' && r.path === path.join(root, 'b')) as LinkInfo;
    expect(b.hardLinkGroup).toEqual({ namesFound: 2, apparentSize: 20, trueSize: 10, outside: { count: 0, names: null, reason: null } });
  });

  it('audit: the summary carries the same totals', () => {
    const root = tree();
    const r = cli(['audit', root, '--fail-on', 'never']);
    expect(r.code).toBe(0);
    expect(r.records.at(-1)).toMatchObject({ recordType: 'auditSummary', hardLinkSizes: { apparentSize: 3020, trueSize: 1010, namesFound: 5, namesOutside: 1 } });
  });
});
