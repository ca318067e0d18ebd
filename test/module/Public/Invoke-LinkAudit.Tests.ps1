BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'Invoke-LinkAudit against the engine' {
    BeforeEach {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path (Join-Path $root 'tree/sub') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $root 'tree/file.txt') -Value 'data'
        Push-Location -LiteralPath (Join-Path $root 'tree')
        New-Link -Path 'good' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'sub/broken' -Target 'missing' -ItemType SymbolicLink -TargetType File | Out-Null
        Pop-Location
        $tree = Join-Path $root 'tree'
    }
    AfterEach { Use-LinkTestEngine; $global:LASTEXITCODE = 0 }

    It 'returns LinkTools.Finding objects and sets LASTEXITCODE' {
        $findings = @(Invoke-LinkAudit -Path $tree)
        $broken = $findings | Where-Object rule -eq 'broken-target'
        $broken | Should -Not -BeNullOrEmpty
        $broken.PSObject.TypeNames[0] | Should -Be 'LinkTools.Finding'
        $broken.severity | Should -Be 'error'
        $broken.path | Should -Be (Join-Path $tree 'sub/broken')
        $LASTEXITCODE | Should -Be 1
    }

    It '-FailOn Never exits 0 with findings; -Rule and -ExcludeRule choose the rules' {
        @(Invoke-LinkAudit -Path $tree -FailOn Never).Count | Should -BeGreaterThan 0
        $LASTEXITCODE | Should -Be 0
        @(Invoke-LinkAudit -Path $tree -Rule 'broken-target' -FailOn Error | ForEach-Object rule | Sort-Object -Unique) -join ',' | Should -Be 'broken-target'
        @(Invoke-LinkAudit -Path $tree -ExcludeRule 'broken-target' | Where-Object rule -eq 'broken-target').Count | Should -Be 0
    }

    It '-Summary outputs only the summary; the information stream always has it' {
        $out = @(Invoke-LinkAudit -Path $tree -Summary)
        $out.Count | Should -Be 1
        $out[0].PSObject.TypeNames[0] | Should -Be 'LinkTools.AuditSummary'
        $out[0].exitCode | Should -Be $LASTEXITCODE
        $out[0].findings | Should -BeGreaterThan 0
        Invoke-LinkAudit -Path $tree -InformationVariable info | Out-Null
        ($info | Where-Object { $_.Tags -contains 'LinkTools.AuditSummary' }).MessageData.findings | Should -Be $out[0].findings
    }

    It 'writes a report whose format comes from the extension' {
        $report = Join-Path $root 'report.sarif'
        $summary = Invoke-LinkAudit -Path $tree -ReportPath $report -Summary
        Test-Path -LiteralPath $report | Should -BeTrue
        (Get-Content -Raw -LiteralPath $report | ConvertFrom-Json).version | Should -Be '2.1.0'
        $summary.reportPath | Should -Be $report
    }

    It 'saves a baseline and reports drift against it' {
        $baseline = Join-Path $root 'links.baseline.json'
        Invoke-LinkAudit -Path $tree -SaveBaseline $baseline -Summary | Out-Null
        Test-Path -LiteralPath $baseline | Should -BeTrue
        Push-Location -LiteralPath $tree
        New-Link -Path 'added' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        Pop-Location
        $drift = @(Invoke-LinkAudit -Path $tree -Baseline $baseline | Where-Object { $_.PSObject.TypeNames[0] -eq 'LinkTools.Drift' })
        $drift.Count | Should -Be 1
        $drift[0].change | Should -Be 'added'
        $drift[0].path | Should -Be (Join-Path $tree 'added')
    }

    It 'reports a bad baseline with the engine code' {
        $bad = Join-Path $root 'bad.json'
        Set-Content -LiteralPath $bad -Value 'not json'
        Invoke-LinkAudit -Path $tree -Baseline $bad -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_BAD_BASELINE,Invoke-LinkAudit'
        $LASTEXITCODE | Should -Be 2
    }
}

Describe 'Invoke-LinkAudit -Manifest and CSV byte-order mark (real engine)' {
    BeforeEach {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $tree = Join-Path $root 'tree'
        New-Item -ItemType Directory -Path (Join-Path $tree 'releases/v1'), (Join-Path $tree 'releases/v2') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $tree 'releases/v2/x') -Value '2'
        Set-Content -LiteralPath (Join-Path $tree 'real.txt') -Value 'R'
        Push-Location -LiteralPath $tree
        New-Link -Path 'current' -Target 'releases/v1' -ItemType SymbolicLink -TargetType Directory | Out-Null
        Pop-Location
    }
    AfterEach { $global:LASTEXITCODE = 0 }

    It 'reports drift from a <Kind> manifest as manifest-drift findings and changes nothing' -ForEach @(@{ Kind = 'json' }, @{ Kind = 'psd1' }) {
        $manifest = Join-Path $tree "links.$Kind"
        if ($Kind -eq 'json') {
            Set-Content -LiteralPath $manifest -Value '{"links":[{"path":"current","target":"releases/v2","kind":"symlink"},{"path":"missing","target":"releases/v2","kind":"symlink"},{"path":"real.txt","target":"releases/v2","kind":"symlink"}]}'
        } else {
            Set-Content -LiteralPath $manifest -Value "@{ Links = @( @{ Path = 'current'; Target = 'releases/v2'; Kind = 'SymbolicLink' }, @{ Path = 'missing'; Target = 'releases/v2'; Kind = 'SymbolicLink' }, @{ Path = 'real.txt'; Target = 'releases/v2'; Kind = 'SymbolicLink' } ) }"
        }
        $tempBefore = @(Get-ChildItem -LiteralPath ([System.IO.Path]::GetTempPath()) -Filter 'linktools-manifest-*').Count
        $drift = @(Invoke-LinkAudit -Path $tree -Manifest $manifest -Rule manifest-drift -FailOn Warning)
        $LASTEXITCODE | Should -Be 1
        @($drift | ForEach-Object { '{0}={1}' -f (Split-Path -Leaf $_.Path), $_.Details.operation } | Sort-Object) -join ',' | Should -Be 'current=retarget,missing=create,real.txt=blocked'
        (Get-Item -LiteralPath (Join-Path $tree 'current')).LinkTarget | Should -Be 'releases/v1'
        Test-Path -LiteralPath (Join-Path $tree 'missing') | Should -BeFalse
        Get-Content -Raw -LiteralPath (Join-Path $tree 'real.txt') | Should -Be "R$([Environment]::NewLine)"
        # The .psd1 is handed to the engine through a temporary JSON file that does not stay behind.
        @(Get-ChildItem -LiteralPath ([System.IO.Path]::GetTempPath()) -Filter 'linktools-manifest-*').Count | Should -Be $tempBefore
    }

    It 'reports an unreadable manifest as LT_BAD_MANIFEST' {
        $bad = Join-Path $tree 'bad.json'
        Set-Content -LiteralPath $bad -Value 'not json'
        Invoke-LinkAudit -Path $tree -Manifest $bad -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_BAD_MANIFEST,Invoke-LinkAudit'
        $LASTEXITCODE | Should -Be 2
    }

    It 'writes a CSV report with a UTF-8 byte-order mark, and without one under -NoByteOrderMark' {
        $with = Join-Path $root 'with.csv'
        $without = Join-Path $root 'without.csv'
        Invoke-LinkAudit -Path $tree -ReportPath $with -Summary | Out-Null
        Invoke-LinkAudit -Path $tree -ReportPath $without -NoByteOrderMark -Summary | Out-Null
        $a = [System.IO.File]::ReadAllBytes($with)
        $b = [System.IO.File]::ReadAllBytes($without)
        @($a[0..2]) -join ',' | Should -Be '239,187,191'
        $b[0] | Should -Not -Be 239
        # Same content apart from the mark.
        [System.Text.Encoding]::UTF8.GetString($a, 3, $a.Length - 3).Split("`n")[0] | Should -Be ([System.Text.Encoding]::UTF8.GetString($b).Split("`n")[0])
    }

    It 'refuses -NoByteOrderMark without a CSV report, and writes nothing' {
        $md = Join-Path $root 'r.md'
        { Invoke-LinkAudit -Path $tree -ReportPath $md -NoByteOrderMark } | Should -Throw -ErrorId 'LT_INVALID_ARGUMENT,Invoke-LinkAudit'
        { Invoke-LinkAudit -Path $tree -NoByteOrderMark } | Should -Throw -ErrorId 'LT_INVALID_ARGUMENT,Invoke-LinkAudit'
        Test-Path -LiteralPath $md | Should -BeFalse
    }
}

Describe 'Invoke-LinkAudit arguments and streaming (fake engine)' {
    BeforeEach {
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
    }
    AfterEach { Use-LinkTestEngine; $global:LASTEXITCODE = 0 }

    It 'maps its parameters to audit options' {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        Invoke-LinkAudit -Path $dir -Depth 0 -Rule 'broken-target', 'link-loop' -ExcludeRule 'absolute-target' -FailOn Error `
            -SymlinkEvaluation L2L, R2R -ConfigPath 'cfg.json' -Baseline 'base.json' -SaveBaseline 'new.json' -ReportPath 'out/report.md' | Out-Null
        $argv = @((Get-FakeEngineLog -Log $fake.Log)[0].args | Where-Object { $_ -ne '--progress' }) -join ' '
        $here = (Get-Location).ProviderPath
        $argv | Should -Be ("audit {4} --errors-inline --max-depth=1 --rule=broken-target --rule=link-loop --disable-rule=absolute-target --fail-on=error --remote-policy=L2L,R2R --config={0} --baseline={1} --save-baseline={2} --out={3} --format=markdown" -f `
                (Join-Path $here 'cfg.json'), (Join-Path $here 'base.json'), (Join-Path $here 'new.json'), (Join-Path $here 'out/report.md'), $dir)
    }

    It 'infers the report format from <Name>' -ForEach @(
        @{ Name = 'r.html'; Format = 'html' }, @{ Name = 'r.htm'; Format = 'html' }, @{ Name = 'r.json'; Format = 'json' }
        @{ Name = 'r.csv'; Format = 'csv' }, @{ Name = 'r.md'; Format = 'markdown' }, @{ Name = 'r.sarif'; Format = 'sarif' }, @{ Name = 'r.sarif.json'; Format = 'sarif' }
    ) {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        Invoke-LinkAudit -Path $dir -ReportPath (Join-Path $dir $Name) | Out-Null
        $argv = @((Get-FakeEngineLog -Log $fake.Log)[0].args)
        $argv | Should -Contain "--format=$Format"
    }

    It 'refuses a report path whose format it cannot tell, before starting the engine' {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        { Invoke-LinkAudit -Path $dir -ReportPath (Join-Path $dir 'report.txt') } | Should -Throw -ErrorId 'LT_INVALID_ARGUMENT,Invoke-LinkAudit'
        Get-FakeEngineLog -Log $fake.Log | Should -HaveCount 0
        Invoke-LinkAudit -Path $dir -ReportPath (Join-Path $dir 'report.txt') -ReportFormat Csv | Out-Null
        @((Get-FakeEngineLog -Log $fake.Log)[0].args) | Should -Contain '--format=csv'
    }

    It 'streams findings and drift, shows progress, and sets LASTEXITCODE from the engine' {
        $stdout = Join-Path $dir 'out.ndjson'
        $stderr = Join-Path $dir 'err.ndjson'
        @(
            '{"recordType":"finding","schemaVersion":"1.0","rule":"broken-target","severity":"error","path":"/r/a","message":"gone","details":{}}'
            '{"recordType":"drift","schemaVersion":"1.0","change":"retargeted","path":"/r/b","before":{"kind":"symlink","target":"x"},"after":{"kind":"symlink","target":"y"}}'
            '{"recordType":"auditSummary","schemaVersion":"1.0","roots":["/r"],"entries":3,"links":2,"byKind":{},"byRule":{},"bySeverity":{"info":0,"warning":0,"error":1},"findings":1,"drift":1,"exitCode":1,"reportPath":null,"durationMs":4}'
        ) | Set-Content -LiteralPath $stdout
        '{"recordType":"progress","schemaVersion":"1.0","phase":"audit","entries":3,"links":2,"currentDir":"/r","rate":10,"elapsedMs":5}' | Set-Content -LiteralPath $stderr
        $fake = New-FakeEngine -Directory $dir -Environment @{ FAKE_LT_STDOUT = $stdout; FAKE_LT_STDERR = $stderr; FAKE_LT_EXIT = '1' }
        $env:LINKTOOLS_ENGINE = $fake.Path
        Mock -ModuleName LinkTools -CommandName Write-Progress { }
        $out = @(Invoke-LinkAudit -Path $dir)
        $out.Count | Should -Be 2
        $out[0].PSObject.TypeNames[0] | Should -Be 'LinkTools.Finding'
        $out[1].PSObject.TypeNames[0] | Should -Be 'LinkTools.Drift'
        ($out[1] | Format-Table | Out-String -Width 200) | Should -Match 'retargeted\s+/r/b\s+symlink -> x\s+symlink -> y'
        $LASTEXITCODE | Should -Be 1
        Should -Invoke -ModuleName LinkTools -CommandName Write-Progress -ParameterFilter { $Activity -eq 'Auditing links' -and $Status -like 'audit: 3 entries, 2 links*' }
        $global:LASTEXITCODE = 0
        $summary = Invoke-LinkAudit -Path $dir -Summary
        $summary.PSObject.TypeNames[0] | Should -Be 'LinkTools.AuditSummary'
        $LASTEXITCODE | Should -Be 1
    }
}
