/**
 * The html report: ONE self-contained file (inline CSS, inline script, inline SVG; no external
 * scripts, fonts or CDNs, and a Content-Security-Policy that forbids them). It shows the summary,
 * counts by kind and by rule, a findings table the reader can sort (click a heading) and filter
 * (text, severity, rule), drift from the baseline, and a picture of the interesting link chains
 * (loops, broken, long, escaping) laid out here as SVG. The page works without its script (the
 * table is plain HTML); when the script has run it sets <body data-ready="1">.
 */
import type { Finding, LinkInfo } from '../../contract/types.js';
import type { ReportData } from './model.js';
import { shortPath, sortedFindings } from './model.js';
import { cycleOf } from './graph.js';

const MAX_ROWS = 10000;
const MAX_CHAINS = 30;

export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SEV_RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };

function bars(entries: [string, number][], cls: (k: string) => string = () => '', title: (k: string) => string = () => ''): string {
  const max = Math.max(1, ...entries.map(([, n]) => n));
  if (entries.length === 0) return '<p class="muted">None.</p>';
  return `<table class="bars">${entries
    .map(
      ([k, n]) =>
        `<tr><th title="${esc(title(k))}">${esc(k)}</th><td class="num">${n}</td><td class="barcell"><span class="bar ${cls(k)}" style="width:${Math.max(1, Math.round((n / max) * 100))}%"></span></td></tr>`,
    )
    .join('')}</table>`;
}

/**
 * Wrap a label into lines of at most `width` characters, breaking after a path separator where
 * possible; past `maxLines` the middle is cut (…), keeping both ends.
 */
export function wrapLabel(s: string, width = 30, maxLines = 4): string[] {
  const text = s.length > width * maxLines ? clip(s, width * maxLines) : s;
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const window = rest.slice(0, width + 1);
    let cut = Math.max(window.lastIndexOf('/'), window.lastIndexOf('\\'), window.lastIndexOf(' '), window.lastIndexOf('-'));
    if (cut < width / 3) cut = width - 1;
    lines.push(rest.slice(0, cut + 1));
    rest = rest.slice(cut + 1);
  }
  if (rest.length > 0 || lines.length === 0) lines.push(rest);
  return lines;
}

/** Cut a label to `max` characters, keeping both ends. */
function clip(s: string, max = 38): string {
  return s.length <= max ? s : `${s.slice(0, Math.ceil(max / 2) - 1)}…${s.slice(s.length - Math.floor(max / 2))}`;
}

interface ChainRow {
  info: LinkInfo;
  reason: string;
}

function pickChains(d: ReportData): ChainRow[] {
  const byPath = new Map(d.links.map((l) => [l.path, l]));
  const rows: ChainRow[] = [];
  const seen = new Set<string>();
  const cycles = new Set<string>();
  const order = ['link-loop', 'broken-target', 'chain-too-long', 'sensitive-target', 'escapes-root'];
  for (const rule of order) {
    for (const f of d.findings) {
      if (rows.length >= MAX_CHAINS) return rows;
      if (f.rule !== rule || seen.has(f.path)) continue;
      const info = byPath.get(f.path);
      if (!info || info.chain.length === 0) continue;
      seen.add(f.path);
      // One row per loop: the other links of a cycle already drawn add nothing to the picture.
      const cyc = cycleOf(info);
      if (rule === 'link-loop' && cyc.length > 0 && cyc[0] === info.path) {
        const key = [...cyc].sort().join('\0');
        if (cycles.has(key)) continue;
        cycles.add(key);
      }
      rows.push({ info, reason: rule });
    }
  }
  for (const l of d.links) {
    if (rows.length >= MAX_CHAINS) break;
    if (l.chain.length >= 2 && !seen.has(l.path)) {
      seen.add(l.path);
      rows.push({ info: l, reason: 'chain' });
    }
  }
  return rows;
}

/** Lay out each chain as a row of boxes joined by arrows; a loop bends back under its row. */
function chainSvg(d: ReportData): string {
  const rows = pickChains(d);
  if (rows.length === 0) return '<p class="muted">No link chains worth drawing: no loops, broken or multi-hop links.</p>';
  const roots = d.summary.roots;
  const CH = 6.4;
  const BOX_H = 26;
  const GAP = 34;
  const PAD = 10;
  let y = PAD;
  let width = 0;
  const parts: string[] = [];
  const LINE_H = 14;
  for (const { info, reason } of rows) {
    const boxes: { lines: string[]; full: string; cls: string }[] = info.chain.map((h, i) => ({
      lines: wrapLabel(shortPath(h.path, roots)),
      full: h.path,
      cls: i === 0 ? 'n-start' : 'n-link',
    }));
    const cycle = cycleOf(info);
    const last = info.chain[info.chain.length - 1]!;
    let tail: 'loop' | 'missing' | 'ok' | 'unsafe' = 'ok';
    if (info.loop) tail = 'loop';
    else if (info.targetExists === false) {
      tail = 'missing';
      boxes.push({ lines: wrapLabel(shortPath(last.resolvedTarget ?? last.target ?? '?', roots)), full: `${last.resolvedTarget ?? last.target} (missing)`, cls: 'n-missing' });
    } else if (info.targetExists === null) {
      tail = 'unsafe';
      boxes.push({ lines: ['not followed'], full: 'The chain stops at a reparse point the audit does not follow', cls: 'n-missing' });
    } else if (info.finalTarget) boxes.push({ lines: wrapLabel(shortPath(info.finalTarget, roots)), full: info.finalTarget, cls: 'n-final' });
    const label = `${reason === 'chain' ? `${info.chain.length} hops` : reason}`;
    parts.push(`<text class="rowlabel" x="${PAD}" y="${y + 11}">${esc(label)}</text>`);
    const top = y + 16;
    const boxH = Math.max(BOX_H, ...boxes.map((b) => 12 + b.lines.length * LINE_H));
    let x = PAD;
    const centers: number[] = [];
    boxes.forEach((b, i) => {
      const w = Math.round(Math.max(...b.lines.map((l) => l.length)) * CH + 18);
      const inCycle = tail === 'loop' && cycle.includes(b.full);
      const textTop = top + (boxH - b.lines.length * LINE_H) / 2 + 11;
      const tspans = b.lines.map((l, k) => `<tspan x="${x + w / 2}" y="${textTop + k * LINE_H}">${esc(l)}</tspan>`).join('');
      parts.push(`<g class="node ${b.cls}${inCycle ? ' n-loop' : ''}"><title>${esc(b.full)}</title><rect x="${x}" y="${top}" width="${w}" height="${boxH}" rx="6"/><text>${tspans}</text></g>`);
      centers.push(x + w / 2);
      if (i < boxes.length - 1) {
        parts.push(
          `<line class="edge${inCycle ? ' e-loop' : ''}" x1="${x + w + 2}" y1="${top + boxH / 2}" x2="${x + w + GAP - 4}" y2="${top + boxH / 2}" marker-end="url(#arrow${inCycle ? 'r' : ''})"/>`,
        );
      }
      x += w + GAP;
    });
    let rowH = 16 + boxH + 16;
    if (tail === 'loop') {
      // Arrow from the last box back to the first link of the cycle, bent under the row.
      const from = centers[centers.length - 1]!;
      const backIdx = cycle.length > 0 ? info.chain.findIndex((h) => h.path === cycle[0]) : 0;
      const to = centers[Math.max(0, backIdx)]!;
      const yb = top + boxH;
      parts.push(`<path class="edge e-loop" d="M ${from} ${yb + 2} C ${from} ${yb + 26}, ${to} ${yb + 26}, ${to} ${yb + 6}" marker-end="url(#arrowr)"/>`);
      parts.push(`<text class="looplabel" x="${(from + to) / 2}" y="${yb + 30}">${cycle.length > 0 ? 'loops back' : 'hop limit reached'}</text>`);
      rowH += 20;
    }
    width = Math.max(width, x - GAP + PAD);
    y += rowH;
  }
  const h = y + PAD;
  return `<svg class="chains" xmlns="http://www.w3.org/2000/svg" width="${Math.max(width, 300)}" height="${h}" viewBox="0 0 ${Math.max(width, 300)} ${h}" role="img" aria-label="Link chains">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5b6473"/></marker><marker id="arrowr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#c62828"/></marker></defs>
${parts.join('\n')}
</svg>`;
}

/** The message without the link's own path in front (the Path column shows it). */
export function messageWithoutPath(f: Finding): string {
  const m = f.message;
  if (m.startsWith(`${f.path}: `)) return m.slice(f.path.length + 2);
  if (m.startsWith(`${f.path} `)) return m.slice(f.path.length + 1);
  return m;
}

/** Paths under the roots inside a message, shown relative to the root (root's name first), as the Path column does. */
function shortenPaths(m: string, roots: readonly string[]): string {
  let out = m;
  for (const r of roots) {
    const sep = r.includes('\\') && !r.includes('/') ? '\\' : '/';
    const base = r.endsWith(sep) ? r : r + sep;
    const name = r.split(/[\\/]/).filter(Boolean).pop() ?? '';
    out = out.split(base).join(`${name}${sep}`);
  }
  return out;
}

function findingRow(f: Finding, roots: readonly string[], hops: number | null): string {
  const details = JSON.stringify(f.details, null, 1);
  const message = shortenPaths(messageWithoutPath(f), roots);
  return `<tr data-sev="${SEV_RANK[f.severity]}" data-rule="${esc(f.rule)}"><td data-k="${SEV_RANK[f.severity]}"><span class="sev sev-${f.severity}">${f.severity}</span></td><td><code>${esc(f.rule)}</code></td><td class="path" title="${esc(f.path)}">${esc(shortPath(f.path, roots))}</td><td class="num" data-k="${hops ?? -1}">${hops ?? '—'}</td><td>${esc(message)}<details><summary>details</summary><pre>${esc(details)}</pre></details></td></tr>`;
}

const CSS = `
:root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--ok:#2d8a47;--ink:#1d2330;--muted:#6b7280;--line:#e3e6eb;--bg:#f6f7f9}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0 0 4px;font-size:20px}header .meta{color:#c5cad3;font-size:13px}
main{max-width:1240px;margin:0 auto;padding:20px 28px 40px}section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:0 0 18px}
h2{font-size:16px;margin:0 0 12px}.muted{color:var(--muted)}code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:12px;margin-bottom:18px}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px}.card .n{font-size:26px;font-weight:650}.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.err .n{color:var(--err)}.card.warn .n{color:var(--warn)}.card.info .n{color:var(--info)}
.badge{display:inline-block;padding:2px 9px;border-radius:999px;font-weight:600;font-size:12px}.b-0{background:#e3f4e8;color:var(--ok)}.b-1{background:#fff1dc;color:var(--warn)}.b-3,.b-2{background:#fde8e8;color:var(--err)}
.two{display:grid;grid-template-columns:1fr 1fr;gap:18px}@media(max-width:860px){.two{grid-template-columns:1fr}}
table.bars{width:100%;border-collapse:collapse}table.bars th{text-align:left;font-weight:500;padding:3px 8px 3px 0;white-space:nowrap}table.bars td{padding:3px 0}.num{text-align:right;padding-right:10px!important;font-variant-numeric:tabular-nums;width:3em}
.barcell{width:55%}.bar{display:block;height:10px;border-radius:5px;background:#6a8fd8}.bar.error{background:var(--err)}.bar.warning{background:#e59a1c}.bar.info{background:#6a9ee0}
.filters{display:flex;gap:10px;flex-wrap:wrap;align-items:center;margin-bottom:10px}.filters input,.filters select{font:inherit;padding:5px 8px;border:1px solid #cfd4dc;border-radius:6px}.filters input{flex:1;min-width:220px}
table.findings{width:100%;border-collapse:collapse;table-layout:fixed}table.findings th{text-align:left;border-bottom:2px solid var(--line);padding:6px 8px;cursor:pointer;user-select:none;white-space:nowrap}
table.findings th:nth-child(1){width:100px}table.findings th:nth-child(2){width:190px}table.findings th:nth-child(3){width:30%}
table.findings th button{font:inherit;font-weight:600;background:none;border:0;padding:0;color:inherit;cursor:pointer}table.findings th button:focus-visible{outline:2px solid #3566c8;outline-offset:2px;border-radius:3px}
table.findings th[aria-sort=ascending] button::after{content:" ▲";font-size:10px}table.findings th[aria-sort=descending] button::after{content:" ▼";font-size:10px}table.findings th:nth-child(4){width:64px}
table.findings td{border-bottom:1px solid var(--line);padding:6px 8px;vertical-align:top;overflow-wrap:anywhere}tr.hide{display:none}
.sev{display:inline-block;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:600}.sev-error{background:#fde8e8;color:var(--err)}.sev-warning{background:#fff1dc;color:var(--warn)}.sev-info{background:#e6f0fc;color:var(--info)}
.path{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}details summary{color:var(--muted);font-size:12px;cursor:pointer}details pre{background:var(--bg);padding:6px 8px;border-radius:6px;font-size:11.5px;white-space:pre-wrap;margin:4px 0 0}
.scroll{overflow-x:auto}svg.chains text{font:11.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-anchor:middle;fill:#1d2330}
svg.chains .rowlabel{text-anchor:start;font:600 11px system-ui,sans-serif;fill:#6b7280;text-transform:uppercase}svg.chains .looplabel{fill:#c62828;font-size:10.5px}
.node rect{fill:#eef4ff;stroke:#3566c8}.n-start rect{fill:#dfe9ff;stroke-width:1.6}.n-final rect{fill:#e6f6ea;stroke:#2d8a47}.n-missing rect{fill:#fff0f0;stroke:#c62828;stroke-dasharray:4 3}.n-loop rect{fill:#ffe9e9;stroke:#c62828;stroke-width:1.8}
.edge{stroke:#5b6473;stroke-width:1.4;fill:none}.e-loop{stroke:#c62828;stroke-width:1.8}
table.rules{width:100%;border-collapse:collapse}table.rules td:first-child{white-space:nowrap}table.rules td,table.rules th{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
footer{color:var(--muted);font-size:12px;text-align:center;padding:10px}
`;

const SCRIPT = `
(function(){
  var body=document.body;
  window.addEventListener('error',function(e){body.setAttribute('data-error',String(e.message||e));});
  try{
    var table=document.getElementById('findings');var tbody=table.tBodies[0];
    var rows=Array.prototype.slice.call(tbody.rows);
    var q=document.getElementById('q'),sev=document.getElementById('sev'),rule=document.getElementById('rule'),count=document.getElementById('count');
    function apply(){
      var text=q.value.toLowerCase(),s=sev.value,r=rule.value,shown=0;
      rows.forEach(function(tr){
        var ok=(!s||tr.getAttribute('data-sev')<=s)&&(!r||tr.getAttribute('data-rule')===r)&&(!text||tr.textContent.toLowerCase().indexOf(text)>=0);
        tr.className=ok?'':'hide';if(ok)shown++;
      });
      count.textContent=shown+' of '+rows.length+' shown';
    }
    [q,sev,rule].forEach(function(el){el.addEventListener('input',apply);el.addEventListener('change',apply);});
    var ths=table.tHead.rows[0].cells;
    function key(tr,i){var c=tr.cells[i];var k=c.getAttribute('data-k');return k!==null?k:c.textContent;}
    Array.prototype.forEach.call(ths,function(th,i){
      var btn=th.querySelector('button');if(!btn)return;
      btn.addEventListener('click',function(){
        var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
        Array.prototype.forEach.call(ths,function(h){if(h.querySelector('button'))h.setAttribute('aria-sort','none');});
        th.setAttribute('aria-sort',dir===1?'ascending':'descending');
        var numeric=th.getAttribute('data-type')==='number';
        rows.sort(function(a,b){
          var x=key(a,i),y=key(b,i);
          var c=numeric?(parseFloat(x)-parseFloat(y)):x.localeCompare(y);
          return c*dir;
        });
        rows.forEach(function(tr){tbody.appendChild(tr);});
        var live=document.getElementById('sortstate');if(live)live.textContent='Sorted by '+btn.textContent+(dir===1?', ascending':', descending');
      });
    });
    apply();
    body.setAttribute('data-ready','1');
  }catch(e){body.setAttribute('data-error',String(e&&e.message||e));}
})();
`;

export function renderHtml(d: ReportData): string {
  const s = d.summary;
  const roots = s.roots;
  const findings = sortedFindings(d.findings);
  const shown = findings.slice(0, MAX_ROWS);
  const hopsByPath = new Map(d.links.filter((l) => l.chain.length > 0).map((l) => [l.path, l.chain.length]));
  const ruleTitle = new Map(d.rules.map((r) => [r.id, r.title]));
  const ruleSev = new Map(d.rules.map((r) => [r.id, r.effectiveSeverity]));
  const exitWords: Record<number, string> = { 0: 'clean', 1: `findings at or above ${s.failOn ?? 'warning'}`, 2: 'bad input', 3: 'scan failed' };
  const kinds = Object.entries(s.byKind).sort((a, b) => b[1] - a[1]);
  const byRule = d.rules
    .map((r) => [r.id, s.byRule[r.id] ?? 0] as [string, number])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const ruleOptions = byRule.map(([id]) => `<option value="${esc(id)}">${esc(id)}</option>`).join('');
  const driftRows = d.drift
    .map((x) => {
      const st = (v: typeof x.before) => (v ? `${esc(v.kind)} ${esc(v.target ?? v.fileId ?? '')}` : '<span class="muted">—</span>');
      return `<tr><td>${esc(x.change)}</td><td class="path">${esc(shortPath(x.path, roots))}</td><td class="path">${st(x.before)}</td><td class="path">${st(x.after)}</td></tr>`;
    })
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>LinkTools audit — ${esc(roots.join(', '))}</title>
<style>${CSS}</style>
</head>
<body data-ready="0">
<header><h1>LinkTools audit</h1><div class="meta">${roots.map((r) => `<code>${esc(r)}</code>`).join(' · ')} — ${esc(d.generatedAt)} — LinkTools ${esc(d.engineVersion)} — ${s.durationMs} ms — <span class="badge b-${s.exitCode}">exit ${s.exitCode}: ${esc(exitWords[s.exitCode] ?? '')}</span></div></header>
<main>
<div class="cards" id="summary">
<div class="card"><div class="n">${s.entries.toLocaleString('en-US')}</div><div class="l">entries</div></div>
<div class="card"><div class="n">${s.links.toLocaleString('en-US')}</div><div class="l">links</div></div>
<div class="card"><div class="n">${s.hardLinkGroups ?? 0}</div><div class="l">hard-link groups</div></div>
<div class="card err"><div class="n">${s.bySeverity.error}</div><div class="l">errors</div></div>
<div class="card warn"><div class="n">${s.bySeverity.warning}</div><div class="l">warnings</div></div>
<div class="card info"><div class="n">${s.bySeverity.info}</div><div class="l">info</div></div>
<div class="card"><div class="n">${s.drift}</div><div class="l">drift</div></div>
</div>
<div class="two">
<section><h2>Links by kind</h2>${bars(kinds)}</section>
<section><h2>Findings by rule</h2>${bars(
    byRule,
    (k) => ruleSev.get(k) ?? '',
    (k) => ruleTitle.get(k) ?? '',
  )}</section>
</div>
<section><h2>Findings</h2>
<div class="filters"><input id="q" type="search" placeholder="Filter by path, rule or message…" aria-label="Filter findings">
<select id="sev" aria-label="Minimum severity"><option value="">all severities</option><option value="0">errors</option><option value="1">warnings and up</option><option value="2">info and up</option></select>
<select id="rule" aria-label="Rule"><option value="">all rules</option>${ruleOptions}</select><span id="count" class="muted">${shown.length} findings</span></div>
${findings.length > MAX_ROWS ? `<p class="muted">Showing the first ${MAX_ROWS} of ${findings.length} findings; the json, csv and sarif reports have them all.</p>` : ''}
<div class="scroll"><table class="findings" id="findings"><caption class="muted" style="text-align:left;caption-side:bottom;padding-top:6px">Sort by a column with its heading button (Tab to it, Enter or Space). <span id="sortstate" aria-live="polite"></span></caption><thead><tr><th scope="col" aria-sort="none" data-type="number"><button type="button">Severity</button></th><th scope="col" aria-sort="none" data-type="text"><button type="button">Rule</button></th><th scope="col" aria-sort="none" data-type="text"><button type="button">Path</button></th><th scope="col" aria-sort="none" data-type="number"><button type="button">Hops</button></th><th scope="col">Message</th></tr></thead><tbody>
${shown.map((f) => findingRow(f, roots, hopsByPath.get(f.path) ?? null)).join('\n')}
</tbody></table></div>
${findings.length === 0 ? '<p class="muted">No findings.</p>' : ''}
</section>
<section><h2>Link chains</h2><p class="muted">Each row follows one link hop by hop (hover a box for its full path): blue boxes are links, green is where the chain ends, dashed red is a missing target, red boxes and arrows form a loop.</p><div class="scroll">${chainSvg(d)}</div></section>
${d.drift.length > 0 ? `<section><h2>Drift from the baseline</h2><div class="scroll"><table class="rules"><thead><tr><th>Change</th><th>Path</th><th>Before</th><th>After</th></tr></thead><tbody>${driftRows}</tbody></table></div></section>` : ''}
<section><h2>Rules that ran</h2><table class="rules"><thead><tr><th>Rule</th><th>Severity</th><th>Meaning</th></tr></thead><tbody>
${d.rules.map((r) => `<tr><td><code>${esc(r.id)}</code></td><td><span class="sev sev-${r.effectiveSeverity}">${r.effectiveSeverity}</span></td><td><b>${esc(r.title)}.</b> ${esc(r.meaning)}</td></tr>`).join('\n')}
</tbody></table></section>
</main>
<footer>Generated by LinkTools ${esc(d.engineVersion)}. This file is self-contained.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
