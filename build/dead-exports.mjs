#!/usr/bin/env node
// Dead exports: a name exported by an engine/src module that no other file of the repository (engine,
// tests, build scripts) mentions. Such an export is either dead code or should not be exported.
// Part of `npm run lint`; files listed in .eslint-pending are skipped (LT_LINT_ALL=1 checks them too).
// The check is textual (a word match in any other file), so it errs on the side of "used".
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mjs', '*.cjs', '*.ps1'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
const pending = process.env.LT_LINT_ALL
  ? []
  : readFileSync(join(root, '.eslint-pending'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.replace(/^\//, ''));
const isPending = (f) => pending.some((p) => (p.endsWith('/') ? f.startsWith(p) : f === p));
const text = new Map(files.map((f) => [f, readFileSync(join(root, f), 'utf8')]));

let dead = 0;
for (const f of files) {
  if (!f.startsWith('engine/src/') || !f.endsWith('.ts') || f.startsWith('engine/src/contract/') || isPending(f)) continue;
  const sf = ts.createSourceFile(f, text.get(f), ts.ScriptTarget.Latest, true);
  for (const st of sf.statements) {
    const mods = ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined;
    if (!mods?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const names = ts.isVariableStatement(st) ? st.declarationList.declarations.map((d) => d.name.getText()) : st.name ? [st.name.getText()] : [];
    for (const n of names) {
      const re = new RegExp(`\\b${n}\\b`);
      if (files.some((g) => g !== f && re.test(text.get(g)))) continue;
      const { line } = sf.getLineAndCharacterOfPosition(st.getStart());
      console.error(`${f}:${line + 1}: ${n} is exported but no other file uses it (remove it, or drop the export)`);
      dead++;
    }
  }
}
if (dead) process.exit(1);
console.log('dead exports: none');
