#!/usr/bin/env node
// Generates a benchmark tree of about N entries (files, folders, links), reusing it when a tree of
// the same size and layout version is already there:
//
//   node build/bench/gen-tree.mjs --entries 100000 --dir .cache/bench/tree-100000
//
// Layout: a balanced part (folders of ~60 entries, 8 subfolders each), one wide folder (5,000
// files), one deep chain (300 nested folders). About 1% of entries are symlinks: 70% to files
// (relative), 10% broken, 10% to folders (never entered by a scan), 10% in two-link loops.
// About 0.5% of files get a second name (hard-link groups), some across folders.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const LAYOUT = 2;
const { values } = parseArgs({ options: { entries: { type: 'string', default: '100000' }, dir: { type: 'string' } } });
const N = Number(values.entries);
if (!Number.isInteger(N) || N < 1000) throw new Error('--entries must be a whole number >= 1000');
const dir = path.resolve(values.dir ?? `.cache/bench/tree-${N}`);
const marker = path.join(dir, '.bench-tree.json');
try {
  const m = JSON.parse(fs.readFileSync(marker, 'utf8'));
  if (m.entries === N && m.layout === LAYOUT) {
    console.log(JSON.stringify({ ...m, reused: true }));
    process.exit(0);
  }
} catch {}
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });

let entries = 0;
let links = 0;
let hard = 0;
let seed = 42;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const files = []; // a sample of files to hard-link across folders
const empty = Buffer.alloc(0);

function fillDir(d, count) {
  let lastFile = null;
  for (let i = 0; i < count && entries < N; i++) {
    const r = rnd();
    const name = `e${i}`;
    const p = path.join(d, name);
    if (r < 0.01) {
      const k = rnd();
      if (k < 0.7 && lastFile) fs.symlinkSync(lastFile, p);
      else if (k < 0.8) fs.symlinkSync(`missing-${i}`, p);
      else if (k < 0.9) fs.symlinkSync('..', p);
      else {
        fs.symlinkSync(`${name}-b`, p);
        fs.symlinkSync(name, `${p}-b`);
        entries++;
        links++;
      }
      links++;
    } else if (r < 0.015 && lastFile) {
      fs.linkSync(path.join(d, lastFile), p);
      hard++;
    } else if (r < 0.016 && files.length > 0) {
      fs.linkSync(files[Math.floor(rnd() * files.length)], p);
      hard++;
    } else {
      fs.writeFileSync(p, empty);
      lastFile = name;
      if (files.length < 1000 && rnd() < 0.01) files.push(p);
    }
    entries++;
  }
}

// Deep chain and wide folder first (fixed sizes), then the balanced part until N.
let deep = path.join(dir, 'deep');
for (let i = 0; i < 300 && entries < N; i++) {
  deep = path.join(deep, `level${i}`);
  fs.mkdirSync(deep, { recursive: true });
  entries++;
  fillDir(deep, 3);
}
const wide = path.join(dir, 'wide');
fs.mkdirSync(wide);
entries++;
fillDir(wide, Math.min(5000, Math.floor(N / 20)));
const queue = [path.join(dir, 'tree')];
fs.mkdirSync(queue[0]);
entries++;
while (entries < N && queue.length > 0) {
  const d = queue.shift();
  fillDir(d, 60);
  for (let s = 0; s < 8 && entries < N; s++) {
    const sub = path.join(d, `sub${s}`);
    fs.mkdirSync(sub);
    entries++;
    queue.push(sub);
  }
}
const info = { entries: N, created: entries, links, hardLinkNames: hard, layout: LAYOUT, root: dir };
fs.writeFileSync(marker, JSON.stringify(info));
console.log(JSON.stringify(info));
