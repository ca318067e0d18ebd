function Set-LinkTarget {
    <#
    .SYNOPSIS
    Changes where links point, keeping each link's kind and file/dir type.

    .DESCRIPTION
    Set-LinkTarget retargets symbolic links and junctions, one at a time or (-Recurse) every one under
    a folder, in exactly one mode:
    -Target NEW gives one link a new target; -Replace OLD,NEW rebases every target that starts with the
    folder OLD (whole path components; Windows paths compare case-insensitively) onto NEW, as after a
    share moved from D:\Old to E:\New; -Relative makes absolute targets relative when they lie under
    -Boundary (default: the folder given), so a link to /etc/passwd is never rewritten as
    ../../../etc/passwd; -Absolute makes relative targets absolute; -Tidy removes ./, // and needless
    .. detours. For -Relative, -Absolute and -Tidy the new target must reach the same file or folder as
    the old one, resolved the way the operating system resolves it, or the link is left alone.

    The engine first computes the whole plan; each change is then confirmed with ShouldProcess, so
    -WhatIf shows "old -> new" for every link and changes nothing, and a declined change never reaches
    the engine. Each link is replaced atomically (a new link is made beside it and swapped in); a link
    that changed since the plan was made is refused (LT_TREE_CHANGED) and the others go on. A junction
    is never made relative: Windows resolves a junction on the machine that holds it.

    .PARAMETER Path
    Links to retarget, or with -Recurse folders whose links are retargeted. Wildcards are expanded.
    Binds FullName/PSPath/Path of piped objects (Find-Link output, Get-ChildItem output).

    .PARAMETER LiteralPath
    Like -Path, used exactly as typed (no wildcards).

    .PARAMETER Recurse
    Retarget every symbolic link and junction under each folder given.

    .PARAMETER Target
    The new target of one link, stored exactly as given (a relative target stays relative).

    .PARAMETER Replace
    Pairs OLD,NEW (OLD1,NEW1,OLD2,NEW2 …): targets starting with OLD are rebased onto NEW.

    .PARAMETER Relative
    Make absolute symbolic-link targets relative (only those under -Boundary).

    .PARAMETER Boundary
    With -Relative: the folder a target must lie under to be made relative.

    .PARAMETER Absolute
    Make relative symbolic-link targets absolute.

    .PARAMETER Tidy
    Remove ./, // and needless .. hops from targets.

    .PARAMETER JournalPath
    Append every applied change to this file, for Undo-LinkChange.

    .PARAMETER WhatIf
    Shows each planned change (old -> new) without making it.

    .PARAMETER Confirm
    Asks before each change.

    .EXAMPLE
    Set-LinkTarget -Path D:\Shares -Recurse -Replace 'D:\Old','E:\New' -JournalPath .\move.jnl -WhatIf

    Shows every link under D:\Shares that would be rebased from D:\Old to E:\New; run it again without
    -WhatIf to apply, and Undo-LinkChange -JournalPath .\move.jnl to put everything back.

    .EXAMPLE
    Set-LinkTarget -Path ./release -Recurse -Relative

    Makes the release tree relocatable: every absolute link that points inside it becomes relative.

    .EXAMPLE
    Set-LinkTarget -Path ./current -Target ./releases/v3

    Points the link named current at releases/v3.

    .INPUTS
    System.String, System.IO.FileSystemInfo, LinkTools.LinkInfo

    .OUTPUTS
    LinkTools.Change

    .LINK
    https://github.com/LinkTools/LinkTools/blob/main/module/Public/Set-LinkTarget.ps1

    .LINK
    Move-Link

    .LINK
    Undo-LinkChange

    .LINK
    about_LinkTools
    #>
    [CmdletBinding(DefaultParameterSetName = 'Tidy', SupportsShouldProcess, ConfirmImpact = 'Medium', HelpUri = 'https://github.com/LinkTools/LinkTools/blob/main/module/Public/Set-LinkTarget.ps1')]
    [OutputType('LinkTools.Change')]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName', 'PSPath')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter()]
        [Alias('LP')]
        [string[]] $LiteralPath,

        [Parameter()]
        [switch] $Recurse,

        [Parameter(Mandatory, ParameterSetName = 'Target')]
        [ValidateNotNullOrEmpty()]
        [string] $Target,

        [Parameter(Mandatory, ParameterSetName = 'Replace')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Replace,

        [Parameter(Mandatory, ParameterSetName = 'Relative')]
        [switch] $Relative,

        [Parameter(ParameterSetName = 'Relative')]
        [string] $Boundary,

        [Parameter(Mandatory, ParameterSetName = 'Absolute')]
        [switch] $Absolute,

        [Parameter(Mandatory, ParameterSetName = 'Tidy')]
        [switch] $Tidy,

        [Parameter()]
        [string] $JournalPath
    )

    begin {
        Use-LinkCallerPreference -Cmdlet $PSCmdlet
        $paths = New-Object System.Collections.Generic.List[string]
    }

    process {
        $literal = Test-LinkLiteralInput -Cmdlet $PSCmdlet -InputObject $_
        foreach ($p in @($Path)) {
            if ($null -eq $p) { continue }
            foreach ($native in @(Resolve-LinkPath -Cmdlet $PSCmdlet -Path $p -Literal:$literal)) { $paths.Add($native) }
        }
        foreach ($p in @($LiteralPath)) {
            if ($null -eq $p) { continue }
            foreach ($native in @(Resolve-LinkPath -Cmdlet $PSCmdlet -Path $p -Literal)) { $paths.Add($native) }
        }
    }

    end {
        if ($paths.Count -eq 0) {
            if (-not $PSBoundParameters.ContainsKey('Path') -and -not $PSBoundParameters.ContainsKey('LiteralPath') -and -not $MyInvocation.ExpectingInput) {
                $PSCmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_INVALID_ARGUMENT' -Category InvalidArgument `
                            -TargetObject $null -Message 'Set-LinkTarget needs -Path or -LiteralPath.'))
            }
            return
        }
        $engineArgs = @('retarget') + $paths.ToArray()
        switch ($PSCmdlet.ParameterSetName) {
            'Target' { $engineArgs += "--to=$Target" }
            'Replace' {
                if ($Replace.Count % 2 -ne 0) {
                    $PSCmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_INVALID_ARGUMENT' -Category InvalidArgument `
                                -TargetObject $Replace -Message '-Replace takes pairs: OLD,NEW (or OLD1,NEW1,OLD2,NEW2).'))
                }
                for ($i = 0; $i -lt $Replace.Count; $i += 2) { $engineArgs += ('--replace={0}={1}' -f $Replace[$i], $Replace[$i + 1]) }
            }
            'Relative' {
                $engineArgs += '--relative'
                if ($Boundary) { $engineArgs += ('--boundary=' + $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Boundary)) }
            }
            'Absolute' { $engineArgs += '--absolute' }
            'Tidy' { $engineArgs += '--tidy' }
        }
        if ($Recurse) { $engineArgs += '--recurse' }
        Invoke-LinkChangePlan -Cmdlet $PSCmdlet -PlanArgument $engineArgs -JournalPath (Resolve-LinkJournalPath -Cmdlet $PSCmdlet -Path $JournalPath)
    }
}
