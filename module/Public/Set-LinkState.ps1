function Set-LinkState {
    <#
    .SYNOPSIS
    Makes a tree hold the links a manifest declares.

    .DESCRIPTION
    Set-LinkState converges the tree to a link manifest (JSON or .psd1, see Test-LinkState): it creates
    missing links, retargets links of the right kind that point elsewhere, replaces a link of another
    kind or file/dir type only where the entry says Replace = $true, and never replaces a real file or
    folder (LT_EXISTS for that entry; the other entries go on). A second run changes nothing.
    Each change is confirmed with ShouldProcess (-WhatIf shows "old -> new" per link).

    .PARAMETER Manifest
    The manifest file (.json or .psd1). Link paths in it are relative to its folder; a relative target
    is stored exactly as written and is relative to the link's own folder.

    .PARAMETER JournalPath
    Append every applied change to this file, for Undo-LinkChange.

    .PARAMETER WhatIf
    Shows each planned change without making it.

    .PARAMETER Confirm
    Asks before each change.

    .EXAMPLE
    Set-LinkState -Manifest D:\Deploy\links.json -JournalPath D:\Logs\links.jnl

    Enforces the declared layout and records what it changed.

    .OUTPUTS
    LinkTools.Change

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Set-LinkState.ps1

    .LINK
    Test-LinkState

    .LINK
    Undo-LinkChange

    .LINK
    about_LinkTools
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Set-LinkState.ps1')]
    [OutputType('LinkTools.Change')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [string] $Manifest,

        [Parameter()]
        [string] $JournalPath
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
    }

    process {
        $spec = Get-LinkManifestArgument -Cmdlet $PSCmdlet -Manifest $Manifest
        Invoke-LinkChangePlan -Cmdlet $PSCmdlet -PlanArgument $spec.Arguments -PlanInput $spec.Input -JournalPath (Resolve-LinkJournalPath -Cmdlet $PSCmdlet -Path $JournalPath)
    }
}
