#!/usr/bin/env bash
# Packages dist/linktools.cjs (from `npm run bundle`) into standalone executables
# with pkg --sea, offline:
#   dist/bin/linux-x64/linktools
#   dist/bin/win-x64/linktools.exe
# and writes dist/bin/build-info.json (sizes, start-up time).
#
# How the native addon gets in: koffi is left external by the bundle. For each
# target a production dependency tree is installed for that OS
# (.cache/pkg-stage/<target>, `npm ci --omit=dev --os=<os> --cpu=x64`), so it
# holds koffi plus exactly the one @koromix/koffi-<os>-x64 package with its
# koffi.node. pkg walks linktools.cjs -> koffi -> @koromix/koffi-<os>-x64 and the
# "pkg.assets" globs in package.json make sure the .node files are in the archive.
# At run time the engine (engine/src/platform/native-addon.ts) copies the addon to
# a verified private folder (next to the executable, $XDG_RUNTIME_DIR or the temp
# dir; never ~/.cache) and loads it there; with $PKG_NATIVE_CACHE_PATH set, pkg's
# own hook puts it in $PKG_NATIVE_CACHE_PATH/pkg/<sha256>/ instead. The Linux node
# that pkg injects into is stripped (build/tools.sh pkg-cache). See docs/packaging.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

say() { printf '[package] %s\n' "$*"; }
die() { printf '[package] ERROR: %s\n' "$*" >&2; exit 1; }

BUNDLE=dist/linktools.cjs
[[ -f $BUNDLE ]] || die "$BUNDLE is missing: run 'npm run bundle' first"

# Node 22 host for pkg, and pkg's --sea cache filled from the npm node packages.
source build/tools.sh node22 pkg-cache
[[ -f node_modules/@yao-pkg/pkg/lib-es5/bin.js ]] || die "node_modules/@yao-pkg/pkg is missing: run 'npm ci' first"

# pkg's start-up code (prelude/sea-bootstrap.bundle.js, copied into every executable) computes
# path.join(os.homedir(), ".cache") before our code runs, even when nothing uses it; for a uid with
# no passwd entry and no $HOME (containers with arbitrary uids) os.homedir() throws and the engine
# dies before it starts. pkg runs from a copy in .cache/pkg-patched in which that one expression
# falls back to the temp dir instead of throwing. The engine's own dlopen hook (native-addon.ts)
# loads the addon before pkg's hook could use the value. The patch must apply exactly (2 places).
PKG_PATCHED=.cache/pkg-patched/node_modules/@yao-pkg/pkg
rm -rf "$PKG_PATCHED" && mkdir -p "$(dirname "$PKG_PATCHED")"
cp -R node_modules/@yao-pkg/pkg "$PKG_PATCHED"
node - "$PKG_PATCHED/prelude/sea-bootstrap.bundle.js" <<'JS' || die "cannot patch pkg's prelude (pkg version changed?)"
const fs = require('node:fs');
const file = process.argv[2];
const from = 'path.join(homedir(), ".cache")';
// No single quotes or newlines: one of the two places is inside a single-quoted string of code.
const to = '(function () { try { return path.join(homedir(), ".cache"); } catch (_) { return path.join(require("os").tmpdir(), "pkg-no-home"); } })()';
const text = fs.readFileSync(file, 'utf8');
const n = text.split(from).length - 1;
if (n !== 2) { console.error(`[package] ERROR: expected 2 copies of ${from} in ${file}, found ${n}`); process.exit(1); }
fs.writeFileSync(file, text.split(from).join(to));
JS
PKG_BIN=$PKG_PATCHED/lib-es5/bin.js

# target  npm-os  executable
TARGETS=(
  "linux-x64 linux linktools"
  "win-x64 win32 linktools.exe"
)

lock_hash=$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)

for spec in "${TARGETS[@]}"; do
  read -r target os exe <<<"$spec"
  stage=.cache/pkg-stage/$target
  out=dist/bin/$target/$exe

  # Production tree for the target OS; reused while package.json + lock are unchanged.
  if [[ -f $stage/.lock-hash && $(<"$stage/.lock-hash") == "$lock_hash" && -d $stage/node_modules/koffi ]]; then
    say "$target: production tree up to date ($stage)"
  else
    say "$target: npm ci --omit=dev --os=$os --cpu=x64 in $stage"
    rm -rf "$stage" && mkdir -p "$stage"
    cp package.json package-lock.json "$stage/"
    (cd "$stage" && npm ci --omit=dev --os="$os" --cpu=x64 --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$lock_hash" >"$stage/.lock-hash"
  fi
  addon=$(find "$stage/node_modules/@koromix/koffi-$os-x64" -name koffi.node 2>/dev/null | head -n1)
  [[ -n $addon ]] || die "$target: no @koromix/koffi-$os-x64 koffi.node in $stage"
  cp package.json "$stage/package.json" # current pkg config
  rm -f "$stage/engine.cjs" "$stage/engine.jsc"
  if [[ $target == linux-x64 ]]; then
    # The entry is the loader (build/sea-loader.cjs), which compiles the bundle (engine.cjs) from a V8
    # code cache made here with the same Node: most of the fixed start-up cost is compiling the bundle
    # (docs/performance.md). Only where the build can check that the executable takes the cache (below);
    # the Windows executable runs the bundle as its entry.
    cp "$BUNDLE" "$stage/engine.cjs"
    cp build/sea-loader.cjs "$stage/linktools.cjs"
    "$NODE22" build/code-cache.mjs --node "$NODE22" --bundle "$stage/engine.cjs" --out "$stage/engine.jsc" | sed 's/^/[package] /'
    "$NODE22" -e '
      const fs = require("node:fs");
      const f = process.argv[1];
      const pkg = JSON.parse(fs.readFileSync(f, "utf8"));
      pkg.pkg.assets = [...(pkg.pkg.assets ?? []), "engine.jsc"];
      fs.writeFileSync(f, JSON.stringify(pkg, null, 2));
    ' "$stage/package.json"
  else
    cp "$BUNDLE" "$stage/linktools.cjs"
  fi

  say "$target: pkg --sea -> $out"
  rm -f "$out"
  mkdir -p "$(dirname "$out")"
  NO_COLOR=1 HOME="$LT_PKG_HOME" "$NODE22" "$PKG_BIN" --sea \
    --config "$stage/package.json" \
    --targets "node$LT_NODE_VERSION-$target" \
    --output "$out" \
    "$stage/linktools.cjs" >"$stage/pkg.log" 2>&1 \
    || { cat "$stage/pkg.log" >&2; die "$target: pkg failed"; }
  if grep -qiE 'warning|error' "$stage/pkg.log"; then
    grep -iE 'warning|error' "$stage/pkg.log" | sed "s/^/[package] $target pkg: /"
  fi
  [[ -s $out ]] || die "$target: $out was not produced"
  chmod +x "$out"
done

# The linux executable must stand alone: no Node on PATH, empty environment.
LINUX_EXE=dist/bin/linux-x64/linktools
say "checking $LINUX_EXE with env -i"
help_out=$(env -i "$ROOT/$LINUX_EXE" --help 2>&1) || die "env -i $LINUX_EXE --help failed: $help_out"
grep -q 'linktools' <<<"$help_out" || die "--help output does not mention linktools: $help_out"
doctor_out=$(env -i "$ROOT/$LINUX_EXE" doctor 2>&1) || die "env -i $LINUX_EXE doctor failed: $doctor_out"
node -e '
  const line = process.argv[1].split("\n").find((l) => l.trim().startsWith("{"));
  const rec = line && JSON.parse(line);
  if (!rec || rec.nativeFfi !== true) { console.error("doctor: nativeFfi is not true: " + process.argv[1]); process.exit(1); }
' "$doctor_out" || die "koffi does not work inside $LINUX_EXE"
say "linux-x64: --help ok, doctor reports nativeFfi: true"
cache_state=$(env -i LINKTOOLS_CODE_CACHE_CHECK=1 "$ROOT/$LINUX_EXE" --version 2>&1 >/dev/null) || true
if [[ $cache_state == "code cache: accepted" ]]; then
  say "linux-x64: the bundle's V8 code cache is taken"
else
  say "WARNING: linux-x64 does not take the bundle's code cache ($cache_state): start-up is slower, nothing else changes"
fi
if ((EUID == 0)) && command -v setpriv >/dev/null; then
  # A uid without a passwd entry, no HOME: pkg's start-up must not need a home folder.
  nohome_tmp=$(mktemp -d) && chmod 1777 "$nohome_tmp"
  nohome_out=$(cd / && setpriv --reuid=54321 --regid=54321 --clear-groups env -i TMPDIR="$nohome_tmp" "$ROOT/$LINUX_EXE" doctor 2>&1) \
    || { rm -rf "$nohome_tmp"; die "$LINUX_EXE doctor as a uid without passwd entry or HOME failed: $nohome_out"; }
  rm -rf "$nohome_tmp"
  grep -q '"nativeFfi":true' <<<"$nohome_out" || die "doctor as a uid without a home: $nohome_out"
  say "linux-x64: doctor as uid 54321 without passwd entry or HOME: nativeFfi true"
fi

# Sizes and start-up time, for the README.
node - "$LT_NODE_VERSION" "$NODE22" <<'EOF'
const { spawnSync } = require('node:child_process');
const { statSync, readFileSync, writeFileSync } = require('node:fs');
const { createHash } = require('node:crypto');
const [nodeVersion, node22] = process.argv.slice(2);
const runs = 10;

function startupMs(cmd, args) {
  spawnSync(cmd, args, { env: {} }); // warm the page cache and the addon cache
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env: {}, stdio: 'ignore' });
    const t1 = process.hrtime.bigint();
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    times.push(Number(t1 - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const avg = times.reduce((a, b) => a + b, 0) / times.length;
  const median = (times[(runs - 1) >> 1] + times[runs >> 1]) / 2;
  const round = (x) => +x.toFixed(1);
  return { avg: round(avg), median: round(median), min: round(times[0]), max: round(times[times.length - 1]) };
}

function describe(file) {
  const bytes = statSync(file).size;
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  return { path: file, bytes, megabytes: +(bytes / 1e6).toFixed(1), sha256 };
}

const pkgJson = JSON.parse(readFileSync('package.json', 'utf8'));
const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
const linux = describe('dist/bin/linux-x64/linktools');
const help = startupMs(process.cwd() + '/dist/bin/linux-x64/linktools', ['--help']);
linux.startupHelpMs = { ...help, runs, command: 'env -i dist/bin/linux-x64/linktools --help' };
// The same bundle on the same Node, without pkg: what the packaging costs at start-up.
const plain = startupMs(node22, ['dist/linktools.cjs', '--help']);
const win = describe('dist/bin/win-x64/linktools.exe');
win.startupHelpMs = null; // not measurable here: Wine start-up says nothing about Windows

const info = {
  version: pkgJson.version,
  builtAt: new Date().toISOString(),
  node: nodeVersion,
  pkg: version('@yao-pkg/pkg'),
  koffi: version('koffi'),
  bundle: {
    path: 'dist/linktools.cjs',
    bytes: statSync('dist/linktools.cjs').size,
    startupHelpMs: { ...plain, runs, command: `node ${nodeVersion} dist/linktools.cjs --help` },
  },
  targets: { 'linux-x64': linux, 'win-x64': win },
};
writeFileSync('dist/bin/build-info.json', JSON.stringify(info, null, 2) + '\n');
console.log(`[package] linux-x64: ${linux.megabytes} MB, --help start-up ${help.avg} ms avg over ${runs} runs (median ${help.median}, min ${help.min}, max ${help.max})`);
console.log(`[package] same bundle on plain node ${nodeVersion}: ${plain.avg} ms avg (median ${plain.median})`);
console.log(`[package] win-x64:   ${win.megabytes} MB`);
console.log('[package] wrote dist/bin/build-info.json');
EOF
