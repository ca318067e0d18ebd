import { LinkToolsError } from '../../../engine/src/errors.js';

/** The LinkTools error code a call throws, or 'no error'. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
}

/** The LinkToolsError `fn` throws; returning, or throwing anything else, fails the test. */
export function caught(fn: () => unknown): LinkToolsError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LinkToolsError) return e;
    throw e;
  }
  throw new Error('expected a LinkToolsError, but nothing was thrown');
}
