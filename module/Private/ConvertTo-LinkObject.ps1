# Engine records -> PowerShell objects and ErrorRecords.
#
# Every result record gets a PSTypeName (LinkTools.<RecordType>) so the views in
# LinkTools.Format.ps1xml apply. An error record becomes an ErrorRecord whose ErrorId is the engine's
# `code` verbatim and whose category is the engine's `category`, so callers can rely on
# FullyQualifiedErrorId values such as 'LT_NOT_A_LINK,Remove-Link'.

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
}

function ConvertTo-LinkObject {
    # Adds the PSTypeName and drops the request id (plumbing between the module and the engine).
    param([Parameter(Mandatory)] $Record)
    $typeName = $script:LinkTypeNames[[string]$Record.recordType]
    if (-not $typeName) { $typeName = 'LinkTools.' + [string]$Record.recordType }
    if ($Record.PSObject.Properties['requestId']) { $Record.PSObject.Properties.Remove('requestId') }
    $Record.PSObject.TypeNames.Insert(0, $typeName)
    $Record
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
