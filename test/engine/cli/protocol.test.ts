/**
 * "The protocol and the CLI never lie": every --stdin request gets exactly one answer line, checked
 * before anything is done; empty or contradictory command lines are bad input (exit 2), not
 * "all good"; an error names the user's path. Runs the real engine (bundle or packaged executable).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from '../helpers/cli.js';
import { build, listing, tempDir } from '../helpers/tree.js';
import { platformOnly, requireOrSkip } from '../helpers/capability.js';

beforeAll(async () => {
  await ensureCli();
});

const lines = (xs: unknown[]) => xs.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join('\n') + '\n';

describe('--stdin: one checked answer per request', () => {
  it('a bad id is refused before the link is touched, and answered once on the same stream', () => {
    const d = tempDir();
    build(d, { f: 'keep' });
    for (const name of ['a', 'b', 'c', 'd', 'e']) fs.symlinkSync('f', path.join(d, name));
    const input = lines([
      { id: { nested: 1 }, path: path.join(d, 'a') },
      { id: [1], path: path.join(d, 'b') },
      { id: 1.5, path: path.join(d, 'c') },
      { id: true, path: path.join(d, 'd') },
      { id: 7, path: path.join(d, 'e') },
    ]);
    const r = cli(['remove', '--stdin', '--errors-inline'], { input });
    // One line per request, in order, all on stdout: four refusals, then the one removal.
    expect(r.records.map((x) => [x.recordType, x.code ?? null, x.requestId ?? null])).toEqual([
      ['error', 'LT_BAD_REQUEST', null],
      ['error', 'LT_BAD_REQUEST', null],
      ['error', 'LT_BAD_REQUEST', null],
      ['error', 'LT_BAD_REQUEST', null],
      ['linkRemoved', null, 7],
    ]);
    expect(r.records.slice(0, 4).map((x) => x.path)).toEqual(['a', 'b', 'c', 'd'].map((n) => path.join(d, n)));
    expect(r.stderr).toBe(''); // no contract error behind the caller's back
    expect(r.code).toBe(2);
    // Nothing changed for the refused requests.
    for (const name of ['a', 'b', 'c', 'd']) expect(fs.readlinkSync(path.join(d, name))).toBe('f');
    expect(fs.existsSync(path.join(d, 'e'))).toBe(false);
    expect(fs.readFileSync(path.join(d, 'f'), 'utf8')).toBe('keep');
  });

  it('unknown fields and wrong types are refused before create runs', () => {
    const d = tempDir();
    build(d, { t: 'T' });
    const input = lines([
      { id: 1, link: path.join(d, 'typo'), taget: 't', kind: 'symlink' },
      { id: 2, link: path.join(d, 'num'), target: 5, kind: 'symlink' },
      { id: 3, link: path.join(d, 'force'), target: 't', kind: 'symlink', force: 'yes' },
      { id: 4, link: path.join(d, 'ok'), target: 't', kind: 'symlink' },
      [1, 2],
      42,
      'not json at all',
    ]);
    const r = cli(['create', '--stdin', '--errors-inline'], { input });
    expect(r.records.map((x) => [x.recordType, x.code ?? null, x.requestId ?? null])).toEqual([
      ['error', 'LT_BAD_REQUEST', 1],
      ['error', 'LT_BAD_REQUEST', 2],
      ['error', 'LT_BAD_REQUEST', 3],
      ['linkInfo', null, 4],
      ['error', 'LT_BAD_REQUEST', null],
      ['error', 'LT_BAD_REQUEST', null],
      ['error', 'LT_BAD_REQUEST', null],
    ]);
    expect(r.records[0].message).toContain("'taget'");
    expect(listing(d)).toEqual(['ok', 't']);
    expect(fs.readlinkSync(path.join(d, 'ok'))).toBe('t');
  });

  it('every line of a long session is answered exactly once, in order', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    fs.symlinkSync('f', path.join(d, 'l'));
    const reqs: unknown[] = [];
    for (let i = 0; i < 200; i++) reqs.push(i % 3 === 0 ? { id: i, path: path.join(d, 'l') } : i % 3 === 1 ? { id: i, path: path.join(d, `missing${i}`) } : { id: i });
    const r = cli(['test', '--stdin', '--errors-inline'], { input: lines(reqs) });
    expect(r.records.map((x) => x.requestId)).toEqual(reqs.map((_, i) => i));
    expect(r.records.map((x) => x.recordType)).toEqual(reqs.map((_, i) => (i % 3 === 2 ? 'error' : 'linkTest')));
    expect(r.code).toBe(2); // a bad request is bad input
  });
});

describe('the command line refuses what it cannot honour', () => {
  it('info, test and remove with no path are bad input, not "all good"', () => {
    for (const cmd of ['info', 'test', 'remove']) {
      const r = cli([cmd]);
      expect(r.code, cmd).toBe(2);
      expect(r.errors[0], cmd).toMatchObject({ code: 'LT_INVALID_ARGUMENT', fatal: true });
      expect(r.records, cmd).toEqual([]);
    }
  });

  it("scan '' and audit '' are refused like info '' (an empty root is not the working directory)", () => {
    const d = tempDir();
    fs.symlinkSync('nowhere', path.join(d, 'l'));
    for (const args of [
      ['info', ''],
      ['scan', ''],
      ['audit', ''],
      ['scan', d, ''],
    ]) {
      const r = cli(args, { cwd: d });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.errors[0].code, args.join(' ')).toBe('LT_INVALID_ARGUMENT');
      expect(r.records, args.join(' ')).toEqual([]);
    }
  });

  it('--stdin beside path arguments is refused and reads nothing', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    fs.symlinkSync('f', path.join(d, 'l'));
    for (const cmd of ['info', 'test', 'remove']) {
      const r = cli([cmd, '--stdin', path.join(d, 'l')], { input: lines([path.join(d, 'l')]) });
      expect(r.code, cmd).toBe(2);
      expect(r.errors[0].code, cmd).toBe('LT_INVALID_ARGUMENT');
      expect(r.records, cmd).toEqual([]);
    }
    const c = cli(['create', '--stdin', '--kind', 'symlink', path.join(d, 'n'), 'f'], { input: '' });
    expect(c.code).toBe(2);
    expect(c.errors[0].code).toBe('LT_INVALID_ARGUMENT');
    expect(fs.readlinkSync(path.join(d, 'l'))).toBe('f');
    expect(listing(d)).toEqual(['f', 'l']);
  });

  it('--rule X --disable-rule X is refused', () => {
    const d = tempDir();
    const r = cli(['audit', d, '--rule', 'broken-target', '--disable-rule', 'broken-target']);
    expect(r.code).toBe(2);
    expect(r.errors[0]).toMatchObject({ code: 'LT_INVALID_ARGUMENT', fatal: true });
    expect(r.errors[0].message).toContain('broken-target');
    expect(r.records).toEqual([]);
  });

  it('numbers that are not whole, in range numbers are refused: --max-hops -5 / abc / 1e12 and friends', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    const cases = [
      ['info', '--max-hops', '-5', path.join(d, 'f')],
      ['info', '--max-hops', 'abc', path.join(d, 'f')],
      ['info', '--max-hops', '1e12', path.join(d, 'f')],
      ['info', '--max-hops', '2.5', path.join(d, 'f')],
      ['info', '--max-hops', '0', path.join(d, 'f')],
      ['scan', '--max-depth', '-1', d],
      ['scan', '--max-depth', 'abc', d],
      ['scan', '--progress-interval', '-10', d],
      ['audit', '--max-chain', '1e12', d],
      ['audit', '--max-depth', 'NaN', d],
    ];
    for (const args of cases) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.errors[0]?.code, args.join(' ')).toBe('LT_INVALID_ARGUMENT');
      expect(r.records, args.join(' ')).toEqual([]);
    }
    expect(cli(['info', '--max-hops', '3', path.join(d, 'f')]).code).toBe(0);
    expect(cli(['scan', '--max-depth', '0', d]).code).toBe(0);
  });

  it('--server or --share without --remote-client is refused, not ignored', () => {
    const d = tempDir();
    const r = cli(['info', '--server', 'FS01', d]);
    expect(r.code).toBe(2);
    expect(r.errors[0].code).toBe('LT_INVALID_ARGUMENT');
  });

  it('options appear only on commands where they mean something', () => {
    const d = tempDir();
    for (const args of [
      ['schema', '--stdin'],
      ['doctor', '--errors-inline'],
      ['scan', '--stdin', d],
      ['schema', '--ntfs-drive', 'D:'],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      // (--errors-inline asked for errors on stdout, so the refusal is there)
      const errs = [...r.errors, ...r.records.filter((x) => x.recordType === 'error')];
      expect(
        errs.map((e) => e.code),
        args.join(' '),
      ).toEqual(['LT_INVALID_ARGUMENT']);
    }
    const help = cli(['schema', '--help']);
    expect(help.stdout).not.toContain('--stdin');
    expect(help.stdout).not.toContain('--errors-inline');
    expect(help.stdout).toContain('--json');
    expect(cli(['scan', '--help']).stdout).toContain('--errors-inline');
    expect(cli(['scan', '--help']).stdout).not.toContain('--stdin');
  });
});

describe('an error names the path the user gave', () => {
  const canChattr = spawnSync('chattr', ['--help']).error === undefined;
  const where = 'protocol.test.ts: create --force into an immutable folder';
  const skipChattr =
    platformOnly('posix', where) ||
    requireOrSkip('chattr', canChattr ? null : 'chattr (e2fsprogs) is not installed', where) ||
    requireOrSkip('root', process.getuid?.() === 0 ? null : 'chattr +i needs root', where);

  it.skipIf(skipChattr)('create --force into a folder that refuses new names reports the link, not the temporary name', () => {
    const d = tempDir();
    build(d, { 'in/t': 'T' });
    const dir = path.join(d, 'in');
    fs.symlinkSync('t', path.join(dir, 'l'));
    const imm = spawnSync('chattr', ['+i', dir], { encoding: 'utf8' });
    if (imm.status !== 0) {
      console.log(`skipped: chattr +i is not supported here (${imm.stderr.trim()})`);
      return;
    }
    try {
      const link = path.join(dir, 'l');
      const r = cli(['create', '--force', '--kind', 'symlink', link, 't']);
      expect(r.code).toBe(3);
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].path).toBe(link);
      expect(JSON.stringify(r.errors[0])).not.toContain('.lt-');
      const s = cli(['create', '--stdin', '--errors-inline'], { input: lines([{ id: 1, link, target: 't', kind: 'symlink', force: true }]) });
      expect(s.records).toHaveLength(1);
      expect(s.records[0]).toMatchObject({ recordType: 'error', requestId: 1, path: link });
      expect(fs.readlinkSync(link)).toBe('t');
    } finally {
      spawnSync('chattr', ['-i', dir]);
    }
    expect(listing(dir)).toEqual(['l', 't']);
  });

  it('a relative path is reported as given', () => {
    const d = tempDir();
    const r = cli(['info', 'missing'], { cwd: d });
    expect(r.code).toBe(3);
    expect(r.errors[0]).toMatchObject({ code: 'LT_NOT_FOUND', path: 'missing' });
  });
});
