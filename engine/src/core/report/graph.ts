/**
 * The link graph: each link is an edge from its path to its stored target resolved (one hop), so
 * a chain is a path through the graph and a loop is a cycle; hard-link names point to a shared
 * "file" node. Rendered as Mermaid (flowchart) or Graphviz DOT; loop edges are red, missing
 * targets dashed red, hard-link edges dotted. Cut at `maxEdges` (truncated = true).
 */
import type { LinkInfo } from '../../contract/types.js';
import { shortPath } from './model.js';

interface GraphNode {
  id: string;
  path: string;
  label: string;
  type: 'link' | 'target' | 'missing' | 'file';
  inLoop: boolean;
}

interface GraphEdge {
  from: string;
  to: string;
  type: 'target' | 'hardlink';
  inLoop: boolean;
}

export interface LinkGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: boolean;
}

/** The links of a looping chain that form the cycle (empty when the chain does not come back). */
export function cycleOf(info: LinkInfo): string[] {
  if (!info.loop || info.chain.length === 0) return [];
  const paths = info.chain.map((h) => h.path);
  const back = info.chain[info.chain.length - 1]!.resolvedTarget;
  const at = back === null ? -1 : paths.indexOf(back);
  return at >= 0 ? paths.slice(at) : [];
}

export function buildGraph(links: readonly LinkInfo[], roots: readonly string[], maxEdges = 1500): LinkGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const loopNodes = new Set<string>();
  for (const l of links) for (const p of cycleOf(l)) loopNodes.add(p);
  const node = (path: string, type: GraphNode['type'], label?: string): GraphNode => {
    let n = nodes.get(path);
    if (!n) {
      n = { id: `n${nodes.size}`, path, label: label ?? shortPath(path, roots), type, inLoop: loopNodes.has(path) };
      nodes.set(path, n);
    } else if (type === 'link' && n.type !== 'link') n.type = 'link';
    return n;
  };
  let truncated = false;
  for (const l of links) {
    if (edges.length >= maxEdges) {
      truncated = true;
      break;
    }
    if (l.kind === 'hardlink') {
      const from = node(l.path, 'link');
      const to = node(`file:${l.fileId}`, 'file', `file ${l.fileId} (${l.linkCount} names)`);
      edges.push({ from: from.id, to: to.id, type: 'hardlink', inLoop: false });
      continue;
    }
    const from = node(l.path, 'link');
    const dest = l.resolvedTarget ?? l.target;
    if (dest === null) continue;
    const firstHopMissing = !l.loop && l.targetExists === false && l.chain.length === 1;
    const to = node(dest, firstHopMissing ? 'missing' : 'target');
    edges.push({ from: from.id, to: to.id, type: 'target', inLoop: from.inLoop && to.inLoop });
  }
  return { nodes: [...nodes.values()], edges, truncated };
}

/**
 * Text inside a quoted Mermaid label: `#` starts an entity code, so it is written as one itself;
 * quotes, angle brackets and backticks as entity codes; a newline (or any control character) would
 * end the statement, so it is shown as ↵ (and a tab as a space).
 */
export function mermaidText(s: string): string {
  return s
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/`/g, '#96;')
    .replace(/\t/g, ' ')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, '↵')
    .replace(/[\u0000-\u001f\u007f]/g, '�');
}

/**
 * Mermaid refuses a diagram longer than its maxTextSize (50000 characters by default: "Maximum
 * text size in diagram exceeded"). The text is kept below this, leaving room for the note.
 */
export const MERMAID_MAX_TEXT = 50000;
const MERMAID_BUDGET = MERMAID_MAX_TEXT - 2000;

function mermaidLines(g: LinkGraph, edgeCount: number, omitted: number): string[] {
  const L = ['flowchart LR'];
  const edges = g.edges.slice(0, edgeCount);
  const used = new Set<string>();
  for (const e of edges) {
    used.add(e.from);
    used.add(e.to);
  }
  const nodes = edgeCount === g.edges.length ? g.nodes : g.nodes.filter((n) => used.has(n.id));
  for (const n of nodes) {
    const shape = n.type === 'file' ? ['[(', ')]'] : n.type === 'link' ? ['(', ')'] : ['[', ']'];
    L.push(`  ${n.id}${shape[0]}"${mermaidText(n.label)}"${shape[1]}`);
  }
  edges.forEach((e) => L.push(`  ${e.from} ${e.type === 'hardlink' ? '-.-' : '-->'} ${e.to}`));
  L.push(
    '  classDef link fill:#eef4ff,stroke:#3566c8',
    '  classDef target fill:#eefaf0,stroke:#2d8a47',
    '  classDef missing fill:#fff0f0,stroke:#c62828,stroke-dasharray:4 3',
    '  classDef file fill:#f6f0ff,stroke:#7a4fc0',
    '  classDef loop fill:#ffe9e9,stroke:#c62828,stroke-width:2px',
  );
  for (const type of ['link', 'target', 'missing', 'file'] as const) {
    const ids = nodes.filter((n) => n.type === type && !n.inLoop).map((n) => n.id);
    if (ids.length) L.push(`  class ${ids.join(',')} ${type}`);
  }
  const loops = nodes.filter((n) => n.inLoop).map((n) => n.id);
  if (loops.length) L.push(`  class ${loops.join(',')} loop`);
  const red = edges.map((e, i) => (e.inLoop ? i : -1)).filter((i) => i >= 0);
  if (red.length) L.push(`  linkStyle ${red.join(',')} stroke:#c62828,stroke-width:2px`);
  if (omitted > 0 || g.truncated) {
    const what =
      omitted > 0
        ? `${omitted} of ${g.edges.length} links are not drawn here (Mermaid renders at most ${MERMAID_MAX_TEXT} characters)`
        : 'more links than the graph limit: the rest are not drawn';
    L.push(`  %% truncated: ${what}; the DOT graph (--graph dot) keeps every link`);
    L.push(`  omitted["${mermaidText(`… ${what}; the DOT graph (--graph dot) keeps every link`)}"]`, '  style omitted fill:#fff8e1,stroke:#b26a00,stroke-dasharray:4 3');
  }
  return L;
}

/** The Mermaid flowchart, cut below Mermaid's text limit (then `g.truncated` is set and a visible note says what was left out). */
export function toMermaid(g: LinkGraph): string {
  const size = (k: number) => mermaidLines(g, k, g.edges.length - k).join('\n').length + 1;
  let k = g.edges.length;
  if (size(k) > MERMAID_BUDGET) {
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (size(mid) <= MERMAID_BUDGET) lo = mid;
      else hi = mid - 1;
    }
    k = lo;
    g.truncated = true;
  }
  return mermaidLines(g, k, g.edges.length - k).join('\n') + '\n';
}

function dotText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|[\r\n]/g, '\\n');
}

export function toDot(g: LinkGraph): string {
  const L = ['digraph links {', '  rankdir=LR;', '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, fillcolor="#eef4ff", color="#3566c8"];'];
  const style: Record<GraphNode['type'], string> = {
    link: '',
    target: ', fillcolor="#eefaf0", color="#2d8a47"',
    missing: ', fillcolor="#fff0f0", color="#c62828", style="rounded,filled,dashed"',
    file: ', shape=cylinder, fillcolor="#f6f0ff", color="#7a4fc0"',
  };
  for (const n of g.nodes) {
    L.push(`  ${n.id} [label="${dotText(n.label)}", tooltip="${dotText(n.path)}"${n.inLoop ? ', fillcolor="#ffe9e9", color="#c62828", penwidth=2' : style[n.type]}];`);
  }
  for (const e of g.edges) {
    const attrs = e.type === 'hardlink' ? ' [style=dotted, arrowhead=none, color="#7a4fc0"]' : e.inLoop ? ' [color="#c62828", penwidth=2]' : '';
    L.push(`  ${e.from} -> ${e.to}${attrs};`);
  }
  if (g.truncated) L.push('  // truncated: more links than the graph limit');
  L.push('}');
  return L.join('\n') + '\n';
}
