/**
 * What the two-thread walk tests share: whether there is a handle walk (and so a second thread) here,
 * the environment that turns the thread on (restored after each test), the record normalisation,
 * and the handles the process still holds on a tree.
 */
import fs from 'node:fs';
import { afterEach } from 'vitest';
import { PosixBackend } from '../../../../engine/src/platform/posix/backend.js';

const probe = process.platform === 'linux' ? new PosixBackend().dirWalker() : null;
probe?.close();
/** A directory-handle walk exists here (Linux with koffi), so a second thread can be tested. */
export const haveDirfd = probe !== null;
if (!haveDirfd) console.log('skipped: no directory-handle walk here (Linux with koffi only), so there is no second thread to test');

const ENV = ['LINKTOOLS_SCAN_THREADS', 'LINKTOOLS_SCAN_PREFETCH_AFTER', 'LINKTOOLS_SCAN_PREFETCH_WAIT'] as const;
const saved = ENV.map((k) => process.env[k]);
afterEach(() => {
  ENV.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
});

/** One thread, or two with the hand-off after `after` folders (0: from the first, waiting for the worker). */
export function threads(n: 1 | 2, after = 0): void {
  process.env.LINKTOOLS_SCAN_THREADS = String(n);
  process.env.LINKTOOLS_SCAN_PREFETCH_AFTER = String(after);
}

/** Durations differ between runs; everything else must not. */
export function norm(line: string): string {
  return line.replace(/"(durationMs|elapsedMs)":\d+/g, '"$1":0');
}

/** Handles this process holds on `root` or below it (other test files in the process may open and close others). */
export function handlesIn(root: string): string[] {
  const held: string[] = [];
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const to = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (to === root || to.startsWith(root + '/')) held.push(to);
    } catch {
      /* closed meanwhile */
    }
  }
  return held;
}
