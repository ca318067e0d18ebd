function Remove-Link {
    <#
    .SYNOPSIS
    Removes links themselves, never what they point to.

    .DESCRIPTION
    Remove-Link deletes a symbolic link, a junction, or one name of a hard-linked file. The target is
    never touched: removing a link to a folder leaves the folder and everything in it as it was.

    A path that is not a link (a plain file or folder) is refused with the non-terminating error
    LT_NOT_A_LINK (FullyQualifiedErrorId 'LT_NOT_A_LINK,Remove-Link'); a path that does not exist gives
    LT_NOT_FOUND. Use Remove-Item for plain files and folders.

    Each path is confirmed with ShouldProcess (-WhatIf, -Confirm); a path that is declined never
    reaches the engine. A whole pipeline is served by one engine process.

    .PARAMETER Path
    The links to remove. Wildcards are expanded. Accepts strings and FileSystemInfo objects from the
    pipeline, and binds the FullName, PSPath or Path property of piped objects (so the output of
    Get-LinkInfo or Find-Link can be piped in).

    .PARAMETER LiteralPath
    Links to remove, used exactly as typed: no wildcard expansion.

    .PARAMETER PassThru
    Return a LinkTools.LinkRemoved object for each link removed (its kind, its stored target, and for
    a hard link how many names the file still has).

    .PARAMETER WhatIf
    Shows which links would be removed without removing them (and without starting the engine).

    .PARAMETER Confirm
    Asks for confirmation before removing each link.

    .EXAMPLE
    Remove-Link -Path ./current

    Removes the link named current; the folder it points to is untouched.

    .EXAMPLE
    Find-Link -Path . -Recurse | Where-Object { -not $_.TargetExists } | Remove-Link -WhatIf

    Shows which broken links under the current folder would be removed, removing none. Hard links
    always have TargetExists $true, so no file name is listed.

    .EXAMPLE
    Find-Link -Path . -Recurse -Broken | Remove-Link

    Removes the broken symbolic links and junctions under the current folder (those whose target does
    not exist or whose chain loops); working links and hard links stay.

    .EXAMPLE
    Get-ChildItem -Path ./bin | Remove-Link -PassThru -ErrorAction SilentlyContinue

    Removes every link in ./bin (symbolic links, junctions, and names of hard-linked files), skips
    plain files and folders quietly, and lists what was removed.

    .INPUTS
    System.String, System.IO.FileSystemInfo

    .OUTPUTS
    None by default; LinkTools.LinkRemoved with -PassThru.

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Remove-Link.ps1

    .LINK
    about_LinkTools

    .LINK
    New-Link

    .LINK
    Find-Link
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', SupportsShouldProcess, ConfirmImpact = 'Medium', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Remove-Link.ps1')]
    [OutputType('LinkTools.LinkRemoved')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Path', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter(Mandatory, ParameterSetName = 'LiteralPath')]
        [Alias('LP')]
        [string[]] $LiteralPath,

        [Parameter()]
        [switch] $PassThru
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
        # -Lockstep: each removal is reported before the next item is read, so nothing is removed
        # ahead of what the caller has seen (-ErrorAction Stop, Select-Object -First).
        $item = New-LinkItemCommand -Cmdlet $PSCmdlet -Op 'remove' -Lockstep -NoOutput:(-not $PassThru)
    }

    process {
        Invoke-LinkItemCommand -Command $item -Path $Path -LiteralPath $LiteralPath -InputObject $_ -Action 'Remove link'
    }

    end {
        Complete-LinkItemCommand -Command $item
    }
}
