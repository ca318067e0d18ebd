/**
 * Link maintenance on a real NTFS volume (ntfs-3g): retarget a junction and both symlink types, move a
 * relative file symlink, undo from the journal; then the image is unmounted and ntfsinfo/ntfscat (which
 * read the on-disk format without the FUSE driver) confirm the reparse points and their names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLink } from '../../../../engine/src/core/create.js';
import { createPlatform } from '../../../../engine/src/platform/index.js';
import { cli, ensureCli } from '../../helpers/cli.js';
import { makeImage, ntfsUnavailable, readNames, type NtfsImage } from './image.js';
import { requireOrSkip } from '../../helpers/capability.js';

const reason = ntfsUnavailable();
const skip = requireOrSkip('ntfs', reason === null ? null : `NTFS image tests cannot run: ${reason}`, 'test/engine/platform/ntfs3g/maintenance.test.ts');

const JUNCTION = 0xa0000003;
const SYMLINK = 0xa000000c;

describe.skipIf(skip)('ntfs3g: link maintenance on genuine reparse points', () => {
  let im: NtfsImage | undefined;
  afterEach(async () => {
    await im?.cleanup();
    im = undefined;
  });

  it('retargets, moves and undoes; the image holds exactly the expected reparse points', async () => {
    im = await makeImage();
    await ensureCli();
    const at = (rel: string) => path.join(im!.mnt, rel);
    const platform = createPlatform();
    for (const d of ['old/logs', 'new/logs', 'links/sub']) fs.mkdirSync(at(d), { recursive: true });
    fs.writeFileSync(at('new/app.cfg'), 'NEW');
    fs.writeFileSync(at('old/app.cfg'), 'OLD');
    fs.writeFileSync(at('links/notes.txt'), 'N');
    createLink(platform, { kind: 'junction', link: at('links/logs'), target: at('old/logs') });
    createLink(platform, { kind: 'symlink', link: at('links/dirlink'), target: 'C:\\old\\logs', targetType: 'directory' });
    createLink(platform, { kind: 'symlink', link: at('links/cfg'), target: 'C:\\old\\app.cfg', targetType: 'file' });
    createLink(platform, { kind: 'symlink', link: at('links/rel'), target: 'notes.txt', targetType: 'file' });

    const journal = path.join(im.dir, 'journal.ndjson');
    const r = cli(['retarget', at('links'), '--recurse', '--replace', 'C:\\Old=C:\\new', '--journal', journal]);
    expect(r.code, r.stderr).toBe(0);
    const applied = r.records.filter((x) => x.recordType === 'change' && x.applied).map((x) => [path.basename(String(x.path)), x.kind, x.targetType, x.newTarget]);
    expect(applied.sort()).toEqual([
      ['cfg', 'symlink', 'file', 'C:\\new\\app.cfg'],
      ['dirlink', 'symlink', 'directory', 'C:\\new\\logs'],
      ['logs', 'junction', 'directory', 'C:\\new\\logs'],
    ]);
    expect(fs.readFileSync(at('links/cfg'), 'utf8')).toBe('NEW');

    const mv = cli(['move', at('links/rel'), at('links/sub/rel')]);
    expect(mv.code, mv.stderr).toBe(0);
    expect(mv.records[0]).toMatchObject({ operation: 'move', oldTarget: 'notes.txt', newTarget: '..\\notes.txt', applied: true });
    expect(fs.readFileSync(at('links/sub/rel'), 'utf8')).toBe('N');

    // The journal holds the retarget run only (the move was not journalled): undo puts the three back.
    const u = cli(['undo', '--journal', journal]);
    expect(u.code, u.stderr).toBe(0);
    expect(fs.readFileSync(at('links/cfg'), 'utf8')).toBe('OLD');

    await im.unmount();
    const onDisk = (win: string) => {
      const out = im!.ntfsinfo(win);
      const tag = /Reparse tag:\s+0x([0-9a-f]+)/i.exec(out);
      return { tag: tag ? parseInt(tag[1]!, 16) : null, dir: /\$INDEX_ROOT/.test(out), names: readNames(im!.reparseAttr(win)) };
    };
    expect(onDisk('/links/logs')).toMatchObject({ tag: JUNCTION, dir: true, names: { substituteName: '\\??\\C:\\old\\logs', printName: 'C:\\old\\logs' } });
    expect(onDisk('/links/dirlink')).toMatchObject({ tag: SYMLINK, dir: true, names: { printName: 'C:\\old\\logs' } });
    expect(onDisk('/links/cfg')).toMatchObject({ tag: SYMLINK, dir: false, names: { printName: 'C:\\old\\app.cfg' } });
    expect(onDisk('/links/sub/rel')).toMatchObject({ tag: SYMLINK, dir: false, names: { substituteName: '..\\notes.txt', flags: 1 } });
    expect(() => im!.ntfsinfo('/links/rel')).toThrow();
    expect(im.ntfsinfo('/new/app.cfg')).toMatch(/Dumping Inode/);
  }, 180_000);
});
