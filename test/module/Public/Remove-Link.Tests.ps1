BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'Remove-Link' {
    BeforeEach {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path (Join-Path $root 'dir/sub') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $root 'dir/a.txt') -Value 'a'
        Set-Content -LiteralPath (Join-Path $root 'dir/sub/b.txt') -Value 'b'
        Set-Content -LiteralPath (Join-Path $root 'file.txt') -Value 'data'
        Push-Location -LiteralPath $root
        New-Link -Path 'to-dir' -Target 'dir' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'to-file' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
    }
    AfterEach { Pop-Location; Use-LinkTestEngine }

    It 'removes a link to a folder and never touches the folder''s contents' {
        Remove-Link -Path 'to-dir' | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path $root 'to-dir') | Should -BeFalse
        Get-Content -LiteralPath (Join-Path $root 'dir/a.txt') | Should -Be 'a'
        Get-Content -LiteralPath (Join-Path $root 'dir/sub/b.txt') | Should -Be 'b'
    }

    It 'removes a link given with a trailing separator, not the folder behind it' {
        Remove-Link -Path 'to-dir/'
        Test-Path -LiteralPath (Join-Path $root 'to-dir') | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $root 'dir/sub/b.txt') | Should -BeTrue
    }

    It '-PassThru returns a LinkTools.LinkRemoved' {
        $removed = Remove-Link -Path 'to-file' -PassThru
        $removed.PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkRemoved'
        $removed.kind | Should -Be 'symlink'
        $removed.target | Should -Be 'file.txt'
        Get-Content -LiteralPath (Join-Path $root 'file.txt') | Should -Be 'data'
    }

    It 'refuses a plain file with LT_NOT_A_LINK and leaves it' {
        Remove-Link -Path 'file.txt' -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_NOT_A_LINK,Remove-Link'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidType'
        $err[0].TargetObject | Should -Be (Join-Path $root 'file.txt')
        Get-Content -LiteralPath (Join-Path $root 'file.txt') | Should -Be 'data'
    }

    It 'refuses a plain folder with LT_NOT_A_LINK and goes on with the next path' {
        Remove-Link -Path 'dir', 'to-file' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_NOT_A_LINK,Remove-Link'
        Test-Path -LiteralPath (Join-Path $root 'dir/sub/b.txt') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $root 'to-file') | Should -BeFalse
    }

    It 'reports LT_NOT_FOUND for a missing path' {
        Remove-Link -Path 'gone' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_NOT_FOUND,Remove-Link'
    }

    It 'removes one name of a hard link and keeps the data under the other' {
        New-Link -Path 'hard' -Target 'file.txt' -ItemType HardLink | Out-Null
        $removed = Remove-Link -Path 'hard' -PassThru
        $removed.kind | Should -Be 'hardlink'
        $removed.remainingLinkCount | Should -Be 1
        Get-Content -LiteralPath (Join-Path $root 'file.txt') | Should -Be 'data'
    }

    It '-WhatIf removes nothing and never starts the engine' {
        $fake = New-FakeEngine -Directory (Join-Path $root 'fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        Remove-Link -Path 'to-dir', 'to-file' -WhatIf
        Test-Path -LiteralPath (Join-Path $root 'to-dir') | Should -BeTrue
        Get-FakeEngineLog -Log $fake.Log | Should -HaveCount 0
        Remove-Link -Path 'to-dir'    # without -WhatIf the fake engine is reached
        Get-FakeEngineLog -Log $fake.Log | Should -HaveCount 2
    }

    It 'removes nothing past a failing path under -ErrorAction Stop, however long the pipeline' {
        $names = 1..40 | ForEach-Object { "l$_" }
        foreach ($n in $names) { New-Link -Path $n -Target 'file.txt' -ItemType SymbolicLink | Out-Null }
        $names[19] = 'file.txt'   # a plain file: LT_NOT_A_LINK
        { $names | Remove-Link -ErrorAction Stop } | Should -Throw -ErrorId 'LT_NOT_A_LINK,Remove-Link'
        foreach ($i in 0..18) { Test-Path -LiteralPath (Join-Path $root $names[$i]) | Should -BeFalse }
        foreach ($i in 20..39) { Test-Path -LiteralPath (Join-Path $root $names[$i]) | Should -BeTrue }
    }

    It 'takes the output of Get-LinkInfo and Get-ChildItem from the pipeline' {
        Get-LinkInfo -Path 'to-file' | Remove-Link
        Test-Path -LiteralPath (Join-Path $root 'to-file') | Should -BeFalse
        Get-ChildItem -LiteralPath $root -Filter 'to-*' | Remove-Link
        Test-Path -LiteralPath (Join-Path $root 'to-dir') | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $root 'dir/a.txt') | Should -BeTrue
    }
}
