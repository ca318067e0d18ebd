/**
 * `linktools undo --journal FILE`: reverse every change a journal records, newest first. An item whose
 * link changed since is refused (LT_TREE_CHANGED in its change record) and the others go on; a journal
 * from another machine or tree is refused whole before anything is changed.
 */
import os from 'node:os';
import type { Argv } from 'yargs';
import type { Change } from '../contract/types.js';
import { change, inverse } from '../core/maintenance/change.js';
import { readState } from '../core/maintenance/state.js';
import { absolutePath } from '../core/info.js';
import { LinkToolsError } from '../errors.js';
import { errorsInlineOption, ntfsDriveOption, type CommandContext, type CommonArgs } from './common.js';
import { parseJournal } from './journal.js';
import { emitChange, runPlan } from './maintenance.js';

interface UndoArgs extends CommonArgs {
  journal: string;
  dryRun: boolean;
  errorsInline: boolean;
}

export const command = 'undo';
export const describe = 'Reverse the changes a --journal file records, newest first (refusing items that changed since).';

export function builder(y: Argv<CommonArgs>): Argv<UndoArgs> {
  return ntfsDriveOption(errorsInlineOption(y))
    .option('journal', { type: 'string', demandOption: true, describe: 'The journal written by --journal' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print what undo would do and change nothing' }) as unknown as Argv<UndoArgs>;
}

export async function run(argv: UndoArgs, { platform, io }: CommandContext): Promise<void> {
  const file = absolutePath(platform, argv.journal);
  const j = parseJournal(io.readInputFile(file, 'LT_BAD_JOURNAL', 'journal'), file);
  const host = os.hostname();
  for (const h of j.headers) {
    if (h.host !== host) throw new LinkToolsError('LT_JOURNAL_MISMATCH', `The journal was written on ${h.host}, not on ${host}: nothing was undone.`, file);
    for (const r of h.roots) {
      if (readState(platform.forPath(r), r).what === 'absent') {
        throw new LinkToolsError('LT_JOURNAL_MISMATCH', `The journal describes the tree at ${r}, which does not exist here: nothing was undone.`, file);
      }
    }
  }
  const plan: Change[] = [];
  for (const c of [...j.changes].reverse()) {
    const inv = inverse(c);
    if (inv) {
      plan.push(inv);
      continue;
    }
    const r = change({ operation: 'none', path: c.path, kind: c.kind, oldTarget: c.newTarget, newTarget: c.newTarget, reason: `cannot undo this ${c.operation}` });
    r.dryRun = argv.dryRun;
    r.error = { code: 'LT_CANNOT_UNDO', message: 'A removed hard-link name cannot be recreated: the journal names no other name of the file.' };
    emitChange(io, r);
  }
  // undo does not journal itself; a second undo of the same journal finds every item changed and refuses.
  runPlan(platform, plan, { ...argv, journal: undefined }, io, []);
}
