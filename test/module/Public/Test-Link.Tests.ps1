BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'Test-Link' {
    BeforeAll {
        $root = Join-Path $TestDrive 'test'
        New-Item -ItemType Directory -Path (Join-Path $root 'dir') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $root 'file.txt') -Value 'data'
        Push-Location -LiteralPath $root
        New-Link -Path 'good' -Target 'file.txt' -ItemType SymbolicLink | Out-Null
        New-Link -Path 'broken' -Target 'missing' -ItemType SymbolicLink -TargetType File | Out-Null
        New-Link -Path 'loop-a' -Target 'loop-b' -ItemType SymbolicLink -TargetType File | Out-Null
        New-Link -Path 'loop-b' -Target 'loop-a' -ItemType SymbolicLink -TargetType File | Out-Null
        Pop-Location
    }
    BeforeEach { Push-Location -LiteralPath $root }
    AfterEach { Pop-Location; Use-LinkTestEngine }

    It 'returns one Boolean per path, in order' {
        $result = Test-Link -Path 'good', 'broken', 'file.txt', 'dir', 'nothing-here'
        $result | Should -HaveCount 5
        $result[0] | Should -BeOfType [bool]
        ($result | ForEach-Object { [string]$_ }) -join ',' | Should -Be 'True,False,False,False,False'
    }

    It 'returns one Boolean per path, in order, in a long pipeline' {
        $names = 1..100 | ForEach-Object { if ($_ % 3 -eq 0) { 'good' } else { 'broken' } }
        $result = @($names | Test-Link)
        $result | Should -HaveCount 100
        ($result | ForEach-Object { [string]$_ }) -join ',' | Should -Be (($names | ForEach-Object { [string]($_ -eq 'good') }) -join ',')
        $detailed = @($names | Test-Link -Detailed)
        ($detailed | ForEach-Object reason) -join ',' | Should -Be (($names | ForEach-Object { if ($_ -eq 'good') { 'ok' } else { 'broken' } }) -join ',')
    }

    It 'writes no error for a path that does not exist' {
        Test-Link -Path 'nothing-here' -ErrorVariable err | Should -BeFalse
        $err | Should -HaveCount 0
    }

    It '-Detailed returns LinkTools.LinkTest objects with the reason' {
        $tests = Test-Link -Path 'good', 'broken', 'loop-a', 'file.txt', 'nothing-here' -Detailed
        $tests[0].PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkTest'
        ($tests | ForEach-Object reason) -join ',' | Should -Be 'ok,broken,loop,notALink,notFound'
        $tests[0].ok | Should -BeTrue
    }

    It 'works from the pipeline with one engine process' {
        $count = Join-Path $TestDrive 'test-starts.txt'
        $env:LINKTOOLS_ENGINE = New-CountingEngine -Directory (Join-Path $TestDrive 'test-wrap') -CountFile $count
        $results = Get-ChildItem -LiteralPath $root | Test-Link
        @($results).Count | Should -Be 6
        @($results | Where-Object { $_ }).Count | Should -Be 1
        Get-StartCount -CountFile $count | Should -Be 1
    }
}
