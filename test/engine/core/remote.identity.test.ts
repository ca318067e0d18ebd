/**
 * The remote model's edge cases that the chart tests (remote.test.ts) leave open, written to kill
 * mutants Stryker found alive (npm run mutate -- --mutate engine/src/core/remote/model.ts):
 * - host identity: a short name and its FQDN are one machine, two FQDNs in different domains are not,
 *   IP addresses compare as text only, and only real loopback names (not look-alikes such as
 *   localhost.evil.example) lead back to the opener;
 * - SymlinkEvaluation text: fsutil's output mixed with pairs or names, partial, conflicting, in
 *   another language or case; the defaults of every form; separators.
 */
import { describe, expect, it } from 'vitest';
import { caught } from '../helpers/errors.js';

import { DEFAULT_POLICY, EVALUATION_CLASSES, formatPolicy, parsePolicy, resolveLink, symlinkEvaluationClass, type AccessContext, type Policy } from '../../../engine/src/core/remote/index.js';

const ALL_ON: Policy = { L2L: true, L2R: true, R2L: true, R2R: true };

/** A symbolic link on Alice holding a UNC target, opened by `opener` (local: Alice herself). */
function uncTarget(host: string, opener: 'local' | string, machine = 'Alice') {
  const ctx: AccessContext = opener === 'local' ? { mode: 'local', policy: ALL_ON } : { mode: 'remote', client: opener, policy: ALL_ON };
  return resolveLink({ kind: 'symlink', target: `\\\\${host}\\Data\\x`, linkPath: 'C:\\MyLink', machine }, ctx);
}

describe('host identity: which machine a UNC target names', () => {
  it.each([
    ['alice.corp.example', 'server'],
    ['ALICE', 'server'],
    ['Alice.', 'server'],
    ['alice.corp.example.', 'server'],
    ['bob.corp.example', 'client'],
    ['BOB', 'client'],
    ['Carol', 'third-party'],
    ['carol.corp.example', 'third-party'],
    ['alicex.corp.example', 'third-party'],
    ['ali', 'third-party'],
  ] as const)('\\\\%s, opened by Bob from Alice → %s', (host, leadsTo) => {
    const r = uncTarget(host, 'Bob');
    expect(r.ok).toBe(true);
    expect(r.leadsTo).toBe(leadsTo);
    expect(r.targetMachine).toBe(host);
    expect(r.resolvedTarget).toBe(`\\\\${host}\\Data\\x`);
  });

  it('an FQDN holder and a short-name target are the same machine, either way round', () => {
    expect(uncTarget('Alice', 'Bob', 'alice.corp.example').leadsTo).toBe('server');
    expect(uncTarget('alice.corp.example', 'bob.corp.example', 'Alice').leadsTo).toBe('server');
    expect(uncTarget('Bob', 'bob.corp.example').leadsTo).toBe('client');
  });

  it('two FQDNs with the same first label in different domains are different machines', () => {
    expect(uncTarget('alice.other.example', 'Bob', 'alice.corp.example').leadsTo).toBe('third-party');
    expect(uncTarget('bob.other.example', 'bob.corp.example').leadsTo).toBe('third-party');
  });

  it('IP addresses compare as text only: never as the short name of a host', () => {
    expect(uncTarget('10.0.0.5', 'Bob', '10.0.0.5').leadsTo).toBe('server');
    expect(uncTarget('10.0.0.5', 'Bob', '10.0.0.6').leadsTo).toBe('third-party');
    // A machine whose name is the first octet is not that address (10.0.0.5 is not "short for" 10).
    expect(uncTarget('10.0.0.5', 'Bob', '10').leadsTo).toBe('third-party');
    expect(uncTarget('10.0.0.5', '10').leadsTo).toBe('third-party');
    expect(uncTarget('10', 'Bob', '10.0.0.5').leadsTo).toBe('third-party');
    // IPv6 literals likewise.
    expect(uncTarget('fe80::1', 'Bob', 'fe80').leadsTo).toBe('third-party');
    // (A machine name itself cannot be an IPv6 literal: ':' is refused in host names.)
    expect(caught(() => uncTarget('fe80', 'Bob', 'fe80::1')).code).toBe('LT_INVALID_ARGUMENT');
  });

  it.each(['localhost', 'LOCALHOST', 'localhost.', '127.0.0.1', '::1', '[::1]'])('\\\\%s leads back to the opener', (host) => {
    const remote = uncTarget(host, 'Bob');
    expect(remote).toMatchObject({ ok: true, leadsTo: 'client', targetMachine: 'Bob', resolvedOn: 'Bob' });
    const local = uncTarget(host, 'local');
    expect(local).toMatchObject({ ok: true, leadsTo: 'client', targetMachine: 'Alice' });
  });

  it.each(['127.0.0.10', '127.1.2.3', '0--1.ipv6-literal.net'])('\\\\%s is loopback too (all of 127.0.0.0/8, ::1 as a UNC host): the opener itself', (host) => {
    const r = uncTarget(host, 'Bob');
    expect(r.leadsTo).toBe('client');
    expect(r.targetMachine).toBe('Bob');
  });

  it.each(['localhost.evil.example', 'evil-localhost', 'localhostx', 'xlocalhost', '0127.0.0.1', '127.0.0.256', '1127.0.0.1', '127.0.0.1.evil.example', '::10', 'x::1'])(
    '\\\\%s is a look-alike, not loopback: a third party',
    (host) => {
      const r = uncTarget(host, 'Bob');
      expect(r.leadsTo).toBe('third-party');
      expect(r.targetMachine).toBe(host);
    },
  );

  it("local mode: a third-party target is named in the reason, the opener's own name is not repeated", () => {
    const third = uncTarget('Carol', 'local');
    expect(third.leadsTo).toBe('third-party');
    expect(third.reason).toContain(' on Carol');
    const own = uncTarget('alice.corp.example', 'local');
    expect(own.leadsTo).toBe('client');
    expect(own.reason).not.toContain(' on alice.corp.example');
  });

  it('a UNC link path names its holder: the machine given must be that host (short name or FQDN), or absent', () => {
    const ctx: AccessContext = { mode: 'remote', client: 'Bob', policy: ALL_ON };
    const link = { kind: 'symlink' as const, target: 'C:\\T', linkPath: '\\\\alice.corp.example\\Data\\link' };
    expect(resolveLink({ ...link, machine: 'Alice' }, ctx).accessPath).toBe('\\\\alice.corp.example\\Data\\link');
    expect(resolveLink(link, ctx).ok).toBe(true);
    expect(caught(() => resolveLink({ ...link, machine: 'Carol' }, ctx)).code).toBe('LT_INVALID_ARGUMENT');
    expect(caught(() => resolveLink({ ...link, machine: 'alice.other.example' }, ctx)).code).toBe('LT_INVALID_ARGUMENT');
    const byIp = { ...link, linkPath: '\\\\10.0.0.5\\Data\\link' };
    expect(resolveLink({ ...byIp, machine: '10.0.0.5' }, ctx).ok).toBe(true);
    expect(caught(() => resolveLink({ ...byIp, machine: '10' }, ctx)).code).toBe('LT_INVALID_ARGUMENT');
  });
});

describe('SymlinkEvaluation: the fsutil text', () => {
  const line = (cls: string, on: boolean): string => {
    const w = (c: string) => (c === 'L' ? 'Local' : 'Remote');
    return `${w(cls[0]!)} to ${w(cls[2]!).toLowerCase()} symbolic links are ${on ? 'enabled' : 'disabled'}.`;
  };

  it('each sentence sets its own class: every one of the 16 combinations', () => {
    for (let bits = 0; bits < 16; bits++) {
      const want = Object.fromEntries(EVALUATION_CLASSES.map((c, i) => [c, (bits & (1 << i)) !== 0])) as Policy;
      const text = EVALUATION_CLASSES.map((c) => line(c, want[c])).join('\r\n');
      expect(parsePolicy(text)).toEqual(want);
      expect(parsePolicy(`${text}\r\n`)).toEqual(want);
    }
  });

  it('partial text: a class whose sentence is missing keeps the Windows default', () => {
    expect(parsePolicy(line('R2L', true))).toEqual({ L2L: true, L2R: true, R2L: true, R2R: false });
    expect(parsePolicy(line('L2L', false))).toEqual({ L2L: false, L2R: true, R2L: false, R2R: false });
    expect(parsePolicy(`${line('L2R', false)}\n${line('R2R', true)}`)).toEqual({ L2L: true, L2R: false, R2L: false, R2R: true });
  });

  it('case, spacing and a missing full stop do not matter', () => {
    expect(parsePolicy('LOCAL TO REMOTE SYMBOLIC LINKS ARE DISABLED.')).toEqual({ ...DEFAULT_POLICY, L2R: false });
    expect(parsePolicy('remote   to\tremote symbolic  links are Enabled')).toEqual({ ...DEFAULT_POLICY, R2R: true });
  });

  it('the same sentence twice with the same value is accepted; with both values it is refused', () => {
    expect(parsePolicy(`${line('R2L', true)} ${line('R2L', true)}`)).toEqual({ ...DEFAULT_POLICY, R2L: true });
    expect(caught(() => parsePolicy(`${line('R2L', true)}\n${line('R2L', false)}`)).code).toBe('LT_INVALID_ARGUMENT');
    expect(caught(() => parsePolicy(`${line('L2L', false)}\n${line('L2R', true)}\n${line('L2L', true)}`)).code).toBe('LT_INVALID_ARGUMENT');
  });

  it.each([
    ['L2L:0 Local to remote symbolic links are enabled.', 'a pair before a sentence'],
    ['Local to remote symbolic links are enabled. L2L:0', 'a pair after a sentence'],
    ['Local to remote symbolic links are enabled., R2R', 'a bare name after a sentence'],
    ['Local to local symbolic links are enabled.\nLokal zu Remote symbolische Verknüpfungen sind deaktiviert.', 'half English, half German'],
    ['Local to local symbolic links are enabled.\nThe value is garbage', 'a sentence and other words'],
  ])('refuses %j (%s) instead of dropping part of it', (spec) => {
    const err = caught(() => parsePolicy(spec));
    expect(err.code).toBe('LT_INVALID_ARGUMENT');
  });

  it.each([
    ['Lokal zu lokal symbolische Verknüpfungen sind aktiviert.', 'German'],
    ['Les liens symboliques local à distant sont activés.', 'French'],
    ['Local to local symbolic links are on.', 'an unknown state word'],
    ['Local to nowhere symbolic links are enabled.', 'an unknown place word'],
  ])('localised or altered text %j (%s) is refused, never read as the default', (spec) => {
    expect(caught(() => parsePolicy(spec)).code).toBe('LT_INVALID_ARGUMENT');
  });

  it('a sentence in an array element is not fsutil text: arrays hold pairs or names only', () => {
    expect(caught(() => parsePolicy([line('R2L', true)])).code).toBe('LT_INVALID_ARGUMENT');
  });
});

describe('SymlinkEvaluation: pairs and names', () => {
  it('pairs leave every unnamed class at the Windows default (L2L, L2R on; R2L, R2R off)', () => {
    expect(parsePolicy('R2R:1')).toEqual({ L2L: true, L2R: true, R2L: false, R2R: true });
    expect(parsePolicy('L2L:0')).toEqual({ L2L: false, L2R: true, R2L: false, R2R: false });
    expect(parsePolicy('L2R:0')).toEqual({ L2L: true, L2R: false, R2L: false, R2R: false });
    expect(parsePolicy('R2L:1')).toEqual({ L2L: true, L2R: true, R2L: true, R2R: false });
    // Turning a default off or on again keeps it so.
    expect(parsePolicy('R2L:0')).toEqual(DEFAULT_POLICY);
    expect(parsePolicy('L2L:1')).toEqual(DEFAULT_POLICY);
  });

  it('names enable exactly the named classes, everything else off', () => {
    for (const c of EVALUATION_CLASSES) {
      const want = Object.fromEntries(EVALUATION_CLASSES.map((k) => [k, k === c])) as Policy;
      expect(parsePolicy(c)).toEqual(want);
      expect(parsePolicy(c.toLowerCase())).toEqual(want);
    }
    expect(parsePolicy('L2L,L2L')).toEqual({ L2L: true, L2R: false, R2L: false, R2R: false });
  });

  it('separators: commas, semicolons, spaces, tabs, new lines, and array elements holding several items', () => {
    const want = { L2L: false, L2R: true, R2L: true, R2R: false };
    for (const s of ['L2L:0,R2L:1', 'L2L:0;R2L:1', 'L2L:0 R2L:1', 'L2L:0\tR2L:1', 'L2L:0\r\nR2L:1', ' ,L2L:0 ;; R2L:1, ']) {
      expect(parsePolicy(s)).toEqual(want);
    }
    expect(parsePolicy(['L2L:0 R2L:1'])).toEqual(want);
    expect(parsePolicy(['L2L:0', 'R2L:1'])).toEqual(want);
    expect(parsePolicy(['L2R R2L'])).toEqual({ L2L: false, L2R: true, R2L: true, R2R: false });
  });

  it('a class repeated with the same value is fine; with two values it is refused, in both forms', () => {
    expect(parsePolicy('R2R:1,R2R:1')).toEqual({ ...DEFAULT_POLICY, R2R: true });
    expect(caught(() => parsePolicy('R2R:1,R2R:0')).code).toBe('LT_INVALID_ARGUMENT');
    expect(caught(() => parsePolicy(['R2R:0', 'R2R:1'])).code).toBe('LT_INVALID_ARGUMENT');
    expect(caught(() => parsePolicy('L2L:0,L2R:1,L2L:1')).code).toBe('LT_INVALID_ARGUMENT');
  });

  it.each([['L2L:'], [':1'], ['L2L:1:0'], ['L2L::1'], ['L2L:01'], ['L2L:1 R2R'], ['R2R L2L:1'], ['L2L 1'], ['2L2L'], ['L2LL'], ['L2L:-1'], ['L2L=1']])('refuses %j', (spec) => {
    expect(caught(() => parsePolicy(spec)).code).toBe('LT_INVALID_ARGUMENT');
  });

  it('refuses what is not a string or a list of strings', () => {
    for (const bad of [42, null, undefined, {}, [null], [['L2L']], ['L2L', 1]]) {
      expect(caught(() => parsePolicy(bad as unknown as string)).code).toBe('LT_INVALID_ARGUMENT');
    }
    expect(caught(() => parsePolicy(['', ' , '])).code).toBe('LT_INVALID_ARGUMENT');
  });

  it('formatPolicy always writes all four classes, in fsutil order', () => {
    expect(formatPolicy(ALL_ON)).toBe('L2L:1,L2R:1,R2L:1,R2R:1');
    expect(formatPolicy({ L2L: false, L2R: false, R2L: false, R2R: false })).toBe('L2L:0,L2R:0,R2L:0,R2R:0');
    expect(formatPolicy({ L2L: false, L2R: true, R2L: true, R2R: false })).toBe('L2L:0,L2R:1,R2L:1,R2R:0');
  });

  it('the default policy cannot be changed by a caller', () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    const p = parsePolicy('R2R:1');
    p.L2L = false;
    expect(DEFAULT_POLICY.L2L).toBe(true);
    expect(parsePolicy('R2R:1').L2L).toBe(true);
  });
});

describe('symlinkEvaluationClass: where the opener is, and the form of the stored target', () => {
  it.each([
    [false, 'C:\\T', 'L2L'],
    [false, '..\\T', 'L2L'],
    [false, '\\T', 'L2L'],
    [false, '\\\\?\\Volume{x}\\T', 'L2L'],
    [false, '\\\\Sv2\\T', 'L2R'],
    [false, '\\\\?\\UNC\\Sv2\\T', 'L2R'],
    [false, '\\??\\UNC\\Sv2\\T', 'L2R'],
    [false, '//Sv2/T', 'L2R'],
    [true, 'C:\\T', 'R2L'],
    [true, 'T', 'R2L'],
    [true, '\\\\?\\C:\\T', 'R2L'],
    [true, '\\\\Sv2\\T', 'R2R'],
    [true, '\\\\?\\unc\\Sv2\\T', 'R2R'],
  ] as const)('remote=%s, target %s → %s', (remote, target, cls) => {
    expect(symlinkEvaluationClass(remote, target)).toBe(cls);
  });
});
