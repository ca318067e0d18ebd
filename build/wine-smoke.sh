#!/usr/bin/env bash
# Smoke test of the Windows executable under Wine (wine64 from Debian):
#   dist/bin/win-x64/linktools.exe --help | doctor | info C:\windows
# Wine implements neither junctions nor symbolic links, so this only proves that
# the executable starts, reads its embedded archive, loads koffi's win32 addon
# and calls kernel32 (doctor: nativeFfi true), and that `info` answers with a
# linkInfo record. Outputs go to files (Wine's console handling is flaky
# otherwise) under .cache/wine-smoke/. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

say() { printf '[wine-smoke] %s\n' "$*"; }
fail() { printf '[wine-smoke] FAIL: %s\n' "$*" >&2; exit 1; }

EXE=$ROOT/dist/bin/win-x64/linktools.exe
[[ -f $EXE ]] || fail "$EXE is missing: run 'npm run build' first"

WINE=$(command -v wine64 || true)
[[ -n $WINE ]] || { [[ -x /usr/lib/wine/wine64 ]] && WINE=/usr/lib/wine/wine64; }
[[ -n $WINE ]] || WINE=$(command -v wine || true)
[[ -n $WINE ]] || fail "wine64 not found (bash build/tools.sh apt installs it)"
WINESERVER=$(command -v wineserver || true)
[[ -n $WINESERVER ]] || WINESERVER=$(dirname "$WINE")/wineserver64
[[ -x $WINESERVER ]] || WINESERVER=$(dirname "$WINE")/wineserver

export WINEPREFIX=$ROOT/.cache/wine-prefix
export WINEDEBUG=-all
export WINEDLLOVERRIDES='mscoree,mshtml=' # no Mono/Gecko install prompts
export WINEARCH=win64
unset PKG_NATIVE_CACHE_PATH # a POSIX path means nothing to the Windows process
TIMEOUT=${LT_WINE_TIMEOUT:-120}
OUT=$ROOT/.cache/wine-smoke
rm -rf "$OUT" && mkdir -p "$OUT"

cleanup() { [[ -x $WINESERVER ]] && "$WINESERVER" -k >/dev/null 2>&1 || true; }
trap cleanup EXIT

# A Windows 10 prefix, made once and reused.
if [[ ! -f $WINEPREFIX/.linktools-win10 ]]; then
  say "creating WINEPREFIX $WINEPREFIX (Windows 10)"
  rm -rf "$WINEPREFIX"
  timeout "$TIMEOUT" "$WINE" wineboot --init >"$OUT/wineboot.log" 2>&1 || { cat "$OUT/wineboot.log" >&2; fail "wineboot --init failed"; }
  timeout "$TIMEOUT" "$WINE" winecfg -v win10 >"$OUT/winecfg.log" 2>&1 || { cat "$OUT/winecfg.log" >&2; fail "winecfg -v win10 failed"; }
  "$WINESERVER" -w 2>/dev/null || true
  touch "$WINEPREFIX/.linktools-win10"
fi
timeout "$TIMEOUT" "$WINE" reg query 'HKLM\Software\Microsoft\Windows NT\CurrentVersion' /v CurrentVersion \
  >"$OUT/winver.txt" 2>&1 || true
grep -q '10\.0' "$OUT/winver.txt" || { cat "$OUT/winver.txt" >&2; fail "the prefix does not report Windows 10"; }
say "$("$WINE" --version 2>/dev/null || echo wine), prefix reports Windows 10.0"

# run NAME ARGS... : runs the exe with stdout/stderr in files, returns its exit code.
run() {
  local name=$1; shift
  local rc=0
  (cd "$OUT" && timeout "$TIMEOUT" "$WINE" "$EXE" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err") || rc=$?
  echo "$rc" >"$OUT/$name.rc"
  ((rc != 124)) || fail "$name: timed out after ${TIMEOUT}s"
  return 0
}
show() { sed 's/^/    /' "$OUT/$1.out" "$OUT/$1.err" | head -n 20 >&2; }

# --help: exit 0 and the usage text
run help --help
[[ $(<"$OUT/help.rc") == 0 ]] || { show help; fail "--help exited $(<"$OUT/help.rc")"; }
grep -q 'linktools' "$OUT/help.out" && grep -q 'info' "$OUT/help.out" && grep -q 'doctor' "$OUT/help.out" \
  || { show help; fail "--help does not print the usage text"; }
say "ok: --help"

# Checks NDJSON in FILE: every line a JSON object; prints a summary; EXPR must hold for the first record.
check_ndjson() {
  node - "$@" <<'EOF'
const fs = require('node:fs');
const [file, want] = process.argv.slice(2);
const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
if (lines.length === 0) { console.error(`${file}: no output`); process.exit(1); }
const recs = lines.map((l, i) => {
  try { return JSON.parse(l); } catch { console.error(`${file}:${i + 1}: not JSON: ${l}`); process.exit(1); }
});
const bad = recs.find((r) => typeof r !== 'object' || r === null || typeof r.recordType !== 'string');
if (bad) { console.error(`${file}: record without recordType: ${JSON.stringify(bad)}`); process.exit(1); }
const ok = new Function('r', `return (${want});`)(recs[0]);
if (!ok) { console.error(`${file}: expected ${want}, got ${JSON.stringify(recs[0])}`); process.exit(1); }
EOF
}

# doctor: a doctor record from the win32 build with a working koffi
run doctor doctor
[[ $(<"$OUT/doctor.rc") == 0 ]] || { show doctor; fail "doctor exited $(<"$OUT/doctor.rc")"; }
check_ndjson "$OUT/doctor.out" \
  "r.recordType === 'doctor' && r.platform === 'win32' && r.packaged === true && r.nativeFfi === true" \
  || { show doctor; fail "doctor: koffi did not load or did not answer inside linktools.exe"; }
say "ok: doctor (platform win32, packaged, nativeFfi true)"

# info on a folder every prefix has
run info info 'C:\windows'
check_ndjson "$OUT/info.out" "r.recordType === 'linkInfo' && /^C:\\\\windows$/i.test(r.path)" \
  || { show info; fail "info C:\\windows did not print its linkInfo record (exit $(<"$OUT/info.rc"))"; }
[[ $(<"$OUT/info.rc") == 0 ]] || { show info; fail "info exited $(<"$OUT/info.rc")"; }
say "ok: info C:\\windows"

# Start-up under Wine, for the record only (Wine is not Windows).
node - "$WINE" "$EXE" "$OUT" <<'EOF'
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const [wine, exe, out] = process.argv.slice(2);
const runs = 5, times = [];
for (let i = 0; i < runs; i++) {
  const t0 = process.hrtime.bigint();
  spawnSync(wine, [exe, '--help'], { cwd: out, stdio: 'ignore' });
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
}
const avg = +(times.reduce((a, b) => a + b, 0) / runs).toFixed(1);
console.log(`[wine-smoke] linktools.exe --help under Wine: ${avg} ms avg over ${runs} runs`);
const infoFile = 'dist/bin/build-info.json';
if (fs.existsSync(infoFile)) {
  const info = JSON.parse(fs.readFileSync(infoFile, 'utf8'));
  if (info.targets && info.targets['win-x64']) {
    info.targets['win-x64'].wineStartupHelpMs = { avg, runs, note: 'under Wine on Linux, warm wineserver; not a Windows figure' };
    fs.writeFileSync(infoFile, JSON.stringify(info, null, 2) + '\n');
  }
}
EOF
say "passed"
