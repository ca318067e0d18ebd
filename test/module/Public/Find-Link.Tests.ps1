BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'Find-Link against the engine' {
    BeforeAll {
        $root = Join-Path $TestDrive 'find'
        New-Item -ItemType Directory -Path (Join-Path $root 'a/b/c') -Force | Out-Null
        New-Item -ItemType Directory -Path (Join-Path $root 'node_modules') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $root 'file.txt') -Value 'data'
        Push-Location -LiteralPath $root
        New-Link -Path 'top' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'a/one' -Target '../file.txt' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'a/b/two' -Target '../../file.txt' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'a/b/c/three' -Target 'nowhere' -ItemType SymbolicLink -TargetType File | Out-Null
        New-Link -Path 'node_modules/dep' -Target '../a' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'a/hard' -Target 'file.txt' -ItemType HardLink | Out-Null
        Pop-Location
    }
    BeforeEach { Push-Location -LiteralPath $root }
    AfterEach { Pop-Location; Use-LinkTestEngine }

    It 'lists the links among the root''s children by default' {
        $found = @(Find-Link -Path $root -ItemType SymbolicLink)
        ($found | ForEach-Object Name | Sort-Object) -join ',' | Should -Be 'top'
        $found[0].PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkInfo'
    }

    It 'defaults to the current location' {
        (@(Find-Link -ItemType SymbolicLink) | ForEach-Object Name) -join ',' | Should -Be 'top'
    }

    It '-Recurse finds links at every depth without following them' {
        $found = @(Find-Link -Path $root -Recurse -ItemType SymbolicLink)
        ($found | ForEach-Object Name | Sort-Object) -join ',' | Should -Be 'dep,one,three,top,two'
    }

    It '-Depth limits the walk like Get-ChildItem -Depth' {
        (@(Find-Link -Path $root -Depth 1 -ItemType SymbolicLink) | ForEach-Object Name | Sort-Object) -join ',' | Should -Be 'dep,one,top'
    }

    It '-Exclude prunes folders and -ItemType filters kinds' {
        (@(Find-Link -Path $root -Recurse -Exclude 'node_modules' -ItemType SymbolicLink) | ForEach-Object Name | Sort-Object) -join ',' |
            Should -Be 'one,three,top,two'
        $hard = @(Find-Link -Path $root -Recurse -ItemType HardLink)
        ($hard | ForEach-Object Name | Sort-Object) -join ',' | Should -Be 'file.txt,hard'
        $hard | ForEach-Object kind | Sort-Object -Unique | Should -Be 'hardlink'
    }

    It 'gives the same links with the walk''s second thread ($env:LINKTOOLS_SCAN_THREADS = ''2'')' -Skip:(-not $IsLinux) {
        $one = @(Find-Link -Path $root -Recurse | ForEach-Object { '{0}|{1}|{2}' -f $_.Path, $_.Kind, $_.Target })
        $saved = $env:LINKTOOLS_SCAN_THREADS, $env:LINKTOOLS_SCAN_PREFETCH_AFTER
        try {
            # From the first folder, so this small tree is walked by the worker thread.
            $env:LINKTOOLS_SCAN_THREADS = '2'
            $env:LINKTOOLS_SCAN_PREFETCH_AFTER = '0'
            $two = @(Find-Link -Path $root -Recurse | ForEach-Object { '{0}|{1}|{2}' -f $_.Path, $_.Kind, $_.Target })
        } finally {
            $env:LINKTOOLS_SCAN_THREADS, $env:LINKTOOLS_SCAN_PREFETCH_AFTER = $saved
        }
        $one.Count | Should -Be 7
        $two | Should -Be $one
    }

    It 'writes the scan summary to the information stream' {
        Find-Link -Path $root -Recurse -InformationVariable info | Out-Null
        $summary = $info | Where-Object { $_.Tags -contains 'LinkTools.ScanSummary' } | Select-Object -First 1
        $summary | Should -Not -BeNullOrEmpty
        $summary.MessageData.links | Should -Be 7
        $summary.MessageData.PSObject.TypeNames[0] | Should -Be 'LinkTools.ScanSummary'
    }

    It 'uses one engine process for several roots from the pipeline' {
        $count = Join-Path $TestDrive 'find-starts.txt'
        $env:LINKTOOLS_ENGINE = New-CountingEngine -Directory (Join-Path $TestDrive 'find-wrap') -CountFile $count
        $found = @(Get-Item -LiteralPath (Join-Path $root 'a'), (Join-Path $root 'node_modules') | Find-Link -ItemType SymbolicLink)
        ($found | ForEach-Object Name | Sort-Object) -join ',' | Should -Be 'dep,one'
        Get-StartCount -CountFile $count | Should -Be 1
    }

    It 'feeds Remove-Link -WhatIf: broken links found, nothing removed' {
        $broken = @(Find-Link -Path $root -Recurse -Broken)
        $broken.Count | Should -Be 1
        $broken | Remove-Link -WhatIf
        Test-Path -LiteralPath (Join-Path $root 'a/b/c/three') | Should -BeTrue
    }

    It 'feeds Remove-Link: broken links found and removed, their neighbours kept' {
        $broken = @(Find-Link -Path $root -Recurse -Broken)
        $broken.Count | Should -Be 1
        $broken | Remove-Link -Confirm:$false
        Test-Path -LiteralPath (Join-Path $root 'a/b/c/three') | Should -BeFalse
        @(Find-Link -Path $root -Recurse -Broken).Count | Should -Be 0
        Test-Path -LiteralPath (Join-Path $root 'a/one') | Should -BeTrue
        Get-Content -LiteralPath (Join-Path $root 'file.txt') | Should -Be 'data'
        # put it back for the tests that follow (the tree is shared by this Describe)
        New-Link -Path 'a/b/c/three' -Target 'nowhere' -ItemType SymbolicLink -TargetType File | Out-Null
    }

    It 'reports a missing root as a non-terminating error with the engine code' {
        Find-Link -Path (Join-Path $root 'missing') -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_NOT_FOUND,Find-Link'
    }
}

Describe 'Find-Link arguments and streaming (fake engine)' {
    BeforeEach {
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
    }
    AfterEach { Use-LinkTestEngine }

    It 'maps <Call> to <Expected> (roots first, every option one --name=value word)' -ForEach @(
        @{ Call = '(none)'; Params = @{}; Expected = '--errors-inline --max-depth=1' }
        @{ Call = '-Recurse'; Params = @{ Recurse = $true }; Expected = '--errors-inline' }
        @{ Call = '-Depth 2'; Params = @{ Depth = 2 }; Expected = '--errors-inline --max-depth=3' }
        @{ Call = '-Broken'; Params = @{ Recurse = $true; Broken = $true }; Expected = '--errors-inline --kind=symlink --kind=junction' }
        @{ Call = 'filters'; Params = @{ Recurse = $true; Include = '**/*.lnk'; Exclude = 'node_modules', '-odd'; OneFileSystem = $true; ItemType = 'Junction', 'SymbolicLink' }
            Expected = '--errors-inline --include=**/*.lnk --exclude=node_modules --exclude=-odd --one-file-system --kind=junction --kind=symlink'
        }
    ) {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        Find-Link -Path $dir @Params | Out-Null
        # --progress depends on $ProgressPreference; it is checked in the streaming test.
        @((Get-FakeEngineLog -Log $fake.Log)[0].args | Where-Object { $_ -ne '--progress' }) -join ' ' | Should -Be "scan $dir $Expected"
    }

    It 'streams records, turns progress into Write-Progress and errors into ErrorRecords' {
        $stdout = Join-Path $dir 'out.ndjson'
        $stderr = Join-Path $dir 'err.ndjson'
        @(
            '{"recordType":"linkInfo","schemaVersion":"1.0","path":"/r/a","kind":"symlink","target":"x","targetExists":true}'
            '{"recordType":"error","schemaVersion":"1.0","code":"LT_ACCESS_DENIED","category":"PermissionDenied","message":"no","path":"/r/locked"}'
            '{"recordType":"linkInfo","schemaVersion":"1.0","path":"/r/b","kind":"junction","target":"y","targetExists":false}'
            '{"recordType":"scanSummary","schemaVersion":"1.0","roots":["/r"],"entries":9,"links":2,"byKind":{},"hardLinkGroups":0,"unreadable":1,"durationMs":3}'
        ) | Set-Content -LiteralPath $stdout
        '{"recordType":"progress","schemaVersion":"1.0","phase":"walk","entries":5,"links":1,"currentDir":"/r/sub","rate":100,"elapsedMs":50}' | Set-Content -LiteralPath $stderr
        $fake = New-FakeEngine -Directory $dir -Environment @{ FAKE_LT_STDOUT = $stdout; FAKE_LT_STDERR = $stderr }
        $env:LINKTOOLS_ENGINE = $fake.Path
        Mock -ModuleName LinkTools -CommandName Write-Progress { }
        $found = @(Find-Link -Path $dir -Recurse -ErrorVariable err -ErrorAction SilentlyContinue -InformationVariable info)
        $found.Count | Should -Be 2
        $found[1].Kind | Should -BeExactly 'junction'
        $found[1].PSObject.Properties.Name | Should -Contain 'TargetExists'
        ($found[1].PSObject.Properties.Name -ccontains 'targetExists') | Should -BeFalse -Because 'the names are PascalCase'
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_ACCESS_DENIED,Find-Link'
        $err[0].TargetObject | Should -Be '/r/locked'
        ($info | Where-Object { $_.Tags -contains 'LinkTools.ScanSummary' }).MessageData.unreadable | Should -Be 1
        Should -Invoke -ModuleName LinkTools -CommandName Write-Progress -ParameterFilter { $Status -like 'walk: 5 entries, 1 links*' -and $CurrentOperation -eq '/r/sub' }
        @((Get-FakeEngineLog -Log $fake.Log)[0].args) | Should -Contain '--progress'
    }
}
