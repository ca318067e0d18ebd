/**
 * Stop when the caller is gone. A PowerShell session killed with SIGKILL cannot end its engine, and
 * an engine in a long synchronous walk does not see its stdout close until it next writes. So, for
 * the long-running modes (--stdin sessions, scan, audit, serve):
 *  - the parent pid is checked every half second (a timer between requests, and from the output
 *    path during a walk): a changed parent (re-parented to init or a subreaper) or one that no longer
 *    exists means the caller died;
 *  - with `deathSignal`, Linux also gets PR_SET_PDEATHSIG (SIGTERM), which the kernel delivers even
 *    while the engine is busy in a synchronous walk. Used for the read-only walks only, so a create
 *    or remove is never cut in the middle; those stop between two requests.
 * stdin EOF ends a --stdin session by itself (the request loop ends).
 */
import { processExists, setParentDeathSignal } from '../platform/process.js';

interface ParentWatch {
  /** Check now (cheap); calls onGone when the parent is gone. */
  check(): void;
  stop(): void;
}

export function watchParent(onGone: () => void, opts: { deathSignal?: boolean } = {}): ParentWatch {
  const ppid = process.ppid;
  if (opts.deathSignal) setParentDeathSignal();
  let gone = false;
  const check = () => {
    if (gone) return;
    if (process.ppid !== ppid || !processExists(ppid)) {
      gone = true;
      onGone();
    }
  };
  check(); // the parent may have died before the signal was armed
  const timer = setInterval(check, 500);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
