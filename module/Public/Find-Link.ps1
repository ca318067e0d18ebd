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

    .PARAMETER Path
    The folders to search. Wildcards are expanded; defaults to the current location. Accepts strings
    and DirectoryInfo objects from the pipeline.

    .PARAMETER Recurse
    Search the whole tree under each root, not only its children.

    .PARAMETER Depth
    Search at most this many levels below the roots' children (0 = the children only, as with
    Get-ChildItem -Depth). Implies -Recurse.

    .PARAMETER ItemType
    Report only these kinds of link: SymbolicLink, Junction, HardLink, MountPoint, AppExecLink,
    LxSymlink, ReparsePoint.

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
    Find-Link -Path ~/src -Recurse -Exclude node_modules, .git

    Lists every link in a source tree, skipping dependency and git folders.

    .EXAMPLE
    Find-Link -Path D:\ -Recurse -ItemType Junction -InformationVariable scan; $scan.MessageData

    Finds the junctions on a drive and then shows the walk's summary.

    .EXAMPLE
    Find-Link -Path . -Recurse | Where-Object { -not $_.TargetExists } | Remove-Link -WhatIf

    Shows which broken links Remove-Link would delete.

    .EXAMPLE
    Find-Link -ComputerName fs01, fs02 -Path D:\Shares -Recurse | Group-Object PSComputerName

    Lists the links under D:\Shares on two Windows servers through WinRM remoting, grouped by host.

    .INPUTS
    System.String, System.IO.DirectoryInfo

    .OUTPUTS
    LinkTools.LinkInfo
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    [OutputType('LinkTools.LinkInfo')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [string[]] $Path = '.',

        [Parameter()]
        [switch] $Recurse,

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
        $enginePath = Get-LinkEnginePath -Cmdlet $PSCmdlet
        $roots = New-Object System.Collections.Generic.List[string]
    }

    process {
        if (Test-LinkRemoteCall -Cmdlet $PSCmdlet) { foreach ($p in $Path) { $roots.Add($p) }; return }
        $literal = Test-LinkLiteralInput -Cmdlet $PSCmdlet -InputObject $_
        foreach ($p in $Path) {
            foreach ($native in @(Resolve-LinkPath -Cmdlet $PSCmdlet -Path $p -Literal:$literal)) { $roots.Add($native) }
        }
    }

    end {
        if ($roots.Count -eq 0) { return }
        if (Test-LinkRemoteCall -Cmdlet $PSCmdlet) { Invoke-LinkRemote -Cmdlet $PSCmdlet -Command scan -Bound $PSBoundParameters -Path $roots.ToArray() -EnginePath $enginePath; return }
        $engineArgs = @('scan', '--errors-inline') + (Get-LinkScanArgument -Bound $PSBoundParameters -DefaultMaxDepth 1)
        $activity = $null
        if ($ProgressPreference -ne 'SilentlyContinue') { $engineArgs += '--progress'; $activity = 'Finding links' }
        $engineArgs += $roots.ToArray()

        $engineRun = Start-LinkEngine -Cmdlet $PSCmdlet -EnginePath $enginePath -ArgumentList $engineArgs -ProgressActivity $activity
        $completed = $false
        try {
            while ($null -ne ($record = Read-LinkEngineRecord -Session $engineRun -Cmdlet $PSCmdlet)) {
                if ($record.recordType -eq 'scanSummary') {
                    $summary = ConvertTo-LinkObject -Record $record
                    Write-LinkSummary -Cmdlet $PSCmdlet -Summary $summary `
                        -Text ('Scanned {0} entries: {1} links, {2} unreadable, {3} ms.' -f $summary.entries, $summary.links, $summary.unreadable, $summary.durationMs)
                    continue
                }
                Write-LinkRecord -Cmdlet $PSCmdlet -Record $record
            }
            [void](Complete-LinkEngine -Session $engineRun -Cmdlet $PSCmdlet)
            $completed = $true
        } finally {
            if (-not $completed) { [void](Stop-LinkEngine -Session $engineRun -Kill) }
        }
    }
}
