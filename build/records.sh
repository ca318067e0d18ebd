#!/usr/bin/env bash
# Builds the module's record converter (src/LinkTools.Records, C#, netstandard2.0) into
#   dist/bin/LinkTools.Records.dll
# which the module loads from <module root>/dist/bin (a checkout) or <module root>/bin (the package,
# build/pack.sh copies it there). Part of `npm run build`. Restores its one package
# (PowerShellStandard.Library, reference assemblies only) from NuGet into .cache/nuget; the
# intermediate files go to .cache/records, so the source folder stays clean.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

say() { printf '[records] %s\n' "$*"; }
die() { printf '[records] ERROR: %s\n' "$*" >&2; exit 1; }

command -v dotnet >/dev/null || die "the .NET SDK (dotnet) is needed to build src/LinkTools.Records"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PROJECT=src/LinkTools.Records/LinkTools.Records.csproj
WORK=$ROOT/.cache/records
OUT=dist/bin/LinkTools.Records.dll
mkdir -p "$WORK" dist/bin

say "dotnet build -c Release $PROJECT"
dotnet build "$PROJECT" -c Release --nologo -v:q \
  -p:BaseIntermediateOutputPath="$WORK/obj/" -p:MSBuildProjectExtensionsPath="$WORK/obj/" \
  -p:OutputPath="$WORK/bin/" -p:RestorePackagesPath="$ROOT/.cache/nuget" >"$WORK/build.log" 2>&1 \
  || { cat "$WORK/build.log" >&2; die "dotnet build failed"; }
[[ -s $WORK/bin/LinkTools.Records.dll ]] || die "the build wrote no $WORK/bin/LinkTools.Records.dll"
cp "$WORK/bin/LinkTools.Records.dll" "$OUT"
say "wrote $OUT ($(stat -c %s "$OUT") bytes)"
