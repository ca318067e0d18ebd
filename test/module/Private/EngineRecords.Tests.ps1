BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    $moduleFiles = @(Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'module') -Recurse -Include '*.ps1', '*.psm1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'Module error ids come from the engine registry' {
    It 'the generated files are what engine/src/errors.ts and the schemas generate' {
        Push-Location -LiteralPath $RepoRoot
        try { $out = & node build/gen-module.mjs --check 2>&1 } finally { Pop-Location }
        $LASTEXITCODE | Should -Be 0 -Because ($out | Out-String)
    }

    It 'every LT_ id raised in <_.Name> is in the registry' -ForEach $moduleFiles {
        $text = Get-Content -Raw -LiteralPath $_.FullName
        $ids = @([regex]::Matches($text, "-ErrorId\s+'(LT_[A-Z_]+)'") | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique)
        $known = InModuleScope LinkTools { $script:LinkErrorCategory }
        foreach ($id in $ids) { $known.ContainsKey($id) | Should -BeTrue -Because "$id is raised in $($_.Name)" }
    }

    It 'gives a module error the one category of its id, whatever the caller says' {
        $r = InModuleScope LinkTools { New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -Category OpenError -Message 'm' }
        $r.CategoryInfo.Category | Should -Be 'InvalidResult'
        $r.FullyQualifiedErrorId | Should -BeExactly 'LT_ENGINE_FAILED'
        $r.Exception.Data['LinkToolsCode'] | Should -Be 'LT_ENGINE_FAILED'
    }

    It 'raises LT_ENGINE_FAILED under one category when the engine cannot start, crashes, or writes junk' {
        $dir = Join-Path $TestDrive 'failures'
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
        $categories = @()
        try {
            # Cannot start: a file that is executable but no program.
            $junkExe = Join-Path $dir 'not-a-program'
            [System.IO.File]::WriteAllBytes($junkExe, [byte[]](0, 1, 2, 3))
            if (-not $OnWindows) { & chmod +x $junkExe }
            $env:LINKTOOLS_ENGINE = $junkExe
            try { Get-LinkInfo -Path $dir; throw 'no error' } catch { $_.FullyQualifiedErrorId | Should -BeExactly 'LT_ENGINE_FAILED,Get-LinkInfo'; $categories += [string]$_.CategoryInfo.Category }
            # Crashes before answering.
            $env:LINKTOOLS_ENGINE = (New-FakeEngine -Directory (Join-Path $dir 'crash') -Environment @{ FAKE_LT_CRASH = 'boom' }).Path
            try { Get-LinkInfo -Path $dir; throw 'no error' } catch { $_.FullyQualifiedErrorId | Should -BeExactly 'LT_ENGINE_FAILED,Get-LinkInfo'; $categories += [string]$_.CategoryInfo.Category }
            # Writes something that is not a record.
            $stdout = Join-Path $dir 'out.txt'
            'not json' | Set-Content -LiteralPath $stdout
            $env:LINKTOOLS_ENGINE = (New-FakeEngine -Directory (Join-Path $dir 'junk') -Environment @{ FAKE_LT_STDOUT = $stdout }).Path
            try { Find-Link -Path $dir; throw 'no error' } catch { $_.FullyQualifiedErrorId | Should -BeExactly 'LT_ENGINE_FAILED,Find-Link'; $categories += [string]$_.CategoryInfo.Category }
        } finally { Use-LinkTestEngine }
        $categories | Should -Be @('InvalidResult', 'InvalidResult', 'InvalidResult')
    }
}

Describe 'Link kinds come from the schema' {
    It 'the -ItemType names of <_> are the generated link kinds' -ForEach @('Find-Link', 'Invoke-LinkAudit') {
        $set = (Get-Command -Name $_).Parameters['ItemType'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        $generated = InModuleScope LinkTools { @($script:LinkKindByItemType.Keys) }
        @($set.ValidValues) -join ',' | Should -Be ($generated -join ',')
    }

    It 'every kind New-Link can create is a generated link kind' {
        $set = (Get-Command -Name New-Link).Parameters['ItemType'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        $generated = InModuleScope LinkTools { @($script:LinkKindByItemType.Keys) }
        foreach ($v in $set.ValidValues) { $generated | Should -Contain $v }
    }
}

Describe 'Answers -> objects' {
    It 'drops requestId and hands each result to ConvertTo-LinkObject; an error becomes an ErrorRecord for its target' {
        $fake = New-FakeEngine -Directory (Join-Path $TestDrive 'answers')
        $env:LINKTOOLS_ENGINE = $fake.Path
        try {
            $out = @(Get-LinkInfo -Path 'one', 'two')
            $out | Should -HaveCount 2
            foreach ($o in $out) {
                $o.PSObject.Properties['requestId'] | Should -BeNullOrEmpty
                $o.PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkInfo'
            }
        } finally { Use-LinkTestEngine }
        $missing = Join-Path $TestDrive 'no-such-entry'
        Get-LinkInfo -LiteralPath $missing -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_NOT_FOUND,Get-LinkInfo'
        $err[0].TargetObject | Should -Be $missing
        Test-Link -LiteralPath $missing | Should -BeFalse
    }
}
