#!/usr/bin/env bash
# npm run bench [-- --sizes 250000,1000000] [--rounds N] [--skip-module] [--profile]
#
# Times the engine side by side with its peers on generated trees, in one run, with wall time, CPU
# time and peak RSS from /usr/bin/time: scan and audit against ONE combined GNU find pass,
# `scan --kind symlink` against `find -type l` and `fd -t l` (Debian fd-find, installed here when
# missing); peak RSS per size and its growth from 250k to 1M; then 10,000 paths through Get-LinkInfo
# against a Get-Item loop in pwsh, and Find-Link -Recurse against Get-ChildItem -Recurse -Attributes
# ReparsePoint on the largest tree (skipped with a message when pwsh or the module is missing).
# --two-threads: scan, symlink-only scan and audit also with LINKTOOLS_SCAN_THREADS=2 (own table).
# --rounds N: interleaved rounds per size (default 3, 1 at 1M entries). --baseline ENGINE: another
# engine (executable or .cjs bundle) timed in the same rounds (before/after table). --profile: a CPU profile of
# one scan and one symlink-only scan of the smallest tree (node --cpu-prof on the bundle, summarised
# by build/bench/profile-top.mjs, self and inclusive). BENCH_DIR=/dev/shm/... puts the trees on tmpfs.
# Trees live in $BENCH_DIR (default .cache/bench, git-ignored) and are reused between runs.
# Results: bench-out/results.md (git-ignored), also printed.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=100000
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --sizes=*) SIZES="${1#--sizes=}"; shift ;;
    --skip-module) EXTRA+=(--skip-module); shift ;;
    --profile) EXTRA+=(--profile); shift ;;
    --two-threads) EXTRA+=(--two-threads); shift ;;
    --rounds) EXTRA+=(--rounds "$2"); shift 2 ;;
    --rounds=*) EXTRA+=(--rounds "${1#--rounds=}"); shift ;;
    --baseline) EXTRA+=(--baseline "$2"); shift 2 ;;
    --baseline=*) EXTRA+=(--baseline "${1#--baseline=}"); shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time (Debian package 'time') for wall time and peak RSS" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
  else sudo apt-get install -y time >/dev/null; fi
fi
command -v find >/dev/null && find --version 2>/dev/null | grep -q 'GNU findutils' || { echo "bench: GNU find is required" >&2; exit 1; }

if ! command -v fdfind >/dev/null && ! command -v fd >/dev/null; then
  echo "bench: installing fd (Debian package 'fd-find') for the symlink-only comparison" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y fd-find >/dev/null || { apt-get update >/dev/null && apt-get install -y fd-find >/dev/null; } || echo "bench: fd-find could not be installed; its column is left out" >&2
  else sudo apt-get install -y fd-find >/dev/null || echo "bench: fd-find could not be installed; its column is left out" >&2; fi
fi

# The Node the packaged engine is built from, for runs of the bundle (--profile; no packaged engine).
if [ -z "${NODE22:-}" ]; then source build/tools.sh node22 >&2 || echo "bench: no Node 22 (build/tools.sh node22): the bundle runs on $(node --version)" >&2; fi
export NODE22="${NODE22:-}"

exec node build/bench/run.mjs --sizes "$SIZES" "${EXTRA[@]}"
