#!/usr/bin/env bash
# Builds the installable module package from the built engines (npm run build):
#   dist/psgallery/LinkTools.<version>.nupkg               both engines (linux-x64, win-x64)
#   dist/psgallery/<target>/LinkTools.<version>.nupkg      one engine each (--per-platform)
#   dist/psgallery/pack-info.json                          sizes
# laid out as PSResourceGet installs it:
#   LinkTools/<version>/LinkTools.psd1, LICENSE, README.md, module/..., bin/<os>-<arch>/linktools[.exe],
#   bin/LinkTools.Records.dll (the module's record converter, build/records.sh; one file for every platform)
#
#   bash build/pack.sh [--per-platform]        (npm run pack = npm run build && bash build/pack.sh)
#
# The package is made by PSResourceGet itself: the module folder is staged under .cache/pack/, a
# file repository is registered in a throw-away PSResourceGet configuration (HOME and XDG_* point
# into .cache/pack/, so the user's own repositories are untouched) and Publish-PSResource writes the
# .nupkg there. No hand-made zip. The staged manifest gets the complete FileList.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

say() { printf '[pack] %s\n' "$*"; }
die() { printf '[pack] ERROR: %s\n' "$*" >&2; exit 1; }

PER_PLATFORM=0
for a in "$@"; do
  case $a in
    --per-platform) PER_PLATFORM=1 ;;
    *) die "unknown argument '$a' (--per-platform)" ;;
  esac
done

# target  executable
TARGETS=("linux-x64 linktools" "win-x64 linktools.exe")
for spec in "${TARGETS[@]}"; do
  read -r target exe <<<"$spec"
  [[ -s dist/bin/$target/$exe ]] || die "dist/bin/$target/$exe is missing: run 'npm run build' first (or 'npm run pack')"
done
[[ -s dist/bin/LinkTools.Records.dll ]] || die "dist/bin/LinkTools.Records.dll is missing: run 'npm run build' first (or 'npm run pack')"

source build/tools.sh pwsh >/dev/null
VERSION=$("$PWSH" -NoLogo -NoProfile -NonInteractive -Command '(Import-PowerShellDataFile -LiteralPath ./LinkTools.psd1).ModuleVersion')
PKG_VERSION=$(node -p 'require("./package.json").version')
[[ $VERSION == "$PKG_VERSION" ]] || die "LinkTools.psd1 ModuleVersion $VERSION differs from package.json version $PKG_VERSION"

WORK=$ROOT/.cache/pack
OUT=$ROOT/dist/psgallery
rm -rf "$WORK" "$OUT"
mkdir -p "$WORK" "$OUT"

# stage NAME TARGET... : .cache/pack/<name>/LinkTools with the module and the given engines.
stage() {
  local name=$1
  shift
  local dir=$WORK/$name/LinkTools
  mkdir -p "$dir/bin"
  cp LinkTools.psd1 LICENSE README.md "$dir/"
  cp -R module "$dir/module"
  cp -R en-US "$dir/en-US"   # about_LinkTools: Get-Help looks for about topics in <module folder>/<culture>/
  find "$dir/module" \( -name '*.swp' -o -name '*~' -o -name '.DS_Store' \) -delete # editor leftovers
  cp dist/bin/LinkTools.Records.dll "$dir/bin/LinkTools.Records.dll"
  local t exe
  for t in "$@"; do
    exe=linktools
    [[ $t == win-* ]] && exe=linktools.exe
    mkdir -p "$dir/bin/$t"
    # Only the executable: a linktools-native-<uid> folder a local run left next to it stays behind.
    cp "dist/bin/$t/$exe" "$dir/bin/$t/$exe"
    chmod 0755 "$dir/bin/$t/$exe"
  done
  printf '%s\n' "$dir"
}

# publish STAGED_DIR DEST_DIR : Publish-PSResource into a fresh file repository, copy the nupkg to DEST_DIR.
publish() {
  local dir=$1 dest=$2 repo
  repo=$(dirname "$(dirname "$dir")")/repo
  local home
  home=$(dirname "$(dirname "$dir")")/home
  mkdir -p "$repo" "$home" "$dest"
  HOME=$home XDG_DATA_HOME=$home/.local/share XDG_CONFIG_HOME=$home/.config XDG_CACHE_HOME=$home/.cache \
  LT_STAGE=$dir LT_REPO=$repo \
    "$PWSH" -NoLogo -NoProfile -NonInteractive -Command '
      $ErrorActionPreference = "Stop"
      $ProgressPreference = "SilentlyContinue"
      $PSStyle.OutputRendering = "PlainText"
      $stage = $env:LT_STAGE
      $psd1 = Join-Path $stage "LinkTools.psd1"
      # The complete FileList, relative with "/", sorted (ordinal) so the manifest is reproducible.
      $files = [string[]]@(Get-ChildItem -LiteralPath $stage -Recurse -File -Force |
          ForEach-Object { $_.FullName.Substring($stage.Length + 1).Replace("\", "/") })
      [Array]::Sort($files, [StringComparer]::Ordinal)
      $q = [char]39 # a single quote (this script is inside bash single quotes)
      $list = ($files | ForEach-Object { "        $q$($_.Replace("$q", "$q$q"))$q" }) -join "`n"
      $text = [IO.File]::ReadAllText($psd1)
      $re = [regex]"(?ms)^(\s*FileList\s*=\s*@\()\s*\r?\n.*?^(\s*\))"
      if (-not $re.IsMatch($text)) { throw "LinkTools.psd1 has no FileList = @( ... ) block to fill in" }
      $text = $re.Replace($text, { param($m) $m.Groups[1].Value + "`n" + $list + "`n" + $m.Groups[2].Value }, 1)
      [IO.File]::WriteAllText($psd1, $text, (New-Object Text.UTF8Encoding $false))
      $m = Test-ModuleManifest -Path $psd1
      if ($m.FileList.Count -ne $files.Count) { throw "FileList has $($m.FileList.Count) entries, staged $($files.Count) files" }
      Register-PSResourceRepository -Name LinkToolsPack -Uri $env:LT_REPO -Trusted
      Publish-PSResource -Path $stage -Repository LinkToolsPack
      Unregister-PSResourceRepository -Name LinkToolsPack
    ' >"$WORK/publish.log" 2>&1 || { cat "$WORK/publish.log" >&2; die "Publish-PSResource failed for $dir"; }
  local nupkg=$repo/LinkTools.$VERSION.nupkg
  [[ -s $nupkg ]] || die "Publish-PSResource wrote no $nupkg ($(ls "$repo"))"
  mark_executable "$nupkg"
  cp "$nupkg" "$dest/"
  printf '%s\n' "$dest/LinkTools.$VERSION.nupkg"
}

# NuGet writes every entry as 0644, so an installed engine could not run. PSResourceGet extracts
# with .NET's ZipFile, which on Linux/macOS applies the Unix mode stored in an entry's "external
# attributes"; so the POSIX engines' entries are marked 0755 in place in the central directory
# (4 bytes each; names, data and CRCs stay as Publish-PSResource wrote them). The module still
# restores the bit itself for installers that ignore it.
mark_executable() {
  node - "$1" <<'JS'
const fs = require('node:fs');
const file = process.argv[2];
const b = fs.readFileSync(file);
let eocd = -1;
for (let i = b.length - 22; i >= Math.max(0, b.length - 65557); i--) if (b.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
if (eocd < 0) { console.error(`[pack] ERROR: ${file} is not a zip`); process.exit(1); }
let n = b.readUInt16LE(eocd + 10), off = b.readUInt32LE(eocd + 16), marked = 0;
while (n--) {
  if (b.readUInt32LE(off) !== 0x02014b50) { console.error(`[pack] ERROR: ${file}: bad central directory`); process.exit(1); }
  const nl = b.readUInt16LE(off + 28), xl = b.readUInt16LE(off + 30), cl = b.readUInt16LE(off + 32);
  const name = b.toString('utf8', off + 46, off + 46 + nl);
  if (/^bin\/(linux|osx)-[^/]+\/linktools$/.test(name)) {
    b.writeUInt16LE((3 << 8) | (b.readUInt16LE(off + 4) & 0xff), off + 4); // made by: Unix
    b.writeUInt32LE(((0o100755 << 16) | (b.readUInt32LE(off + 38) & 0xffff)) >>> 0, off + 38);
    marked++;
  }
  off += 46 + nl + xl + cl;
}
if (/linux-x64|all/.test(file) && marked === 0) { console.error(`[pack] ERROR: ${file}: no POSIX engine entry to mark`); process.exit(1); }
fs.writeFileSync(file, b);
console.error(`[pack] marked ${marked} engine entr${marked === 1 ? 'y' : 'ies'} 0755 in ${file}`);
JS
}

say "staging LinkTools $VERSION (linux-x64, win-x64)"
all_dir=$(stage all linux-x64 win-x64)
say "Publish-PSResource into a file repository"
all_pkg=$(publish "$all_dir" "$OUT")
say "wrote ${all_pkg#"$ROOT"/}"

declare -A PLATFORM_PKG=()
if ((PER_PLATFORM)); then
  for spec in "${TARGETS[@]}"; do
    read -r target _ <<<"$spec"
    d=$(stage "$target" "$target")
    PLATFORM_PKG[$target]=$(publish "$d" "$OUT/$target")
    say "wrote ${PLATFORM_PKG[$target]#"$ROOT"/}"
  done
fi

# The package must hold exactly the staged layout (names as PSResourceGet will extract them).
node - "$all_pkg" "$all_dir" "$VERSION" "${PLATFORM_PKG[linux-x64]:-}" "${PLATFORM_PKG[win-x64]:-}" <<'EOF'
const { readFileSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const [pkg, stageDir, version, linuxPkg, winPkg] = process.argv.slice(2);

// Central directory of a zip: names and sizes, without extracting anything.
function zipEntries(file) {
  const b = readFileSync(file);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65557); i--) if (b.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error(`${file}: not a zip`);
  let n = b.readUInt16LE(eocd + 10), off = b.readUInt32LE(eocd + 16);
  const out = [];
  while (n--) {
    if (b.readUInt32LE(off) !== 0x02014b50) throw new Error(`${file}: bad central directory`);
    const csize = b.readUInt32LE(off + 20), usize = b.readUInt32LE(off + 24);
    const nl = b.readUInt16LE(off + 28), xl = b.readUInt16LE(off + 30), cl = b.readUInt16LE(off + 32);
    out.push({ name: b.toString('utf8', off + 46, off + 46 + nl), csize, usize });
    off += 46 + nl + xl + cl;
  }
  return out;
}
const entries = zipEntries(pkg);
const names = new Set(entries.map((e) => decodeURIComponent(e.name)));
for (const want of ['LinkTools.psd1', 'module/LinkTools.psm1', 'bin/linux-x64/linktools', 'bin/win-x64/linktools.exe', 'bin/LinkTools.Records.dll', 'LICENSE']) {
  if (!names.has(want)) { console.error(`[pack] ERROR: ${pkg} has no ${want}`); process.exit(1); }
}
const mb = (n) => +(n / 1e6).toFixed(1);
const info = { version, packages: {} };
const describe = (file, targets) => {
  const es = zipEntries(file);
  const engines = {};
  for (const e of es) if (/^bin\/[^/]+\/linktools(\.exe)?$/.test(e.name)) engines[e.name] = { bytes: e.usize, compressedBytes: e.csize, megabytes: mb(e.usize), compressedMegabytes: mb(e.csize) };
  const unpacked = es.reduce((a, e) => a + e.usize, 0);
  return { path: path.relative(process.cwd(), file), targets, bytes: statSync(file).size, megabytes: mb(statSync(file).size), installedBytes: unpacked, installedMegabytes: mb(unpacked), entries: es.length, engines };
};
info.packages.all = describe(pkg, ['linux-x64', 'win-x64']);
if (linuxPkg) info.packages['linux-x64'] = describe(linuxPkg, ['linux-x64']);
if (winPkg) info.packages['win-x64'] = describe(winPkg, ['win-x64']);
writeFileSync('dist/psgallery/pack-info.json', JSON.stringify(info, null, 2) + '\n');
for (const [k, v] of Object.entries(info.packages)) console.log(`[pack] ${k}: ${v.path} ${v.megabytes} MB (installed ${v.installedMegabytes} MB, ${v.entries} entries)`);
console.log('[pack] wrote dist/psgallery/pack-info.json');
EOF
# The staged copies and repositories are only intermediate (~300 MB each); the log stays.
rm -rf "$WORK"/*/
