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

    .EXAMPLE
    Find-Link -Path ~/src -Recurse -Exclude node_modules, .git

    Lists every link in a source tree, skipping dependency and git folders.

    .EXAMPLE
    Find-Link -Path D:\ -Recurse -ItemType Junction -InformationVariable scan; $scan.MessageData

    Finds the junctions on a drive and then shows the walk's summary.

    .EXAMPLE
    Find-Link -Path . -Recurse | Where-Object { -not $_.TargetExists } | Remove-Link -WhatIf

    Shows which broken links Remove-Link would delete.

    .INPUTS
    System.String, System.IO.DirectoryInfo

    .OUTPUTS
    LinkTools.LinkInfo
    #>
    [CmdletBinding()]
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
        [switch] $OneFileSystem
    )

    begin {
        $enginePath = Get-LinkEnginePath -Cmdlet $PSCmdlet
        $roots = New-Object System.Collections.Generic.List[string]
    }

    process {
        $literal = Test-LinkLiteralInput -Cmdlet $PSCmdlet -InputObject $_
        foreach ($p in $Path) {
            foreach ($native in @(Resolve-LinkPath -Cmdlet $PSCmdlet -Path $p -Literal:$literal)) { $roots.Add($native) }
        }
    }

    end {
        if ($roots.Count -eq 0) { return }
        $engineArgs = @('scan', '--errors-inline') + (Get-LinkScanArgument -Bound $PSBoundParameters -DefaultMaxDepth 1)
        $activity = $null
        if ($ProgressPreference -ne 'SilentlyContinue') { $engineArgs += '--progress'; $activity = 'Finding links' }
        $engineArgs += $roots.ToArray()

        $session = Start-LinkEngine -Cmdlet $PSCmdlet -EnginePath $enginePath -ArgumentList $engineArgs -ProgressActivity $activity
        $completed = $false
        try {
            while ($null -ne ($record = Read-LinkEngineRecord -Session $session -Cmdlet $PSCmdlet)) {
                if ($record.recordType -eq 'scanSummary') {
                    $summary = ConvertTo-LinkObject -Record $record
                    Write-LinkSummary -Cmdlet $PSCmdlet -Summary $summary `
                        -Text ('Scanned {0} entries: {1} links, {2} unreadable, {3} ms.' -f $summary.entries, $summary.links, $summary.unreadable, $summary.durationMs)
                    continue
                }
                Write-LinkRecord -Cmdlet $PSCmdlet -Record $record
            }
            [void](Complete-LinkEngine -Session $session -Cmdlet $PSCmdlet)
            $completed = $true
        } finally {
            if (-not $completed) { [void](Stop-LinkEngine -Session $session -Kill) }
        }
    }
}
