/** The contract's enumerations come from the registries, and the schemas refuse what they do not list. */
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILES } from '../../../engine/src/contract/schemas.js';
import { error as validateError, linkInfo as validateLinkInfo } from '../../../engine/src/contract/validators.js';
import { ERROR_CODES } from '../../../engine/src/errors.js';
import { SCHEMA_VERSION } from '../../../engine/src/version.js';

const error = (code: string) => ({ recordType: 'error', schemaVersion: SCHEMA_VERSION, code, category: 'NotSpecified', message: 'x', path: null });
const linkInfo = (remote: unknown) => ({
  recordType: 'linkInfo',
  schemaVersion: SCHEMA_VERSION,
  path: '/l',
  kind: 'symlink',
  targetType: null,
  target: 't',
  resolvedTarget: '/t',
  targetExists: true,
  isRelative: true,
  linkCount: 1,
  fileId: '1:2',
  chain: [],
  loop: false,
  backend: 'mock',
  remote,
});

describe('error codes', () => {
  it('the schema enumerates exactly the registry, in its order', () => {
    expect(SCHEMA_FILES.common.$defs.errorCode.enum).toEqual(Object.keys(ERROR_CODES));
  });
  it('an error record with every registry code validates; an unknown LT_ code does not', () => {
    for (const code of Object.keys(ERROR_CODES)) expect(validateError(error(code)), code).toBe(true);
    expect(validateError(error('LT_NO_SUCH_CODE'))).toBe(false);
  });
});

describe('linkInfo.remote', () => {
  it('is a full resolution, a reasoned "no prediction", or null; nothing else', () => {
    expect(validateLinkInfo(linkInfo(null))).toBe(true);
    expect(validateLinkInfo(linkInfo({ ok: null, reason: 'A file is not resolved like a symbolic link or junction: no remote prediction.' }))).toBe(true);
    expect(validateLinkInfo(linkInfo({}))).toBe(false);
    expect(validateLinkInfo(linkInfo({ ok: true, reason: 'half a resolution' }))).toBe(false);
    expect(validateLinkInfo(linkInfo({ ok: null, reason: 'x', extra: 1 }))).toBe(false);
  });
});
