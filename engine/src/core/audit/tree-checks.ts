/**
 * The rules judged over the walked tree rather than one link (scope 'tree' in rules.ts), one
 * function each: hard-link groups with names outside the roots, entries that could not be read,
 * and folder links that make the tree infinite (directory-cycle, over all folder links at once).
 */
import type { LinkInfo } from '../../contract/types.js';
import type { HardLinkGroup, UnreadableEntry } from '../scan/walk.js';
import type { RawFinding } from './checks.js';
import { looksWindows, normWin } from './paths.js';

export function hardlinkGroupEscapes(g: HardLinkGroup): RawFinding | null {
  if (g.linkCount <= g.names.length) return null;
  const missing = g.linkCount - g.names.length;
  const first = g.names[0]!;
  return {
    rule: 'hardlink-group-escapes',
    path: first,
    message: `${first}: Has ${g.linkCount} names but only ${g.names.length} are under the audited roots: ${missing} other name${missing === 1 ? '' : 's'} elsewhere share its content.`,
    details: { fileId: g.fileId, linkCount: g.linkCount, namesFound: g.names.length, names: g.names, missing },
  };
}

export function unreadable(u: UnreadableEntry): RawFinding {
  const what = u.operation === 'list' ? 'Could not be listed' : u.operation === 'stat' ? 'Could not be read' : 'The link could not be read';
  return {
    rule: 'unreadable',
    path: u.path,
    message: `${u.path}: ${what}: ${u.error.message}`,
    details: { operation: u.operation, code: u.error.code, osCode: (u.error.details?.osCode as string | undefined) ?? null },
  };
}

/** Tools that recurse without end through a folder-link cycle. */
const RECURSING_TOOLS = ['find -L', 'du -L', 'rsync -L', 'tar -h', 'cp -rL', 'grep -R', 'Get-ChildItem -Recurse -FollowSymlink'] as const;
const JUNCTION_TOOLS = ['robocopy (without /XJ)'] as const;

interface FolderLink {
  info: LinkInfo;
  /** Real folder holding the link, and the real folder it leads to, as comparison keys. */
  dirKey: string;
  targetKey: string;
  realTarget: string;
}

const MAX_EDGES = 2_000_000;

/**
 * directory-cycle: a folder link leads into a folder that holds (at or below) itself, or a set of
 * folder links lead round into each other's folders. Each link is an edge from its real folder to
 * its real target; following it from the target reaches every folder link at or below the target.
 * The links on a cycle of that graph (strongly connected components, or one link whose own folder
 * is below its target) are reported. Paths are real paths, so a cycle through a linked root is seen.
 */
export class CycleFinder {
  private readonly links: FolderLink[] = [];

  /** A link whose chain ends at an existing folder, with the real paths of its folder and target. */
  add(info: LinkInfo, realDir: string, realTarget: string): void {
    this.links.push({ info, dirKey: key(realDir), targetKey: key(realTarget), realTarget });
  }

  findings(): RawFinding[] {
    const n = this.links.length;
    if (n === 0) return [];
    // Links sorted by folder: those at or below a target form one run of the sorted order.
    const order = [...this.links.keys()].sort((a, b) => cmp(this.links[a]!.dirKey, this.links[b]!.dirKey));
    const sortedKeys = order.map((i) => this.links[i]!.dirKey);
    const edges: number[][] = this.links.map(() => []);
    let total = 0;
    let truncated = false;
    for (let i = 0; i < n && !truncated; i++) {
      const t = this.links[i]!.targetKey;
      const prefix = t.endsWith('/') ? t : t + '/';
      for (let j = lowerBound(sortedKeys, t); j < n; j++) {
        const k = sortedKeys[j]!;
        if (!k.startsWith(t)) break; // every key with this prefix is in one run
        if (k !== t && !k.startsWith(prefix)) continue; // "t-x" is not below "t"
        edges[i]!.push(order[j]!);
        if (++total > MAX_EDGES) {
          truncated = true;
          break;
        }
      }
    }
    // A link whose own folder is below its target closes a cycle by itself. Cycles that pass through
    // one of those are its cycle (every folder link whose target holds it would be "on" it), so the
    // strongly connected components are taken without them: what is left are cycles of several links.
    const selfLoop = edges.map((e, i) => e.includes(i));
    const rest = edges.map((e, i) => (selfLoop[i] ? [] : e.filter((j) => !selfLoop[j])));
    const comps = scc(rest).filter((c) => c.length > 1);
    for (let i = 0; i < n; i++) if (selfLoop[i]) comps.push([i]);
    const out: RawFinding[] = [];
    for (const comp of comps) {
      const self = comp.length === 1;
      const members = comp.map((i) => this.links[i]!).sort((a, b) => cmp(a.info.path, b.info.path));
      const cycle = members.map((m) => m.info.path);
      for (const m of members) {
        const junction = m.info.kind === 'junction' || m.info.kind === 'mountPoint';
        const tools = [...RECURSING_TOOLS, ...(junction ? JUNCTION_TOOLS : [])];
        const message = self
          ? `${m.info.path}: Leads back to ${m.realTarget}, which holds the link itself: the tree is infinite for tools that follow folder links (${tools.join(', ')}).`
          : `${m.info.path}: Is one of ${members.length} folder links that lead into each other's folders (${cycle.join(', ')}): the tree is infinite for tools that follow folder links (${tools.join(', ')}).`;
        out.push({
          rule: 'directory-cycle',
          path: m.info.path,
          message,
          details: { target: m.info.target, realTarget: m.realTarget, ancestor: self ? m.realTarget : null, cycle, recursingTools: tools, ...(truncated ? { truncated: true } : {}) },
        });
      }
    }
    return out.sort((a, b) => cmp(a.path, b.path));
  }
}

/** A comparison key: Windows paths case-folded with `\` as `/`, so one ordering serves both. */
function key(p: string): string {
  const k = looksWindows(p) ? normWin(p).replace(/\\/g, '/') : p;
  return k.length > 1 && k.endsWith('/') ? k.slice(0, -1) : k;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(a: readonly string[], x: string): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Strongly connected components (Tarjan, iterative). */
function scc(edges: readonly number[][]): number[][] {
  const n = edges.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: number[][] = [];
  let next = 0;
  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    const work: [number, number][] = [[s, 0]];
    index[s] = low[s] = next++;
    stack.push(s);
    onStack[s] = true;
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      if (i < edges[v]!.length) {
        top[1]++;
        const w = edges[v]![i]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = true;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1]![0];
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] === index[v]) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          comp.push(w);
        } while (w !== v);
        out.push(comp);
      }
    }
  }
  return out;
}
