/**
 * The skip rules themselves (test/engine/helpers/capability.ts, build/check-skips.mjs): outside CI a
 * missing capability skips with a printed reason; under CI=true it fails; another OS's tests skip
 * everywhere; build/test-all.sh refuses, under CI, every skip build/allowed-skips.txt does not allow.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { MissingCapability, inCi, platformOnly, requireOrSkip } from './capability.js';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { allowedPatterns, disallowedSkips } from '../../../build/check-skips.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('requireOrSkip', () => {
  afterEach(() => vi.restoreAllMocks());

  it('present: no skip, nothing printed, in CI or not', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(requireOrSkip('ntfs', null, 'x', {})).toBe(false);
    expect(requireOrSkip('ntfs', null, 'x', { CI: 'true' })).toBe(false);
    expect(err).not.toHaveBeenCalled();
  });

  it('missing outside CI: skips and prints the reason', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(requireOrSkip('gnu-find', 'find is BusyBox', 'scan.test.ts', {})).toBe(true);
    expect(String(err.mock.calls.map((c) => c[0]).join(''))).toMatch(/SKIPPED scan\.test\.ts: needs gnu-find: find is BusyBox/);
  });

  it.each(['true', 'TRUE', '1', 'yes'])('missing under CI=%s: fails with the capability and the reason', (ci) => {
    expect(() => requireOrSkip('wine', 'wine is not installed', 'smoke', { CI: ci })).toThrow(MissingCapability);
    expect(() => requireOrSkip('wine', 'wine is not installed', 'smoke', { CI: ci })).toThrow(/"wine".*smoke: wine is not installed/);
  });

  it('CI=false or empty is not CI', () => {
    expect(inCi({ CI: 'false' })).toBe(false);
    expect(inCi({ CI: '' })).toBe(false);
    expect(inCi({})).toBe(false);
  });

  it('an unknown capability is a mistake in the test, not a skip', () => {
    expect(() => requireOrSkip('teleport' as never, 'no', 'x', {})).toThrow(/unknown capability/);
  });
});

describe('platformOnly', () => {
  afterEach(() => vi.restoreAllMocks());

  it('skips another OS with a printed reason, and never fails, in CI or not', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(platformOnly('win32', 'race.test.ts', 'linux')).toBe(true);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/SKIPPED race\.test\.ts: runs only on Windows, this is linux/);
    expect(platformOnly('win32', 'x', 'win32')).toBe(false);
    expect(platformOnly('posix', 'x', 'linux')).toBe(false);
    expect(platformOnly('posix', 'x', 'darwin')).toBe(false);
    expect(platformOnly('posix', 'x', 'win32')).toBe(true);
    expect(platformOnly('linux', 'x', 'darwin')).toBe(true);
  });
});

describe('build/check-skips.mjs', () => {
  const patterns = allowedPatterns(fs.readFileSync(path.join(root, 'build/allowed-skips.txt'), 'utf8'));
  const run = (counts: object, env: NodeJS.ProcessEnv) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-skips-'));
    const file = path.join(dir, 'counts.json');
    fs.writeFileSync(file, JSON.stringify(counts));
    try {
      return spawnSync(process.execPath, [path.join(root, 'build/check-skips.mjs'), file], { encoding: 'utf8', env: { ...process.env, ...env } });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };

  it('allows only the other-OS tests the list names', () => {
    expect(disallowedSkips(['test/engine/safety-win/race.test.ts > race (Windows)'], patterns)).toEqual([]);
    const ntfs = 'test/engine/platform/ntfs3g/read.test.ts > ntfs3g backend: reading reparse points';
    expect(disallowedSkips([ntfs], patterns)).toEqual([ntfs]);
  });

  it('under CI=true a skip that is not allowed fails the stage; outside CI it is only listed', () => {
    const counts = { passed: 1, failed: 0, skipped: 1, skippedNames: ['test/engine/core/scan/scan.test.ts > counts like GNU find'] };
    const ci = run(counts, { CI: 'true' });
    expect(ci.status).toBe(1);
    expect(ci.stderr).toContain('not allowed: test/engine/core/scan/scan.test.ts > counts like GNU find');
    const local = run(counts, { CI: '' });
    expect(local.status).toBe(0);
    expect(local.stdout).toContain('skipped: test/engine/core/scan/scan.test.ts');
  });

  it('under CI=true skipped tests without names (the install check) fail too; no skips pass', () => {
    expect(run({ passed: 1, failed: 0, skipped: 3 }, { CI: 'true' }).status).toBe(1);
    expect(run({ passed: 1, failed: 0, skipped: 0 }, { CI: 'true' }).status).toBe(0);
    expect(run({ passed: 1, failed: 0, skipped: 1, skippedNames: ['test/engine/safety-win/race.test.ts > x'] }, { CI: 'true' }).status).toBe(0);
  });
});
