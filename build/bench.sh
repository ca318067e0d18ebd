#!/usr/bin/env bash
# npm run bench [-- --sizes 100000,1000000]
#
# Times the engine's scan and audit against GNU find on generated trees, side by side in one run,
# with wall time and peak RSS from /usr/bin/time; then 10,000 paths through Get-LinkInfo against a
# Get-Item loop in pwsh (skipped with a message when pwsh or the module is missing).
# Trees live in $BENCH_DIR (default .cache/bench, git-ignored) and are reused between runs.
# Results: bench-out/results.md (git-ignored), also printed.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=100000
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --sizes=*) SIZES="${1#--sizes=}"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time (Debian package 'time') for wall time and peak RSS" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
  else sudo apt-get install -y time >/dev/null; fi
fi
command -v find >/dev/null && find --version 2>/dev/null | grep -q 'GNU findutils' || { echo "bench: GNU find is required" >&2; exit 1; }

exec node build/bench/run.mjs --sizes "$SIZES"
