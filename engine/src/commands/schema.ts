/** `linktools schema [name]`: print the record schemas (the contract), one JSON object per line. */
import type { Argv } from 'yargs';
import { SCHEMA_FILES } from '../contract/schemas.js';
import { LinkToolsError } from '../errors.js';
import type { CommandContext, CommonArgs } from './common.js';

interface SchemaArgs extends CommonArgs {
  name?: string;
}

export const command = 'schema [name]';
export const describe = 'Print the JSON Schemas (draft 2020-12) of every record this engine prints.';

export function builder(y: Argv<CommonArgs>): Argv<SchemaArgs> {
  return y.positional('name', { type: 'string', describe: `One of: ${Object.keys(SCHEMA_FILES).join(', ')}` }) as unknown as Argv<SchemaArgs>;
}

export async function run(argv: SchemaArgs, { io }: CommandContext): Promise<void> {
  const all = SCHEMA_FILES as Record<string, unknown>;
  const names = argv.name !== undefined ? [argv.name] : Object.keys(all);
  for (const n of names) {
    if (!Object.hasOwn(all, n)) throw new LinkToolsError('LT_INVALID_ARGUMENT', `No schema named '${n}': use one of ${Object.keys(all).join(', ')}.`);
  }
  for (const n of names) io.json(all[n]);
}
