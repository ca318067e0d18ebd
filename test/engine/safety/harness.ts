/**
 * Shared set-up of the hostile-input suite: the race helper (exchange.c, compiled here with `cc`),
 * the packaged engine, and snapshots of real files by inode and SHA-256 so a test can prove that
 * nothing real changed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const EXCHANGE_SRC = path.join(ROOT, 'test/engine/safety/exchange.c');
const EXCHANGE_BIN = path.join(ROOT, '.cache/test/exchange');

/** Print a reason loudly so a skip is never silent. */
export function announceSkip(what: string, reason: string): void {
  const bar = '!'.repeat(80);
  process.stderr.write(`\n${bar}\n!! SKIPPED ${what}: ${reason}\n${bar}\n`);
}

/** Compile the race helper once (when missing or older than its source); the reason when it cannot. */
export function buildExchange(): { bin: string | null; reason: string | null } {
  if (process.platform !== 'linux') return { bin: null, reason: `renameat2(RENAME_EXCHANGE) is Linux-only (this is ${process.platform})` };
  try {
    if (fs.existsSync(EXCHANGE_BIN) && fs.statSync(EXCHANGE_BIN).mtimeMs >= fs.statSync(EXCHANGE_SRC).mtimeMs) return { bin: EXCHANGE_BIN, reason: null };
    fs.mkdirSync(path.dirname(EXCHANGE_BIN), { recursive: true });
    const tmp = `${EXCHANGE_BIN}.${process.pid}`;
    const r = spawnSync('cc', ['-O2', '-Wall', '-o', tmp, EXCHANGE_SRC], { encoding: 'utf8' });
    if (r.error) return { bin: null, reason: `no C compiler (cc: ${r.error.message}); install gcc` };
    if (r.status !== 0) return { bin: null, reason: `cc failed: ${r.stderr}` };
    fs.renameSync(tmp, EXCHANGE_BIN);
    return { bin: EXCHANGE_BIN, reason: null };
  } catch (e) {
    return { bin: null, reason: (e as Error).message };
  }
}

/** The packaged engine, or the reason it cannot be used (missing, or older than the sources). */
export function packagedEngine(): { exe: string | null; reason: string | null } {
  const exe = process.env.LINKTOOLS_TEST_EXE || path.join(ROOT, 'dist/bin/linux-x64/linktools');
  if (!fs.existsSync(exe)) return { exe: null, reason: `${exe} does not exist (run npm run build)` };
  if (process.env.LINKTOOLS_TEST_EXE) return { exe, reason: null };
  const newest = (dir: string): number =>
    Math.max(...fs.readdirSync(dir, { withFileTypes: true }).map((d) => (d.isDirectory() ? newest(path.join(dir, d.name)) : fs.statSync(path.join(dir, d.name)).mtimeMs)));
  const src = path.join(ROOT, 'engine/src');
  if (fs.statSync(exe).mtimeMs < newest(src)) return { exe: null, reason: `${exe} is older than engine/src (run npm run build)` };
  return { exe, reason: null };
}

export interface EngineRun {
  code: number;
  records: Array<Record<string, unknown>>;
  errors: Array<{ code: string; path?: string; message: string }>;
  stderr: string;
}

function lines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Run the engine asynchronously (so a race helper runs beside it); generous hang guard. */
export function runEngine(exe: string, args: string[], input = ''): Promise<EngineRun> {
  return new Promise((resolve, reject) => {
    const c = spawn(exe, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PKG_NATIVE_CACHE_PATH: path.join(ROOT, '.cache/pkg-native') } });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => (out += String(d)));
    c.stderr.on('data', (d) => (err += String(d)));
    const guard = setTimeout(() => c.kill('SIGKILL'), 50_000);
    c.on('error', reject);
    c.on('close', (code) => {
      clearTimeout(guard);
      const recs = lines(out);
      const errs = [...lines(err), ...recs].filter((r) => r['recordType'] === 'error') as unknown as EngineRun['errors'];
      resolve({ code: code ?? -1, records: recs.filter((r) => r['recordType'] !== 'error'), errors: errs, stderr: err });
    });
    c.stdin.end(input);
  });
}

export interface Race {
  /** Stop the helper and wait for it: how many exchanges succeeded and failed. */
  stop(): Promise<{ exchanges: number; failed: number }>;
}

/** Start swapping each pair [a, b] with RENAME_EXCHANGE, at most `rounds` rounds. */
export function startRace(bin: string, pairs: Array<[string, string]>, rounds = 3_000_000): Race {
  const stopFile = path.join(os.tmpdir(), `lt-race-stop-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const c: ChildProcess = spawn(bin, [String(rounds), stopFile, ...pairs.flat()], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  c.stdout!.on('data', (d) => (out += String(d)));
  const done = new Promise<void>((r) => c.on('close', () => r()));
  const guard = setTimeout(() => c.kill('SIGKILL'), 55_000);
  return {
    async stop() {
      fs.writeFileSync(stopFile, '');
      await done;
      clearTimeout(guard);
      fs.rmSync(stopFile, { force: true });
      const [ok, failed] = out.trim().split(/\s+/).map(Number);
      return { exchanges: ok ?? 0, failed: failed ?? 0 };
    },
  };
}

export interface RealEntry {
  ino: number;
  type: 'file' | 'dir';
  sha256: string | null;
  nlink: number;
}

/** Every real file and directory under `dir` (recursively, links not followed), keyed by inode. */
export function realEntries(dir: string): Map<number, RealEntry> {
  const out = new Map<number, RealEntry>();
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d)) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      if (st.isFile()) out.set(st.ino, { ino: st.ino, type: 'file', sha256: createHash('sha256').update(fs.readFileSync(p)).digest('hex'), nlink: st.nlink });
      else if (st.isDirectory()) {
        out.set(st.ino, { ino: st.ino, type: 'dir', sha256: null, nlink: 0 });
        walk(p);
      }
    }
  };
  walk(dir);
  return out;
}

/** Names under `dir` (recursively) that look like LinkTools' temporary names. */
export function tempLeftovers(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((n) => path.basename(n).includes('.lt-'));
}

export function mkTree(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** A file with random content (so a hash proves it is the same file with the same content). */
export function writeRandom(p: string): void {
  fs.writeFileSync(p, `${p}\n${Math.random()}\n${'x'.repeat(Math.floor(Math.random() * 64))}`);
}
