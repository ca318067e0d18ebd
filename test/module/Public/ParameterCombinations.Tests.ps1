# Every parameter set and switch combination of Find-Link and Invoke-LinkAudit, with every array
# option given, against the REAL engine, under the preferences an interactive session and a scheduled
# task use (set in the calling function only). Two roots are always given, so an option that
# swallowed a root (issue 7: '--kind a b ROOT' read ROOT as a kind) shows up as missing results.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')

    $profiles = @(
        @{ Profile = 'scheduled task'; Prelude = '$ErrorActionPreference = ''Stop''; $ProgressPreference = ''SilentlyContinue''; $VerbosePreference = ''Continue''' }
        @{ Profile = 'interactive'; Prelude = '$ErrorActionPreference = ''Continue''; $ProgressPreference = ''Continue''; $VerbosePreference = ''SilentlyContinue''' }
    )
    $findCases = foreach ($pr in $profiles) {
        foreach ($set in 'Path', 'LiteralPath', 'Pipeline') {
            foreach ($bits in 0..7) {
                @{ Profile = $pr.Profile; Prelude = $pr.Prelude; Set = $set
                    Recurse = [bool]($bits -band 1); Broken = [bool]($bits -band 2); OneFileSystem = [bool]($bits -band 4)
                }
            }
        }
    }
    $auditCases = foreach ($pr in $profiles) {
        foreach ($set in 'Path', 'LiteralPath', 'Pipeline') {
            foreach ($bits in 0..7) {
                @{ Profile = $pr.Profile; Prelude = $pr.Prelude; Set = $set
                    Summary = [bool]($bits -band 1); OneFileSystem = [bool]($bits -band 2); Report = [bool]($bits -band 4)
                }
            }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine

    # Two roots; names in [brackets] so that -Path (wildcards) and -LiteralPath differ.
    $base = Join-Path $TestDrive 'combos'
    $rootA = Join-Path $base 'A[1]'
    $rootB = Join-Path $base 'B[2]'
    New-Item -ItemType Directory -Path (Join-Path $rootA 'sub') -Force | Out-Null
    New-Item -ItemType Directory -Path $rootB -Force | Out-Null
    Set-Content -LiteralPath (Join-Path $rootA 'a-file') -Value 'data'
    Set-Content -LiteralPath (Join-Path $rootB 'b-file') -Value 'data'
    $made = @(
        New-Link -Path (Join-Path $rootA 'a-good') -Target 'a-file' -ItemType SymbolicLink
        New-Link -Path (Join-Path $rootA 'a-broken') -Target 'missing' -ItemType SymbolicLink -TargetType File
        New-Link -Path (Join-Path $rootA 'sub/a-deep') -Target '../a-file' -ItemType SymbolicLink
        New-Link -Path (Join-Path $rootA 'a-hard') -Target (Join-Path $rootA 'a-file') -ItemType HardLink
        New-Link -Path (Join-Path $rootB 'b-loop1') -Target 'b-loop2' -ItemType SymbolicLink -TargetType File
        New-Link -Path (Join-Path $rootB 'b-loop2') -Target 'b-loop1' -ItemType SymbolicLink -TargetType File
        New-Link -Path (Join-Path $rootB 'b-good') -Target 'b-file' -ItemType SymbolicLink
    )
    $made.Count | Should -Be 7
    # name, depth below its root's children, broken?
    $links = @(
        @{ Name = 'a-good'; Deep = $false; Broken = $false }, @{ Name = 'a-broken'; Deep = $false; Broken = $true }
        @{ Name = 'a-deep'; Deep = $true; Broken = $false }, @{ Name = 'a-file'; Deep = $false; Broken = $false }
        @{ Name = 'a-hard'; Deep = $false; Broken = $false }, @{ Name = 'b-loop1'; Deep = $false; Broken = $true }
        @{ Name = 'b-loop2'; Deep = $false; Broken = $true }, @{ Name = 'b-good'; Deep = $false; Broken = $false }
    )

    function Invoke-InCaller {
        # Runs $Body in a function that sets the preferences ($Prelude) only in its own scope.
        param([string] $Prelude, [string] $Body, [hashtable] $Vars)
        $sb = [scriptblock]::Create("param(`$v)`n$Prelude`n$Body")
        Set-Item -Path function:Test-LinkComboCaller -Value $sb
        Test-LinkComboCaller $Vars
    }

    function Get-RootArgument {
        # The roots as each parameter set takes them: -Path with escaped wildcards, -LiteralPath
        # as typed, or DirectoryInfo objects from the pipeline.
        param([string] $Set)
        switch ($Set) {
            'Path' { '-Path $v.EscapedA, $v.EscapedB' }
            'LiteralPath' { '-LiteralPath $v.A, $v.B' }
            'Pipeline' { '' }
        }
    }
    $vars = @{
        A = $rootA; B = $rootB
        EscapedA = [System.Management.Automation.WildcardPattern]::Escape($rootA)
        EscapedB = [System.Management.Automation.WildcardPattern]::Escape($rootB)
    }
    $global:ProgressPreference = 'SilentlyContinue'
}

AfterAll { $global:ProgressPreference = 'Continue' }

Describe 'Find-Link combinations (real engine)' {
    It '<Profile>: -<Set> Recurse=<Recurse> Broken=<Broken> OneFileSystem=<OneFileSystem>, with every array option' -ForEach $findCases {
        $switches = @()
        if ($Recurse) { $switches += '-Recurse' }
        if ($Broken) { $switches += '-Broken' }
        if ($OneFileSystem) { $switches += '-OneFileSystem' }
        # Array options both before and after the roots on the command line.
        $call = "Find-Link -ItemType SymbolicLink, HardLink -Include '*', '**' {0} -Exclude 'no-such-name', '-dash' {1}" -f (Get-RootArgument -Set $Set), ($switches -join ' ')
        if ($Set -eq 'Pipeline') { $call = "Get-Item -LiteralPath `$v.A, `$v.B | $call" }
        $found = @(Invoke-InCaller -Prelude $Prelude -Body "@($call) 4>`$null" -Vars $vars)

        $expected = @($links | Where-Object { ($Recurse -or -not $_.Deep) -and (-not $Broken -or $_.Broken) } | ForEach-Object { $_.Name } | Sort-Object)
        (@($found | ForEach-Object Name | Sort-Object) -join ',') | Should -Be ($expected -join ',')
        foreach ($f in $found) {
            $f.PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkInfo'
            if ($f.Kind -eq 'hardlink') { $f.TargetExists | Should -BeTrue }
        }
    }
}

Describe 'Invoke-LinkAudit combinations (real engine)' {
    AfterEach { $global:LASTEXITCODE = 0 }

    It '<Profile>: -<Set> Summary=<Summary> OneFileSystem=<OneFileSystem> Report=<Report>, with every array option' -ForEach $auditCases {
        $switches = @()
        if ($Summary) { $switches += '-Summary' }
        if ($OneFileSystem) { $switches += '-OneFileSystem' }
        $report = Join-Path $TestDrive ("report-{0}.csv" -f [guid]::NewGuid().ToString('n'))
        $vars['Report'] = $report
        if ($Report) { $switches += '-ReportPath $v.Report' }
        $call = "Invoke-LinkAudit -Rule broken-target, link-loop -ExcludeRule absolute-target -SymlinkEvaluation L2L, R2R -ItemType SymbolicLink, HardLink -Include '*', '**' {0} -Exclude 'no-such-name', '-dash' -FailOn Never {1}" -f (Get-RootArgument -Set $Set), ($switches -join ' ')
        if ($Set -eq 'Pipeline') { $call = "Get-Item -LiteralPath `$v.A, `$v.B | $call" }
        $out = @(Invoke-InCaller -Prelude $Prelude -Body "@($call) 4>`$null" -Vars $vars)

        $LASTEXITCODE | Should -Be 0 -Because '-FailOn Never'
        if ($Summary) {
            $out.Count | Should -Be 1
            $s = $out[0]
            $s.PSObject.TypeNames[0] | Should -Be 'LinkTools.AuditSummary'
            $s.Findings | Should -Be 3
            @($s.Roots) -join ',' | Should -Be "$rootA,$rootB"
            (@($s.RulesRun) | Sort-Object) -join ',' | Should -Be 'broken-target,link-loop'
        } else {
            (@($out | ForEach-Object { '{0}:{1}' -f $_.Rule, (Split-Path -Leaf $_.Path) } | Sort-Object) -join ',') |
                Should -Be 'broken-target:a-broken,link-loop:b-loop1,link-loop:b-loop2'
        }
        if ($Report) {
            $rows = @(Import-Csv -LiteralPath $report)
            $rows.Count | Should -Be 3
        } else {
            Test-Path -LiteralPath $report | Should -BeFalse
        }
    }

    It 'an unknown rule id is the engine''s bad-input error, not a swallowed root' {
        { Invoke-InCaller -Prelude '$ErrorActionPreference = ''Stop''' -Body 'Invoke-LinkAudit -LiteralPath $v.A, $v.B -Rule no-such-rule' -Vars $vars } |
            Should -Throw
        $LASTEXITCODE | Should -Be 2
    }
}
