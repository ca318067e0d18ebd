# Hostile-input suite, module side: Remove-Link runs (through the real engine) while another process
# swaps the folder it works in with a symbolic link to an outside folder holding real files of the
# same names (renameat2 RENAME_EXCHANGE in a bounded loop: test/engine/safety/exchange.c). Nothing
# outside may change: every outside file keeps its inode and its SHA-256.

BeforeDiscovery {
    $script:SafetySkip = $null
    if (-not $IsLinux) { $script:SafetySkip = 'the race helper uses renameat2(RENAME_EXCHANGE), which is Linux-only' }
    elseif (-not (Get-Command cc -ErrorAction SilentlyContinue)) { $script:SafetySkip = 'no C compiler (cc) to build the race helper; install gcc' }
    if ($script:SafetySkip) {
        $bar = '!' * 80
        [Console]::Error.WriteLine("`n$bar`n!! SKIPPED test/module/Safety.Tests.ps1: $($script:SafetySkip)`n$bar")
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine

    $script:ExchangeBin = Join-Path $RepoRoot '.cache/test/exchange-pester'
    function Initialize-Exchange {
        $src = Join-Path $RepoRoot 'test/engine/safety/exchange.c'
        $dir = Split-Path -Parent $script:ExchangeBin
        if (-not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
        & cc -O2 -Wall -o $script:ExchangeBin $src
        if ($LASTEXITCODE -ne 0) { throw "cc failed to build $src" }
    }

    function Get-ExchangeCount {
        <#
        The helper's count of exchanges, once it has ended. Start-Process copies a redirected stdout to
        its file asynchronously, so the file can still be empty when WaitForExit(timeout) returns:
        wait for the copy (parameterless WaitForExit), then for the line itself (hang guard only).
        #>
        param([System.Diagnostics.Process] $Process, [string] $Out)
        if ($Process.HasExited) { $Process.WaitForExit() }
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        $text = $null
        while ([DateTime]::UtcNow -lt $deadline) {
            if (Test-Path -LiteralPath $Out) { $text = [System.IO.File]::ReadAllText($Out) }
            if ($text -and $text.Trim()) { break }
            Start-Sleep -Milliseconds 50
        }
        if (-not ($text -and $text.Trim())) { throw "the exchange helper wrote no count to $Out (exited: $($Process.HasExited))" }
        [long](($text.Trim() -split '\s+')[0])
    }

    function Get-RealFileState {
        # inode and SHA-256 of every regular file directly in $Dir, keyed by inode
        param([string] $Dir)
        $state = @{}
        $files = @(Get-ChildItem -LiteralPath $Dir -File -Force | Where-Object { -not $_.LinkType } | ForEach-Object { $_.FullName })
        if ($files.Count -eq 0) { return $state }
        $sha = [System.Security.Cryptography.SHA256]::Create()
        foreach ($line in (& stat -c '%i %n' -- $files)) {
            $ino, $name = $line -split ' ', 2
            $state[$ino] = [System.BitConverter]::ToString($sha.ComputeHash([System.IO.File]::ReadAllBytes($name)))
        }
        $state
    }
}

Describe 'Remove-Link while the parent folder is swapped with a link to an outside folder' -Skip:($null -ne $script:SafetySkip) {
    BeforeAll {
        Initialize-Exchange
        $script:Base = Join-Path ([System.IO.Path]::GetTempPath()) ("lt-safety-" + [guid]::NewGuid().ToString('N'))
        $script:T = Join-Path $script:Base 'T'
        $script:Outside = Join-Path $script:Base 'outside'
        $script:Dir = Join-Path $script:T 'dir'
        New-Item -ItemType Directory -Path $script:Dir -Force | Out-Null
        New-Item -ItemType Directory -Path $script:Outside -Force | Out-Null
        & chmod 777 $script:T   # a folder other users can write: they can swap what is in it
        [System.IO.File]::WriteAllText((Join-Path $script:T 'target.txt'), 'target')
        $script:Count = 60
        $script:Paths = New-Object System.Collections.Generic.List[string]
        for ($k = 0; $k -lt $script:Count; $k++) {
            $link = Join-Path $script:Dir "victim$k"
            [System.IO.File]::CreateSymbolicLink($link, '../target.txt') | Out-Null
            [System.IO.File]::WriteAllText((Join-Path $script:Outside "victim$k"), "outside $k $([guid]::NewGuid())")
            $script:Paths.Add($link)
        }
        [System.IO.Directory]::CreateSymbolicLink((Join-Path $script:T 'evil'), $script:Outside) | Out-Null
    }
    AfterAll {
        if ($script:Base -and (Test-Path -LiteralPath $script:Base)) { & rm -rf -- $script:Base }
    }

    It 'deletes no outside file, and every error is a refusal' {
        $before = Get-RealFileState -Dir $script:Outside
        $before.Count | Should -Be $script:Count
        $stop = Join-Path $script:Base 'stop'
        $out = Join-Path $script:Base 'exchange.out'
        $race = Start-Process -FilePath $script:ExchangeBin -ArgumentList @('3000000', $stop, $script:Dir, (Join-Path $script:T 'evil')) -RedirectStandardOutput $out -PassThru
        try {
            $errs = $null
            $t0 = [DateTime]::UtcNow
            $removed = @(Remove-Link -LiteralPath $script:Paths.ToArray() -PassThru -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errs)
        } finally {
            [System.IO.File]::WriteAllText($stop, '')
            if (-not $race.WaitForExit(55000)) { $race.Kill() }
        }
        Write-Host "Remove-Link of $($script:Count) paths under the race: $([int]([DateTime]::UtcNow - $t0).TotalSeconds) s"
        $exchanges = Get-ExchangeCount -Process $race -Out $out
        $exchanges | Should -BeGreaterThan 0 -Because 'the helper must really have swapped, else the test proves nothing'

        $after = Get-RealFileState -Dir $script:Outside
        @($before.Keys | Where-Object { -not $after.ContainsKey($_) }).Count | Should -Be 0 -Because 'no outside file may be deleted'
        @($before.Keys | Where-Object { $after.ContainsKey($_) -and $after[$_] -ne $before[$_] }).Count | Should -Be 0
        @(Get-ChildItem -LiteralPath $script:Outside -Force | Where-Object { $_.LinkType }).Count | Should -Be 0

        $allowed = @('LT_NOT_A_LINK', 'LT_BUSY', 'LT_NOT_FOUND', 'LT_ACCESS_DENIED')
        foreach ($e in @($errs)) {
            $id = ([string]$e.FullyQualifiedErrorId -split ',')[0]
            $allowed | Should -Contain $id -Because "$($e.Exception.Message)"
        }
        ($removed.Count + @($errs).Count) | Should -Be $script:Count
        $removed.Count | Should -BeGreaterThan 0
        @(Get-ChildItem -LiteralPath $script:Base -Recurse -Force -Name | Where-Object { $_ -like '*.lt-*' }).Count | Should -Be 0
    }
}

Describe 'Remove-Link while each link is swapped with a real file' -Skip:($null -ne $script:SafetySkip) {
    BeforeAll {
        Initialize-Exchange
        $script:Base = Join-Path ([System.IO.Path]::GetTempPath()) ("lt-safety-" + [guid]::NewGuid().ToString('N'))
        $script:Dir = Join-Path $script:Base 'dir'
        New-Item -ItemType Directory -Path $script:Dir -Force | Out-Null
        & chmod 777 $script:Dir
        $script:Count = 40
        $script:Links = New-Object System.Collections.Generic.List[string]
        $script:PairArgs = New-Object System.Collections.Generic.List[string]
        for ($k = 0; $k -lt $script:Count; $k++) {
            $file = Join-Path $script:Dir "file$k"
            $link = Join-Path $script:Dir "link$k"
            [System.IO.File]::WriteAllText($file, "real $k $([guid]::NewGuid())")
            [System.IO.File]::CreateSymbolicLink($link, "file$k") | Out-Null
            $script:Links.Add($link)
            $script:PairArgs.Add($link); $script:PairArgs.Add($file)
        }
    }
    AfterAll {
        if ($script:Base -and (Test-Path -LiteralPath $script:Base)) { & rm -rf -- $script:Base }
    }

    It 'deletes no real file, whichever name it has at the end' {
        $before = Get-RealFileState -Dir $script:Dir
        $before.Count | Should -Be $script:Count
        $stop = Join-Path $script:Base 'stop'
        $out = Join-Path $script:Base 'exchange.out'
        $race = Start-Process -FilePath $script:ExchangeBin -ArgumentList (@('3000000', $stop) + $script:PairArgs.ToArray()) -RedirectStandardOutput $out -PassThru
        try {
            $errs = $null
            $removed = @(Remove-Link -LiteralPath $script:Links.ToArray() -PassThru -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errs)
        } finally {
            [System.IO.File]::WriteAllText($stop, '')
            if (-not $race.WaitForExit(55000)) { $race.Kill() }
        }
        Get-ExchangeCount -Process $race -Out $out | Should -BeGreaterThan 0
        $after = Get-RealFileState -Dir $script:Dir
        @($before.Keys | Where-Object { -not $after.ContainsKey($_) }).Count | Should -Be 0 -Because 'no real file may be deleted'
        @($before.Keys | Where-Object { $after.ContainsKey($_) -and $after[$_] -ne $before[$_] }).Count | Should -Be 0
        foreach ($r in $removed) { $r.Kind | Should -Be 'symlink' }
        $allowed = @('LT_NOT_A_LINK', 'LT_BUSY', 'LT_NOT_FOUND')
        foreach ($e in @($errs)) { $allowed | Should -Contain (([string]$e.FullyQualifiedErrorId -split ',')[0]) -Because "$($e.Exception.Message)" }
        @(Get-ChildItem -LiteralPath $script:Dir -Force -Name | Where-Object { $_ -like '*.lt-*' }).Count | Should -Be 0
    }
}
