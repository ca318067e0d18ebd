BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'ConvertTo-LinkJsonString (the one request escaper)' {
    It 'writes <Name> as plain ASCII that parses back to the same string' -ForEach @(
        @{ Name = 'plain text'; Value = 'C:/data/plain name.txt' }
        @{ Name = 'quotes and backslashes'; Value = 'a"b\c\\d"' }
        @{ Name = 'control characters'; Value = "tab`there`nnl$([char]1)$([char]0x7F)" }
        @{ Name = 'non-ASCII'; Value = 'ünïcødé € 日本' }
        @{ Name = 'a surrogate pair'; Value = "emoji $([char]0xD83D)$([char]0xDE00)" }
        @{ Name = 'lone surrogates (a POSIX name that is not UTF-8)'; Value = "bad-$([char]0xDCFF)$([char]0xDC80)" }
        @{ Name = 'a backslash before the text udc80'; Value = 'C:\udc80\\udcff' }
        @{ Name = 'an empty string'; Value = '' }
    ) {
        $json = InModuleScope LinkTools -Parameters @{ Value = $Value } { param($Value) ConvertTo-LinkJsonString -Value $Value }
        $json | Should -Match '^"[\x20-\x7E]*"$'
        # The engine's side is JSON.parse; Node is not at hand here, so ConvertFrom-LinkJson stands in
        # (ConvertFrom-Json itself would turn a lone surrogate into U+FFFD).
        $back = InModuleScope LinkTools -Parameters @{ Json = $json } { param($Json) (ConvertFrom-LinkJson -Text ('{"v":' + $Json + '}')).v }
        $back | Should -BeExactly $Value
    }

    It 'escapes a lone surrogate as \uXXXX' {
        InModuleScope LinkTools { ConvertTo-LinkJsonString -Value "x$([char]0xDCFF)" } | Should -BeExactly '"x\udcff"'
    }

    It 'writes a request dictionary of strings, Booleans, numbers, nulls and string arrays' {
        $members = InModuleScope LinkTools {
            ConvertTo-LinkRequestJson -Request ([ordered]@{ s = 'x"y'; t = $true; f = $false; n = 42; z = $null; a = @('L2L', 'R2R') })
        }
        $members | Should -BeExactly '"s":"x\"y","t":true,"f":false,"n":42,"z":null,"a":["L2L","R2R"]'
    }
}

Describe 'Requests and answers on the serve engine' {
    BeforeEach {
        $dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
        Import-Module $ManifestPath -Force
    }
    AfterEach { Use-LinkTestEngine }

    It 'sends a name with lone surrogates to the engine and gets it back unchanged' {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        $name = Join-Path $dir "bad-$([char]0xDCFF)"
        $info = Get-LinkInfo -LiteralPath $name
        $info.path | Should -BeExactly $name
        $raw = Get-Content -LiteralPath $fake.Log | Select-Object -Last 1
        $raw | Should -Match ([regex]::Escape('bad-\udcff'))
    }

    It 'gives every request a new id on the engine, across commands' {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        Get-LinkInfo -Path 'a', 'b' | Out-Null
        Test-Link -Path 'c' | Out-Null
        $requests = @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['request'] } | ForEach-Object request)
        ($requests | ForEach-Object { '{0}:{1}' -f $_.id, $_.op }) -join ',' | Should -Be '1:info,2:info,3:test'
    }

    It 'ends a busy engine when a command is stopped while it waits for an answer (Ctrl+C); the next command gets a new one' {
        # The fake engine never answers a path ending in 'stall' (a hung file system); stopping the
        # pipeline while it waits is what Ctrl+C does. Draining would wait for ever, so that engine
        # is killed and the next command gets its own answer from a new one.
        $fake = New-FakeEngine -Directory $dir -Environment @{ FAKE_LT_STALL = 'stall' }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest, $engine)
                    $env:LINKTOOLS_ENGINE = $engine
                    Import-Module $manifest
                }).AddArgument($ManifestPath).AddArgument($fake.Path)
            $null = $ps.Invoke(); $ps.Commands.Clear()
            $null = $ps.AddScript({ Get-LinkInfo -Path 'first', 'then-stall' })
            $async = $ps.BeginInvoke()
            # Hang guard only (generous, never the thing tested): wait until the engine has the stalling request.
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            $stalled = $false
            while (-not $stalled -and [DateTime]::UtcNow -lt $deadline) {
                $stalled = [bool]@(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['request'] -and $_.request.path -like '*then-stall' }).Count
                if (-not $stalled) { Start-Sleep -Milliseconds 50 }
            }
            $stalled | Should -BeTrue -Because 'hang guard: the fake engine never received the then-stall request within 120 s'
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $ps.Commands.Clear()
            $null = $ps.AddScript({ (Get-LinkInfo -Path 'next').path; Test-Link -Path 'other' })
            $out = $ps.Invoke()
            Split-Path -Leaf $out[0] | Should -Be 'next'
            $out[1] | Should -BeTrue
        } finally { $ps.Dispose() }
        $starts = @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['args'] })
        $starts | Should -HaveCount 2
        Get-Process -Id $starts[0].pid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'asks a new engine again when the reused one is found dead before it answered a read (info, test)' {
        # The fake ends, unanswered, when its 2nd request arrives: as an engine killed between two
        # commands whose death was not yet visible. Reads are safe to ask again; nothing was answered.
        $fake = New-FakeEngine -Directory $dir -Environment @{ FAKE_LT_DIE_AT = '2' }
        $env:LINKTOOLS_ENGINE = $fake.Path
        (Split-Path -Leaf (Get-LinkInfo -Path 'one').path) | Should -Be 'one'
        (Split-Path -Leaf (Get-LinkInfo -Path 'two').path) | Should -Be 'two'
        $log = @(Get-FakeEngineLog -Log $fake.Log)
        @($log | Where-Object { $_.PSObject.Properties['args'] }).Count | Should -Be 2
        @($log | Where-Object { $_.PSObject.Properties['request'] -and $_.request.path -like '*two' }).Count | Should -Be 2
    }

    It 'does not ask again for a side effect the dead engine may have carried out (LT_ENGINE_FAILED)' {
        $fake = New-FakeEngine -Directory $dir -Environment @{ FAKE_LT_DIE_AT = '2' }
        $env:LINKTOOLS_ENGINE = $fake.Path
        (Split-Path -Leaf (Get-LinkInfo -Path 'one').path) | Should -Be 'one'
        { Remove-Link -Path 'gone' } | Should -Throw -ErrorId 'LT_ENGINE_FAILED,Remove-Link'
        @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['request'] -and $_.request.op -eq 'remove' }).Count | Should -Be 1
        # The next command gets a new engine.
        (Split-Path -Leaf (Get-LinkInfo -Path 'three').path) | Should -Be 'three'
    }

    It 'reports the engine dying while it answers a command as LT_ENGINE_FAILED, and starts a new one for the next' {
        $fake = New-FakeEngine -Directory $dir -Environment @{ FAKE_LT_CRASH = 'boom' }
        $env:LINKTOOLS_ENGINE = $fake.Path
        { Get-LinkInfo -Path 'x' } | Should -Throw -ErrorId 'LT_ENGINE_FAILED,Get-LinkInfo'
        { Get-LinkInfo -Path 'y' } | Should -Throw -ErrorId 'LT_ENGINE_FAILED,Get-LinkInfo'
        @(Get-FakeEngineLog -Log $fake.Log | Where-Object { $_.PSObject.Properties['args'] }).Count | Should -Be 2
        InModuleScope LinkTools { $null -eq $script:LinkServeSession } | Should -BeTrue
    }
}
