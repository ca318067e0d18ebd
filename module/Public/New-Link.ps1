function New-Link {
    <#
    .SYNOPSIS
    Creates a symbolic link, an NTFS junction or a hard link.

    .DESCRIPTION
    New-Link creates a link at -Path that points to -Target and returns a LinkTools.LinkInfo object
    describing the new link.

    A symbolic link stores -Target exactly as given: a relative target stays relative to the link's
    folder (so the pair can be moved together). A junction or hard link needs a real entry, so its
    target is resolved against the current PowerShell location. When a symbolic link's target does not
    exist yet, say what it will be with -TargetType (this matters on Windows, where file and directory
    symbolic links differ).

    An existing entry at -Path is an error (LT_EXISTS). With -Force an existing *link* is replaced
    atomically, but a real file or folder never is: the engine refuses that with LT_EXISTS too.
    Junctions exist only on NTFS; asking for one elsewhere gives LT_UNSUPPORTED_KIND. On Windows,
    symbolic links need Developer Mode or elevation (LT_PRIVILEGE_REQUIRED) - a junction does not.

    Each link is confirmed with ShouldProcess (-WhatIf, -Confirm); a declined link never reaches the
    engine. Objects with Path, Target and ItemType properties (for example from Import-Csv) can be
    piped in; the whole pipeline is served by one engine process.

    .PARAMETER Path
    Where to create the link. Relative paths are relative to the current PowerShell location. The
    folder that holds it must exist. Taken literally, as with New-Item: a path that does not exist yet
    cannot match a wildcard, so [ and ] are ordinary characters here.

    .PARAMETER Target
    What the link points to. For a symbolic link it is stored as given (relative targets are relative
    to the link's folder); for a junction or hard link it is resolved against the current location.

    .PARAMETER ItemType
    The kind of link: SymbolicLink, Junction (NTFS folders only) or HardLink (files on the same volume).

    .PARAMETER TargetType
    For a symbolic link: whether the target is a File or a Directory. Needed only when the target
    does not exist; when it does, it must agree (else LT_TARGET_TYPE_MISMATCH).

    .PARAMETER Force
    Replace an existing link at -Path. Never replaces a real file or folder.

    .PARAMETER WhatIf
    Shows the links that would be created without creating them (and without starting the engine).

    .PARAMETER Confirm
    Asks for confirmation before creating each link.

    .EXAMPLE
    New-Link -Path ./current -Target releases/v2 -ItemType SymbolicLink

    Creates a relative symbolic link current -> releases/v2 in the current folder (releases/v2 is a
    folder there).

    .EXAMPLE
    New-Link -Path ./current -Target releases/v3 -ItemType SymbolicLink -Force

    Retargets the existing link current at releases/v3, replacing it atomically (a real file or
    folder named current would be refused with LT_EXISTS).

    .EXAMPLE
    New-Link -Path C:\Users\me\AppData\Local\Cache -Target D:\Cache -ItemType Junction -Force

    On Windows (NTFS): points a folder at another drive with a junction, replacing an earlier junction
    at that path.

    .EXAMPLE
    Import-Csv links.csv | New-Link -WhatIf

    Shows the links a CSV with Path, Target and ItemType columns would create, creating none.

    .INPUTS
    Objects with Path, Target, ItemType (and optionally TargetType) properties.

    .OUTPUTS
    LinkTools.LinkInfo

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/New-Link.ps1

    .LINK
    about_LinkTools

    .LINK
    Remove-Link

    .LINK
    Get-LinkInfo
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/New-Link.ps1')]
    [OutputType('LinkTools.LinkInfo')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('LinkPath')]
        [ValidateNotNullOrEmpty()]
        [string] $Path,

        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)]
        [Alias('Value')]
        [ValidateNotNullOrEmpty()]
        [string] $Target,

        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [ValidateSet('SymbolicLink', 'Junction', 'HardLink')]
        [string] $ItemType,

        [Parameter(ValueFromPipelineByPropertyName)]
        [ValidateSet('File', 'Directory')]
        [string] $TargetType,

        [Parameter()]
        [switch] $Force
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
        # -Lockstep: each link is reported before the next item is read, so nothing is created ahead
        # of what the caller has seen (-ErrorAction Stop, Select-Object -First).
        $item = New-LinkItemCommand -Cmdlet $PSCmdlet -Op 'create' -Lockstep -Literal
        $labels = @{ SymbolicLink = 'symbolic link'; Junction = 'junction'; HardLink = 'hard link' }
    }

    process {
        $kind = $script:LinkKindByItemType[$ItemType]
        $engineTarget = Resolve-LinkTargetPath -Cmdlet $PSCmdlet -Target $Target -Kind $kind
        $action = "Create $($labels[$ItemType]) to '$engineTarget'"
        if ($Force) { $action += ' (replacing an existing link)' }
        $request = [ordered]@{ target = $engineTarget; kind = $kind; force = [bool]$Force }
        if ($TargetType) { $request['targetType'] = $TargetType.ToLowerInvariant() }
        Invoke-LinkItemCommand -Command $item -LiteralPath $Path -Request $request -PathField 'link' -Action $action
    }

    end {
        Complete-LinkItemCommand -Command $item
    }
}
