# The module side of link maintenance: ask the engine for a plan, confirm each change with
# ShouldProcess (so -WhatIf/-Confirm show `old -> new` per link and a declined change never reaches
# the engine), then apply the approved changes with `linktools apply --stdin`.

function Get-LinkChangeDescription {
    # "Retarget symlink: old -> new" and the like, for ShouldProcess and -WhatIf.
    param([Parameter(Mandatory)] $Change)
    $kind = [string]$Change.kind
    switch ([string]$Change.operation) {
        'retarget' { return ('Retarget {0}: {1} -> {2}' -f $kind, $Change.oldTarget, $Change.newTarget) }
        'move' { return ('Move {0}: {1} -> {2} (target {3} -> {4})' -f $kind, $Change.path, $Change.newPath, $Change.oldTarget, $Change.newTarget) }
        'remove' { return ('Remove {0} (target {1}; the target is not touched)' -f $kind, $Change.oldTarget) }
        'create' {
            if ($Change.oldKind) { return ('Replace {0} -> {1} with {2} -> {3}' -f $Change.oldKind, $Change.oldTarget, $kind, $Change.newTarget) }
            return ('Create {0} -> {1}' -f $kind, $Change.newTarget)
        }
    }
    [string]$Change.operation
}

function ConvertTo-LinkChangeErrorRecord {
    # A change whose `error` is set -> ErrorRecord with the engine's code as ErrorId.
    param([Parameter(Mandatory)] $Change)
    $spec = [pscustomobject]@{
        recordType = 'error'; code = [string]$Change.error.code; message = [string]$Change.error.message
        path = [string]$Change.path; category = $script:LinkErrorCategory[[string]$Change.error.code]
    }
    New-LinkErrorRecord -Record $spec -TargetObject $Change.path
}

function Invoke-LinkEngineCollect {
    <#
    Runs one engine command to its end and returns {Records, Errors, ExitCode}. Error records are
    written as non-terminating errors of -Cmdlet, or with -CollectErrors kept in Errors instead; an
    error that ended the whole run (fatal) terminates.
    #>
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][string[]] $ArgumentList,
        [string[]] $InputLine,
        [switch] $CollectErrors
    )
    $errors = New-Object System.Collections.Generic.List[System.Management.Automation.ErrorRecord]
    $session = Start-LinkEngine -Cmdlet $Cmdlet -ArgumentList $ArgumentList
    $completed = $false
    try {
        if ($InputLine) {
            foreach ($line in $InputLine) { $session.Writer.Write($line); $session.Writer.Write("`n") }
        }
        $session.Writer.Flush()
        $session.Writer.Dispose()
        $records = New-Object System.Collections.Generic.List[object]
        while ($null -ne ($record = Read-LinkEngineRecord -Session $session -Cmdlet $Cmdlet)) {
            if ($record.recordType -eq 'error') {
                $err = New-LinkErrorRecord -Record $record
                if ($record.fatal) { [void](Stop-LinkEngine -Session $session -Kill); $Cmdlet.ThrowTerminatingError($err) }
                if ($CollectErrors) { $errors.Add($err) } else { $Cmdlet.WriteError($err) }
                continue
            }
            $records.Add($record)
        }
        $code = Complete-LinkEngine -Session $session -Cmdlet $Cmdlet
        $completed = $true
        [pscustomobject]@{ Records = $records; Errors = $errors; ExitCode = $code }
    } finally {
        if (-not $completed) { [void](Stop-LinkEngine -Session $session -Kill) }
    }
}

function Invoke-LinkChangePlan {
    <#
    Plans with the engine (PlanArgument + --dry-run), confirms each change, applies the approved ones.
    Writes the applied change objects (LinkTools.Change) and an error per change that failed.
    -Check: only report (Test-LinkState): returns the plan's records and changes nothing.
    #>
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        # The engine command with its paths FIRST, then its options: paths are absolute native
        # paths (never '-…'), and no array option can swallow a path that follows it.
        [Parameter(Mandatory)][string[]] $PlanArgument,
        [string[]] $PlanInput,
        [string] $JournalPath
    )
    $plan = Invoke-LinkEngineCollect -Cmdlet $Cmdlet -ArgumentList ($PlanArgument + @('--dry-run', '--errors-inline')) -InputLine $PlanInput
    $approved = New-Object System.Collections.Generic.List[string]
    foreach ($c in $plan.Records) {
        if ($c.recordType -ne 'change') { continue }
        if ($c.error) { $Cmdlet.WriteError((ConvertTo-LinkChangeErrorRecord -Change $c)); continue }
        if ($c.operation -eq 'none') {
            $Cmdlet.WriteVerbose(('{0}: nothing to do ({1})' -f $c.path, $c.reason))
            continue
        }
        if ($Cmdlet.ShouldProcess([string]$c.path, (Get-LinkChangeDescription -Change $c))) {
            $approved.Add((ConvertTo-Json -InputObject $c -Compress -Depth 5))
        }
    }
    if ($approved.Count -eq 0) { return }
    $applyArgs = @('apply', '--stdin', '--errors-inline')
    if ($JournalPath) { $applyArgs += @('--journal', $JournalPath) }
    $done = Invoke-LinkEngineCollect -Cmdlet $Cmdlet -ArgumentList $applyArgs -InputLine $approved.ToArray()
    foreach ($c in $done.Records) {
        if ($c.recordType -ne 'change') { continue }
        if ($c.error) { $Cmdlet.WriteError((ConvertTo-LinkChangeErrorRecord -Change $c)); continue }
        ConvertTo-LinkObject -Record $c
    }
}

function Resolve-LinkJournalPath {
    # A journal path in PowerShell terms (relative to the current location, ~ expanded) -> native.
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Path)
    if (-not $Path) { return $null }
    $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

function Get-LinkManifestArgument {
    <#
    The engine arguments (and stdin) for a manifest: a .json file is passed by path; a .psd1 is read
    here with Import-PowerShellDataFile (data only, no code runs), turned into the same JSON shape and
    sent on stdin with --base set to the .psd1's folder.
    #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [Parameter(Mandatory)][string] $Manifest)
    $file = $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Manifest)
    if (-not (Test-LinkPsd1Manifest -File $file)) {
        return [pscustomobject]@{ Arguments = @('ensure', $file); Input = $null }
    }
    $json = ConvertTo-LinkManifestJson -Cmdlet $Cmdlet -File $file
    [pscustomobject]@{ Arguments = @('ensure', '--stdin', ('--base=' + [System.IO.Path]::GetDirectoryName($file))); Input = @($json) }
}

function Test-LinkPsd1Manifest {
    param([Parameter(Mandatory)][string] $File)
    $File.EndsWith('.psd1', [System.StringComparison]::OrdinalIgnoreCase)
}

function ConvertTo-LinkManifestJson {
    <#
    A .psd1 manifest read with Import-PowerShellDataFile (data only, no code runs) as the JSON of the
    manifest schema: keys in the schema's spelling, PowerShell kind names mapped to the schema's words.
    An unreadable file is LT_BAD_MANIFEST; what does not fit the schema is refused by the engine.
    #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [Parameter(Mandatory)][string] $File)
    try {
        $data = Import-PowerShellDataFile -LiteralPath $File -ErrorAction Stop
    } catch {
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_BAD_MANIFEST' -Category InvalidData -TargetObject $File `
                    -InnerException $_.Exception -Message ("The manifest {0} cannot be read: {1}" -f $File, $_.Exception.Message)))
    }
    # PowerShell keys are case-insensitive; the JSON schema's are not: map them to its spelling.
    $names = @{ path = 'path'; target = 'target'; kind = 'kind'; targettype = 'targetType'; replace = 'replace' }
    $links = New-Object System.Collections.Generic.List[object]
    foreach ($entry in @($data['Links'])) {
        $o = [ordered]@{}
        if ($entry -is [System.Collections.IDictionary]) {
            foreach ($k in $entry.Keys) {
                $key = $names[([string]$k).ToLowerInvariant()]
                if (-not $key) { $key = [string]$k }   # unknown keys reach the schema check and are refused there
                $value = $entry[$k]
                # PowerShell spellings (New-Item -ItemType SymbolicLink, any case) -> the schema's words.
                if ($key -eq 'kind' -and $value -is [string]) {
                    switch ($value) { 'SymbolicLink' { $value = 'symlink' } 'symlink' { $value = 'symlink' } 'Junction' { $value = 'junction' } 'HardLink' { $value = 'hardlink' } }
                }
                if ($key -eq 'targetType' -and $value -is [string]) {
                    switch ($value) { 'File' { $value = 'file' } 'Directory' { $value = 'directory' } }
                }
                $o[$key] = $value
            }
        }
        $links.Add([pscustomobject]$o)
    }
    $body = [ordered]@{ links = $links.ToArray() }
    foreach ($k in $data.Keys) { if ($k -ne 'Links') { $body[[string]$k] = $data[$k] } }
    ConvertTo-Json -InputObject ([pscustomobject]$body) -Compress -Depth 6
}
