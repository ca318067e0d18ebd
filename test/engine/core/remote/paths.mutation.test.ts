/**
 * Windows path forms and host identity as the remote model reads them (core/remote/paths.ts): cases
 * aimed at survivors of `npm run mutate -- --mutate engine/src/core/remote/paths.ts` (docs/mutation.md
 * lists the equivalent ones). Each case is also checked through the public model where the form
 * decides an outcome (creation refused, where a link leads).
 */
import { describe, expect, it } from 'vitest';

import { below, clampToRoot, isLocalAbsolute, isLoopback, joinRelative, parseTarget, sameHost, sameText } from '../../../../engine/src/core/remote/paths.js';
import { resolveLink, validateLinkCreation } from '../../../../engine/src/core/remote/index.js';
import { codeOf } from '../../helpers/errors.js';
import { ALL_ON, bobOn, onAlice } from './fixtures.js';

describe('parseTarget: the forms', () => {
  it.each([
    ['', 'invalid', ''],
    ['\\\\?\\', 'invalid', '\\\\?\\'],
    ['\\??\\', 'invalid', '\\??\\'],
    ['\\\\.\\', 'invalid', '\\\\.\\'],
    ['\\\\h', 'invalid', '\\\\h'],
    ['\\\\\\h\\s', 'invalid', '\\\\\\h\\s'],
    ['\\\\?\\C:', 'drive', 'C:\\'],
    ['\\??\\C:', 'drive', 'C:\\'],
    ['\\\\.\\C:', 'drive', 'C:\\'],
    ['\\\\?\\C:\\dir', 'drive', 'C:\\dir'],
    ['\\??\\C:\\dir\\..\\x', 'drive', 'C:\\x'],
    ['C:\\dir', 'drive', 'C:\\dir'],
    ['\\\\?\\Volume{1234}\\x', 'device', '\\\\?\\Volume{1234}\\x'],
    // "UNC\" only counts right after the prefix: further in, it is a folder of the device path.
    ['\\\\?\\Volume{1234}\\UNC\\h\\s', 'device', '\\\\?\\Volume{1234}\\UNC\\h\\s'],
    ['\\\\?\\UNC\\h\\s\\x', 'unc', '\\\\h\\s\\x'],
    ['\\\\h\\s', 'unc', '\\\\h\\s'],
    ['\\\\h\\s\\', 'unc', '\\\\h\\s\\'],
    ['//h/s/x', 'unc', '\\\\h\\s\\x'],
    ['C:dir', 'driveRelative', 'C:dir'],
    ['\\dir', 'rooted', '\\dir'],
    // A prefix or a double separator further in is not the start of a device or UNC path.
    ['a\\??\\b', 'relative', 'a\\??\\b'],
    ['a\\\\?\\b', 'relative', 'a\\?\\b'],
    ['a\\\\b', 'relative', 'a\\b'],
    ['xUNC\\h', 'relative', 'xUNC\\h'],
  ] as const)('%j is %s, %j', (raw, form, path) => {
    expect(parseTarget(raw)).toMatchObject({ form, path });
  });

  it('a UNC path names its host and share; other forms name none', () => {
    expect(parseTarget('\\\\?\\UNC\\Sv2\\T_Dir\\x')).toEqual({ form: 'unc', path: '\\\\Sv2\\T_Dir\\x', host: 'Sv2', share: 'T_Dir' });
    expect(parseTarget('\\\\?\\C:\\x')).toEqual({ form: 'drive', path: 'C:\\x' });
    expect(parseTarget('\\\\?\\Volume{1234}\\x')).toEqual({ form: 'device', path: '\\\\?\\Volume{1234}\\x' });
  });

  it('a line break inside a prefixed or UNC path: the path is refused whole, never cut at the break', () => {
    for (const raw of ['\\\\?\\C:\\a\nb', '\\\\h\\s\\a\nb', '\\\\?\\UNC\\h\\s\\a\nb']) {
      expect(parseTarget(raw), JSON.stringify(raw)).toEqual({ form: 'invalid', path: raw });
    }
  });

  it('creation refuses the empty and prefix-only forms, and accepts the prefixed drive and device forms', () => {
    for (const bad of ['\\\\?\\', '\\??\\', '\\\\.\\', '\\\\\\h\\s']) {
      expect(
        codeOf(() => validateLinkCreation('symlink', bad, 'C:\\l')),
        bad,
      ).toBe('LT_INVALID_ARGUMENT');
      expect(
        codeOf(() => validateLinkCreation('junction', bad, 'C:\\l')),
        bad,
      ).toBe('LT_INVALID_ARGUMENT');
    }
    for (const good of ['\\\\?\\C:', '\\\\?\\C:\\dir', '\\\\?\\Volume{1234}\\x']) {
      expect(
        codeOf(() => validateLinkCreation('junction', good, 'C:\\l')),
        good,
      ).toBe('no error');
    }
    // A double separator further in is a plain relative path: fine for a symlink, not for a junction.
    expect(codeOf(() => validateLinkCreation('symlink', 'a\\\\b', 'C:\\l'))).toBe('no error');
    expect(codeOf(() => validateLinkCreation('junction', 'a\\\\b', 'C:\\l'))).toBe('LT_INVALID_ARGUMENT');
  });
});

describe('local absolute forms', () => {
  it('drive and device paths are local absolute; the others are not', () => {
    expect(isLocalAbsolute('drive')).toBe(true);
    expect(isLocalAbsolute('device')).toBe(true);
    for (const f of ['unc', 'rooted', 'relative', 'driveRelative', 'invalid'] as const) expect(isLocalAbsolute(f), f).toBe(false);
  });

  it("a symbolic link to a volume GUID path names the opener's own volume, like a drive path", () => {
    const target = '\\\\?\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\x';
    const r = resolveLink(onAlice('symlink', target), bobOn(ALL_ON));
    expect(r).toMatchObject({ ok: true, resolvedTarget: target, targetMachine: 'Bob', targetLocalPath: target, leadsTo: 'client' });
    const l = resolveLink(onAlice('symlink', target), { mode: 'local' });
    expect(l).toMatchObject({ ok: true, resolvedTarget: target, targetMachine: 'Alice', targetLocalPath: target, leadsTo: 'client', evaluationClass: 'L2L' });
  });
});

describe('share names', () => {
  it('compare ignoring case only', () => {
    expect(sameText('Data', 'DATA')).toBe(true);
    expect(sameText('data', 'Data')).toBe(true);
    expect(sameText('Data', 'Date')).toBe(false);
    expect(sameText('Data', 'Data2')).toBe(false);
  });

  it('the access share given for a UNC link path applies whatever the case of its name', () => {
    const link = { kind: 'symlink' as const, target: 'x', linkPath: '\\\\Alice\\data\\dir\\link' };
    const ctx = (name: string) => ({ mode: 'remote' as const, client: 'Bob', share: { name, path: 'D:\\Data' }, policy: ALL_ON });
    for (const name of ['Data', 'DATA', 'data']) {
      expect(resolveLink(link, ctx(name)), name).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\data\\dir\\x', targetLocalPath: 'D:\\Data\\dir\\x' });
    }
    // Another share's folder says nothing about this one.
    expect(resolveLink(link, ctx('Date'))).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\data\\dir\\x', targetLocalPath: null });
  });
});

describe('host identity', () => {
  it.each([
    ['Alice', 'alice.corp.example', true],
    ['alice.corp.example.', 'ALICE', true],
    ['Alice.', 'Alice', true],
    ['web1', 'web1.corp.example', true],
    ['WEB1.corp.example', 'web1', true],
    ['1web', '1web.corp.example', true],
    ['1web.corp.example', '1WEB', true],
    ['web1', 'web2.corp.example', false],
    ['alice.corp.example', 'alice.other.example', false],
    ['10.0.0.5', '10', false],
    ['10', '10.0.0.5', false],
    ['10.0.0.5', '10.0.0.5.', true],
    // A name with a colon is an address (IPv6, or with a port), compared as text only, never as an FQDN.
    ['alice.corp.example:445', 'alice', false],
    ['alice', 'alice.corp.example:445', false],
    ['fe80::1', 'FE80::1', true],
  ] as const)('%j and %j: same machine %s', (a, b, same) => {
    expect(sameHost(a, b)).toBe(same);
    expect(sameHost(b, a)).toBe(same);
  });

  it('a UNC target on a host whose short name ends or starts with a digit leads to the holder, web1 = web1.corp.example', () => {
    for (const [holder, host] of [
      ['web1', 'web1.corp.example'],
      ['web1.corp.example', 'WEB1'],
      ['1web', '1web.corp.example'],
    ] as const) {
      const r = resolveLink({ kind: 'symlink', target: `\\\\${host}\\Data\\x`, linkPath: 'C:\\MyLink', machine: holder }, bobOn(ALL_ON));
      expect(r.leadsTo, `${holder} ${host}`).toBe('server');
    }
  });

  it('loopback: localhost, all of 127.0.0.0/8, ::1, [::1] and 0--1.ipv6-literal.net (with an optional final dot), in any case', () => {
    for (const h of [
      'localhost',
      'LocalHost',
      'localhost.',
      '127.0.0.1',
      '127.0.0.1.',
      '127.0.0.2',
      '127.0.0.10',
      '127.1.2.3',
      '127.255.255.255',
      '127.0.0.99',
      '127.0.0.199',
      '127.0.0.249',
      '::1',
      '[::1]',
      '0--1.ipv6-literal.net',
      '0--1.IPV6-LITERAL.NET.',
    ])
      expect(isLoopback(h), h).toBe(true);
    for (const h of [
      'localhost.evil.example',
      'localhost..',
      'mylocalhost',
      'localhost1',
      '127.0.0.1x',
      '0127.0.0.1',
      '127.0.0.01',
      '127.0.0.256',
      '127.0.0.300',
      '127.0.0',
      '127.0.0.1.1',
      '128.0.0.1',
      '1127.0.0.1',
      '::1x',
      '[::1',
      '0--1.ipv6-literal.net.evil',
      'x0--1.ipv6-literal.net',
      '0--1xipv6-literal.net',
      'Alice',
    ]) {
      expect(isLoopback(h), h).toBe(false);
    }
  });
});

describe('below: a path inside a folder', () => {
  it('returns the rest, on element boundaries, ignoring case and final separators', () => {
    expect(below('C:\\Data', 'C:\\Data\\x\\')).toBe('x');
    expect(below('C:\\Data\\', 'c:\\data\\x\\y')).toBe('x\\y');
    expect(below('C:\\Data\\', 'c:\\data')).toBe('');
    expect(below('C:\\Data', 'C:\\Data\\')).toBe('');
    expect(below('C:\\', 'C:\\x')).toBe('x');
    expect(below('C:\\Data', 'C:\\Database')).toBeUndefined();
    expect(below('C:\\Data', 'D:\\Data')).toBeUndefined();
  });
});

describe('joinRelative: a relative target inside a share', () => {
  it.each([
    ['a', 'b', 'a\\b'],
    ['a', 'b\\', 'a\\b'],
    ['a', '..', ''],
    ['a', '..\\', ''],
    ['a\\b', '..\\..', ''],
    ['', '.', ''],
    ['', '.\\', ''],
    ['', 'x\\..', ''],
    ['a\\b', '..\\c', 'a\\c'],
    ['', 'x', 'x'],
  ] as const)('%j + %j = %j', (dir, rel, out) => {
    expect(joinRelative(dir, rel)).toBe(out);
  });

  it.each([
    ['', '..'],
    ['', '..\\'],
    ['a', '..\\..'],
    ['a', '..\\..\\x'],
    ['', '..\\x'],
  ] as const)('%j + %j climbs above the root: null', (dir, rel) => {
    expect(joinRelative(dir, rel)).toBeNull();
  });
});

describe('clampToRoot: .. at the root stays at the root', () => {
  it.each([
    ['a', 'b', 'a\\b'],
    ['a', '..\\..\\x', 'x'],
    ['', '..\\x', 'x'],
    ['a\\b', '..', 'a'],
    ['a\\b', '..\\..', ''],
    ['', '.\\x\\\\y\\', 'x\\y'],
    ['a', '.', 'a'],
    ['', '', ''],
  ] as const)('%j + %j = %j', (dir, rel, out) => {
    expect(clampToRoot(dir, rel)).toBe(out);
  });

  it('a relative symlink through an admin share that climbs above the volume root stays on that root, as the server would read it', () => {
    const link = { kind: 'symlink' as const, target: '..\\..\\.\\x\\\\y\\', linkPath: 'D:\\_tmp\\link', machine: 'Alice' };
    expect(resolveLink(link, bobOn(ALL_ON))).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\D$\\x\\y', targetLocalPath: 'D:\\x\\y', leadsTo: 'server' });
    const toRoot = { ...link, target: '..\\..' };
    expect(resolveLink(toRoot, bobOn(ALL_ON))).toMatchObject({ ok: true, resolvedTarget: '\\\\Alice\\D$\\', targetLocalPath: 'D:\\' });
  });
});
