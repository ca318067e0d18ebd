#!/usr/bin/env node
// Builds a small demo tree with every link kind this platform allows and a case for most audit
// rules, for the README's walk-through and the audit tests:
//
//   node build/make-demo-tree.mjs [DIR]      (default: .cache/demo-tree; DIR is emptied first)
//
// Layout: DIR/tree is the root to audit; DIR/outside holds what some links reach out to.
// Prints one JSON line: { root, outside, created: [...], skipped: [{ what, reason }] }.
//
//   tree/docs/{readme.md,guide.md}   plain files
//   tree/current -> docs             relative directory link: clean
//   tree/latest -> current           two-hop chain: clean
//   tree/chain/c1 -> c2 … c10 -> ../docs/readme.md
//                                    chain-too-long for c1 (10 hops) and c2 (9 hops)
//   tree/broken -> missing.txt       broken-target
//   tree/broken-chain -> broken      broken-target (the chain ends at missing.txt)
//   tree/loop/{a->b, b->c, c->a}     link-loop, each one in the cycle
//   tree/loop/into -> a              link-loop, leading into the cycle
//   tree/self -> self                link-loop
//   tree/escape -> ../outside/real-dir   escapes-root
//   tree/abs-inside -> <abs>/tree/docs/guide.md   absolute-target (info)
//   tree/passwd -> /etc/passwd (Windows: C:\Windows\System32\drivers\etc\hosts)
//                                    sensitive-target + escapes-root + absolute-target
//   tree/hard/{a.txt,b.txt}          hard-link pair, both inside: clean
//   tree/hard/shared.txt             hard link of outside/shared.txt: hardlink-group-escapes
//   tree/cyc/inner/up -> ..          a folder link to its own ancestor: directory-cycle
//   tree/messy -> ./docs/./readme.md needless "." elements: messy-target
//   tree/docs/lengthy -> ../docs/readme.md   climbs out of docs only to come back: lengthy-target
//   Windows only: tree/junction (junction to docs), tree/file-link-to-dir (a file symlink to a
//   directory: type-mismatch)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function makeDemoTree(dir) {
  const base = path.resolve(dir);
  fs.rmSync(base, { recursive: true, force: true });
  const root = path.join(base, 'tree');
  const outside = path.join(base, 'outside');
  const created = [];
  const skipped = [];
  const win = process.platform === 'win32';
  const mk = (p) => fs.mkdirSync(path.join(base, p), { recursive: true });
  const file = (p, text) => {
    fs.mkdirSync(path.dirname(path.join(base, p)), { recursive: true });
    fs.writeFileSync(path.join(base, p), text);
  };
  const link = (p, target, type) => {
    try {
      fs.symlinkSync(target, path.join(base, p), type);
      created.push(p);
    } catch (e) {
      skipped.push({ what: p, reason: `${e.code ?? e.message}${win ? ' (symbolic links need Developer Mode or an elevated shell)' : ''}` });
    }
  };
  const hard = (p, existing) => {
    try {
      fs.linkSync(path.join(base, existing), path.join(base, p));
      created.push(p);
    } catch (e) {
      skipped.push({ what: p, reason: String(e.code ?? e.message) });
    }
  };

  mk('tree/docs');
  mk('outside/real-dir');
  file('tree/docs/readme.md', '# Demo\n');
  file('tree/docs/guide.md', 'A guide.\n');
  file('outside/shared.txt', 'shared content\n');
  file('outside/real-dir/data.txt', 'data\n');
  link('tree/current', 'docs', 'dir');
  link('tree/latest', 'current', 'dir');
  mk('tree/chain');
  for (let i = 1; i <= 10; i++) link(`tree/chain/c${i}`, i < 10 ? `c${i + 1}` : path.join('..', 'docs', 'readme.md'), 'file');
  link('tree/broken', 'missing.txt', 'file');
  link('tree/broken-chain', 'broken', 'file');
  mk('tree/loop');
  link('tree/loop/a', 'b', 'file');
  link('tree/loop/b', 'c', 'file');
  link('tree/loop/c', 'a', 'file');
  link('tree/loop/into', 'a', 'file');
  link('tree/self', 'self', 'file');
  link('tree/escape', path.join('..', 'outside', 'real-dir'), 'dir');
  link('tree/abs-inside', path.join(root, 'docs', 'guide.md'), 'file');
  link('tree/passwd', win ? 'C:\\Windows\\System32\\drivers\\etc\\hosts' : '/etc/passwd', 'file');
  mk('tree/hard');
  file('tree/hard/a.txt', 'pair\n');
  hard('tree/hard/b.txt', 'tree/hard/a.txt');
  hard('tree/hard/shared.txt', 'outside/shared.txt');
  mk('tree/cyc/inner');
  link('tree/cyc/inner/up', '..', 'dir');
  link('tree/messy', win ? '.\\docs\\.\\readme.md' : './docs/./readme.md', 'file');
  link('tree/docs/lengthy', path.join('..', 'docs', 'readme.md'), 'file');
  if (win) {
    try {
      fs.symlinkSync(path.join(root, 'docs'), path.join(root, 'junction'), 'junction');
      created.push('tree/junction');
    } catch (e) {
      skipped.push({ what: 'tree/junction', reason: String(e.code ?? e.message) });
    }
    link('tree/file-link-to-dir', 'docs', 'file');
  } else {
    skipped.push({ what: 'tree/junction', reason: 'junctions exist only on NTFS (Windows or an ntfs-3g mount)' });
    skipped.push({ what: 'tree/file-link-to-dir', reason: 'POSIX symlinks do not declare file or directory (type-mismatch needs NTFS)' });
  }
  return { root, outside, created, skipped };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = process.argv[2] ?? path.join(here, '..', '.cache', 'demo-tree');
  console.log(JSON.stringify(makeDemoTree(dir)));
}
