function Test-Link {
    <#
    .SYNOPSIS
    Tests that each path is a link whose target resolves.

    .DESCRIPTION
    Test-Link returns $true for a path that is a working link (a symbolic link or junction whose chain
    ends at an existing entry without looping, or a file with more than one hard-link name) and $false
    for anything else: a broken link, a loop, a plain file or folder, or nothing at all. It returns one
    value per path, in order, and writes no error for a path that does not exist.

    With -Detailed it returns LinkTools.LinkTest objects instead, whose Reason says why (ok, broken,
    loop, notALink, notFound, ...) and whose Message explains it.

    The path is tested as a link itself, never resolved through it. A whole pipeline is served by one
    engine process.

    .PARAMETER Path
    The paths to test. Wildcards are expanded. Accepts strings and FileSystemInfo objects from the
    pipeline, and binds the FullName, PSPath or Path property of piped objects.

    .PARAMETER LiteralPath
    Paths to test, used exactly as typed: no wildcard expansion.

    .PARAMETER Detailed
    Return a LinkTools.LinkTest object (Ok, Reason, Message, Kind, ResolvedTarget, FinalTarget) per
    path instead of a Boolean.

    .EXAMPLE
    if (Test-Link -Path ./current) { 'current points somewhere real' }

    Uses the Boolean result in a condition.

    .EXAMPLE
    Get-ChildItem -Path . | Test-Link -Detailed | Where-Object Reason -in 'broken', 'loop'

    Lists the broken and looping links in the current folder, with the reason for each (plain files
    and folders, whose Reason is notALink, are left out).

    .INPUTS
    System.String, System.IO.FileSystemInfo

    .OUTPUTS
    System.Boolean, LinkTools.LinkTest

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Test-Link.ps1

    .LINK
    about_LinkTools

    .LINK
    Get-LinkInfo
    #>
    [CmdletBinding(DefaultParameterSetName = 'Path', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Test-Link.ps1')]
    [OutputType([bool])]
    [OutputType('LinkTools.LinkTest')]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'Path', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter(Mandatory, ParameterSetName = 'LiteralPath')]
        [Alias('LP')]
        [string[]] $LiteralPath,

        [Parameter()]
        [switch] $Detailed
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
        # What each answer becomes: the LinkTest object, or its Boolean (and $false for an error).
        # A literal path that does not exist is simply $false (the engine says notFound); a wildcard
        # that matches nothing yields nothing, as with Get-Item.
        if ($Detailed) { $item = New-LinkItemCommand -Cmdlet $PSCmdlet -Op 'test' }
        else { $item = New-LinkItemCommand -Cmdlet $PSCmdlet -Op 'test' -AnswerProperty 'ok' -ErrorAnswer $false }
    }

    process {
        Invoke-LinkItemCommand -Command $item -Path $Path -LiteralPath $LiteralPath -InputObject $_
    }

    end {
        Complete-LinkItemCommand -Command $item
    }
}
