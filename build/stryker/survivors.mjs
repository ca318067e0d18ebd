// Prints, per file of the last mutation report (.cache/stryker/report.json), the score and every
// mutant that survived or had no coverage, with its line and replacement, for docs/mutation.md.
//   node build/stryker/survivors.mjs [file-substring ...]
import fs from 'node:fs';

const report = JSON.parse(fs.readFileSync(process.argv.includes('--report') ? process.argv[process.argv.indexOf('--report') + 1] : '.cache/stryker/report.json', 'utf8'));
const wanted = process.argv.slice(2).filter((a, i, all) => a !== '--report' && all[i - 1] !== '--report');
const KILLED = new Set(['Killed', 'Timeout']);
const LEFT = new Set(['Survived', 'NoCoverage']);

for (const [file, { source, mutants }] of Object.entries(report.files)) {
  if (wanted.length && !wanted.some((w) => file.includes(w))) continue;
  const lines = source.split('\n');
  const counted = mutants.filter((m) => KILLED.has(m.status) || LEFT.has(m.status));
  const killed = counted.filter((m) => KILLED.has(m.status)).length;
  const score = counted.length ? ((100 * killed) / counted.length).toFixed(2) : '-';
  const ignored = mutants.filter((m) => m.status === 'Ignored').length;
  console.log(`${file}: ${score} % (${killed} killed of ${counted.length}; ${ignored} ignored)`);
  for (const m of mutants.filter((x) => LEFT.has(x.status)).sort((a, b) => a.location.start.line - b.location.start.line)) {
    const { start, end } = m.location;
    const orig = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : lines[start.line - 1].slice(start.column - 1) + ' …';
    const short = (s) => (s.length > 90 ? s.slice(0, 87) + '...' : s).replace(/\n\s*/g, ' ');
    console.log(`  ${m.status === 'NoCoverage' ? 'NOCOV' : 'SURV '} ${start.line}:${start.column} ${m.mutatorName}: ${short(orig)} -> ${short(m.replacement ?? '')}`);
  }
}
