/**
 * Faults around the engine: a reader that goes away (`scan BIG | head -1`), a parent that is killed
 * (SIGKILL of the PowerShell that started it), input files that are not files (FIFO, /dev/zero, a
 * directory) or too big. Each runs the real engine; waits are hang guards, never timing assertions.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, engineEnv, engineShellLine, ensureCli, shellQuote } from '../helpers/cli.js';
import { build, listing, tempDir } from '../helpers/tree.js';
import { platformOnly, requireOrSkip } from '../helpers/capability.js';

beforeAll(async () => {
  await ensureCli();
});

const posix = !platformOnly('posix', 'faults.test.ts: closed stdout, parent death, FIFO --config');
const haveProc = posix && !requireOrSkip('proc', fs.existsSync('/proc/self/stat') ? null : '/proc/self/stat is absent', 'faults.test.ts: an engine whose parent dies stops');

/** A folder with `n` symlinks: its scan output is far larger than a pipe buffer. */
function bigTree(n: number): string {
  const d = tempDir();
  for (let i = 0; i < n; i++) fs.symlinkSync(`target-${i}`, path.join(d, `link-${String(i).padStart(5, '0')}`));
  return d;
}

/** Gone, or a zombie nobody reaped (its parent died and PID 1 here may not reap). */
function processGone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function waitFor(cond: () => boolean, guardMs: number): Promise<boolean> {
  const until = Date.now() + guardMs;
  while (Date.now() < until) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) {
    try {
      c();
    } catch {
      /* best effort */
    }
  }
});

/** Kill a process this test started, if it is still there. */
function killLater(pid: number): void {
  cleanups.push(() => {
    if (!processGone(pid)) process.kill(pid, 'SIGKILL');
  });
}

describe.skipIf(!posix)('a closed stdout ends the engine quietly', () => {
  it('scan BIG | head -1: one record through, no stack trace, exit 3', () => {
    const d = bigTree(3000);
    const r = spawnSync('bash', ['-c', `${engineShellLine(['scan', d])} | head -1; echo "engine=\${PIPESTATUS[0]}" >&2`], {
      encoding: 'utf8',
      env: engineEnv(),
      timeout: 120_000,
    });
    expect(r.error).toBeUndefined();
    const first = JSON.parse(r.stdout.trim());
    expect(first.recordType).toBe('linkInfo');
    // Only our own marker on stderr: no EPIPE stack, no error record.
    expect(r.stderr.trim()).toBe('engine=3');
  });

  it('--help | head -1 ends quietly too', () => {
    const r = spawnSync('bash', ['-c', `${engineShellLine(['info', '--help'])} | head -1; echo "engine=\${PIPESTATUS[0]}" >&2`], {
      encoding: 'utf8',
      env: engineEnv(),
      timeout: 60_000,
    });
    expect(r.stdout).toContain('linktools info');
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
  });
});

describe.skipIf(!posix || !haveProc)('an engine whose parent dies stops', () => {
  /**
   * Starts `engineArgs` under `sh`, with stdin or stdout on a FIFO this test holds open (so neither
   * EOF nor EPIPE tells the engine anything), kills the shell with SIGKILL and waits for the engine.
   */
  async function orphan(engineArgs: string[], fifoOn: 'stdin' | 'stdout', ready: (fd: number, shOut: () => string) => boolean): Promise<void> {
    const dir = tempDir();
    const fifo = path.join(dir, 'fifo');
    const mk = spawnSync('mkfifo', [fifo]);
    if (mk.status !== 0) {
      console.log('skipped: mkfifo is not available');
      return;
    }
    // O_RDWR on a FIFO opens at once and keeps both ends alive for as long as the test wants.
    const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    cleanups.push(() => fs.closeSync(fd));
    const redirect = fifoOn === 'stdin' ? `< ${shellQuote(fifo)}` : `> ${shellQuote(fifo)}`;
    const sh = spawn('sh', ['-c', `${engineShellLine(engineArgs)} ${redirect} & echo "pid $!"; wait`], {
      env: engineEnv(),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    sh.stdout.on('data', (b: Buffer) => (out += b.toString()));
    cleanups.push(() => sh.kill('SIGKILL'));
    expect(await waitFor(() => /pid (\d+)/.test(out), 30_000), 'the shell started the engine').toBe(true);
    const pid = Number(/pid (\d+)/.exec(out)![1]);
    killLater(pid);
    expect(await waitFor(() => ready(fd, () => out), 60_000), 'the engine is at work').toBe(true);
    expect(processGone(pid)).toBe(false);

    sh.kill('SIGKILL'); // the parent dies without a word to its child
    expect(await waitFor(() => processGone(pid), 20_000), `engine ${pid} still running after its parent was killed`).toBe(true);
  }

  it('a --stdin session whose stdin stays open stops when its parent is killed', async () => {
    const d = tempDir();
    build(d, { f: 'x' });
    let sent = false;
    await orphan(['info', '--stdin'], 'stdin', (fd, shOut) => {
      // Ready once it has answered a request (the answer reaches the shell's stdout).
      if (!sent) {
        fs.writeSync(fd, JSON.stringify({ id: 1, path: path.join(d, 'f') }) + '\n');
        sent = true;
      }
      return shOut().includes('"requestId":1');
    });
  });

  it('a scan blocked writing into a pipe nobody reads stops when its parent is killed', async () => {
    const d = bigTree(3000);
    const buf = Buffer.alloc(4096);
    await orphan(['scan', d], 'stdout', (fd) => {
      // Ready once records arrive; the FIFO then fills up again and the engine blocks in write.
      try {
        return fs.readSync(fd, buf, 0, buf.length, null) > 0;
      } catch {
        return false; // EAGAIN: nothing yet
      }
    });
  });
});

describe('--config and --baseline read only regular files of a sane size', () => {
  it.skipIf(!posix)('a FIFO, /dev/zero and a directory are refused at once, nothing is written', () => {
    const d = tempDir();
    build(d, { tree: null });
    const fifo = path.join(d, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const saved = path.join(d, 'saved.json');
    const cases: Array<[string, string, string]> = [
      ['--config', fifo, 'LT_BAD_CONFIG'],
      ['--baseline', fifo, 'LT_BAD_BASELINE'],
      ['--config', '/dev/zero', 'LT_BAD_CONFIG'],
      ['--baseline', '/dev/zero', 'LT_BAD_BASELINE'],
      ['--config', d, 'LT_BAD_CONFIG'],
      ['--baseline', path.join(d, 'tree'), 'LT_BAD_BASELINE'],
    ];
    for (const [opt, file, code] of cases) {
      const res = cli(['audit', path.join(d, 'tree'), opt, file, '--save-baseline', saved]);
      expect(res.code, `${opt} ${file}`).toBe(2);
      expect(res.errors[0], `${opt} ${file}`).toMatchObject({ code, fatal: true, path: file });
      expect(res.errors[0].message, `${opt} ${file}`).toMatch(/FIFO|character device|directory/);
      expect(fs.existsSync(saved)).toBe(false);
    }
    expect(listing(d)).toEqual(['fifo', 'tree']);
  });

  it('a file over 64 MiB is refused without being read', () => {
    const d = tempDir();
    build(d, { tree: null });
    const big = path.join(d, 'big.json');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, 64 * 1024 * 1024 + 1); // sparse: no disk used
    fs.closeSync(fd);
    for (const [opt, code] of [
      ['--config', 'LT_BAD_CONFIG'],
      ['--baseline', 'LT_BAD_BASELINE'],
    ]) {
      const r = cli(['audit', path.join(d, 'tree'), opt, big]);
      expect(r.code, opt).toBe(2);
      expect(r.errors[0], opt).toMatchObject({ code, fatal: true });
      expect(r.errors[0].message, opt).toContain('64 MiB');
    }
  });

  it('a regular file under the limit is still read', () => {
    const d = tempDir();
    build(d, { tree: null, 'cfg.json': JSON.stringify({ maxChain: 3 }) });
    const r = cli(['audit', path.join(d, 'tree'), '--config', path.join(d, 'cfg.json')]);
    expect(r.errors).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.records.at(-1)?.recordType).toBe('auditSummary');
  });
});
