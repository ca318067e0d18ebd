#!/usr/bin/env node
// node build/check-skips.mjs <counts.json>: lists the skipped tests a stage recorded (skippedNames,
// written by build/test-all.sh), and under CI=true fails (exit 1) when one of them is not allowed by
// build/allowed-skips.txt. That file holds one JavaScript regular expression a line (# comments),
// matched against "<file> > <test name>"; it lists only tests of another operating system.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

export function allowedPatterns(text) {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => new RegExp(l));
}

export function disallowedSkips(names, patterns) {
  return names.filter((n) => !patterns.some((re) => re.test(n)));
}

function main() {
  const file = process.argv[2];
  const counts = JSON.parse(fs.readFileSync(file, 'utf8'));
  const names = Array.isArray(counts.skippedNames) ? counts.skippedNames.map(String) : [];
  const skipped = Number(counts.skipped) || 0;
  if (skipped === 0) return 0;
  for (const n of names) console.log(`     skipped: ${n}`);
  const ci = /^(1|true|yes)$/i.test(process.env.CI ?? '');
  if (!ci) return 0;
  const bad = disallowedSkips(names, allowedPatterns(fs.readFileSync(path.join(root, 'build/allowed-skips.txt'), 'utf8')));
  // A count without names (a runner that did not say which) cannot be checked: refuse it too.
  const unnamed = Math.max(0, skipped - names.length);
  if (bad.length === 0 && unnamed === 0) return 0;
  console.error(`!!!!!!!! CI=true: ${bad.length + unnamed} skipped test(s) not allowed by build/allowed-skips.txt !!!!!!!!`);
  for (const n of bad) console.error(`  not allowed: ${n}`);
  if (unnamed) console.error(`  ${unnamed} skipped test(s) without a name`);
  console.error('A capability this machine kind is expected to have is missing, or a test skips itself: fix the machine or the test.');
  return 1;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
