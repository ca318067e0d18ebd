/**
 * `linktools apply --stdin`: apply change records (for example a --dry-run plan the caller has
 * filtered, as the module does for -WhatIf/-Confirm). Each record is validated against the change
 * schema before anything is done; each is checked against the tree before it is applied.
 */
import type { Argv } from 'yargs';
import type { Change } from '../contract/types.js';
import * as validators from '../contract/validators.js';
import { applyChange } from '../core/maintenance/apply.js';
import { LinkToolsError } from '../errors.js';
import { getPlatform } from '../platform/index.js';
import { forEachRequest } from '../cli/requests.js';
import type { Output } from '../cli/output.js';
import type { CommonArgs } from './common.js';
import { JournalWriter } from './journal.js';
import { emitChange } from './maintenance.js';

export interface ApplyArgs extends CommonArgs {
  journal?: string;
}

export const command = 'apply';
export const describe = 'Apply change records read from stdin (a plan from --dry-run), each checked against the tree first.';

export function builder(y: Argv<CommonArgs>): Argv<ApplyArgs> {
  return y.option('journal', { type: 'string', describe: 'Append every applied change to this file (fsynced)' }) as unknown as Argv<ApplyArgs>;
}

export async function run(argv: ApplyArgs, out: Output): Promise<void> {
  if (!argv.stdin) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'apply reads change records from stdin: linktools apply --stdin');
  const platform = getPlatform();
  const journal = argv.journal ? new JournalWriter(argv.journal, [process.cwd()]) : null;
  try {
    await forEachRequest(true, [], out, (req, id) => {
      const { id: _id, ...rec } = req;
      if (rec.requestId !== undefined) delete rec.requestId;
      if (!validators.change(rec)) {
        throw new LinkToolsError('LT_BAD_REQUEST', `The request is not a change record: ${JSON.stringify(validators.change.errors?.[0] ?? {})}`);
      }
      const c = applyChange(platform, rec as unknown as Change);
      if (c.applied && c.operation !== 'none') journal?.append(c);
      emitChange(out, c, id);
    });
  } finally {
    journal?.close();
  }
}
