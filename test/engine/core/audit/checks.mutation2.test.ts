/**
 * The per-link audit rules (engine/src/core/audit/checks.ts), the cases checks.mutation.test.ts leaves
 * open: Windows-looking target text on a POSIX backend (which tests say "this is a Windows path"),
 * every spelling of a UNC target, the tags whose content is recalled on open, the world-writable
 * cache, and the edges of each rule's conditions. Exact finding records (rule, path, details).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
