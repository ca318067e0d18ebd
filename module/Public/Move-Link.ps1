function Move-Link {
    <#
    .SYNOPSIS
    Moves a link itself, never the contents of its target.

    .DESCRIPTION
    Move-Link moves a symbolic link, a junction or a hard-link name to a new path (or into an existing
    folder). Unlike moving a junction in Explorer, nothing inside the target moves. A relative target is
    rewritten so that it still reaches the same file or folder from the new place; an absolute target is
    kept. The new link is made and checked first, and only then is the old one removed, so a move across
    volumes never loses the link. A hard-link name moves within its volume.

    The move is confirmed with ShouldProcess: -WhatIf shows "old -> new" and changes nothing.

    .PARAMETER Path
    The link to move. Wildcards are expanded (they must match one link).

    .PARAMETER LiteralPath
    The link to move, used exactly as typed.

    .PARAMETER Destination
    The new path of the link, or an existing folder to move it into.

    .PARAMETER JournalPath
    Append the applied change to this file, for Undo-LinkChange.

    .PARAMETER WhatIf
    Shows the planned move without making it.

    .PARAMETER Confirm
    Asks before moving.

    .EXAMPLE
    Move-Link -Path .\app\data -Destination .\archive\

    Moves the link data into .\archive; if its target was relative (..\shared\data) it becomes
    ..\..\shared\data, so it still opens the same folder. The folder itself does not move.

    .INPUTS
    System.String, System.IO.FileSystemInfo, LinkTools.LinkInfo

    .OUTPUTS
    LinkTools.Change

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Move-Link.ps1

    .LINK
    Set-LinkTarget

    .LINK
    about_LinkTools
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess, ConfirmImpact = 'Medium', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Move-Link.ps1')]
    [OutputType('LinkTools.Change')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Path', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [SupportsWildcards()]
        [string] $Path,

        [Parameter(Mandatory, ParameterSetName = 'LiteralPath')]
        [Alias('LP')]
        [string] $LiteralPath,

        [Parameter(Mandatory, Position = 1)]
        [ValidateNotNullOrEmpty()]
        [string] $Destination,

        [Parameter()]
        [string] $JournalPath
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
    }

    process {
        $literal = ($PSCmdlet.ParameterSetName -eq 'LiteralPath') -or (Test-LinkLiteralInput -Cmdlet $PSCmdlet -InputObject $_)
        $given = $Path
        if ($PSCmdlet.ParameterSetName -eq 'LiteralPath') { $given = $LiteralPath }
        $sources = @(Resolve-LinkPath -Cmdlet $PSCmdlet -Path $given -Literal:$literal)
        if ($sources.Count -eq 0) { return }
        if ($sources.Count -gt 1) {
            $PSCmdlet.WriteError((New-LinkModuleErrorRecord -ErrorId 'LT_INVALID_ARGUMENT' -Category InvalidArgument -TargetObject $given `
                        -Message ("'{0}' matches {1} paths; Move-Link moves one link at a time." -f $given, $sources.Count)))
            return
        }
        $dest = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Destination)
        Invoke-LinkChangePlan -Cmdlet $PSCmdlet -PlanArgument @('move', $sources[0], $dest) -JournalPath (Resolve-LinkJournalPath -Cmdlet $PSCmdlet -Path $JournalPath)
    }
}
