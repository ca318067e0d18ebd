/** Runs the audit core with a collecting sink; every record is validated against its schema. */
import fs from 'node:fs';
import os from 'node:os';
import type { Baseline, Drift, Finding, Progress } from '../../../../engine/src/contract/types.js';
import { runAudit, type AuditResult } from '../../../../engine/src/core/audit/audit.js';
import { resolveSettings, type AuditCliOptions } from '../../../../engine/src/core/audit/config.js';
import type { LinkToolsError } from '../../../../engine/src/errors.js';
import type { Platform } from '../../../../engine/src/platform/types.js';
import { createPlatform } from '../../../../engine/src/platform/index.js';
import type { AuditConfig } from '../../../../engine/src/contract/types.js';
import { expectValid } from '../../helpers/contract.js';

export interface Collected extends AuditResult {
  streamed: Finding[];
  streamedDrift: Drift[];
  errors: LinkToolsError[];
  progress: Progress[];
}

export function audit(
  roots: string[],
  cli: AuditCliOptions = {},
  more: { platform?: Platform; config?: AuditConfig; baseline?: Baseline; saveBaseline?: boolean; maxDepth?: number; kinds?: string[]; progressIntervalMs?: number } = {},
): Collected {
  const streamed: Finding[] = [];
  const streamedDrift: Drift[] = [];
  const errors: LinkToolsError[] = [];
  const progress: Progress[] = [];
  const r = runAudit(
    more.platform ?? createPlatform(),
    {
      roots,
      settings: resolveSettings(more.config ?? null, cli),
      baseline: more.baseline ?? null,
      collect: true,
      saveBaseline: more.saveBaseline,
      maxDepth: more.maxDepth,
      kinds: more.kinds,
      progressIntervalMs: more.progressIntervalMs,
    },
    {
      finding: (f) => streamed.push(expectValid(f)),
      drift: (d) => streamedDrift.push(expectValid(d)),
      error: (e) => errors.push(e),
      progress: more.progressIntervalMs ? (p) => progress.push(expectValid(p)) : undefined,
    },
  );
  expectValid(r.summary);
  for (const l of r.links) expectValid(l);
  return { ...r, streamed, streamedDrift, errors, progress };
}

/** Findings as sorted "rule path" strings, paths relative to `root` with `/`. */
export function pairs(fs: readonly Finding[], root: string, sep = '/'): string[] {
  return fs
    .map(
      (f) =>
        `${f.rule} ${
          f.path.startsWith(root + sep)
            ? f.path
                .slice(root.length + 1)
                .split(sep)
                .join('/')
            : f.path
        }`,
    )
    .sort();
}

/**
 * 1 when the demo tree's passwd link (to /etc/passwd) crosses file systems, i.e. the temporary
 * folder is a file system of its own (tmpfs /tmp): other-filesystem then fires on it too.
 */
export const CROSS_FS: 0 | 1 = (() => {
  const etc = fs.statSync('/etc/passwd', { throwIfNoEntry: false });
  return etc !== undefined && etc.dev !== fs.statSync(os.tmpdir()).dev ? 1 : 0;
})();
