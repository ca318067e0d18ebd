/** Shared set-up for the core tests that run against the mock backend in Windows and POSIX modes. */
import { MockPlatform } from '../../../../engine/src/platform/mock/backend.js';
import type { MockMode } from '../../../../engine/src/platform/mock/fs.js';

export const MODES: MockMode[] = ['windows', 'posix'];

export interface World {
  m: MockPlatform;
  /** Absolute path under the mode's work folder (C:\w or /w). */
  at: (...parts: string[]) => string;
  win: boolean;
}

export function world(mode: MockMode): World {
  const m = new MockPlatform({ mode });
  const win = mode === 'windows';
  const root = win ? 'C:\\w' : '/w';
  m.fs.addDir(root);
  m.fs.cwd = root;
  return { m, win, at: (...parts) => m.fs.path.join(root, ...parts) };
}

export { codeOf } from '../../helpers/errors.js';
