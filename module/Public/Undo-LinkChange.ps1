function Undo-LinkChange {
    <#
    .SYNOPSIS
    Reverses the link changes recorded in a journal.

    .DESCRIPTION
    Undo-LinkChange reads a journal written with -JournalPath (Set-LinkTarget, Move-Link, Set-LinkState)
    and reverses every change in it, newest first. A link that changed since it was journalled is left
    alone with the error LT_TREE_CHANGED, and the other links are still put back. A journal written on
    another machine, or for a tree that does not exist here, is refused whole (LT_JOURNAL_MISMATCH)
    before anything changes. Each reversal is confirmed with ShouldProcess.

    .PARAMETER JournalPath
    The journal file.

    .PARAMETER WhatIf
    Shows what would be put back without changing anything.

    .PARAMETER Confirm
    Asks before each reversal.

    .EXAMPLE
    Undo-LinkChange -JournalPath D:\Logs\move.jnl -WhatIf

    Shows how every link changed by the journalled run would be put back.

    .OUTPUTS
    LinkTools.Change

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Undo-LinkChange.ps1

    .LINK
    Set-LinkTarget

    .LINK
    about_LinkTools
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Undo-LinkChange.ps1')]
    [OutputType('LinkTools.Change')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [string] $JournalPath
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
    }

    process {
        $journal = Resolve-LinkJournalPath -Cmdlet $PSCmdlet -Path $JournalPath
        Invoke-LinkChangePlan -Cmdlet $PSCmdlet -PlanArgument @('undo', "--journal=$journal")
    }
}
