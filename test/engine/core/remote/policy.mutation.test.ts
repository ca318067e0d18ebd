/**
 * SymlinkEvaluation policy parsing: cases aimed at survivors of
 * `npm run mutate -- --mutate engine/src/core/remote/policy.ts` (docs/mutation.md lists the equivalent ones).
 */
import { describe, expect, it } from 'vitest';

import { CLASS_WORDS, checkPolicy, DEFAULT_POLICY, parsePolicy } from '../../../../engine/src/core/remote/policy.js';
import { caught } from '../../helpers/errors.js';

describe('policy: edge cases', () => {
  it('names each class in words', () => {
    expect(CLASS_WORDS).toEqual({
      L2L: 'local link to a local target',
      L2R: 'local link to a remote target',
      R2L: 'remote link to a local target',
      R2R: 'remote link to a remote target',
    });
  });

  it.each([
    'Remote  to local symbolic links are enabled.',
    'Remote to  local symbolic links are enabled.',
    'Remote to local  symbolic links are enabled.',
    'Remote to local symbolic  links are enabled.',
    'Remote to local symbolic links  are enabled.',
    'Remote to local symbolic links are  enabled.',
    'Remote to local symbolic\tlinks are\r\n enabled.',
  ])('fsutil text with several spaces between words is read: %j', (text) => {
    expect(parsePolicy(text)).toEqual({ ...DEFAULT_POLICY, R2L: true });
  });

  it('pairs mixed with bare names are refused as a mix', () => {
    const e = caught(() => parsePolicy('L2L:1,R2L'));
    expect(e.code).toBe('LT_INVALID_ARGUMENT');
    expect(e.message).toMatch(/cannot be mixed/);
  });

  it('a pair with text before the class is refused', () => {
    expect(caught(() => parsePolicy('X:L2L:1')).code).toBe('LT_INVALID_ARGUMENT');
    expect(caught(() => parsePolicy(['R2R:1', 'junk:L2L:0'])).code).toBe('LT_INVALID_ARGUMENT');
  });

  it.each(['L2L:', 'L2L:10', 'R2R:01'])('%j is refused for its value', (spec) => {
    const e = caught(() => parsePolicy(spec));
    expect(e.code).toBe('LT_INVALID_ARGUMENT');
    expect(e.message).toMatch(/must end in :0 or :1/);
  });

  it('checkPolicy refuses null and a non-object, even one carrying the four booleans', () => {
    expect(caught(() => checkPolicy(null as never)).code).toBe('LT_INVALID_ARGUMENT');
    const fn = Object.assign(() => 0, { L2L: true, L2R: true, R2L: false, R2R: false });
    expect(caught(() => checkPolicy(fn as never)).code).toBe('LT_INVALID_ARGUMENT');
  });
});
