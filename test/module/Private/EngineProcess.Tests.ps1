BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'Invoke-LinkEngine (the engine session)' {
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

    It 'starts the engine in the PowerShell location, not the process working directory' {
        $fake = New-FakeEngine -Directory $dir
        $env:LINKTOOLS_ENGINE = $fake.Path
        Push-Location -LiteralPath $dir
        try { Get-LinkInfo -Path 'x' | Out-Null } finally { Pop-Location }
        [System.Environment]::CurrentDirectory | Should -Not -Be $dir
        (Get-FakeEngineLog -Log $fake.Log)[0].cwd | Should -Be $dir
    }
}
