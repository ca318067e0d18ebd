/**
 * The per-link audit rules (engine/src/core/audit/checks.ts), the cases checks.mutation.test.ts leaves
 * open: Windows-looking target text on a POSIX backend (which tests say "this is a Windows path"),
 * every spelling of a UNC target, the tags whose content is recalled on open, the world-writable
 * cache, and the edges of each rule's conditions. Exact finding records (rule, path, details).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckEnv } from '../../../../engine/src/core/audit/checks.js';
import { resolveSettings } from '../../../../engine/src/core/audit/config.js';
import { REPARSE_TAGS } from '../../../../engine/src/ntfs/index.js';
import type { Backend, Platform } from '../../../../engine/src/platform/types.js';
import { build, tempDir } from '../../helpers/tree.js';
import { audit } from './run.js';
import { FakeNtfs } from './fake-backend.js';

const R = 'C:\\data';
const at = (rel: string) => `${R}\\${rel}`;
/** Findings as [rule, path relative to root, details], in the order the audit streamed them. */
const found = (r: ReturnType<typeof audit>, root: string) => r.streamed.map((f) => [f.rule, f.path.slice(root.length + 1), f.details]);

describe('Windows-looking target text on a POSIX backend', () => {
  it('\\\\srv\\share is a UNC target and \\\\.\\pipe a device; //srv/share and //./pipe are POSIX paths', () => {
    const root = path.join(tempDir(), 'r');
    build(root, { 'docs/f.txt': 'F' });
    const link = (target: string, name: string) => fs.symlinkSync(target, path.join(root, name));
    link('\\\\srv\\share\\x', 'unc-bs');
    link('//srv/share/x', 'unc-fwd');
    link('\\\\.\\pipe\\x', 'dev-bs');
    link('//./pipe/x', 'dev-fwd');
    link('C:\\x\\.\\y', 'drive-messy');
    link('..\\docs\\f', 'docs/bs-up'); // one file name on POSIX: no ".." to count
    const r = audit([root], { rule: ['remote-target', 'object-manager-target', 'messy-target', 'lengthy-target', 'junction-not-local'] });
    expect(found(r, root)).toEqual([
      ['object-manager-target', 'dev-bs', { target: '\\\\.\\pipe\\x', substituteName: null, pathKind: 'device' }],
      // a POSIX path with a "." element (the kernel reads //./pipe/x as /pipe/x)
      ['messy-target', 'dev-fwd', { target: '//./pipe/x', tidyTarget: '//pipe/x', reasons: ['dot-element'], sameTarget: true }],
      // Windows text: tidied the Windows way; this backend cannot resolve it, so no verdict on where it leads
      ['messy-target', 'drive-messy', { target: 'C:\\x\\.\\y', tidyTarget: 'C:\\x\\y', reasons: ['dot-element'], sameTarget: null }],
      ['remote-target', 'unc-bs', { target: '\\\\srv\\share\\x', via: 'unc', host: 'srv', share: 'share' }],
    ]);
  });
});

describe('remote-target: host and share from every UNC spelling', () => {
  it('\\\\.\\UNC\\, //?/UNC/, \\GLOBAL??\\UNC\\, //host/share on Windows, and a bare \\\\host', () => {
    const fake = new FakeNtfs()
      .dir(R)
      .symlink(at('dot-unc'), '\\\\.\\UNC\\srv\\share\\x', 'file', { sub: '\\\\.\\UNC\\srv\\share\\x' })
      .symlink(at('fwd-unc'), '//?/UNC/srv2/sh2/x', 'file', { sub: '//?/UNC/srv2/sh2/x' })
      .symlink(at('alias-unc'), '\\GLOBAL??\\UNC\\srv3\\sh3\\x', 'file', { sub: '\\GLOBAL??\\UNC\\srv3\\sh3\\x' })
      .symlink(at('slashes'), '//srv4/sh4/x', 'file', { sub: '//srv4/sh4/x' })
      .symlink(at('host-only'), '\\\\srv5', 'file', { sub: '\\\\srv5' });
    const r = audit([R], { rule: ['remote-target'] }, { platform: fake });
    expect(found(r, R)).toEqual([
      ['remote-target', 'dot-unc', { target: '\\\\.\\UNC\\srv\\share\\x', via: 'unc', host: 'srv', share: 'share' }],
      ['remote-target', 'fwd-unc', { target: '//?/UNC/srv2/sh2/x', via: 'unc', host: 'srv2', share: 'sh2' }],
      ['remote-target', 'alias-unc', { target: '\\GLOBAL??\\UNC\\srv3\\sh3\\x', via: 'unc', host: 'srv3', share: 'sh3' }],
      ['remote-target', 'slashes', { target: '//srv4/sh4/x', via: 'unc', host: 'srv4', share: 'sh4' }],
      ['remote-target', 'host-only', { target: '\\\\srv5', via: 'unc', host: null, share: null }],
    ]);
  });
});

describe('unsafe-reparse-tag: the tags whose content is recalled or streamed on open', () => {
  const RECALLING = ['appx-stream', 'cloud', 'dataless-cim', 'hsm', 'onedrive', 'placeholder', 'projfs', 'storage-sync'];

  it('every table tag with a recalling label (placeholders, HSM, AppX streaming, dataless CIM), and unknown tags; no other tag', () => {
    const fake = new FakeNtfs().dir(R);
    REPARSE_TAGS.forEach((t, i) => fake.other(at(`t${String(i).padStart(3, '0')}`), t.tag));
    fake.other(at('unknown'), 0x00004321);
    const r = audit([R], { rule: ['unsafe-reparse-tag'] }, { platform: fake });
    const hits = r.streamed.map((f) => (f.details as { tagName: string }).tagName);
    expect(hits).toEqual([...REPARSE_TAGS.filter((t) => RECALLING.includes(t.label)).map((t) => t.name), 'IO_REPARSE_TAG_THIRD_PARTY_00004321']);
    // every recalling label has a tag in the table (so each one is checked above)
    expect([...new Set(r.streamed.map((f) => (f.details as { label: string }).label))].sort()).toEqual([...RECALLING, 'third-party']);
    // the placeholders (their data is there only when hydrated) are among them
    for (const t of REPARSE_TAGS.filter((x) => x.holdsData === 'when-hydrated')) expect(hits).toContain(t.name);
    expect(r.streamed.find((f) => f.path === at('unknown'))!.details).toMatchObject({ tag: 0x4321, tagHex: '0x00004321', known: false });
  });
});

describe('CheckEnv.worldWritable: asks the backend once per folder in a row', () => {
  function stand(open: Set<string>, withMethod = true): { platform: Platform; calls: string[] } {
    const calls: string[] = [];
    const backend = {
      path: path.posix,
      ...(withMethod
        ? {
            folderWorldWritable(dir: string) {
              calls.push(dir);
              return open.has(dir);
            },
          }
        : {}),
    } as unknown as Backend;
    return { platform: { defaultBackend: backend, forPath: () => backend }, calls };
  }

  it('the folder of the path is asked; the answer is kept while the next path is in the same folder', () => {
    const { platform, calls } = stand(new Set(['/open']));
    const env = new CheckEnv(platform, resolveSettings(null, {}), null, null as never);
    expect([env.worldWritable('/open/a'), env.worldWritable('/open/b'), env.worldWritable('/closed/a'), env.worldWritable('/closed/b'), env.worldWritable('/open/c')]).toEqual([
      true,
      true,
      false,
      false,
      true,
    ]);
    expect(calls).toEqual(['/open', '/closed', '/open']);
  });

  it('a backend that cannot tell: not world-writable', () => {
    const { platform } = stand(new Set(), false);
    const env = new CheckEnv(platform, resolveSettings(null, {}), null, null as never);
    expect(env.worldWritable('/x/a')).toBe(false);
    expect(env.worldWritable('/x/b')).toBe(false);
  });
});

describe('NTFS rules: which kinds and path forms each one takes', () => {
  it('mount points like junctions, app execution aliases never, volume GUID paths are local, stored NT forms are not tidied', () => {
    const fake = new FakeNtfs()
      .dir(R)
      .dir(at('docs'))
      .file(at('docs\\a.txt'))
      .dir('C:\\Windows')
      .dir('C:\\Windows\\System32')
      .file('C:\\Windows\\System32\\cmd.exe')
      .dir('C:\\Windows\\x')
      .symlink('C:\\Windows\\x\\inside', 'C:\\Windows\\System32\\cmd.exe', 'file') // system locations link among themselves
      .junction(at('vol'), '\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\x')
      .junction(at('empty'), '', '') // no target text: no path kind to judge
      .link(at('mp-rel'), { kind: 'mountPoint', target: 'docs', declaredType: 'directory', reparse: null })
      .link(at('mp-file'), { kind: 'mountPoint', target: 'C:\\data\\docs\\a.txt', declaredType: 'directory', reparse: null })
      .link(at('mp-dev'), { kind: 'mountPoint', target: '\\Device\\HarddiskVolume9\\x', declaredType: 'directory', reparse: null })
      .link(at('alias'), { kind: 'appExecLink', target: '\\Device\\X', declaredType: 'file', reparse: null })
      .link(at('lx'), { kind: 'lxSymlink', target: 'docs/./a.txt', declaredType: 'directory', reparse: null })
      .symlink(at('dir-to-file'), 'docs\\a.txt', 'directory')
      .symlink(at('broken-decl'), 'nothing', 'directory')
      .junction(at('print-2bs'), '\\??\\C:\\data\\docs', 'C:\\data\\docs\\\\')
      .symlink(at('nt-messy'), '\\??\\C:\\data\\.\\docs', 'directory', { sub: '\\??\\C:\\data\\.\\docs', print: 'C:\\data\\.\\docs' })
      .symlink(at('dev-messy'), '\\\\.\\C:\\data\\.\\docs', 'directory', { sub: '\\??\\C:\\data\\.\\docs', print: 'C:\\data\\.\\docs' })
      .symlink(at('q-messy'), '\\\\?\\C:\\data\\.\\docs', 'directory', { sub: '\\??\\C:\\data\\.\\docs', print: 'C:\\data\\.\\docs' });
    const rules = ['junction-not-local', 'type-mismatch', 'print-name-mismatch', 'object-manager-target', 'messy-target', 'sensitive-target'];
    const r = audit([R, 'C:\\Windows\\x'], { rule: rules }, { platform: fake });
    expect(r.streamed.map((f) => [f.rule, f.path, f.details])).toEqual([
      ['junction-not-local', at('mp-rel'), { target: 'docs', substituteName: null, pathKind: 'relative' }],
      ['type-mismatch', at('mp-file'), { declaredType: 'directory', actualType: 'file', target: 'C:\\data\\docs\\a.txt', finalTarget: 'C:\\data\\docs\\a.txt' }],
      ['object-manager-target', at('mp-dev'), { target: '\\Device\\HarddiskVolume9\\x', substituteName: null, pathKind: 'device' }],
      // an LX symlink stores text like a symbolic link does
      ['messy-target', at('lx'), { target: 'docs/./a.txt', tidyTarget: 'docs\\a.txt', reasons: ['dot-element'], sameTarget: true }],
      ['type-mismatch', at('dir-to-file'), { declaredType: 'directory', actualType: 'file', target: 'docs\\a.txt', finalTarget: 'C:\\data\\docs\\a.txt' }],
    ]);
    // a link into the system location from outside it is still reported
    const out = audit([R], { rule: ['sensitive-target'] }, { platform: fake.symlink(at('sys'), 'C:\\Windows\\System32\\cmd.exe', 'file') });
    expect(out.streamed.map((f) => f.path)).toEqual([at('sys')]);
  });

  it('other-filesystem by volume name: a volume GUID path is another volume', () => {
    const fake = new FakeNtfs().dir(R).junction(at('vol'), '\\??\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\x');
    const r = audit([R], { rule: ['other-filesystem'] }, { platform: fake });
    expect(found(r, R)).toEqual([
      [
        'other-filesystem',
        'vol',
        {
          target: '\\\\?\\Volume{01234567-89ab-cdef-0123-456789abcdef}\\x',
          finalTarget: null,
          linkVolume: 'c:',
          targetVolume: 'volume{01234567-89ab-cdef-0123-456789abcdef}',
          basis: 'volume-name',
        },
      ],
    ]);
  });
});

describe('rules on a POSIX tree reached through a folder link', () => {
  it('escapes-root accepts the root by either name; remote-unresolvable places the tree at the root of a share', () => {
    // alias -> real; the root alias/tree is entered (only its parent is a link): its real path is real/tree
    const base = tempDir();
    build(path.join(base, 'real/tree'), { 'f.txt': 'F', 'sub/g.txt': 'G' });
    build(path.join(base, 'other'), { 'o.txt': 'O' });
    fs.symlinkSync('real', path.join(base, 'alias'));
    const link = (target: string, rel: string) => fs.symlinkSync(target, path.join(base, 'real/tree', rel));
    link(path.join(base, 'real/tree/f.txt'), 'abs-real');
    link(path.join(base, 'alias/tree/f.txt'), 'abs-alias');
    link(path.join(base, 'other/o.txt'), 'abs-out');
    link('../../../other/o.txt', 'sub/rel-out'); // resolved from the real folder real/tree/sub
    const root = path.join(base, 'alias/tree');
    const r = audit([root], { rule: ['escapes-root'] });
    expect(found(r, root)).toEqual([
      ['escapes-root', 'abs-out', { target: path.join(base, 'other/o.txt'), resolvedTarget: path.join(base, 'other/o.txt'), root }],
      ['escapes-root', 'sub/rel-out', { target: '../../../other/o.txt', resolvedTarget: path.join(base, 'other/o.txt'), root }],
    ]);
    const remote = audit([root], { rule: ['remote-unresolvable'], remotePolicy: 'L2L,R2R' });
    expect(remote.streamed.map((f) => [f.path.slice(root.length + 1), (f.details as { accessPath: string }).accessPath])).toEqual([
      ['abs-alias', '\\\\LINK-HOST\\X$\\abs-alias'],
      ['abs-out', '\\\\LINK-HOST\\X$\\abs-out'],
      ['abs-real', '\\\\LINK-HOST\\X$\\abs-real'],
      ['sub/rel-out', '\\\\LINK-HOST\\X$\\sub\\rel-out'],
    ]);
  });
});
