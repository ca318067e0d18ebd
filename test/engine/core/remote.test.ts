/**
 * The remote-resolution model against the chart in the seed Q&A on junctions vs symbolic links
 * (/work/shared/seed). Machine names follow the seed: Alice holds the links, Bob is the client that
 * opens them over SMB, Svr is the chart's server holding links, Sv2 the chart's third machine.
 *
 * The chart, for reference ("locally" = on the machine the link is on, unless the row's link path
 * is itself a UNC path, where it means the machine that typed mklink, reaching the link over SMB):
 *
 *  link path    | target path  | (locally)     | (remotely)
 *  C:\MyLink    | C:\T_Dir     | C:\T_Dir      | [leads back to local]
 *  C:\MyJunc    | C:\T_Dir     | C:\T_Dir      | [leads to remote]
 *  \\Svr\MyLink | C:\T_Dir     | C:\T_Dir      | [leads back to local]
 *  \\Svr\MyJunc | C:\T_Dir     | *** Must create and point local ***
 *  C:\MyLink    | \\Sv2\T_Dir  | \\Sv2\T_Dir   | Error*1
 *  C:\MyJunc    | \\Sv2\T_Dir  | *** Error - Must point local ***
 *  \\Svr\MyLink | \\Sv2\T_Dir  | Error*1
 *  \\Svr\MyJunc | \\Sv2\T_Dir  | *** Must create link using target device ***
 *
 * Error*1 is "The symbolic link cannot be followed because its type is disabled."
 * (ERROR_SYMLINK_CLASS_DISABLED, 1463) under Windows' default SymlinkEvaluation policy.
 */
import { describe, expect, it } from 'vitest';
import { caught } from '../helpers/errors.js';

import type { LinkToolsError } from '../../../engine/src/errors.js';
import { SCHEMA_VERSION } from '../../../engine/src/version.js';
import { expectValid } from '../helpers/contract.js';
import {
  DEFAULT_POLICY,
  formatPolicy,
  parsePolicy,
  resolveLink,
  symlinkEvaluationClass,
  validateLinkCreation,
  type AccessContext,
  type LinkDescription,
  type Policy,
  type Resolution,
} from '../../../engine/src/core/remote/index.js';

const ALL_ON: Policy = { L2L: true, L2R: true, R2L: true, R2R: true };
const WITH_R2L: Policy = { ...DEFAULT_POLICY, R2L: true };
const WITH_R2R: Policy = { ...DEFAULT_POLICY, R2R: true };

const local: AccessContext = { mode: 'local' };
const bob = (extra: Partial<Extract<AccessContext, { mode: 'remote' }>> = {}): AccessContext => ({
  mode: 'remote',
  client: 'Bob',
  ...extra,
});
/** The chart's \\Svr\… links live in a share called Share, which is C:\Share on Svr. */
const SVR_SHARE = { name: 'Share', path: 'C:\\Share' };

const RESOLUTION_KEYS = [
  'ok',
  'mode',
  'kind',
  'resolvedBy',
  'resolvedOn',
  'evaluationClass',
  'policy',
  'accessPath',
  'resolvedTarget',
  'targetMachine',
  'targetLocalPath',
  'leadsTo',
  'errorCode',
  'osError',
  'failure',
  'reason',
].sort();

/** Every resolution: all fields present, plain JSON, one sentence of reason. */
function checked(r: Resolution): Resolution {
  expect(Object.keys(r).sort()).toEqual(RESOLUTION_KEYS);
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  // The contract's remoteResolution, as `info --remote-client` prints it inside a linkInfo record.
  const rec = { recordType: 'linkInfo', schemaVersion: SCHEMA_VERSION, path: 'C:\\l', kind: r.kind, targetType: null, target: null, resolvedTarget: null };
  expectValid({ ...rec, targetExists: null, isRelative: null, linkCount: 1, fileId: '0:0', chain: [], loop: false, backend: 'mock', remote: r });
  expect(r.reason).toMatch(/^[A-Z].*\.$/);
  expect(r.reason.slice(0, -1)).not.toMatch(/\.\s/);
  if (r.ok) {
    expect(r.leadsTo).not.toBe('none');
    expect(r.failure).toBeNull();
  } else {
    expect(r.leadsTo).toBe('none');
    expect(r.resolvedTarget).toBeNull();
    expect(r.failure).not.toBeNull();
  }
  return r;
}

function resolve(link: LinkDescription, ctx: AccessContext): Resolution {
  return checked(resolveLink(link, ctx));
}

const TYPE_DISABLED = 'The symbolic link cannot be followed because its type is disabled';

interface Row {
  /** The chart row, as link → target, and which column. */
  name: string;
  link: LinkDescription;
  ctx: AccessContext;
  expect: Partial<Resolution>;
}

// One entry per chart cell (and per policy where the cell depends on it).
const chart: Row[] = [
  // Row 1: C:\MyLink → C:\T_Dir
  {
    name: 'C:\\MyLink → C:\\T_Dir (locally): C:\\T_Dir on Alice, L2L',
    link: { kind: 'symlink', target: 'C:\\T_Dir', linkPath: 'C:\\MyLink', machine: 'Alice', targetType: 'directory' },
    ctx: local,
    expect: {
      ok: true,
      resolvedBy: 'client',
      resolvedOn: 'Alice',
      evaluationClass: 'L2L',
      accessPath: 'C:\\MyLink',
      resolvedTarget: 'C:\\T_Dir',
      targetMachine: 'Alice',
      targetLocalPath: 'C:\\T_Dir',
    },
  },
  {
    name: 'C:\\MyLink → C:\\T_Dir (remotely, default policy): Error*1, R2L is off on Bob',
    link: { kind: 'symlink', target: 'C:\\T_Dir', linkPath: 'C:\\MyLink', machine: 'Alice' },
    ctx: bob(),
    expect: {
      ok: false,
      resolvedBy: 'client',
      resolvedOn: 'Bob',
      evaluationClass: 'R2L',
      policy: 'L2L:1,L2R:1,R2L:0,R2R:0',
      accessPath: '\\\\Alice\\C$\\MyLink',
      leadsTo: 'none',
      failure: 'classDisabled',
      osError: { name: 'ERROR_SYMLINK_CLASS_DISABLED', code: 1463 },
      errorCode: 'LT_SYMLINK_CLASS_DISABLED',
    },
  },
  {
    name: "C:\\MyLink → C:\\T_Dir (remotely, R2L on): [leads back to local] — Bob's own C:\\T_Dir",
    link: { kind: 'symlink', target: 'C:\\T_Dir', linkPath: 'C:\\MyLink', machine: 'Alice' },
    ctx: bob({ policy: WITH_R2L }),
    expect: {
      ok: true,
      resolvedBy: 'client',
      resolvedOn: 'Bob',
      evaluationClass: 'R2L',
      accessPath: '\\\\Alice\\C$\\MyLink',
      resolvedTarget: 'C:\\T_Dir',
      targetMachine: 'Bob',
      targetLocalPath: 'C:\\T_Dir',
      leadsTo: 'client',
    },
  },

  // Row 2: C:\MyJunc → C:\T_Dir
  {
    name: 'C:\\MyJunc → C:\\T_Dir (locally): C:\\T_Dir on Alice',
    link: { kind: 'junction', target: 'C:\\T_Dir', linkPath: 'C:\\MyJunc', machine: 'Alice' },
    ctx: local,
    expect: {
      ok: true,
      resolvedBy: 'server',
      resolvedOn: 'Alice',
      evaluationClass: null,
      policy: null,
      resolvedTarget: 'C:\\T_Dir',
      targetMachine: 'Alice',
      leadsTo: 'server',
    },
  },
  {
    name: "C:\\MyJunc → C:\\T_Dir (remotely): [leads to remote] — Alice's folder, \\\\Alice\\C$\\T_Dir",
    link: { kind: 'junction', target: 'C:\\T_Dir', linkPath: 'C:\\MyJunc', machine: 'Alice' },
    ctx: bob(),
    expect: {
      ok: true,
      resolvedBy: 'server',
      resolvedOn: 'Alice',
      evaluationClass: null,
      accessPath: '\\\\Alice\\C$\\MyJunc',
      resolvedTarget: '\\\\Alice\\C$\\T_Dir',
      targetMachine: 'Alice',
      targetLocalPath: 'C:\\T_Dir',
      leadsTo: 'server',
    },
  },
  {
    name: 'C:\\MyJunc → C:\\T_Dir (remotely, every symlink class off): junctions ignore SymlinkEvaluation',
    link: { kind: 'junction', target: 'C:\\T_Dir', linkPath: 'C:\\MyJunc', machine: 'Alice' },
    ctx: bob({ policy: { L2L: false, L2R: false, R2L: false, R2R: false } }),
    expect: { ok: true, resolvedTarget: '\\\\Alice\\C$\\T_Dir', targetMachine: 'Alice', leadsTo: 'server' },
  },

  // Row 3: \\Svr\MyLink → C:\T_Dir (the link lives on Svr, in its share \\Svr\Share = C:\Share)
  {
    name: '\\\\Svr\\MyLink → C:\\T_Dir (on Svr itself): C:\\T_Dir on Svr, L2L',
    link: { kind: 'symlink', target: 'C:\\T_Dir', linkPath: 'C:\\Share\\MyLink', machine: 'Svr' },
    ctx: local,
    expect: { ok: true, evaluationClass: 'L2L', resolvedTarget: 'C:\\T_Dir', targetMachine: 'Svr' },
  },
  {
    name: "\\\\Svr\\MyLink → C:\\T_Dir (through \\\\Svr, R2L on): [leads back to local] — Bob's C:\\T_Dir",
    link: { kind: 'symlink', target: 'C:\\T_Dir', linkPath: 'C:\\Share\\MyLink', machine: 'Svr' },
    ctx: bob({ share: SVR_SHARE, policy: WITH_R2L }),
    expect: {
      ok: true,
      resolvedBy: 'client',
      evaluationClass: 'R2L',
      accessPath: '\\\\Svr\\Share\\MyLink',
      resolvedTarget: 'C:\\T_Dir',
      targetMachine: 'Bob',
      leadsTo: 'client',
    },
  },
  {
    name: '\\\\Svr\\MyLink → C:\\T_Dir (through \\\\Svr, default policy): the chart ignores policy here — R2L is off, so Error*1',
    link: { kind: 'symlink', target: 'C:\\T_Dir', linkPath: 'C:\\Share\\MyLink', machine: 'Svr' },
    ctx: bob({ share: SVR_SHARE }),
    expect: { ok: false, evaluationClass: 'R2L', failure: 'classDisabled', accessPath: '\\\\Svr\\Share\\MyLink' },
  },
  {
    name: "\\\\Svr\\MyLink → C:\\T_Dir (given only as the UNC path Bob uses, R2L on): Bob's C:\\T_Dir",
    link: { kind: 'symlink', target: 'C:\\T_Dir', linkPath: '\\\\Svr\\Share\\MyLink' },
    ctx: bob({ policy: WITH_R2L }),
    expect: {
      ok: true,
      evaluationClass: 'R2L',
      accessPath: '\\\\Svr\\Share\\MyLink',
      resolvedTarget: 'C:\\T_Dir',
      targetMachine: 'Bob',
      leadsTo: 'client',
    },
  },

  // Row 4: \\Svr\MyJunc → C:\T_Dir — must be created on Svr, pointing local (creation: see below)
  {
    name: '\\\\Svr\\MyJunc → C:\\T_Dir (created on Svr, on Svr itself): C:\\T_Dir on Svr',
    link: { kind: 'junction', target: 'C:\\T_Dir', linkPath: 'C:\\Share\\MyJunc', machine: 'Svr' },
    ctx: local,
    expect: { ok: true, resolvedBy: 'server', resolvedTarget: 'C:\\T_Dir', targetMachine: 'Svr', leadsTo: 'server' },
  },
  {
    name: "\\\\Svr\\MyJunc → C:\\T_Dir (created on Svr, through \\\\Svr\\Share): Svr's folder, which no share Bob knows exposes",
    link: { kind: 'junction', target: 'C:\\T_Dir', linkPath: 'C:\\Share\\MyJunc', machine: 'Svr' },
    ctx: bob({ share: SVR_SHARE }),
    expect: {
      ok: true,
      resolvedBy: 'server',
      resolvedOn: 'Svr',
      accessPath: '\\\\Svr\\Share\\MyJunc',
      resolvedTarget: null,
      targetMachine: 'Svr',
      targetLocalPath: 'C:\\T_Dir',
      leadsTo: 'server',
    },
  },
  {
    name: '\\\\Svr\\MyJunc → C:\\T_Dir (created on Svr, through \\\\Svr\\Share, T_Dir also shared): \\\\Svr\\T\\',
    link: { kind: 'junction', target: 'C:\\T_Dir', linkPath: 'C:\\Share\\MyJunc', machine: 'Svr' },
    ctx: bob({ share: SVR_SHARE, shares: [{ name: 'T', path: 'C:\\T_Dir' }] }),
    expect: { ok: true, resolvedTarget: '\\\\Svr\\T\\', targetMachine: 'Svr', targetLocalPath: 'C:\\T_Dir', leadsTo: 'server' },
  },
  {
    name: '\\\\Svr\\MyJunc → C:\\T_Dir (created on Svr, through the admin share): \\\\Svr\\C$\\T_Dir',
    link: { kind: 'junction', target: 'C:\\T_Dir', linkPath: 'C:\\Share\\MyJunc', machine: 'Svr' },
    ctx: bob(),
    expect: { ok: true, accessPath: '\\\\Svr\\C$\\Share\\MyJunc', resolvedTarget: '\\\\Svr\\C$\\T_Dir', leadsTo: 'server' },
  },

  // Row 5: C:\MyLink → \\Sv2\T_Dir
  {
    name: 'C:\\MyLink → \\\\Sv2\\T_Dir (locally): \\\\Sv2\\T_Dir via L2R, on by default',
    link: { kind: 'symlink', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\MyLink', machine: 'Alice' },
    ctx: local,
    expect: {
      ok: true,
      resolvedBy: 'client',
      resolvedOn: 'Alice',
      evaluationClass: 'L2R',
      resolvedTarget: '\\\\Sv2\\T_Dir',
      targetMachine: 'Sv2',
      targetLocalPath: null,
      leadsTo: 'third-party',
    },
  },
  {
    name: 'C:\\MyLink → \\\\Sv2\\T_Dir (remotely, default policy): Error*1, R2R is off on Bob',
    link: { kind: 'symlink', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\MyLink', machine: 'Alice' },
    ctx: bob(),
    expect: { ok: false, evaluationClass: 'R2R', failure: 'classDisabled', resolvedOn: 'Bob' },
  },
  {
    name: 'C:\\MyLink → \\\\Sv2\\T_Dir (remotely, R2R on): "this would work" — Bob opens \\\\Sv2\\T_Dir',
    link: { kind: 'symlink', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\MyLink', machine: 'Alice' },
    ctx: bob({ policy: WITH_R2R }),
    expect: {
      ok: true,
      resolvedBy: 'client',
      resolvedOn: 'Bob',
      evaluationClass: 'R2R',
      resolvedTarget: '\\\\Sv2\\T_Dir',
      targetMachine: 'Sv2',
      leadsTo: 'third-party',
    },
  },

  // Row 6: C:\MyJunc → \\Sv2\T_Dir — refused at creation (see below); a forged one does not resolve
  {
    name: 'C:\\MyJunc → \\\\Sv2\\T_Dir (forged reparse data, locally): not followed, must point local',
    link: { kind: 'junction', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\MyJunc', machine: 'Alice' },
    ctx: local,
    expect: { ok: false, failure: 'junctionTargetNotLocal', errorCode: 'LT_JUNCTION_TARGET_NOT_LOCAL', resolvedBy: 'server' },
  },

  // Row 7: \\Svr\MyLink → \\Sv2\T_Dir
  {
    name: '\\\\Svr\\MyLink → \\\\Sv2\\T_Dir (through \\\\Svr, default policy): Error*1, R2R',
    link: { kind: 'symlink', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\Share\\MyLink', machine: 'Svr' },
    ctx: bob({ share: SVR_SHARE }),
    expect: { ok: false, evaluationClass: 'R2R', failure: 'classDisabled', accessPath: '\\\\Svr\\Share\\MyLink' },
  },
  {
    name: '\\\\Svr\\MyLink → \\\\Sv2\\T_Dir (through \\\\Svr, R2R on): Bob opens \\\\Sv2\\T_Dir',
    link: { kind: 'symlink', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\Share\\MyLink', machine: 'Svr' },
    ctx: bob({ share: SVR_SHARE, policy: WITH_R2R }),
    expect: { ok: true, evaluationClass: 'R2R', resolvedTarget: '\\\\Sv2\\T_Dir', targetMachine: 'Sv2', leadsTo: 'third-party' },
  },
  {
    name: '\\\\Svr\\MyLink → \\\\Sv2\\T_Dir (through \\\\Svr, only R2L on): still Error*1 — R2L does not cover it',
    link: { kind: 'symlink', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\Share\\MyLink', machine: 'Svr' },
    ctx: bob({ share: SVR_SHARE, policy: WITH_R2L }),
    expect: { ok: false, evaluationClass: 'R2R', failure: 'classDisabled' },
  },
  {
    name: '\\\\Svr\\MyLink → \\\\Sv2\\T_Dir (on Svr itself): \\\\Sv2\\T_Dir via L2R',
    link: { kind: 'symlink', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\Share\\MyLink', machine: 'Svr' },
    ctx: local,
    expect: { ok: true, evaluationClass: 'L2R', resolvedTarget: '\\\\Sv2\\T_Dir', targetMachine: 'Sv2', leadsTo: 'third-party' },
  },

  // Row 8: \\Svr\MyJunc → \\Sv2\T_Dir — refused at creation (see below); a forged one does not resolve
  {
    name: '\\\\Svr\\MyJunc → \\\\Sv2\\T_Dir (forged reparse data, through \\\\Svr): not followed, must point local',
    link: { kind: 'junction', target: '\\\\Sv2\\T_Dir', linkPath: 'C:\\Share\\MyJunc', machine: 'Svr' },
    ctx: bob({ share: SVR_SHARE }),
    expect: { ok: false, failure: 'junctionTargetNotLocal', errorCode: 'LT_JUNCTION_TARGET_NOT_LOCAL' },
  },
];

describe('remote resolution: the seed chart, row by row', () => {
  it.each(chart.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const r = resolve(row.link, row.ctx);
    expect(r).toMatchObject(row.expect);
    if (r.failure === 'classDisabled') {
      expect(r.reason).toContain(TYPE_DISABLED);
      expect(r.reason).toContain(r.evaluationClass!);
    }
  });

  it('Error*1 says where the link would lead once the class is enabled', () => {
    const r = resolve({ kind: 'symlink', target: 'C:\\T_Dir', linkPath: 'C:\\MyLink', machine: 'Alice' }, bob());
    expect(r.reason).toContain('C:\\T_Dir on Bob');
  });

  it('C:\\MyJunc → \\\\Sv2\\T_Dir: creation is refused with LT_JUNCTION_TARGET_NOT_LOCAL (Error - Must point local)', () => {
    const err = caught(() => validateLinkCreation('junction', '\\\\Sv2\\T_Dir', 'C:\\MyJunc'));
    expect(err.code).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
    expect(err.message).toContain('\\\\Sv2\\T_Dir');
  });

  it('\\\\Svr\\MyJunc → C:\\T_Dir: creating it through \\\\Svr is refused (Must create and point local)', () => {
    const err = caught(() => validateLinkCreation('junction', 'C:\\T_Dir', '\\\\Svr\\Share\\MyJunc'));
    expect(err.code).toBe('LT_UNSUPPORTED_KIND');
    expect(err.message).toContain('Svr itself');
    // Created on Svr, pointing to a path local to Svr, it is fine.
    expect(() => validateLinkCreation('junction', 'C:\\T_Dir', 'C:\\Share\\MyJunc')).not.toThrow();
  });

  it('\\\\Svr\\MyJunc → \\\\Sv2\\T_Dir: refused, and told to create it on Sv2 (Must create link using target device)', () => {
    const err = caught(() => validateLinkCreation('junction', '\\\\Sv2\\T_Dir', '\\\\Svr\\Share\\MyJunc'));
    expect(err.code).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
    expect(err.message).toContain('Sv2 itself');
  });

  it('symbolic links of every chart row may be created, including through \\\\Svr and to \\\\Sv2, where a junction may not', () => {
    // The same (target, link path) as a junction: what the chart refuses for junctions, and why.
    const junction = (target: string, linkPath: string): string => {
      try {
        validateLinkCreation('junction', target, linkPath);
        return 'allowed';
      } catch (e) {
        return (e as LinkToolsError).code;
      }
    };
    for (const [target, linkPath, asJunction] of [
      ['C:\\T_Dir', 'C:\\MyLink', 'allowed'],
      ['C:\\T_Dir', '\\\\Svr\\Share\\MyLink', 'LT_UNSUPPORTED_KIND'],
      ['\\\\Sv2\\T_Dir', 'C:\\MyLink', 'LT_JUNCTION_TARGET_NOT_LOCAL'],
      ['\\\\Sv2\\T_Dir', '\\\\Svr\\Share\\MyLink', 'LT_JUNCTION_TARGET_NOT_LOCAL'],
    ] as const) {
      expect(validateLinkCreation('symlink', target, linkPath)).toBeUndefined();
      expect(junction(target, linkPath), `junction ${linkPath} -> ${target}`).toBe(asJunction);
    }
    // The symlink check is not a no-op: the same call with a relative link path or a drive-relative target fails.
    expect(caught(() => validateLinkCreation('symlink', 'C:\\T_Dir', 'MyLink')).code).toBe('LT_INVALID_ARGUMENT');
    expect(caught(() => validateLinkCreation('symlink', 'C:T_Dir', 'C:\\MyLink')).code).toBe('LT_INVALID_ARGUMENT');
  });
});

describe('remote resolution: relative symbolic links', () => {
  // The seed comment: D:\_tmp\data is a folder, D:\_tmp\data-link → data (mklink /d data-link data).
  const dataLink: LinkDescription = { kind: 'symlink', target: 'data', linkPath: 'D:\\_tmp\\data-link', machine: 'Alice' };

  it('D:\\_tmp\\data-link → data (locally): D:\\_tmp\\data on Alice, L2L', () => {
    expect(resolve(dataLink, local)).toMatchObject({
      ok: true,
      evaluationClass: 'L2L',
      resolvedTarget: 'D:\\_tmp\\data',
      targetMachine: 'Alice',
      targetLocalPath: 'D:\\_tmp\\data',
    });
  });

  it('D:\\_tmp\\data-link → data (locally, L2L off): Error*1 on the machine itself', () => {
    const r = resolve(dataLink, { mode: 'local', policy: { ...DEFAULT_POLICY, L2L: false } });
    expect(r).toMatchObject({ ok: false, evaluationClass: 'L2L', failure: 'classDisabled', resolvedOn: 'Alice' });
    expect(r.reason).toContain(TYPE_DISABLED);
  });

  it('D:\\_tmp\\data-link → data (remotely, default policy): the remote user cannot open it — R2L is off', () => {
    const r = resolve(dataLink, bob());
    expect(r).toMatchObject({ ok: false, evaluationClass: 'R2L', failure: 'classDisabled', accessPath: '\\\\Alice\\D$\\_tmp\\data-link' });
    expect(r.reason).toContain(TYPE_DISABLED);
  });

  it("D:\\_tmp\\data-link → data (remotely, R2L on): the data folder on the SERVER, \\\\Alice\\D$\\_tmp\\data, not Bob's D:", () => {
    expect(resolve(dataLink, bob({ policy: WITH_R2L }))).toMatchObject({
      ok: true,
      resolvedBy: 'client',
      resolvedOn: 'Bob',
      evaluationClass: 'R2L',
      resolvedTarget: '\\\\Alice\\D$\\_tmp\\data',
      targetMachine: 'Alice',
      targetLocalPath: 'D:\\_tmp\\data',
      leadsTo: 'server',
    });
  });

  it('D:\\_tmp\\data-link → data (remotely, only R2R on): still Error*1 — a relative target counts as local to the link', () => {
    expect(resolve(dataLink, bob({ policy: WITH_R2R }))).toMatchObject({ ok: false, evaluationClass: 'R2L' });
  });

  it('D:\\_tmp\\data-link → data through the share \\\\Alice\\tmp (D:\\_tmp): \\\\Alice\\tmp\\data', () => {
    expect(resolve(dataLink, bob({ share: { name: 'tmp', path: 'D:\\_tmp' }, policy: WITH_R2L }))).toMatchObject({
      ok: true,
      accessPath: '\\\\Alice\\tmp\\data-link',
      resolvedTarget: '\\\\Alice\\tmp\\data',
      targetLocalPath: 'D:\\_tmp\\data',
      leadsTo: 'server',
    });
  });

  it('..\\x climbing above a share that is not a volume root cannot be followed through that share', () => {
    const r = resolve({ kind: 'symlink', target: '..\\x', linkPath: 'D:\\_tmp\\link', machine: 'Alice' }, bob({ share: { name: 'tmp', path: 'D:\\_tmp' }, policy: ALL_ON }));
    expect(r).toMatchObject({ ok: false, failure: 'aboveShareRoot', errorCode: null, osError: null });
  });

  it('..\\..\\..\\x through the admin share stops at the volume root, as it does locally', () => {
    const link: LinkDescription = { kind: 'symlink', target: '..\\..\\..\\x', linkPath: 'D:\\_tmp\\link', machine: 'Alice' };
    expect(resolve(link, local).resolvedTarget).toBe('D:\\x');
    expect(resolve(link, bob({ policy: ALL_ON }))).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\D$\\x', targetLocalPath: 'D:\\x' });
  });

  it('a rooted target (\\T_Dir) is rooted at the volume locally and at the share remotely', () => {
    const link: LinkDescription = { kind: 'symlink', target: '\\T_Dir', linkPath: 'C:\\Share\\sub\\link', machine: 'Svr' };
    expect(resolve(link, local)).toMatchObject({ ok: true, evaluationClass: 'L2L', resolvedTarget: 'C:\\T_Dir' });
    expect(resolve(link, bob({ share: SVR_SHARE, policy: WITH_R2L }))).toMatchObject({
      ok: true,
      evaluationClass: 'R2L',
      resolvedTarget: '\\\\Svr\\Share\\T_Dir',
      targetLocalPath: 'C:\\Share\\T_Dir',
    });
  });

  it('a relative link given only by its UNC path resolves against that path; its server path is unknown', () => {
    expect(resolve({ kind: 'symlink', target: '..\\data', linkPath: '\\\\Alice\\Data\\sub\\link' }, bob({ policy: WITH_R2L }))).toMatchObject({
      ok: true,
      resolvedTarget: '\\\\Alice\\Data\\data',
      targetMachine: 'Alice',
      targetLocalPath: null,
      leadsTo: 'server',
    });
  });
});

describe('remote resolution: other target forms', () => {
  const guid = '\\\\?\\Volume{2eca078d-5cbc-43d3-aff8-7e8511f60d0e}\\';

  it('a junction to a volume GUID path may be created and resolves on the server', () => {
    expect(() => validateLinkCreation('junction', guid, 'C:\\mnt')).not.toThrow();
    expect(() => validateLinkCreation('mountPoint', guid, 'C:\\mnt')).not.toThrow();
    expect(resolve({ kind: 'junction', target: guid, linkPath: 'C:\\mnt', machine: 'Alice' }, local)).toMatchObject({
      ok: true,
      resolvedTarget: guid,
      targetMachine: 'Alice',
    });
    expect(resolve({ kind: 'mountPoint', target: guid, linkPath: 'C:\\mnt', machine: 'Alice' }, bob())).toMatchObject({
      ok: true,
      resolvedBy: 'server',
      resolvedTarget: null,
      targetLocalPath: guid,
      targetMachine: 'Alice',
      leadsTo: 'server',
    });
  });

  it('a junction to a relative path is refused at creation, and a forged one does not resolve', () => {
    for (const target of ['data', '..\\data', '\\T_Dir']) {
      expect(caught(() => validateLinkCreation('junction', target, 'C:\\MyJunc')).code).toBe('LT_INVALID_ARGUMENT');
    }
    expect(resolve({ kind: 'junction', target: '..\\data', linkPath: 'C:\\x\\MyJunc', machine: 'Alice' }, local)).toMatchObject({
      ok: false,
      failure: 'junctionTargetNotAbsolute',
      errorCode: 'LT_BAD_REPARSE_DATA',
    });
  });

  it('NT and long-path prefixes are read as the paths they stand for', () => {
    expect(resolve({ kind: 'junction', target: '\\??\\C:\\T_Dir', linkPath: 'C:\\MyJunc', machine: 'Alice' }, bob())).toMatchObject({
      resolvedTarget: '\\\\Alice\\C$\\T_Dir',
    });
    expect(caught(() => validateLinkCreation('junction', '\\\\?\\UNC\\Sv2\\T_Dir')).code).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
    expect(symlinkEvaluationClass(true, '\\??\\UNC\\Sv2\\T_Dir')).toBe('R2R');
    expect(symlinkEvaluationClass(true, '\\\\?\\C:\\T_Dir')).toBe('R2L');
    expect(symlinkEvaluationClass(false, '..\\data')).toBe('L2L');
  });

  it('a junction on D: reached through C$ is named through D$ (admin shares come together)', () => {
    expect(resolve({ kind: 'junction', target: 'D:\\T_Dir', linkPath: 'C:\\MyJunc', machine: 'Alice' }, bob())).toMatchObject({
      resolvedTarget: '\\\\Alice\\D$\\T_Dir',
    });
  });

  it('a UNC target on the holding machine leads to the server; one on the client or localhost to the client', () => {
    const on = (target: string): Resolution => resolve({ kind: 'symlink', target, linkPath: 'C:\\MyLink', machine: 'Alice' }, bob({ policy: ALL_ON }));
    expect(on('\\\\alice.corp.example\\Data\\x')).toMatchObject({ leadsTo: 'server', targetMachine: 'alice.corp.example' });
    expect(on('\\\\BOB\\Data\\x')).toMatchObject({ leadsTo: 'client' });
    expect(on('\\\\localhost\\Data\\x')).toMatchObject({ leadsTo: 'client', targetMachine: 'Bob' });
  });

  it('file and directory symbolic links resolve alike', () => {
    const base = { kind: 'symlink', target: 'C:\\T_Dir\\a.txt', linkPath: 'C:\\a.txt', machine: 'Alice' } as const;
    expect(resolve({ ...base, targetType: 'file' }, bob({ policy: WITH_R2L }))).toEqual(resolve({ ...base, targetType: 'directory' }, bob({ policy: WITH_R2L })));
  });
});

describe('remote resolution: bad input', () => {
  const link: LinkDescription = { kind: 'symlink', target: 'C:\\T_Dir', linkPath: 'C:\\MyLink', machine: 'Alice' };

  it.each([
    ['no machine for a local link path', { ...link, machine: undefined }, local],
    ['a relative link path', { ...link, linkPath: 'MyLink' }, local],
    ['an empty target', { ...link, target: '' }, local],
    ['a drive-relative target', { ...link, target: 'C:T_Dir' }, local],
    ['a UNC link path in local mode', { ...link, linkPath: '\\\\Alice\\C$\\MyLink' }, local],
    ['a share that does not hold the link', link, { mode: 'remote', client: 'Bob', share: { name: 'Data', path: 'D:\\Data' } }],
    ['a client name with a backslash', link, { mode: 'remote', client: 'Bo\\b' }],
    ['a link on a volume GUID path with no share named', { ...link, linkPath: '\\\\?\\Volume{x}\\MyLink' }, { mode: 'remote', client: 'Bob' }],
    ['a policy missing a class', link, { mode: 'local', policy: { L2L: true } as unknown as Policy }],
  ] as const)('%s → LT_INVALID_ARGUMENT', (_name, l, ctx) => {
    expect(caught(() => resolveLink(l as LinkDescription, ctx as AccessContext)).code).toBe('LT_INVALID_ARGUMENT');
  });

  it('creation: empty, drive-relative and host-only targets are refused', () => {
    for (const target of ['', 'C:T_Dir', '\\\\Sv2']) {
      expect(caught(() => validateLinkCreation('symlink', target)).code).toBe('LT_INVALID_ARGUMENT');
    }
    expect(caught(() => validateLinkCreation('symlink', 'x', 'relative\\link')).code).toBe('LT_INVALID_ARGUMENT');
  });
});

describe('SymlinkEvaluation policy', () => {
  it('the default is L2L and L2R on, R2L and R2R off', () => {
    expect(DEFAULT_POLICY).toEqual({ L2L: true, L2R: true, R2L: false, R2R: false });
    expect(formatPolicy(DEFAULT_POLICY)).toBe('L2L:1,L2R:1,R2L:0,R2R:0');
  });

  it('pairs, as fsutil takes them: unnamed classes keep the default', () => {
    expect(parsePolicy('L2L:1 L2R:1 R2L:0 R2R:0')).toEqual(DEFAULT_POLICY);
    expect(parsePolicy('R2L:1')).toEqual({ L2L: true, L2R: true, R2L: true, R2R: false });
    expect(parsePolicy('r2r:1, l2r:0')).toEqual({ L2L: true, L2R: false, R2L: false, R2R: true });
    expect(parsePolicy(['L2L:0', 'R2R:1'])).toEqual({ L2L: false, L2R: true, R2L: false, R2R: true });
  });

  it('a list of names: exactly those are enabled', () => {
    expect(parsePolicy('L2L,R2R')).toEqual({ L2L: true, L2R: false, R2L: false, R2R: true });
    expect(parsePolicy(['l2l', 'L2R', 'R2L', 'R2R'])).toEqual(ALL_ON);
    expect(parsePolicy(['R2L'])).toEqual({ L2L: false, L2R: false, R2L: true, R2R: false });
  });

  it('the text of fsutil behavior query SymlinkEvaluation', () => {
    const text = [
      'Local to local symbolic links are enabled.',
      'Local to remote symbolic links are enabled.',
      'Remote to local symbolic links are enabled.',
      'Remote to remote symbolic links are disabled.',
    ].join('\r\n');
    expect(parsePolicy(text)).toEqual({ L2L: true, L2R: true, R2L: true, R2R: false });
  });

  it('round-trips through formatPolicy', () => {
    for (const p of [DEFAULT_POLICY, ALL_ON, { L2L: false, L2R: true, R2L: false, R2R: true }]) {
      expect(parsePolicy(formatPolicy(p))).toEqual(p);
    }
  });

  it.each([
    ['', 'nothing'],
    ['   ', 'only spaces'],
    ['L2X:1', 'an unknown class'],
    ['L2L:2', 'a value other than 0/1'],
    ['L2L:yes', 'a word for a value'],
    ['L2L:1,R2R', 'pairs mixed with names'],
    ['L2L:1,L2L:0', 'a class given both ways'],
    ['R2L, bogus', 'an unknown name in a list'],
  ])('refuses %j (%s) with LT_INVALID_ARGUMENT', (spec) => {
    expect(caught(() => parsePolicy(spec)).code).toBe('LT_INVALID_ARGUMENT');
  });

  it('refuses an empty list and non-strings', () => {
    expect(caught(() => parsePolicy([])).code).toBe('LT_INVALID_ARGUMENT');
    expect(caught(() => parsePolicy([1 as unknown as string])).code).toBe('LT_INVALID_ARGUMENT');
  });
});
