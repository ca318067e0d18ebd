#!/usr/bin/env bash
# npm run mutate: Stryker over the pure core with the vitest runner (see stryker.config.mjs).
# Stryker 10 needs Node 22: the pinned Node 22 that build/tools.sh installs for packaging runs it.
# Extra arguments go to `stryker run` (e.g. --mutate engine/src/core/create.ts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source build/tools.sh node22
mkdir -p .cache/stryker
PATH="$(dirname "$NODE22"):$PATH" exec "$NODE22" node_modules/@stryker-mutator/core/bin/stryker.js run "$@"
