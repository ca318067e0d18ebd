#!/usr/bin/env bash
# Win32-backend checks of the packaged Windows executable under Wine (wine64, Debian).
#
# Contract (build/wine-smoke.sh calls this after its own checks):
#   bash build/wine-win32-checks.sh            # no arguments
#   needs: dist/bin/win-x64/linktools.exe (npm run build), wine64, node on PATH
#   env:   WINEPREFIX (default .cache/wine-prefix, created with wineboot if missing),
#          LT_WINE (wine binary; default wine64 on PATH, then /usr/lib/wine/wine64),
#          LT_WINE_TIMEOUT (seconds per run, default 120)
#   out:   one "[wine-win32] ok: ..." line per check on stdout; every run's stdout/stderr/exit
#          code under .cache/wine-win32-checks/
#   exit:  0 all checks passed, 1 a check failed, 2 prerequisites missing (exe, wine or node)
#
# Wine implements neither junctions nor symbolic links (CreateSymbolicLinkW is a stub that reports
# success and creates nothing; FSCTL_SET_REPARSE_POINT fails with ERROR_NOT_SUPPORTED) and has no
# FindFirstFileNameW. So this proves: koffi calls kernel32 inside linktools.exe (doctor nativeFfi),
# lstat through CreateFileW(FILE_FLAG_OPEN_REPARSE_POINT) + GetFileInformationByHandle (info: fileId
# vvvvvvvv:iiiiiiiiiiiiiiii, size, link count), CreateHardLinkW, removal and replacement through a
# checked handle (SetFileInformationByHandle: FileDispositionInfoEx or its FileDispositionInfo
# fallback, FileRenameInfo), read-only names, and that junction
# and symlink creation fail cleanly: one JSON error record with a stable LT_ code on stderr, a
# non-zero exit, no stack trace, and nothing left behind at the link path.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

say() { printf '[wine-win32] %s\n' "$*"; }
FAILED=0
bad() { printf '[wine-win32] FAIL: %s\n' "$*" >&2; FAILED=1; }
missing() { printf '[wine-win32] cannot run: %s\n' "$*" >&2; exit 2; }

EXE=$ROOT/dist/bin/win-x64/linktools.exe
[[ -f $EXE ]] || missing "$EXE is missing: run 'npm run build' first"
command -v node >/dev/null || missing "node is not on PATH"
WINE=${LT_WINE:-$(command -v wine64 || true)}
[[ -n $WINE ]] || { [[ -x /usr/lib/wine/wine64 ]] && WINE=/usr/lib/wine/wine64; }
[[ -n $WINE ]] || missing "wine64 not found (bash build/tools.sh apt installs it)"
WINESERVER=$(command -v wineserver || true)
[[ -n $WINESERVER ]] || WINESERVER=$(dirname "$WINE")/wineserver64
[[ -x $WINESERVER ]] || WINESERVER=$(dirname "$WINE")/wineserver

export WINEPREFIX=${WINEPREFIX:-$ROOT/.cache/wine-prefix}
export WINEDEBUG=-all
export WINEDLLOVERRIDES='mscoree,mshtml='
export WINEARCH=win64
TIMEOUT=${LT_WINE_TIMEOUT:-120}
OUT=$ROOT/.cache/wine-win32-checks
rm -rf "$OUT" && mkdir -p "$OUT/tree"

# Node 22 refuses to start below Windows 8.1, and a fresh prefix reports Windows 7: make it Windows 10,
# as build/wine-smoke.sh does (same marker file, so either script can create the prefix).
if [[ ! -f $WINEPREFIX/.linktools-win10 ]]; then
  say "creating WINEPREFIX $WINEPREFIX (Windows 10)"
  rm -rf "$WINEPREFIX"
  timeout "$TIMEOUT" "$WINE" wineboot --init >"$OUT/wineboot.log" 2>&1 || missing "wineboot --init failed (see $OUT/wineboot.log)"
  timeout "$TIMEOUT" "$WINE" winecfg -v win10 >"$OUT/winecfg.log" 2>&1 || missing "winecfg -v win10 failed (see $OUT/winecfg.log)"
  "$WINESERVER" -w 2>/dev/null || true
  touch "$WINEPREFIX/.linktools-win10"
fi
cleanup() { [[ -x $WINESERVER ]] && "$WINESERVER" -k >/dev/null 2>&1 || true; }
trap cleanup EXIT

# Wine maps / to Z:, so the Linux tree $OUT/tree is Z:\...\tree inside the executable.
winpath() { printf 'Z:%s' "${1//\//\\}"; }
TREE=$OUT/tree
echo 'hello' >"$TREE/plain.txt"
mkdir -p "$TREE/tdir"

# run NAME ARGS... : stdout, stderr and exit code of one run go to files.
run() {
  local name=$1; shift
  local rc=0
  (cd "$OUT" && timeout "$TIMEOUT" "$WINE" "$EXE" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err") || rc=$?
  echo "$rc" >"$OUT/$name.rc"
  ((rc != 124)) || bad "$name: timed out after ${TIMEOUT}s"
}
show() { sed 's/^/    /' "$OUT/$1.out" "$OUT/$1.err" | head -n 20 >&2; }

# check NAME STREAM EXPR [RC-EXPR]: STREAM (out|err) holds exactly one JSON record and EXPR holds
# for it (`r`); the exit code (`rc`) satisfies RC-EXPR; no stack trace anywhere.
check() {
  node - "$OUT/$1.$2" "$OUT/$1.rc" "$3" "${4:-rc === 0}" <<'EOF'
const fs = require('node:fs');
const [file, rcFile, want, wantRc] = process.argv.slice(2);
const rc = Number(fs.readFileSync(rcFile, 'utf8'));
const text = fs.readFileSync(file, 'utf8');
const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
const die = (m) => { console.error(`${file}: ${m}`); process.exit(1); };
if (lines.length !== 1) die(`expected exactly one record, got ${lines.length}: ${text.slice(0, 400)}`);
let r;
try { r = JSON.parse(lines[0]); } catch { die(`not JSON: ${lines[0]}`); }
if (/\n\s+at |\bat .*\.cjs:\d+/.test(JSON.stringify(r))) die(`a stack trace leaked: ${lines[0]}`);
if (!new Function('r', `return (${want});`)(r)) die(`expected ${want}, got ${lines[0]}`);
if (!new Function('rc', `return (${wantRc});`)(rc)) die(`exit code ${rc} does not satisfy ${wantRc}`);
EOF
}

# 1. doctor: koffi loads inside the packaged exe and calls kernel32.
run doctor doctor
if check doctor out "r.recordType === 'doctor' && r.platform === 'win32' && r.packaged === true && r.nativeFfi === true"; then
  say "ok: doctor reports nativeFfi true (koffi called kernel32 in linktools.exe)"
else show doctor; bad "doctor"; fi

# 2. info on a plain file: CreateFileW(OPEN_REPARSE_POINT) + GetFileInformationByHandle.
PLAIN=$(winpath "$TREE/plain.txt")
run info info "$PLAIN"
if check info out "r.recordType === 'linkInfo' && r.backend === 'win32' && r.kind === 'file' && r.size === 6 && r.linkCount === 1 && /^[0-9a-f]{8}:[0-9a-f]{16}$/.test(r.fileId) && r.path === $(node -e 'console.log(JSON.stringify(process.argv[1]))' "$PLAIN")"; then
  say "ok: info on a plain file (win32 backend, fileId $(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).fileId)' "$OUT/info.out"))"
else show info; bad "info on a plain file"; fi

# 3. test on a plain file: a linkTest record, reason notALink.
run test test "$PLAIN"
if check test out "r.recordType === 'linkTest' && r.reason === 'notALink' && r.ok === false" "rc !== 0 && rc < 124"; then
  say "ok: test on a plain file says notALink"
else show test; bad "test on a plain file"; fi

# 4. create --kind junction: Wine has no reparse points → one error record, non-zero exit, nothing left.
run junction create --kind junction "$(winpath "$TREE/j")" "$(winpath "$TREE/tdir")"
if check junction err "r.recordType === 'error' && /^LT_[A-Z_]+$/.test(r.code) && ['LT_UNSUPPORTED_KIND', 'LT_ACCESS_DENIED', 'LT_PRIVILEGE_REQUIRED'].includes(r.code)" "rc === 3" \
  && [[ ! -s $OUT/junction.out ]] && [[ ! -e $TREE/j ]]; then
  say "ok: create --kind junction fails cleanly ($(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(r.code, r.details && r.details.osCode)' "$OUT/junction.err")), nothing left behind"
else show junction; [[ -e $TREE/j ]] && bad "create --kind junction left $TREE/j behind"; bad "create --kind junction"; fi

# 5. create --kind symlink (file, then directory): Wine's CreateSymbolicLinkW stub creates nothing.
run symlink create --kind symlink "$(winpath "$TREE/s")" "$PLAIN"
if check symlink err "r.recordType === 'error' && ['LT_UNSUPPORTED_KIND', 'LT_PRIVILEGE_REQUIRED'].includes(r.code)" "rc === 3" && [[ ! -s $OUT/symlink.out ]] && [[ ! -e $TREE/s ]]; then
  say "ok: create --kind symlink (file) fails cleanly ($(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).code)' "$OUT/symlink.err"))"
else show symlink; bad "create --kind symlink (file)"; fi
run symlinkdir create --kind symlink --target-type directory "$(winpath "$TREE/sd")" "$(winpath "$TREE/tdir")"
if check symlinkdir err "r.recordType === 'error' && ['LT_UNSUPPORTED_KIND', 'LT_PRIVILEGE_REQUIRED'].includes(r.code)" "rc === 3" && [[ ! -e $TREE/sd ]]; then
  say "ok: create --kind symlink (directory) fails cleanly"
else show symlinkdir; bad "create --kind symlink (directory)"; fi

# 6. hard link: CreateHardLinkW, link count and identity, DeleteFileW (Wine maps these to Linux).
run hardlink create --kind hardlink "$(winpath "$TREE/h.txt")" "$PLAIN"
if check hardlink out "r.recordType === 'linkInfo' && r.kind === 'hardlink' && r.linkCount === 2 && r.fileId === JSON.parse(require('fs').readFileSync('$OUT/info.out','utf8')).fileId" \
  && [[ $(stat -c %h "$TREE/plain.txt") == 2 ]]; then
  say "ok: create --kind hardlink (same fileId, linkCount 2)"
else show hardlink; bad "create --kind hardlink"; fi
run unlink remove "$(winpath "$TREE/h.txt")"
if check unlink out "r.recordType === 'linkRemoved' && r.kind === 'hardlink' && r.remainingLinkCount === 1" && [[ ! -e $TREE/h.txt ]] && [[ -f $TREE/plain.txt ]]; then
  say "ok: remove of a hard-link name keeps the file"
else show unlink; bad "remove of a hard-link name"; fi

# 6b. create --force of a hard link over a hard link: the replace goes through handles
# (FileRenameInfo on the checked old name, then on the new one, FileDispositionInfo(Ex) on the old).
echo 'other' >"$TREE/other.txt"
run hardlink2 create --kind hardlink "$(winpath "$TREE/h2.txt")" "$PLAIN"
run relink create --kind hardlink --force "$(winpath "$TREE/h2.txt")" "$(winpath "$TREE/other.txt")"
if check relink out "r.recordType === 'linkInfo' && r.kind === 'hardlink' && r.linkCount === 2" \
  && [[ $(stat -c %i "$TREE/h2.txt") == $(stat -c %i "$TREE/other.txt") ]] && [[ $(stat -c %h "$TREE/plain.txt") == 1 ]] \
  && [[ -z $(find "$TREE" -name '*.lt-*' -print -quit) ]]; then
  say "ok: create --force replaces a hard-link name through handles (FileRenameInfo), no temporary name left"
else show relink; bad "create --force over a hard-link name"; fi

# 6c. a read-only hard-link name (no write permission = FILE_ATTRIBUTE_READONLY under Wine) is removable.
chmod a-w "$TREE/other.txt"
run unlinkro remove "$(winpath "$TREE/h2.txt")"
if check unlinkro out "r.recordType === 'linkRemoved' && r.kind === 'hardlink' && r.remainingLinkCount === 1" && [[ ! -e $TREE/h2.txt ]] && [[ -f $TREE/other.txt ]]; then
  say "ok: remove of a read-only hard-link name (IGNORE_READONLY_ATTRIBUTE or clear-then-delete through the handle)"
else show unlinkro; bad "remove of a read-only hard-link name"; fi
chmod u+w "$TREE/other.txt"

# 7. remove on a plain file: LT_NOT_A_LINK, the file stays.
run notalink remove "$PLAIN"
if check notalink err "r.recordType === 'error' && r.code === 'LT_NOT_A_LINK'" "rc === 3" && [[ -f $TREE/plain.txt ]]; then
  say "ok: remove on a plain file refuses with LT_NOT_A_LINK"
else show notalink; bad "remove on a plain file"; fi

if ((FAILED)); then
  printf '[wine-win32] FAILED (outputs in %s)\n' "$OUT" >&2
  exit 1
fi
say "passed"
