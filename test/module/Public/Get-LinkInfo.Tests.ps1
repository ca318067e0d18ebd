BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'Get-LinkInfo' {
    BeforeAll {
        $root = Join-Path $TestDrive 'info'
        New-Item -ItemType Directory -Path (Join-Path $root 'dir') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $root 'dir/inside.txt') -Value 'inside'
        Set-Content -LiteralPath (Join-Path $root 'file.txt') -Value 'data'
        Set-Content -LiteralPath (Join-Path $root 'br[ack]et.txt') -Value 'odd name'
        Push-Location -LiteralPath $root
        New-Link -Path 'to-file' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'to-dir' -Target 'dir' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'broken' -Target 'missing' -ItemType SymbolicLink -TargetType File | Out-Null
        New-Link -Path 'hard' -Target 'file.txt' -ItemType HardLink | Out-Null
        Pop-Location
    }
    BeforeEach { Push-Location -LiteralPath $root }
    AfterEach { Pop-Location; Use-LinkTestEngine }

    It 'describes a symbolic link as a LinkTools.LinkInfo' {
        $info = Get-LinkInfo -Path 'to-file'
        $info.PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkInfo'
        $info.kind | Should -Be 'symlink'
        $info.target | Should -Be 'file.txt'
        $info.resolvedTarget | Should -Be (Join-Path $root 'file.txt')
        $info.Name | Should -Be 'to-file'
        $info.IsLink | Should -BeTrue
    }

    It 'describes the link itself, never what it points to, even with a trailing separator' {
        foreach ($p in 'to-dir', 'to-dir/', (Join-Path $root 'to-dir')) {
            $info = Get-LinkInfo -Path $p
            $info.kind | Should -Be 'symlink'
            $info.path | Should -Be (Join-Path $root 'to-dir')
        }
    }

    It 'serves a whole Get-ChildItem pipeline with ONE engine process' {
        $count = Join-Path $TestDrive 'info-starts.txt'
        $env:LINKTOOLS_ENGINE = New-CountingEngine -Directory (Join-Path $TestDrive 'info-wrap') -CountFile $count
        $items = @(Get-ChildItem -LiteralPath $root -Recurse)
        $items.Count | Should -BeGreaterThan 5
        $infos = @($items | Get-LinkInfo)
        $infos.Count | Should -Be $items.Count
        Get-StartCount -CountFile $count | Should -Be 1
        ($infos | Where-Object kind -eq 'symlink').Count | Should -Be 3
    }

    It 'answers each piped item before reading the next (streaming)' {
        $fake = New-FakeEngine -Directory (Join-Path $TestDrive 'stream-fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        $seen = New-Object System.Collections.Generic.List[string]
        'a', 'b', 'c' | ForEach-Object { $seen.Add("in $_"); $_ } | Get-LinkInfo | ForEach-Object { $seen.Add('out ' + (Split-Path -Leaf $_.path)) }
        $seen -join ',' | Should -Be 'in a,out a,in b,out b,in c,out c'
        @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['args'] }).Count | Should -Be 1
    }

    It 'streams a long, fast pipeline in order through one engine, without waiting for its end' {
        $fake = New-FakeEngine -Directory (Join-Path $TestDrive 'long-fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        $seen = New-Object System.Collections.Generic.List[string]
        1..300 | ForEach-Object { $seen.Add("in $_"); "item$_" } | Get-LinkInfo | ForEach-Object { $seen.Add('out ' + (Split-Path -Leaf $_.path)) }
        $outs = @($seen | Where-Object { $_ -like 'out *' })
        $outs -join ',' | Should -Be ((1..300 | ForEach-Object { "out item$_" }) -join ',')
        # Answers are written while input is still coming (a protocol fact, not timing): at most
        # $LinkRequestWindow (32) requests are in flight, so item k is out before item k+33 is read.
        $window = & (Get-Module LinkTools) { $script:LinkRequestWindow }
        foreach ($k in 1..(300 - $window - 1)) {
            $seen.IndexOf("out item$k") | Should -BeLessThan $seen.IndexOf("in $($k + $window + 1)")
        }
        @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['args'] }).Count | Should -Be 1
    }

    It 'answers each of the first items before reading the next (lockstep start: a protocol fact, not timing)' {
        $fake = New-FakeEngine -Directory (Join-Path $TestDrive 'slow-fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        $lockstep = & (Get-Module LinkTools) { $script:LinkRequestLockstep }
        $seen = New-Object System.Collections.Generic.List[string]
        1..30 | ForEach-Object { $seen.Add("in $_"); "s$_" } | Get-LinkInfo | ForEach-Object { $seen.Add('out ' + (Split-Path -Leaf $_.path)) }
        ($seen | Select-Object -First (2 * $lockstep)) -join ',' | Should -Be ((1..$lockstep | ForEach-Object { "in $_,out s$_" }) -join ',')
        @($seen | Where-Object { $_ -like 'out *' }) -join ',' | Should -Be ((1..30 | ForEach-Object { "out s$_" }) -join ',')
    }

    It 'keeps results and errors in order, each error naming its path, in a long pipeline' {
        $names = 1..120 | ForEach-Object { if ($_ % 10 -eq 0) { "missing-$_" } else { 'file.txt' } }
        $all = @($names | Get-LinkInfo -ErrorAction Continue -ErrorVariable err 2>&1)
        $all | Should -HaveCount 120
        for ($i = 0; $i -lt 120; $i++) {
            if ($names[$i] -like 'missing-*') {
                $all[$i].FullyQualifiedErrorId | Should -BeExactly 'LT_NOT_FOUND,Get-LinkInfo'
                $all[$i].TargetObject | Should -Be (Join-Path $root $names[$i])
            } else {
                $all[$i].PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkInfo'
                $all[$i].PSObject.Properties['requestId'] | Should -BeNullOrEmpty
            }
        }
        $err | Should -HaveCount 12
    }

    It 'leaves the engine answering correctly when a long pipeline is stopped early, after its first answers' {
        # The engine is kept for the next command (one per runspace); the answers still in flight for
        # the stopped pipeline are read and dropped by the next command, never given to it.
        $fake = New-FakeEngine -Directory (Join-Path $TestDrive 'stop-long-fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        $first = 1..500 | ForEach-Object { "item$_" } | Get-LinkInfo | Select-Object -First 60
        $first | Should -HaveCount 60
        (Split-Path -Leaf $first[59].path) | Should -Be 'item60'
        $next = @(Get-LinkInfo -Path 'after-1', 'after-2')
        ($next | ForEach-Object { Split-Path -Leaf $_.path }) -join ',' | Should -Be 'after-1,after-2'
        @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['args'] }).Count | Should -Be 1
    }

    It 'takes FileSystemInfo objects literally (brackets are not wildcards)' {
        $info = Get-Item -LiteralPath (Join-Path $root 'br[ack]et.txt') | Get-LinkInfo
        $info.kind | Should -Be 'file'
        $info.path | Should -Be (Join-Path $root 'br[ack]et.txt')
    }

    It '-LiteralPath does not expand wildcards; -Path does' {
        (Get-LinkInfo -LiteralPath 'br[ack]et.txt').path | Should -Be (Join-Path $root 'br[ack]et.txt')
        $all = @(Get-LinkInfo -Path 'to-*')
        $all.Count | Should -Be 2
    }

    It 'binds the Path property of piped objects (its own output)' {
        $again = Get-LinkInfo -Path 'to-file' | Get-LinkInfo
        $again.path | Should -Be (Join-Path $root 'to-file')
    }

    It 'resolves PowerShell drive paths' {
        (Get-LinkInfo -Path 'TestDrive:/info/to-file').path | Should -Be (Join-Path $root 'to-file')
    }

    It 'writes a non-terminating LT_NOT_FOUND error and goes on with the next path' {
        $out = @(Get-LinkInfo -Path 'to-file', 'nope', 'to-dir' -ErrorVariable err -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 2
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_NOT_FOUND,Get-LinkInfo'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be (Join-Path $root 'nope')
    }

    It 'treats a wildcard that matches nothing as Get-Item does: <Pattern>' -ForEach @(
        @{ Pattern = 'zz*'; Errors = 0 }
        @{ Pattern = 'no-such-folder/zz*'; Errors = 1 }
    ) {
        # Get-Item: nothing and no error when the folder exists; ObjectNotFound when it does not.
        $itemErr = $null
        Get-Item -Path $Pattern -ErrorVariable itemErr -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @($itemErr).Count | Should -Be $Errors
        Get-LinkInfo -Path $Pattern -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @($err).Count | Should -Be $Errors
        if ($Errors) {
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_NOT_FOUND,Get-LinkInfo'
            $err[0].CategoryInfo.Category | Should -Be $itemErr[0].CategoryInfo.Category
        }
    }

    It 'describes broken links and hard links' {
        $broken = Get-LinkInfo -Path 'broken'
        $broken.targetExists | Should -BeFalse
        $hard = Get-LinkInfo -Path 'hard'
        $hard.kind | Should -Be 'hardlink'
        $hard.linkCount | Should -Be 2
    }

    It 'keeps one engine that answers the next call when the pipeline is stopped early (Select-Object -First)' {
        $fake = New-FakeEngine -Directory (Join-Path $TestDrive 'stop-fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        $first = 1..50 | ForEach-Object { "item$_" } | Get-LinkInfo | Select-Object -First 1
        $first | Should -HaveCount 1
        (Split-Path -Leaf (Get-LinkInfo -Path 'next').path) | Should -Be 'next'
        @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['args'] }).Count | Should -Be 1
    }

    It 'passes -AsRemoteClient and -SymlinkEvaluation to the engine' {
        $fake = New-FakeEngine -Directory (Join-Path $TestDrive 'remote-fake')
        $env:LINKTOOLS_ENGINE = $fake.Path
        Get-LinkInfo -Path 'to-file' -AsRemoteClient 'CLIENT01' -SymlinkEvaluation L2L, R2R | Out-Null
        $log = Get-FakeEngineLog -Log $fake.Log
        @($log[0].args) -join ' ' | Should -Be 'serve --errors-inline'
        $log[1].request.op | Should -Be 'info'
        $log[1].request.remoteClient | Should -Be 'CLIENT01'
        $log[1].request.symlinkEvaluation | Should -Be 'L2L,R2R'
    }

    It 'turns an error about the whole run into a terminating error with the engine code' {
        # --symlink-evaluation without --remote-client is refused by the engine before any request.
        { Get-LinkInfo -Path 'to-file' -SymlinkEvaluation L2L -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'LT_INVALID_ARGUMENT,Get-LinkInfo'
    }
}
