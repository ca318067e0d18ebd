<#
The module-loop benchmark (run by `npm run bench` through build/bench/run.mjs, or alone):
  pwsh -NoProfile -File build/bench/module-loop.ps1 [-Count 300] [-Engine path]
Times $Count separate calls in a foreach loop, as a script or an admin at the prompt makes them:
Get-LinkInfo against Get-Item, and Test-Link against Test-Path, on the same paths of a small temporary
tree (files, symbolic links, broken links). Every call is its own pipeline, so a module that started
an engine per call would pay it $Count times. Reports medians of 3 alternating warm passes, the first
(cold) pass, and how many engine processes the module started for the whole run (goal: <= 2, and
each ratio <= 3x). Also the CPU time of each loop (this PowerShell process plus the serve engine's):
on a loaded machine the wall times swing, the CPU times much less (cpu* keys). -Passes: how many warm
passes (default 3; the median is reported). Prints one JSON line.
#>
param(
    [int] $Count = 300,
    [int] $Passes = 3,
    [string] $Engine,
    [string] $Manifest = (Join-Path $PSScriptRoot '../../LinkTools.psd1')
)
$ErrorActionPreference = 'Stop'
if ($Engine) { $env:LINKTOOLS_ENGINE = $Engine }
Import-Module $Manifest -Force
$module = Get-Module LinkTools

$dir = Join-Path ([System.IO.Path]::GetTempPath()) ('lt-module-loop-' + [guid]::NewGuid().ToString('n'))
New-Item -ItemType Directory -Path $dir | Out-Null
try {
    $paths = New-Object System.Collections.Generic.List[string]
    for ($i = 0; $i -lt $Count; $i++) {
        $p = Join-Path $dir ('e{0:d4}' -f $i)
        switch ($i % 4) {
            0 { Set-Content -LiteralPath $p -Value $i }
            1 { New-Item -ItemType SymbolicLink -Path $p -Value ('e{0:d4}' -f ($i - 1)) | Out-Null }
            2 { New-Item -ItemType Directory -Path $p | Out-Null }
            3 { New-Item -ItemType SymbolicLink -Path $p -Value 'missing' | Out-Null }
        }
        $paths.Add($p)
    }
    $startsBefore = & $module { $script:LinkEngineStarts }

    $loops = [ordered]@{
        GetLinkInfo = { foreach ($p in $paths) { $null = Get-LinkInfo $p } }
        GetItem     = { foreach ($p in $paths) { $null = Get-Item $p -Force } }
        TestLink    = { foreach ($p in $paths) { $null = Test-Link $p } }
        TestPath    = { foreach ($p in $paths) { $null = Test-Path $p } }
    }
    $cold = (Measure-Command $loops.GetLinkInfo).TotalSeconds   # includes the one engine start
    $self = [System.Diagnostics.Process]::GetCurrentProcess()
    $cpuOf = {
        # CPU seconds so far of this process and of the module's serve engine (if it runs).
        $self.Refresh()
        $t = $self.TotalProcessorTime.TotalSeconds
        $engine = & $module { $s = $script:LinkServeSession; if ($s -and -not $s.Closed) { $s.Process } }
        if ($engine) { try { $engine.Refresh(); $t += $engine.TotalProcessorTime.TotalSeconds } catch { $t += 0 } }
        $t
    }
    $times = @{}
    $cpu = @{}
    foreach ($k in $loops.Keys) {
        $times[$k] = New-Object System.Collections.Generic.List[double]
        $cpu[$k] = New-Object System.Collections.Generic.List[double]
    }
    for ($pass = 0; $pass -lt $Passes; $pass++) {
        foreach ($k in $loops.Keys) {
            $c0 = & $cpuOf
            $times[$k].Add((Measure-Command $loops[$k]).TotalSeconds)
            $cpu[$k].Add((& $cpuOf) - $c0)
        }
    }
    $median = @{}
    $cpuMedian = @{}
    foreach ($k in $loops.Keys) {
        $median[$k] = ($times[$k] | Sort-Object)[[int][math]::Floor($Passes / 2)]
        $cpuMedian[$k] = ($cpu[$k] | Sort-Object)[[int][math]::Floor($Passes / 2)]
    }
    $starts = (& $module { $script:LinkEngineStarts }) - $startsBefore
    $result = [ordered]@{
        count           = $Count
        getLinkInfo     = $median.GetLinkInfo
        getItem         = $median.GetItem
        testLink        = $median.TestLink
        testPath        = $median.TestPath
        coldGetLinkInfo = $cold
        ratioInfo       = $median.GetLinkInfo / $median.GetItem
        ratioTest       = $median.TestLink / $median.TestPath
        ratioBoth       = ($median.GetLinkInfo + $median.TestLink) / ($median.GetItem + $median.TestPath)
        engineStarts    = $starts
        passes          = $Passes
        cpuGetLinkInfo  = $cpuMedian.GetLinkInfo
        cpuGetItem      = $cpuMedian.GetItem
        cpuTestLink     = $cpuMedian.TestLink
        cpuTestPath     = $cpuMedian.TestPath
        cpuRatioInfo    = $cpuMedian.GetLinkInfo / $cpuMedian.GetItem
        cpuRatioTest    = $cpuMedian.TestLink / $cpuMedian.TestPath
    }
    $result | ConvertTo-Json -Compress
} finally {
    Remove-Module LinkTools -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
}
