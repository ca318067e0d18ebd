# Every help example, run verbatim (the code exactly as Get-Help shows it) from inside a tree with
# hard links, loops and broken links, against the real engine; each one is checked for what its
# text says, on the filesystem. Examples that only make sense on Windows are skipped elsewhere, with
# the reason printed. A new example without a check here fails the 'has a check' test.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    $examples = foreach ($name in 'New-Link', 'Get-LinkInfo', 'Test-Link', 'Remove-Link', 'Find-Link', 'Invoke-LinkAudit') {
        $i = 0
        foreach ($ex in @((Get-Help -Name $name -Full).Examples.Example)) {
            $i++
            $code = (@($ex.Code) -join "`n").Trim()
            $windowsOnly = $code -match '[A-Z]:\\' -or $code -match 'AsRemoteClient'
            if ($windowsOnly -and -not $OnWindows) { Write-Host "SKIP $name example $i on this OS: it uses Windows paths or SMB client evaluation ($code)" -ForegroundColor Yellow }
            @{ Name = $name; Index = $i; Key = "$name#$i"; Code = $code; WindowsOnly = $windowsOnly }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine

    function New-ExampleTree {
        <#
        file.txt (+ hard link hard.txt), releases/v2, releases/v3, current -> releases/v2,
        ok -> file.txt, broken -> missing, loop1 <-> loop2, sub/deep -> ../file.txt,
        sub/gone -> nowhere, node_modules/dep -> ../file.txt, .git/hook -> ../file.txt,
        bin/tool -> ../file.txt, bin/plain.txt, bin/bhard (hard link to file.txt), links.csv
        #>
        param([switch] $NoCurrent)
        $r = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        foreach ($d in 'releases/v2', 'releases/v3', 'sub', 'node_modules', '.git', 'bin') { New-Item -ItemType Directory -Path (Join-Path $r $d) -Force | Out-Null }
        Set-Content -LiteralPath (Join-Path $r 'file.txt') -Value 'data'
        Set-Content -LiteralPath (Join-Path $r 'bin/plain.txt') -Value 'plain'
        Push-Location -LiteralPath $r
        try {
            # One New-Link pipeline: one engine process for the whole tree.
            $specs = @(
                @{ Path = 'hard.txt'; Target = 'file.txt'; ItemType = 'HardLink' }
                @{ Path = 'bin/bhard'; Target = 'file.txt'; ItemType = 'HardLink' }
                @{ Path = 'ok'; Target = 'file.txt'; ItemType = 'SymbolicLink' }
                @{ Path = 'broken'; Target = 'missing'; ItemType = 'SymbolicLink'; TargetType = 'File' }
                @{ Path = 'loop1'; Target = 'loop2'; ItemType = 'SymbolicLink'; TargetType = 'File' }
                @{ Path = 'loop2'; Target = 'loop1'; ItemType = 'SymbolicLink'; TargetType = 'File' }
                @{ Path = 'sub/deep'; Target = '../file.txt'; ItemType = 'SymbolicLink' }
                @{ Path = 'sub/gone'; Target = 'nowhere'; ItemType = 'SymbolicLink'; TargetType = 'File' }
                @{ Path = 'node_modules/dep'; Target = '../file.txt'; ItemType = 'SymbolicLink' }
                @{ Path = '.git/hook'; Target = '../file.txt'; ItemType = 'SymbolicLink' }
                @{ Path = 'bin/tool'; Target = '../file.txt'; ItemType = 'SymbolicLink' }
            )
            if (-not $NoCurrent) { $specs += @{ Path = 'current'; Target = 'releases/v2'; ItemType = 'SymbolicLink' } }
            @($specs | ForEach-Object { [pscustomobject]$_ } | New-Link -ErrorAction Stop).Count | Should -Be $specs.Count
        } finally { Pop-Location }
        @(
            [pscustomobject]@{ Path = 'csv-a'; Target = 'file.txt'; ItemType = 'SymbolicLink' }
            [pscustomobject]@{ Path = 'csv-b'; Target = 'releases/v3'; ItemType = 'SymbolicLink' }
        ) | Export-Csv -LiteralPath (Join-Path $r 'links.csv') -NoTypeInformation
        $r
    }

    function Test-Entry { param([string] $Path) Test-Path -LiteralPath (Join-Path $tree $Path) }
    function Get-Readlink { param([string] $Path) [string](Get-Item -LiteralPath (Join-Path $tree $Path) -Force).Target }

    # What each example's text promises, checked after it ran. $out is its output, $tree its tree.
    $checks = @{
        'New-Link#1'         = { (Get-Readlink current) | Should -Be 'releases/v2'; $out.Kind | Should -Be 'symlink' }
        'New-Link#2'         = { (Get-Readlink current) | Should -Be 'releases/v3'; Test-Entry 'releases/v2' | Should -BeTrue }
        'New-Link#3'         = { (Get-Item -LiteralPath 'C:\Users\me\AppData\Local\Cache' -Force).LinkType | Should -Be 'Junction' }
        'New-Link#4'         = { Test-Entry 'csv-a' | Should -BeFalse; Test-Entry 'csv-b' | Should -BeFalse }
        'Get-LinkInfo#1'     = { $out.Path | Should -Be (Join-Path $tree 'current'); $out.Kind | Should -Be 'symlink'; $out.Target | Should -Be 'releases/v2' }
        'Get-LinkInfo#2'     = {
            # Get-ChildItem skips hidden folders (.git) unless -Force: so does the example.
            (@($out | ForEach-Object Name | Sort-Object) -join ',') | Should -Be 'broken,current,deep,dep,gone,loop1,loop2,ok,tool'
        }
        'Get-LinkInfo#3'     = { ($out | Out-String) | Should -Match 'RecordType\s+: linkInfo'; ($out | Out-String) | Should -Match 'Backend' }
        'Get-LinkInfo#4'     = { $out.Path | Should -Match 'data\[old\]$'; $out.Remote | Should -Not -BeNullOrEmpty }
        'Test-Link#1'        = { $out | Should -Be 'current points somewhere real' }
        'Test-Link#2'        = { (@($out | ForEach-Object { '{0}:{1}' -f (Split-Path -Leaf $_.Path), $_.Reason } | Sort-Object) -join ',') | Should -Be 'broken:broken,loop1:loop,loop2:loop' }
        'Remove-Link#1'      = { Test-Entry current | Should -BeFalse; Test-Entry 'releases/v2' | Should -BeTrue }
        'Remove-Link#2'      = { foreach ($p in 'broken', 'loop1', 'loop2', 'sub/gone', 'hard.txt', 'file.txt') { Test-Entry $p | Should -BeTrue } }
        'Remove-Link#3'      = {
            foreach ($p in 'broken', 'loop1', 'loop2', 'sub/gone') { Test-Entry $p | Should -BeFalse -Because "$p is broken" }
            foreach ($p in 'ok', 'current', 'sub/deep', 'hard.txt', 'file.txt', 'bin/bhard') { Test-Entry $p | Should -BeTrue -Because "$p works" }
            Get-Content -LiteralPath (Join-Path $tree 'hard.txt') | Should -Be 'data'
        }
        'Remove-Link#4'      = {
            Test-Entry 'bin/tool' | Should -BeFalse; Test-Entry 'bin/bhard' | Should -BeFalse
            Test-Entry 'bin/plain.txt' | Should -BeTrue; Test-Entry 'file.txt' | Should -BeTrue
            (@($out | ForEach-Object { Split-Path -Leaf $_.Path } | Sort-Object) -join ',') | Should -Be 'bhard,tool'
            @($out)[0].PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkRemoved'
        }
        'Find-Link#1'        = { (@($out | ForEach-Object Name | Sort-Object) -join ',') | Should -Be 'bhard,broken,current,deep,file.txt,gone,hard.txt,loop1,loop2,ok,tool' }
        'Find-Link#2'        = {
            $summary = @($out | Where-Object { $_.PSObject.TypeNames[0] -eq 'LinkTools.ScanSummary' })
            $summary.Count | Should -Be 1
            $links = @($out | Where-Object { $_.PSObject.TypeNames[0] -eq 'LinkTools.LinkInfo' })
            (@($links | ForEach-Object Name | Sort-Object) -join ',') | Should -Be 'broken,current,deep,dep,gone,hook,loop1,loop2,ok,tool'
            $summary[0].Links | Should -Be 10
        }
        'Find-Link#3'        = { foreach ($p in 'broken', 'loop1', 'loop2', 'sub/gone') { Test-Entry $p | Should -BeTrue } }
        'Find-Link#4'        = {
            $text = Get-Content -Raw -LiteralPath (Join-Path $tree 'links.csv')
            $text | Should -Not -Match 'System\.Object\[\]'
            $text | Should -Not -Match '@\{'
            $rows = @(Import-Csv -LiteralPath (Join-Path $tree 'links.csv'))
            $rows.Count | Should -Be 13
            ($rows | Where-Object { $_.Path -eq (Join-Path $tree 'current') }).Chain | Should -Be ('{0} -> {1}' -f (Join-Path $tree 'current'), (Join-Path $tree 'releases/v2'))
            ($rows | Where-Object { $_.Path -eq (Join-Path $tree 'hard.txt') }).TargetExists | Should -Be 'True'
        }
        'Invoke-LinkAudit#1' = {
            (@($out | ForEach-Object { '{0}:{1}' -f $_.Rule, (Split-Path -Leaf $_.Path) } | Sort-Object -Unique) -join ',') |
                Should -Be 'broken-target:broken,broken-target:gone,link-loop:loop1,link-loop:loop2'
        }
        'Invoke-LinkAudit#2' = {
            Test-Entry 'links.baseline.json' | Should -BeTrue
            @($out).Count | Should -Be 1
            @($out)[0].PSObject.TypeNames[0] | Should -Be 'LinkTools.AuditSummary'
        }
        'Invoke-LinkAudit#3' = {
            Test-Entry 'drift.sarif' | Should -BeTrue
            (Get-Content -Raw -LiteralPath (Join-Path $tree 'drift.sarif') | ConvertFrom-Json).version | Should -Be '2.1.0'
            @($out)[-1] | Should -Be 1
            @($out | Where-Object { $_.PSObject.TypeNames[0] -eq 'LinkTools.Drift' }).Count | Should -Be 1 -Because 'one link was added after the baseline'
        }
        'Invoke-LinkAudit#4' = {
            @(Import-Csv -LiteralPath (Join-Path $tree 'links.csv')).Count | Should -Be 4
            ($out | Out-String) | Should -Match 'Findings\s+: 4'
        }
        'Invoke-LinkAudit#5' = {
            (@($out | ForEach-Object { '{0}:{1}:{2}' -f $_.Rule, (Split-Path -Leaf $_.Path), $_.Details.operation }) -join ',') | Should -Be 'manifest-drift:current:retarget'
            (Get-Item -LiteralPath (Join-Path $tree 'app/current')).Target | Should -Be 'releases/v1' -Because 'an audit changes nothing'
        }
    }
    # Examples that need something before they run (in the example's tree, from inside it).
    $setup = @{
        'Invoke-LinkAudit#5' = {
            New-Item -ItemType Directory -Path 'app/releases/v1', 'app/releases/v2' -Force | Out-Null
            New-Link -Path 'app/current' -Target 'releases/v1' -ItemType SymbolicLink -TargetType Directory | Out-Null
            Set-Content -LiteralPath 'app/links.json' -Value '{"links":[{"path":"current","target":"releases/v2","kind":"symlink"}]}'
        }
        'Invoke-LinkAudit#3' = {
            Invoke-LinkAudit -Path . -SaveBaseline ./links.baseline.json -Summary | Out-Null
            New-Link -Path 'added' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        }
    }
}

Describe 'Help example <Key>' -ForEach $examples {
    BeforeAll {
        $global:LASTEXITCODE = 0
        $tree = New-ExampleTree -NoCurrent:($Key -eq 'New-Link#1')
        $out = $null
    }
    AfterAll { $global:LASTEXITCODE = 0 }

    It 'has a check' {
        $checks.ContainsKey($Key) | Should -BeTrue -Because "every example needs a check in HelpExamples.Tests.ps1 ($Code)"
    }

    It 'does what its text says: <Code>' -Skip:($WindowsOnly -and -not $OnWindows) {
        Push-Location -LiteralPath $tree
        try {
            if ($setup.ContainsKey($Key)) { . $setup[$Key] }
            $out = @(& ([scriptblock]::Create($Code)) 6>$null)
        } finally { Pop-Location }
        . $checks[$Key]
    }
}
