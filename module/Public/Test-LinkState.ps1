function Test-LinkState {
    <#
    .SYNOPSIS
    Tests whether a tree holds the links a manifest declares.

    .DESCRIPTION
    Test-LinkState compares the tree with a link manifest (JSON, see docs/maintenance.md, or a .psd1
    with the same shape: @{ Links = @(@{ Path = 'current'; Target = 'releases/v2'; Kind = 'symlink' }) })
    and returns $true when every declared link is there as declared, $false otherwise. Nothing is
    changed. With -Detailed it returns the drift instead: one LinkTools.Change per link that
    Set-LinkState would create, retarget or replace, and an error for each entry blocked by a real file
    or folder (which is never replaced).

    .PARAMETER Manifest
    The manifest file (.json or .psd1). Link paths in it are relative to its folder.

    .PARAMETER Detailed
    Return the drift objects instead of $true/$false.

    .EXAMPLE
    if (-not (Test-LinkState -Manifest D:\Deploy\links.json)) { Set-LinkState -Manifest D:\Deploy\links.json -JournalPath D:\Logs\links.jnl }

    A nightly scheduled task: repair the layout only when it drifted, with a journal to undo from.

    .EXAMPLE
    Test-LinkState -Manifest ./links.psd1 -Detailed | Format-Table Operation, Path, OldTarget, NewTarget

    Lists what differs from the declared layout.

    .OUTPUTS
    System.Boolean, or LinkTools.Change with -Detailed

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Test-LinkState.ps1

    .LINK
    Set-LinkState

    .LINK
    about_LinkTools
    #>
    [CmdletBinding(HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Test-LinkState.ps1')]
    [OutputType([bool])]
    [OutputType('LinkTools.Change')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [string] $Manifest,

        [Parameter()]
        [switch] $Detailed
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
    }

    process {
        $spec = Get-LinkManifestArgument -Cmdlet $PSCmdlet -Manifest $Manifest
        $run = Invoke-LinkEngineCollect -Cmdlet $PSCmdlet -ArgumentList ($spec.Arguments + @('--check', '--errors-inline')) -InputLine $spec.Input -CollectErrors
        $errors = $run.Errors
        $drift = @($run.Records | Where-Object { $_.recordType -eq 'change' -and $_.operation -ne 'none' })
        if ($Detailed) {
            foreach ($e in $errors) { $PSCmdlet.WriteError($e) }
            foreach ($c in $drift) { ConvertTo-LinkObject -Record $c }
            return
        }
        foreach ($e in $errors) { $PSCmdlet.WriteVerbose(('{0}: {1}' -f $e.TargetObject, $e.Exception.Message)) }
        ($drift.Count -eq 0 -and $errors.Count -eq 0 -and $run.ExitCode -eq 0)
    }
}
