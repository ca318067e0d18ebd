/**
 * The remote model's resolution (core/remote/model.ts): cases aimed at survivors of
 * `npm run mutate -- --mutate engine/src/core/remote/model.ts` (docs/mutation.md lists the
 * equivalent ones). The seed chart, row by row, is in remote.test.ts; host identity and the
 * policy text in remote.identity.test.ts. These are the edges between: host and share names
 * refused, shares named on UNC link paths, which share names a junction's folder, object-manager
 * targets, and the SymlinkEvaluation class deciding each outcome (L2L, L2R on by default; R2L, R2R off).
 */
import { describe, expect, it } from 'vitest';

import { resolveLink, type AccessContext, type LinkDescription, type Share } from '../../../../engine/src/core/remote/index.js';
import { caught } from '../../helpers/errors.js';
import { ALL_OFF, ALL_ON, bobOn, onAlice } from './fixtures.js';

const code = (link: LinkDescription, ctx: AccessContext): string => caught(() => resolveLink(link, ctx)).code;

describe('host names', () => {
  it.each(['Bo/b', 'Bo\\b', 'Bo:b', 'Bo*b', 'Bo?b', 'Bo"b', 'Bo<b', 'Bo>b', 'Bo|b', 'Bo b', 'Bo\tb', '', ' Bob', 'Bob '])(
    'client %j is refused, and so is a link machine of that name',
    (name) => {
      expect(code(onAlice('symlink', 'C:\\T'), { mode: 'remote', client: name })).toBe('LT_INVALID_ARGUMENT');
      expect(code({ kind: 'symlink', target: 'C:\\T', linkPath: 'C:\\l', machine: name }, { mode: 'local' })).toBe('LT_INVALID_ARGUMENT');
    },
  );

  it('the error names which host is wrong: the client or the link machine', () => {
    expect(caught(() => resolveLink(onAlice('symlink', 'C:\\T'), { mode: 'remote', client: 'Bo:b' })).message).toContain('The client name "Bo:b"');
    expect(caught(() => resolveLink({ ...onAlice('symlink', 'C:\\T'), machine: 'Ali:ce' }, { mode: 'local' })).message).toContain('The link machine name "Ali:ce"');
    const unc = { kind: 'symlink' as const, target: 'x', linkPath: '\\\\Alice\\Data\\l', machine: 'Ali:ce' };
    expect(caught(() => resolveLink(unc, bobOn(ALL_ON))).message).toContain('The link machine name "Ali:ce"');
  });

  it.each([42, null, undefined, ['Bob']])('a client that is not a string (%j) is refused', (client) => {
    expect(code(onAlice('symlink', 'C:\\T'), { mode: 'remote', client: client as never })).toBe('LT_INVALID_ARGUMENT');
  });

  it('names with dots, dashes, digits and non-ASCII letters are host names', () => {
    for (const name of ['bob.corp.example', 'web-1', '10.0.0.5', 'Bøb']) {
      expect(resolveLink(onAlice('junction', 'C:\\T'), { mode: 'remote', client: name }).ok, name).toBe(true);
      expect(resolveLink({ kind: 'junction', target: 'C:\\T', linkPath: 'C:\\l', machine: name }, { mode: 'local' }).resolvedOn, name).toBe(name);
    }
  });
});

describe('bad descriptions and contexts', () => {
  it.each([null, undefined, 'C:\\l', 42])('a link description %j is refused', (link) => {
    expect(code(link as never, { mode: 'local' })).toBe('LT_INVALID_ARGUMENT');
  });

  it('a function carrying the fields of a link is not a link description', () => {
    const fn = Object.assign(() => 0, onAlice('symlink', 'C:\\T'));
    expect(code(fn as never, { mode: 'local' })).toBe('LT_INVALID_ARGUMENT');
  });

  it('an empty target is reported as empty', () => {
    expect(caught(() => resolveLink(onAlice('symlink', ''), { mode: 'local' })).message).toMatch(/empty/);
  });

  it.each(['hardlink', 'Symlink', '', undefined])('kind %j is refused', (kind) => {
    expect(code({ ...onAlice('symlink', 'C:\\T'), kind: kind as never }, { mode: 'local' })).toBe('LT_INVALID_ARGUMENT');
  });

  it.each([42, null, undefined, ''])('target %j is refused', (target) => {
    expect(code({ ...onAlice('symlink', 'C:\\T'), target: target as never }, { mode: 'local' })).toBe('LT_INVALID_ARGUMENT');
  });

  it.each([null, undefined, {}, { mode: 'Local' }, { mode: 'smb' }])('context %j is refused', (ctx) => {
    expect(code(onAlice('symlink', 'C:\\T'), ctx as never)).toBe('LT_INVALID_ARGUMENT');
  });

  it.each([undefined, 42, '', 'MyLink', '..\\MyLink', '\\MyLink', 'C:MyLink', '\\\\Alice'])('link path %j is refused in both modes', (linkPath) => {
    const link = { ...onAlice('symlink', 'C:\\T'), linkPath: linkPath as never };
    expect(code(link, { mode: 'local' })).toBe('LT_INVALID_ARGUMENT');
    expect(code(link, bobOn(ALL_ON))).toBe('LT_INVALID_ARGUMENT');
  });

  it.each(['\\\\Sv2', 'C:T', '\\\\?\\'])('target %j is not a path a link can hold', (target) => {
    for (const kind of ['symlink', 'junction'] as const) {
      expect(code(onAlice(kind, target), { mode: 'local' })).toBe('LT_INVALID_ARGUMENT');
      expect(code(onAlice(kind, target), bobOn(ALL_ON))).toBe('LT_INVALID_ARGUMENT');
    }
  });

  it('a link path on a volume GUID path resolves locally; remotely it needs a share', () => {
    const vol = '\\\\?\\Volume{2eca078d-5cbc-43d3-aff8-7e8511f60d0e}\\';
    const link = onAlice('junction', 'C:\\T', `${vol}dir\\link`);
    expect(resolveLink(link, { mode: 'local' })).toMatchObject({ ok: true, accessPath: `${vol}dir\\link`, resolvedTarget: 'C:\\T' });
    expect(code(link, bobOn())).toBe('LT_INVALID_ARGUMENT');
    expect(resolveLink(link, bobOn(undefined, { share: { name: 'Vol', path: vol } }))).toMatchObject({ ok: true, accessPath: '\\\\Alice\\Vol\\dir\\link' });
  });
});

describe('shares', () => {
  const share = (s: unknown): AccessContext => bobOn(ALL_ON, { share: s as Share });

  it.each([
    { path: 'D:\\Data' },
    { name: 42, path: 'D:\\Data' },
    { name: '', path: 'D:\\Data' },
    { name: 'Da/ta', path: 'D:\\Data' },
    { name: 'Da\\ta', path: 'D:\\Data' },
    { name: 'Da:ta', path: 'D:\\Data' },
    { name: 'Da*ta', path: 'D:\\Data' },
    { name: 'Da?ta', path: 'D:\\Data' },
    { name: 'Da"ta', path: 'D:\\Data' },
    { name: 'Da<ta', path: 'D:\\Data' },
    { name: 'Da>ta', path: 'D:\\Data' },
    { name: 'Da|ta', path: 'D:\\Data' },
    { name: 'Data' },
    { name: 'Data', path: 42 },
    { name: 'Data', path: 'Data' },
    { name: 'Data', path: '\\Data' },
    { name: 'Data', path: '\\\\Alice\\Data' },
    { name: 'Data', path: 'D:Data' },
  ])('the access share %j is refused', (s) => {
    expect(code(onAlice('symlink', 'x', 'D:\\Data\\link'), share(s))).toBe('LT_INVALID_ARGUMENT');
  });

  it('a share name may hold spaces and dots; its folder is read as a path (prefix, separators, final separator)', () => {
    for (const path of ['D:\\Data', 'D:\\Data\\', 'D:/Data', '\\\\?\\D:\\Data', 'd:\\data']) {
      const r = resolveLink(onAlice('symlink', 'x', 'D:\\Data\\sub\\link'), share({ name: 'My Data.1', path }));
      expect(r, path).toMatchObject({ ok: true, accessPath: '\\\\Alice\\My Data.1\\sub\\link', resolvedTarget: '\\\\Alice\\My Data.1\\sub\\x' });
    }
  });

  it('a link at the very folder a share exposes is reached as the share root', () => {
    const r = resolveLink(onAlice('junction', 'C:\\T', 'D:\\Data'), share({ name: 'Data', path: 'D:\\Data' }));
    expect(r).toMatchObject({ ok: true, accessPath: '\\\\Alice\\Data\\' });
  });

  it('a link outside the share is refused, also one whose name merely starts with the share folder', () => {
    expect(code(onAlice('symlink', 'x', 'D:\\Database\\link'), share({ name: 'Data', path: 'D:\\Data' }))).toBe('LT_INVALID_ARGUMENT');
    expect(code(onAlice('symlink', 'x', 'C:\\Data\\link'), share({ name: 'Data', path: 'D:\\Data' }))).toBe('LT_INVALID_ARGUMENT');
  });

  it('a reachable-share entry that is not valid is refused when it is needed', () => {
    const ctx = bobOn(ALL_ON, { share: { name: 'Data', path: 'D:\\Data' }, shares: [{ name: 'T', path: 'T_Dir' }] });
    expect(code(onAlice('junction', 'C:\\T_Dir', 'D:\\Data\\j'), ctx)).toBe('LT_INVALID_ARGUMENT');
  });

  it('the error names which share is wrong: the access share or a reachable one', () => {
    const link = onAlice('junction', 'C:\\T_Dir', 'D:\\Data\\j');
    expect(caught(() => resolveLink(link, bobOn(ALL_ON, { share: { name: 'Da:ta', path: 'D:\\Data' } }))).message).toContain('The access share name "Da:ta"');
    expect(caught(() => resolveLink(link, bobOn(ALL_ON, { share: { name: 'Data', path: 'Data' } }))).message).toContain('The access share "Data"');
    const reach = bobOn(ALL_ON, { share: { name: 'Data', path: 'D:\\Data' }, shares: [{ name: 'T', path: 'T_Dir' }] });
    expect(caught(() => resolveLink(link, reach)).message).toContain('The reachable share "T"');
    const unc = { kind: 'symlink' as const, target: 'x', linkPath: '\\\\Alice\\Data\\l' };
    expect(caught(() => resolveLink(unc, bobOn(ALL_ON, { share: { name: 'data', path: 'x' } }))).message).toContain('The access share "data"');
  });
});

describe('a link given by the UNC path the client uses', () => {
  const at = (linkPath: string, target = 'x', machine?: string): LinkDescription => ({ kind: 'symlink', target, linkPath, ...(machine ? { machine } : {}) });

  it('needs remote mode', () => {
    expect(code(at('\\\\Alice\\Data\\link'), { mode: 'local' })).toBe('LT_INVALID_ARGUMENT');
  });

  it('through an admin share, its local folder is that drive (any case of the letter)', () => {
    for (const s of ['D$', 'd$']) {
      const r = resolveLink(at(`\\\\Alice\\${s}\\_tmp\\link`), bobOn(ALL_ON));
      expect(r, s).toMatchObject({ ok: true, resolvedTarget: `\\\\Alice\\${s}\\_tmp\\x`, targetLocalPath: 'D:\\_tmp\\x', targetMachine: 'Alice' });
    }
  });

  it('through another share, its local folder is known only from an access share of that name', () => {
    expect(resolveLink(at('\\\\Alice\\Data\\link'), bobOn(ALL_ON)).targetLocalPath).toBeNull();
    const named = resolveLink(at('\\\\Alice\\Data\\link'), bobOn(ALL_ON, { share: { name: 'Data', path: 'D:\\Data' } }));
    expect(named).toMatchObject({ ok: true, targetLocalPath: 'D:\\Data\\x' });
    // A share of another name gives nothing, and is not checked (it is not the one used).
    expect(resolveLink(at('\\\\Alice\\Data\\link'), bobOn(ALL_ON, { share: { name: 'Other', path: 'bad' } })).targetLocalPath).toBeNull();
  });

  it('a link machine named with the path is checked against its host; absent, the host is the machine', () => {
    expect(resolveLink(at('\\\\Alice\\Data\\link'), bobOn(ALL_ON)).targetMachine).toBe('Alice');
    expect(resolveLink(at('\\\\alice.corp.example\\Data\\link', 'x', 'Alice'), bobOn(ALL_ON)).targetMachine).toBe('Alice');
    expect(code(at('\\\\Alice\\Data\\link', 'x', 'Carol'), bobOn(ALL_ON))).toBe('LT_INVALID_ARGUMENT');
    expect(code(at('\\\\Alice\\Data\\link', 'x', 'Bo:b'), bobOn(ALL_ON))).toBe('LT_INVALID_ARGUMENT');
  });

  it('a junction given by its UNC path resolves on its host, named through the same share', () => {
    const r = resolveLink({ kind: 'junction', target: 'D:\\_tmp\\T', linkPath: '\\\\Alice\\D$\\_tmp\\j' }, bobOn());
    expect(r).toMatchObject({ ok: true, resolvedBy: 'server', resolvedOn: 'Alice', resolvedTarget: '\\\\Alice\\D$\\_tmp\\T', targetLocalPath: 'D:\\_tmp\\T' });
    // Through a non-admin share with no folder known, the server's folder has no UNC name.
    const plain = resolveLink({ kind: 'junction', target: 'D:\\_tmp\\T', linkPath: '\\\\Alice\\Data\\j' }, bobOn());
    expect(plain).toMatchObject({ ok: true, resolvedTarget: null, targetLocalPath: 'D:\\_tmp\\T' });
  });
});

describe("naming a junction's folder as a UNC path", () => {
  const data: Share = { name: 'Data', path: 'D:\\Data' };

  it('the deepest share holding the folder wins; the access share wins a tie', () => {
    const shares: Share[] = [
      { name: 'All', path: 'D:\\' },
      { name: 'Deep', path: 'D:\\Data\\T' },
      { name: 'Mid', path: 'D:\\Data\\' },
    ];
    const r = resolveLink(onAlice('junction', 'D:\\Data\\T\\x', 'D:\\Data\\j'), bobOn(undefined, { share: data, shares }));
    expect(r.resolvedTarget).toBe('\\\\Alice\\Deep\\x');
    const tie = resolveLink(onAlice('junction', 'D:\\Data\\x', 'D:\\Data\\j'), bobOn(undefined, { share: data, shares }));
    expect(tie.resolvedTarget).toBe('\\\\Alice\\Data\\x');
    const atRoot = resolveLink(onAlice('junction', 'D:\\Data\\T', 'D:\\Data\\j'), bobOn(undefined, { share: data, shares }));
    expect(atRoot.resolvedTarget).toBe('\\\\Alice\\Deep\\');
  });

  it('a deeper share wins over an access share at the volume root, whose path ends in a separator', () => {
    const r = resolveLink(onAlice('junction', 'D:\\Data\\T\\x', 'D:\\j'), bobOn(undefined, { shares: [{ name: 'Deep', path: 'D:\\Data\\T' }] }));
    expect(r.resolvedTarget).toBe('\\\\Alice\\Deep\\x');
  });

  it('shares on a volume GUID path: the deeper one wins, by one folder level', () => {
    const vol = '\\\\?\\Volume{2eca078d-5cbc-43d3-aff8-7e8511f60d0e}\\';
    const ctx = bobOn(undefined, { share: { name: 'Vol', path: vol }, shares: [{ name: 'D1', path: `${vol}d` }] });
    expect(resolveLink(onAlice('junction', `${vol}d\\x`, `${vol}j`), ctx).resolvedTarget).toBe('\\\\Alice\\D1\\x');
    expect(resolveLink(onAlice('junction', `${vol}e\\x`, `${vol}j`), ctx).resolvedTarget).toBe('\\\\Alice\\Vol\\e\\x');
  });

  it('a share whose folder merely starts with the same letters does not hold it', () => {
    const r = resolveLink(onAlice('junction', 'D:\\Database\\x', 'D:\\Data\\j'), bobOn(undefined, { share: data, shares: [{ name: 'DB', path: 'D:\\Database' }] }));
    expect(r.resolvedTarget).toBe('\\\\Alice\\DB\\x');
    expect(resolveLink(onAlice('junction', 'D:\\Database\\x', 'D:\\Data\\j'), bobOn(undefined, { share: data })).resolvedTarget).toBeNull();
  });

  it('admin shares of other drives are assumed only when the client came in through an admin share', () => {
    expect(resolveLink(onAlice('junction', 'E:\\T', 'C:\\j'), bobOn()).resolvedTarget).toBe('\\\\Alice\\E$\\T');
    expect(resolveLink(onAlice('junction', 'E:\\T', 'C:\\j'), bobOn(undefined, { share: { name: 'c$', path: 'C:\\' } })).resolvedTarget).toBe('\\\\Alice\\E$\\T');
    expect(resolveLink(onAlice('junction', 'E:\\T', 'D:\\Data\\j'), bobOn(undefined, { share: data })).resolvedTarget).toBeNull();
    // A volume GUID folder has no admin share.
    const vol = '\\\\?\\Volume{2eca078d-5cbc-43d3-aff8-7e8511f60d0e}\\T';
    expect(resolveLink(onAlice('junction', vol, 'C:\\j'), bobOn()).resolvedTarget).toBeNull();
  });

  it('the junction resolution names the server on every field, and ignores the policy', () => {
    for (const policy of [ALL_ON, ALL_OFF, undefined]) {
      expect(resolveLink(onAlice('junction', 'C:\\T', 'C:\\j'), bobOn(policy))).toEqual({
        mode: 'remote',
        kind: 'junction',
        accessPath: '\\\\Alice\\C$\\j',
        ok: true,
        resolvedBy: 'server',
        resolvedOn: 'Alice',
        evaluationClass: null,
        policy: null,
        resolvedTarget: '\\\\Alice\\C$\\T',
        targetMachine: 'Alice',
        targetLocalPath: 'C:\\T',
        leadsTo: 'server',
        errorCode: null,
        osError: null,
        failure: null,
        reason: expect.any(String),
      });
    }
  });

  it('the reason says how the client reaches the folder, or that no known share exposes it', () => {
    expect(resolveLink(onAlice('junction', 'C:\\T', 'C:\\j'), bobOn()).reason).toContain("Bob reaches the server's own folder C:\\T as \\\\Alice\\C$\\T.");
    const hidden = resolveLink(onAlice('junction', 'C:\\T', 'D:\\Data\\j'), bobOn(undefined, { share: { name: 'Data', path: 'D:\\Data' } }));
    expect(hidden.resolvedTarget).toBeNull();
    expect(hidden.reason).toContain('can reach C:\\T directly only if a share exposes it');
  });

  it('a junction to a rooted path does not resolve (not absolute), nor one to a UNC path (not local)', () => {
    expect(resolveLink(onAlice('junction', '\\T'), { mode: 'local' })).toMatchObject({
      ok: false,
      failure: 'junctionTargetNotAbsolute',
      errorCode: 'LT_BAD_REPARSE_DATA',
      osError: null,
      resolvedBy: 'server',
      resolvedOn: 'Alice',
    });
    expect(resolveLink(onAlice('mountPoint', '\\\\Sv2\\T'), bobOn())).toMatchObject({ ok: false, failure: 'junctionTargetNotLocal', resolvedOn: 'Alice', evaluationClass: null, policy: null });
  });
});

describe('object-manager targets', () => {
  it.each(['\\RPC Control\\x', '\\??\\GLOBALROOT\\Device\\x', '\\Device\\HarddiskVolume1\\x', '\\\\.\\pipe\\x', '\\\\.\\PhysicalDrive0'])(
    'a symbolic link to %j never resolves; the opener looks it up, under its class and policy',
    (target) => {
      const remote = resolveLink(onAlice('symlink', target), bobOn(ALL_ON));
      expect(remote).toEqual({
        mode: 'remote',
        kind: 'symlink',
        accessPath: '\\\\Alice\\C$\\MyLink',
        ok: false,
        resolvedBy: 'client',
        resolvedOn: 'Bob',
        evaluationClass: 'R2L',
        policy: 'L2L:1,L2R:1,R2L:1,R2R:1',
        resolvedTarget: null,
        targetMachine: null,
        targetLocalPath: null,
        leadsTo: 'none',
        errorCode: null,
        osError: { name: 'ERROR_PATH_NOT_FOUND', code: 3 },
        failure: 'objectManagerTarget',
        reason: expect.any(String),
      });
      expect(remote.reason).toMatch(/^The symbolic link points into the NT object manager/);
      const local = resolveLink(onAlice('symlink', target), { mode: 'local' });
      expect(local).toMatchObject({
        mode: 'local',
        ok: false,
        resolvedBy: 'client',
        resolvedOn: 'Alice',
        evaluationClass: 'L2L',
        policy: 'L2L:1,L2R:1,R2L:0,R2R:0',
        failure: 'objectManagerTarget',
      });
    },
  );

  it.each(['junction', 'mountPoint'] as const)('a %s to the object manager is looked up by the server, with no class or policy', (kind) => {
    const r = resolveLink(onAlice(kind, '\\??\\GLOBALROOT\\Device\\x', 'C:\\j'), bobOn(ALL_OFF));
    expect(r).toMatchObject({
      kind,
      ok: false,
      resolvedBy: 'server',
      resolvedOn: 'Alice',
      evaluationClass: null,
      policy: null,
      failure: 'objectManagerTarget',
      osError: { name: 'ERROR_PATH_NOT_FOUND', code: 3 },
    });
    expect(r.reason).toContain(kind === 'junction' ? 'The junction points' : 'The mount point points');
  });
});

describe('symbolic links: the class decides, and the rest of the record follows', () => {
  const classOf = (target: string, ctx: AccessContext) => resolveLink(onAlice('symlink', target, 'C:\\dir\\MyLink'), ctx).evaluationClass;

  it('L2L, L2R on by default; R2L, R2R off', () => {
    const local = { mode: 'local' } as const;
    expect(resolveLink(onAlice('symlink', 'C:\\T'), local)).toMatchObject({ ok: true, evaluationClass: 'L2L', policy: 'L2L:1,L2R:1,R2L:0,R2R:0' });
    expect(resolveLink(onAlice('symlink', '\\\\Sv2\\T'), local)).toMatchObject({ ok: true, evaluationClass: 'L2R' });
    expect(resolveLink(onAlice('symlink', 'C:\\T'), bobOn())).toMatchObject({ ok: false, evaluationClass: 'R2L', failure: 'classDisabled' });
    expect(resolveLink(onAlice('symlink', '\\\\Sv2\\T'), bobOn())).toMatchObject({ ok: false, evaluationClass: 'R2R', failure: 'classDisabled' });
  });

  it('each class switched off alone stops exactly its links', () => {
    const cases = [
      ['C:\\T', { mode: 'local' }, 'L2L'],
      ['..\\T', { mode: 'local' }, 'L2L'],
      ['\\T', { mode: 'local' }, 'L2L'],
      ['\\\\Sv2\\T', { mode: 'local' }, 'L2R'],
      ['C:\\T', bobOn(), 'R2L'],
      ['..\\T', bobOn(), 'R2L'],
      ['\\T', bobOn(), 'R2L'],
      ['\\\\Sv2\\T', bobOn(), 'R2R'],
    ] as const;
    for (const [target, ctx, cls] of cases) {
      expect(classOf(target, ctx), target).toBe(cls);
      for (const off of ['L2L', 'L2R', 'R2L', 'R2R'] as const) {
        const r = resolveLink(onAlice('symlink', target, 'C:\\dir\\MyLink'), { ...ctx, policy: { ...ALL_ON, [off]: false } });
        expect(r.ok, `${target} ${ctx.mode} ${off} off`).toBe(off !== cls);
        if (off === cls) {
          expect(r).toMatchObject({ failure: 'classDisabled', errorCode: 'LT_SYMLINK_CLASS_DISABLED', osError: { name: 'ERROR_SYMLINK_CLASS_DISABLED', code: 1463 } });
          expect(r.reason).toContain(`(${cls})`);
        }
      }
    }
  });

  it('a policy that is not a complete set of booleans is refused', () => {
    for (const policy of [
      { ...ALL_ON, R2R: 1 },
      { L2L: true, L2R: true, R2L: true },
    ]) {
      expect(code(onAlice('symlink', 'C:\\T'), bobOn(policy as never))).toBe('LT_INVALID_ARGUMENT');
    }
  });

  it('a local relative or rooted target resolves against the link folder on the same machine', () => {
    expect(resolveLink(onAlice('symlink', '..\\T', 'C:\\a\\b\\l'), { mode: 'local' })).toMatchObject({
      ok: true,
      resolvedTarget: 'C:\\a\\T',
      targetMachine: 'Alice',
      targetLocalPath: 'C:\\a\\T',
      leadsTo: 'client',
    });
    expect(resolveLink(onAlice('symlink', '\\T\\x', 'D:\\a\\b\\l'), { mode: 'local' })).toMatchObject({ ok: true, resolvedTarget: 'D:\\T\\x', targetLocalPath: 'D:\\T\\x' });
    expect(resolveLink(onAlice('symlink', '.\\T\\..\\U\\', 'C:\\a\\l'), { mode: 'local' }).resolvedTarget).toBe('C:\\a\\U\\');
  });

  it('remotely, a rooted target is the root of the share; the reason says so when the share is not a volume root', () => {
    const share = { name: 'Data', path: 'D:\\Data' };
    const r = resolveLink(onAlice('symlink', '\\T', 'D:\\Data\\a\\l'), bobOn(ALL_ON, { share }));
    expect(r).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\Data\\T', targetLocalPath: 'D:\\Data\\T', leadsTo: 'server', targetMachine: 'Alice' });
    expect(r.reason).toContain('root of the share, not of the server');
    const admin = resolveLink(onAlice('symlink', '\\T', 'D:\\Data\\a\\l'), bobOn(ALL_ON));
    expect(admin).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\D$\\T', targetLocalPath: 'D:\\T' });
    expect(admin.reason).not.toContain('root of the share');
    // Through a UNC link path with no folder known, the note stays: the share may not be a volume root.
    const unc = resolveLink({ kind: 'symlink', target: '\\T', linkPath: '\\\\Alice\\Data\\a\\l' }, bobOn(ALL_ON));
    expect(unc).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\Data\\T', targetLocalPath: null });
    expect(unc.reason).toContain('root of the share');
    // A relative target never gets the note, and a rooted one through an admin share ends at the server's name.
    expect(resolveLink(onAlice('symlink', 'T', 'D:\\Data\\a\\l'), bobOn(ALL_ON, { share })).reason).toMatch(/leads to \\\\Alice\\Data\\a\\T on the server Alice\.$/);
    expect(admin.reason).toMatch(/on the server Alice\.$/);
  });

  it('remotely, a relative target to the share root itself names the root', () => {
    const share = { name: 'Data', path: 'D:\\Data' };
    expect(resolveLink(onAlice('symlink', '..', 'D:\\Data\\a\\l'), bobOn(ALL_ON, { share }))).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\Data\\', targetLocalPath: 'D:\\Data' });
    expect(resolveLink(onAlice('symlink', '..', 'D:\\a\\l'), bobOn(ALL_ON))).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\D$\\', targetLocalPath: 'D:\\' });
  });

  it('climbing above a share is followed only when the share is a volume root (known)', () => {
    const link = onAlice('symlink', '..\\..\\x', 'D:\\Data\\l');
    expect(resolveLink(link, bobOn(ALL_ON, { share: { name: 'Data', path: 'D:\\Data' } }))).toMatchObject({
      ok: false,
      failure: 'aboveShareRoot',
      errorCode: null,
      osError: null,
      resolvedOn: 'Bob',
    });
    expect(resolveLink(link, bobOn(ALL_ON, { share: { name: 'DD', path: 'D:\\' } }))).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\DD\\x', targetLocalPath: 'D:\\x' });
    const unc = resolveLink({ kind: 'symlink', target: '..\\..\\x', linkPath: '\\\\Alice\\Data\\l' }, bobOn(ALL_ON));
    expect(unc).toMatchObject({ ok: false, failure: 'aboveShareRoot' });
    const admin = resolveLink({ kind: 'symlink', target: '..\\..\\x', linkPath: '\\\\Alice\\D$\\l' }, bobOn(ALL_ON));
    expect(admin).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\D$\\x', targetLocalPath: 'D:\\x' });
  });

  it('the class check comes after the path: a disabled class still names where the link would lead', () => {
    const r = resolveLink(onAlice('symlink', '\\\\Sv2\\T'), bobOn());
    expect(r.reason).toContain('\\\\Sv2\\T on Sv2');
    const loop = resolveLink(onAlice('symlink', '\\\\localhost\\T'), bobOn());
    expect(loop.reason).toContain('\\\\localhost\\T on Bob');
  });

  it('the reason names the rule that applied', () => {
    expect(resolveLink(onAlice('symlink', '\\\\Sv2\\T'), bobOn(ALL_ON)).reason).toContain('with its own credentials');
    expect(resolveLink(onAlice('symlink', 'C:\\T'), bobOn(ALL_ON)).reason).toContain("leads back to Bob's own disk, not to Alice's");
    expect(resolveLink(onAlice('symlink', 'T'), bobOn(ALL_ON)).reason).toContain('on the server Alice');
    expect(resolveLink(onAlice('symlink', 'T'), { mode: 'local' }).reason).toContain('resolved by Alice itself');
  });
});
