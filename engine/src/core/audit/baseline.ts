/**
 * Baselines: what links a tree had (path -> kind, target, fileId), saved with --save-baseline and
 * compared with --baseline. Comparison streams: each link found is checked off against the
 * baseline as the walk meets it; what is left at the end (under the roots audited now) was removed.
 */
import type { Baseline, Drift } from '../../contract/types.js';
import * as validators from '../../contract/validators.js';
import { LinkToolsError } from '../../errors.js';
import { ENGINE_VERSION, SCHEMA_VERSION } from '../../version.js';
import { ajvMessage } from './config.js';
import { atOrBelow } from './paths.js';

export type LinkState = Baseline['links'][string];

/** Parse and validate baseline text. Throws LT_BAD_BASELINE. */
export function parseBaseline(text: string, file = 'the baseline'): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new LinkToolsError('LT_BAD_BASELINE', `${file} is not JSON: ${(e as Error).message}`, file);
  }
  const v = validators.baseline;
  if (!v(doc)) throw new LinkToolsError('LT_BAD_BASELINE', `${file} does not match the baseline schema: ${ajvMessage(v.errors)}`, file, { errors: v.errors });
  return doc as Baseline;
}

/** Collects the current links for --save-baseline. */
export class BaselineWriter {
  private readonly links: Record<string, LinkState> = Object.create(null);
  add(path: string, state: LinkState): void {
    this.links[path] = state;
  }
  toDocument(roots: string[], now = new Date()): Baseline {
    const sorted: Record<string, LinkState> = {};
    for (const k of Object.keys(this.links).sort()) sorted[k] = this.links[k]!;
    return { baselineVersion: 1, schemaVersion: SCHEMA_VERSION, createdAt: now.toISOString(), engineVersion: ENGINE_VERSION, roots, links: sorted };
  }
}

function drift(change: Drift['change'], path: string, before: LinkState | null, after: LinkState | null): Drift {
  return { recordType: 'drift', schemaVersion: SCHEMA_VERSION, change, path, before, after };
}

/** Compares the links found now with a baseline, one link at a time. */
export class DriftTracker {
  private readonly pending: Map<string, LinkState>;
  constructor(base: Baseline) {
    this.pending = new Map(Object.entries(base.links));
  }

  /** The drift record for a link found now, or null when it is as it was. */
  seen(path: string, now: LinkState): Drift | null {
    const before = this.pending.get(path);
    if (!before) return drift('added', path, null, now);
    this.pending.delete(path);
    if (before.kind !== now.kind) return drift('kindChanged', path, before, now);
    const moved = now.kind === 'hardlink' ? before.fileId !== now.fileId : before.target !== now.target;
    return moved ? drift('retargeted', path, before, now) : null;
  }

  /** Baseline links under `roots` that were not seen: removed. Baseline links elsewhere are not judged. */
  removed(roots: readonly string[]): Drift[] {
    const out: Drift[] = [];
    for (const [path, before] of [...this.pending].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (roots.some((r) => atOrBelow(r, path))) out.push(drift('removed', path, before, null));
    }
    this.pending.clear();
    return out;
  }
}
