# Real-engine counterparts of behaviour that other Pester files test against the fake engine:
# - every engine command the module calls is listed by the real engine (a missing one FAILS here;
#   it must never turn the real-engine blocks of other files into skips);
# - Get-LinkInfo -AsRemoteClient / -SymlinkEvaluation reaching the real engine, on genuine NTFS links
#   of an ntfs-3g image (root + FUSE; required under CI=true, skipped with the reason elsewhere);
# - the installed layout bin/<os>-<arch>/linktools with the real engine in it.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $inCi = $env:CI -match '^(1|true|yes)$'
    $ntfsReason = $null
    if ($OnWindows) { $ntfsReason = 'ntfs-3g images are a Linux test fixture (Windows has NTFS itself)' }
    else {
        foreach ($tool in 'truncate', 'mkntfs', 'ntfs-3g', 'umount') {
            if (-not $ntfsReason -and -not (Get-Command $tool -ErrorAction SilentlyContinue)) { $ntfsReason = "$tool is not installed (Debian package ntfs-3g)" }
        }
        if (-not $ntfsReason -and -not (Test-Path -LiteralPath '/dev/fuse')) { $ntfsReason = '/dev/fuse is absent' }
        if (-not $ntfsReason -and (& id -u) -ne '0') { $ntfsReason = 'ntfs-3g mounts an image only as root' }
    }
    # On Windows the NTFS block is another OS's test; elsewhere a missing capability fails under CI.
    $skipNtfs = [bool]$ntfsReason -and ($OnWindows -or -not $inCi)
    if ($skipNtfs) { Write-Host "SKIPPED RealEngine.Tests.ps1 NTFS block: $ntfsReason" -ForegroundColor Yellow }
    if ($OnWindows) { Write-Host 'SKIPPED RealEngine.Tests.ps1 installed-layout block: (Windows only skip) the engine copy is a POSIX executable wrapper' -ForegroundColor Yellow }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
}

Describe 'The real engine offers every command the module calls' {
    BeforeAll { $listed = Get-LinkTestEngineCommand }
    It 'lists <_> in linktools --help' -ForEach @('info', 'test', 'create', 'remove', 'scan', 'audit', 'retarget', 'move', 'ensure', 'apply', 'undo', 'serve') {
        $listed | Should -Contain $_ -Because 'a command missing from the engine is a regression, never a reason to skip'
    }
}

Describe 'Get-LinkInfo -AsRemoteClient -SymlinkEvaluation with the real engine on genuine NTFS links' -Skip:$skipNtfs {
    BeforeAll {
        if ($ntfsReason) { throw "CI=true requires the capability ntfs (root + FUSE + ntfs-3g), but it is missing: $ntfsReason" }
        $dir = Join-Path $TestDrive 'ntfs'
        $img = Join-Path $dir 'volume.img'
        $mnt = Join-Path $dir 'mnt'
        New-Item -ItemType Directory -Path $mnt -Force | Out-Null
        & truncate -s 16M $img
        & mkntfs -F -Q -L LinkTools $img *> $null
        if ($LASTEXITCODE -ne 0) { throw "mkntfs failed ($LASTEXITCODE)" }
        & ntfs-3g $img $mnt
        if ($LASTEXITCODE -ne 0) { throw "ntfs-3g could not mount $img ($LASTEXITCODE)" }
        $script:mounted = $true
        New-Item -ItemType Directory -Path (Join-Path $mnt 'data') | Out-Null
        Set-Content -LiteralPath (Join-Path $mnt 'data/file.txt') -Value 'content'
        New-Link -Path (Join-Path $mnt 'rel-link') -Target 'data/file.txt' -ItemType SymbolicLink | Out-Null
    }
    AfterAll {
        if ($script:mounted) {
            # The serve engine of this runspace may hold nothing open, but retry briefly for EBUSY (hang guard).
            for ($i = 0; $i -lt 600; $i++) { & umount $mnt 2>$null; if ($LASTEXITCODE -eq 0) { break }; Start-Sleep -Milliseconds 100 }
        }
    }

    It 'the link is a genuine NTFS symbolic link with a relative target' {
        $info = Get-LinkInfo -LiteralPath (Join-Path $mnt 'rel-link')
        $info.kind | Should -Be 'symlink'
        $info.backend | Should -Be 'ntfs3g'
        $info.target | Should -Be 'data\file.txt'
    }

    It 'under the default policy a relative link opened over SMB is R2L and fails' {
        $r = (Get-LinkInfo -LiteralPath (Join-Path $mnt 'rel-link') -AsRemoteClient ws1).remote
        $r.ok | Should -BeFalse
        $r.evaluationClass | Should -Be 'R2L'
        $r.failure | Should -Be 'classDisabled'
        $r.errorCode | Should -Be 'LT_SYMLINK_CLASS_DISABLED'
        $r.policy | Should -Be 'L2L:1,L2R:1,R2L:0,R2R:0'
    }

    It '-SymlinkEvaluation R2L enables exactly that class, and the link leads to the server' {
        $r = (Get-LinkInfo -LiteralPath (Join-Path $mnt 'rel-link') -AsRemoteClient ws1 -SymlinkEvaluation R2L).remote
        $r.ok | Should -BeTrue
        $r.policy | Should -Be 'L2L:0,L2R:0,R2L:1,R2R:0'
        $r.leadsTo | Should -Be 'server'
        $r.resolvedOn | Should -Be 'ws1'
    }

    It '-SymlinkEvaluation with other classes only still refuses R2L' {
        $r = (Get-LinkInfo -LiteralPath (Join-Path $mnt 'rel-link') -AsRemoteClient ws1 -SymlinkEvaluation L2L, R2R, R2R).remote
        $r.ok | Should -BeFalse
        $r.policy | Should -Be 'L2L:1,L2R:0,R2L:0,R2R:1'
    }
}

Describe 'An installed module runs the real engine from bin/(os)-(arch)' -Skip:$OnWindows {
    It 'finds it there and gets real answers from the file system' {
        $copy = Join-Path $TestDrive 'installed'
        New-Item -ItemType Directory -Path (Join-Path $copy "bin/$(Get-TestPlatformTag)") -Force | Out-Null
        Copy-Item -LiteralPath $ManifestPath -Destination $copy
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'module') -Destination $copy -Recurse
        Copy-Item -LiteralPath (Get-LinkTestEngine) -Destination (Join-Path $copy "bin/$(Get-TestPlatformTag)/linktools")
        $target = Join-Path $TestDrive 'target.txt'
        Set-Content -LiteralPath $target -Value 'x'
        $link = Join-Path $TestDrive 'installed-link'
        & ln -s $target $link
        $saved = $env:LINKTOOLS_ENGINE
        $env:LINKTOOLS_ENGINE = $null
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest, $path)
                    Import-Module $manifest
                    $i = Get-LinkInfo -LiteralPath $path
                    $i.kind; $i.target; $i.targetExists
                }).AddArgument((Join-Path $copy 'LinkTools.psd1')).AddArgument($link)
            $result = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
        } finally { $ps.Dispose(); $env:LINKTOOLS_ENGINE = $saved }
        $result[0] | Should -Be 'symlink'
        $result[1] | Should -Be $target
        $result[2] | Should -BeTrue
    }
}

Describe 'Find-Link parameters with the real engine (counterpart of the fake-engine argument mapping)' -Skip:$OnWindows {
    BeforeAll {
        # root/top -> file; root/a/one -> file; root/a/b/c/three -> missing; root/node_modules/dep -> a
        $root = Join-Path $TestDrive 'tree'
        New-Item -ItemType Directory -Path (Join-Path $root 'a/b/c'), (Join-Path $root 'node_modules') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $root 'file.txt') -Value 'data'
        & ln -s (Join-Path $root 'file.txt') (Join-Path $root 'top')
        & ln -s ../file.txt (Join-Path $root 'a/one')
        & ln -s ../../../gone (Join-Path $root 'a/b/c/three')
        & ln -s ../a (Join-Path $root 'node_modules/dep')
        function Find-Names { param([hashtable] $Params) @(Find-Link -Path $root @Params | ForEach-Object { Split-Path -Leaf $_.path } | Sort-Object) -join ',' }
    }

    It '<Call> finds <Expected>' -ForEach @(
        @{ Call = '(none): the folder itself only'; Params = @{}; Expected = 'top' }
        @{ Call = '-Depth 1'; Params = @{ Depth = 1 }; Expected = 'dep,one,top' }
        @{ Call = '-Recurse'; Params = @{ Recurse = $true }; Expected = 'dep,one,three,top' }
        @{ Call = '-Recurse -Exclude node_modules'; Params = @{ Recurse = $true; Exclude = 'node_modules' }; Expected = 'one,three,top' }
        @{ Call = '-Recurse -Include **/c/*'; Params = @{ Recurse = $true; Include = '**/c/*' }; Expected = 'three' }
        @{ Call = '-Recurse -ItemType Junction'; Params = @{ Recurse = $true; ItemType = 'Junction' }; Expected = '' }
        @{ Call = '-Recurse -ItemType SymbolicLink -OneFileSystem'; Params = @{ Recurse = $true; ItemType = 'SymbolicLink'; OneFileSystem = $true }; Expected = 'dep,one,three,top' }
    ) {
        Find-Names -Params $Params | Should -Be $Expected
    }

    It 'reports what the file system holds: the broken one is the one whose target is missing' {
        $broken = @(Find-Link -Path $root -Recurse | Where-Object { -not $_.targetExists })
        $broken | Should -HaveCount 1
        Split-Path -Leaf $broken[0].path | Should -Be 'three'
    }
}

Describe 'Invoke-LinkAudit -Depth and -FailOn with the real engine' -Skip:$OnWindows {
    BeforeAll {
        $tree = Join-Path $TestDrive 'audit-tree'
        New-Item -ItemType Directory -Path (Join-Path $tree 'sub') -Force | Out-Null
        & ln -s missing-top (Join-Path $tree 'broken-top')
        & ln -s missing-deep (Join-Path $tree 'sub/broken-deep')
    }
    AfterEach { $global:LASTEXITCODE = 0 }

    It '-Depth 0 audits the folder itself only; without it the whole tree' {
        $shallow = @(Invoke-LinkAudit -Path $tree -Depth 0 -Rule 'broken-target' -FailOn Never | ForEach-Object { Split-Path -Leaf $_.path } | Sort-Object)
        $shallow -join ',' | Should -Be 'broken-top'
        $all = @(Invoke-LinkAudit -Path $tree -Rule 'broken-target' -FailOn Never | ForEach-Object { Split-Path -Leaf $_.path } | Sort-Object)
        $all -join ',' | Should -Be 'broken-deep,broken-top'
    }

    It '-FailOn Error sets LASTEXITCODE 1 for broken links, -FailOn Never 0' {
        Invoke-LinkAudit -Path $tree -Rule 'broken-target' -FailOn Error | Out-Null
        $LASTEXITCODE | Should -Be 1
        Invoke-LinkAudit -Path $tree -Rule 'broken-target' -FailOn Never | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
}
