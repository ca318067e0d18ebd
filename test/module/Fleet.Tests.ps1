# Fleet audit through real PowerShell remoting over SSH (issue 13).
#
# build/fleet-hosts.sh starts three sshd on 127.0.0.2..4 (port chosen below), each in its own UTS +
# mount namespace: host name fleet-host<i>, and the folder $mnt shows that host's own tree. pwsh is
# their "powershell" subsystem; the key is made for this run. fleet-host1 and fleet-host2 have the
# module installed (in the PSModulePath their pwsh sees), fleet-host3 has none (until the version
# mismatch test gives it a foreign one). 127.0.0.5 has nothing listening. Every server is stopped in
# AfterAll (and by a PowerShell.Exiting handler should the run die).
# Where namespaces are not allowed the whole file is skipped with the reason, except under CI=true,
# where that is a failure.

BeforeDiscovery {
    $script:FleetProblem = $null
    $onLinux = ($PSVersionTable.PSEdition -eq 'Core') -and $IsLinux
    if (-not $onLinux) { $script:FleetProblem = 'the fleet test needs Linux (namespaces, sshd)' }
    else {
        $script:FleetCheck = & bash (Join-Path $PSScriptRoot '../../build/fleet-hosts.sh') check 2>&1
        if ($LASTEXITCODE -ne 0) { $script:FleetProblem = ($script:FleetCheck | Out-String).Trim() }
    }
    $script:FleetSkip = [bool]$script:FleetProblem
    $script:MustRun = ($env:CI -eq 'true') -and $onLinux
    if ($script:FleetSkip) { Write-Host "SKIPPED Fleet.Tests.ps1: $script:FleetProblem" }
}

Describe 'Fleet prerequisites' {
    # Runs (and passes) where the hosts can start; fails under CI=true where they cannot; skipped with
    # the printed reason only outside CI.
    # (The discovery-time finding is handed to the run phase as test data.)
    It 'can start namespaced sshd hosts (required under CI=true)' -Skip:((-not $script:MustRun) -and $script:FleetSkip) -ForEach @(@{ Problem = [string]$script:FleetProblem }) {
        $Problem | Should -BeNullOrEmpty -Because 'under CI=true the fleet hosts must be able to run on this machine kind'
    }
}

Describe 'Fleet audit over SSH remoting' -Skip:$script:FleetSkip {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ManifestPath -Force
        Use-LinkTestEngine
        $script:Script = Join-Path $RepoRoot 'build/fleet-hosts.sh'
        $script:Dir = Join-Path ([System.IO.Path]::GetTempPath()) ('lt-fleet-test-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $null = New-Item -ItemType Directory -Path $script:Dir
        $script:Port = Get-Random -Minimum 42000 -Maximum 48999
        $script:StopHosts = { & bash $script:Script stop $script:Dir 2>&1 | Out-Null }
        $script:ExitHook = Register-EngineEvent -SourceIdentifier PowerShell.Exiting -Action ([scriptblock]::Create("& bash '$($script:Script)' stop '$($script:Dir)'"))
        $lines = @(& bash $script:Script start $script:Dir 3 $script:Port 2>&1)
        if ($LASTEXITCODE -ne 0) { & $script:StopHosts; throw ("fleet-hosts.sh start failed: " + ($lines -join "`n")) }
        $script:Mnt = Join-Path $script:Dir 'mnt'
        $script:Tree = @{}
        $script:Modules = @{}
        foreach ($l in $lines) {
            $f = -split [string]$l
            $script:Tree[$f[1]] = $f[2]
            $script:Modules[$f[1]] = $f[3]
        }
        $script:Down = '127.0.0.5'
        $script:Ssh = @{
            UserName    = 'root'
            KeyFilePath = (Join-Path $script:Dir 'id_ed25519')
            Port        = $script:Port
            SSHOption   = @{ UserKnownHostsFile = (Join-Path $script:Dir 'known_hosts'); StrictHostKeyChecking = 'yes'; LogLevel = 'ERROR' }
        }
        # The same for New-PSSession, whose name for -SSHOption is -Options.
        $script:SshSession = @{ UserName = 'root'; KeyFilePath = $script:Ssh.KeyFilePath; Port = $script:Port; Options = $script:Ssh.SSHOption }

        # Each host's own tree (seen there as $Mnt).
        function New-TestLink([string] $HostName, [string] $Rel, [string] $Target) {
            $p = Join-Path $script:Tree[$HostName] $Rel
            $parent = Split-Path -Parent $p
            if (-not (Test-Path -LiteralPath $parent)) { $null = New-Item -ItemType Directory -Path $parent -Force }
            & ln -s -- $Target $p
        }
        New-TestLink fleet-host1 'a/broken1' 'nowhere'
        New-TestLink fleet-host1 'a/fine1' '.'
        New-TestLink fleet-host2 'b/etc2' '/etc'
        New-TestLink fleet-host3 'c/broken3' 'missing'

        # The module installed on host1 and host2: manifest, module folder, engine under bin/<tag>.
        $tag = Get-TestPlatformTag
        $engineDir = Split-Path -Parent (Get-LinkTestEngine)
        foreach ($h in 'fleet-host1', 'fleet-host2') {
            $m = Join-Path $script:Modules[$h] 'LinkTools/0.1.0'
            $null = New-Item -ItemType Directory -Path (Join-Path $m 'bin') -Force
            Copy-Item -LiteralPath $ManifestPath -Destination $m
            Copy-Item -LiteralPath (Join-Path $RepoRoot 'module') -Destination $m -Recurse
            & ln -s -- $engineDir (Join-Path $m "bin/$tag")
        }
        function Get-WorkDirs { @(Get-ChildItem -LiteralPath ([System.IO.Path]::GetTempPath()) -Directory -Filter 'linktools-fleet-*' -ErrorAction SilentlyContinue) }
        $script:WorkDirsBefore = @(Get-WorkDirs | ForEach-Object FullName)
    }

    AfterAll {
        Get-PSSession | Where-Object { $_.ComputerName -like '127.0.0.*' } | Remove-PSSession -ErrorAction SilentlyContinue
        if ($script:StopHosts) { & $script:StopHosts }
        if ($script:ExitHook) { Unregister-Event -SourceIdentifier PowerShell.Exiting -ErrorAction SilentlyContinue }
        if ($script:Dir) { Remove-Item -LiteralPath $script:Dir -Recurse -Force -ErrorAction SilentlyContinue }
        Remove-Item Env:LINKTOOLS_ENGINE -ErrorAction SilentlyContinue
    }

    It 'gives each host its own name and its own tree (the namespaces work)' {
        (Get-Content -Raw (Join-Path $script:Dir 'host1/sshd_config')) | Should -Match 'ListenAddress 127\.0\.0\.2:'
        $s = New-PSSession -HostName 127.0.0.2, 127.0.0.3 @script:SshSession
        try {
            $seen = Invoke-Command -Session $s -ArgumentList $script:Mnt { param($m) '{0}:{1}' -f [System.Net.Dns]::GetHostName(), ((Get-ChildItem -LiteralPath $m -Name) -join ',') }
            @($seen | Sort-Object) | Should -Be @('fleet-host1:a', 'fleet-host2:b')
        } finally { $s | Remove-PSSession }
    }

    It 'audits every host with its installed engine; every record names its host; one SARIF run and one baseline part per host' {
        $sarif = Join-Path $script:Dir 'fleet.sarif'
        $baseline = Join-Path $script:Dir 'fleet.baseline.json'
        $out = @(Invoke-LinkAudit -HostName 127.0.0.2, 127.0.0.3 @script:Ssh -Path $script:Mnt -ReportPath $sarif -SaveBaseline $baseline `
                -InformationVariable info -ErrorVariable errs)
        $code = $LASTEXITCODE
        $errs | Should -BeNullOrEmpty
        $code | Should -Be 1   # error findings (default -FailOn) on both hosts
        $h1 = @($out | Where-Object PSComputerName -eq 'fleet-host1')
        $h2 = @($out | Where-Object PSComputerName -eq 'fleet-host2')
        ($h1.Count + $h2.Count) | Should -Be $out.Count
        # What each host holds: host1 a/broken1 -> nowhere (broken), host2 b/etc2 -> /etc.
        (& readlink (Join-Path $script:Tree['fleet-host1'] 'a/broken1')) | Should -Be 'nowhere'
        @($h1 | Where-Object { $_.rule -eq 'broken-target' } | ForEach-Object path) | Should -Be @("$($script:Mnt)/a/broken1")
        @($h1 | Where-Object { $_.path -like '*etc2' }).Count | Should -Be 0
        @($h2 | Where-Object { $_.rule -eq 'sensitive-target' } | ForEach-Object path) | Should -Be @("$($script:Mnt)/b/etc2")
        @($h2 | Where-Object { $_.path -like '*broken1' }).Count | Should -Be 0

        $summaries = @($info | Where-Object { $_.Tags -contains 'LinkTools.AuditSummary' } | ForEach-Object MessageData)
        @($summaries | ForEach-Object PSComputerName | Sort-Object) | Should -Be @('fleet-host1', 'fleet-host2')
        ($summaries | Where-Object PSComputerName -eq 'fleet-host1').links | Should -Be 2
        $fleet = @($info | Where-Object { $_.Tags -contains 'LinkTools.FleetAuditSummary' } | ForEach-Object MessageData)
        $fleet.Count | Should -Be 1
        $fleet[0].Hosts | Should -Be 2
        $fleet[0].Failed.Count | Should -Be 0
        $fleet[0].Links | Should -Be 3
        $fleet[0].Findings | Should -Be $out.Count

        $doc = Get-Content -Raw -LiteralPath $sarif | ConvertFrom-Json
        $doc.version | Should -Be '2.1.0'
        @($doc.runs).Count | Should -Be 2
        foreach ($run in $doc.runs) {
            $name = $run.properties.PSComputerName
            $run.automationDetails.id | Should -Be "linktools-audit/$name/"
            @($run.results).Count | Should -Be @($out | Where-Object PSComputerName -eq $name).Count
        }
        $b = Get-Content -Raw -LiteralPath $baseline | ConvertFrom-Json
        $b.fleetBaselineVersion | Should -Be 1
        @($b.hosts.PSObject.Properties.Name | Sort-Object) | Should -Be @('fleet-host1', 'fleet-host2')
        @($b.hosts.'fleet-host1'.links.PSObject.Properties.Name | Sort-Object) | Should -Be @("$($script:Mnt)/a/broken1", "$($script:Mnt)/a/fine1")
        @($b.hosts.'fleet-host2'.links.PSObject.Properties.Name) | Should -Be @("$($script:Mnt)/b/etc2")
        # Nothing left behind on the hosts.
        @(Get-WorkDirs | Where-Object { $script:WorkDirsBefore -notcontains $_.FullName }).Count | Should -Be 0
    }

    It 'reports drift per host against the fleet baseline, and a CSV with a host column' {
        $baseline = Join-Path $script:Dir 'fleet.baseline.json'
        Test-Path -LiteralPath $baseline | Should -BeTrue
        New-TestLink fleet-host2 'b/new2' 'etc2'
        $csv = Join-Path $script:Dir 'fleet.csv'
        $out = @(Invoke-LinkAudit -HostName 127.0.0.2, 127.0.0.3 @script:Ssh -Path $script:Mnt -Baseline $baseline -ReportPath $csv -FailOn Never -ErrorVariable errs)
        $LASTEXITCODE | Should -Be 0
        $errs | Should -BeNullOrEmpty
        $drift = @($out | Where-Object { $_.PSObject.TypeNames -contains 'LinkTools.Drift' })
        $drift.Count | Should -Be 1
        $drift[0].PSComputerName | Should -Be 'fleet-host2'
        $drift[0].change | Should -Be 'added'
        $drift[0].path | Should -Be "$($script:Mnt)/b/new2"
        $rows = @(Import-Csv -LiteralPath $csv)
        $findings = @($out | Where-Object { $_.PSObject.TypeNames -contains 'LinkTools.Finding' })
        $rows.Count | Should -Be $findings.Count
        @($rows | ForEach-Object host | Sort-Object -Unique) | Should -Be @('fleet-host1', 'fleet-host2')
        @($rows | Where-Object { $_.host -eq 'fleet-host1' -and $_.rule -eq 'broken-target' }).path | Should -Be "$($script:Mnt)/a/broken1"
        # A UTF-8 byte-order mark first, as in the engine's own CSV reports; none with -NoByteOrderMark.
        @([System.IO.File]::ReadAllBytes($csv)[0..2]) -join ',' | Should -Be '239,187,191'
        $plain = Join-Path $script:Dir 'fleet-nobom.csv'
        Invoke-LinkAudit -HostName 127.0.0.2 @script:Ssh -Path $script:Mnt -ReportPath $plain -NoByteOrderMark -FailOn Never -Summary | Out-Null
        [System.IO.File]::ReadAllBytes($plain)[0] | Should -Be ([byte][char]'h')
    }

    It 'reports each failed host once (unreachable, login refused, no engine), still reports the others, and exits 3' {
        $md = Join-Path $script:Dir 'fleet.md'
        $out = @(Invoke-LinkAudit -HostName 127.0.0.2, 127.0.0.4, $script:Down, 'nobody@127.0.0.3' @script:Ssh -Path $script:Mnt `
                -ReportPath $md -ErrorVariable errs -ErrorAction SilentlyContinue -InformationVariable info)
        $LASTEXITCODE | Should -Be 3
        $ids = @($errs | ForEach-Object { '{0} {1}' -f $_.FullyQualifiedErrorId, $_.TargetObject } | Sort-Object)
        $ids | Should -Be @(
            "LT_REMOTE_AUTH_FAILED,Invoke-LinkAudit nobody@127.0.0.3"
            "LT_REMOTE_ENGINE_MISSING,Invoke-LinkAudit fleet-host3"
            "LT_REMOTE_UNREACHABLE,Invoke-LinkAudit $($script:Down)"
        )
        @($out | ForEach-Object PSComputerName | Sort-Object -Unique) | Should -Be @('fleet-host1')
        @($out | Where-Object rule -eq 'broken-target').Count | Should -Be 1
        $fleet = ($info | Where-Object { $_.Tags -contains 'LinkTools.FleetAuditSummary' }).MessageData
        $fleet.ExitCode | Should -Be 3
        @($fleet.Failed | Sort-Object) | Should -Be @('127.0.0.5', 'fleet-host3', 'nobody@127.0.0.3')
        # The Markdown report: a row per host (the failed ones with their error) and the findings with their host.
        $text = Get-Content -Raw -LiteralPath $md
        $text | Should -Match '\| fleet-host1 \| completed \|'
        $text | Should -Match '\| fleet-host3 \| failed: LT_REMOTE_ENGINE_MISSING '
        $text | Should -Match '\| 127\.0\.0\.5 \| failed: LT_REMOTE_UNREACHABLE '
        $text | Should -Match ('\| fleet-host1 \| error \| broken-target \| `' + [regex]::Escape("$($script:Mnt)/a/broken1") + '` \|')
    }

    It 'makes a private work folder (0700) on a host' {
        $s = New-PSSession -HostName 127.0.0.4 @script:SshSession
        try {
            $dir = InModuleScope LinkTools -Parameters @{ S = $s } { param($S) Invoke-Command -Session $S -ScriptBlock $script:LinkRemoteNewWorkDir -ArgumentList $false }
            try {
                (& stat -c '%a %U' -- $dir) | Should -Be '700 root'
            } finally { Invoke-Command -Session $s -ArgumentList $dir { param($d) Remove-Item -LiteralPath $d -Recurse -Force } }
            Test-Path -LiteralPath $dir | Should -BeFalse
        } finally { $s | Remove-PSSession }
    }

    It 'with -Deploy copies the engine to a host without LinkTools, checks it, uses it and removes it; JSON report with hosts' {
        $json = Join-Path $script:Dir 'fleet.json'
        $out = @(Invoke-LinkAudit -HostName 127.0.0.4 @script:Ssh -Path $script:Mnt -Deploy -ReportPath $json -ErrorVariable errs -Verbose 4>&1)
        $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $out = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $errs | Should -BeNullOrEmpty
        $LASTEXITCODE | Should -Be 1
        @($verbose | Where-Object { $_ -like 'LinkTools: deploying linktools to fleet-host3:*' }).Count | Should -Be 1
        @($out | Where-Object rule -eq 'broken-target' | ForEach-Object { '{0} {1}' -f $_.PSComputerName, $_.path }) | Should -Be @("fleet-host3 $($script:Mnt)/c/broken3")
        $doc = Get-Content -Raw -LiteralPath $json | ConvertFrom-Json
        @($doc.hosts).Count | Should -Be 1
        $doc.hosts[0].PSComputerName | Should -Be 'fleet-host3'
        $doc.hosts[0].summary.links | Should -Be 1
        @($doc.findings | Where-Object { $_.PSComputerName -eq 'fleet-host3' }).Count | Should -Be $out.Count
        @($doc.links | ForEach-Object path) | Should -Be @("$($script:Mnt)/c/broken3")
        @(Get-WorkDirs | Where-Object { $script:WorkDirsBefore -notcontains $_.FullName }).Count | Should -Be 0
    }

    It 'Find-Link -Session lists each host''s own links with PSComputerName' {
        $s = New-PSSession -HostName 127.0.0.2, 127.0.0.3 @script:SshSession
        try {
            $links = @(Find-Link -Session $s -Path $script:Mnt -Recurse -ThrottleLimit 1 -InformationVariable info)
            $LASTEXITCODE | Should -Be 0
            @($links | ForEach-Object { '{0} {1} {2}' -f $_.PSComputerName, $_.path, $_.target } | Sort-Object) | Should -Be @(
                "fleet-host1 $($script:Mnt)/a/broken1 nowhere"
                "fleet-host1 $($script:Mnt)/a/fine1 ."
                "fleet-host2 $($script:Mnt)/b/etc2 /etc"
                "fleet-host2 $($script:Mnt)/b/new2 etc2"
            )
            @($info | Where-Object { $_.Tags -contains 'LinkTools.ScanSummary' }).Count | Should -Be 2
            # Sessions given by the caller stay open.
            @($s | Where-Object State -eq 'Opened').Count | Should -Be 2
        } finally { $s | Remove-PSSession }
    }

    It 'reports LT_REMOTE_VERSION_MISMATCH for a host whose LinkTools speaks another contract' {
        # A foreign LinkTools on host3: its engine answers doctor with contract 2.0.
        $m = Join-Path $script:Modules['fleet-host3'] 'LinkTools/9.0.0'
        $bin = Join-Path $m ('bin/' + (Get-TestPlatformTag))
        $null = New-Item -ItemType Directory -Path $bin -Force
        Copy-Item -LiteralPath $ManifestPath -Destination $m
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'module') -Destination $m -Recurse
        (Get-Content -Raw -LiteralPath (Join-Path $m 'LinkTools.psd1')) -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion = '9.0.0'" | Set-Content -LiteralPath (Join-Path $m 'LinkTools.psd1')
        $fake = Join-Path $bin 'linktools'
        Set-Content -LiteralPath $fake -Value "#!/bin/sh`necho '{`"recordType`":`"doctor`",`"schemaVersion`":`"2.0`",`"engineVersion`":`"9.0.0`"}'"
        & chmod +x $fake
        $out = @(Invoke-LinkAudit -HostName 127.0.0.4 @script:Ssh -Path $script:Mnt -ErrorVariable errs -ErrorAction SilentlyContinue)
        $LASTEXITCODE | Should -Be 3
        $out.Count | Should -Be 0
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'LT_REMOTE_VERSION_MISMATCH,Invoke-LinkAudit'
        $errs[0].TargetObject | Should -Be 'fleet-host3'
        $errs[0].Exception.Message | Should -Match 'contract 2\.0'
    }

    It 'stopping the command (Ctrl+C) stops the engine on the host and removes its work folder' {
        # 20000 broken links on host2: the engine there runs for many seconds, streaming findings.
        $big = Join-Path $script:Tree['fleet-host2'] 'big'
        for ($d = 0; $d -lt 20; $d++) {
            $dir = Join-Path $big "d$d"
            $null = New-Item -ItemType Directory -Path $dir -Force
            for ($i = 0; $i -lt 1000; $i++) { $null = [System.IO.File]::CreateSymbolicLink((Join-Path $dir "l$i"), "missing$i") }
        }
        $hostPid = @(Get-Content -LiteralPath (Join-Path $script:Dir 'pids'))[1]
        $ns = (Get-Item -LiteralPath "/proc/$hostPid/ns/uts").LinkTarget
        $engines = {
            @(foreach ($p in [System.IO.Directory]::GetDirectories('/proc')) {
                    if ((Split-Path -Leaf $p) -notmatch '^\d+$') { continue }
                    try {
                        if ((Get-Item -LiteralPath "$p/ns/uts" -ErrorAction Stop).LinkTarget -eq $ns -and
                            ([System.IO.File]::ReadAllText("$p/comm").Trim() -eq 'linktools')) { Split-Path -Leaf $p }
                    } catch { $null = $_ }
                })
        }.GetNewClosure()
        $ps = [powershell]::Create()
        $frozen = @()
        try {
            $null = $ps.AddScript({
                    param($Manifest, $Engine, $Ssh, $Path)
                    $env:LINKTOOLS_ENGINE = $Engine
                    Import-Module $Manifest
                    Invoke-LinkAudit -HostName 127.0.0.3 @Ssh -Path $Path
                }).AddArgument($ManifestPath).AddArgument($env:LINKTOOLS_ENGINE).AddArgument($script:Ssh).AddArgument("$($script:Mnt)/big")
            $in = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
            $in.Complete()
            $out = New-Object 'System.Management.Automation.PSDataCollection[psobject]'
            $async = $ps.BeginInvoke($in, $out)
            # The engine on fleet-host2 is frozen (SIGSTOP) as soon as it is seen, so that the command is
            # certainly stopped while its engine still runs, however fast the machine audits 20000 links
            # (a protocol fact, not a race). Hang guard only: 90 s.
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            while (-not $frozen.Count -and -not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
                $frozen = @(& $engines)
                if ($frozen.Count) { & kill -STOP @frozen } else { Start-Sleep -Milliseconds 20 }
            }
            $frozen.Count | Should -Be 1 -Because 'one engine runs on fleet-host2 (seen before the audit of 20000 links ended)'
            $async.IsCompleted | Should -BeFalse -Because 'its engine is frozen, so the audit cannot have ended'
            $ps.Stop()
            # A process stopped by SIGSTOP still dies of SIGKILL; SIGCONT lets any gentler ending run too.
            & kill -CONT @frozen 2>$null
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (@(& $engines).Count -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
            @(& $engines).Count | Should -Be 0 -Because 'stopping the command stops the engine on the host'
            @(Get-WorkDirs | Where-Object { $script:WorkDirsBefore -notcontains $_.FullName }).Count | Should -Be 0
        } finally {
            # Never leave a frozen engine behind, whatever failed.
            if ($frozen.Count) { & kill -CONT @frozen 2>$null }
            $ps.Dispose()
            Remove-Item -LiteralPath $big -Recurse -Force
        }
    }
}
