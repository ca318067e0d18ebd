# Scan options shared by Find-Link and Invoke-LinkAudit -> engine arguments. The -ItemType names
# map to engine kinds through $LinkKindByItemType (module/generated/LinkKinds.ps1).

function Get-LinkScanArgument {
    <#
    -Depth follows Get-ChildItem: 0 lists a root's children only. The engine's --max-depth counts
    levels below the root (0 = the root itself), hence the +1. Without -Recurse or -Depth, MaxDepth
    (when given) applies: Find-Link lists the roots' children, Invoke-LinkAudit walks everything.
    Every option is one `--name=value` word: an array option (--include, --kind, ...) given as
    `--name value` would also take the next words, and a value starting with '-' would read as an
    option. The roots go first (see Get-LinkEngineCommandLine).
    #>
    param(
        [System.Collections.IDictionary] $Bound,
        [Nullable[int]] $DefaultMaxDepth
    )
    $argv = New-Object System.Collections.Generic.List[string]
    if ($Bound.ContainsKey('Depth')) {
        $argv.Add('--max-depth=' + [string]([int]$Bound['Depth'] + 1))
    } elseif (-not $Bound['Recurse'] -and $null -ne $DefaultMaxDepth) {
        $argv.Add('--max-depth=' + [string]$DefaultMaxDepth)
    }
    foreach ($g in @($Bound['Include'])) { if ($g) { $argv.Add('--include=' + [string]$g) } }
    foreach ($g in @($Bound['Exclude'])) { if ($g) { $argv.Add('--exclude=' + [string]$g) } }
    if ($Bound['OneFileSystem']) { $argv.Add('--one-file-system') }
    $kinds = @($Bound['ItemType'])
    # -Broken: only symbolic links and junctions can be broken (a hard link is the file itself).
    if ($Bound['Broken'] -and -not $Bound['ItemType']) { $kinds = @('SymbolicLink', 'Junction') }
    foreach ($k in $kinds) { if ($k) { $argv.Add('--kind=' + $script:LinkKindByItemType[[string]$k]) } }
    , $argv.ToArray()
}

function Get-LinkEngineCommandLine {
    <#
    The engine's argument list for a streaming command: the command, then the roots (absolute paths,
    so none starts with '-'), then the options, each a single word. Roots first means no option can
    take them as its values, whatever options the cmdlet passes.
    #>
    param([Parameter(Mandatory)][string] $Command, [Parameter(Mandatory)][string[]] $Root, [string[]] $Option)
    $argv = New-Object System.Collections.Generic.List[string]
    $argv.Add($Command)
    foreach ($r in $Root) { $argv.Add($r) }
    foreach ($o in $Option) { if ($o) { $argv.Add($o) } }
    , $argv.ToArray()
}

function Read-LinkEngineBatch {
    <#
    Streaming commands (scan, audit): returns the next records the engine has written, as typed
    objects with PascalCase names (the compiled converter, else ConvertFrom-LinkRecordJson +
    ConvertTo-LinkObject on the whole batch), or $null once its output has ended. Error records are
    returned too (RecordType 'error'); the caller writes them. stdout is read in blocks, not lines,
    and every line that is already there (at most about 1 MB) is converted in one go, so a long
    result costs a few hundred conversions, not one per record; a slow engine still streams (a batch never waits for more lines). stderr is
    drained meanwhile (progress becomes Write-Progress), and the wait is sliced so Ctrl+C works.
    #>
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet)
    $state = $Session.PSObject.Properties['LinkBatch']
    if ($null -eq $state) {
        $Session | Add-Member -NotePropertyName LinkBatch -NotePropertyValue ([pscustomobject]@{
                Buffer  = New-Object char[] 65536
                Task    = $null
                Partial = New-Object System.Text.StringBuilder
            })
        $state = $Session.PSObject.Properties['LinkBatch']
    }
    $batch = $state.Value
    $process = $Session.Process
    # The compiled converter (ConvertTo-LinkObject.ps1) also splits the lines; $null: PowerShell does.
    $converter = Get-LinkRecordConverter
    $lines = New-Object System.Collections.Generic.List[string]
    $chars = 0
    $started = $null
    while ($true) {
        if ($Session.OutDone) { break }
        if ($null -eq $batch.Task) { $batch.Task = $process.StandardOutput.ReadAsync($batch.Buffer, 0, $batch.Buffer.Length) }
        if (-not $batch.Task.IsCompleted -and $lines.Count -gt 0) {
            # An engine that writes a few records at a time: gather for up to 30 ms more, so a
            # batch is worth its conversion, then hand over what we have (the read stays pending).
            $left = 30 - [int]$started.Elapsed.TotalMilliseconds
            if ($lines.Count -ge 2000 -or $left -le 0 -or -not $batch.Task.Wait($left)) { break }
        }
        if (-not $batch.Task.IsCompleted) {
            if (-not $Session.ErrDone -and $null -eq $Session.ErrTask) { $Session.ErrTask = $process.StandardError.ReadLineAsync() }
            if ($Session.ErrDone) { [void]$batch.Task.Wait(200) }
            else { [void][System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($batch.Task, $Session.ErrTask), 200) }
            Read-LinkEngineStdErr -Session $Session
            continue
        }
        $n = $batch.Task.GetAwaiter().GetResult()
        $batch.Task = $null
        if ($null -eq $started) { $started = [System.Diagnostics.Stopwatch]::StartNew() }
        if ($n -le 0) {
            $Session.OutDone = $true
            $rest = $batch.Partial.ToString().Trim()
            [void]$batch.Partial.Clear()
            if ($rest.Length) { $lines.Add($rest) }
            break
        }
        [void]$batch.Partial.Append($batch.Buffer, 0, $n)
        $text = $batch.Partial.ToString()
        $last = $text.LastIndexOf([char]"`n")
        if ($last -ge 0) {
            if ($null -ne $converter) { $chars += $converter.AddLines($text, $last, $lines) }
            else {
                foreach ($line in $text.Substring(0, $last).Split([char]"`n")) {
                    $trimmed = $line.Trim()
                    if ($trimmed.Length) { $lines.Add($trimmed); $chars += $trimmed.Length }
                }
            }
            [void]$batch.Partial.Clear()
            [void]$batch.Partial.Append($text, $last + 1, $text.Length - $last - 1)
        }
        if ($chars -ge 1000000) { break }
    }
    Read-LinkEngineStdErr -Session $Session
    if ($lines.Count -eq 0) { return $null }

    if ($null -ne $converter) {
        # The lines the compiled converter leaves go the PowerShell way, one by one.
        $records = $converter.Convert($lines)
        if ($converter.Unhandled -gt 0) {
            for ($i = 0; $i -lt $records.Length; $i++) {
                if ($null -eq $records[$i]) { $records[$i] = ConvertFrom-LinkBatchLine -Session $Session -Cmdlet $Cmdlet -Line $lines[$i] }
            }
        }
        return , $records
    }
    $records = $null
    $ok = $true
    try {
        $records = @(ConvertFrom-LinkRecordJson -Json ('[' + [string]::Join(',', $lines) + ']'))
        if ($records.Count -ne $lines.Count) { $ok = $false }
        foreach ($r in $records) { if ($null -eq $r -or $null -eq $r.PSObject.Properties['RecordType']) { $ok = $false; break } }
    } catch { $ok = $false }
    if (-not $ok) {
        # One line at a time, so the records before a bad line are kept and the bad one is reported.
        $records = foreach ($line in $lines) { ConvertFrom-LinkBatchLine -Session $Session -Cmdlet $Cmdlet -Line $line -Untyped }
    }
    , @(ConvertTo-LinkObject -Record $records)
}

function ConvertFrom-LinkBatchLine {
    # One line of a batch the PowerShell way: a typed record (-Untyped: names mapped, no type yet), or
    # a terminating LT_ENGINE_FAILED when it is not a record.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Line, [switch] $Untyped)
    $record = $null
    try { $record = ConvertFrom-LinkRecordJson -Json $Line } catch { $record = $null }
    if ($null -eq $record -or $null -eq $record.PSObject.Properties['RecordType']) {
        [void](ConvertFrom-LinkEngineLine -Session $Session -Cmdlet $Cmdlet -Line $Line)   # throws LT_ENGINE_FAILED
    }
    if ($Untyped) { return $record }
    ConvertTo-LinkObject -Record $record
}

function Write-LinkSummary {
    # A summary record goes to the information stream, tagged with its type name, and to -Verbose.
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [Parameter(Mandatory)] $Summary, [string] $Text)
    $tag = $Summary.PSObject.TypeNames[0]
    $record = New-Object System.Management.Automation.InformationRecord -ArgumentList $Summary, $Cmdlet.MyInvocation.MyCommand.Name
    $record.Tags.Add($tag)
    $Cmdlet.WriteInformation($record)
    if ($Text) { $Cmdlet.WriteVerbose($Text) }
}

# Audit rule IDs, as the engine defines them (engine/src/core/audit/rules.ts; a test keeps the two in
# step). Used for Tab completion of -Rule and -ExcludeRule: the engine, not the module, validates IDs.
$script:LinkRuleIds = @(
    'broken-target', 'link-loop', 'chain-too-long', 'escapes-root', 'absolute-target', 'remote-target',
    'junction-not-local', 'type-mismatch', 'remote-unresolvable', 'sensitive-target', 'print-name-mismatch',
    'object-manager-target', 'unsafe-reparse-tag', 'directory-cycle', 'messy-target', 'lengthy-target',
    'other-filesystem', 'hardlink-group-escapes', 'manifest-drift', 'unreadable'
)

# Tab completion of rule IDs for Invoke-LinkAudit -Rule and -ExcludeRule, registered when the module
# loads. The completer is a closure over the list, so it works from any scope.
$script:LinkRuleCompleter = & {
    $ids = $script:LinkRuleIds
    {
        param($commandName, $parameterName, $wordToComplete)
        $typed = ([string]$wordToComplete).Trim([char]"'", [char]'"')
        foreach ($id in $ids) {
            if ($id -like "$typed*") {
                New-Object System.Management.Automation.CompletionResult -ArgumentList $id, $id, 'ParameterValue', $id
            }
        }
    }.GetNewClosure()
}
foreach ($parameterName in 'Rule', 'ExcludeRule') {
    Register-ArgumentCompleter -CommandName 'Invoke-LinkAudit' -ParameterName $parameterName -ScriptBlock $script:LinkRuleCompleter
}
