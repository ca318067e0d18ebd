import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from '../helpers/cli.js';
import { build, listing, tempDir } from '../helpers/tree.js';

beforeAll(async () => {
  await ensureCli();
});

describe('linktools CLI', () => {
  it('prints NDJSON records and per-path error records, exit 3 when a path failed', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    fs.symlinkSync('f', path.join(d, 'l'));
    const r = cli(['info', path.join(d, 'l'), path.join(d, 'missing'), path.join(d, 'f')]);
    expect(r.records.map((x) => x.recordType)).toEqual(['linkInfo', 'linkInfo']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'LT_NOT_FOUND', category: 'ObjectNotFound', path: path.join(d, 'missing') });
    expect(r.code).toBe(3);
  });

  it('test exits 0 when every link resolves and 1 otherwise', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    fs.symlinkSync('f', path.join(d, 'ok'));
    fs.symlinkSync('nope', path.join(d, 'bad'));
    expect(cli(['test', path.join(d, 'ok')]).code).toBe(0);
    const r = cli(['test', path.join(d, 'ok'), path.join(d, 'bad'), path.join(d, 'f')]);
    expect(r.code).toBe(1);
    expect(r.records.map((x) => x.reason)).toEqual(['ok', 'broken', 'notALink']);
  });

  it('create keeps a relative target and remove deletes only the link', () => {
    const d = tempDir();
    build(d, { 'dir/inner': 'keep' });
    const c = cli(['create', '--kind', 'symlink', path.join(d, 'dl'), 'dir']);
    expect(c.code).toBe(0);
    expect(fs.readlinkSync(path.join(d, 'dl'))).toBe('dir');
    expect(c.records[0]).toMatchObject({ kind: 'symlink', targetType: 'directory', target: 'dir' });
    const r = cli(['remove', path.join(d, 'dl')]);
    expect(r.code).toBe(0);
    expect(listing(d)).toEqual(['dir', 'dir/inner']);
  });

  it('bad input exits 2 with a stable code and writes nothing', () => {
    const d = tempDir();
    const r1 = cli(['create', '--kind', 'symlink', path.join(d, 'l'), 'missing-target']);
    expect(r1.code).toBe(2);
    expect(r1.errors[0].code).toBe('LT_TARGET_TYPE_REQUIRED');
    const r2 = cli(['create', '--kind', 'bogus', path.join(d, 'l'), 'x']);
    expect(r2.code).toBe(2);
    expect(r2.errors[0].code).toBe('LT_INVALID_ARGUMENT');
    const r3 = cli(['frobnicate']);
    expect(r3.code).toBe(2);
    expect(r3.errors[0]).toMatchObject({ code: 'LT_INVALID_ARGUMENT', fatal: true });
    expect(r1.errors[0].fatal).toBeUndefined(); // a per-item error does not end the run
    expect(listing(d)).toEqual([]);
  });

  it('refusing a non-link on remove exits 3 with LT_NOT_A_LINK', () => {
    const d = tempDir();
    build(d, { f: 'keep' });
    const r = cli(['remove', path.join(d, 'f')]);
    expect(r.code).toBe(3);
    expect(r.errors[0].code).toBe('LT_NOT_A_LINK');
    expect(fs.readFileSync(path.join(d, 'f'), 'utf8')).toBe('keep');
  });

  it('--stdin serves many requests in one process, echoing ids, surviving bad lines', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    fs.symlinkSync('f', path.join(d, 'l'));
    const input = [
      JSON.stringify({ id: 1, path: path.join(d, 'l') }),
      'not json',
      JSON.stringify(path.join(d, 'f')),
      JSON.stringify({ id: 'x', path: path.join(d, 'missing') }),
      JSON.stringify({ id: 4 }),
      '',
    ].join('\n');
    const r = cli(['info', '--stdin', '--errors-inline'], { input });
    expect(r.records.map((x) => [x.recordType, x.requestId ?? null, x.code ?? null])).toEqual([
      ['linkInfo', 1, null],
      ['error', null, 'LT_BAD_REQUEST'],
      ['linkInfo', null, null],
      ['error', 'x', 'LT_NOT_FOUND'],
      ['error', 4, 'LT_BAD_REQUEST'],
    ]);
    expect(r.code).toBe(3);
  });

  it('--stdin create takes kind, target type and force per request', () => {
    const d = tempDir();
    build(d, { a: 'A' });
    const input = [
      { id: 1, link: path.join(d, 's'), target: 'a', kind: 'symlink' },
      { id: 2, link: path.join(d, 'h'), target: path.join(d, 'a'), kind: 'hardlink' },
      { id: 3, link: path.join(d, 'later'), target: 'nope', kind: 'symlink', targetType: 'file' },
      { id: 4, link: path.join(d, 's'), target: 'later', kind: 'symlink', targetType: 'file', force: true },
    ]
      .map((x) => JSON.stringify(x))
      .join('\n');
    const r = cli(['create', '--stdin', '--errors-inline'], { input });
    expect(r.code).toBe(0);
    expect(r.records.map((x) => [x.requestId, x.kind])).toEqual([
      [1, 'symlink'],
      [2, 'hardlink'],
      [3, 'symlink'],
      [4, 'symlink'],
    ]);
    expect(fs.readlinkSync(path.join(d, 's'))).toBe('later');
  });

  it('schema prints valid draft 2020-12 schemas that compile with ajv', () => {
    const r = cli(['schema']);
    expect(r.code).toBe(0);
    const schemas = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(schemas.length).toBeGreaterThanOrEqual(6);
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
    for (const s of schemas) ajv.addSchema(s);
    for (const s of schemas) expect(ajv.getSchema(s.$id), s.$id).toBeTypeOf('function');
    expect(cli(['schema', 'nope']).code).toBe(2);
  });

  it('doctor reports a working native FFI', () => {
    const r = cli(['doctor']);
    expect(r.code).toBe(0);
    expect(r.records[0]).toMatchObject({ recordType: 'doctor', platform: process.platform, nativeFfi: true });
  });

  it('--help lists every command', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['create', 'info', 'test', 'remove', 'schema', 'doctor']) expect(r.stdout).toContain(c);
  });
});
