function Get-LinkInfo {
    <#
    .SYNOPSIS
    Describes links: kind, stored and resolved target, link chain and file identity.

    .DESCRIPTION
    Get-LinkInfo returns one LinkTools.LinkInfo object per path: its kind (symlink, junction, hardlink,
    file, directory, ...), the target exactly as stored, the resolved and final targets, whether the
    target exists, the whole chain of links followed, the link count and the file identity.

    A link is described itself: the path is never resolved through the link. Paths may be relative to
    the current PowerShell location and may use PowerShell drives. -Path expands wildcards; objects
    piped from Get-ChildItem or Get-Item are taken literally.

    A whole pipeline is served by one engine process, so `Get-ChildItem -Recurse | Get-LinkInfo` is
    cheap. A path that cannot be read is a non-terminating error whose ErrorId is the engine's code
    (for example LT_NOT_FOUND) and whose TargetObject is the path.

    .PARAMETER Path
    The paths to describe. Wildcards are expanded (a pattern that matches nothing describes nothing,
    as with Get-Item). Accepts strings and FileSystemInfo objects from the
    pipeline, and binds the FullName, PSPath or Path property of piped objects.

    .PARAMETER LiteralPath
    Paths to describe, used exactly as typed: no wildcard expansion.

    .PARAMETER AsRemoteClient
    Also evaluate each link as the named remote (SMB) client would see it; adds a `remote` object to
    the result. Windows links only.

    .PARAMETER SymlinkEvaluation
    With -AsRemoteClient, the symbolic-link evaluation policy to apply (fsutil behavior
    SymlinkEvaluation): any of L2L, L2R, R2L, R2R.

    .EXAMPLE
    Get-LinkInfo -Path ./current

    Describes the link named current in the current folder.

    .EXAMPLE
    Get-ChildItem -Path . -Recurse | Get-LinkInfo | Where-Object Kind -eq 'symlink'

    Describes every entry under the current folder with one engine process and keeps the symbolic
    links (Get-ChildItem does not follow links into folders, so loops are harmless).

    .EXAMPLE
    Get-LinkInfo -Path ./current | Format-List *

    Shows every property of a link, including the internal ones (RecordType, SchemaVersion, Backend)
    that the default views leave out.

    .EXAMPLE
    Get-LinkInfo -LiteralPath 'C:\data[old]' -AsRemoteClient FILESRV01 -SymlinkEvaluation L2L, R2R

    On Windows: describes a link whose name contains brackets, as a remote client would see it.

    .INPUTS
    System.String, System.IO.FileSystemInfo

    .OUTPUTS
    LinkTools.LinkInfo

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Get-LinkInfo.ps1

    .LINK
    about_LinkTools

    .LINK
    Test-Link

    .LINK
    Find-Link
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Get-LinkInfo.ps1')]
    [OutputType('LinkTools.LinkInfo')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Path', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter(Mandatory, ParameterSetName = 'LiteralPath')]
        [Alias('LP')]
        [string[]] $LiteralPath,

        [Parameter()]
        [ValidateNotNullOrEmpty()]
        [string] $AsRemoteClient,

        [Parameter()]
        [ValidateSet('L2L', 'L2R', 'R2L', 'R2R')]
        [string[]] $SymlinkEvaluation
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
        $options = @{}
        if ($AsRemoteClient) { $options['remoteClient'] = $AsRemoteClient }
        if ($SymlinkEvaluation) {
            if (-not $AsRemoteClient) {
                $PSCmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_INVALID_ARGUMENT' -TargetObject $SymlinkEvaluation `
                            -Message '-SymlinkEvaluation needs -AsRemoteClient: it is the policy of that remote client.'))
            }
            $options['symlinkEvaluation'] = (($SymlinkEvaluation | Select-Object -Unique) -join ',')
        }
        $item = New-LinkItemCommand -Cmdlet $PSCmdlet -Op 'info' -Options $options
    }

    process {
        Invoke-LinkItemCommand -Command $item -Path $Path -LiteralPath $LiteralPath -InputObject $_
    }

    end {
        Complete-LinkItemCommand -Command $item
    }
}
