/**
 * `linktools apply --stdin`: apply change records (for example a --dry-run plan the caller has
 * filtered, as the module does for -WhatIf/-Confirm). Each record is validated against the change
 * schema before anything is done, and checked against the tree before it is applied.
 */
import type { Argv } from 'yargs';
import type { Change } from '../contract/types.js';
import * as validators from '../contract/validators.js';
import { applyChange } from '../core/maintenance/apply.js';
import { LinkToolsError } from '../errors.js';
import { ntfsDriveOption, requestOptions, type CommandContext, type CommonArgs, type RequestArgs, type RequestShape } from './common.js';
import { JournalWriter } from './journal.js';

interface ApplyArgs extends RequestArgs {
  journal?: string;
}

export const command = 'apply';
export const describe = 'Apply change records read from stdin (a plan from --dry-run), each checked against the tree first.';

export function builder(y: Argv<CommonArgs>): Argv<ApplyArgs> {
  return ntfsDriveOption(requestOptions(y)).option('journal', {
    type: 'string',
    describe: 'Append every applied change to this file (fsynced)',
  }) as unknown as Argv<ApplyArgs>;
}

const SHAPE: RequestShape = {
  fields: {},
  required: [],
  pathField: 'path',
  validate(req, where) {
    const { id: _id, ...rec } = req;
    if (!validators.change(rec)) {
      const first = validators.change.errors?.[0];
      throw new LinkToolsError('LT_BAD_REQUEST', `${where} is not a change record: ${first ? `${first.instancePath || '/'} ${first.message}` : 'schema mismatch'}.`);
    }
  },
};

export async function run(argv: ApplyArgs, { platform, io }: CommandContext): Promise<void> {
  if (!argv.stdin) throw new LinkToolsError('LT_INVALID_ARGUMENT', 'apply reads change records from stdin: linktools apply --stdin');
  const journal = argv.journal ? new JournalWriter(io, argv.journal, [platform.defaultBackend.path.resolve('.')]) : null;
  try {
    journal?.prepare();
    await io.serve([], SHAPE, (req) => {
      const { id: _id, ...rec } = req;
      const c = applyChange(platform, rec as unknown as Change);
      if (c.applied && c.operation !== 'none') journal?.append(c);
      if (c.error) io.raise(3);
      return c;
    });
  } finally {
    journal?.close();
  }
}
