#!/usr/bin/env node
// Summarise a V8 .cpuprofile (node --cpu-prof): self time per function, top N; with --inclusive,
// time spent in a function and everything it called (each function counted once per sample).
//   node build/bench/profile-top.mjs FILE.cpuprofile [N] [--inclusive]
import fs from 'node:fs';
const args = process.argv.slice(2);
const inclusive = args.includes('--inclusive');
const [file, nArg] = args.filter((a) => a !== '--inclusive');
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (n) => {
  const f = n.callFrame;
  return `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop() : ''}:${f.lineNumber + 1}`;
};
const time = new Map();
const dt = prof.timeDeltas;
let total = 0;
for (let i = 0; i < prof.samples.length; i++) {
  const d = dt[i] ?? 0;
  total += d;
  if (!inclusive) {
    const k = keyOf(byId.get(prof.samples[i]));
    time.set(k, (time.get(k) ?? 0) + d);
    continue;
  }
  const seen = new Set();
  for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) {
    const k = keyOf(byId.get(id));
    if (seen.has(k)) continue;
    seen.add(k);
    time.set(k, (time.get(k) ?? 0) + d);
  }
}
const rows = [...time.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg ?? 25));
console.log(`total ${(total / 1000).toFixed(0)} ms sampled (${inclusive ? 'inclusive' : 'self'})`);
for (const [k, v] of rows) console.log(`${(v / 1000).toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
