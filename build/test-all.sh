#!/usr/bin/env bash
# Everything `npm test` (and so CI) runs, in order, stopping at the first failure:
#   tools -> contract drift -> typecheck -> lint -> build (gen, bundle, pkg) -> vitest
#   -> Pester -> install test (pack, PSResourceGet, module as nobody) -> Wine smoke test
# The last line is always "N passed, N failed" (vitest + Pester + install-check counts).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
mkdir -p .cache
# Where the packaged executables unpack koffi's addon (pkg's default is ~/.cache/pkg).
export PKG_NATIVE_CACHE_PATH=$ROOT/.cache/pkg-native

PASSED=0
FAILED=0
SKIPPED=0
STAGE=""
# Names and first lines of every failed test, printed again at the very end so the tail of a CI log
# says what failed.
FAILURES=$ROOT/.cache/failures.txt
: >"$FAILURES"
STAGE_T0=$SECONDS
T0=$SECONDS

stage() {
  STAGE=$1
  STAGE_T0=$SECONDS
  printf '\n==================== %s ====================\n' "$STAGE"
}
stage_done() { printf -- '---- %s: ok (%ds)\n' "$STAGE" $((SECONDS - STAGE_T0)); }

finish() {
  local rc=$?
  echo
  if ((rc != 0)); then
    printf '==================== FAILED in stage: %s (exit %d) ====================\n' "${STAGE:-startup}" "$rc"
  else
    printf '==================== all stages passed (%ds) ====================\n' $((SECONDS - T0))
  fi
  ((SKIPPED == 0)) || printf 'skipped: %d\n' "$SKIPPED"
  if [[ -s $FAILURES ]]; then
    echo "failed tests:"
    cut -c1-900 "$FAILURES"
  fi
  printf '%d passed, %d failed\n' "$PASSED" "$FAILED"
  exit "$rc"
}
trap finish EXIT

# Adds the counts from a small JSON file {"passed":n,"failed":n,"skipped":n}.
add_counts() {
  local counts
  counts=$(node -e '
    const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log([c.passed, c.failed, c.skipped].map((n) => Number(n) || 0).join(" "));
  ' "$1") || return 0
  read -r p f s <<<"$counts"
  node -e '
    const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const n of [].concat(c.failedNames || [])) console.log(`FAILED ${n}`.replace(/\s+/g, " "));
  ' "$1" >>"$FAILURES" || true
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f)); SKIPPED=$((SKIPPED + s))
  printf -- '---- %s: %d passed, %d failed, %d skipped\n' "$STAGE" "$p" "$f" "$s"
  check_skips "$1"
}

# Under CI=true a skip is allowed only when build/allowed-skips.txt names it (tests of another OS):
# a capability this machine kind has (NTFS via FUSE, GNU find, pwsh, Wine, Chromium) or an engine
# command must never turn a regression into a skip. Locally skips are listed, never fatal.
check_skips() {
  node build/check-skips.mjs "$1"
}

stage "tools"
source build/tools.sh all
printf 'NODE22=%s\nPWSH=%s\nPESTER_PSD1=%s\n' "$NODE22" "$PWSH" "$PESTER_PSD1"
export NODE22 PWSH PESTER_PSD1
stage_done

stage "contract drift (npm run check:contract)"
npm run --silent check:contract
stage_done

stage "typecheck (npm run typecheck)"
npm run --silent typecheck
stage_done

stage "lint (npm run lint: eslint, prettier --check)"
npm run --silent lint
stage_done

stage "build (npm run build)"
npm run --silent build
stage_done

stage "engine tests (vitest)"
rm -f .cache/vitest.json .cache/vitest-counts.json
vitest_rc=0
npx vitest run --passWithNoTests --reporter=default --reporter=json --outputFile=.cache/vitest.json || vitest_rc=$?
if [[ -f .cache/vitest.json ]]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(".cache/vitest.json", "utf8"));
    // Suites that fail to load count as failures even though no test in them ran.
    const brokenFiles = (r.testResults || []).filter((f) => f.status === "failed" && (f.assertionResults || []).length === 0).length;
    const skippedNames = [];
    for (const f of r.testResults || []) for (const a of f.assertionResults || []) {
      if (a.status !== "passed" && a.status !== "failed") skippedNames.push(`${f.name.replace(process.cwd() + "/", "")} > ${a.fullName}`);
    }
    const failedNames = [];
    for (const f of r.testResults || []) {
      const file = f.name.replace(process.cwd() + "/", "");
      if (f.status === "failed" && (f.assertionResults || []).length === 0) failedNames.push(`${file} (suite): ${String(f.message || "").slice(0, 600)}`);
      for (const a of f.assertionResults || []) {
        if (a.status === "failed") failedNames.push(`${file} > ${a.fullName}: ${String((a.failureMessages || []).join(" | ")).slice(0, 600)}`);
      }
    }
    const out = { passed: r.numPassedTests, failed: r.numFailedTests + brokenFiles, skipped: r.numPendingTests + r.numTodoTests, skippedNames, failedNames };
    require("fs").writeFileSync(".cache/vitest-counts.json", JSON.stringify(out));
  '
  add_counts .cache/vitest-counts.json
fi
((vitest_rc == 0)) || exit "$vitest_rc"
[[ -f .cache/vitest.json ]] || { echo "vitest wrote no .cache/vitest.json" >&2; exit 1; }
if [[ $(node -p 'require("./.cache/vitest.json").numTotalTests') == 0 ]]; then
  echo "!!!!!!!! vitest found no engine tests (test/engine/**/*.test.ts) !!!!!!!!"
fi
stage_done

stage "module tests (Pester)"
if [[ -z $(find test/module -name '*.Tests.ps1' -print -quit 2>/dev/null) ]]; then
  echo "!!!!!!!! SKIPPED: test/module has no *.Tests.ps1 files yet, Pester did not run !!!!!!!!"
else
  rm -f .cache/pester-counts.json
  pester_rc=0
  "$PWSH" -NoLogo -NoProfile -NonInteractive -Command '
    $ErrorActionPreference = "Stop"
    Import-Module $env:PESTER_PSD1 -MinimumVersion 5.0
    $c = New-PesterConfiguration
    $c.Run.Path = "test/module"
    $c.Run.PassThru = $true
    $c.Output.Verbosity = "Detailed"
    if ($env:CI) { $c.Output.RenderMode = "Plaintext" }
    $c.TestResult.Enabled = $true
    $c.TestResult.OutputFormat = "NUnitXml"
    $c.TestResult.OutputPath = ".cache/pester-results.xml"
    $r = Invoke-Pester -Configuration $c
    $failed = $r.FailedCount + $r.FailedBlocksCount + $r.FailedContainersCount
    $failedNames = @(@($r.Failed) | Where-Object { $_ } | ForEach-Object {
      $msg = (@($_.ErrorRecord) | ForEach-Object { "$_" }) -join " | "
      if ($msg.Length -gt 600) { $msg = $msg.Substring(0, 600) + "..." }
      "$($_.ScriptBlock.File):$($_.StartLine) > $($_.ExpandedPath): $msg"
    })
    $failedNames += @(@($r.Containers) | Where-Object { $_.Result -eq "Failed" -and $_.ErrorRecord } | ForEach-Object {
      "$($_.Item) (container): $((@($_.ErrorRecord) | ForEach-Object { "$_" }) -join " | ")"
    })
    $skippedNames = @(@($r.Skipped) + @($r.NotRun) | Where-Object { $_ } | ForEach-Object { "$($_.ScriptBlock.File) > $($_.ExpandedPath)" })
    @{ passed = $r.PassedCount; failed = $failed; skipped = $r.SkippedCount + $r.NotRunCount; skippedNames = $skippedNames; failedNames = $failedNames; result = "$($r.Result)" } |
      ConvertTo-Json -Compress | Set-Content -Path ".cache/pester-counts.json" -Encoding utf8NoBOM
    if ($r.Result -ne "Passed" -or $failed -gt 0) { exit 1 }
  ' || pester_rc=$?
  [[ -f .cache/pester-counts.json ]] && add_counts .cache/pester-counts.json
  ((pester_rc == 0)) || exit "$pester_rc"
fi
stage_done

stage "installed module as nobody (build/test-install.sh)"
rm -f .cache/install-counts.json
install_rc=0
bash build/test-install.sh || install_rc=$?
[[ -f .cache/install-counts.json ]] && add_counts .cache/install-counts.json
((install_rc == 0)) || exit "$install_rc"
stage_done

stage "Windows executable under Wine (build/wine-smoke.sh)"
bash build/wine-smoke.sh
stage_done

stage "Windows backend under Wine (build/wine-win32-checks.sh)"
bash build/wine-win32-checks.sh
stage_done
