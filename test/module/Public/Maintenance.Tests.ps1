# Set-LinkTarget, Move-Link, Test-LinkState, Set-LinkState and Undo-LinkChange against the real
# engine, asserting on what the file system holds (link text, resolved targets, file contents).
BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
    function Get-LinkText([string] $p) { [System.IO.File]::ResolveLinkTarget($p, $false) | Out-Null; (Get-Item -LiteralPath $p -Force).LinkTarget }
}

Describe 'Link maintenance cmdlets' -Skip:$OnWindows {
    BeforeEach {
        $root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        foreach ($d in 'old/data', 'new/data', 'links/deep', 'releases/v1', 'releases/v2', 'archive') { New-Item -ItemType Directory -Path (Join-Path $root $d) -Force | Out-Null }
        Set-Content -LiteralPath (Join-Path $root 'new/data/a.txt') -Value 'new a'
        Set-Content -LiteralPath (Join-Path $root 'old/data/a.txt') -Value 'old a'
        Push-Location -LiteralPath $root
        New-Item -ItemType SymbolicLink -Path (Join-Path $root 'links/a') -Target (Join-Path $root 'old/data/a.txt') | Out-Null
        New-Item -ItemType SymbolicLink -Path (Join-Path $root 'links/deep/d') -Target (Join-Path $root 'old/data') | Out-Null
        $oldRoot = Join-Path $root 'old'
        $newRoot = Join-Path $root 'new'
    }
    AfterEach { Pop-Location }

    It 'Set-LinkTarget -Replace -WhatIf shows old -> new per link and changes nothing' {
        $out = Set-LinkTarget -Path ./links -Recurse -Replace $oldRoot, $newRoot -WhatIf 6>&1 4>&1 | Out-String
        (Get-Item ./links/a).LinkTarget | Should -Be (Join-Path $oldRoot 'data/a.txt')
        $out | Should -Not -Match 'LinkTools.Change'
    }

    It 'Set-LinkTarget -Replace rebases every link, writes a journal, and Undo-LinkChange puts them back' {
        $changes = @(Set-LinkTarget -Path ./links -Recurse -Replace $oldRoot, $newRoot -JournalPath ./j.jnl -Confirm:$false)
        $changes.Count | Should -Be 2
        $changes[0].PSObject.TypeNames[0] | Should -Be 'LinkTools.Change'
        (Get-Item ./links/a).LinkTarget | Should -Be (Join-Path $newRoot 'data/a.txt')
        Get-Content ./links/a | Should -Be 'new a'
        (Get-Item ./links/deep/d).LinkTarget | Should -Be (Join-Path $newRoot 'data')
        Test-Path ./j.jnl | Should -BeTrue
        $undone = @(Undo-LinkChange -JournalPath ./j.jnl -Confirm:$false)
        $undone.Count | Should -Be 2
        (Get-Item ./links/a).LinkTarget | Should -Be (Join-Path $oldRoot 'data/a.txt')
        Get-Content ./links/a | Should -Be 'old a'
    }

    It 'a caller''s -WhatIf reaches Set-LinkTarget through a function' {
        function Invoke-Rebase { [CmdletBinding(SupportsShouldProcess)] param() Set-LinkTarget -Path ./links -Recurse -Replace $oldRoot, $newRoot }
        Invoke-Rebase -WhatIf
        (Get-Item ./links/a).LinkTarget | Should -Be (Join-Path $oldRoot 'data/a.txt')
    }

    It 'Set-LinkTarget -Relative makes inside links relative and keeps them working' {
        New-Item -ItemType SymbolicLink -Path ./releases/v2/current-a -Target (Join-Path $root 'new/data/a.txt') | Out-Null
        Set-LinkTarget -Path . -Recurse -Relative -Confirm:$false | Out-Null
        (Get-Item ./releases/v2/current-a).LinkTarget | Should -Be '../../new/data/a.txt'
        Get-Content ./releases/v2/current-a | Should -Be 'new a'
    }

    It 'Set-LinkTarget refuses a real file with LT_NOT_A_LINK and an odd -Replace list with LT_INVALID_ARGUMENT' {
        { Set-LinkTarget -Path ./new/data/a.txt -Target x -ErrorAction Stop } | Should -Throw -ErrorId 'LT_NOT_A_LINK,Set-LinkTarget'
        { Set-LinkTarget -Path ./links -Recurse -Replace 'only-one' -ErrorAction Stop } | Should -Throw -ErrorId 'LT_INVALID_ARGUMENT,Set-LinkTarget'
        Get-Content ./new/data/a.txt | Should -Be 'new a'
    }

    It 'Move-Link moves the link, rebases a relative target, never moves the target''s contents' {
        New-Item -ItemType SymbolicLink -Path ./links/rel -Target '../new/data' | Out-Null
        $c = Move-Link -Path ./links/rel -Destination ./archive -Confirm:$false
        $c.Operation | Should -Be 'move'
        Test-Path ./links/rel | Should -BeFalse
        (Get-Item ./archive/rel).LinkTarget | Should -Be '../new/data'
        (Get-ChildItem ./new/data).Name | Should -Be 'a.txt'
        Move-Link -Path ./archive/rel -Destination ./archive/deeper-rel -WhatIf
        Test-Path ./archive/deeper-rel | Should -BeFalse
    }

    It 'Test-LinkState / Set-LinkState enforce a .psd1 manifest; the second run changes nothing' {
        Set-Content -LiteralPath ./links.psd1 -Value "@{ Links = @( @{ Path = 'current'; Target = 'releases/v2'; Kind = 'symlink' }, @{ Path = 'archive/a'; Target = '../new/data/a.txt'; Kind = 'SymLink'; TargetType = 'file' } ) }"
        Test-LinkState -Manifest ./links.psd1 | Should -BeFalse
        @(Test-LinkState -Manifest ./links.psd1 -Detailed).Operation | Should -Be @('create', 'create')
        $made = @(Set-LinkState -Manifest ./links.psd1 -Confirm:$false)
        $made.Count | Should -Be 2
        (Get-Item ./current).LinkTarget | Should -Be 'releases/v2'
        Get-Content ./archive/a | Should -Be 'new a'
        Test-LinkState -Manifest ./links.psd1 | Should -BeTrue
        @(Set-LinkState -Manifest ./links.psd1 -Confirm:$false).Count | Should -Be 0
    }

    It 'Set-LinkState never replaces a real file (LT_EXISTS) and still makes the other links' {
        Set-Content -LiteralPath ./real.txt -Value 'REAL'
        Set-Content -LiteralPath ./m.json -Value '{"links":[{"path":"real.txt","target":"new/data/a.txt","kind":"symlink"},{"path":"ok","target":"new/data/a.txt","kind":"symlink"}]}'
        $made = @(Set-LinkState -Manifest ./m.json -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs[0].FullyQualifiedErrorId | Should -Be 'LT_EXISTS,Set-LinkState'
        Get-Content ./real.txt | Should -Be 'REAL'
        $made.Count | Should -Be 1
        Get-Content ./ok | Should -Be 'new a'
    }

    It 'Set-LinkState refuses a manifest that does not validate with LT_BAD_MANIFEST' {
        Set-Content -LiteralPath ./bad.json -Value '{"links":[{"path":"x","kind":"symlink"}]}'
        { Set-LinkState -Manifest ./bad.json -ErrorAction Stop } | Should -Throw -ErrorId 'LT_BAD_MANIFEST,Set-LinkState'
        Test-Path ./x | Should -BeFalse
    }
}
