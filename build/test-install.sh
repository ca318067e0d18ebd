#!/usr/bin/env bash
# Install test: the module as an admin gets it, run as a service account.
#   1. npm's build output -> build/pack.sh -> dist/psgallery/LinkTools.<version>.nupkg
#   2. a file repository in a temp dir, registered in a throw-away PSResourceGet configuration;
#      Save-PSResource into a temp module path and Install-PSResource -Scope CurrentUser into a
#      temp HOME (root), both checked for the layout and the engine's exec bit
#   3. the saved module imported BY NAME (PSModulePath) as nobody (setpriv 65534:65534, no groups)
#      with a read-only home (root-owned 0555) and an empty environment: New-Link, Get-LinkInfo,
#      Test-Link, Find-Link, Remove-Link on a temp tree, checked on disk; the installed engine's
#      doctor reports native support; nothing is written to $HOME, the addon lands in a 0700
#      folder of nobody's under the temp dir
#   4. the installed engine with a WRITABLE home: the home stays empty (no ~/.cache/pkg)
#
#   bash build/test-install.sh [--no-pack]     (--no-pack: use the nupkg already in dist/psgallery)
# Writes .cache/install-counts.json {"passed","failed","skipped"} for build/test-all.sh; exits 1
# when a check failed. Needs root (setpriv, chown); otherwise every check is skipped with the reason.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
mkdir -p .cache
COUNTS=$ROOT/.cache/install-counts.json

PASSED=0 FAILED=0 SKIPPED=0
say() { printf '[install] %s\n' "$*"; }
ok() { PASSED=$((PASSED + 1)); printf '[install] ok   %s\n' "$1"; }
bad() { FAILED=$((FAILED + 1)); printf '[install] FAIL %s\n' "$1" >&2; [[ -z ${2:-} ]] || printf '%s\n' "$2" | sed 's/^/[install]      /' >&2; }
# check NAME COMMAND... : one counted check.
check() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$name"; else bad "$name" "$out"; fi
}
write_counts() { printf '{"passed":%d,"failed":%d,"skipped":%d}\n' "$PASSED" "$FAILED" "$SKIPPED" >"$COUNTS"; }
skip_all() {
  SKIPPED=1
  printf '[install] SKIPPED: %s\n' "$1"
  write_counts
  exit 0
}

PACK=1
for a in "$@"; do
  case $a in
    --no-pack) PACK=0 ;;
    *) printf 'unknown argument %s (--no-pack)\n' "$a" >&2; exit 2 ;;
  esac
done

rm -f "$COUNTS"
((EUID == 0)) || skip_all "needs root to run the module as nobody (setpriv) and to own the read-only home"
command -v setpriv >/dev/null || skip_all "setpriv (util-linux) is not installed"
[[ $(uname -s) == Linux && $(uname -m) == x86_64 ]] || skip_all "the packaged engine here is linux-x64; this is $(uname -s) $(uname -m)"

source build/tools.sh pwsh pwsh-shared >/dev/null
export PWSH PWSH_SHARED

if ((PACK)); then
  say "bash build/pack.sh"
  bash build/pack.sh
fi
VERSION=$(node -p 'require("./package.json").version')
NUPKG=$ROOT/dist/psgallery/LinkTools.$VERSION.nupkg
[[ -s $NUPKG ]] || { bad "package exists" "$NUPKG is missing (run npm run pack)"; write_counts; exit 1; }

T=$(mktemp -d /tmp/lt-install.XXXXXX)
cleanup() { rm -rf "$T"; }
trap 'write_counts; cleanup' EXIT
chmod 0755 "$T" # nobody must traverse it to reach the module, the work tree and the script
mkdir -p "$T/repo" "$T/admin-home" "$T/save" "$T/home-ro" "$T/home-rw" "$T/tmp" "$T/work"
cp "$NUPKG" "$T/repo/"
chmod 0555 "$T/home-ro"         # root's, read-only for everyone
chown 65534:65534 "$T/home-rw" "$T/work"
chmod 1777 "$T/tmp"             # a temp dir like /tmp: everyone may write, sticky

# ---- 1. the package itself
say "package: $(du -h "$NUPKG" | cut -f1) $NUPKG"
pkg_listing=$(python3 - "$NUPKG" <<'EOF'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    print(oct(i.external_attr >> 16), i.filename)
EOF
)
check "package holds LinkTools.psd1, module/, bin/linux-x64/linktools, bin/win-x64/linktools.exe, bin/LinkTools.Records.dll, LICENSE" \
  bash -c 'for f in LinkTools.psd1 module/LinkTools.psm1 bin/linux-x64/linktools bin/win-x64/linktools.exe bin/LinkTools.Records.dll LICENSE; do grep -qE " $f\$" <<<"$1" || { echo "missing $f in: $1"; exit 1; }; done' _ "$pkg_listing"
check "package marks the linux engine 0755" grep -qE '^0o100755 bin/linux-x64/linktools$' <<<"$pkg_listing"

# ---- 2. PSResourceGet: repository, Save-PSResource, Install-PSResource (as root, isolated config)
admin_out=$(HOME=$T/admin-home XDG_DATA_HOME=$T/admin-home/.local/share XDG_CONFIG_HOME=$T/admin-home/.config \
  XDG_CACHE_HOME=$T/admin-home/.cache LT_T=$T LT_VERSION=$VERSION \
  "$PWSH" -NoLogo -NoProfile -NonInteractive -Command '
    $ErrorActionPreference = "Stop"
    $ProgressPreference = "SilentlyContinue"
    $PSStyle.OutputRendering = "PlainText"
    Register-PSResourceRepository -Name LinkToolsTest -Uri (Join-Path $env:LT_T repo) -Trusted
    $found = Find-PSResource -Name LinkTools -Repository LinkToolsTest
    if ("$($found.Version)" -ne $env:LT_VERSION) { throw "Find-PSResource found version $($found.Version), expected $env:LT_VERSION" }
    foreach ($k in "ProjectUri", "LicenseUri", "ReleaseNotes") {
      if (-not $found.$k) { throw "the package metadata has no $k" }
    }
    if (@($found.Tags) -notcontains "symlink") { throw "the package metadata has no tags: $($found.Tags)" }
    Save-PSResource -Name LinkTools -Repository LinkToolsTest -Path (Join-Path $env:LT_T save) -TrustRepository
    Install-PSResource -Name LinkTools -Repository LinkToolsTest -Scope CurrentUser -TrustRepository
    $inst = Get-InstalledPSResource -Name LinkTools
    "INSTALLED=$($inst.InstalledLocation)"
    Unregister-PSResourceRepository -Name LinkToolsTest
  ' 2>&1) && ok "Find-PSResource (metadata), Save-PSResource and Install-PSResource from a file repository" \
  || bad "Find-PSResource (metadata), Save-PSResource and Install-PSResource from a file repository" "$admin_out"

SAVED=$T/save/LinkTools/$VERSION
INSTALLED=$T/admin-home/.local/share/powershell/Modules/LinkTools/$VERSION
layout() {
  local d=$1
  for f in LinkTools.psd1 LICENSE module/LinkTools.psm1 bin/linux-x64/linktools bin/win-x64/linktools.exe bin/LinkTools.Records.dll; do
    [[ -f $d/$f ]] || { echo "no $d/$f"; ls -laR "$d" 2>&1 | head -40; return 1; }
  done
  cmp -s "$d/bin/LinkTools.Records.dll" dist/bin/LinkTools.Records.dll || { echo "LinkTools.Records.dll differs from dist/bin"; return 1; }
  local m
  m=$(stat -c %a "$d/bin/linux-x64/linktools")
  [[ $m == 755 ]] || { echo "$d/bin/linux-x64/linktools has mode $m, not 755"; return 1; }
  cmp -s "$d/bin/linux-x64/linktools" dist/bin/linux-x64/linktools || { echo "linux engine differs from dist/bin"; return 1; }
  cmp -s "$d/bin/win-x64/linktools.exe" dist/bin/win-x64/linktools.exe || { echo "windows engine differs from dist/bin"; return 1; }
}
check "Save-PSResource layout LinkTools/$VERSION/{LinkTools.psd1,module,bin/<os>-<arch>}, engine executable" layout "$SAVED"
check "Install-PSResource layout, engine executable" layout "$INSTALLED"
check "the installed manifest's FileList names exactly the installed files" \
  env LT_BASE="$SAVED" "$PWSH" -NoLogo -NoProfile -NonInteractive -Command '
    $ErrorActionPreference = "Stop"
    $PSStyle.OutputRendering = "PlainText"
    $base = $env:LT_BASE
    $m = Import-PowerShellDataFile -LiteralPath (Join-Path $base LinkTools.psd1)
    $want = @($m.FileList | Sort-Object)
    $have = @(Get-ChildItem -LiteralPath $base -Recurse -File -Force | ForEach-Object { $_.FullName.Substring($base.Length + 1).Replace("\", "/") } |
      Where-Object { $_ -notmatch "^(LinkTools\.nuspec|PSGetModuleInfo\.xml)$" } | Sort-Object)
    $diff = Compare-Object $want $have
    if ($diff) { $diff | Out-String | Write-Output; exit 1 }
  '

# ---- 3. the module by name, as nobody, read-only home, empty environment
cat >"$T/check.ps1" <<'EOF'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$PSStyle.OutputRendering = 'PlainText'
$w = $env:LT_WORK
$r = [ordered]@{}
Import-Module LinkTools
$mod = Get-Module LinkTools
$r.moduleBase = $mod.ModuleBase
$r.engineEnv = "$env:LINKTOOLS_ENGINE"
Set-Content -LiteralPath "$w/target.txt" -Value 'data'
New-Item -ItemType Directory -Path "$w/dir" | Out-Null
$null = New-Link -Path "$w/sym" -Target "$w/target.txt" -ItemType SymbolicLink
$null = New-Link -Path "$w/dirlink" -Target "$w/dir" -ItemType SymbolicLink
$null = New-Link -Path "$w/hard" -Target "$w/target.txt" -ItemType HardLink
$null = New-Link -Path "$w/broken" -Target "$w/missing" -ItemType SymbolicLink -TargetType File
$info = Get-LinkInfo -Path "$w/sym"
$r.infoTarget = "$($info.Target)"
$r.testSym = [bool](Test-Link -Path "$w/sym")
$r.testBroken = [bool](Test-Link -Path "$w/broken")
$r.found = @(Find-Link -Path $w | ForEach-Object { Split-Path -Leaf $_.Path } | Sort-Object)
# Find-Link converted its records with the package's compiled converter (bin/LinkTools.Records.dll).
$r.converter = & $mod { "$script:LinkRecordConverterState" }
$r.converterReason = & $mod { "$script:LinkRecordConverterReason" }
$r.converterDll = [string](('LinkTools.Records.RecordConverter' -as [type]).Assembly.Location)
$r.brokenBefore = [bool](Get-Item -LiteralPath "$w/broken" -Force -ErrorAction SilentlyContinue)
Remove-Link -Path "$w/broken"
$r.doctor = (& (Join-Path $mod.ModuleBase 'bin/linux-x64/linktools') doctor) | ConvertFrom-Json
$r | ConvertTo-Json -Depth 5 -Compress
EOF
chmod 0644 "$T/check.ps1"
as_nobody() {
  setpriv --reuid=65534 --regid=65534 --clear-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$1" TMPDIR="$T/tmp" PSModulePath="$T/save" \
    LT_WORK="$T/work" TERM=dumb DOTNET_CLI_TELEMETRY_OPTOUT=1 POWERSHELL_TELEMETRY_OPTOUT=1 "${@:2}"
}
nobody_out=$(cd "$T/work" && as_nobody "$T/home-ro" "$PWSH_SHARED" -NoLogo -NoProfile -NonInteractive -File "$T/check.ps1" 2>&1) \
  && ok "Import-Module LinkTools by name and New-Link/Get-LinkInfo/Test-Link/Find-Link/Remove-Link as nobody with a read-only home" \
  || bad "Import-Module LinkTools by name and New-Link/Get-LinkInfo/Test-Link/Find-Link/Remove-Link as nobody with a read-only home" "$nobody_out"
json=$(grep -E '^\{' <<<"$nobody_out" | tail -n1 || true)
field() { node -e 'const r = JSON.parse(process.argv[1]); const v = process.argv[2].split(".").reduce((o, k) => (o == null ? o : o[k]), r); console.log(typeof v === "object" ? JSON.stringify(v) : String(v));' "$json" "$1" 2>/dev/null; }

check "the module was loaded from the saved module path, the engine from its bin/ (no LINKTOOLS_ENGINE)" \
  bash -c '[[ $1 == "$2" && -z $3 ]] || { echo "moduleBase=$1 (want $2) LINKTOOLS_ENGINE=$3"; exit 1; }' _ "$(field moduleBase)" "$SAVED" "$(field engineEnv)"
check "New-Link made a symbolic link (readlink)" bash -c '[[ $(readlink "$1/sym") == "$1/target.txt" && $(readlink "$1/dirlink") == "$1/dir" ]]' _ "$T/work"
check "New-Link made a hard link (same inode, link count 2)" \
  bash -c '[[ $(stat -c %i "$1/hard") == $(stat -c %i "$1/target.txt") && $(stat -c %h "$1/target.txt") == 2 ]]' _ "$T/work"
check "the links belong to nobody" bash -c '[[ $(stat -c %u "$1/sym") == 65534 ]]' _ "$T/work"
check "Get-LinkInfo reports the target" bash -c '[[ $1 == "$2" ]] || { echo "target=$1"; exit 1; }' _ "$(field infoTarget)" "$T/work/target.txt"
check "Test-Link: true for a good link, false for a broken one" bash -c '[[ $1 == true && $2 == false ]] || { echo "sym=$1 broken=$2"; exit 1; }' _ "$(field testSym)" "$(field testBroken)"
check "Find-Link converted with the package's bin/LinkTools.Records.dll (loaded as nobody)" \
  bash -c '[[ $1 == loaded && $2 == "$4/bin/LinkTools.Records.dll" ]] || { echo "converter=$1 dll=$2 reason=$3"; exit 1; }' _ "$(field converter)" "$(field converterDll)" "$(field converterReason)" "$SAVED"
check "Find-Link finds the symbolic links" bash -c 'for n in sym dirlink broken; do grep -q "\"$n\"" <<<"$1" || { echo "found: $1"; exit 1; }; done' _ "$(field found)"
check "Remove-Link removed the broken link (there before) and nothing else" \
  bash -c '[[ $2 == true && ! -e $1/broken && ! -L $1/broken && -L $1/sym && -f $1/target.txt ]] || { echo "before=$2"; ls -la "$1"; exit 1; }' _ "$T/work" "$(field brokenBefore)"
check "doctor of the installed engine, as nobody: packaged, nativeFfi true" \
  bash -c '[[ $1 == true && $2 == true ]] || { echo "doctor: $3"; exit 1; }' _ "$(field doctor.packaged)" "$(field doctor.nativeFfi)" "$(field doctor)"
check "nothing was written to the read-only home" bash -c '[[ -z $(ls -A "$1") ]] || { ls -laR "$1"; exit 1; }' _ "$T/home-ro"
native_dir=$T/tmp/linktools-native-65534
addon=$(find .cache/pkg-stage/linux-x64/node_modules/@koromix/koffi-linux-x64/linux_x64 -name koffi.node | head -n1)
check "the addon was placed in a 0700 folder of nobody's under TMPDIR, byte for byte" \
  bash -c '[[ $(stat -c "%u %a %F" "$1") == "65534 700 directory" ]] || { stat "$1"; exit 1; }
           f=$(find "$1" -name "*-koffi.node"); [[ -n $f ]] && cmp -s "$f" "$2" || { ls -la "$1"; exit 1; }' _ "$native_dir" "$addon"

# ---- 4. a writable home stays empty too (the engine alone: pwsh itself keeps caches in a home)
rw_out=$(cd "$T/work" && as_nobody "$T/home-rw" "$SAVED/bin/linux-x64/linktools" doctor 2>&1 &&
  as_nobody "$T/home-rw" "$SAVED/bin/linux-x64/linktools" info "$T/work/sym" 2>&1) || true
check "with a writable home the engine still writes nothing there (no ~/.cache/pkg)" \
  bash -c '[[ $1 == *"\"nativeFfi\":true"* ]] || { echo "$1"; exit 1; }; [[ -z $(ls -A "$2") ]] || { ls -laR "$2"; exit 1; }' _ "$rw_out" "$T/home-rw"

# ---- 5. a squatted private folder is refused, and the engine still gets its native part
rm -rf "$native_dir"
mkdir -m 0777 "$native_dir"  # made first by someone else (root here), open to all
squat_out=$(cd "$T/work" && as_nobody "$T/home-ro" "$SAVED/bin/linux-x64/linktools" doctor 2>&1) || true
check "a folder squatted under the temp dir is not used; the engine loads from a fresh one" \
  bash -c '[[ $1 == *"\"nativeFfi\":true"* ]] || { echo "$1"; exit 1; }
           [[ -z $(ls -A "$2") && $(stat -c "%u %a" "$2") == "0 777" ]] || { ls -la "$2"; exit 1; }
           [[ -z $(find "$3" -mindepth 1 -maxdepth 1 -name "linktools-native-??????") ]] || { ls -la "$3"; exit 1; }' \
  _ "$squat_out" "$native_dir" "$T/tmp"

# ---- 6. a uid with no passwd entry and no HOME at all (containers with arbitrary uids)
nopw_out=$(cd "$T/work" && setpriv --reuid=54321 --regid=54321 --clear-groups env -i TMPDIR="$T/tmp" \
  "$SAVED/bin/linux-x64/linktools" doctor 2>&1) || true
check "a uid without passwd entry or HOME: the installed engine starts and loads its addon" \
  bash -c '[[ $1 == *"\"nativeFfi\":true"* ]] || { echo "$1"; exit 1; }' _ "$nopw_out"

say "$PASSED passed, $FAILED failed"
((FAILED == 0))
