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

# List-valued properties (LinkInfo.Chain, LinkInfo.HardLinkNames, the summaries' Roots and RulesRun)
# become these lists: still indexable and enumerable, but their text (ToString: Export-Csv, ConvertTo-Csv,
# the list views) is readable instead of 'System.Object[]'. Classes, not PSTypeNames, because
# one constructor call per value is several times cheaper than wrapping and typing a PSObject.
class LinkChainList : System.Collections.Generic.List[object] {
    # The links followed, one hop each (Path, Kind, Target, ResolvedTarget): 'a -> b -> c'.
    LinkChainList([object[]] $hops) : base([System.Collections.Generic.IEnumerable[object]]$hops) { }
    [string] ToString() {
        if ($this.Count -eq 0) { return '' }
        $names = [System.Collections.Generic.List[string]]::new()
        foreach ($h in $this) { $names.Add([string]$h.Path) }
        $last = $this[$this.Count - 1]
        if ($null -ne $last.ResolvedTarget) { $names.Add([string]$last.ResolvedTarget) } elseif ($null -ne $last.Target) { $names.Add([string]$last.Target) }
        return [string]::Join(' -> ', $names)
    }
}

class LinkNameList : System.Collections.Generic.List[object] {
    # Names or paths: 'a; b; c'.
    LinkNameList([object[]] $items) : base([System.Collections.Generic.IEnumerable[object]]$items) { }
    [string] ToString() {
        $names = [System.Collections.Generic.List[string]]::new()
        foreach ($i in $this) { $names.Add([string]$i) }
        return [string]::Join('; ', $names)
    }
}

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
    change       = 'LinkTools.Change'
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
        'declaredType', 'actual', 'oldTarget', 'newTarget', 'newPath', 'oldKind', 'oldTargetType', 'dryRun',
        'applied', 'tool', 'host', 'createdAt', 'dataReparseFiles', 'hardLinkSizes', 'hardLinkGroup',
        'apparentSize', 'trueSize', 'namesOutside', 'outside', 'count')) {
    $script:LinkPropertyNames[$name] = [string][char]::ToUpperInvariant($name[0]) + $name.Substring(1)
}
# The same mapping as JSON key text: '"name":' -> '"Name":'.
$script:LinkJsonKeys = @(foreach ($entry in $script:LinkPropertyNames.GetEnumerator()) { , @(('"' + $entry.Key + '":'), ('"' + $entry.Value + '":')) })

# The compiled converter: src/LinkTools.Records (C#, netstandard2.0), LinkTools.Records.dll in
# <module root>/bin (the package) or <module root>/dist/bin (a checkout, npm run build). It turns a
# batch of engine lines straight into the objects ConvertFrom-LinkRecordJson + ConvertTo-LinkObject
# make, with the same names, order, value types, type names and lists, several times faster; a line it
# does not reproduce exactly comes back $null and goes the PowerShell way. Loaded on first use (no cost
# at import); when it cannot be loaded, or $env:LINKTOOLS_CONVERTER is 'powershell', the module
# converts everything the PowerShell way. $script:LinkRecordConverterReason says which and why.
$script:LinkRecordConverter = $null
$script:LinkRecordConverterState = 'unloaded'
$script:LinkRecordConverterReason = $null

function Get-LinkRecordConverter {
    # The compiled converter, or $null for the PowerShell path.
    if ($env:LINKTOOLS_CONVERTER -eq 'powershell') { return $null }
    if ($script:LinkRecordConverterState -eq 'unloaded') { Initialize-LinkRecordConverter }
    $script:LinkRecordConverter
}

function Initialize-LinkRecordConverter {
    # Loads LinkTools.Records.dll once and checks it on a known record; any failure -> PowerShell path.
    $script:LinkRecordConverterState = 'unavailable'
    $script:LinkRecordConverter = $null
    try {
        $type = 'LinkTools.Records.RecordConverter' -as [type]
        if ($null -eq $type) {
            $dll = $null
            $tried = New-Object System.Collections.Generic.List[string]
            foreach ($root in @((Split-Path -Parent $PSScriptRoot), (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)))) {
                foreach ($sub in 'bin', 'dist/bin') {
                    $candidate = [System.IO.Path]::Combine($root, $sub, 'LinkTools.Records.dll')
                    $tried.Add($candidate)
                    if ($null -eq $dll -and [System.IO.File]::Exists($candidate)) { $dll = $candidate }
                }
            }
            if ($null -eq $dll) { $script:LinkRecordConverterReason = 'LinkTools.Records.dll not found in: ' + ($tried -join '; '); return }
            Add-Type -LiteralPath $dll -ErrorAction Stop
            $type = 'LinkTools.Records.RecordConverter' -as [type]
        }
        if ($null -eq $type -or $type::ApiVersion -ne 1) { $script:LinkRecordConverterReason = 'LinkTools.Records.dll is another version'; return }
        $desktop = $PSVersionTable.PSEdition -ne 'Core'
        $converter = New-Object -TypeName $type.FullName -ArgumentList $script:LinkPropertyNames, $script:LinkTypeNames, $desktop
        # A record through both paths: the assembly must run here, not only load (an old .NET Framework).
        $probe = '{"recordType":"linkInfo","path":"/p","kind":"hardlink","targetExists":null,"linkCount":2,"chain":[],"hardLinkNames":["/q"]}'
        $got = $converter.Convert([string[]]@($probe))
        $want = ConvertTo-LinkObject -Record (ConvertFrom-LinkRecordJson -Json $probe)
        if ($converter.Unhandled -ne 0 -or $got.Count -ne 1 -or $got[0].PSObject.TypeNames[0] -cne $want.PSObject.TypeNames[0] -or
            $got[0].TargetExists -ne $true -or [string]$got[0].HardLinkNames -cne [string]$want.HardLinkNames -or
            $got[0].LinkCount.GetType() -ne $want.LinkCount.GetType()) {
            $script:LinkRecordConverterReason = 'LinkTools.Records.dll does not convert a known record as the PowerShell path does'
            return
        }
        $script:LinkRecordConverter = $converter
        $script:LinkRecordConverterState = 'loaded'
        $script:LinkRecordConverterReason = 'loaded from ' + $type.Assembly.Location
    } catch {
        $script:LinkRecordConverterReason = 'LinkTools.Records.dll cannot be used: ' + $_.Exception.Message
    }
}

function ConvertFrom-LinkRecordJson {
    <#
    Parses engine JSON (one record, or a JSON array of records: '[' + lines -join ',' + ']') with the
    property names already mapped. A key in JSON text is always '"name":' with both quotes unescaped,
    and a string value can hold a quote only as '\"', so the replacement never touches a value.
    Returns the parsed records (untyped; ConvertTo-LinkObject adds the type names).
    #>
    param([Parameter(Mandatory)][string] $Json)
    # Same-length replacements in one buffer: no new string per name.
    $text = New-Object System.Text.StringBuilder -ArgumentList $Json
    foreach ($entry in $script:LinkJsonKeys) { [void]$text.Replace($entry[0], $entry[1]) }
    # Through a variable, so an array comes out as its records on Windows PowerShell 5.1 too (its
    # ConvertFrom-Json writes a JSON array as one object).
    # ConvertFrom-LinkJson keeps the engine's lone surrogates (names that are not valid UTF-8).
    $parsed = ConvertFrom-LinkJson -Text $text.ToString()
    $parsed
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
    batch costs one call). The records of one call come from one parse: either ConvertFrom-LinkRecordJson
    (names already PascalCase: only the finishing touches below) or plain ConvertFrom-Json (camelCase:
    renamed here first, and a leftover requestId dropped). Finishing touches, per type:
    - PSTypeName LinkTools.<RecordType> (LinkTools.Error for error records);
    - LinkInfo: a hard link's TargetExists is $true (each name is the file itself, so the data is
      there); Chain and HardLinkNames are lists whose text is 'a -> b -> c' and 'a; b', so Export-Csv
      and views show them readably (the items stay reachable: $info.Chain[0].Target);
    - Reparse, Remote, Details, Before/After and the summaries' maps get a type whose text is readable
      (LinkTools.Types.ps1xml); the summaries' Roots and RulesRun are name lists.
    This runs once per record of a long result, so its loop uses no function calls and no PSObject
    member lookups (pstypenames, direct properties).
    #>
    param([Parameter(Mandatory)][AllowNull()][AllowEmptyCollection()][object[]] $Record)
    Set-StrictMode -Off   # absent optional properties read as $null, whatever the caller's mode
    if ($Record.Count -eq 0) { return }
    $typeNames = $script:LinkTypeNames
    $first = $Record[0]
    if ($null -ne $first) {
        $nameProperty = $first.PSObject.Properties['recordType']
        if ($null -ne $nameProperty -and $nameProperty.Name -cne 'RecordType') {
            $Record = @(foreach ($r in $Record) {
                    if ($null -eq $r) { continue }
                    $p = ConvertTo-LinkPascalObject -Value $r
                    if ($null -ne $p.PSObject.Properties['requestId']) { $p.PSObject.Properties.Remove('requestId') }
                    $p
                })
        }
    }
    foreach ($r in $Record) {
        if ($null -eq $r) { continue }
        $recordType = [string]$r.RecordType
        $typeName = $typeNames[$recordType]
        if (-not $typeName) { $typeName = 'LinkTools.' + $recordType }
        $r.pstypenames.Insert(0, $typeName)
        if ($recordType -eq 'linkInfo') {
            $chain = $r.Chain
            if ($null -ne $chain) { $r.Chain = [LinkChainList]::new([object[]]@($chain)) }
            if ($r.Kind -eq 'hardlink') {
                $r.TargetExists = $true
                $names = $r.HardLinkNames
                if ($null -ne $names) { $r.HardLinkNames = [LinkNameList]::new([object[]]@($names)) }
            }
            $reparse = $r.Reparse
            if ($null -ne $reparse) { $reparse.pstypenames.Insert(0, 'LinkTools.Reparse') }
            $remote = $r.Remote
            if ($null -ne $remote) { $remote.pstypenames.Insert(0, 'LinkTools.Map') }
        } elseif ($recordType -eq 'finding') {
            $details = $r.Details
            if ($null -ne $details) { $details.pstypenames.Insert(0, 'LinkTools.Map') }
        } elseif ($recordType -eq 'drift') {
            $v = $r.Before
            if ($null -ne $v -and -not ($v -is [string])) { $v.pstypenames.Insert(0, 'LinkTools.DriftSide') }
            $v = $r.After
            if ($null -ne $v -and -not ($v -is [string])) { $v.pstypenames.Insert(0, 'LinkTools.DriftSide') }
        } elseif ($recordType -eq 'scanSummary' -or $recordType -eq 'auditSummary') {
            foreach ($name in 'ByKind', 'ByRule', 'BySeverity') {
                $v = $r.$name
                if ($null -ne $v) { $v.pstypenames.Insert(0, 'LinkTools.Map') }
            }
            foreach ($name in 'Roots', 'RulesRun') {
                $v = $r.$name
                if ($null -ne $v) { $r.$name = [LinkNameList]::new([object[]]@($v)) }
            }
        }
        $r
    }
}

function New-LinkErrorRecord {
    # An engine error record -> ErrorRecord (ErrorId = code, category = category, target = path).
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Builds an object in memory; it changes no system state.")]
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
        'ObjectNotFound' { $ex = [System.Management.Automation.ItemNotFoundException]::new($message); break }
        'PermissionDenied' { $ex = [System.UnauthorizedAccessException]::new($message); break }
        'InvalidArgument' { $ex = [System.ArgumentException]::new($message); break }
        'InvalidData' { $ex = [System.IO.InvalidDataException]::new($message); break }
        'NotImplemented' { $ex = [System.NotSupportedException]::new($message); break }
        default { $ex = [System.IO.IOException]::new($message) }
    }
    $ex.Data['LinkToolsCode'] = $code
    if ($null -ne $Record.details) { $ex.Data['LinkToolsDetails'] = $Record.details }
    $target = $TargetObject
    if ($null -eq $target) { $target = $Record.path }
    [System.Management.Automation.ErrorRecord]::new($ex, $code, $category, $target)
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
