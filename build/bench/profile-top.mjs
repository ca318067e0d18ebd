#!/usr/bin/env node
// Summarise a V8 .cpuprofile (node --cpu-prof): self time per function, top N.
//   node build/bench/profile-top.mjs FILE.cpuprofile [N]
import fs from 'node:fs';
const [file, nArg] = process.argv.slice(2);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
let total = 0;
for (let i = 0; i < prof.samples.length; i++) {
  const n = byId.get(prof.samples[i]);
  const f = n.callFrame;
  const key = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').pop() : ''}:${f.lineNumber + 1}`;
  const d = dt[i] ?? 0;
  total += d;
  self.set(key, (self.get(key) ?? 0) + d);
}
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(nArg ?? 25));
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [k, v] of rows) console.log(`${(v / 1000).toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
