/**
 * The one link swap of the backends that cannot exchange two names atomically (Windows, ntfs-3g
 * without anchored calls, the mock acting as Windows): the old link is moved aside, the new one
 * moved in (never replacing anything), and the old one deleted; if the new one cannot be moved in,
 * the old one goes back under its name, so it is exactly as it was. Each backend gives the four
 * steps in its own terms (through handles on Windows, by path elsewhere), each step throwing its
 * own error. The anchored POSIX swap (RENAME_EXCHANGE, then verify, swap back) is in
 * posix/anchored.ts: it exchanges and needs no aside name.
 */
import { LinkToolsError } from '../errors.js';

/** The steps of one swap, in the order they run. */
interface AsideSteps {
  /** Rename the old link from its name to the aside name. */
  moveAside(): void;
  /** Rename the new link to the old link's name (never replacing an entry, where the backend can say so). */
  moveIn(): void;
  /** Undo moveAside (only when moveIn failed). */
  moveBack(): void;
  /** Delete the old link at the aside name (only once the new one is in). */
  removeAside(): void;
}

/** Put the new link in place of the old link `to`, by the steps given; `aside` is where the old one waits. */
export function swapViaAside(steps: AsideSteps, to: string, aside: string): void {
  steps.moveAside();
  try {
    steps.moveIn();
  } catch (e) {
    try {
      steps.moveBack();
    } catch {
      throw new LinkToolsError('LT_IO', `The new link could not be moved in and the old link could not be moved back: it is at ${aside}.`, to, {
        aside,
        cause: (e as Error).message,
      });
    }
    throw e;
  }
  try {
    steps.removeAside();
  } catch (e) {
    throw new LinkToolsError('LT_IO', `The new link is in place, but the old link could not be deleted: it is still at ${aside}.`, to, {
      aside,
      cause: (e as Error).message,
    });
  }
}

/** swapViaAside by name: `rename` moves one entry (the link itself, never its target) without replacing, `remove` deletes the old link. */
export function replaceViaAside(ops: { rename(from: string, to: string): void; remove(p: string): void }, from: string, to: string, aside: string): void {
  swapViaAside(
    {
      moveAside: () => ops.rename(to, aside),
      moveIn: () => ops.rename(from, to),
      moveBack: () => ops.rename(aside, to),
      removeAside: () => ops.remove(aside),
    },
    to,
    aside,
  );
}
