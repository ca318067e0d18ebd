#!/usr/bin/env bash
# npm run mutate: Stryker over the pure core with the vitest runner (see stryker.config.mjs).
# Stryker 10 needs Node 22: the pinned Node 22 that build/tools.sh installs for packaging runs it.
# Extra arguments go to `stryker run` (e.g. --mutate engine/src/core/create.ts). With one --mutate
# file, only the test files that exercise it are loaded (build/stryker/tests-for.mjs; override with
# MUTATE_TESTS=glob,glob), which keeps a mutant to about a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source build/tools.sh node22
mkdir -p .cache/stryker
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    -m | --mutate) export MUTATE_TARGET="${args[i + 1]:-}" ;;
    --mutate=*) export MUTATE_TARGET="${args[i]#--mutate=}" ;;
  esac
done
PATH="$(dirname "$NODE22"):$PATH" exec "$NODE22" node_modules/@stryker-mutator/core/bin/stryker.js run "$@"
