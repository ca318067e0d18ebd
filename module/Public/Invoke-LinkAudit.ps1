function Invoke-LinkAudit {
    <#
    .SYNOPSIS
    Audits the links under one or more folders against a set of rules, and reports drift from a baseline.

    .DESCRIPTION
    Invoke-LinkAudit walks each root (the whole tree, unless -Depth limits it), checks every link
    against the audit rules (broken links, loops, links that leave the tree, absolute targets, links
    a remote client cannot follow, ...) and returns a LinkTools.Finding object per finding (Severity,
    Rule, Path, Message, Details). With -Baseline it also returns a LinkTools.Drift object for each
    link added, removed, retargeted or changed in kind since the baseline was saved.

    -ReportPath writes a report file as well; its format comes from the extension (.html, .json,
    .csv, .md, .sarif) unless -ReportFormat says otherwise. -SaveBaseline records the current links
    for a later -Baseline run. Both files are confirmed with ShouldProcess: with -WhatIf (or a caller's
    $WhatIfPreference) the audit runs and streams its results but writes no file.

    Results, exit code and summary:
    * Findings and drift stream to the output as the engine produces them.
    * $global:LASTEXITCODE is set to the engine's exit code: 0 no finding at or above -FailOn,
      1 findings at or above -FailOn, 2 bad input (options, config, baseline), 3 the audit failed.
    * The LinkTools.AuditSummary (counts by rule, severity and kind, exit code, report path) is always
      written to the information stream with the tag LinkTools.AuditSummary (capture it with
      -InformationVariable), and shown with -Verbose.
    * With -Summary the command outputs only that summary object instead of findings and drift:
      the form for scheduled tasks and CI, where the report file holds the details.

    For a scheduled task:
        pwsh -NoProfile -Command "Import-Module LinkTools; Invoke-LinkAudit -Path D:\Shares -ReportPath D:\Reports\links.html -FailOn Error -Summary | Out-Null; exit $LASTEXITCODE"

    A problem with one entry (unreadable, say) is a non-terminating error and the audit goes on.
    Progress is shown while the walk runs.

    On Linux the walk can use a second thread: set $env:LINKTOOLS_SCAN_THREADS = '2' first (the
    session's engine restarts with it). The output is the same; a large walk finishes sooner when a
    core is idle, at the cost of about 21 MB more memory and more CPU in all, so it is off by default.

    .PARAMETER Path
    The folders to audit. Wildcards are expanded (a pattern that matches nothing audits nothing, as
    with Get-Item); defaults to the current location. Accepts strings and DirectoryInfo objects from
    the pipeline (piped objects are taken literally).

    .PARAMETER LiteralPath
    The folders to audit, used exactly as typed: no wildcard expansion (for names with [ or ]).

    .PARAMETER Depth
    Walk at most this many levels below the roots' children (0 = the children only). By default the
    whole tree is walked.

    .PARAMETER ItemType
    Audit only these kinds of link: SymbolicLink, Junction, HardLink, MountPoint, AppExecLink,
    LxSymlink, ReparsePoint.

    .PARAMETER Include
    Audit only links whose path relative to the root matches one of these globs.

    .PARAMETER Exclude
    Skip entries, and do not descend into folders, matching one of these globs.

    .PARAMETER OneFileSystem
    Do not descend into folders on another device or volume than their root.

    .PARAMETER Rule
    Run only these rules (by ID, for example broken-target, link-loop; press Tab to complete the IDs,
    see docs/audit-rules.md). An unknown ID is LT_INVALID_ARGUMENT.

    .PARAMETER ExcludeRule
    Do not run these rules (by ID; Tab completes them).

    .PARAMETER ConfigPath
    An audit configuration file (JSON): rules, severities, exclusions. An invalid one is LT_BAD_CONFIG.

    .PARAMETER Baseline
    A baseline saved earlier with -SaveBaseline: report drift (links added, removed, retargeted, or
    changed in kind) against it. An invalid one is LT_BAD_BASELINE.

    .PARAMETER SaveBaseline
    Save the links found now as a baseline file for later runs.

    .PARAMETER ReportPath
    Also write a report to this file.

    .PARAMETER ReportFormat
    The report's format: Html, Json, Csv, Markdown or Sarif. By default it comes from the extension of
    -ReportPath.

    .PARAMETER FailOn
    The lowest severity that makes the run fail (exit code 1): Info, Warning, Error, or Never.

    .PARAMETER SymlinkEvaluation
    The symbolic-link evaluation classes remote clients have enabled (L2L, L2R, R2L, R2R), for the
    rules that judge whether a link works over SMB.

    .PARAMETER Manifest
    A link manifest (.json or .psd1, the one of Set-LinkState): also report how the tree differs from
    it, as manifest-drift findings (a link missing, pointing elsewhere, or blocked by a real file).
    Its relative link paths start from the manifest's folder. Nothing is changed. Local audits only.

    .PARAMETER NoByteOrderMark
    Write the CSV report (-ReportPath *.csv or -ReportFormat Csv) without the UTF-8 byte-order mark
    that is written by default so that Excel reads non-ASCII paths correctly.

    .PARAMETER Summary
    Output only the LinkTools.AuditSummary object, not the findings and drift.

    .PARAMETER WhatIf
    Runs the audit and streams its results, but writes no report or baseline file.

    .PARAMETER Confirm
    Asks for confirmation before writing the report or baseline file.

    .PARAMETER Session
    Run on these hosts through existing PowerShell sessions (New-PSSession, WinRM or SSH): each host
    runs its own engine on its own paths (-Path names folders on the hosts), in parallel. Every output
    object carries PSComputerName, the host's own name. See docs/fleet.md.

    .PARAMETER ComputerName
    Run on these Windows hosts through WinRM remoting (a session per host is made and removed). An
    unreachable host or a refused login is one error (LT_REMOTE_UNREACHABLE, LT_REMOTE_AUTH_FAILED) and
    the other hosts go on.

    .PARAMETER Credential
    With -ComputerName: the account for the WinRM sessions.

    .PARAMETER HostName
    Run on these hosts through PowerShell remoting over SSH (PowerShell 7; the host needs pwsh as its
    "powershell" SSH subsystem). A name may be user@host.

    .PARAMETER UserName
    With -HostName: the SSH user name.

    .PARAMETER KeyFilePath
    With -HostName: the SSH private key file.

    .PARAMETER Port
    With -HostName: the SSH port (default 22).

    .PARAMETER SSHOption
    With -HostName: ssh options as a hashtable (ssh -o name=value), for example
    @{ StrictHostKeyChecking = 'yes' }. ConnectTimeout defaults to 10 seconds.

    .PARAMETER ThrottleLimit
    With remote hosts: how many hosts run at the same time (default 32, as Invoke-Command).

    .PARAMETER Deploy
    With remote hosts: where LinkTools is not installed (or speaks another major contract version),
    copy this module's engine for the host's platform through the session into a private temporary
    folder, check its SHA-256, use it and remove it afterwards. Without -Deploy such a host is an
    error (LT_REMOTE_ENGINE_MISSING, LT_REMOTE_VERSION_MISMATCH).

    .EXAMPLE
    Invoke-LinkAudit -Path . | Where-Object Severity -eq 'error'

    Audits the current folder and keeps the findings of severity error (broken links, loops, ...).

    .EXAMPLE
    Invoke-LinkAudit -Path . -SaveBaseline ./links.baseline.json -Summary

    Audits the current folder, saves its links as a baseline file, and outputs only the summary.

    .EXAMPLE
    Invoke-LinkAudit -Path . -Baseline ./links.baseline.json -ReportPath ./drift.sarif -FailOn Warning; $LASTEXITCODE

    Reports findings and drift since the baseline, writes a SARIF report, and shows the exit code
    (1 when a finding is at least a warning).

    .EXAMPLE
    Invoke-LinkAudit -Path . -Rule broken-target, link-loop -ReportPath ./links.csv -Summary | Format-List

    Runs only the broken-link and loop rules, writes the findings to a CSV report, and shows the
    summary as a list.

    .EXAMPLE
    Invoke-LinkAudit -Path ./app -Manifest ./app/links.json -Rule manifest-drift

    Reports where the links under ./app differ from the manifest links.json, without changing them
    (Set-LinkState -Manifest ./app/links.json makes them agree).

    .INPUTS
    System.String, System.IO.DirectoryInfo

    .OUTPUTS
    LinkTools.Finding, LinkTools.Drift; LinkTools.AuditSummary with -Summary.

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Invoke-LinkAudit.ps1

    .LINK
    about_LinkTools

    .LINK
    Find-Link
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess, ConfirmImpact = 'Low', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Invoke-LinkAudit.ps1')]
    [OutputType('LinkTools.Finding', 'LinkTools.Drift', 'LinkTools.AuditSummary')]
    param(
        [Parameter(Position = 0, ParameterSetName = 'Path', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Parameter(Position = 0, ParameterSetName = 'Session', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Parameter(Position = 0, ParameterSetName = 'ComputerName', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Parameter(Position = 0, ParameterSetName = 'HostName', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [SupportsWildcards()]
        [string[]] $Path = '.',

        [Parameter(Mandatory, ParameterSetName = 'LiteralPath')]
        [Alias('LP')]
        [string[]] $LiteralPath,

        [Parameter()]
        [ValidateRange(0, 100000)]
        [int] $Depth,

        [Parameter()]
        [ValidateSet('SymbolicLink', 'Junction', 'HardLink', 'MountPoint', 'AppExecLink', 'LxSymlink', 'ReparsePoint')]
        [string[]] $ItemType,

        [Parameter()]
        [string[]] $Include,

        [Parameter()]
        [string[]] $Exclude,

        [Parameter()]
        [switch] $OneFileSystem,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [string[]] $Rule,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [string[]] $ExcludeRule,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [string] $ConfigPath,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [string] $Baseline,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [string] $SaveBaseline,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [string] $ReportPath,

        [Parameter()]
        [ValidateSet('Html', 'Json', 'Csv', 'Markdown', 'Sarif')]
        [string] $ReportFormat,

        [Parameter()]
        [ValidateSet('Info', 'Warning', 'Error', 'Never')]
        [string] $FailOn,

        [Parameter()]
        [ValidateSet('L2L', 'L2R', 'R2L', 'R2R')]
        [string[]] $SymlinkEvaluation,

        [Parameter(ParameterSetName = 'Path')]
        [Parameter(ParameterSetName = 'LiteralPath')]
        [ValidateNotNullOrEmpty()]
        [string] $Manifest,

        [Parameter()]
        [switch] $NoByteOrderMark,

        [Parameter()]
        [switch] $Summary,

        [Parameter(Mandatory, ParameterSetName = 'Session')]
        [ValidateNotNullOrEmpty()]
        [System.Management.Automation.Runspaces.PSSession[]] $Session,

        [Parameter(Mandatory, ParameterSetName = 'ComputerName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $ComputerName,

        [Parameter(ParameterSetName = 'ComputerName')]
        [System.Management.Automation.PSCredential]
        [System.Management.Automation.Credential()] $Credential,

        [Parameter(Mandatory, ParameterSetName = 'HostName')]
        [ValidateNotNullOrEmpty()]
        [string[]] $HostName,

        [Parameter(ParameterSetName = 'HostName')]
        [ValidateNotNullOrEmpty()]
        [string] $UserName,

        [Parameter(ParameterSetName = 'HostName')]
        [ValidateNotNullOrEmpty()]
        [string] $KeyFilePath,

        [Parameter(ParameterSetName = 'HostName')]
        [ValidateRange(1, 65535)]
        [int] $Port,

        [Parameter(ParameterSetName = 'HostName')]
        [hashtable] $SSHOption,

        [Parameter(ParameterSetName = 'Session')]
        [Parameter(ParameterSetName = 'ComputerName')]
        [Parameter(ParameterSetName = 'HostName')]
        [ValidateRange(1, 1000)]
        [int] $ThrottleLimit,

        [Parameter(ParameterSetName = 'Session')]
        [Parameter(ParameterSetName = 'ComputerName')]
        [Parameter(ParameterSetName = 'HostName')]
        [switch] $Deploy
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
        $enginePath = Get-LinkEnginePath -Cmdlet $PSCmdlet
        $roots = New-Object System.Collections.Generic.List[string]

        $fileArgs = New-Object System.Collections.Generic.List[string]
        foreach ($pair in @(
                @('ConfigPath', '--config'), @('Baseline', '--baseline'), @('SaveBaseline', '--save-baseline'), @('ReportPath', '--out'))) {
            if ($PSBoundParameters.ContainsKey($pair[0])) {
                $native = @(Resolve-LinkPath -Cmdlet $PSCmdlet -Path $PSBoundParameters[$pair[0]] -Literal)
                if ($native.Count -ne 1) {
                    $PSCmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_INVALID_ARGUMENT' -Category InvalidArgument `
                                -TargetObject $PSBoundParameters[$pair[0]] -Message "-$($pair[0]) is not a usable file-system path."))
                }
                $fileArgs.Add($pair[1] + '=' + $native[0])
            }
        }
        if ($ReportPath) {
            $format = $ReportFormat
            if (-not $format) {
                $name = [System.IO.Path]::GetFileName($ReportPath).ToLowerInvariant()
                if ($name -match '\.sarif(\.json)?$') { $format = 'Sarif' }
                elseif ($name -match '\.html?$') { $format = 'Html' }
                elseif ($name -match '\.json$') { $format = 'Json' }
                elseif ($name -match '\.csv$') { $format = 'Csv' }
                elseif ($name -match '\.(md|markdown)$') { $format = 'Markdown' }
                else {
                    $PSCmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_INVALID_ARGUMENT' -Category InvalidArgument `
                                -TargetObject $ReportPath -Message "Cannot tell the report format from '$ReportPath': use -ReportFormat Html, Json, Csv, Markdown or Sarif, or an extension .html, .json, .csv, .md or .sarif."))
                }
            }
            $fileArgs.Add('--format=' + $format.ToLowerInvariant())
        } elseif ($ReportFormat) {
            $PSCmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_INVALID_ARGUMENT' -Category InvalidArgument `
                        -TargetObject $ReportFormat -Message '-ReportFormat needs -ReportPath: findings always stream to the output as objects.'))
        }
        if ($NoByteOrderMark) {
            if (-not $ReportPath -or $format -ne 'Csv') {
                $PSCmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_INVALID_ARGUMENT' -Category InvalidArgument `
                            -TargetObject 'NoByteOrderMark' -Message '-NoByteOrderMark goes with a CSV report (-ReportPath *.csv or -ReportFormat Csv).'))
            }
            $fileArgs.Add('--csv-no-bom')
        }
        # A .json manifest is read by the engine; a .psd1 is turned into the same JSON here (data only)
        # and handed over in a private temporary file, with its own folder as the base of its paths.
        $manifestTemp = $null
        if ($Manifest) {
            $manifestFile = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Manifest)
            if (Test-LinkPsd1Manifest -File $manifestFile) {
                $json = ConvertTo-LinkManifestJson -Cmdlet $PSCmdlet -File $manifestFile
                $manifestTemp = Join-Path ([System.IO.Path]::GetTempPath()) ('linktools-manifest-' + [guid]::NewGuid().ToString('N') + '.json')
                [System.IO.File]::WriteAllText($manifestTemp, $json, (New-Object System.Text.UTF8Encoding -ArgumentList $false))
                $fileArgs.Add('--manifest=' + $manifestTemp)
                $fileArgs.Add('--manifest-base=' + [System.IO.Path]::GetDirectoryName($manifestFile))
            } else {
                $fileArgs.Add('--manifest=' + $manifestFile)
            }
        }
    }

    process {
        if (Test-LinkRemoteCall -Cmdlet $PSCmdlet) { foreach ($p in $Path) { $roots.Add($p) }; return }
        $literal = $PSCmdlet.ParameterSetName -eq 'LiteralPath'
        $inputPaths = $LiteralPath
        if (-not $literal) {
            $literal = Test-LinkLiteralInput -Cmdlet $PSCmdlet -InputObject $_
            $inputPaths = $Path
        }
        foreach ($p in $inputPaths) {
            foreach ($native in @(Resolve-LinkPath -Cmdlet $PSCmdlet -Path $p -Literal:$literal)) { $roots.Add($native) }
        }
    }

    end {
        # The temporary copy of a .psd1 manifest goes whatever happens.
        try {
            if ($roots.Count -eq 0) { return }
            if (Test-LinkRemoteCall -Cmdlet $PSCmdlet) { Invoke-LinkRemote -Cmdlet $PSCmdlet -Command audit -Bound $PSBoundParameters -Path $roots.ToArray() -EnginePath $enginePath; return }
            $options = @('--errors-inline') + (Get-LinkScanArgument -Bound $PSBoundParameters -DefaultMaxDepth $null)
            foreach ($r in @($Rule)) { if ($r) { $options += '--rule=' + $r } }
            foreach ($r in @($ExcludeRule)) { if ($r) { $options += '--disable-rule=' + $r } }
            if ($FailOn) { $options += '--fail-on=' + $FailOn.ToLowerInvariant() }
            if ($SymlinkEvaluation) { $options += '--remote-policy=' + (($SymlinkEvaluation | Select-Object -Unique) -join ',') }
            # The files the engine would write (-ReportPath, -SaveBaseline) are confirmed with ShouldProcess:
            # under -WhatIf the audit still runs and streams its findings, but writes no file.
            $writes = @($fileArgs | Where-Object { $_ -like '--out=*' -or $_ -like '--save-baseline=*' })
            $declined = $false
            foreach ($w in $writes) {
                $file = $w.Substring($w.IndexOf('=') + 1)
                $what = 'Write audit report'
                if ($w -like '--save-baseline=*') { $what = 'Save link baseline' }
                if (-not $PSCmdlet.ShouldProcess($file, $what)) { $declined = $true }
            }
            if ($declined) { $fileArgs = @($fileArgs | Where-Object { $_ -notlike '--out=*' -and $_ -notlike '--save-baseline=*' -and $_ -notlike '--format=*' }) }
            $options += @($fileArgs)
            $activity = $null
            if ($ProgressPreference -ne 'SilentlyContinue') { $options += '--progress'; $activity = 'Auditing links' }
            $engineArgs = Get-LinkEngineCommandLine -Command 'audit' -Root $roots.ToArray() -Option $options

            $engineRun = Start-LinkEngine -Cmdlet $PSCmdlet -EnginePath $enginePath -ArgumentList $engineArgs -ProgressActivity $activity
            $completed = $false
            $summaryObject = $null
            try {
                while ($null -ne ($batch = Read-LinkEngineBatch -Session $engineRun -Cmdlet $PSCmdlet)) {
                    foreach ($record in $batch) {
                        $recordType = $record.RecordType
                        if ($recordType -eq 'auditSummary') { $summaryObject = $record }
                        elseif ($recordType -eq 'error') { $PSCmdlet.WriteError((New-LinkErrorRecord -Record $record)) }
                        elseif (-not $Summary) { $record }
                    }
                }
                $exitCode = Complete-LinkEngine -Session $engineRun -Cmdlet $PSCmdlet
                $completed = $true
            } finally {
                if (-not $completed) { [void](Stop-LinkEngine -Session $engineRun -Kill) }
                # Set even when an engine error stops the command (-ErrorAction Stop): scripts read it.
                if ($null -ne $engineRun.ExitCode) { $global:LASTEXITCODE = $engineRun.ExitCode }
            }
            $global:LASTEXITCODE = $exitCode
            if ($summaryObject) {
                $text = 'Audited {0} entries: {1} links, {2} findings ({3} error, {4} warning, {5} info), {6} drift; exit code {7}.' -f `
                    $summaryObject.Entries, $summaryObject.Links, $summaryObject.Findings, $summaryObject.BySeverity.Error,
                $summaryObject.BySeverity.Warning, $summaryObject.BySeverity.Info, $summaryObject.Drift, $exitCode
                Write-LinkSummary -Cmdlet $PSCmdlet -Summary $summaryObject -Text $text
                if ($Summary) { $summaryObject }
            }
        } finally {
            if ($manifestTemp) { Remove-Item -LiteralPath $manifestTemp -Force -ErrorAction SilentlyContinue }
        }
    }
}
