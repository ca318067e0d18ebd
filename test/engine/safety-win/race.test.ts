/**
 * The Windows race harness (issue 8, item 7): the real engine (`remove`, `create --force`, `scan`)
 * runs while another process swaps entries with MoveFileExW (swapper.mjs); afterwards every real
 * file and folder that was swapped in must still be there with its content (sha256).
 *
 * Windows only: it needs NTFS and Win32 rename semantics, and runs in .github/workflows/windows.yml.
 * Elsewhere it is skipped with a printed reason. Junctions need no privilege; file symbolic links
 * need Developer Mode or an elevated runner (those cases skip with a reason when they cannot be made).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureCli } from '../helpers/cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILE = 'test/engine/safety-win/race.test.ts';

function announceSkip(reason: string): void {
  const bar = '!'.repeat(80);
  process.stderr.write(`\n${bar}\n!! SKIPPED ${FILE}: ${reason}\n${bar}\n`);
}

const reason = process.platform !== 'win32' ? `the Windows race harness needs Windows (NTFS, MoveFileExW, junctions); this is ${process.platform}` : null;
if (reason) announceSkip(reason);

const N = 60;
const ROUNDS = 3;

function canSymlinkFiles(dir: string): string | null {
  const p = path.join(dir, 'probe-link');
  try {
    fs.symlinkSync('nowhere', p, 'file');
    fs.unlinkSync(p);
    return null;
  } catch (e) {
    return `file symbolic links cannot be made by this account (${(e as NodeJS.ErrnoException).code}): enable Developer Mode or run elevated`;
  }
}

const sha = (p: string) => createHash('sha256').update(fs.readFileSync(p)).digest('hex');

/** Every regular file below `root` (not following junctions or links) with its hash. */
function realFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(sha(p), p);
    }
  };
  walk(root);
  return out;
}

function startSwapper(stop: string, pairs: [string, string][]): { child: ChildProcess; done: Promise<string> } {
  const child = spawn(process.execPath, [path.join(here, 'swapper.mjs'), stop, ...pairs.flat()], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const done = new Promise<string>((resolve) => child.on('exit', () => resolve(out)));
  return { child, done };
}

describe.skipIf(reason !== null)('race (Windows): no real file or folder changes while entries are swapped with MoveFileExW', () => {
  let base: string;
  beforeAll(async () => {
    await ensureCli();
  });
  afterEach(() => {
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  function tree() {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-race-win-'));
    const t = path.join(base, 'tree');
    const outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(t, 'dir'), { recursive: true });
    fs.mkdirSync(path.join(t, 'target'));
    fs.mkdirSync(outside);
    return { t, outside, stop: path.join(base, 'stop') };
  }

  it('leaf swaps: remove of a junction never deletes the real folder swapped in for it', async () => {
    const { t, stop } = tree();
    const want = new Map<string, string>();
    const pairs: [string, string][] = [];
    for (let i = 0; i < N; i++) {
      const real = path.join(t, `real${i}`);
      fs.mkdirSync(real);
      fs.writeFileSync(path.join(real, 'keep.txt'), `real folder ${i}`);
      want.set(sha(path.join(real, 'keep.txt')), `real${i}`);
      fs.symlinkSync(path.join(t, 'target'), path.join(t, `victim${i}`), 'junction');
      pairs.push([path.join(t, `victim${i}`), real]);
    }
    const sw = startSwapper(stop, pairs);
    for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < N; i++) cli(['remove', path.join(t, `victim${i}`)]);
    fs.writeFileSync(stop, '');
    process.stderr.write(`[race-win] leaf swapper: ${await sw.done}`);
    const have = realFiles(t);
    for (const h of want.keys()) expect(have.has(h), `real folder content ${want.get(h)} must survive`).toBe(true);
  });

  it('parent swaps: remove dir\\victimN never deletes same-named files outside the tree', async () => {
    const { t, outside, stop } = tree();
    const want: string[] = [];
    for (let i = 0; i < N; i++) {
      fs.symlinkSync(path.join(t, 'target'), path.join(t, 'dir', `victim${i}`), 'junction');
      fs.writeFileSync(path.join(outside, `victim${i}`), `outside ${i}`);
      want.push(sha(path.join(outside, `victim${i}`)));
    }
    // tree\dir alternates between the real folder and a junction to `outside`.
    fs.symlinkSync(outside, path.join(t, 'dirlink'), 'junction');
    const sw = startSwapper(stop, [[path.join(t, 'dir'), path.join(t, 'dirlink')]]);
    for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < N; i++) cli(['remove', path.join(t, 'dir', `victim${i}`)]);
    fs.writeFileSync(stop, '');
    process.stderr.write(`[race-win] parent swapper: ${await sw.done}`);
    const have = realFiles(outside);
    for (const h of want) expect(have.has(h)).toBe(true);
  });

  it('create --force never replaces a real folder swapped in for the junction it replaces', async () => {
    const { t, stop } = tree();
    fs.mkdirSync(path.join(t, 'target2'));
    const want: string[] = [];
    const pairs: [string, string][] = [];
    for (let i = 0; i < N; i++) {
      const real = path.join(t, `real${i}`);
      fs.mkdirSync(real);
      fs.writeFileSync(path.join(real, 'keep.txt'), `real folder ${i}`);
      want.push(sha(path.join(real, 'keep.txt')));
      fs.symlinkSync(path.join(t, 'target'), path.join(t, `victim${i}`), 'junction');
      pairs.push([path.join(t, `victim${i}`), real]);
    }
    const sw = startSwapper(stop, pairs);
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < N; i++) cli(['create', '--kind', 'junction', '--force', path.join(t, `victim${i}`), path.join(t, r % 2 ? 'target' : 'target2')]);
    }
    fs.writeFileSync(stop, '');
    process.stderr.write(`[race-win] create swapper: ${await sw.done}`);
    const have = realFiles(t);
    for (const h of want) expect(have.has(h)).toBe(true);
  });

  it('file symbolic links: remove never deletes the real file swapped in', async (ctx) => {
    const { t, stop } = tree();
    const why = canSymlinkFiles(t);
    if (why) {
      announceSkip(why);
      ctx.skip();
    }
    const want: string[] = [];
    const pairs: [string, string][] = [];
    fs.writeFileSync(path.join(t, 'target', 't.txt'), 'target');
    for (let i = 0; i < N; i++) {
      const real = path.join(t, `real${i}.txt`);
      fs.writeFileSync(real, `real file ${i}`);
      want.push(sha(real));
      fs.symlinkSync(path.join(t, 'target', 't.txt'), path.join(t, `victim${i}`), 'file');
      pairs.push([path.join(t, `victim${i}`), real]);
    }
    const sw = startSwapper(stop, pairs);
    for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < N; i++) cli(['remove', path.join(t, `victim${i}`)]);
    fs.writeFileSync(stop, '');
    process.stderr.write(`[race-win] file-symlink swapper: ${await sw.done}`);
    const have = realFiles(t);
    for (const h of want) expect(have.has(h)).toBe(true);
  });

  it('scan during swaps changes nothing and answers with valid records', async () => {
    const { t, outside, stop } = tree();
    for (let i = 0; i < N; i++) {
      fs.symlinkSync(path.join(t, 'target'), path.join(t, 'dir', `j${i}`), 'junction');
      fs.writeFileSync(path.join(outside, `f${i}`), `outside ${i}`);
    }
    fs.symlinkSync(outside, path.join(t, 'dirlink'), 'junction');
    const before = realFiles(base);
    const sw = startSwapper(stop, [[path.join(t, 'dir'), path.join(t, 'dirlink')]]);
    for (let r = 0; r < ROUNDS; r++) {
      const res = cli(['scan', t]);
      expect(res.code).toBeLessThan(4); // records are schema-checked by cli()
    }
    fs.writeFileSync(stop, '');
    await sw.done;
    const after = realFiles(base);
    for (const h of before.keys()) expect(after.has(h)).toBe(true);
  });
});
