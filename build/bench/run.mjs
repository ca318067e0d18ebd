#!/usr/bin/env node
// The benchmark driver behind build/bench.sh (see there). Each measured command runs once warm
// (the first find of each size warms the page cache for everyone), stdout to /dev/null.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000' },
    'skip-module': { type: 'boolean', default: false },
    rounds: { type: 'string' },
    profile: { type: 'boolean', default: false },
    baseline: { type: 'string' },
    'two-threads': { type: 'boolean', default: false },
  },
});
// --two-threads: scan, symlink-only scan and audit also with LINKTOOLS_SCAN_THREADS=2 (the walk's
// second thread, off by default), in the same rounds, with their own table.
const twoThreads = values['two-threads'];
const TWO = { LINKTOOLS_SCAN_THREADS: '2' };
// --baseline ENGINE: another engine (an executable, or a .cjs bundle run on the bundle's Node) measured
// in the same interleaved rounds, for before/after figures from one run.
const baselineArg = values.baseline ? path.resolve(values.baseline) : null;
if (baselineArg && !fs.existsSync(baselineArg)) throw new Error(`--baseline ${values.baseline} does not exist`);
const roundsArg = values.rounds === undefined ? null : Number(values.rounds);
if (roundsArg !== null && (!Number.isInteger(roundsArg) || roundsArg < 1)) throw new Error(`--rounds wants a whole number >= 1: ${values.rounds}`);
const sizes = values.sizes.split(',').map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 1000)) throw new Error(`--sizes wants whole numbers >= 1000: ${values.sizes}`);
const benchDir = path.resolve(process.env.BENCH_DIR ?? path.join(root, '.cache/bench'));
const outDir = path.join(root, 'bench-out');
fs.mkdirSync(benchDir, { recursive: true });
fs.mkdirSync(outDir, { recursive: true });
const log = (s) => process.stderr.write(`bench: ${s}\n`);

// --- the engine: the packaged executable when it is newer than the sources, else a fresh bundle ---
function newestSource(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}
const exe = path.join(root, 'dist/bin/linux-x64/linktools');
// The bundle runs on the Node the packaged engine is built from (build/tools.sh node22, NODE22) when
// bench.sh found it: koffi, and so the directory-handle walk, needs it; else on this Node.
const bundleNode = process.env.NODE22 && fs.existsSync(process.env.NODE22) ? process.env.NODE22 : process.execPath;
let engine;
let engineWhat;
// A packaged engine is measured as a copy in a temporary folder under the bench dir, not in place:
// an executable just written by pkg maps ~14 MB more of itself than a copy of the same file, and a
// copy is what an installed module runs, so the RSS column is the installed figure. The executable
// needs nothing beside it (its native addon goes into a private folder it makes next to itself, here
// inside the temporary folder); the folder is removed when the bench ends.
const copies = [];
function installedCopy(file, name) {
  for (const parent of [benchDir, path.join(root, '.cache')]) {
    fs.mkdirSync(parent, { recursive: true });
    const dir = fs.mkdtempSync(path.join(parent, `engine-${name}-`));
    copies.push(dir);
    const copy = path.join(dir, path.basename(file));
    fs.copyFileSync(file, copy);
    fs.chmodSync(copy, 0o755);
    if (spawnSync(copy, ['--version'], { stdio: 'ignore' }).status === 0) return copy;
    log(`the copy of ${file} in ${parent} does not run (a noexec mount?): trying the next place`);
  }
  throw new Error(`no place to run a copy of ${file}`);
}
process.on('exit', () => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
if (fs.existsSync(exe) && fs.statSync(exe).mtimeMs >= newestSource(path.join(root, 'engine/src'))) {
  const copy = installedCopy(exe, 'dist');
  engine = [copy];
  engineWhat = `dist/bin/linux-x64/linktools (packaged), run as a copy (${path.relative(root, copy).startsWith('..') ? copy : path.relative(root, copy)}) so that its peak RSS is an installed copy's`;
} else {
  // Inside the repository whatever BENCH_DIR says: the bundle leaves koffi external, and require('koffi')
  // resolves from the bundle's folder (a bundle under /dev/shm would walk by path, without koffi).
  const bundle = path.join(root, '.cache/bench-linktools.cjs');
  execFileSync(process.execPath, [path.join(root, 'build/bundle.mjs'), '--outfile', bundle], { stdio: ['ignore', 'ignore', 'inherit'] });
  engine = [bundleNode, bundle];
  engineWhat = `node ${execFileSync(bundleNode, ['--version'], { encoding: 'utf8' }).trim()} + esbuild bundle${fs.existsSync(exe) ? ' (the packaged executable is older than the sources)' : ''}`;
}
log(`engine: ${engineWhat}`);

/** Run under /usr/bin/time; returns wall seconds, CPU seconds (user + system), peak RSS MB, exit code. */
function timed(cmd, args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], {
    stdio: ['ignore', fs.openSync('/dev/null', 'w'), 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = r.stderr.trim().split('\n');
  const m = /^([\d.]+) ([\d.]+) ([\d.]+) (\d+)$/.exec(lines[lines.length - 1] ?? '');
  if (!m) throw new Error(`cannot read /usr/bin/time output for ${cmd} ${args.join(' ')}:\n${r.stderr.slice(-2000)}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rssMb: Number(m[4]) / 1024, code: r.status };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Several runs of one command: median wall and CPU, highest peak RSS. */
function summarise(runs) {
  return { wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)), rssMb: Math.max(...runs.map((r) => r.rssMb)), runs: runs.length };
}

const fdBin = ['fdfind', 'fd'].find((b) => spawnSync(b, ['--version']).status === 0) ?? null;
if (!fdBin) log('fd (Debian fd-find) is not installed: the fd column is left out (build/bench.sh installs it)');
const ONE_PASS = (tree) => [tree, '(', '-type', 'l', '-printf', '%p %l\n', ')', '-o', '(', '-type', 'f', '-links', '+1', '-printf', '%i %p\n', ')'];
const E = (...a) => [engine[0], [...engine.slice(1), ...a]];
// A baseline executable is copied too, so both engines are measured in the same state.
const baseline = baselineArg ? (baselineArg.endsWith('.cjs') ? [bundleNode, baselineArg] : [installedCopy(baselineArg, 'baseline')]) : null;
const B = (...a) => [baseline[0], [...baseline.slice(1), ...a]];
if (baseline) log(`baseline engine: ${baseline.join(' ')}${baselineArg.endsWith('.cjs') ? '' : ` (a copy of ${baselineArg})`}`);

const startup = timed(...E('--version'));
const help = timed(...E('--help'));
log(`engine start-up: --version ${startup.wall.toFixed(2)} s / ${startup.rssMb.toFixed(0)} MB; --help ${help.wall.toFixed(2)} s / ${help.rssMb.toFixed(0)} MB`);
const results = [];
for (const n of sizes) {
  const tree = path.join(benchDir, `tree-${n}`);
  log(`tree of ${n} entries in ${tree}`);
  const gen = JSON.parse(execFileSync(process.execPath, [path.join(root, 'build/bench/gen-tree.mjs'), '--entries', String(n), '--dir', tree], { encoding: 'utf8' }));
  timed('find', [tree]); // warm the cache
  const cmds = {
    findOne: ['find', ONE_PASS(tree)],
    findL: ['find', [tree, '-type', 'l']],
    ...(fdBin ? { fdL: [fdBin, ['-H', '-I', '-t', 'l', '.', tree]] } : {}),
    scan: E('scan', tree),
    scanSym: E('scan', tree, '--kind', 'symlink'),
    audit: E('audit', tree, '--fail-on', 'never'),
    ...(baseline ? { scanB: B('scan', tree), scanSymB: B('scan', tree, '--kind', 'symlink'), auditB: B('audit', tree, '--fail-on', 'never') } : {}),
    ...(twoThreads ? { scan2: [...E('scan', tree), TWO], scanSym2: [...E('scan', tree, '--kind', 'symlink'), TWO], audit2: [...E('audit', tree, '--fail-on', 'never'), TWO] } : {}),
  };
  // Interleaved rounds (each command once per round), so load changes on the shared machine hit all alike.
  const rounds = roundsArg ?? (n >= 1_000_000 ? 1 : 3);
  const runs = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) for (const [k, [c, a, env]] of Object.entries(cmds)) runs[k].push(timed(c, a, env));
  const r = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, summarise(v)]));
  const res = { n, gen, rounds, ...r, load: os.loadavg()[0] };
  results.push(res);
  log(
    `${n}: ${Object.entries(r)
      .map(([k, v]) => `${k} ${v.wall.toFixed(2)} s (cpu ${v.cpu.toFixed(2)} s) ${v.rssMb.toFixed(0)} MB`)
      .join('; ')}`,
  );
}

const f2 = (x) => x.toFixed(2);
const cell = (m) => `${f2(m.wall)} s · ${f2(m.cpu)} cpu-s · ${m.rssMb.toFixed(0)} MB`;
const ratio = (a, b) => `${f2(a.wall / b.wall)}× (cpu ${f2(a.cpu / b.cpu)}×)`;
const timeRows = results.map((r) => `| ${r.n.toLocaleString('en-US')} | ${cell(r.findOne)} | ${cell(r.scan)} | ${cell(r.audit)} | ${ratio(r.scan, r.findOne)} | ${ratio(r.audit, r.findOne)} |`);
const symRows = results.map(
  (r) => `| ${r.n.toLocaleString('en-US')} | ${cell(r.findL)} | ${r.fdL ? cell(r.fdL) : 'n/a'} | ${cell(r.scanSym)} | ${ratio(r.scanSym, r.findL)} | ${r.fdL ? ratio(r.scanSym, r.fdL) : 'n/a'} |`,
);
const rssRows = results.map(
  (r) =>
    `| ${r.n.toLocaleString('en-US')} | ${r.scan.rssMb.toFixed(0)} MB | ${r.scanSym.rssMb.toFixed(0)} MB | ${r.audit.rssMb.toFixed(0)} MB | ${r.findOne.rssMb.toFixed(0)} MB | ${r.fdL ? r.fdL.rssMb.toFixed(0) + ' MB' : 'n/a'} |`,
);
const baseRows = baseline
  ? results.map(
      (r) =>
        `| ${r.n.toLocaleString('en-US')} | ${cell(r.scanB)} | ${cell(r.scan)} | ${cell(r.scanSymB)} | ${cell(r.scanSym)} | ${cell(r.auditB)} | ${cell(r.audit)} | ${ratio(r.scanB, r.findOne)} → ${ratio(r.scan, r.findOne)} | ${ratio(r.scanSymB, r.findL)} → ${ratio(r.scanSym, r.findL)} | ${ratio(r.auditB, r.findOne)} → ${ratio(r.audit, r.findOne)} |`,
    )
  : [];
const twoRows = twoThreads
  ? results.map(
      (r) =>
        `| ${r.n.toLocaleString('en-US')} | ${cell(r.scan2)} | ${cell(r.scanSym2)} | ${cell(r.audit2)} | ${ratio(r.scan, r.findOne)} → ${ratio(r.scan2, r.findOne)} | ${ratio(r.scanSym, r.findL)} → ${ratio(r.scanSym2, r.findL)} | ${ratio(r.audit, r.findOne)} → ${ratio(r.audit2, r.findOne)} |`,
    )
  : [];
const at = (n) => results.find((r) => r.n === n);
const lo = at(250_000) ?? results[0];
const hi = at(1_000_000) ?? results[results.length - 1];
const growth = lo && hi && lo !== hi ? Math.max(hi.scan.rssMb - lo.scan.rssMb, hi.audit.rssMb - lo.audit.rssMb) : null;
const goal = (ok) => (ok ? 'meets' : 'misses');
const goals = results.map(
  (r) =>
    `- ${r.n.toLocaleString('en-US')} entries (${r.rounds} round${r.rounds === 1 ? '' : 's'}, load ${f2(r.load)}): scan ${goal(r.scan.wall <= r.findOne.wall)} ≤ 1.0× one-pass find (${f2(r.scan.wall / r.findOne.wall)}×), audit ${goal(r.audit.wall <= 1.2 * r.findOne.wall)} ≤ 1.2× (${f2(r.audit.wall / r.findOne.wall)}×), symlink-only scan ${goal(r.scanSym.wall <= 1.5 * r.findL.wall)} ≤ 1.5× find -type l (${f2(r.scanSym.wall / r.findL.wall)}×), peak RSS ${Math.max(r.scan.rssMb, r.audit.rssMb).toFixed(0)} MB${r.n >= 1_000_000 ? ` (${goal(Math.max(r.scan.rssMb, r.audit.rssMb) <= 100)} ≤ 100 MB)` : ''}.`,
);
if (growth !== null)
  goals.push(
    `- peak RSS growth ${lo.n.toLocaleString('en-US')} → ${hi.n.toLocaleString('en-US')} entries: ${growth.toFixed(0)} MB (${goal(growth <= 15)} ≤ 15 MB${lo.n === 250_000 && hi.n === 1_000_000 ? '' : '; the goal is stated for 250k → 1M'}).`,
  );

// --- Get-LinkInfo vs a Get-Item loop on 10,000 paths ---
let psSection;
const manifest = path.join(root, 'LinkTools.psd1');
const pwsh = ['pwsh', path.join(os.homedir(), '.dotnet/tools/pwsh')].find((p) => spawnSync(p, ['-NoProfile', '-Command', 'exit 0']).status === 0);
if (values['skip-module']) psSection = 'Skipped (--skip-module).';
else if (!pwsh) psSection = 'Skipped: pwsh is not installed (build/tools.sh installs it).';
else if (!fs.existsSync(manifest)) psSection = 'Skipped: the module (LinkTools.psd1) is not there yet.';
else {
  const tree = path.join(benchDir, `tree-${sizes[0]}`);
  const list = path.join(benchDir, 'paths-10000.txt');
  const paths = execFileSync('find', [tree, '-mindepth', '1'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .filter(Boolean)
    .slice(0, 10000);
  fs.writeFileSync(list, paths.join('\n') + '\n');
  const script = `
$ErrorActionPreference = 'Stop'
if ($PSStyle) { $PSStyle.OutputRendering = 'PlainText' }
Import-Module '${manifest.replace(/'/g, "''")}'
$paths = Get-Content -LiteralPath '${list.replace(/'/g, "''")}'
$null = $paths[0..9] | Get-LinkInfo -ErrorAction SilentlyContinue
$gl = { (Measure-Command { $script:n1 = ($paths | Get-LinkInfo -ErrorAction SilentlyContinue | Measure-Object).Count }).TotalSeconds }
$gi = { (Measure-Command { $script:n2 = @(foreach ($p in $paths) { Get-Item -LiteralPath $p -Force -ErrorAction SilentlyContinue }).Count }).TotalSeconds }
# The first pass in a fresh pwsh also pays PowerShell's own JIT warm-up, whichever command runs first,
# so it is reported apart (cold); the comparison is the median of alternating warm passes.
$cold = & $gl
$null = & $gi
$a = @(); $b = @()
for ($i = 0; $i -lt 3; $i++) { $b += & $gi; $a += & $gl }
"{0} {1} {2} {3} {4}" -f ($a | Sort-Object)[1], ($b | Sort-Object)[1], $n1, $n2, $cold
`;
  const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8', timeout: 600_000, env: { ...process.env, NO_COLOR: '1' } });
  const m = /([\d.]+) ([\d.]+) (\d+) (\d+) ([\d.]+)\s*$/.exec(r.stdout ?? '');
  if (!m) psSection = `Failed to run: ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 800)}`;
  else {
    const [gl, gi, cold] = [Number(m[1]), Number(m[2]), Number(m[5])];
    psSection = `| 10,000 paths | Get-LinkInfo (pipeline) | Get-Item loop | ratio |\n|---|---:|---:|---:|\n| objects out: ${m[3]} / ${m[4]} | ${gl.toFixed(2)} s | ${gi.toFixed(2)} s | ${(gl / gi).toFixed(2)}× (target ≤ 2×) |\n\nMedians of 3 alternating warm passes. The first (cold) Get-LinkInfo pass in the fresh pwsh took ${cold.toFixed(2)} s (${(cold / gi).toFixed(2)}× the warm Get-Item loop): it also pays PowerShell's own warm-up, which falls on whichever command runs first.`;
  }
}

// --- Find-Link -Recurse vs Get-ChildItem -Recurse -Attributes ReparsePoint on the largest tree ---
let findSection;
if (values['skip-module']) findSection = 'Skipped (--skip-module).';
else if (!pwsh) findSection = 'Skipped: pwsh is not installed (build/tools.sh installs it).';
else if (!fs.existsSync(manifest)) findSection = 'Skipped: the module (LinkTools.psd1) is not there yet.';
else {
  const n = Math.max(...sizes);
  const tree = path.join(benchDir, `tree-${n}`);
  // The engine alone on the same request (what Find-Link -Recurse runs), for its CPU time.
  const engineAlone = timed(...E('scan', tree, '--errors-inline'));
  const q = (s) => `'${s.replace(/'/g, "''")}'`;
  const script = `
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module ${q(manifest)}
$null = Find-Link -Path ${q(tree)} -ErrorAction SilentlyContinue | Select-Object -First 1
$null = Get-ChildItem -LiteralPath ${q(tree)} -Force -ErrorAction SilentlyContinue | Select-Object -First 1
$me = Get-Process -Id $PID
$fl = @(); $flCpu = @(); $gi = @()
for ($i = 0; $i -lt ${n >= 1_000_000 ? 1 : 3}; $i++) {
  $me.Refresh(); $c0 = $me.TotalProcessorTime.TotalSeconds
  $fl += (Measure-Command { $script:n1 = (Find-Link -Path ${q(tree)} -Recurse -ErrorAction SilentlyContinue | Measure-Object).Count }).TotalSeconds
  $me.Refresh(); $flCpu += $me.TotalProcessorTime.TotalSeconds - $c0
  $gi += (Measure-Command { $script:n2 = (Get-ChildItem -LiteralPath ${q(tree)} -Recurse -Force -Attributes ReparsePoint -ErrorAction SilentlyContinue | Measure-Object).Count }).TotalSeconds
}
$mid = [int][Math]::Floor($fl.Count / 2)
"{0} {1} {2} {3} {4}" -f ($fl | Sort-Object)[$mid], ($flCpu | Sort-Object)[$mid], ($gi | Sort-Object)[$mid], $n1, $n2
`;
  const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8', timeout: 1_200_000, env: { ...process.env, NO_COLOR: '1' } });
  const m = /([\d.]+) ([\d.]+) ([\d.]+) (\d+) (\d+)\s*$/.exec(r.stdout ?? '');
  if (!m) findSection = `Failed to run: ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 800)}`;
  else {
    const [fl, flCpu, gi] = [Number(m[1]), Number(m[2]), Number(m[3])];
    findSection =
      `| ${n.toLocaleString('en-US')} entries | Find-Link -Recurse | Get-ChildItem -Recurse -Attributes ReparsePoint | ratio |\n|---|---:|---:|---:|\n` +
      `| objects out: ${m[4]} / ${m[5]} | ${f2(fl)} s | ${f2(gi)} s | ${f2(fl / gi)}× |\n\n` +
      `PowerShell's own CPU time during Find-Link (reading and converting the ${m[4]} records; the engine runs in its own process): ${f2(flCpu)} cpu-s, against ${f2(engineAlone.cpu)} cpu-s for the engine alone on the same request (\`scan TREE --errors-inline\`, ${f2(engineAlone.wall)} s wall): the conversion costs ${f2(flCpu / engineAlone.cpu)}× the engine. Get-ChildItem counts only symbolic links (ReparsePoint); Find-Link also returns every name of a hard-linked file. Medians of ${n >= 1_000_000 ? 1 : 3} pass(es) in one warm pwsh.`;
  }
}
log(`Find-Link: ${findSection.split('\n').slice(2, 3).join(' ')}`);

// --- 300 separate Get-LinkInfo / Test-Link calls vs Get-Item / Test-Path (build/bench/module-loop.ps1) ---
let loopSection;
if (!pwsh) loopSection = 'Skipped: pwsh is not installed (build/tools.sh installs it).';
else {
  const engineArg = engine.length === 1 ? ['-Engine', engine[0]] : [];
  const r = spawnSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', path.join(root, 'build/bench/module-loop.ps1'), '-Count', '300', ...engineArg], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  let m;
  try {
    m = JSON.parse(line);
  } catch {
    m = null;
  }
  if (!m) loopSection = `Failed to run: ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 800)}`;
  else {
    const ok = (x) => (x <= 3 ? 'meets' : 'misses');
    loopSection =
      `| ${m.count} separate calls | LinkTools | PowerShell | ratio (target ≤ 3×) |\n|---|---:|---:|---:|\n` +
      `| Get-LinkInfo vs Get-Item | ${m.getLinkInfo.toFixed(2)} s | ${m.getItem.toFixed(2)} s | ${m.ratioInfo.toFixed(2)}× (${ok(m.ratioInfo)}) |\n` +
      `| Test-Link vs Test-Path | ${m.testLink.toFixed(2)} s | ${m.testPath.toFixed(2)} s | ${m.ratioTest.toFixed(2)}× (${ok(m.ratioTest)}) |\n` +
      `| both | ${(m.getLinkInfo + m.testLink).toFixed(2)} s | ${(m.getItem + m.testPath).toFixed(2)} s | ${m.ratioBoth.toFixed(2)}× (${ok(m.ratioBoth)}) |\n\n` +
      `Engine processes started for the whole run: ${m.engineStarts} (target ≤ 2). Medians of 3 alternating warm passes; the first (cold) Get-LinkInfo loop in the fresh pwsh, which also pays the engine start and PowerShell's own warm-up, took ${m.coldGetLinkInfo.toFixed(2)} s.`;
  }
}
log(`module loop: ${loopSection.split('\n').slice(2, 5).join(' ')}`);

// --- --profile: where one scan's time goes (node --cpu-prof on the bundle, smallest tree) ---
let profileSection = 'Not run (npm run bench -- --profile).';
if (values.profile) {
  const n = Math.min(...sizes);
  const tree = path.join(benchDir, `tree-${n}`);
  const bundle = path.join(root, '.cache/bench-linktools-profile.cjs'); // in the repository: koffi resolves
  execFileSync(process.execPath, [path.join(root, 'build/bundle.mjs'), '--outfile', bundle], { stdio: ['ignore', 'ignore', 'inherit'] });
  const parts = [];
  for (const [what, args] of [
    ['scan', ['scan', tree]],
    ['scan --kind symlink', ['scan', tree, '--kind', 'symlink']],
  ]) {
    const dir = fs.mkdtempSync(path.join(benchDir, 'prof-'));
    execFileSync(bundleNode, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250', bundle, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    const file = path.join(
      dir,
      fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile')),
    );
    const top = (extra) => execFileSync(process.execPath, [path.join(root, 'build/bench/profile-top.mjs'), file, '25', ...extra], { encoding: 'utf8' });
    parts.push(
      `### ${what} (${n.toLocaleString('en-US')} entries)\n\nSelf time (a koffi call's time, kernel included, counts as its JS caller's):\n\n\`\`\`\n${top([])}\`\`\`\n\nInclusive time:\n\n\`\`\`\n${top(['--inclusive'])}\`\`\``,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }
  profileSection = parts.join('\n\n');
}

const md = `# LinkTools benchmark

${new Date().toISOString()} — ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os
  .loadavg()
  .map((x) => x.toFixed(2))
  .join(' ')}, Node ${process.version}
Engine: ${engineWhat}${baseline && !baselineArg.endsWith('.cjs') ? ' (the --baseline executable likewise)' : ''}. Trees in ${benchDir} (about 1% symlinks incl. broken, folder links and loops; ~0.5% extra hard-link names).
Each cell: median wall time · median CPU time (user + system) · peak RSS, over interleaved rounds (3 rounds below 1M entries and 1 at 1M unless --rounds says otherwise). Ratios: wall (and CPU).
One-pass find: \`find ROOT \\( -type l -printf '%p %l\\n' \\) -o \\( -type f -links +1 -printf '%i %p\\n' \\)\`.

## scan / audit vs ONE find pass

| entries | one-pass find | linktools scan | linktools audit | scan ÷ find | audit ÷ find |
|---:|---:|---:|---:|---:|---:|
${timeRows.join('\n')}

## symlink-only scan (\`scan --kind symlink\`) vs \`find -type l\` and \`${fdBin ?? 'fd'} -H -I -t l\`

| entries | find -type l | fd -t l | scan --kind symlink | ÷ find | ÷ fd |
|---:|---:|---:|---:|---:|---:|
${symRows.join('\n')}

## peak RSS

| entries | scan | scan --kind symlink | audit | one-pass find | fd |
|---:|---:|---:|---:|---:|---:|
${rssRows.join('\n')}

Engine start-up alone: \`--version\` ${f2(startup.wall)} s / ${startup.rssMb.toFixed(0)} MB, \`--help\` ${f2(help.wall)} s / ${help.rssMb.toFixed(0)} MB — included in every engine figure above.
Goals: scan ≤ 1.0× one-pass find, audit ≤ 1.2×, symlink-only scan ≤ 1.5× find -type l, peak RSS ≤ 100 MB at 1M entries and ≤ 15 MB growth from 250k to 1M. Wall times on a shared machine vary with its load (the CPU columns much less).
${goals.join('\n')}

${
  baseline
    ? `## Before (--baseline) and after, same rounds

Baseline: ${baselineArg.endsWith('.cjs') ? `\`${baseline.join(' ')}\`` : `\`${baselineArg}\` (run as a copy: \`${baseline[0]}\`)`}.

| entries | scan before | scan after | symlink-only before | symlink-only after | audit before | audit after | scan ÷ find | symlink-only ÷ find -type l | audit ÷ find |
|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${baseRows.join('\n')}

`
    : ''
}${
  twoThreads
    ? `## With the second thread (LINKTOOLS_SCAN_THREADS=2), same rounds

| entries | scan, 2 threads | symlink-only, 2 threads | audit, 2 threads | scan ÷ find: 1 → 2 threads | symlink-only ÷ find -type l: 1 → 2 | audit ÷ find: 1 → 2 |
|---:|---:|---:|---:|---:|---:|---:|
${twoRows.join('\n')}

`
    : ''
}## Find-Link vs Get-ChildItem

${findSection}

## Get-LinkInfo vs Get-Item

${psSection}

## Separate calls in a loop (one engine per PowerShell session)

${loopSection}

## Profile

${profileSection}
`;
fs.writeFileSync(path.join(outDir, 'results.md'), md);
process.stdout.write(md);
