#!/usr/bin/env bash
# The main job (README): build the engine if needed, make a demo tree with every link kind this
# machine can make, and show and audit it through the PowerShell module.
#   npm run demo            (= bash build/demo.sh)
# On Linux, junctions and NTFS symbolic links are made on a real NTFS volume: a 64 MB image mounted
# with ntfs-3g (needs root and FUSE; skipped with a message otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
demo=$root/.cache/demo
say() { printf '\n== %s\n' "$*"; }

say "tools"
# shellcheck source=build/tools.sh
source build/tools.sh pwsh
if [[ $(uname -s) == Linux ]] && ! command -v mkntfs >/dev/null; then
  ( ((EUID == 0)) || exit 0
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends ntfs-3g attr >/dev/null ) ||
    echo "[demo] could not install ntfs-3g: the NTFS part will be skipped"
fi

exe=dist/bin/linux-x64/linktools
if [[ ! -x $exe ]] || [[ -n $(find engine build/bundle.mjs build/package.sh package-lock.json -newer "$exe" -type f -print -quit) ]]; then
  say "build (npm run build)"
  npm run --silent build
else
  say "build: $exe is up to date"
fi

say "demo tree"
node build/make-demo-tree.mjs "$demo/posix" >/dev/null
ntfs_mnt=""
cleanup() {
  if [[ -n $ntfs_mnt ]] && mountpoint -q "$ntfs_mnt"; then umount "$ntfs_mnt" 2>/dev/null || fusermount -u "$ntfs_mnt" 2>/dev/null || true; fi
}
trap cleanup EXIT
if command -v mkntfs >/dev/null && command -v ntfs-3g >/dev/null && [[ -e /dev/fuse ]] && ((EUID == 0)); then
  mkdir -p "$demo/ntfs"
  img=$demo/ntfs.img
  rm -f "$img" && truncate -s 64M "$img" && mkntfs -F -Q -L LinkToolsDemo "$img" >/dev/null 2>&1
  ntfs-3g "$img" "$demo/ntfs" && ntfs_mnt=$demo/ntfs
else
  echo "[demo] no ntfs-3g/FUSE/root here: junctions and NTFS symlinks are skipped (POSIX links only)"
fi

say "through the module (pwsh)"
set +e
"$PWSH" -NoProfile -NonInteractive -File build/demo.ps1 -PosixRoot "$demo/posix/tree" -NtfsRoot "$ntfs_mnt" -ReportPath "$demo/report.html"
rc=$?
set -e
if [[ -n $ntfs_mnt ]]; then
  cleanup
  ntfs_mnt=""
  say "independent check of the NTFS volume with ntfsinfo (after unmount)"
  for p in /junction /dirlink /filelink.txt; do
    printf '%-14s ' "$p"
    ntfsinfo -F "$p" "$demo/ntfs.img" 2>/dev/null | grep -iE 'reparse tag' | head -1 | sed 's/^[[:space:]]*//' || echo "(no reparse point)"
  done
fi
say "report: $demo/report.html"
exit "$rc"
