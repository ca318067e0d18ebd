/**
 * The remote model's creation rules (core/remote/creation.ts): cases aimed at survivors of
 * `npm run mutate -- --mutate engine/src/core/remote/creation.ts` (docs/mutation.md lists the
 * equivalent ones). The seed chart's creation cells are in remote.test.ts; these are the edges:
 * every kind, missing and non-string arguments, the error's path and details, device link paths.
 */
import { describe, expect, it } from 'vitest';

import { validateLinkCreation } from '../../../../engine/src/core/remote/creation.js';
import { codeOf } from '../../helpers/errors.js';
import { caught } from '../../helpers/errors.js';

const GUID = '\\\\?\\Volume{2eca078d-5cbc-43d3-aff8-7e8511f60d0e}\\';

describe('validateLinkCreation: kinds', () => {
  it.each(['symlink', 'junction', 'mountPoint'] as const)('%s to a local folder, from a local link path, is allowed', (kind) => {
    expect(validateLinkCreation(kind, 'C:\\T_Dir', 'C:\\MyLink')).toBeUndefined();
    expect(validateLinkCreation(kind, GUID, 'C:\\mnt')).toBeUndefined();
  });

  it.each(['hardlink', 'file', '', 'Symlink', undefined, null, 1])('an unknown kind %j is refused before the target is read', (kind) => {
    expect(caught(() => validateLinkCreation(kind as never, 'C:\\T_Dir', 'C:\\MyLink')).code).toBe('LT_INVALID_ARGUMENT');
  });

  it('a mount point follows the junction rules: no UNC target, no relative target, not through a UNC link path', () => {
    expect(codeOf(() => validateLinkCreation('mountPoint', '\\\\Sv2\\T_Dir', 'C:\\mnt'))).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
    expect(codeOf(() => validateLinkCreation('mountPoint', 'data', 'C:\\mnt'))).toBe('LT_INVALID_ARGUMENT');
    expect(codeOf(() => validateLinkCreation('mountPoint', '\\data', 'C:\\mnt'))).toBe('LT_INVALID_ARGUMENT');
    expect(codeOf(() => validateLinkCreation('mountPoint', GUID, '\\\\Svr\\Share\\mnt'))).toBe('LT_UNSUPPORTED_KIND');
  });
});

describe('validateLinkCreation: the target', () => {
  it.each([42, null, undefined, {}, ['C:\\T_Dir']])('a target that is not a string (%j) is LT_INVALID_ARGUMENT, not a crash', (target) => {
    for (const kind of ['symlink', 'junction'] as const) {
      expect(caught(() => validateLinkCreation(kind, target as never, 'C:\\MyLink')).code).toBe('LT_INVALID_ARGUMENT');
    }
  });

  it('an empty target is reported as empty, for every kind', () => {
    for (const kind of ['symlink', 'junction', 'mountPoint'] as const) {
      const e = caught(() => validateLinkCreation(kind, '', 'C:\\MyLink'));
      expect(e.code).toBe('LT_INVALID_ARGUMENT');
      expect(e.message).toMatch(/empty/);
    }
  });

  it('a symbolic link may hold any readable form: drive, volume, UNC, relative, rooted', () => {
    for (const target of ['C:\\T_Dir', GUID, '\\\\Sv2\\T_Dir', '..\\data', 'data', '\\T_Dir', '\\\\?\\UNC\\Sv2\\T_Dir']) {
      expect(
        codeOf(() => validateLinkCreation('symlink', target, 'C:\\MyLink')),
        target,
      ).toBe('no error');
      expect(
        codeOf(() => validateLinkCreation('symlink', target)),
        target,
      ).toBe('no error');
    }
  });

  it('a junction to a UNC path: LT_JUNCTION_TARGET_NOT_LOCAL, carrying the link path, the target and its host', () => {
    const e = caught(() => validateLinkCreation('junction', '\\\\Sv2\\T_Dir\\x', 'C:\\MyJunc'));
    expect(e.code).toBe('LT_JUNCTION_TARGET_NOT_LOCAL');
    expect(e.path).toBe('C:\\MyJunc');
    expect(e.details).toEqual({ target: '\\\\Sv2\\T_Dir\\x', host: 'Sv2' });
    // Through the long-path prefix, the host is read the same way.
    expect(caught(() => validateLinkCreation('junction', '\\\\?\\UNC\\Sv2\\T_Dir')).details).toEqual({ target: '\\\\?\\UNC\\Sv2\\T_Dir', host: 'Sv2' });
  });

  it('a junction to a relative or rooted path: LT_INVALID_ARGUMENT, carrying the link path and the target', () => {
    for (const target of ['..\\data', '\\T_Dir']) {
      const e = caught(() => validateLinkCreation('junction', target, 'C:\\MyJunc'));
      expect(e.code).toBe('LT_INVALID_ARGUMENT');
      expect(e.path).toBe('C:\\MyJunc');
      expect(e.details).toEqual({ target });
    }
  });
});

describe('validateLinkCreation: the link path', () => {
  it('is optional for every kind', () => {
    expect(validateLinkCreation('symlink', 'C:\\T_Dir')).toBeUndefined();
    expect(validateLinkCreation('junction', 'C:\\T_Dir')).toBeUndefined();
    expect(validateLinkCreation('mountPoint', GUID)).toBeUndefined();
  });

  it('may be a drive, volume GUID or UNC path for a symbolic link', () => {
    for (const linkPath of ['C:\\MyLink', `${GUID}MyLink`, '\\\\Svr\\Share\\MyLink', '\\\\?\\C:\\MyLink']) {
      expect(
        codeOf(() => validateLinkCreation('symlink', 'C:\\T_Dir', linkPath)),
        linkPath,
      ).toBe('no error');
    }
  });

  it('may be a drive or volume GUID path for a junction', () => {
    for (const linkPath of ['C:\\MyJunc', `${GUID}MyJunc`, '\\??\\D:\\MyJunc']) {
      expect(
        codeOf(() => validateLinkCreation('junction', 'C:\\T_Dir', linkPath)),
        linkPath,
      ).toBe('no error');
    }
  });

  it.each(['MyLink', '..\\MyLink', '\\MyLink', 'C:MyLink', '', '\\\\Svr'])('%j is refused for every kind (not absolute)', (linkPath) => {
    for (const kind of ['symlink', 'junction', 'mountPoint'] as const) {
      expect(
        codeOf(() => validateLinkCreation(kind, 'C:\\T_Dir', linkPath)),
        `${kind} ${linkPath}`,
      ).toBe('LT_INVALID_ARGUMENT');
    }
  });

  it.each([42, null, {}])('a link path that is not a string (%j) is LT_INVALID_ARGUMENT, not a crash', (linkPath) => {
    for (const kind of ['symlink', 'junction'] as const) {
      expect(caught(() => validateLinkCreation(kind, 'C:\\T_Dir', linkPath as never)).code).toBe('LT_INVALID_ARGUMENT');
    }
  });

  it('a junction through a UNC link path: LT_UNSUPPORTED_KIND, carrying the link path, the target and the host to create it on', () => {
    const e = caught(() => validateLinkCreation('junction', 'C:\\T_Dir', '\\\\Svr\\Share\\MyJunc'));
    expect(e.code).toBe('LT_UNSUPPORTED_KIND');
    expect(e.path).toBe('\\\\Svr\\Share\\MyJunc');
    expect(e.details).toEqual({ target: 'C:\\T_Dir', host: 'Svr' });
  });
});
