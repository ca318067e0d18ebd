import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from '../helpers/cli.js';
import { build, listing, tempDir } from '../helpers/tree.js';

beforeAll(async () => {
  await ensureCli();
});

const lines = (...reqs: unknown[]) => reqs.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

describe('linktools serve', () => {
  it('answers every op with exactly one line carrying the request id, in order', () => {
    const d = tempDir();
    build(d, { f: 'x', 'dir/inner': 'keep' });
    fs.symlinkSync('f', path.join(d, 'l'));
    const input = lines(
      { id: 1, op: 'info', path: path.join(d, 'l') },
      { id: 2, op: 'test', path: path.join(d, 'l') },
      { id: 3, op: 'create', link: path.join(d, 'dl'), target: 'dir', kind: 'symlink' },
      { id: 4, op: 'create', link: path.join(d, 'h'), target: path.join(d, 'f'), kind: 'hardlink' },
      { id: 5, op: 'remove', path: path.join(d, 'l') },
      { id: 6, op: 'test', path: path.join(d, 'l') },
      { id: 7, op: 'info', path: path.join(d, 'missing') },
    );
    const r = cli(['serve'], { input });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.records.map((x) => [x.requestId, x.recordType])).toEqual([
      [1, 'linkInfo'],
      [2, 'linkTest'],
      [3, 'linkInfo'],
      [4, 'linkInfo'],
      [5, 'linkRemoved'],
      [6, 'linkTest'],
      [7, 'error'],
    ]);
    expect(r.records[0]).toMatchObject({ kind: 'symlink', target: 'f' });
    expect(r.records[1]).toMatchObject({ ok: true, reason: 'ok' });
    expect(r.records[5]).toMatchObject({ ok: false, reason: 'notFound' });
    expect(r.records[6]).toMatchObject({ code: 'LT_NOT_FOUND', path: path.join(d, 'missing') });
    // What the file system holds afterwards.
    expect(fs.readlinkSync(path.join(d, 'dl'))).toBe('dir');
    expect(fs.statSync(path.join(d, 'h')).ino).toBe(fs.statSync(path.join(d, 'f')).ino);
    expect(listing(d)).toEqual(['dir', 'dir/inner', 'dl', 'f', 'h']);
  });

  it('answers a bad request with one error and goes on; changes nothing for it', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    const input = lines(
      { id: 1, op: 'frobnicate', path: d },
      { id: 2 },
      'not json',
      { id: 3, op: 'create', link: path.join(d, 'l'), target: 'f' },
      { id: 4, op: 'create', link: path.join(d, 'l'), target: 'missing', kind: 'symlink' },
      { id: 5, op: 'info', path: path.join(d, 'f'), maxHops: 'many' },
      { id: 6, op: 'info', path: path.join(d, 'f'), symlinkEvaluation: 'L2L' },
      { id: 7, op: 'info', path: path.join(d, 'f') },
    );
    const r = cli(['serve'], { input });
    expect(r.code).toBe(0);
    const answers = r.records.map((x) => [x.requestId ?? null, x.recordType === 'error' ? x.code : x.recordType]);
    expect(answers).toEqual([
      [1, 'LT_BAD_REQUEST'],
      [2, 'LT_BAD_REQUEST'],
      [null, 'LT_BAD_REQUEST'],
      [3, 'LT_BAD_REQUEST'],
      [4, 'LT_TARGET_TYPE_REQUIRED'],
      [5, 'LT_BAD_REQUEST'],
      [6, 'LT_INVALID_ARGUMENT'],
      [7, 'linkInfo'],
    ]);
    expect(listing(d)).toEqual(['f']);
  });

  it('takes the info options per request (remote client, policy, share)', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    fs.symlinkSync('f', path.join(d, 'l'));
    const input = lines(
      { id: 1, op: 'info', path: path.join(d, 'l'), remoteClient: 'CLIENT01', symlinkEvaluation: ['L2L', 'R2R'], server: 'SRV' },
      { id: 2, op: 'info', path: path.join(d, 'l') },
    );
    const r = cli(['serve'], { input });
    expect(r.records[0]!.remote).toBeTruthy();
    expect(r.records[1]!.remote ?? null).toBeNull();
  });

  it('carries surrogate escapes (names that are not UTF-8) through a request and its answer unchanged', () => {
    const d = tempDir();
    const name = path.join(d, 'bad-\udcff\udcfe');
    const r = cli(['serve'], { input: lines({ id: 1, op: 'info', path: name }) });
    expect(r.records[0]).toMatchObject({ recordType: 'error', code: 'LT_NOT_FOUND', requestId: 1, path: name });
    expect(r.stdout).toContain('bad-\\udcff\\udcfe');
  });
});
