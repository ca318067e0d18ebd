BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    if ($OnWindows) { Write-Host "SKIPPED EngineProcess.Tests.ps1 'Engine executable bit': POSIX only (Windows has no executable bit)" -ForegroundColor Yellow }
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'Engine processes (start, arguments, failures, working folder)' {
    BeforeEach {
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
    }
    AfterEach { Use-LinkTestEngine }

    It 'quotes arguments so the engine receives them unchanged' {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        $odd = @('with space', 'quote"inside', 'trailing\', 'back\\slash "both"', '')
        $line = InModuleScope LinkTools -Parameters @{ Odd = $odd } { param($Odd) ConvertTo-LinkCommandLine -ArgumentList $Odd }
        $line | Should -Be '"with space" "quote\"inside" trailing\ "back\\slash \"both\"" ""'
        InModuleScope LinkTools -Parameters @{ Odd = $odd } {
            param($Odd)
            $cmdlet = & { [CmdletBinding()] param() $PSCmdlet }
            $s = Start-LinkEngine -Cmdlet $cmdlet -ArgumentList (@('info') + $Odd)
            Stop-LinkEngine -Session $s | Should -Be 0
        }
        @((Get-FakeEngineLog -Log $fake.Log)[0].args) | Should -Be (@('info') + $odd)
    }

    It 'ends the command with LT_ENGINE_FAILED when the engine dies instead of answering' {
        $fake = New-FakeEngine -Directory $dir -Environment @{ FAKE_LT_CRASH = 'segfault in the fake' }
        $env:LINKTOOLS_ENGINE = $fake.Path
        $err = $null
        try { Get-LinkInfo -Path $dir, $dir } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeExactly 'LT_ENGINE_FAILED,Get-LinkInfo'
        $err.Exception.Message | Should -Match 'exit code 3'
        $err.Exception.Message | Should -Match 'segfault in the fake'
        InModuleScope LinkTools { $script:LinkEngineSessions.Count } | Should -Be 0
    }

    It 'reports output that is not a record as LT_ENGINE_FAILED' {
        $stdout = Join-Path $dir 'out.txt'
        'this is not json' | Set-Content -LiteralPath $stdout
        $fake = New-FakeEngine -Directory $dir -Environment @{ FAKE_LT_STDOUT = $stdout }
        $env:LINKTOOLS_ENGINE = $fake.Path
        { Find-Link -Path $dir } | Should -Throw -ErrorId 'LT_ENGINE_FAILED,Find-Link'
    }

    It 'turns error records left on stderr into ErrorRecords after the output' {
        $stderr = Join-Path $dir 'err.ndjson'
        '{"recordType":"error","schemaVersion":"1.0","code":"LT_UNREADABLE","category":"ReadError","message":"cannot list","path":"/r/x"}' | Set-Content -LiteralPath $stderr
        $fake = New-FakeEngine -Directory $dir -Environment @{ FAKE_LT_STDERR = $stderr }
        $env:LINKTOOLS_ENGINE = $fake.Path
        Find-Link -Path $dir -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'LT_UNREADABLE,Find-Link'
        $err[0].CategoryInfo.Category | Should -Be 'ReadError'
        $err[0].Exception.Data['LinkToolsCode'] | Should -Be 'LT_UNREADABLE'
    }

    It 'pipelines long requests without blocking on a full pipe' {
        # Each request is ~3 KB and the fake engine echoes it back twice, so a window sized in items
        # alone would overfill both pipes; the byte bound keeps requests flowing.
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        $long = 'x' * 3000
        $out = @(1..200 | ForEach-Object { "$long$_" } | Get-LinkInfo)
        $out | Should -HaveCount 200
        (Split-Path -Leaf $out[199].path) | Should -Be "${long}200"
        InModuleScope LinkTools { $script:LinkEngineSessions.Count } | Should -Be 0
    }

    It 'kills sessions left open by an earlier command line' {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        $enginePid = InModuleScope LinkTools {
            $cmdlet = & { [CmdletBinding()] param() $PSCmdlet }
            $s = Start-LinkEngine -Cmdlet $cmdlet -ArgumentList @('info', '--stdin', '--errors-inline')
            $s.HistoryId = -5   # as if a pipeline of an earlier command line had been stopped
            $s.Process.Id
        }
        Get-Process -Id $enginePid | Should -Not -BeNullOrEmpty
        InModuleScope LinkTools { Remove-StaleLinkEngine; $script:LinkEngineSessions.Count } | Should -Be 0
        { Get-Process -Id $enginePid -ErrorAction Stop } | Should -Throw
    }

    It 'starts a streaming engine in the PowerShell location, and the serve engine in its own folder' {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        $here = Join-Path $dir 'here'
        New-Item -ItemType Directory -Path $here | Out-Null
        Push-Location -LiteralPath $here
        try {
            Find-Link -Path 'x' -ErrorAction SilentlyContinue | Out-Null
            Get-LinkInfo -Path 'x' | Out-Null
        } finally { Pop-Location }
        [System.Environment]::CurrentDirectory | Should -Not -Be $here
        $starts = @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['args'] })
        $starts[0].args[0] | Should -Be 'scan'
        $starts[0].cwd | Should -Be $here
        # A long-lived engine must not hold the user's folder open (a folder in use cannot be removed on Windows).
        $starts[1].args[0] | Should -Be 'serve'
        $starts[1].cwd | Should -Be (Split-Path -Parent $fake.Path)
    }

    It 'starts a new serve engine when the LINKTOOLS_* environment changes' {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        Get-LinkInfo -Path 'a' | Out-Null
        Get-LinkInfo -Path 'b' | Out-Null
        $env:LINKTOOLS_NTFS_DRIVE = 'E:'
        try { Get-LinkInfo -Path 'c' | Out-Null } finally { Remove-Item Env:LINKTOOLS_NTFS_DRIVE }
        $starts = @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['args'] })
        $starts | Should -HaveCount 2
    }
}

Describe 'Get-LinkPlatformTag' {
    It 'names <OS>/<Arch> as <Tag>' -ForEach @(
        @{ OS = 'linux'; Arch = 'X64'; Tag = 'linux-x64' }
        @{ OS = 'linux'; Arch = 'Arm64'; Tag = 'linux-arm64' }
        @{ OS = 'osx'; Arch = 'Arm64'; Tag = 'osx-arm64' }
        @{ OS = 'win'; Arch = 'X64'; Tag = 'win-x64' }
        @{ OS = 'win'; Arch = 'Arm64'; Tag = 'win-x64' }   # Windows on ARM runs the x64 engine
    ) {
        InModuleScope LinkTools -Parameters @{ OS = $OS; Arch = $Arch } { param($OS, $Arch) Get-LinkPlatformTag -OS $OS -Architecture $Arch } |
            Should -BeExactly $Tag
    }
}

Describe 'Engine executable bit' -Skip:$OnWindows {
    # POSIX only: Windows has no executable bit.
    BeforeEach {
        $copy = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $copy -Force | Out-Null
        Copy-Item -LiteralPath $ManifestPath -Destination $copy
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'module') -Destination $copy -Recurse
        $fake = New-FakeEngine -Directory (Join-Path $copy "bin/$(Get-TestPlatformTag)")
        & chmod 0644 $fake.Path
        $saved = $env:LINKTOOLS_ENGINE
        $env:LINKTOOLS_ENGINE = $null
    }
    AfterEach { $env:LINKTOOLS_ENGINE = $saved }

    It 'makes an installed engine that lost its executable bit executable again' {
        (& stat -c '%a' $fake.Path) | Should -Be '644'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest, $path)
                    Import-Module $manifest
                    (Get-LinkInfo -Path $path).path
                }).AddArgument((Join-Path $copy 'LinkTools.psd1')).AddArgument($TestDrive)
            $result = $ps.Invoke()
        } finally { $ps.Dispose() }
        $result | Should -Be ([string]$TestDrive)
        (& stat -c '%a' $fake.Path) | Should -Be '755'
    }

    It 'says exactly what to run when it cannot change the bit (LT_ENGINE_NOT_EXECUTABLE)' {
        # The engine named by LINKTOOLS_ENGINE is checked the same way.
        $env:LINKTOOLS_ENGINE = $fake.Path
        Mock -ModuleName LinkTools Set-LinkEngineFileMode { throw [System.UnauthorizedAccessException]::new('Operation not permitted') }
        $err = $null
        try { Get-LinkInfo -Path $TestDrive } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeExactly 'LT_ENGINE_NOT_EXECUTABLE,Get-LinkInfo'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.Exception.Message | Should -Match ([regex]::Escape("chmod +x '$($fake.Path)'"))
        (& stat -c '%a' $fake.Path) | Should -Be '644'
        Get-FakeEngineLog -Log $fake.Log | Should -HaveCount 0
    }
}

Describe 'The serve engine of a runspace (real engine)' {
    BeforeAll {
        function Wait-LinkTestProcessGone {
            # Hang guard, not a timing assertion: true once the process is gone, false after 120 s.
            param([int] $Id)
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            while ([DateTime]::UtcNow -lt $deadline) {
                if (-not (Get-Process -Id $Id -ErrorAction SilentlyContinue)) { return $true }
                Start-Sleep -Milliseconds 50
            }
            $false
        }
        function Get-LinkTestServePid {
            & (Get-Module LinkTools) { if ($script:LinkServeSession) { $script:LinkServeSession.Process.Id } }
        }
        $root = Join-Path $TestDrive 'serve'
        New-Item -ItemType Directory -Path (Join-Path $root 'big') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $root 'file.txt') -Value 'data'
        foreach ($i in 1..300) { Set-Content -LiteralPath (Join-Path $root ('big/f{0:d3}' -f $i)) -Value $i }
        $engine = Get-LinkTestEngine
    }
    BeforeEach {
        Import-Module $ManifestPath -Force
        Use-LinkTestEngine
        Push-Location -LiteralPath $root
        if (-not (Test-Path -LiteralPath 'to-file')) { New-Link -Path 'to-file' -Target 'file.txt' -ItemType SymbolicLink | Out-Null }
    }
    AfterEach { Pop-Location }

    It 'serves separate pipelines with the same engine process' {
        (Get-LinkInfo -Path 'to-file').kind | Should -Be 'symlink'
        $first = Get-LinkTestServePid
        Test-Link -Path 'to-file' | Should -BeTrue
        (Get-LinkInfo -Path 'file.txt').kind | Should -Be 'file'
        $second = Get-LinkTestServePid
        $first | Should -Not -BeNullOrEmpty
        $second | Should -Be $first
        Get-Process -Id $first | Should -Not -BeNullOrEmpty
        $first | Should -Not -Be $PID
        & (Get-Module LinkTools) { $script:LinkEngineStarts } | Should -Be 1
    }

    It 'serves separate command lines of a runspace with one engine, and another runspace with its own' {
        $script = {
            param($manifest, $engine, $path)
            $env:LINKTOOLS_ENGINE = $engine
            Import-Module $manifest
        }
        $a = [powershell]::Create()
        $b = [powershell]::Create()
        try {
            foreach ($ps in $a, $b) { $null = $ps.AddScript($script).AddArgument($ManifestPath).AddArgument($engine).AddArgument($root); $null = $ps.Invoke(); $ps.Commands.Clear() }
            $pids = @{}
            foreach ($name in 'a1', 'b1', 'a2', 'b2') {
                $ps = $a
                if ($name -like 'b*') { $ps = $b }
                $null = $ps.AddScript({
                        param($path)
                        $info = Get-LinkInfo -LiteralPath $path
                        $info.kind
                        & (Get-Module LinkTools) { $script:LinkServeSession.Process.Id }
                    }).AddArgument((Join-Path $root 'to-file'))
                $out = $ps.Invoke()
                $ps.Commands.Clear()
                $out[0] | Should -Be 'symlink'
                $pids[$name] = $out[1]
            }
            $pids['a2'] | Should -Be $pids['a1']
            $pids['b2'] | Should -Be $pids['b1']
            $pids['b1'] | Should -Not -Be $pids['a1']
            Get-Process -Id $pids['a1'] | Should -Not -BeNullOrEmpty
            Get-Process -Id $pids['b1'] | Should -Not -BeNullOrEmpty
        } finally {
            $a.Dispose()
            $b.Dispose()
        }
        # Closing a runspace ends its engine.
        Wait-LinkTestProcessGone -Id $pids['a1'] | Should -BeTrue
        Wait-LinkTestProcessGone -Id $pids['b1'] | Should -BeTrue
    }

    It 'starts a new engine transparently after the engine was killed (Stop-Process)' {
        (Get-LinkInfo -Path 'to-file').kind | Should -Be 'symlink'
        $old = Get-LinkTestServePid
        Stop-Process -Id $old -Force
        Wait-LinkTestProcessGone -Id $old | Should -BeTrue
        $info = Get-LinkInfo -Path 'to-file'
        $info.kind | Should -Be 'symlink'
        $info.path | Should -Be (Join-Path $root 'to-file')
        $new = Get-LinkTestServePid
        $new | Should -Not -Be $old
        Test-Link -Path 'to-file' | Should -BeTrue
        Get-LinkTestServePid | Should -Be $new
        # A command with side effects too.
        Stop-Process -Id $new -Force
        Wait-LinkTestProcessGone -Id $new | Should -BeTrue
        $made = New-Link -Path 'after-kill' -Target 'file.txt' -ItemType SymbolicLink
        $made.kind | Should -Be 'symlink'
        (Get-Item -LiteralPath (Join-Path $root 'after-kill') -Force).LinkTarget | Should -Be 'file.txt'
        Remove-Link -Path 'after-kill'
        Test-Path -LiteralPath (Join-Path $root 'after-kill') | Should -BeFalse
    }

    It 'answers the next call correctly after a pipeline was stopped mid-way (Select-Object -First 1)' {
        $first = @(Get-ChildItem -LiteralPath (Join-Path $root 'big') | Get-LinkInfo | Select-Object -First 1)
        $first | Should -HaveCount 1
        $first[0].path | Should -Be (Join-Path $root 'big/f001')
        $enginePid = Get-LinkTestServePid
        # Past the lockstep start, so many requests of the stopped pipeline were still in flight.
        $fortieth = @(Get-ChildItem -LiteralPath (Join-Path $root 'big') | Get-LinkInfo | Select-Object -Skip 39 -First 1)
        $fortieth[0].path | Should -Be (Join-Path $root 'big/f040')
        $info = Get-LinkInfo -Path 'to-file'
        $info.path | Should -Be (Join-Path $root 'to-file')
        $info.kind | Should -Be 'symlink'
        @(Test-Link -Path 'to-file', 'file.txt') -join ',' | Should -Be 'True,False'
        $all = @(Get-ChildItem -LiteralPath (Join-Path $root 'big') | Get-LinkInfo)
        $all | Should -HaveCount 300
        ($all | ForEach-Object { Split-Path -Leaf $_.path }) -join ',' | Should -Be ((1..300 | ForEach-Object { 'f{0:d3}' -f $_ }) -join ',')
        Get-LinkTestServePid | Should -Be $enginePid
    }

    It 'keeps the answers of an outer pipeline apart from those of a command nested in it' {
        $pairs = @(Get-ChildItem -LiteralPath (Join-Path $root 'big') | Get-LinkInfo | ForEach-Object {
                $inner = Get-LinkInfo -Path 'to-file'
                '{0}|{1}' -f (Split-Path -Leaf $_.path), (Split-Path -Leaf $inner.path)
            })
        $pairs -join ',' | Should -Be ((1..300 | ForEach-Object { 'f{0:d3}|to-file' -f $_ }) -join ',')
    }

    It 'never carries out a side-effect request that a stopped command left unsent in the buffer' {
        # As if Remove-Link had been stopped between writing its request and flushing it.
        New-Link -Path 'keep-me' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        $old = Get-LinkTestServePid
        $line = '{"id":999999,"op":"remove","path":' + (ConvertTo-Json -InputObject (Join-Path $root 'keep-me')) + '}'
        & (Get-Module LinkTools) { param($line) $s = $script:LinkServeSession; $s.Writer.WriteLine($line); $s.DirtyLockstep = 'a stopped Remove-Link' } $line
        (Get-LinkInfo -Path 'keep-me').kind | Should -Be 'symlink'
        (Get-Item -LiteralPath (Join-Path $root 'keep-me') -Force).LinkTarget | Should -Be 'file.txt'
        Get-LinkTestServePid | Should -Not -Be $old
        Wait-LinkTestProcessGone -Id $old | Should -BeTrue
        Remove-Link -Path 'keep-me'
    }

    It 'ends its engine when the module is removed' {
        (Get-LinkInfo -Path 'to-file').kind | Should -Be 'symlink'
        $enginePid = Get-LinkTestServePid
        Remove-Module LinkTools
        Wait-LinkTestProcessGone -Id $enginePid | Should -BeTrue
    }

    It 'starts the engine once for a loop of separate Get-LinkInfo and Test-Link calls' {
        $count = Join-Path $TestDrive 'loop-starts.txt'
        $env:LINKTOOLS_ENGINE = New-CountingEngine -Directory (Join-Path $TestDrive 'loop-wrap') -CountFile $count
        foreach ($i in 1..25) {
            (Get-LinkInfo -Path 'to-file').kind | Should -Be 'symlink'
            Test-Link -Path 'to-file' | Should -BeTrue
        }
        Get-StartCount -CountFile $count | Should -Be 1
    }
}
