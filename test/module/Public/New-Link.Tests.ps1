BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'New-Link' {
    BeforeEach {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path (Join-Path $root 'dir') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $root 'dir/inside.txt') -Value 'inside'
        Set-Content -LiteralPath (Join-Path $root 'file.txt') -Value 'data'
        Push-Location -LiteralPath $root
    }
    AfterEach { Pop-Location; Use-LinkTestEngine }

    It 'creates a relative symbolic link to a file and stores the target as given' {
        $link = New-Link -Path 'rel-file' -Target 'file.txt' -ItemType SymbolicLink
        $link.PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkInfo'
        $link.kind | Should -Be 'symlink'
        $link.target | Should -Be 'file.txt'
        $link.isRelative | Should -BeTrue
        $link.targetExists | Should -BeTrue
        $link.path | Should -Be (Join-Path $root 'rel-file')
        (Get-Item -LiteralPath (Join-Path $root 'rel-file')).LinkType | Should -Be 'SymbolicLink'
        Get-Content -LiteralPath (Join-Path $root 'rel-file') | Should -Be 'data'
    }

    It 'creates an absolute symbolic link to a directory' {
        $target = Join-Path $root 'dir'
        $link = New-Link -Path (Join-Path $root 'abs-dir') -Target $target -ItemType SymbolicLink
        $link.kind | Should -Be 'symlink'
        $link.targetType | Should -Be 'directory'
        $link.isRelative | Should -BeFalse
        $link.target | Should -Be $target
        Test-Path -LiteralPath (Join-Path $root 'abs-dir/inside.txt') | Should -BeTrue
    }

    It 'creates a relative symbolic link to a directory' {
        $link = New-Link 'rel-dir' 'dir' -ItemType SymbolicLink
        $link.targetType | Should -Be 'directory'
        $link.target | Should -Be 'dir'
    }

    It 'resolves -Path against the PowerShell location, not the process working directory' {
        [System.Environment]::CurrentDirectory | Should -Not -Be $root
        New-Link -Path 'here' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        Test-Path -LiteralPath (Join-Path $root 'here') | Should -BeTrue
    }

    It 'accepts a PowerShell drive path' {
        $leaf = Split-Path -Leaf $root
        $link = New-Link -Path "TestDrive:/$leaf/on-drive" -Target 'file.txt' -ItemType SymbolicLink
        $link.path | Should -Be (Join-Path $root 'on-drive')
    }

    It 'creates a hard link' {
        $link = New-Link -Path 'hard' -Target 'file.txt' -ItemType HardLink
        $link.kind | Should -Be 'hardlink'
        $link.linkCount | Should -Be 2
        Get-Content -LiteralPath (Join-Path $root 'hard') | Should -Be 'data'
    }

    It 'asks for -TargetType when the target does not exist' {
        $result = New-Link -Path 'dangling' -Target 'missing' -ItemType SymbolicLink -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_TARGET_TYPE_REQUIRED,New-Link'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $link = New-Link -Path 'dangling' -Target 'missing' -ItemType SymbolicLink -TargetType Directory
        $link.targetExists | Should -BeFalse
    }

    It 'reports LT_UNSUPPORTED_KIND for a junction on a POSIX file system' -Skip:$OnWindows {
        New-Link -Path 'junction' -Target 'dir' -ItemType Junction -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_UNSUPPORTED_KIND,New-Link'
        $err[0].CategoryInfo.Category | Should -Be 'NotImplemented'
        $err[0].TargetObject | Should -Be (Join-Path $root 'junction')
        Test-Path -LiteralPath (Join-Path $root 'junction') | Should -BeFalse
    }

    It 'refuses an existing link without -Force (LT_EXISTS)' {
        New-Link -Path 'l' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'l' -Target 'dir' -ItemType SymbolicLink -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_EXISTS,New-Link'
        (Get-LinkInfo -Path 'l').target | Should -Be 'file.txt'
    }

    It '-Force replaces an existing link' {
        New-Link -Path 'l' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        $link = New-Link -Path 'l' -Target 'dir' -ItemType SymbolicLink -Force
        $link.target | Should -Be 'dir'
        (Get-LinkInfo -Path 'l').target | Should -Be 'dir'
    }

    It '-Force refuses to replace a real file and leaves it intact' {
        Set-Content -LiteralPath (Join-Path $root 'real.txt') -Value 'keep me'
        New-Link -Path 'real.txt' -Target 'file.txt' -ItemType SymbolicLink -Force -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_EXISTS,New-Link'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-Content -LiteralPath (Join-Path $root 'real.txt') | Should -Be 'keep me'
        (Get-Item -LiteralPath (Join-Path $root 'real.txt')).LinkType | Should -BeNullOrEmpty
    }

    It '-Force refuses to replace a real directory and leaves its files' {
        New-Link -Path 'dir' -Target 'file.txt' -ItemType SymbolicLink -Force -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_EXISTS,New-Link'
        Test-Path -LiteralPath (Join-Path $root 'dir/inside.txt') | Should -BeTrue
    }

    It 'makes an ErrorAction Stop error terminating with the same id' {
        { New-Link -Path 'x' -Target 'missing' -ItemType SymbolicLink -ErrorAction Stop } |
            Should -Throw -ErrorId 'LT_TARGET_TYPE_REQUIRED,New-Link'
    }

    It '-WhatIf creates nothing and never starts the engine' {
        $fake = New-FakeEngine -Directory (Join-Path $root 'fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        New-Link -Path 'w' -Target 'file.txt' -ItemType SymbolicLink -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path $root 'w') | Should -BeFalse
        Get-FakeEngineLog -Log $fake.Log | Should -HaveCount 0
        # The same call without -WhatIf does reach this engine (so the log above proves something).
        New-Link -Path 'w' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        Get-FakeEngineLog -Log $fake.Log | Should -HaveCount 2
    }

    It 'creates links from piped objects with one engine process' {
        $count = Join-Path $root 'starts.txt'
        $env:LINKTOOLS_ENGINE = New-CountingEngine -Directory (Join-Path $root 'wrap') -CountFile $count
        $rows = @(
            [pscustomobject]@{ Path = 'p1'; Target = 'file.txt'; ItemType = 'SymbolicLink' }
            [pscustomobject]@{ Path = 'p2'; Target = 'dir'; ItemType = 'SymbolicLink' }
            [pscustomobject]@{ Path = 'p3'; Target = 'file.txt'; ItemType = 'HardLink' }
        )
        $links = $rows | New-Link
        $links | Should -HaveCount 3
        ($links | ForEach-Object kind) -join ',' | Should -Be 'symlink,symlink,hardlink'
        Get-StartCount -CountFile $count | Should -Be 1
    }

    It 'sends the request the contract describes' {
        $fake = New-FakeEngine -Directory (Join-Path $root 'fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        $out = New-Link -Path 'n' -Target 'somewhere' -ItemType SymbolicLink -TargetType File -Force
        $log = Get-FakeEngineLog -Log $fake.Log
        @($log[0].args) -join ' ' | Should -Be 'serve --errors-inline'
        $req = $log[1].request
        $req.op | Should -Be 'create'
        $req.link | Should -Be (Join-Path $root 'n')
        $req.target | Should -Be 'somewhere'
        $req.kind | Should -Be 'symlink'
        $req.targetType | Should -Be 'file'
        $req.force | Should -BeTrue
        $out.PSObject.Properties['requestId'] | Should -BeNullOrEmpty
    }

    It 'sends targets with quotes, backslashes, control and non-ASCII characters unchanged' {
        $fake = New-FakeEngine -Directory (Join-Path $root 'fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        $odd = @('a"b\c', "tab`there", "nl`nand$([char]1)ctl", 'ünïcødé €', 'back\')
        $odd | ForEach-Object { [pscustomobject]@{ Path = 'odd'; Target = $_; ItemType = 'SymbolicLink' } } | New-Link -TargetType File | Out-Null
        $requests = @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['request'] })
        @($requests | ForEach-Object { $_.request.target }) | Should -Be $odd
    }

    It 'creates nothing past a failing link under -ErrorAction Stop, however long the pipeline' {
        $rows = 1..40 | ForEach-Object { [pscustomobject]@{ Path = "n$_"; Target = 'file.txt'; ItemType = 'SymbolicLink' } }
        $rows[19].Path = 'file.txt'   # exists: LT_EXISTS
        { $rows | New-Link -ErrorAction Stop } | Should -Throw -ErrorId 'LT_EXISTS,New-Link'
        foreach ($i in 0..18) { Test-Path -LiteralPath (Join-Path $root $rows[$i].Path) | Should -BeTrue }
        foreach ($i in 20..39) { Test-Path -LiteralPath (Join-Path $root $rows[$i].Path) | Should -BeFalse }
    }

    It 'resolves a hard link target against the PowerShell location' {
        $fake = New-FakeEngine -Directory (Join-Path $root 'fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        New-Link -Path 'h' -Target 'file.txt' -ItemType HardLink | Out-Null
        (Get-FakeEngineLog -Log $fake.Log)[1].request.target | Should -Be (Join-Path $root 'file.txt')
    }
}
