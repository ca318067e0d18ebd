/**
 * Runs the engine CLI as a real process. Uses the packaged executable when LINKTOOLS_TEST_EXE names
 * one (the test driver sets it after `npm run build`), else an esbuild bundle made once per run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expectValid } from './contract.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bundle = path.join(root, '.cache/test/linktools.cjs');
let ready: Promise<void> | undefined;

export async function ensureCli(): Promise<void> {
  if (process.env.LINKTOOLS_TEST_EXE) return;
  ready ??= build({
    absWorkingDir: root,
    entryPoints: ['engine/src/cli/main.ts'],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['koffi'],
    banner: { js: "const __lt_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__lt_meta_url' },
    logLevel: 'error',
  }).then(() => undefined);
  await ready;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  records: Array<Record<string, unknown> & { recordType: string }>;
  errors: Array<Record<string, unknown> & { recordType: string; code: string }>;
}

function parseLines(text: string): Array<Record<string, unknown> & { recordType: string }> {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** The program and arguments that run the engine with `args` (for spawn or a shell line). */
export function engineCommand(args: string[]): { cmd: string; argv: string[] } {
  const exe = process.env.LINKTOOLS_TEST_EXE;
  return exe ? { cmd: exe, argv: args } : { cmd: process.execPath, argv: [bundle, ...args] };
}

/** The engine command line quoted for /bin/sh. */
export function engineShellLine(args: string[]): string {
  const { cmd, argv } = engineCommand(args);
  return [cmd, ...argv].map(shellQuote).join(' ');
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The environment the engine runs with in tests. */
export function engineEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LINKTOOLS_MAIN: '1' };
}

export function cli(args: string[], opts: { input?: string; cwd?: string } = {}): CliResult {
  const { cmd, argv } = engineCommand(args);
  const r = spawnSync(cmd, argv, { input: opts.input ?? '', cwd: opts.cwd, encoding: 'utf8', env: engineEnv() });
  if (r.error) throw r.error;
  const records = args[0] === 'schema' || args.includes('--help') ? [] : parseLines(r.stdout);
  for (const rec of records) expectValid(rec);
  const errors = parseLines(r.stderr).filter((e) => e.recordType === 'error') as CliResult['errors'];
  for (const e of errors) expectValid(e);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, records, errors };
}

export function haveCli(): boolean {
  return Boolean(process.env.LINKTOOLS_TEST_EXE) || fs.existsSync(bundle);
}
