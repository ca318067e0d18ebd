/**
 * Race suite: the packaged engine works on a tree while another process swaps its entries with
 * renameat2(RENAME_EXCHANGE) (exchange.c), as another user who can write the tree would. Leaf swaps
 * exchange a link with a real file; parent swaps exchange the folder being worked in with a symlink
 * to an outside folder holding real files of the same names. After each run every real file and
 * folder must still exist with the same inode and the same SHA-256, and no temporary name may be
 * left behind. Bounded: each helper run stops when the engine is done (or after its round limit).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceSkip, buildExchange, mkTree, packagedEngine, realEntries, runEngine, startRace, tempLeftovers, writeRandom, type EngineRun } from './harness.js';

const ex = buildExchange();
const eng = packagedEngine();
const reason = ex.reason ?? eng.reason;
if (reason) announceSkip('test/engine/safety/race.test.ts', reason);

/** Codes an operation may end with when the tree changes under it: refusals, never data loss. */
const REFUSALS = ['LT_NOT_A_LINK', 'LT_BUSY', 'LT_NOT_FOUND', 'LT_ACCESS_DENIED', 'LT_EXISTS'];

function expectSameReal(before: Map<number, { sha256: string | null; type: string }>, after: Map<number, { sha256: string | null; type: string }>, where: string): void {
  const missing = [...before.keys()].filter((ino) => !after.has(ino));
  expect(missing.length, `${missing.length} real entries of ${where} vanished`).toBe(0);
  const changed = [...before.entries()].filter(([ino, e]) => after.get(ino)!.sha256 !== e.sha256 || after.get(ino)!.type !== e.type);
  expect(changed.length, `${changed.length} real files of ${where} changed content`).toBe(0);
}

function expectOnlyRefusals(r: EngineRun, userPaths: Set<string>): void {
  for (const e of r.errors) {
    expect(REFUSALS, `unexpected error ${e.code}: ${e.message}`).toContain(e.code);
    if (e.path !== undefined) expect(userPaths.has(e.path), `error names ${e.path}, not a path the user gave`).toBe(true);
  }
}

const N_PARENT = Number(process.env.LT_RACE_PARENT_N ?? 400);
const N_LEAF = Number(process.env.LT_RACE_LEAF_N ?? 150);

describe.skipIf(reason !== null)('race: no real file changes while entries are swapped', () => {
  const exe = eng.exe!;
  const bin = ex.bin!;
  let base: string;
  beforeAll(() => {
    base = mkTree('lt-race-');
  });
  afterAll(() => {
    fs.rmSync(base, { recursive: true, force: true });
  });

  /** T (writable by everyone) holds dir/ with links victimK and evil -> outside/ with real victimK. */
  function parentSwapTree(name: string, n: number) {
    const t = path.join(base, name, 'T');
    const outside = path.join(base, name, 'outside');
    fs.mkdirSync(path.join(t, 'dir'), { recursive: true });
    fs.mkdirSync(outside);
    fs.chmodSync(t, 0o777);
    fs.writeFileSync(path.join(t, 'target.txt'), 'target');
    const paths: string[] = [];
    for (let k = 0; k < n; k++) {
      fs.symlinkSync('../target.txt', path.join(t, 'dir', `victim${k}`));
      writeRandom(path.join(outside, `victim${k}`));
      paths.push(path.join(t, 'dir', `victim${k}`));
    }
    fs.symlinkSync(outside, path.join(t, 'evil'));
    return { t, outside, paths, pair: [path.join(t, 'dir'), path.join(t, 'evil')] as [string, string] };
  }

  /** T/dir (writable by everyone) holds pairs linkK (symlink) and fileK (real file). */
  function leafSwapTree(name: string, n: number) {
    const dir = path.join(base, name, 'dir');
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o777);
    const pairs: Array<[string, string]> = [];
    for (let k = 0; k < n; k++) {
      writeRandom(path.join(dir, `file${k}`));
      fs.symlinkSync(`file${k}`, path.join(dir, `link${k}`));
      pairs.push([path.join(dir, `link${k}`), path.join(dir, `file${k}`)]);
    }
    return { dir, pairs, links: pairs.map((p) => p[0]) };
  }

  it('remove: swapping the parent folder with a link to an outside folder deletes nothing outside', async () => {
    const tr = parentSwapTree('rm-parent', N_PARENT);
    const before = realEntries(tr.outside);
    const race = startRace(bin, [tr.pair]);
    const r = await runEngine(exe, ['remove', ...tr.paths]);
    const x = await race.stop();
    expect(x.exchanges, 'the helper never swapped: the test would prove nothing').toBeGreaterThan(0);
    expectSameReal(before, realEntries(tr.outside), 'the outside folder');
    expectOnlyRefusals(r, new Set(tr.paths));
    expect(r.records.length + r.errors.length).toBe(N_PARENT);
    expect(r.records.length, 'no link was removed at all').toBeGreaterThan(0);
    expect(tempLeftovers(path.dirname(tr.t))).toEqual([]);
    // every link that was reported removed is gone from the tree folder, and nothing else was
    const dirNow = fs.lstatSync(path.join(tr.t, 'dir')).isDirectory() ? path.join(tr.t, 'dir') : path.join(tr.t, 'evil');
    for (const rec of r.records) expect(fs.existsSync(path.join(dirNow, path.basename(String(rec['path']))))).toBe(false);
  });

  it('remove: swapping each link with a real file deletes no real file', async () => {
    const tr = leafSwapTree('rm-leaf', N_LEAF);
    const before = realEntries(tr.dir);
    const race = startRace(bin, tr.pairs);
    const r = await runEngine(exe, ['remove', ...tr.links]);
    const x = await race.stop();
    expect(x.exchanges).toBeGreaterThan(0);
    expectSameReal(before, realEntries(tr.dir), 'the tree folder');
    expectOnlyRefusals(r, new Set(tr.links));
    for (const rec of r.records) expect(rec['kind']).toBe('symlink');
    expect(tempLeftovers(tr.dir)).toEqual([]);
  });

  it('create --force: swapping each link with a real file replaces no real file and leaves no temporary name', async () => {
    const tr = leafSwapTree('force-leaf', N_LEAF);
    const before = realEntries(tr.dir);
    const input = tr.links.map((l, i) => JSON.stringify({ id: String(i), link: l, target: 'new-target', kind: 'symlink', targetType: 'file', force: true })).join('\n') + '\n';
    const race = startRace(bin, tr.pairs);
    const r = await runEngine(exe, ['create', '--stdin'], input);
    const x = await race.stop();
    expect(x.exchanges).toBeGreaterThan(0);
    expectSameReal(before, realEntries(tr.dir), 'the tree folder');
    expectOnlyRefusals(r, new Set(tr.links));
    expect(r.records.length + r.errors.length).toBe(N_LEAF);
    expect(tempLeftovers(tr.dir)).toEqual([]);
  });

  it('create --force: swapping the parent folder with a link to an outside folder replaces nothing outside', async () => {
    const tr = parentSwapTree('force-parent', N_PARENT);
    const before = realEntries(tr.outside);
    const input = tr.paths.map((l, i) => JSON.stringify({ id: String(i), link: l, target: '../target.txt', kind: 'symlink', targetType: 'file', force: true })).join('\n') + '\n';
    const race = startRace(bin, [tr.pair]);
    const r = await runEngine(exe, ['create', '--stdin'], input);
    const x = await race.stop();
    expect(x.exchanges).toBeGreaterThan(0);
    expectSameReal(before, realEntries(tr.outside), 'the outside folder');
    expect(fs.readdirSync(tr.outside).filter((n) => fs.lstatSync(path.join(tr.outside, n)).isSymbolicLink())).toEqual([]);
    expectOnlyRefusals(r, new Set(tr.paths));
    expect(r.records.length, 'no link was replaced at all').toBeGreaterThan(0);
    expect(tempLeftovers(path.dirname(tr.t))).toEqual([]);
  });
});
