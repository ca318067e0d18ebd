# Engine records -> PowerShell objects and ErrorRecords.
#
# The engine's contract is camelCase JSON (engine/schemas/v1); PowerShell objects have PascalCase
# properties (Path, Kind, Target, ResolvedTarget, TargetExists, LinkCount, ...). The mapping lives
# here and only here: $script:LinkPropertyNames, applied either to JSON text before it is parsed
# (ConvertFrom-LinkRecordJson: one string replacement per name over a whole batch, the fast path for
# long results) or to a record already parsed (ConvertTo-LinkObject on a camelCase record).
#
# Every result record also gets a PSTypeName (LinkTools.<RecordType>) so the views in
# LinkTools.Format.ps1xml and the members in LinkTools.Types.ps1xml apply. An error record becomes an
# ErrorRecord whose ErrorId is the engine's `code` verbatim and whose category is the engine's
# `category`, so callers can rely on FullyQualifiedErrorId values such as 'LT_NOT_A_LINK,Remove-Link'.

$script:LinkTypeNames = @{
    linkInfo     = 'LinkTools.LinkInfo'
    linkTest     = 'LinkTools.LinkTest'
    linkRemoved  = 'LinkTools.LinkRemoved'
    finding      = 'LinkTools.Finding'
    drift        = 'LinkTools.Drift'
    scanSummary  = 'LinkTools.ScanSummary'
    auditSummary = 'LinkTools.AuditSummary'
    progress     = 'LinkTools.Progress'
    doctor       = 'LinkTools.Doctor'
    error        = 'LinkTools.Error'
}

# camelCase contract name -> PowerShell property name, for every property name the v1 schemas define
# (and the keys of finding details). Names not listed (map keys such as byKind's kinds or byRule's
# rule ids, requestId which is plumbing) keep their spelling.
$script:LinkPropertyNames = [ordered]@{}
foreach ($name in @(
        'recordType', 'schemaVersion', 'path', 'kind', 'targetType', 'target', 'resolvedTarget', 'finalTarget',
        'targetExists', 'isRelative', 'linkCount', 'fileId', 'size', 'chain', 'loop', 'hardLinkNames', 'reparse',
        'remote', 'backend', 'ok', 'reason', 'message', 'remainingLinkCount', 'rule', 'severity', 'details',
        'change', 'before', 'after', 'roots', 'entries', 'directories', 'links', 'byKind', 'hardLinkGroups',
        'unreadable', 'durationMs', 'byRule', 'bySeverity', 'info', 'warning', 'error', 'findings', 'drift',
        'rulesRun', 'failOn', 'exitCode', 'reportPath', 'graphPath', 'baselinePath', 'code', 'category', 'fatal',
        'phase', 'currentDir', 'rate', 'elapsedMs', 'tag', 'tagHex', 'tagName', 'label', 'isLink', 'followSafe',
        'substituteName', 'printName', 'relative', 'flags', 'isVolumeMountPoint', 'arch', 'capabilities',
        'engineVersion', 'nativeError', 'nativeFfi', 'nodeVersion', 'packaged', 'platform', 'symlinkPrivilege',
        'writableScope', 'enabled', 'text', 'truncated', 'accessPath', 'evaluationClass', 'failure', 'names',
        'namesFound', 'operation', 'osCode', 'osError', 'policy', 'inCycle', 'cycle', 'hop', 'hops', 'brokenAt',
        'missing', 'chainPaths', 'maxChain', 'root', 'ntTarget', 'ntKind', 'fsType', 'source', 'mountPoint',
        'declaredType', 'actual')) {
    $script:LinkPropertyNames[$name] = [string][char]::ToUpperInvariant($name[0]) + $name.Substring(1)
}

function ConvertFrom-LinkRecordJson {
    <#
    Parses engine JSON (one record, or a JSON array of records: '[' + lines -join ',' + ']') with the
    property names already mapped. A key in JSON text is always '"name":' with both quotes unescaped,
    and a string value can hold a quote only as '\"', so the replacement never touches a value.
    Returns the parsed records (untyped; ConvertTo-LinkObject adds the type names).
    #>
    param([Parameter(Mandatory)][string] $Json)
    foreach ($entry in $script:LinkPropertyNames.GetEnumerator()) {
        $Json = $Json.Replace('"' + $entry.Key + '":', '"' + $entry.Value + '":')
    }
    ConvertFrom-Json -InputObject $Json
}

function ConvertTo-LinkPascalObject {
    # A parsed camelCase value -> the same value with PascalCase property names, recursively.
    param($Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.PSCustomObject] -or ($Value -is [psobject] -and $Value.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject])) {
        $copy = [ordered]@{}
        foreach ($p in $Value.PSObject.Properties) {
            if ($p.MemberType -ne 'NoteProperty') { continue }
            $name = $script:LinkPropertyNames[$p.Name]
            if (-not $name) { $name = $p.Name }
            $copy[$name] = ConvertTo-LinkPascalObject -Value $p.Value
        }
        return [pscustomobject]$copy
    }
    if ($Value -is [System.Array]) {
        return , [object[]]@(foreach ($item in $Value) { ConvertTo-LinkPascalObject -Value $item })
    }
    $Value
}

function ConvertTo-LinkObject {
    <#
    Engine record(s) -> typed PowerShell object(s). -Record takes one record or an array of them (a
    batch costs one call), parsed either by ConvertFrom-LinkRecordJson (names already PascalCase: only
    the finishing touches below) or by plain ConvertFrom-Json (camelCase: renamed here first). The
    requestId, if still there, is dropped (plumbing between the module and the engine).
    Finishing touches, per type:
    - PSTypeName LinkTools.<RecordType> (LinkTools.Error for error records);
    - LinkInfo: a hard link's TargetExists is $true (each name is the file itself, so the data is
      there); Chain and HardLinkNames are typed lists whose text is 'a -> b -> c' and 'a; b', so
      Export-Csv and Format-List show them readably (the items stay reachable);
    - Reparse, Remote, Details, Before/After and the summaries' maps get a type whose text is readable.
    #>
    param([Parameter(Mandatory)][AllowNull()][AllowEmptyCollection()][object[]] $Record)
    $typeNames = $script:LinkTypeNames
    foreach ($r in $Record) {
        if ($null -eq $r) { continue }
        $recordTypeProperty = $r.PSObject.Properties['recordType']
        if ($null -ne $recordTypeProperty -and $recordTypeProperty.Name -cne 'RecordType') {
            $r = ConvertTo-LinkPascalObject -Value $r
        }
        if ($null -ne $r.PSObject.Properties['requestId']) { $r.PSObject.Properties.Remove('requestId') }
        $recordType = [string]$r.RecordType
        $typeName = $typeNames[$recordType]
        if (-not $typeName) { $typeName = 'LinkTools.' + $recordType }
        $r.PSObject.TypeNames.Insert(0, $typeName)
        switch ($recordType) {
            'linkInfo' {
                if ($r.Kind -eq 'hardlink') { $r.TargetExists = $true }
                $chain = $r.Chain
                if ($null -ne $chain) {
                    $w = [psobject]::new(@($chain)); $w.PSObject.TypeNames.Insert(0, 'LinkTools.Chain'); $r.Chain = $w
                }
                $names = $r.PSObject.Properties['HardLinkNames']
                if ($null -ne $names -and $null -ne $names.Value) {
                    $w = [psobject]::new(@($names.Value)); $w.PSObject.TypeNames.Insert(0, 'LinkTools.NameList'); $names.Value = $w
                }
                $reparse = $r.Reparse
                if ($null -ne $reparse) { $reparse.PSObject.TypeNames.Insert(0, 'LinkTools.Reparse') }
                $remote = $r.PSObject.Properties['Remote']
                if ($null -ne $remote -and $null -ne $remote.Value) { $remote.Value.PSObject.TypeNames.Insert(0, 'LinkTools.Map') }
                break
            }
            'finding' {
                if ($null -ne $r.Details) { $r.Details.PSObject.TypeNames.Insert(0, 'LinkTools.Map') }
                break
            }
            'drift' {
                foreach ($side in 'Before', 'After') {
                    $v = $r.$side
                    if ($null -ne $v -and -not ($v -is [string])) { $v.PSObject.TypeNames.Insert(0, 'LinkTools.DriftSide') }
                }
                break
            }
            { $_ -eq 'scanSummary' -or $_ -eq 'auditSummary' } {
                foreach ($name in 'ByKind', 'ByRule', 'BySeverity') {
                    $v = $r.PSObject.Properties[$name]
                    if ($null -ne $v -and $null -ne $v.Value) { $v.Value.PSObject.TypeNames.Insert(0, 'LinkTools.Map') }
                }
                foreach ($name in 'Roots', 'RulesRun') {
                    $v = $r.PSObject.Properties[$name]
                    if ($null -ne $v -and $null -ne $v.Value) {
                        $w = [psobject]::new(@($v.Value)); $w.PSObject.TypeNames.Insert(0, 'LinkTools.NameList'); $v.Value = $w
                    }
                }
                break
            }
        }
        $r
    }
}

function New-LinkErrorRecord {
    # An engine error record -> ErrorRecord (ErrorId = code, category = category, target = path).
    param([Parameter(Mandatory)] $Record, [object] $TargetObject)
    $code = [string]$Record.code
    if (-not $code) { $code = 'LT_INTERNAL' }
    $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    if ($Record.category) {
        $parsed = [string]$Record.category -as [System.Management.Automation.ErrorCategory]
        if ($null -ne $parsed) { $category = $parsed }
    }
    $message = [string]$Record.message
    if (-not $message) { $message = $code }
    switch ($category) {
        'ObjectNotFound' { $ex = New-Object System.Management.Automation.ItemNotFoundException -ArgumentList $message; break }
        'PermissionDenied' { $ex = New-Object System.UnauthorizedAccessException -ArgumentList $message; break }
        'InvalidArgument' { $ex = New-Object System.ArgumentException -ArgumentList $message; break }
        'InvalidData' { $ex = New-Object System.IO.InvalidDataException -ArgumentList $message; break }
        'NotImplemented' { $ex = New-Object System.NotSupportedException -ArgumentList $message; break }
        default { $ex = New-Object System.IO.IOException -ArgumentList $message }
    }
    $ex.Data['LinkToolsCode'] = $code
    if ($null -ne $Record.details) { $ex.Data['LinkToolsDetails'] = $Record.details }
    $target = $TargetObject
    if ($null -eq $target) { $target = $Record.path }
    New-Object System.Management.Automation.ErrorRecord -ArgumentList $ex, $code, $category, $target
}

function Write-LinkRecord {
    <#
    Writes one engine record from the calling cmdlet: an error record as a non-terminating error,
    anything else as a typed output object (returned, so the caller decides what to emit).
    #>
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] $Record,
        [object] $TargetObject
    )
    if ($Record.recordType -eq 'error') {
        $Cmdlet.WriteError((New-LinkErrorRecord -Record $Record -TargetObject $TargetObject))
        return
    }
    ConvertTo-LinkObject -Record $Record
}

function Complete-LinkEngine {
    <#
    Closes a session normally and reports what the engine left on stderr: error records become
    non-terminating errors, other text (a crash) one LT_ENGINE_FAILED error. Returns the exit code.
    #>
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet
    )
    $code = Stop-LinkEngine -Session $Session
    $text = New-Object System.Collections.Generic.List[string]
    foreach ($line in $Session.StdErr) {
        $record = $null
        if ($line.StartsWith('{')) { try { $record = ConvertFrom-Json -InputObject $line } catch { $record = $null } }
        if ($record -and $record.recordType -eq 'error') {
            $Cmdlet.WriteError((New-LinkErrorRecord -Record $record))
        } else {
            $text.Add($line)
        }
    }
    $Session.StdErr.Clear()
    if ($text.Count) {
        $Cmdlet.WriteError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -Category NotSpecified `
                    -TargetObject $Session.EnginePath `
                    -Message ("The LinkTools engine reported (exit code {0}): {1}" -f $code, ($text -join [Environment]::NewLine))))
    }
    $code
}
