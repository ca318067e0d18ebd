/** What every maintenance command shares: --dry-run, --journal, and applying a plan item by item. */
import type { Argv } from 'yargs';
import type { Change } from '../contract/types.js';
import { applyChange } from '../core/maintenance/apply.js';
import type { Platform } from '../platform/types.js';
import { errorsInlineOption, ntfsDriveOption, type CommandIO, type CommonArgs } from './common.js';
import { JournalWriter } from './journal.js';

export interface MaintenanceArgs extends CommonArgs {
  dryRun: boolean;
  journal?: string;
  errorsInline: boolean;
}

/** --dry-run, --journal, --errors-inline and --ntfs-drive. */
export function maintenanceOptions<T>(y: Argv<T>): Argv<T> {
  return ntfsDriveOption(errorsInlineOption(y))
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan (change records) and change nothing' })
    .option('journal', { type: 'string', describe: 'Append every applied change to this file (fsynced), for `linktools undo --journal FILE`' }) as Argv<T>;
}

/** Exit code 3 when a change failed; the other changes go on. */
export function emitChange(io: CommandIO, c: Change): void {
  if (c.error) io.raise(3);
  io.record(c);
}

/** Print the plan (dry run) or apply it in order, journalling each applied change before the next. */
export function runPlan(platform: Platform, plan: Change[], argv: MaintenanceArgs, io: CommandIO, roots: string[]): void {
  if (argv.dryRun) {
    for (const c of plan) emitChange(io, c);
    return;
  }
  const journal = argv.journal ? new JournalWriter(io, argv.journal, roots) : null;
  try {
    if (journal && plan.some((c) => c.operation !== 'none')) journal.prepare();
    for (const planned of plan) {
      const c = applyChange(platform, planned);
      if (c.applied && c.operation !== 'none') journal?.append(c);
      emitChange(io, c);
    }
  } finally {
    journal?.close();
  }
}
