/**
 * The remote model never calls an object-manager or device target ok (issue 11 item 6): junctions,
 * mount points and symbolic links to \RPC Control\…, \??\GLOBALROOT\…, \Device\…, \\.\pipe\…,
 * opened locally or by a remote client, each with a reason that says what the opener would get.
 */
import { describe, expect, it } from 'vitest';
import { inspect } from '../../../engine/src/core/info.js';
import { resolveLink, type AccessContext } from '../../../engine/src/core/remote/index.js';
import { buildMountPointBuffer, buildSymlinkBuffer } from '../../../engine/src/ntfs/index.js';
import { MockPlatform } from '../../../engine/src/platform/mock/backend.js';
import { expectValid } from '../helpers/contract.js';

const TARGETS = ['\\RPC Control\\evil', '\\??\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1\\Windows', '\\Device\\HarddiskVolume1\\x', '\\\\.\\pipe\\spool', '\\\\?\\GLOBALROOT\\Device\\Null'];
const CONTEXTS: AccessContext[] = [{ mode: 'local' }, { mode: 'remote', client: 'Bob' }, { mode: 'remote', client: 'Bob', policy: { L2L: true, L2R: true, R2L: true, R2R: true } }];

describe('remote model: object-manager and device targets are never ok', () => {
  for (const target of TARGETS) {
    for (const kind of ['junction', 'mountPoint', 'symlink'] as const) {
      for (const ctx of CONTEXTS) {
        it(`${kind} -> ${target} (${ctx.mode}${ctx.policy ? ', every class enabled' : ''})`, () => {
          const r = resolveLink({ kind, target, linkPath: 'C:\\share\\l', machine: 'Alice' }, ctx);
          expect(r).toMatchObject({ ok: false, failure: 'objectManagerTarget', leadsTo: 'none', resolvedTarget: null, osError: { name: 'ERROR_PATH_NOT_FOUND', code: 3 } });
          expect(r.resolvedBy).toBe(kind === 'symlink' ? 'client' : 'server');
          expect(r.resolvedOn).toBe(kind === 'symlink' && ctx.mode === 'remote' ? 'Bob' : 'Alice');
          const opener = ctx.mode === 'remote' ? 'Bob' : 'Alice';
          expect(r.reason).toContain('NT object manager');
          expect(r.reason).toContain(`${opener} gets ERROR_PATH_NOT_FOUND (3)`);
          expect(r.reason).toContain('planted');
        });
      }
    }
  }

  it('volume GUID, drive and UNC targets are not object-manager targets', () => {
    const ok = resolveLink({ kind: 'mountPoint', target: '\\??\\Volume{4f1c6d1e-2b3a-4c5d-8e9f-0a1b2c3d4e5f}\\', linkPath: 'C:\\mnt', machine: 'Alice' }, { mode: 'local' });
    expect(ok.ok).toBe(true);
    expect(resolveLink({ kind: 'junction', target: 'C:\\T_Dir', linkPath: 'C:\\j', machine: 'Alice' }, { mode: 'local' }).ok).toBe(true);
    expect(resolveLink({ kind: 'symlink', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\l', machine: 'Alice' }, { mode: 'local' }).failure).not.toBe('objectManagerTarget');
  });

  it('info --remote-client on a real (mock) junction into \\RPC Control reports ok: false with the reason', () => {
    const m = new MockPlatform({ mode: 'windows' });
    m.fs.addDir('C:\\share');
    m.fs.addReparse('C:\\share\\rpc', buildMountPointBuffer({ substituteName: '\\RPC Control\\evil', printName: '\\RPC Control\\evil' }), { directory: true });
    m.fs.addReparse('C:\\share\\gr', buildSymlinkBuffer({ substituteName: '\\??\\GLOBALROOT\\Device\\Null', printName: '' }));
    for (const p of ['C:\\share\\rpc', 'C:\\share\\gr']) {
      const info = expectValid(inspect(m, p, { remote: { ctx: { mode: 'remote', client: 'Bob' }, server: 'Alice' } }));
      expect(info.remote).toMatchObject({ ok: false, failure: 'objectManagerTarget' });
    }
  });
});
