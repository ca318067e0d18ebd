#!/usr/bin/env node
/**
 * linktools CLI: yargs wiring and exit codes. The only place that sets the exit code.
 * Exit codes: 0 success; 1 the answer is "no"; 2 bad input; 3 an operation failed.
 */
import yargs, { type Argv } from 'yargs';
import { LinkToolsError } from '../errors.js';
import { ENGINE_VERSION } from '../version.js';
import { Output } from './output.js';
import { setNtfsDrive } from '../platform/ntfs3g/mounts.js';
import type { CommonArgs } from '../commands/common.js';
import * as create from '../commands/create.js';
import * as info from '../commands/info.js';
import * as test from '../commands/test.js';
import * as remove from '../commands/remove.js';
import * as schema from '../commands/schema.js';
import * as doctor from '../commands/doctor.js';
import * as scan from '../commands/scan.js';
import * as audit from '../commands/audit.js';
import * as serve from './serve.js';

interface CommandDef {
  command: string;
  describe: string;
  builder(y: Argv<CommonArgs>): Argv<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  run(argv: any, out: Output): Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export const COMMANDS: CommandDef[] = [create, info, test, remove, schema, doctor, scan, audit, serve];

export async function main(args: string[]): Promise<number> {
  let out = new Output(args.includes('--errors-inline'));
  let parser = yargs(args)
    .scriptName('linktools')
    .version(ENGINE_VERSION)
    .option('stdin', { type: 'boolean', default: false, describe: 'Read NDJSON requests from stdin (one engine for a whole pipeline)' })
    .option('errors-inline', { type: 'boolean', default: false, describe: 'Write error records to stdout in order with the results' })
    .option('ntfs-drive', { type: 'string', describe: 'Drive letter of ntfs-3g mounts: D:, or D:=/mnt/d;E:=/mnt/e (default $LINKTOOLS_NTFS_DRIVE, else C:; see docs/ntfs.md)' })
    .middleware((a) => setNtfsDrive(a.ntfsDrive as string | undefined))
    .strict()
    .demandCommand(1, 'Name a command: linktools <command> --help')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new LinkToolsError('LT_INVALID_ARGUMENT', msg);
    })
    .help();
  for (const c of COMMANDS) {
    parser = parser.command(c.command, c.describe, (y) => c.builder(y as unknown as Argv<CommonArgs>), async (argv) => {
      out = new Output(Boolean(argv.errorsInline));
      await c.run(argv, out);
    });
  }
  try {
    await parser.parseAsync();
  } catch (e) {
    const err = e instanceof LinkToolsError ? e : new LinkToolsError('LT_INVALID_ARGUMENT', (e as Error).message);
    out.error(err, undefined, undefined, true);
  }
  out.flush();
  return out.exitCode;
}

const isEntry = (() => {
  try {
    return typeof require !== 'undefined' ? require.main === module : process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
  } catch {
    return true;
  }
})();

declare const require: NodeRequire | undefined;
declare const module: NodeModule | undefined;

if (isEntry || process.env.LINKTOOLS_MAIN === '1') {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(JSON.stringify({ recordType: 'error', schemaVersion: '1.0', code: 'LT_INTERNAL', category: 'NotSpecified', message: String(e?.stack ?? e), path: null }) + '\n');
      process.exitCode = 3;
    },
  );
}
