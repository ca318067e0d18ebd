/**
 * `create --force` replaces only what is a link: never a reparse point that carries the entry's own
 * data (dedup, WOF, cloud placeholders, HSM …), one test per such tag, on the mock backend's Windows
 * mode and on a real ntfs-3g image; and a malformed reparse buffer is LT_BAD_REPARSE_DATA for
 * `remove` and `create --force`, and a finding in `audit`, with the buffer left exactly as it was.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink } from '../../../engine/src/core/create.js';
import { removeLink } from '../../../engine/src/core/remove.js';
import { createPlatform } from '../../../engine/src/platform/index.js';
import { MockPlatform } from '../../../engine/src/platform/mock/backend.js';
import { cli, ensureCli } from '../helpers/cli.js';
import { codeOf } from '../helpers/errors.js';
import { getAttr, handOpaque, handSymlink, makeImage, ntfsUnavailable, plantReparse, type NtfsImage } from '../platform/ntfs3g/image.js';
import { announceSkip } from './harness.js';

/** Data-carrying tags (reparse.isLink false): replacing one would delete the file's data. */
const DATA_TAGS: Array<{ tag: number; name: string; directory?: boolean }> = [
  { tag: 0x80000013, name: 'dedup' },
  { tag: 0x80000017, name: 'wof' },
  { tag: 0x9000001a, name: 'cloud' },
  { tag: 0x9000101a, name: 'cloud-1 folder', directory: true },
  { tag: 0xc0000004, name: 'hsm' },
  { tag: 0x80000021, name: 'onedrive' },
  { tag: 0x9000001c, name: 'projfs' },
  { tag: 0x8000001e, name: 'storage-sync' },
  { tag: 0x80000007, name: 'sis' },
];

describe('create --force on the mock (Windows mode) refuses every data-carrying reparse point', () => {
  it.each(DATA_TAGS)('$name ($tag): LT_EXISTS, the reparse data and content untouched', ({ tag, directory }) => {
    const m = new MockPlatform({ mode: 'windows' });
    m.fs.addDir('C:\\w').addFile('C:\\w\\target.txt', 'T');
    m.fs.addReparse('C:\\w\\entry', tag, { directory, data: Uint8Array.from([1, 2, 3, 4]), content: 'the data' });
    const before = m.fs.walk('C:\\w\\entry', false).node!;
    const buf = Buffer.from(before.reparse!);
    let err: { code?: string; path?: string } = {};
    try {
      createLink(m, { kind: 'symlink', link: 'C:\\w\\entry', target: 'C:\\w\\target.txt', force: true });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err).toMatchObject({ code: 'LT_EXISTS', path: 'C:\\w\\entry' });
    const after = m.fs.walk('C:\\w\\entry', false).node!;
    expect(after.id).toBe(before.id);
    expect(Buffer.from(after.reparse!).equals(buf)).toBe(true);
    expect(after.content).toBe('the data');
    expect(m.fs.list('C:\\w').filter((n: string) => n.includes('.lt-'))).toEqual([]);
  });

  it('a symbolic link is still replaced (the control for the refusals above)', () => {
    const m = new MockPlatform({ mode: 'windows' });
    m.fs.addDir('C:\\w').addFile('C:\\w\\a.txt', 'A').addFile('C:\\w\\b.txt', 'B');
    m.fs.addSymlink('C:\\w\\entry', 'a.txt', 'file');
    createLink(m, { kind: 'symlink', link: 'C:\\w\\entry', target: 'C:\\w\\b.txt', force: true });
    expect(m.fs.readFile('C:\\w\\entry')).toBe('B');
  });
});

const reason = ntfsUnavailable();
if (reason) announceSkip('ntfs-3g part of test/engine/safety/reparse-force.test.ts', `NTFS image tests cannot run: ${reason}`);

/** getfattr of the reparse data; ntfs-3g answers EIO for about a second after it was set, so wait. */
function reparseAttr(p: string): Buffer | null {
  const t0 = Date.now();
  for (;;) {
    const b = getAttr(p, 'system.ntfs_reparse_data');
    if (b || Date.now() - t0 > 5000) return b;
    spawnSync('sleep', ['0.1']);
  }
}

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
/** Malformed buffers whose header is consistent (ntfs-3g stores them) but whose body is not. */
const MALFORMED: Array<{ name: string; buf: Buffer; dir: boolean }> = [
  // ntfs-3g itself checks only that the substitute name lies inside the buffer, so these get stored:
  // symlink: print name 200 bytes long in an 8-byte path buffer
  { name: 'sym-past-end', dir: false, buf: Buffer.concat([u32(0xa000000c), u16(20), u16(0), u16(0), u16(4), u16(4), u16(200), u32(0), Buffer.from('a\0b\0c\0d\0', 'latin1')]) },
  // junction: odd UTF-16 length of the substitute name
  { name: 'junction-odd', dir: true, buf: Buffer.concat([u32(0xa0000003), u16(16), u16(0), u16(0), u16(3), u16(4), u16(2), Buffer.from('a\0b\0c\0\0\0', 'latin1')]) },
  // app execution link of an unknown version
  { name: 'appexec-version', dir: false, buf: Buffer.concat([u32(0x8000001b), u16(12), u16(0), u32(9), Buffer.from('a\0b\0', 'utf16le')]) },
];

describe.skipIf(reason !== null)('ntfs-3g image: data-carrying reparse points and malformed buffers', () => {
  let im: NtfsImage;
  const platform = createPlatform();
  const at = (rel: string) => path.join(im.mnt, rel);

  beforeAll(async () => {
    im = await makeImage();
    await ensureCli();
    fs.writeFileSync(at('target.txt'), 'target');
    for (const t of DATA_TAGS) plantReparse(at(`data-${t.tag.toString(16)}`), t.directory === true, handOpaque(t.tag, Buffer.concat([Buffer.alloc(16, 0xab), Buffer.from('payload')])));
    for (const m of MALFORMED) plantReparse(at(m.name), m.dir, m.buf);
    plantReparse(at('good-link'), false, handSymlink('target.txt', 'target.txt', true));
  });
  afterAll(async () => {
    await im?.cleanup();
  });

  it.each(DATA_TAGS)('create --force onto $name ($tag): LT_EXISTS, the reparse data untouched', ({ tag }) => {
    const p = at(`data-${tag.toString(16)}`);
    const before = reparseAttr(p);
    expect(before).not.toBeNull();
    expect(codeOf(() => createLink(platform, { kind: 'symlink', link: p, target: at('target.txt'), force: true }))).toBe('LT_EXISTS');
    expect(reparseAttr(p)!.equals(before!)).toBe(true);
    expect(codeOf(() => removeLink(platform, p))).toBe('LT_NOT_A_LINK');
    expect(reparseAttr(p)!.equals(before!)).toBe(true);
  });

  it('a genuine NTFS symlink is still replaced by create --force (the control)', () => {
    createLink(platform, { kind: 'symlink', link: at('good-link'), target: 'target.txt', targetType: 'file', force: true });
    expect(fs.readdirSync(im.mnt).filter((n) => n.includes('.lt-'))).toEqual([]);
  });

  it.each(MALFORMED)('$name: remove and create --force answer LT_BAD_REPARSE_DATA and change nothing', ({ name }) => {
    const p = at(name);
    const before = reparseAttr(p)!;
    expect(before).not.toBeNull();
    const rm = cli(['remove', p]);
    expect(rm.errors.map((e) => e.code)).toEqual(['LT_BAD_REPARSE_DATA']);
    expect(rm.errors[0]!.path).toBe(p);
    expect(rm.code).toBe(3);
    const cr = cli(['create', '--kind', 'symlink', '--target-type', 'file', '--force', p, 'target.txt']);
    expect(cr.errors.map((e) => e.code)).toEqual(['LT_BAD_REPARSE_DATA']);
    expect(cr.code).toBe(3);
    expect(reparseAttr(p)!.equals(before)).toBe(true);
    expect(fs.readdirSync(im.mnt).filter((n) => n.includes('.lt-'))).toEqual([]);
  });

  // issue 8 item 4: a malformed buffer is an audit finding (unsafe-reparse-tag, details.malformed).
  it('audit reports each malformed buffer as a finding', () => {
    const r = cli(['audit', im.mnt, '--fail-on', 'never']);
    expect(r.code).toBe(0);
    const findings = r.records.filter((x) => x.recordType === 'finding');
    const missing = MALFORMED.filter(
      (m) => !findings.some((x) => x['path'] === at(m.name) && x['rule'] === 'unsafe-reparse-tag' && typeof (x['details'] as Record<string, unknown>)['malformed'] === 'string'),
    );
    expect(missing.map((m) => m.name)).toEqual([]);
  });
});
