# Fleet commands: Invoke-LinkAudit / Find-Link with -Session, -ComputerName (WinRM) or -HostName (SSH).
#
# Flow (Invoke-LinkRemote):
# 1. Sessions: the given PSSessions, or one New-PSSession per name (WinRM or SSH). A host that cannot
#    be reached or refuses the login is one ErrorRecord (LT_REMOTE_UNREACHABLE / LT_REMOTE_AUTH_FAILED)
#    and the others go on. For SSH, ssh's own message is not available to the caller, so the two are
#    told apart by a plain TCP connect to the host's port first: no answer = unreachable, answer but
#    no session = the login (or the host's powershell subsystem) failed.
# 2. Per host (RemoteDeploy.ps1): probe, private work folder, the engine (installed or -Deploy'ed),
#    the per-host inputs (config, this host's part of the fleet baseline) written into the folder.
# 3. One Invoke-Command -Session <ready hosts> -AsJob -ThrottleLimit N runs the engine on each host
#    on that host's paths; each stdout line comes back as it is written (Receive-Job -Wait) and is
#    turned into the same objects as a local run, with PSComputerName = the host's own name.
#    Stopping the command (Ctrl+C) stops the job, which stops every remote pipeline and its engine.
# 4. The fleet summary, the merged report and fleet baseline (RemoteReport.ps1), clean-up of every
#    work folder and of the sessions made here, $LASTEXITCODE (3 when any host failed).

$script:LinkRemoteSets = @('Session', 'ComputerName', 'HostName')

function Test-LinkRemoteCall {
    # True when the calling command was called with a remote parameter set.
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet)
    $script:LinkRemoteSets -contains $Cmdlet.ParameterSetName
}

# Runs on every host: the engine on that host's paths, each stdout line out as it comes, then an end
# marker with the exit code and stderr. Host-specific facts come from the session's own state,
# set by the preparation step ($global:LinkToolsFleetRun).
$script:LinkRemoteRunner = {
    param([string[]] $EngineArgs, [string[]] $Roots, [string] $ReportFormat, [bool] $SaveBaseline)
    $st = $global:LinkToolsFleetRun
    # The command, the roots, then the options: no array option can take a root as its value.
    $a = @($EngineArgs[0]) + @($Roots) + @($EngineArgs | Select-Object -Skip 1)
    if ($st.HasConfig) { $a += @('--config', (Join-Path $st.WorkDir 'config.json')) }
    if ($st.HasBaseline) { $a += @('--baseline', (Join-Path $st.WorkDir 'baseline-in.json')) }
    if ($SaveBaseline) { $a += @('--save-baseline', (Join-Path $st.WorkDir 'baseline-out.json')) }
    if ($ReportFormat) { $a += @('--out', (Join-Path $st.WorkDir ('report.' + $ReportFormat)), '--format', $ReportFormat) }
    try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding -ArgumentList $false } catch { $null = $_ }
    $errFile = Join-Path $st.WorkDir 'stderr.txt'
    $index = $st.Index
    & $st.Engine @a 2> $errFile | ForEach-Object { New-Object PSObject -Property @{ LtIndex = $index; Line = [string]$_ } }
    $code = $LASTEXITCODE
    $stderr = ''
    if (Test-Path -LiteralPath $errFile) { $stderr = [string](Get-Content -LiteralPath $errFile -Raw) }
    New-Object PSObject -Property @{ LtIndex = $index; LtEnd = $true; ExitCode = $code; StdErr = $stderr }
}

function Set-LinkRemoteFailure {
    # Records a host's failure; Write-LinkRemoteFailure reports it (once).
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Records a failure on the module's own per-host state object; nothing outside the module changes.")]
    param([Parameter(Mandatory)] $HostState, [Parameter(Mandatory)][string] $ErrorId, [Parameter(Mandatory)][string] $Message, [System.Exception] $Exception)
    if ($HostState.Failure) { return }
    $HostState.Failure = New-Object PSObject -Property @{ ErrorId = $ErrorId; Message = $Message; Exception = $Exception; Reported = $false }
}

function Write-LinkRemoteFailure {
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [Parameter(Mandatory)] $HostState)
    $f = $HostState.Failure
    if (-not $f -or $f.Reported) { return }
    $f.Reported = $true
    $record = New-LinkModuleErrorRecord -ErrorId $f.ErrorId -Message $f.Message -TargetObject $HostState.Name -InnerException $f.Exception
    $Cmdlet.WriteError($record)
}

function Test-LinkTcpPort {
    # Can a TCP connection to host:port be opened within the timeout? (Tells "unreachable" from
    # "login failed" for SSH; nothing is sent.)
    param([string] $HostName, [int] $Port, [int] $TimeoutMs = 5000)
    # WaitAny and Status: nothing throws, so no error reaches the caller's -ErrorVariable.
    $client = New-Object System.Net.Sockets.TcpClient
    try {
        $task = $client.ConnectAsync($HostName, $Port)
        [void][System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($task), $TimeoutMs)
        return ($task.Status -eq [System.Threading.Tasks.TaskStatus]::RanToCompletion -and $client.Connected)
    } finally { $client.Dispose() }
}

function New-LinkRemoteSession {
    <#
    One PSSession per name, in order; a failure is recorded on that host's state. Output: host states
    (Name, Session, Owned, ...).
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Opens the PSSessions the caller asked for with -ComputerName/-HostName (closed again at the end); no file is changed, and the public cmdlets' own ShouldProcess covers report files.")]
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)][System.Collections.IDictionary] $Bound, [Parameter(Mandatory)][string] $SetName)
    $states = New-Object System.Collections.Generic.List[object]
    if ($SetName -eq 'Session') {
        foreach ($s in @($Bound['Session'])) {
            $st = New-LinkRemoteHostState -Name $s.ComputerName -Index $states.Count
            $st.Session = $s
            if ($s.State -ne 'Opened') {
                Set-LinkRemoteFailure -HostState $st -ErrorId 'LT_REMOTE_UNREACHABLE' -Message ("{0}: the session is {1}, not Opened." -f $s.ComputerName, $s.State)
            }
            $states.Add($st)
        }
        return , $states.ToArray()
    }
    $names = @($Bound[$SetName])
    foreach ($name in $names) {
        $st = New-LinkRemoteHostState -Name $name -Index $states.Count
        $states.Add($st)
        $p = @{}
        if ($SetName -eq 'HostName') {
            if ($PSVersionTable.PSVersion.Major -lt 7) {
                Set-LinkRemoteFailure -HostState $st -ErrorId 'LT_REMOTE_UNREACHABLE' -Message ("{0}: PowerShell remoting over SSH (-HostName) needs PowerShell 7; use -ComputerName (WinRM) or -Session." -f $name)
                continue
            }
            $p['HostName'] = $name
            foreach ($k in 'UserName', 'KeyFilePath', 'Port') { if ($Bound.ContainsKey($k)) { $p[$k] = $Bound[$k] } }
            $options = @{}
            if ($Bound['SSHOption']) { foreach ($k in $Bound['SSHOption'].Keys) { $options[[string]$k] = $Bound['SSHOption'][$k] } }
            if (-not ($options.Keys | Where-Object { $_ -eq 'ConnectTimeout' })) { $options['ConnectTimeout'] = '10' }
            $p['Options'] = $options
        } else {
            $p['ComputerName'] = $name
            if ($Bound.ContainsKey('Credential')) { $p['Credential'] = $Bound['Credential'] }
        }
        # 2>&1: the failure comes back as an object, so it is reported once, as this host's
        # LT_REMOTE_* error, and not also as New-PSSession's own error.
        # Over SSH the error says nothing more than "the transport ended" (ssh prints its reason
        # itself), so it is not even recorded: Ignore keeps it out of the caller's -ErrorVariable.
        $p['ErrorAction'] = 'Continue'
        if ($SetName -eq 'HostName') { $p['ErrorAction'] = 'Ignore' }
        $opened = @(New-PSSession @p 2>&1)
        $session = @($opened | Where-Object { $_ -is [System.Management.Automation.Runspaces.PSSession] }) | Select-Object -First 1
        $problem = @($opened | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Select-Object -First 1
        if ($session) {
            $st.Session = $session
            $st.Owned = $true
        } else {
            $ex = New-Object System.Management.Automation.Remoting.PSRemotingTransportException -ArgumentList 'The session could not be opened.'
            if ($problem) { $ex = $problem.Exception }
            $id = 'LT_REMOTE_UNREACHABLE'
            $why = $ex.Message
            if ($SetName -eq 'HostName') {
                $port = 22
                if ($Bound.ContainsKey('Port')) { $port = [int]$Bound['Port'] }
                $hostPart = ([string]$name -replace '^.*@', '')
                if (Test-LinkTcpPort -HostName $hostPart -Port $port) {
                    $id = 'LT_REMOTE_AUTH_FAILED'
                    $why = "port $port answers but no PowerShell session opened: the SSH login failed (user, key) or the host has no 'powershell' SSH subsystem. ($($ex.Message))"
                } else {
                    $why = "nothing answers on port ${port}: $($ex.Message)"
                }
            } else {
                $code = 0
                if ($ex -is [System.Management.Automation.Remoting.PSRemotingTransportException]) { $code = $ex.ErrorCode }
                if ($code -eq 5 -or $ex.Message -match 'Access is denied|authenticat|logon|credential') { $id = 'LT_REMOTE_AUTH_FAILED' }
            }
            Set-LinkRemoteFailure -HostState $st -ErrorId $id -Message ('{0}: {1}' -f $name, $why) -Exception $ex
        }
    }
    , $states.ToArray()
}

function New-LinkRemoteHostState {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Builds an in-memory state object; changes nothing.")]
    param([string] $Name, [int] $Index)
    New-Object PSObject -Property @{
        Name = $Name; ConnectionName = $Name; Index = $Index; Session = $null; Owned = $false; Probe = $null
        WorkDir = $null; Engine = $null; EngineSource = $null; Failure = $null; Ended = $false; ExitCode = $null
        Summary = $null; ReportText = $null; BaselineText = $null
    }
}

function Initialize-LinkRemoteHost {
    # Probe, work folder, engine, per-host inputs for one connected host. Failures are recorded.
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)] $HostState)
    $s = $HostState.Session
    try {
        $HostState.Probe = Invoke-Command -Session $s -ScriptBlock $script:LinkRemoteProbe -ErrorAction Stop
        if ($HostState.Probe.HostName) { $HostState.Name = [string]$HostState.Probe.HostName }
        $HostState.WorkDir = [string](Invoke-Command -Session $s -ScriptBlock $script:LinkRemoteNewWorkDir -ArgumentList ([bool]$HostState.Probe.IsWindows) -ErrorAction Stop)
    } catch {
        Set-LinkRemoteFailure -HostState $HostState -ErrorId 'LT_REMOTE_FAILED' -Message ('{0}: preparing the host failed: {1}' -f $HostState.ConnectionName, $_.Exception.Message) -Exception $_.Exception
        return
    }
    $engine = Resolve-LinkRemoteEngine -Context $Context -HostState $HostState
    if (-not $engine) { return }
    $HostState.Engine = $engine
    $baselineText = $null
    if ($Context.FleetBaseline) { $baselineText = Get-LinkFleetBaselinePart -Context $Context -HostName $HostState.Name }
    try {
        Invoke-Command -Session $s -ErrorAction Stop -ArgumentList $engine, $HostState.WorkDir, $HostState.Index, $Context.ConfigText, $baselineText -ScriptBlock {
            param($Engine, $WorkDir, $Index, $ConfigText, $BaselineText)
            $enc = New-Object System.Text.UTF8Encoding -ArgumentList $false
            if ($ConfigText) { [System.IO.File]::WriteAllText((Join-Path $WorkDir 'config.json'), $ConfigText, $enc) }
            if ($BaselineText) { [System.IO.File]::WriteAllText((Join-Path $WorkDir 'baseline-in.json'), $BaselineText, $enc) }
            $global:LinkToolsFleetRun = @{
                Engine = $Engine; WorkDir = $WorkDir; Index = $Index
                HasConfig = [bool]$ConfigText; HasBaseline = [bool]$BaselineText
            }
        }
    } catch {
        Set-LinkRemoteFailure -HostState $HostState -ErrorId 'LT_REMOTE_FAILED' -Message ('{0}: preparing the host failed: {1}' -f $HostState.Name, $_.Exception.Message) -Exception $_.Exception
    }
}

function Add-LinkHostName {
    param($Object, [string] $Name)
    $Object.PSObject.Properties.Remove('PSComputerName')
    Add-Member -InputObject $Object -MemberType NoteProperty -Name PSComputerName -Value $Name -Force
    $Object
}

function Receive-LinkRemoteItem {
    # One item from a host's runner -> output objects / errors / host state. Returns what to output.
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)] $Item)
    $st = $null
    if ($null -ne $Item.LtIndex) { $st = $Context.Hosts[[int]$Item.LtIndex] }
    if (-not $st) { return }
    $cmdlet = $Context.Cmdlet
    if ($Item.LtEnd) {
        $st.Ended = $true
        $st.ExitCode = [int]$Item.ExitCode
        if ($st.ExitCode -ge 2 -or $Item.StdErr) {
            $text = ([string]$Item.StdErr).Trim()
            if ($st.ExitCode -ge 2) {
                $msg = '{0}: the engine there ended with exit code {1}.' -f $st.Name, $st.ExitCode
                if ($text) { $msg += ' ' + $text }
                Set-LinkRemoteFailure -HostState $st -ErrorId 'LT_REMOTE_FAILED' -Message $msg
            } elseif ($text) {
                $cmdlet.WriteWarning(('{0}: the engine reported: {1}' -f $st.Name, $text))
            }
        }
        return
    }
    $record = $null
    try { $record = ConvertFrom-LinkJson -Text ([string]$Item.Line) } catch { $record = $null }
    if ($null -eq $record -or $null -eq $record.PSObject.Properties['recordType']) {
        Set-LinkRemoteFailure -HostState $st -ErrorId 'LT_REMOTE_FAILED' -Message ('{0}: the engine there wrote something that is not a record: {1}' -f $st.Name, $Item.Line)
        return
    }
    $type = [string]$record.recordType
    if ($type -eq 'progress') { return }
    if ($type -eq 'error') {
        $er = New-LinkErrorRecord -Record $record
        $er.ErrorDetails = New-Object System.Management.Automation.ErrorDetails -ArgumentList ('[{0}] {1}' -f $st.Name, $er.Exception.Message)
        $cmdlet.WriteError($er)
        return
    }
    if ($type -eq 'linkInfo' -and $Context.BrokenOnly) {
        # Find-Link -Broken: symbolic links and junctions whose target does not resolve, only.
        if ($record.targetExists -or ($record.kind -ne 'symlink' -and $record.kind -ne 'junction')) { return }
    }
    $obj = Add-LinkHostName -Object (ConvertTo-LinkObject -Record $record) -Name $st.Name
    if ($type -eq 'auditSummary' -or $type -eq 'scanSummary') {
        $st.Summary = $obj
        Write-LinkSummary -Cmdlet $cmdlet -Summary $obj -Text ('{0}: {1} entries, {2} links.' -f $st.Name, $obj.entries, $obj.links)
        if ($Context.SummaryOnly) { return $obj }
        return
    }
    if ($Context.Collect) { $Context.Records.Add($obj) }
    if (-not $Context.SummaryOnly) { return $obj }
}

function Invoke-LinkRemote {
    <#
    The remote half of Invoke-LinkAudit (-Command audit) and Find-Link (-Command scan): see the top of
    this file. -Bound is the caller's $PSBoundParameters, -Path the remote roots as given.
    #>
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][ValidateSet('audit', 'scan')][string] $Command,
        [Parameter(Mandatory)][System.Collections.IDictionary] $Bound,
        [string[]] $Path,
        [string] $EnginePath
    )
    if (-not $Path -or $Path.Count -eq 0) { $Path = @('.') }
    if (-not $EnginePath) { $EnginePath = Get-LinkEnginePath -Cmdlet $Cmdlet }
    $fact = Get-LinkLocalEngineFact -EnginePath $EnginePath
    $major = $null
    if ($fact) { $major = Get-LinkContractMajor -SchemaVersion ([string]$fact.schemaVersion) }
    if ($null -eq $major) {
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -TargetObject $EnginePath -Message "The local LinkTools engine did not answer doctor: $EnginePath"))
    }
    $context = New-Object PSObject -Property @{
        Cmdlet = $Cmdlet; Command = $Command; EnginePath = $EnginePath; ContractMajor = $major; EngineVersion = [string]$fact.engineVersion
        Deploy = [bool]$Bound['Deploy']; Packages = @{}; LocalWorkDir = $null; Hosts = $null
        SummaryOnly = [bool]$Bound['Summary']; BrokenOnly = [bool]$Bound['Broken']; Collect = $false; Records = (New-Object System.Collections.Generic.List[object])
        ConfigText = $null; FleetBaseline = $null; ReportFormat = $null; ReportPath = $null; SaveBaselinePath = $null
        NoByteOrderMark = [bool]$Bound['NoByteOrderMark']
    }
    $engineArgs = @($Command, '--errors-inline')
    if ($Command -eq 'audit') {
        $engineArgs += Get-LinkScanArgument -Bound $Bound -DefaultMaxDepth $null
        foreach ($r in @($Bound['Rule'])) { if ($r) { $engineArgs += @('--rule', $r) } }
        foreach ($r in @($Bound['ExcludeRule'])) { if ($r) { $engineArgs += @('--disable-rule', $r) } }
        if ($Bound['FailOn']) { $engineArgs += @('--fail-on', ([string]$Bound['FailOn']).ToLowerInvariant()) }
        if ($Bound['SymlinkEvaluation']) { $engineArgs += @('--remote-policy', ((@($Bound['SymlinkEvaluation']) | Select-Object -Unique) -join ',')) }
        Initialize-LinkRemoteFile -Context $context -Bound $Bound
    } else {
        $engineArgs += Get-LinkScanArgument -Bound $Bound -DefaultMaxDepth 1
    }

    $hosts = $null
    $job = $null
    $completed = $false
    try {
        $hosts = New-LinkRemoteSession -Context $context -Bound $Bound -SetName $Cmdlet.ParameterSetName
        $context.Hosts = $hosts
        foreach ($st in $hosts) {
            if ($st.Failure) { Write-LinkRemoteFailure -Cmdlet $Cmdlet -HostState $st; continue }
            Initialize-LinkRemoteHost -Context $context -HostState $st
            Write-LinkRemoteFailure -Cmdlet $Cmdlet -HostState $st
        }
        $ready = @($hosts | Where-Object { -not $_.Failure })
        if ($ready.Count) {
            $throttle = 32
            if ($Bound.ContainsKey('ThrottleLimit')) { $throttle = [int]$Bound['ThrottleLimit'] }
            $format = $null
            if ($context.ReportFormat -eq 'Sarif') { $format = 'sarif' } elseif ($context.ReportFormat -eq 'Json') { $format = 'json' }
            $job = Invoke-Command -Session @($ready | ForEach-Object { $_.Session }) -ScriptBlock $script:LinkRemoteRunner -AsJob -ThrottleLimit $throttle `
                -ArgumentList $engineArgs, $Path, $format, ([bool]$context.SaveBaselinePath)
            $remoteErrors = $null
            Receive-Job -Job $job -Wait -ErrorAction SilentlyContinue -ErrorVariable remoteErrors | ForEach-Object {
                Receive-LinkRemoteItem -Context $context -Item $_
            }
            foreach ($st in $ready) {
                if ($st.Ended) { continue }
                $why = 'the remote command ended without a result'
                foreach ($e in @($remoteErrors)) {
                    if ($e -and $e.OriginInfo -and $e.OriginInfo.PSComputerName -eq $st.Session.ComputerName) { $why = $e.Exception.Message; break }
                }
                Set-LinkRemoteFailure -HostState $st -ErrorId 'LT_REMOTE_FAILED' -Message ('{0}: {1}' -f $st.Name, $why)
            }
            foreach ($st in $ready) { Write-LinkRemoteFailure -Cmdlet $Cmdlet -HostState $st }
            if ($Command -eq 'audit') { Receive-LinkRemoteFile -Context $context }
        }
        $completed = $true
    } finally {
        if ($job) {
            if (-not $completed) { Stop-Job -Job $job -ErrorAction SilentlyContinue }
            Remove-Job -Job $job -Force -ErrorAction SilentlyContinue
        }
        foreach ($st in @($hosts)) {
            if ($st.Session -and $st.WorkDir -and $st.Session.State -eq 'Opened') {
                try { Invoke-Command -Session $st.Session -ScriptBlock $script:LinkRemoteRemoveWorkDir -ArgumentList $st.WorkDir -ErrorAction Stop }
                catch { if ($completed) { $Cmdlet.WriteWarning(('{0}: could not remove the work folder {1}: {2}' -f $st.Name, $st.WorkDir, $_.Exception.Message)) } }
            }
            if ($st.Owned -and $st.Session) { Remove-PSSession -Session $st.Session -ErrorAction SilentlyContinue }
        }
        if ($context.LocalWorkDir) { Remove-Item -LiteralPath $context.LocalWorkDir -Recurse -Force -ErrorAction SilentlyContinue }
    }

    # Fleet results: report, baseline, summary, exit code.
    $failed = @($hosts | Where-Object { $_.Failure })
    $done = @($hosts | Where-Object { -not $_.Failure })
    $exit = 0
    foreach ($st in $done) { if ($st.ExitCode -gt $exit) { $exit = $st.ExitCode } }
    if ($failed.Count) { $exit = 3 }
    if ($Command -eq 'audit') {
        # ShouldProcess: -WhatIf where the command supports it (always $true where it does not).
        if ($context.ReportPath -and $Cmdlet.ShouldProcess($context.ReportPath, 'Write the fleet audit report')) { Write-LinkFleetReport -Context $context }
        if ($context.SaveBaselinePath -and $Cmdlet.ShouldProcess($context.SaveBaselinePath, 'Save the fleet baseline')) { Write-LinkFleetBaseline -Context $context }
    }
    $fleet = New-LinkFleetSummary -Context $context -ExitCode $exit
    $global:LASTEXITCODE = $exit
    Write-LinkSummary -Cmdlet $Cmdlet -Summary $fleet -Text ('Fleet: {0} hosts, {1} completed, {2} failed; {3} links, {4} findings; exit code {5}.' -f `
            $fleet.Hosts, $fleet.Completed.Count, $fleet.Failed.Count, $fleet.Links, $fleet.Findings, $exit)
    if ($context.SummaryOnly) { $fleet }
}

function New-LinkFleetSummary {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Builds the fleet summary object; changes nothing.")]
    param([Parameter(Mandatory)] $Context, [int] $ExitCode)
    $hosts = @($Context.Hosts)
    $sev = [ordered]@{ error = 0; warning = 0; info = 0 }
    $entries = 0; $links = 0; $findings = 0; $drift = 0
    foreach ($st in $hosts) {
        $s = $st.Summary
        if (-not $s -or $st.Failure) { continue }
        $entries += [int]$s.entries; $links += [int]$s.links
        if ($null -ne $s.PSObject.Properties['findings']) { $findings += [int]$s.findings }
        if ($null -ne $s.PSObject.Properties['drift']) { $drift += [int]$s.drift }
        if ($s.bySeverity) { foreach ($k in 'error', 'warning', 'info') { $sev[$k] += [int]$s.bySeverity.$k } }
    }
    $typeName = 'LinkTools.FleetScanSummary'
    if ($Context.Command -eq 'audit') { $typeName = 'LinkTools.FleetAuditSummary' }
    $o = [pscustomobject]@{
        Hosts         = $hosts.Count
        Completed     = @($hosts | Where-Object { -not $_.Failure } | ForEach-Object { $_.Name })
        Failed        = @($hosts | Where-Object { $_.Failure } | ForEach-Object { $_.Name })
        Errors        = @($hosts | Where-Object { $_.Failure } | ForEach-Object { [pscustomobject]@{ PSComputerName = $_.Name; ErrorId = $_.Failure.ErrorId; Message = $_.Failure.Message } })
        Entries       = $entries
        Links         = $links
        Findings      = $findings
        BySeverity    = [pscustomobject]$sev
        Drift         = $drift
        ExitCode      = $ExitCode
        ReportPath    = $Context.ReportPath
        BaselinePath  = $Context.SaveBaselinePath
        HostSummaries = @($hosts | Where-Object { $_.Summary -and -not $_.Failure } | ForEach-Object { $_.Summary })
    }
    $o.PSObject.TypeNames.Insert(0, $typeName)
    $o
}
