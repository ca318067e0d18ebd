/** What every maintenance command shares: --dry-run, --journal, and applying a plan item by item. */
import type { Argv } from 'yargs';
import type { Change } from '../contract/types.js';
import { applyChange } from '../core/maintenance/apply.js';
import { withRequestId, type RequestId } from '../core/records.js';
import type { Platform } from '../platform/types.js';
import type { Output } from '../cli/output.js';
import type { CommonArgs } from './common.js';
import { JournalWriter } from './journal.js';

export interface MaintenanceArgs extends CommonArgs {
  dryRun: boolean;
  journal?: string;
}

export function maintenanceOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan (change records) and change nothing' })
    .option('journal', { type: 'string', describe: 'Append every applied change to this file (fsynced), for `linktools undo --journal FILE`' }) as Argv<T>;
}

/** Exit code 3 when a change failed; the other changes go on. */
export function emitChange(out: Output, c: Change, id?: RequestId): void {
  if (c.error) out.raise(3);
  out.record(withRequestId(c, id));
}

/** Print the plan (dry run) or apply it in order, journalling each applied change before the next. */
export function runPlan(platform: Platform, plan: Change[], argv: MaintenanceArgs, out: Output, roots: string[]): void {
  if (argv.dryRun) {
    for (const c of plan) emitChange(out, c);
    return;
  }
  const journal = argv.journal ? new JournalWriter(argv.journal, roots) : null;
  try {
    if (journal && plan.some((c) => c.operation !== 'none')) journal.prepare();
    for (const planned of plan) {
      const c = applyChange(platform, planned);
      if (c.applied && c.operation !== 'none') journal?.append(c);
      emitChange(out, c);
      out.flush();
    }
  } finally {
    journal?.close();
  }
}
