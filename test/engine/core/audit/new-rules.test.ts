/**
 * directory-cycle, messy-target, lengthy-target and other-filesystem, and the narrower
 * sensitive-target, on real POSIX trees and on the mock backend in Windows mode: the exact set of
 * findings, and the details each one carries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tidyText as tidyTarget } from '../../../../engine/src/core/maintenance/targets.js';
import { MockPlatform } from '../../../../engine/src/platform/mock/backend.js';
import { tempDir } from '../../helpers/tree.js';
import { audit, pairs } from './run.js';

const NEW = ['directory-cycle', 'messy-target', 'lengthy-target', 'other-filesystem'];

function detailsOf(r: ReturnType<typeof audit>, rule: string, rel: string, root: string, sep = '/'): Record<string, unknown> {
  const f = r.streamed.find((x) => x.rule === rule && x.path === root + sep + rel.split('/').join(sep));
  expect(f, `${rule} ${rel}`).toBeTruthy();
  return f!.details as Record<string, unknown>;
}

describe('tidyTarget (the lexical part of messy-target)', () => {
  it('removes empty and "." elements, name/.. pairs and a trailing separator; keeps leading ..', () => {
    expect(tidyTarget('./dir/./f', false)).toEqual({ tidy: 'dir/f', reasons: ['dot-element'] });
    expect(tidyTarget('dir//f', false)).toEqual({ tidy: 'dir/f', reasons: ['empty-element'] });
    expect(tidyTarget('dir/../dir/f', false)).toEqual({ tidy: 'dir/f', reasons: ['name-then-dot-dot'] });
    expect(tidyTarget('../../a/', false)).toEqual({ tidy: '../../a', reasons: ['trailing-separator'] });
    expect(tidyTarget('/usr//lib/./x', false).tidy).toBe('/usr/lib/x');
    expect(tidyTarget('../x', false).reasons).toEqual([]);
    expect(tidyTarget('.', false).reasons).toEqual([]);
    expect(tidyTarget('..\\a\\.\\b', true)).toEqual({ tidy: '..\\a\\b', reasons: ['dot-element'] });
    expect(tidyTarget('C:\\x\\\\y', true)).toEqual({ tidy: 'C:\\x\\y', reasons: ['empty-element'] });
  });
});

describe('new rules on a real POSIX tree', () => {
  it('directory-cycle: a link to an ancestor, to the root itself, and two links into each other; plain folder links are clean', () => {
    const base = tempDir();
    const root = path.join(base, 'root');
    fs.mkdirSync(path.join(root, 'loopdir/inner'), { recursive: true });
    fs.mkdirSync(path.join(root, 'm1'));
    fs.mkdirSync(path.join(root, 'm2'));
    fs.mkdirSync(path.join(root, 'docs'));
    fs.mkdirSync(path.join(root, 'docs-x'));
    fs.symlinkSync('..', path.join(root, 'loopdir/inner/up'));
    fs.symlinkSync(root, path.join(root, 'docs/to-root'));
    fs.symlinkSync('../m2', path.join(root, 'm1/x'));
    fs.symlinkSync('../m1', path.join(root, 'm2/y'));
    fs.symlinkSync('docs', path.join(root, 'current')); // clean: docs does not hold current
    fs.symlinkSync('../docs', path.join(root, 'docs-x/d')); // clean: docs-x is not below docs (prefix only)
    const r = audit([root], { rule: NEW });
    expect(pairs(r.streamed, root)).toEqual(['directory-cycle docs/to-root', 'directory-cycle loopdir/inner/up', 'directory-cycle m1/x', 'directory-cycle m2/y']);
    const up = detailsOf(r, 'directory-cycle', 'loopdir/inner/up', root);
    expect(up).toMatchObject({ target: '..', realTarget: path.join(root, 'loopdir'), ancestor: path.join(root, 'loopdir'), cycle: [path.join(root, 'loopdir/inner/up')] });
    expect(up.recursingTools).toContain('find -L');
    expect(up.recursingTools).toContain('Get-ChildItem -Recurse -FollowSymlink');
    expect(detailsOf(r, 'directory-cycle', 'docs/to-root', root)).toMatchObject({ realTarget: root, ancestor: root });
    expect(detailsOf(r, 'directory-cycle', 'm1/x', root)).toMatchObject({ ancestor: null, cycle: [path.join(root, 'm1/x'), path.join(root, 'm2/y')] });
    // The system agrees: find -L reports a loop at each of them.
    expect(r.summary.byRule['directory-cycle']).toBe(4);
    expect(r.summary.bySeverity.warning).toBe(4);
  });

  it('messy-target and lengthy-target, with the tidy and the shorter equivalent target', () => {
    const root = tempDir();
    fs.mkdirSync(path.join(root, 'docs/sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'docs/f.txt'), 'f');
    fs.writeFileSync(path.join(root, 'docs/sub/g.txt'), 'g');
    fs.writeFileSync(path.join(root, 'f.txt'), 'top');
    fs.symlinkSync('./docs/./f.txt', path.join(root, 'dots'));
    fs.symlinkSync('docs//f.txt', path.join(root, 'slashes'));
    fs.symlinkSync('docs/../docs/f.txt', path.join(root, 'updown'));
    fs.symlinkSync('docs/sub', path.join(root, 'sublink'));
    fs.symlinkSync('sublink/../f.txt', path.join(root, 'through-link')); // sublink/.. is docs, not the root
    fs.symlinkSync('../docs/f.txt', path.join(root, 'docs/len1'));
    fs.symlinkSync('../../docs/sub/g.txt', path.join(root, 'docs/sub/len2'));
    fs.symlinkSync('../f.txt', path.join(root, 'docs/clean-up')); // needs its ..
    fs.symlinkSync('f.txt', path.join(root, 'docs/clean'));
    const r = audit([root], { rule: NEW });
    expect(pairs(r.streamed, root)).toEqual([
      'lengthy-target docs/len1',
      'lengthy-target docs/sub/len2',
      'messy-target dots',
      'messy-target slashes',
      'messy-target through-link',
      'messy-target updown',
    ]);
    expect(detailsOf(r, 'messy-target', 'dots', root)).toEqual({ target: './docs/./f.txt', tidyTarget: 'docs/f.txt', reasons: ['dot-element'], sameTarget: true });
    expect(detailsOf(r, 'messy-target', 'slashes', root)).toMatchObject({ tidyTarget: 'docs/f.txt', reasons: ['empty-element'], sameTarget: true });
    expect(detailsOf(r, 'messy-target', 'updown', root)).toMatchObject({ tidyTarget: 'docs/f.txt', reasons: ['name-then-dot-dot'], sameTarget: true });
    // The OS agrees: through-link opens docs/f.txt, its lexical tidy form would open the top f.txt.
    expect(fs.readFileSync(path.join(root, 'through-link'), 'utf8')).toBe('f');
    expect(detailsOf(r, 'messy-target', 'through-link', root)).toMatchObject({ tidyTarget: 'f.txt', sameTarget: false });
    expect(detailsOf(r, 'lengthy-target', 'docs/len1', root)).toMatchObject({ target: '../docs/f.txt', shorterTarget: 'f.txt', hops: 1, neededHops: 0 });
    expect(detailsOf(r, 'lengthy-target', 'docs/sub/len2', root)).toMatchObject({ shorterTarget: 'g.txt', hops: 2, neededHops: 0 });
    // Each shorter target really names the same file.
    for (const f of r.streamed.filter((x) => x.rule === 'lengthy-target')) {
      const d = f.details as { shorterTarget: string };
      expect(fs.realpathSync(path.resolve(path.dirname(f.path), d.shorterTarget))).toBe(fs.realpathSync(f.path));
    }
    expect(r.summary.bySeverity).toEqual({ error: 0, warning: 0, info: 6 });
  });

  const shm = fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').dev !== fs.statSync(tempDir()).dev ? '/dev/shm' : null;
  if (!shm) console.warn('\n*** SKIPPING the /dev/shm other-filesystem case: no /dev/shm on another device than the temporary folder ***\n');
  it.skipIf(!shm)('other-filesystem: a link into /dev/shm (tmpfs) is on another file system, not an ERROR sensitive-target', () => {
    const root = tempDir();
    const scratch = fs.mkdtempSync(path.join(shm!, 'lt-'));
    try {
      fs.writeFileSync(path.join(scratch, 'x'), 'x');
      fs.symlinkSync(path.join(scratch, 'x'), path.join(root, 'shm'));
      fs.writeFileSync(path.join(root, 'local'), 'l');
      fs.symlinkSync('local', path.join(root, 'same-fs'));
      const r = audit([root]);
      expect(pairs(r.streamed, root)).toEqual(['absolute-target shm', 'escapes-root shm', 'other-filesystem shm']);
      const d = detailsOf(r, 'other-filesystem', 'shm', root);
      expect(d).toMatchObject({
        basis: 'device',
        finalTarget: path.join(scratch, 'x'),
        targetDevice: String(fs.statSync(scratch, { bigint: true }).dev),
        linkDevice: String(fs.lstatSync(root, { bigint: true }).dev),
      });
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('sensitive-target still fires for /dev itself and /etc', () => {
    const root = tempDir();
    fs.symlinkSync('/dev/null', path.join(root, 'null'));
    fs.symlinkSync('/etc/hostname', path.join(root, 'host'));
    const r = audit([root], { rule: ['sensitive-target'] });
    expect(pairs(r.streamed, root)).toEqual(['sensitive-target host', 'sensitive-target null']);
  });
});

describe('new rules on the mock backend in Windows mode', () => {
  it('directory-cycle through junctions and directory symlinks, messy and lengthy relative symlinks, other-filesystem to another volume', () => {
    const m = new MockPlatform({ mode: 'windows' });
    m.fs.addVolume('D:');
    const R = 'C:\\t';
    m.fs.addDir(`${R}\\loop\\inner`).addDir(`${R}\\docs\\sub`).addFile(`${R}\\docs\\f.txt`, 'f').addFile(`${R}\\docs\\sub\\g.txt`, 'g').addDir('D:\\data').addFile('D:\\data\\d.txt', 'd');
    m.fs.addJunction(`${R}\\loop\\inner\\up`, `${R}\\loop`); // junction to an ancestor
    m.fs.addSymlink(`${R}\\docs\\root-link`, '..\\..\\t', 'directory'); // a relative directory link to the root, lengthy too
    m.fs.addJunction(`${R}\\ok`, `${R}\\docs`);
    m.fs.addSymlink(`${R}\\dots`, '.\\docs\\.\\f.txt', 'file');
    m.fs.addSymlink(`${R}\\docs\\sub\\len`, '..\\..\\docs\\sub\\g.txt', 'file');
    m.fs.addJunction(`${R}\\other-vol`, 'D:\\data');
    m.fs.addSymlink(`${R}\\missing-vol`, 'E:\\nowhere\\x.txt', 'file');
    const r = audit([R], { rule: NEW }, { platform: m });
    expect(pairs(r.streamed, R, '\\')).toEqual([
      'directory-cycle docs/root-link',
      'directory-cycle loop/inner/up',
      'lengthy-target docs/root-link',
      'lengthy-target docs/sub/len',
      'messy-target dots',
      'other-filesystem missing-vol',
      'other-filesystem other-vol',
    ]);
    expect(detailsOf(r, 'directory-cycle', 'loop/inner/up', R, '\\')).toMatchObject({ realTarget: `${R}\\loop`, ancestor: `${R}\\loop` });
    expect(detailsOf(r, 'directory-cycle', 'loop/inner/up', R, '\\').recursingTools).toContain('robocopy (without /XJ)');
    expect(detailsOf(r, 'lengthy-target', 'docs/sub/len', R, '\\')).toMatchObject({ shorterTarget: 'g.txt', hops: 2, neededHops: 0 });
    expect(detailsOf(r, 'lengthy-target', 'docs/root-link', R, '\\')).toMatchObject({ shorterTarget: '..', hops: 2, neededHops: 1 });
    expect(detailsOf(r, 'messy-target', 'dots', R, '\\')).toMatchObject({ tidyTarget: 'docs\\f.txt', sameTarget: true });
    expect(detailsOf(r, 'other-filesystem', 'other-vol', R, '\\')).toMatchObject({ basis: 'device', finalTarget: 'D:\\data' });
    expect(detailsOf(r, 'other-filesystem', 'missing-vol', R, '\\')).toMatchObject({ basis: 'volume-name', linkVolume: 'c:', targetVolume: 'e:' });
  });
});
