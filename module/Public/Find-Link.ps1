function Find-Link {
    <#
    .SYNOPSIS
    Finds the links under one or more folders without following any.

    .DESCRIPTION
    Find-Link walks each root folder and returns a LinkTools.LinkInfo object for every link it finds:
    symbolic links, junctions, other reparse points (mount points, app execution aliases, WSL
    symlinks) and files with more than one hard-link name (kind 'hardlink'). Links are reported, never
    followed or entered, so a link loop cannot trap the walk.

    Like Get-ChildItem, Find-Link looks at the roots' children unless -Recurse or -Depth is given.
    Results stream as the engine finds them (hard links come at the end, once each group is
    complete). One engine process serves the whole command, whatever the number of roots.

    An entry that cannot be read is a non-terminating error (for example LT_ACCESS_DENIED) and the walk
    goes on. When the walk ends, a LinkTools.ScanSummary object (entries, links, counts by kind,
    unreadable entries, duration) is written to the information stream (tag LinkTools.ScanSummary):
    capture it with -InformationVariable. Progress is shown while the walk runs.

    On Linux the walk can use a second thread: set $env:LINKTOOLS_SCAN_THREADS = '2' first (the
    session's engine restarts with it). The output is the same; a large walk finishes sooner when a
    core is idle, at the cost of about 21 MB more memory and more CPU in all, so it is off by default.

    .PARAMETER Path
    The folders to search. Wildcards are expanded (a pattern that matches nothing finds nothing, as
    with Get-Item); defaults to the current location. Accepts strings and DirectoryInfo objects from
    the pipeline (piped objects are taken literally).

    .PARAMETER LiteralPath
    The folders to search, used exactly as typed: no wildcard expansion (for names with [ or ]).

    .PARAMETER Recurse
    Search the whole tree under each root, not only its children.

    .PARAMETER Depth
    Search at most this many levels below the roots' children (0 = the children only, as with
    Get-ChildItem -Depth). Implies -Recurse.

    .PARAMETER ItemType
    Report only these kinds of link: SymbolicLink, Junction, HardLink, MountPoint, AppExecLink,
    LxSymlink, ReparsePoint.

    .PARAMETER Broken
    Report only broken links: symbolic links and junctions whose target does not resolve (it does not
    exist, or the chain loops). Hard links are never broken: each name is the file itself.

    .PARAMETER Include
    Report only links whose path relative to the root matches one of these globs (*, **, ?, [...]).

    .PARAMETER Exclude
    Skip entries, and do not descend into folders, matching one of these globs; a glob without a
    slash matches names at any depth (for example node_modules).

    .PARAMETER OneFileSystem
    Do not descend into folders on another device or volume than their root.

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
    Find-Link -Path . -Recurse -Exclude node_modules, .git

    Lists every link under the current folder (a source tree, say), skipping dependency and git
    folders and everything in them.

    .EXAMPLE
    Find-Link -Path . -Recurse -ItemType Junction, SymbolicLink -InformationVariable scan; $scan.MessageData

    Finds the junctions and symbolic links under the current folder, then shows the walk's summary
    (a LinkTools.ScanSummary object).

    .EXAMPLE
    Find-Link -Path . -Recurse -Broken | Remove-Link -WhatIf

    Shows which broken symbolic links and junctions Remove-Link would delete (hard links are never
    listed: they cannot be broken). Drop -WhatIf to delete them.

    .EXAMPLE
    Find-Link -Path . -Recurse | Export-Csv -Path links.csv -NoTypeInformation

    Saves every link to a CSV file; the chain of links reads 'a -> b -> c'.

    .INPUTS
    System.String, System.IO.DirectoryInfo

    .OUTPUTS
    LinkTools.LinkInfo

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Find-Link.ps1

    .LINK
    about_LinkTools

    .LINK
    Invoke-LinkAudit

    .LINK
    Get-LinkInfo
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Find-Link.ps1')]
    [OutputType('LinkTools.LinkInfo')]
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
        [switch] $Recurse,

        [Parameter()]
        [ValidateRange(0, 100000)]
        [int] $Depth,

        [Parameter()]
        [ValidateSet('SymbolicLink', 'Junction', 'HardLink', 'MountPoint', 'AppExecLink', 'LxSymlink', 'ReparsePoint')]
        [string[]] $ItemType,

        [Parameter()]
        [switch] $Broken,

        [Parameter()]
        [string[]] $Include,

        [Parameter()]
        [string[]] $Exclude,

        [Parameter()]
        [switch] $OneFileSystem,

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
        if ($roots.Count -eq 0) { return }
        if (Test-LinkRemoteCall -Cmdlet $PSCmdlet) { Invoke-LinkRemote -Cmdlet $PSCmdlet -Command scan -Bound $PSBoundParameters -Path $roots.ToArray() -EnginePath $enginePath; return }
        $options = @('--errors-inline') + (Get-LinkScanArgument -Bound $PSBoundParameters -DefaultMaxDepth 1)
        $activity = $null
        if ($ProgressPreference -ne 'SilentlyContinue') { $options += '--progress'; $activity = 'Finding links' }
        $engineArgs = Get-LinkEngineCommandLine -Command 'scan' -Root $roots.ToArray() -Option $options

        $engineRun = Start-LinkEngine -Cmdlet $PSCmdlet -EnginePath $enginePath -ArgumentList $engineArgs -ProgressActivity $activity
        $completed = $false
        try {
            while ($null -ne ($batch = Read-LinkEngineBatch -Session $engineRun -Cmdlet $PSCmdlet)) {
                foreach ($record in $batch) {
                    $recordType = $record.RecordType
                    if ($recordType -eq 'linkInfo') {
                        # -Broken: symbolic links and junctions whose target does not resolve, only.
                        if ($Broken -and ($record.TargetExists -or ($record.Kind -ne 'symlink' -and $record.Kind -ne 'junction'))) { continue }
                        $record
                    } elseif ($recordType -eq 'error') {
                        $PSCmdlet.WriteError((New-LinkErrorRecord -Record $record))
                    } elseif ($recordType -eq 'scanSummary') {
                        Write-LinkSummary -Cmdlet $PSCmdlet -Summary $record `
                            -Text ('Scanned {0} entries: {1} links, {2} unreadable, {3} ms.' -f $record.Entries, $record.Links, $record.Unreadable, $record.DurationMs)
                    } else {
                        $record
                    }
                }
            }
            [void](Complete-LinkEngine -Session $engineRun -Cmdlet $PSCmdlet)
            $completed = $true
        } finally {
            if (-not $completed) { [void](Stop-LinkEngine -Session $engineRun -Kill) }
        }
    }
}
