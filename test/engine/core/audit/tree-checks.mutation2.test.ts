/**
 * directory-cycle (CycleFinder in engine/src/core/audit/tree-checks.ts), the parts the first file
 * leaves open: the edge limit (2 000 000 edges: the graph stops growing and every finding says
 * `truncated`), the ordering of links whose folders are not added in order, POSIX keys that differ
 * only in case, and cycles whose strongly connected components need the full bookkeeping.
 */
import { describe, expect, it } from 'vitest';
import type { LinkInfo } from '../../../../engine/src/contract/types.js';
import { CycleFinder } from '../../../../engine/src/core/audit/tree-checks.js';

const info = (p: string, kind: LinkInfo['kind'] = 'symlink', target = 't') => ({ path: p, kind, target }) as unknown as LinkInfo;
const pad = (k: number) => String(k).padStart(4, '0');
const details = (f: { details: Record<string, unknown> }) => f.details as { cycle: string[]; ancestor: string | null; truncated?: boolean };

describe('directory-cycle: the edge limit', () => {
  it('exactly 2 000 000 edges: the whole graph, no truncated flag', () => {
    // 1000 links in /a/dK lead to /a (each to all 1000 of them: a cycle by itself); 1000 in /b/dK lead
    // to /a too (edges to those 1000, none back): 2000 × 1000 edges.
    const c = new CycleFinder();
    for (let k = 0; k < 1000; k++) c.add(info(`/a/d${pad(k)}/l`), `/a/d${pad(k)}`, '/a');
    for (let k = 0; k < 1000; k++) c.add(info(`/b/d${pad(k)}/l`), `/b/d${pad(k)}`, '/a');
    const f = c.findings();
    expect(f).toHaveLength(1000);
    expect(f.every((x) => 'truncated' in x.details)).toBe(false);
    expect(f[0]!.path).toBe('/a/d0000/l');
    expect(f[999]!.path).toBe('/a/d0999/l');
    expect(details(f[0]!)).toMatchObject({ ancestor: '/a', cycle: ['/a/d0000/l'] });
  });

  it('one edge more: the graph stops at the limit, later links get no edges, every finding says truncated', () => {
    // 1500 links in /r/dK lead to /r: link i has edges to all 1500 (itself included). After 1333 links
    // (1 999 500 edges) the 501st edge of link 1333 passes the limit: links 0..1332 are cycles by
    // themselves; link 1333 (edges to 0..500 only), the rest, and /z/l (a link in the folder it leads
    // to, added last) get no more edges, so they are not reported.
    const c = new CycleFinder();
    for (let k = 0; k < 1500; k++) c.add(info(`/r/d${pad(k)}/l`), `/r/d${pad(k)}`, '/r');
    c.add(info('/z/l'), '/z', '/z');
    const f = c.findings();
    expect(f).toHaveLength(1333);
    expect(f[0]!.path).toBe('/r/d0000/l');
    expect(f[1332]!.path).toBe('/r/d1332/l');
    expect(f.every((x) => details(x).truncated === true)).toBe(true);
    expect(f[0]!.details).toMatchObject({ realTarget: '/r', ancestor: '/r', cycle: ['/r/d0000/l'], truncated: true });
  });
});

describe('directory-cycle: order, keys and components', () => {
  it('links added in reverse folder order: the same cycles as in order', () => {
    const c = new CycleFinder();
    c.add(info('/r/z/l'), '/r/z', '/r/a'); // z -> a, a -> m, m -> z: one ring of three
    c.add(info('/r/m/l'), '/r/m', '/r/z');
    c.add(info('/r/a/l'), '/r/a', '/r/m');
    c.add(info('/r/a/b/up'), '/r/a/b', '/r/a'); // a cycle by itself
    c.add(info('/r/q/l'), '/r/q', '/r/m'); // leads into the ring, not on it
    const f = c.findings();
    expect(f.map((x) => [x.path, details(x).cycle, details(x).ancestor])).toEqual([
      ['/r/a/b/up', ['/r/a/b/up'], '/r/a'],
      ['/r/a/l', ['/r/a/l', '/r/m/l', '/r/z/l'], null],
      ['/r/m/l', ['/r/a/l', '/r/m/l', '/r/z/l'], null],
      ['/r/z/l', ['/r/a/l', '/r/m/l', '/r/z/l'], null],
    ]);
  });

  it('two separate rings and a chain between them: two cycles, each listing only its own links', () => {
    const c = new CycleFinder();
    c.add(info('/p/2/l'), '/p/2', '/p/1');
    c.add(info('/p/1/l'), '/p/1', '/p/2');
    c.add(info('/q/1/l'), '/q/1', '/q/2');
    c.add(info('/q/2/l'), '/q/2', '/q/1');
    c.add(info('/p/1/to-q'), '/p/1', '/q/1'); // p -> q, but nothing leads back: not one cycle
    const f = c.findings();
    expect(f.map((x) => [x.path, details(x).cycle])).toEqual([
      ['/p/1/l', ['/p/1/l', '/p/2/l']],
      ['/p/2/l', ['/p/1/l', '/p/2/l']],
      ['/q/1/l', ['/q/1/l', '/q/2/l']],
      ['/q/2/l', ['/q/1/l', '/q/2/l']],
    ]);
  });

  it('a ring whose links are found through a long detour keeps every member (lowlink through the stack)', () => {
    // 1 -> 2 -> 3 -> 4 -> 2 and 4 -> 1: all four on one cycle; 5 hangs off 3 without a way back.
    const c = new CycleFinder();
    c.add(info('/t/1/l'), '/t/1', '/t/2');
    c.add(info('/t/2/l'), '/t/2', '/t/3');
    c.add(info('/t/3/l'), '/t/3', '/t/4');
    c.add(info('/t/3/m'), '/t/3', '/t/5');
    c.add(info('/t/4/l'), '/t/4', '/t/2');
    c.add(info('/t/4/m'), '/t/4', '/t/1');
    c.add(info('/t/5/l'), '/t/5', '/t/6');
    const f = c.findings();
    const ring = ['/t/1/l', '/t/2/l', '/t/3/l', '/t/4/l', '/t/4/m'];
    expect(f.map((x) => x.path)).toEqual(ring);
    for (const x of f) expect(details(x).cycle).toEqual(ring);
  });

  it('POSIX paths are compared exactly: /R/a is not /r/a', () => {
    const c = new CycleFinder();
    c.add(info('/R/a/l'), '/R/a', '/r/a');
    c.add(info('/r/b/l'), '/r/b', '/R/b');
    expect(c.findings()).toEqual([]);
  });

  it('a POSIX target with a trailing slash is the folder itself', () => {
    const c = new CycleFinder();
    c.add(info('/r/a/b/up'), '/r/a/b/', '/r/a/');
    c.add(info('/r/a/self'), '/r/a', '/r/a/'); // in the very folder it leads to
    c.add(info('/r/a-b/l'), '/r/a-b', '/r/a/');
    expect(c.findings().map((x) => x.path)).toEqual(['/r/a/b/up', '/r/a/self']);
  });

  it('a ring found after a finished link, with an edge back to that link: only the ring', () => {
    // /w/x/l is looked at first and leads nowhere (a finished component of its own); the ring
    // /w/r/l <-> /v/l is found later, and /v/l also leads into /w/x: that edge must not pull the
    // ring's bookkeeping down to the finished link, or the ring is lost.
    const c = new CycleFinder();
    c.add(info('/w/x/l'), '/w/x', '/elsewhere');
    c.add(info('/w/r/l'), '/w/r', '/v');
    c.add(info('/v/l'), '/v', '/w');
    expect(c.findings().map((x) => [x.path, details(x).cycle])).toEqual([
      ['/v/l', ['/v/l', '/w/r/l']],
      ['/w/r/l', ['/v/l', '/w/r/l']],
    ]);
  });

  it('a ring that does not pass through the first link looked at (a link leading into it comes first)', () => {
    const c = new CycleFinder();
    c.add(info('/s/a/l'), '/s/a', '/s/b'); // into the ring, not on it
    c.add(info('/s/b/l'), '/s/b', '/s/c');
    c.add(info('/s/c/l'), '/s/c', '/s/b');
    expect(c.findings().map((x) => [x.path, details(x).cycle])).toEqual([
      ['/s/b/l', ['/s/b/l', '/s/c/l']],
      ['/s/c/l', ['/s/b/l', '/s/c/l']],
    ]);
  });
});
