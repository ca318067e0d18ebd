/**
 * "The engine for people too": on a terminal an error is one readable line unless --json is given;
 * NDJSON whenever the stream is a pipe or a file (the module, scripts). Help text is wrapped at word
 * boundaries, and each command shows only its own options. The terminal is a real pty made by
 * util-linux `script`.
 */
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, engineCommand, engineEnv, engineShellLine, ensureCli, shellQuote } from '../helpers/cli.js';
import { build, tempDir } from '../helpers/tree.js';
import { platformOnly, requireOrSkip } from '../helpers/capability.js';

beforeAll(async () => {
  await ensureCli();
});

const haveScript =
  !platformOnly('posix', 'terminal.test.ts') &&
  !requireOrSkip('script', spawnSync('script', ['--version']).status === 0 ? null : 'util-linux script (a pty) is not installed', 'terminal.test.ts');

/** Run a shell line on a pty: stdout and stderr are the terminal unless the line redirects them. */
function onTerminal(line: string): { text: string; code: number } {
  const r = spawnSync('script', ['-qec', line, '/dev/null'], { encoding: 'utf8', env: { ...engineEnv(), TERM: 'dumb' }, timeout: 60_000 });
  if (r.error) throw r.error;
  return { text: r.stdout.replace(/\r\n/g, '\n'), code: r.status ?? -1 };
}

describe.skipIf(!haveScript)('errors on a terminal', () => {
  it('are one readable line, with the code and the path', () => {
    const d = tempDir();
    const missing = path.join(d, 'missing');
    const r = onTerminal(engineShellLine(['info', missing]));
    expect(r.code).toBe(3);
    const lines = r.text.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^linktools: LT_NOT_FOUND: /);
    expect(lines[0]).toContain(missing);
    expect(lines[0]).toContain('does not exist');
  });

  it('stay JSON with --json', () => {
    const d = tempDir();
    const r = onTerminal(engineShellLine(['info', '--json', path.join(d, 'missing')]));
    const rec = JSON.parse(r.text.trim());
    expect(rec).toMatchObject({ recordType: 'error', code: 'LT_NOT_FOUND', path: path.join(d, 'missing') });
  });

  it('follow the stream they go to: readable on the terminal, records NDJSON in the file', () => {
    const d = tempDir();
    build(d, { f: 'x' });
    fs.symlinkSync('f', path.join(d, 'l'));
    const file = path.join(d, 'out.ndjson');
    const r = onTerminal(`${engineShellLine(['info', path.join(d, 'l'), path.join(d, 'missing')])} > ${shellQuote(file)}`);
    expect(r.text.trim()).toMatch(/^linktools: LT_NOT_FOUND: .*missing/);
    const recs = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(recs.map((x) => x.recordType)).toEqual(['linkInfo']);
    // stderr to a file: JSON, even though stdout is the terminal.
    const errFile = path.join(d, 'err.ndjson');
    onTerminal(`${engineShellLine(['info', path.join(d, 'missing')])} 2> ${shellQuote(errFile)}`);
    expect(JSON.parse(fs.readFileSync(errFile, 'utf8').trim())).toMatchObject({ recordType: 'error', code: 'LT_NOT_FOUND' });
  });

  it('a bad command line is one readable line too', () => {
    const r = onTerminal(engineShellLine(['info', '--max-hops', 'abc', '/']));
    expect(r.code).toBe(2);
    expect(r.text.trim()).toMatch(/^linktools: LT_INVALID_ARGUMENT: --max-hops must be a whole number/);
  });

  it('with --errors-inline they are readable on a terminal stdout and records in a piped one', () => {
    const d = tempDir();
    const missing = path.join(d, 'missing');
    const tty = onTerminal(engineShellLine(['info', '--errors-inline', missing, d]));
    const lines = tty.text.trim().split('\n');
    expect(lines[0]).toMatch(/^linktools: LT_NOT_FOUND: /);
    expect(JSON.parse(lines[1])).toMatchObject({ recordType: 'linkInfo', path: d });
    const piped = onTerminal(`${engineShellLine(['info', '--errors-inline', missing, d])} | cat`);
    expect(
      piped.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).recordType),
    ).toEqual(['error', 'linkInfo']);
  });

  it('records on a terminal stay NDJSON', () => {
    const d = tempDir();
    const r = onTerminal(engineShellLine(['info', d]));
    expect(JSON.parse(r.text.trim())).toMatchObject({ recordType: 'linkInfo', kind: 'directory' });
  });
});

describe('help', () => {
  const commands = ['create', 'info', 'test', 'remove', 'schema', 'doctor', 'scan', 'audit'];
  const cache = new Map<string, Promise<string>>();
  // Asynchronous (the worker stays responsive) and cached: each help text is made once.
  const help = (args: string[], columns: number): Promise<string> => {
    const key = `${args.join(' ')}@${columns}`;
    if (!cache.has(key)) {
      cache.set(
        key,
        new Promise((resolve, reject) => {
          const { cmd, argv } = engineCommand([...args, '--help']);
          execFile(cmd, argv, { encoding: 'utf8', env: { ...engineEnv(), COLUMNS: String(columns) }, timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
        }),
      );
    }
    return cache.get(key)!;
  };
  const words = (text: string) => text.split(/\s+/).filter(Boolean).sort();

  it('is wrapped between words at any width: the same words as the unwrapped text', async () => {
    for (const c of commands) {
      const [reference, narrow, usual] = await Promise.all([help([c], 2000), help([c], 60), help([c], 100)]);
      expect(words(narrow), `${c} --help at 60 columns`).toEqual(words(reference));
      expect(words(usual), `${c} --help at 100 columns`).toEqual(words(reference));
    }
    expect(await help(['info'], 60)).toContain('$LINKTOOLS_NTFS_DRIVE');
  }, 300_000);

  it('create --help shows --kind as required; with --stdin it is not', async () => {
    const line = (await help(['create'], 100)).split('\n').find((l) => l.trimStart().startsWith('--kind'));
    expect(line).toContain('[required]');
    expect(await help(['create', '--stdin'], 100)).not.toContain('[required]');
    const r = cli(['create', '/tmp/x', 'y']);
    expect(r.code).toBe(2);
    expect(r.errors[0].message).toContain('kind');
  }, 120_000);

  it('each command lists only the options that mean something there', async () => {
    const opts = async (c: string) => new Set([...(await help([c], 2000)).matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1]));
    for (const c of ['create', 'info', 'test', 'remove']) {
      const o = await opts(c);
      for (const name of ['--stdin', '--errors-inline', '--ntfs-drive', '--json']) expect(o.has(name), `${c} ${name}`).toBe(true);
    }
    for (const c of ['scan', 'audit']) {
      const o = await opts(c);
      expect(o.has('--stdin'), c).toBe(false);
      expect(o.has('--errors-inline'), c).toBe(true);
      expect(o.has('--ntfs-drive'), c).toBe(true);
    }
    for (const c of ['schema', 'doctor']) {
      const o = await opts(c);
      for (const name of ['--stdin', '--errors-inline', '--ntfs-drive']) expect(o.has(name), `${c} ${name}`).toBe(false);
      expect(o.has('--json'), c).toBe(true);
    }
  }, 300_000);
});
