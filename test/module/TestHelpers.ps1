# Shared helpers for the LinkTools Pester tests. Dot-source in BeforeAll (and BeforeDiscovery when a
# test needs to know at discovery time what the engine can do).

$script:RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
$script:ManifestPath = Join-Path $script:RepoRoot 'LinkTools.psd1'
$script:FixtureRoot = Join-Path $PSScriptRoot 'fixtures'
$script:OnWindows = ($PSVersionTable.PSEdition -eq 'Desktop') -or $IsWindows

function Get-TestPlatformTag {
    $os = 'linux'
    if ($script:OnWindows) { $os = 'win' } elseif ($IsMacOS) { $os = 'osx' }
    $arch = 'x64'
    if ([string][System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { $arch = 'arm64' }
    "$os-$arch"
}

function New-TestScriptWrapper {
    # An executable that runs `node <script>` (or another program), optionally logging each start
    # to a file first. A .cmd on Windows, a /bin/sh script elsewhere.
    param([Parameter(Mandatory)][string] $Destination, [string] $NodeScript, [string] $Program, [string] $CountFile, [hashtable] $Environment = @{})
    $dir = Split-Path -Parent $Destination
    if (-not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
    if ($script:OnWindows) {
        $Destination = [System.IO.Path]::ChangeExtension($Destination, '.cmd')
        $lines = @('@echo off')
        foreach ($k in $Environment.Keys) { $lines += "set `"$k=$($Environment[$k])`"" }
        if ($CountFile) { $lines += "echo start>>`"$CountFile`"" }
        if ($NodeScript) { $lines += "node `"$NodeScript`" %*" } else { $lines += "`"$Program`" %*" }
        $lines += 'exit /b %ERRORLEVEL%'
        [System.IO.File]::WriteAllText($Destination, ($lines -join "`r`n") + "`r`n")
    } else {
        $lines = @('#!/bin/sh')
        foreach ($k in $Environment.Keys) { $lines += "export $k='$($Environment[$k])'" }
        if ($CountFile) { $lines += "echo start >> '$CountFile'" }
        if ($NodeScript) { $lines += "exec node '$NodeScript' `"`$@`"" } else { $lines += "exec '$Program' `"`$@`"" }
        [System.IO.File]::WriteAllText($Destination, ($lines -join "`n") + "`n")
        & chmod +x $Destination
    }
    $Destination
}

function Get-LinkTestEngine {
    <#
    The engine the tests run against, once per PowerShell process:
    1. $env:LINKTOOLS_ENGINE when it is set before the run (a developer's override);
    2. the packaged executable dist/bin/<os>-<arch>/linktools[.exe] (what `npm run build` makes);
    3. else the engine source bundled with esbuild into .tmp/pester-engine and run by node.
    #>
    if ($global:LinkToolsTestEngine -and (Test-Path -LiteralPath $global:LinkToolsTestEngine)) { return $global:LinkToolsTestEngine }
    $engine = $null
    $how = $null
    if ($env:LINKTOOLS_ENGINE -and (Test-Path -LiteralPath $env:LINKTOOLS_ENGINE -PathType Leaf)) {
        $engine = $env:LINKTOOLS_ENGINE; $how = 'LINKTOOLS_ENGINE'
    }
    if (-not $engine) {
        $exe = 'linktools'
        if ($script:OnWindows) { $exe = 'linktools.exe' }
        $packaged = Join-Path $script:RepoRoot "dist/bin/$(Get-TestPlatformTag)/$exe"
        if (Test-Path -LiteralPath $packaged -PathType Leaf) { $engine = $packaged; $how = 'packaged executable' }
    }
    if (-not $engine) {
        $outDir = Join-Path $script:RepoRoot '.tmp/pester-engine'
        $bundle = Join-Path $outDir 'linktools.cjs'
        Push-Location -LiteralPath $script:RepoRoot
        try {
            $output = & node build/bundle.mjs --outfile $bundle 2>&1
            if ($LASTEXITCODE -ne 0) { throw "Bundling the engine failed: $output" }
        } finally { Pop-Location }
        $engine = New-TestScriptWrapper -Destination (Join-Path $outDir 'linktools') -NodeScript $bundle
        $how = 'engine source bundled for node'
    }
    Write-Host "LinkTools tests use the engine at $engine ($how)"
    $global:LinkToolsTestEngine = $engine
    $engine
}

function Get-LinkTestEngineCommand {
    # The command names `linktools --help` lists.
    $engine = Get-LinkTestEngine
    $help = & $engine --help 2>&1 | Out-String
    $names = @()
    foreach ($m in [regex]::Matches($help, '(?m)^\s+linktools\s+([a-z-]+)')) { $names += $m.Groups[1].Value }
    $names
}

function New-FakeEngine {
    # A fake engine (fixtures/fake-engine.cjs) in a folder of its own, logging to <dir>/fake.ndjson;
    # -Environment adds FAKE_LT_* settings (see the fixture).
    param([Parameter(Mandatory)][string] $Directory, [hashtable] $Environment = @{})
    $log = Join-Path $Directory 'fake.ndjson'
    $vars = @{ FAKE_LT_LOG = $log }
    foreach ($k in $Environment.Keys) { $vars[$k] = $Environment[$k] }
    $wrapper = New-TestScriptWrapper -Destination (Join-Path $Directory 'linktools') -NodeScript (Join-Path $script:FixtureRoot 'fake-engine.cjs') -Environment $vars
    [pscustomobject]@{ Path = $wrapper; Log = $log }
}

function Get-FakeEngineLog {
    # Entries the fake engine logged: starts (args) and requests.
    param([Parameter(Mandatory)][string] $Log)
    if (-not (Test-Path -LiteralPath $Log)) { return @() }
    @(Get-Content -LiteralPath $Log | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json })
}

function New-CountingEngine {
    # A wrapper around the real engine that appends a line to $CountFile each time it is started.
    param([Parameter(Mandatory)][string] $Directory, [Parameter(Mandatory)][string] $CountFile)
    New-TestScriptWrapper -Destination (Join-Path $Directory 'linktools-counted') -Program (Get-LinkTestEngine) -CountFile $CountFile
}

function Get-StartCount {
    param([Parameter(Mandatory)][string] $CountFile)
    if (-not (Test-Path -LiteralPath $CountFile)) { return 0 }
    @(Get-Content -LiteralPath $CountFile | Where-Object { $_ }).Count
}

function Use-LinkTestEngine {
    # Points the module at the real engine (as every test file does in BeforeAll).
    $env:LINKTOOLS_ENGINE = Get-LinkTestEngine
}
