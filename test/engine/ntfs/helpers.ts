/**
 * Test helpers for the reparse codec: hex fixtures, a seeded PRNG and the fuzz loops.
 *
 * The fuzz loops are plain functions so the same code runs as a quick CI test (fuzz.test.ts, a few
 * thousand cases per category) and as a long run (build/fuzz-reparse.mjs sets FUZZ_ITERATIONS).
 * Any violation throws an Error whose message carries FUZZ_SEED and the offending buffer in hex.
 */

import { randomInt } from 'node:crypto';
import { LinkToolsError } from '../../../engine/src/errors.js';
import {
  buildAppExecLinkBuffer,
  buildLxSymlinkBuffer,
  buildMountPointBuffer,
  buildReparseBuffer,
  buildSymlinkBuffer,
  IO_REPARSE_TAG_APPEXECLINK,
  IO_REPARSE_TAG_CLOUD,
  IO_REPARSE_TAG_LX_SYMLINK,
  IO_REPARSE_TAG_MOUNT_POINT,
  IO_REPARSE_TAG_NFS,
  IO_REPARSE_TAG_SYMLINK,
  parseReparseBuffer,
  type ReparseData,
} from '../../../engine/src/ntfs/index.js';

/** "03 00 00 a0 ..." (spaces, newlines and `|` ignored) → bytes. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s|]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex fixture: ${text}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHex(buf: Uint8Array): string {
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Run parse and return the LinkToolsError it throws; fail if it returns or throws anything else. */
export function parseError(buf: Uint8Array): LinkToolsError {
  try {
    const r = parseReparseBuffer(buf);
    throw new Error(`expected LT_BAD_REPARSE_DATA, parsed as ${r.kind}`);
  } catch (e) {
    if (e instanceof LinkToolsError) return e;
    throw e;
  }
}

/** `r`, typed as the record kind the test expects; another kind fails the test. */
export function expectKind<K extends ReparseData['kind']>(r: ReparseData, kind: K): Extract<ReparseData, { kind: K }> {
  if (r.kind !== kind) throw new Error(`expected a ${kind} record, parsed as ${r.kind}`);
  return r as Extract<ReparseData, { kind: K }>;
}

/** Little-endian fields and byte strings, for buffers written out by hand in the tests. */
export const le16 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];
export const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
export const utf16le = (s: string): number[] => [...s].flatMap((c) => le16(c.charCodeAt(0)));
export const bytes = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny, fast, well-mixed 32-bit generator; plenty for fuzzing. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 0x1_0000_0000) * n);
  }
  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.u32() / 0x1_0000_0000 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

export interface FuzzConfig {
  readonly seed: number;
  readonly iterations: number;
}

export const DEFAULT_FUZZ_ITERATIONS = 3000;

/** FUZZ_SEED (decimal or 0x hex) and FUZZ_ITERATIONS from the environment, with defaults. */
export function fuzzConfig(env: NodeJS.ProcessEnv = process.env): FuzzConfig {
  const rawSeed = env.FUZZ_SEED?.trim();
  const seed = rawSeed ? Number(rawSeed) >>> 0 : randomInt(0, 0xffffffff);
  if (rawSeed && !Number.isFinite(Number(rawSeed))) throw new Error(`FUZZ_SEED is not a number: ${rawSeed}`);
  const rawIter = env.FUZZ_ITERATIONS?.trim();
  const iterations = rawIter ? Math.max(1, Math.floor(Number(rawIter))) : DEFAULT_FUZZ_ITERATIONS;
  if (!Number.isFinite(iterations)) throw new Error(`FUZZ_ITERATIONS is not a number: ${rawIter}`);
  return { seed, iterations };
}

/**
 * Seeds every run uses, so CI always exercises the same cases (a failure there reproduces with the
 * seed it names). Chosen once, arbitrarily; add the seed of any failure found by a random run.
 */
export const FIXED_FUZZ_SEEDS: readonly number[] = [1, 0x2a, 0x5eed5eed, 0x9e3779b9, 0xdeadbeef];

export interface FuzzSeed {
  readonly seed: number;
  readonly random: boolean;
}

/**
 * The seeds of one run: FUZZ_SEED alone when it is set (reproducing a run); otherwise the fixed set
 * plus one fresh random seed (printed by the test, so a failure it finds can be reproduced), unless
 * FUZZ_RANDOM=0 (mutation testing, which needs the same tests on every run).
 */
export function fuzzSeeds(env: NodeJS.ProcessEnv = process.env): FuzzSeed[] {
  const { seed } = fuzzConfig(env);
  if (env.FUZZ_SEED?.trim()) return [{ seed, random: false }];
  const fixed = FIXED_FUZZ_SEEDS.map((s) => ({ seed: s, random: false }));
  return env.FUZZ_RANDOM?.trim() === '0' ? fixed : [...fixed, { seed, random: true }];
}

/** Each category gets its own stream, so a failure in one reproduces without running the others. */
export function categoryRng(seed: number, category: string): Rng {
  let h = seed >>> 0;
  for (let i = 0; i < category.length; i++) h = Math.imul(h ^ category.charCodeAt(i), 0x01000193) >>> 0;
  return new Rng(h);
}

// ---------------------------------------------------------------------------------------------
// Outcomes

export interface FuzzStats {
  readonly cases: number;
  readonly parsed: number;
  readonly rejected: number;
  readonly kinds: Record<string, number>;
}

const KINDS = new Set(['symlink', 'mountPoint', 'appExecLink', 'lxSymlink', 'nfs', 'opaque']);

class FuzzFailure extends Error {
  constructor(seed: number, category: string, iteration: number, what: string, buf: Uint8Array) {
    super(`fuzz ${category} #${iteration}: ${what}\n  reproduce: FUZZ_SEED=${seed}\n  buffer (${buf.length} bytes): ${toHex(buf)}`);
    this.name = 'FuzzFailure';
  }
}

/** A comparable summary of one parse: the value (bytes as hex) or the error message. */
function outcomeKey(buf: Uint8Array): { ok: boolean; key: string; value?: ReparseData; error?: unknown } {
  try {
    const value = parseReparseBuffer(buf);
    const key = JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v) : v));
    return { ok: true, key, value };
  } catch (error) {
    return { ok: false, key: error instanceof Error ? `${error.name}:${error.message}` : String(error), error };
  }
}

/**
 * Parse one buffer and check the invariants: the outcome is a ReparseData of a known kind or a
 * LinkToolsError LT_BAD_REPARSE_DATA; the header fields are reported as stored; the input is left
 * unchanged; and bytes past the declared data do not change the outcome.
 */
function checkOne(buf: Uint8Array, rng: Rng, fail: (what: string) => never, stats: { parsed: number; rejected: number; kinds: Record<string, number> }): void {
  const before = buf.slice();
  const first = outcomeKey(buf);
  if (!sameBytes(before, buf)) fail('parse modified its input');
  if (!first.ok) {
    const e = first.error;
    if (!(e instanceof LinkToolsError)) fail(`threw a non-LinkToolsError: ${String((e as Error)?.stack ?? e)}`);
    if (e.code !== 'LT_BAD_REPARSE_DATA') fail(`threw code ${e.code}`);
    stats.rejected++;
  } else {
    const v = first.value!;
    if (!KINDS.has(v.kind)) fail(`unknown kind ${String(v.kind)}`);
    const tag = (buf[0]! | (buf[1]! << 8) | (buf[2]! << 16) | (buf[3]! << 24)) >>> 0;
    if (v.tag !== tag) fail(`tag ${v.tag} does not match header ${tag}`);
    if (v.dataLength !== (buf[4]! | (buf[5]! << 8))) fail('dataLength does not match header');
    stats.parsed++;
    stats.kinds[v.kind] = (stats.kinds[v.kind] ?? 0) + 1;
  }
  const tail = new Uint8Array(buf.length + 1 + rng.int(16));
  tail.set(buf);
  tail.set(rng.bytes(tail.length - buf.length), buf.length);
  // Appending bytes can only turn "too short" into something else, never change a parsed result
  // or a rejection for any other reason.
  const second = outcomeKey(tail);
  if (first.ok && second.key !== first.key) fail(`trailing bytes changed the result:\n  ${first.key}\n  ${second.key}`);
}

function runCategory(seed: number, category: string, iterations: number, make: (rng: Rng) => Uint8Array): FuzzStats {
  const rng = categoryRng(seed, category);
  const stats = { parsed: 0, rejected: 0, kinds: {} as Record<string, number> };
  for (let i = 0; i < iterations; i++) {
    const buf = make(rng);
    const fail = (what: string): never => {
      throw new FuzzFailure(seed, category, i, what, buf);
    };
    checkOne(buf, rng, fail, stats);
  }
  return { cases: iterations, ...stats };
}

// ---------------------------------------------------------------------------------------------
// Generators

const INTERESTING_TAGS = [
  IO_REPARSE_TAG_SYMLINK,
  IO_REPARSE_TAG_MOUNT_POINT,
  IO_REPARSE_TAG_APPEXECLINK,
  IO_REPARSE_TAG_LX_SYMLINK,
  IO_REPARSE_TAG_NFS,
  IO_REPARSE_TAG_CLOUD,
  0x9000301a, // CLOUD_3
  0x80000017, // WOF
  0x00000000,
  0x0000abcd, // third party
  0x7fffffff,
  0xffffffff,
];

const EDGE_U16 = [0, 1, 2, 3, 4, 7, 8, 12, 0x7fff, 0x8000, 0xfffe, 0xffff];

function setU16(buf: Uint8Array, off: number, v: number): void {
  if (off + 2 > buf.length) return;
  buf[off] = v & 0xff;
  buf[off + 1] = (v >>> 8) & 0xff;
}

function setU32(buf: Uint8Array, off: number, v: number): void {
  setU16(buf, off, v & 0xffff);
  setU16(buf, off + 2, (v >>> 16) & 0xffff);
}

/** Random bytes, often with a plausible header so the parser gets past the first checks. */
function randomBuffer(rng: Rng): Uint8Array {
  const size = rng.chance(0.05) ? rng.range(0, 700) : rng.range(0, 96);
  const buf = rng.bytes(size);
  if (size >= 8 && rng.chance(0.7)) {
    const tag = rng.chance(0.8) ? rng.pick(INTERESTING_TAGS) : rng.u32();
    setU32(buf, 0, tag);
    const head = (tag & 0x80000000) !== 0 ? 8 : 24;
    const exact = Math.max(0, size - head);
    const len = rng.chance(0.6) ? exact : rng.chance(0.5) ? Math.max(0, exact + rng.range(-3, 3)) : rng.pick(EDGE_U16);
    setU16(buf, 4, len);
    if (rng.chance(0.5)) {
      // Small, mostly even name offsets and lengths, often inside the PathBuffer, so the name code runs.
      const room = Math.max(0, size - 20);
      for (const off of [8, 10, 12, 14]) {
        setU16(buf, off, rng.chance(0.6) ? rng.int(room / 2 + 1) * 2 : rng.chance(0.8) ? rng.int(24) * 2 : rng.int(60));
      }
    }
    if (rng.chance(0.3)) setU32(buf, 8, rng.pick([2, 3, 0, 1, 4, 0xffffffff]));
  }
  return buf;
}

/** Characters a name may be made of: ASCII, path punctuation, BMP non-ASCII, bidi controls, astral. */
function randomChar(rng: Rng, allowLoneSurrogates: boolean): string {
  const r = rng.int(100);
  if (r < 45) return String.fromCharCode(rng.range(0x20, 0x7e));
  if (r < 60) return rng.pick(['\\', '/', ':', '.', '..', ' ', '?', '*', '$']);
  if (r < 75) return String.fromCharCode(rng.range(0x80, 0xd7ff));
  if (r < 80) return rng.pick(['\u202e', '\u200b', '\ufeff', '\uffff', '\ue000']);
  if (r < 95 || !allowLoneSurrogates) return String.fromCodePoint(rng.range(0x10000, 0x10ffff));
  return String.fromCharCode(rng.range(0xd800, 0xdfff));
}

export function randomName(rng: Rng, opts: { min?: number; max?: number; loneSurrogates?: boolean } = {}): string {
  const n = rng.range(opts.min ?? 1, opts.max ?? 40);
  let s = '';
  for (let i = 0; i < n; i++) s += randomChar(rng, opts.loneSurrogates ?? true);
  return s;
}

/** A valid buffer of a random kind. */
export function randomValidBuffer(rng: Rng): Uint8Array {
  switch (rng.int(7)) {
    case 0:
      return buildSymlinkBuffer({ substituteName: randomName(rng), printName: randomName(rng, { min: 0 }), relative: rng.chance(0.5) });
    case 1:
      return buildMountPointBuffer({ substituteName: `\\??\\${randomName(rng)}`, printName: randomName(rng, { min: 0 }) });
    case 2:
      return buildLxSymlinkBuffer(randomName(rng, { loneSurrogates: false }));
    case 3:
      return buildAppExecLinkBuffer({
        packageId: randomName(rng, { min: 0 }),
        appUserModelId: randomName(rng, { min: 0 }),
        targetPath: randomName(rng, { min: 0 }),
        appType: rng.chance(0.5) ? randomName(rng, { min: 0, max: 3 }) : null,
      });
    case 4: {
      // NFS: symlink, char/block device, FIFO.
      const type = rng.pick([0x014b4e4c, 0x00524843, 0x004b4c42, 0x4f464946, 0x4b434f53]);
      const body = type === 0x014b4e4c ? utf16(randomName(rng)) : rng.bytes(type === 0x00524843 || type === 0x004b4c42 ? 8 : 0);
      const data = new Uint8Array(8 + body.length);
      setU32(data, 0, type);
      data.set(body, 8);
      return buildReparseBuffer(IO_REPARSE_TAG_NFS, data);
    }
    case 5:
      return buildReparseBuffer(0x0000abcd, rng.bytes(rng.int(40)), '01234567-89ab-cdef-0123-456789abcdef');
    default:
      return buildReparseBuffer(rng.pick([IO_REPARSE_TAG_CLOUD, 0x9000f01a, 0x80000013]), rng.bytes(rng.int(40)));
  }
}

function utf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) setU16(out, i * 2, s.charCodeAt(i));
  return out;
}

/** A valid buffer with one to four corruptions: bit flips, truncation, extension, length-field edits. */
function mutatedBuffer(rng: Rng): Uint8Array {
  let buf = randomValidBuffer(rng);
  const rounds = rng.range(1, 4);
  for (let r = 0; r < rounds; r++) {
    switch (rng.int(7)) {
      case 0: // bit flip
        if (buf.length > 0) buf[rng.int(buf.length)]! ^= 1 << rng.int(8);
        break;
      case 1: // truncate
        buf = buf.slice(0, rng.int(buf.length + 1));
        break;
      case 2: // extend
        buf = Uint8Array.from([...buf, ...rng.bytes(rng.range(1, 8))]);
        break;
      case 3: // ReparseDataLength
        setU16(buf, 4, rng.chance(0.5) ? rng.pick(EDGE_U16) : Math.max(0, buf.length - 8 + rng.range(-4, 4)));
        break;
      case 4: // name offsets and lengths
        setU16(buf, rng.pick([8, 10, 12, 14]), rng.chance(0.5) ? rng.pick(EDGE_U16) : rng.int(256));
        break;
      case 5: // version field
        setU32(buf, 8, rng.pick([0, 1, 2, 3, 4, 0xffffffff]));
        break;
      default: // swap the tag for another
        setU32(buf, 0, rng.pick(INTERESTING_TAGS));
    }
  }
  return buf;
}

export function fuzzRandomBuffers(seed: number, iterations: number): FuzzStats {
  return runCategory(seed, 'random', iterations, randomBuffer);
}

export function fuzzMutations(seed: number, iterations: number): FuzzStats {
  return runCategory(seed, 'mutation', iterations, mutatedBuffer);
}

/** Build from random names and parse back; every field must come back unchanged. */
export function fuzzRoundTrips(seed: number, iterations: number): FuzzStats {
  const rng = categoryRng(seed, 'roundtrip');
  const kinds: Record<string, number> = {};
  for (let i = 0; i < iterations; i++) {
    let buf: Uint8Array;
    let expected: Record<string, unknown> = {};
    switch (i % 4) {
      case 0: {
        const o = { substituteName: randomName(rng), printName: randomName(rng, { min: 0 }), relative: rng.chance(0.5) };
        buf = buildSymlinkBuffer(o);
        expected = { kind: 'symlink', ...o, flags: o.relative ? 1 : 0 };
        break;
      }
      case 1: {
        const o = { substituteName: `\\??\\${randomName(rng)}`, printName: randomName(rng, { min: 0 }) };
        buf = buildMountPointBuffer(o);
        expected = { kind: 'mountPoint', ...o };
        break;
      }
      case 2: {
        const target = randomName(rng, { loneSurrogates: false });
        buf = buildLxSymlinkBuffer(target);
        expected = { kind: 'lxSymlink', target, version: 2 };
        break;
      }
      default: {
        const o = {
          packageId: randomName(rng, { min: 0 }),
          appUserModelId: randomName(rng, { min: 0 }),
          targetPath: randomName(rng, { min: 0 }),
          appType: randomName(rng, { min: 0, max: 3 }),
        };
        buf = buildAppExecLinkBuffer(o);
        expected = { kind: 'appExecLink', ...o, version: 3 };
      }
    }
    let parsed: ReparseData;
    try {
      parsed = parseReparseBuffer(buf);
    } catch (e) {
      throw new FuzzFailure(seed, 'roundtrip', i, `built buffer did not parse: ${String(e)}`, buf);
    }
    for (const [k, v] of Object.entries(expected)) {
      const got = (parsed as unknown as Record<string, unknown>)[k];
      if (got !== v) {
        throw new FuzzFailure(seed, 'roundtrip', i, `${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(got)}`, buf);
      }
    }
    if (parsed.dataLength !== buf.length - 8) throw new FuzzFailure(seed, 'roundtrip', i, 'ReparseDataLength is not size - 8', buf);
    kinds[parsed.kind] = (kinds[parsed.kind] ?? 0) + 1;
  }
  return { cases: iterations, parsed: iterations, rejected: 0, kinds };
}
