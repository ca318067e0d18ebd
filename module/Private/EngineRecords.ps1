# Engine output -> records -> PowerShell output and ErrorRecords.
#
# Lines from the engine's stdout become checked records (a JSON object with a recordType; anything
# else is a terminating LT_ENGINE_FAILED); an error record becomes a non-terminating ErrorRecord whose
# ErrorId is the engine's code; every other record becomes output through ConvertTo-LinkObject. What
# the engine leaves on stderr is reported after the output. Errors of the module itself get their
# category from the same registry as the engine's (module/generated/ErrorIds.ps1).

function New-LinkModuleErrorRecord {
    <#
    An ErrorRecord for a failure of the module itself (no engine record behind it). The category is
    the ErrorId's one category in the registry (engine/src/errors.ts, generated into the module);
    -Category is only used for an id the registry does not know.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Builds an object in memory; it changes no system state.")]
    param(
        [Parameter(Mandatory)][string] $ErrorId,
        [Parameter(Mandatory)][string] $Message,
        [System.Management.Automation.ErrorCategory] $Category = 'NotSpecified',
        [object] $TargetObject,
        [System.Exception] $InnerException
    )
    $registered = $script:LinkErrorCategory[$ErrorId]
    if ($registered) { $Category = $registered }
    $ex = [System.InvalidOperationException]::new($Message, $InnerException)
    $ex.Data['LinkToolsCode'] = $ErrorId
    [System.Management.Automation.ErrorRecord]::new($ex, $ErrorId, $Category, $TargetObject)
}

# A lone low surrogate U+DC80..U+DCFF is how the engine carries a byte of a POSIX name that is not
# UTF-8 (engine/src/platform/pathbytes.ts); JSON.stringify writes it as the escape \udcXX (a valid
# pair is never escaped). ConvertFrom-Json turns such an escape into U+FFFD, which would lose the
# name, so ConvertFrom-LinkJson parses those lines with the escape rewritten to a placeholder,
# U+FDD0 (a noncharacter) + U+00XX, and turns the placeholders back into the surrogates afterwards.
$script:LinkLoneSurrogateEscape = New-Object System.Text.RegularExpressions.Regex -ArgumentList '(?<!\\)((?:\\\\)*)\\u[dD][cC]([89a-fA-F][0-9a-fA-F])'
$script:LinkSurrogatePlaceholder = New-Object System.Text.RegularExpressions.Regex -ArgumentList ([string][char]0xFDD0 + '([\u0080-\u00FF])')

function ConvertFrom-LinkJson {
    # ConvertFrom-Json that keeps the engine's lone surrogates (see above). Fast path for the rest.
    param([Parameter(Mandatory)][string] $Text)
    if ($Text.IndexOf('\ud', [System.StringComparison]::OrdinalIgnoreCase) -lt 0) { return (ConvertFrom-Json -InputObject $Text) }
    $value = ConvertFrom-Json -InputObject ($script:LinkLoneSurrogateEscape.Replace($Text, '$1\ufdd0\u00$2'))
    foreach ($v in @($value)) { Restore-LinkSurrogate -Value $v }
    $value
}

function Restore-LinkSurrogate {
    # Placeholders -> lone surrogates in every string of a parsed record, in place.
    param($Value)
    if ($null -eq $Value) { return }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        foreach ($p in $Value.PSObject.Properties) {
            $v = $p.Value
            if ($v -is [string]) {
                if ($v.IndexOf([char]0xFDD0) -ge 0) {
                    $p.Value = $script:LinkSurrogatePlaceholder.Replace($v, { param($m) [string][char](0xDC00 + [int][char]$m.Groups[1].Value) })
                }
            } elseif ($null -ne $v -and -not ($v -is [ValueType])) { Restore-LinkSurrogate -Value $v }
        }
    } elseif ($Value -is [System.Collections.IList]) {
        for ($i = 0; $i -lt $Value.Count; $i++) {
            $v = $Value[$i]
            if ($v -is [string]) {
                if ($v.IndexOf([char]0xFDD0) -ge 0) { $Value[$i] = $script:LinkSurrogatePlaceholder.Replace($v, { param($m) [string][char](0xDC00 + [int][char]$m.Groups[1].Value) }) }
            } else { Restore-LinkSurrogate -Value $v }
        }
    }
}

function ConvertFrom-LinkEngineLine {
    # One stdout line -> record; output that is not a JSON record is a terminating LT_ENGINE_FAILED.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Line)
    $record = $null
    try { $record = ConvertFrom-LinkJson -Text $Line } catch { $record = $null }
    if ($null -eq $record -or $null -eq $record.PSObject.Properties['recordType']) {
        [void](Stop-LinkEngine -Session $Session -Kill)
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -TargetObject $Session.EnginePath `
                    -Message "The LinkTools engine wrote something that is not a record: $Line"))
    }
    $record
}

function Read-LinkEngineRecord {
    # Next record of a streaming command (scan, audit), or $null when the engine's output ends.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet)
    $line = Read-LinkEngineLine -Session $Session
    if ($null -eq $line) { return $null }
    ConvertFrom-LinkEngineLine -Session $Session -Cmdlet $Cmdlet -Line $line
}

function Write-LinkEngineAnswer {
    <#
    Writes the answers that have arrived for a per-item command ($Command.Ready: @(line, request)
    pairs, in request order): an error as a non-terminating error whose TargetObject is the request's
    target, with the command's ErrorAnswer (if any) as output in its place; a result as
    ConvertTo-LinkObject output, or only its AnswerProperty, or nothing (NoOutput).
    Results go through the compiled converter (ConvertTo-LinkObject.ps1: the same objects in one .NET
    call, where the PowerShell path costs a script call per property); error records, and any line it
    leaves, are parsed the PowerShell way (ConvertFrom-LinkJson), errors as the camelCase records
    New-LinkErrorRecord reads. Without the converter the lines are parsed with one ConvertFrom-Json
    over a JSON array; if that fails, line by line, so a line that is not a record is reported as such.
    #>
    param([Parameter(Mandatory)] $Command)
    $ready = $Command.Ready
    if ($ready.Count -eq 0) { return }
    # Taken before anything is written: a stopped pipeline loses only the answers it was writing.
    $Command.Ready = [System.Collections.Generic.List[object]]::new()
    $cmdlet = $Command.Cmdlet
    # Get-LinkRecordConverter, inlined: this runs once per command.
    $converter = $null
    if ($env:LINKTOOLS_CONVERTER -ne 'powershell') {
        if ($script:LinkRecordConverterState -eq 'unloaded') { Initialize-LinkRecordConverter }
        $converter = $script:LinkRecordConverter
    }
    $records = $null
    # $typed[$i]: record $i came from the compiled converter, typed and named already.
    $typed = $null
    if ($null -ne $converter) {
        $typed = [bool[]]::new($ready.Count)
        $lines = [System.Collections.Generic.List[string]]::new($ready.Count)
        foreach ($pair in $ready) { $lines.Add($pair[0]) }
        $records = $converter.Convert($lines)
        for ($i = 0; $i -lt $records.Length; $i++) {
            $r = $records[$i]
            if ($null -eq $r -or [string]$r.RecordType -eq 'error') {
                $records[$i] = ConvertFrom-LinkEngineLine -Session $Command.Session -Cmdlet $cmdlet -Line $lines[$i]
            } else { $typed[$i] = $true }
        }
    } else {
        $count = 0
        try {
            if ($ready.Count -eq 1) { $records = ConvertFrom-LinkJson -Text $ready[0][0] }
            else {
                $sb = [System.Text.StringBuilder]::new()
                [void]$sb.Append('[')
                for ($i = 0; $i -lt $ready.Count; $i++) {
                    if ($i) { [void]$sb.Append(',') }
                    [void]$sb.Append($ready[$i][0])
                }
                [void]$sb.Append(']')
                $records = ConvertFrom-LinkJson -Text $sb.ToString()
            }
            foreach ($record in $records) {
                if ($null -eq $record -or $null -eq $record.PSObject.Properties['recordType']) { $count = -1; break }
                $count++
            }
        } catch { $count = -1 }
        if ($count -ne $ready.Count) {
            # Not one record per line: one line at a time, so the answers before a bad line are written.
            $records = [System.Collections.Generic.List[object]]::new()
            foreach ($pair in $ready) { $records.Add((ConvertFrom-LinkEngineLine -Session $Command.Session -Cmdlet $cmdlet -Line $pair[0])) }
        }
    }
    $i = 0
    foreach ($record in $records) {
        $target = $ready[$i][1][2]
        $isTyped = $null -ne $typed -and $typed[$i]
        $i++
        $record.PSObject.Properties.Remove('requestId')   # plumbing between the module and the engine
        if (-not $isTyped -and [string]$record.recordType -eq 'error') {
            $cmdlet.WriteError((New-LinkErrorRecord -Record $record -TargetObject $target))
            if ($Command.HasErrorAnswer) { $Command.ErrorAnswer }
            continue
        }
        if ($Command.NoOutput) { continue }
        if ($Command.AnswerProperty) { $record.($Command.AnswerProperty) }
        elseif ($isTyped) { $record }
        else { ConvertTo-LinkObject -Record $record }
    }
}

function Write-LinkEngineStdErr {
    # Reports what an engine left on stderr: error records become non-terminating errors, other text
    # (a crash) one LT_ENGINE_FAILED error. Clears what it reported.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, $ExitCode)
    if ($Session.StdErr.Count -eq 0) { return }
    $lines = $Session.StdErr.ToArray()
    $Session.StdErr.Clear()
    $text = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $lines) {
        $record = $null
        if ($line.StartsWith('{')) { try { $record = ConvertFrom-Json -InputObject $line } catch { $record = $null } }
        if ($record -and $record.recordType -eq 'error') {
            $Cmdlet.WriteError((New-LinkErrorRecord -Record $record))
        } else {
            $text.Add($line)
        }
    }
    if ($text.Count) {
        $what = 'The LinkTools engine reported'
        if ($null -ne $ExitCode) { $what += " (exit code $ExitCode)" }
        $Cmdlet.WriteError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -TargetObject $Session.EnginePath `
                    -Message ('{0}: {1}' -f $what, ($text -join [Environment]::NewLine))))
    }
}

function Complete-LinkEngine {
    <#
    Closes a streaming session normally and reports what the engine left on stderr (Write-LinkEngineStdErr).
    Returns the exit code.
    #>
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $code = Stop-LinkEngine -Session $Session
    Write-LinkEngineStdErr -Session $Session -Cmdlet $Cmdlet -ExitCode $code
    $code
}
