/**
 * Names that are not valid UTF-8 through the per-path commands (info, test, remove, create): sent
 * as surrogate escapes ("\udcff" in JSON, engine/src/platform/pathbytes.ts) over --stdin, acted on
 * as their exact bytes, and answered in the same form.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from '../helpers/cli.js';
import { announceSkip } from './harness.js';

const reason = process.platform === 'linux' ? null : `non-UTF-8 names are a POSIX file-system property; this is ${process.platform}`;
if (reason) announceSkip('test/engine/safety/names.test.ts', reason);

/** Bytes of a path: the UTF-8 of `dir` + '/' + raw name bytes. */
const bytePath = (dir: string, name: Buffer) => Buffer.concat([Buffer.from(`${dir}/`), name]);
const listBytes = (dir: string) =>
  fs
    .readdirSync(dir, { encoding: 'buffer' })
    .map((b) => b.toString('hex'))
    .sort();

describe.skipIf(reason !== null)('non-UTF-8 names (surrogate escapes) for info, test, remove, create', () => {
  let t: string;
  const EVIL = Buffer.from('evil\xff', 'latin1'); // "evil" + byte 0xFF
  const TGT = Buffer.from('tgt\xff', 'latin1');
  const esc = (s: string) => s.replace(/\xff/g, '\udcff');

  beforeAll(async () => {
    await ensureCli();
    t = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lt-names-')));
    fs.writeFileSync(bytePath(t, TGT), 'target data');
    fs.symlinkSync(TGT, bytePath(t, EVIL)); // evil\xff -> tgt\xff (relative, existing)
  });
  afterAll(() => fs.rmSync(t, { recursive: true, force: true }));

  const stdin = (cmd: string, reqs: object[]) => cli([cmd, '--stdin'], { input: reqs.map((r) => JSON.stringify(r)).join('\n') + '\n' });

  it('info: the link and its target are found by their exact bytes, and answered as escapes', () => {
    const r = stdin('info', [{ id: '1', path: `${t}/${esc('evil\xff')}` }]);
    expect(r.errors).toEqual([]);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ path: `${t}/evil\udcff`, kind: 'symlink', target: 'tgt\udcff', targetExists: true, finalTarget: `${t}/tgt\udcff` });
    expect(r.stdout).toContain('evil\\udcff'); // the JSON text carries the escape, not U+FFFD
    expect(r.stdout).not.toContain('\ufffd');
  });

  it('test: a link to an existing tgt\\xff is not broken', () => {
    const r = stdin('test', [{ id: '1', path: `${t}/evil\udcff` }]);
    expect(r.errors).toEqual([]);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]).toMatchObject({ recordType: 'linkTest', path: `${t}/evil\udcff`, ok: true, reason: 'ok', finalTarget: `${t}/tgt\udcff` });
    expect(r.code).toBe(0);
  });

  it('create: a link named and targeted by non-UTF-8 bytes gets exactly those bytes', () => {
    const r = stdin('create', [{ id: '1', link: `${t}/new\udcfe`, target: 'tgt\udcff', kind: 'symlink' }]);
    expect(r.errors).toEqual([]);
    expect(r.records[0]).toMatchObject({ path: `${t}/new\udcfe`, target: 'tgt\udcff', targetExists: true });
    const made = bytePath(t, Buffer.from('new\xfe', 'latin1'));
    expect(fs.readlinkSync(made, { encoding: 'buffer' }).equals(TGT)).toBe(true);
  });

  it('create --force replaces the non-UTF-8 link by its bytes', () => {
    const r = stdin('create', [{ id: '1', link: `${t}/new\udcfe`, target: 'tgt\udcff-other', kind: 'symlink', targetType: 'file', force: true }]);
    expect(r.errors).toEqual([]);
    const made = bytePath(t, Buffer.from('new\xfe', 'latin1'));
    expect(fs.readlinkSync(made, { encoding: 'buffer' }).equals(Buffer.concat([TGT, Buffer.from('-other')]))).toBe(true);
    expect(listBytes(t).filter((h) => Buffer.from(h, 'hex').includes(Buffer.from('.lt-')))).toEqual([]);
  });

  it('remove: the non-UTF-8 link goes, its target and every other name stay', () => {
    const before = listBytes(t);
    const r = stdin('remove', [{ id: '1', path: `${t}/new\udcfe` }]);
    expect(r.errors).toEqual([]);
    expect(r.records[0]).toMatchObject({ path: `${t}/new\udcfe`, kind: 'symlink' });
    expect(listBytes(t)).toEqual(before.filter((h) => h !== Buffer.from('new\xfe', 'latin1').toString('hex')));
    expect(fs.readFileSync(bytePath(t, TGT), 'utf8')).toBe('target data');
  });

  it('a name whose bytes differ only in the invalid byte is a different name (no lossy decoding)', () => {
    const r = stdin('info', [{ id: '1', path: `${t}/evil\udcfe` }]);
    expect(r.errors.map((e) => e.code)).toEqual(['LT_NOT_FOUND']);
  });
});
