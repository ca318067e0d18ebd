# LinkTools: create, inspect, test, remove, find and audit filesystem links from PowerShell.
# The work is done by the linktools engine (see module/Private/Invoke-LinkEngine.ps1); this module
# turns its NDJSON records into typed objects and ErrorRecords. Parses on Windows PowerShell 5.1.

foreach ($folder in 'Private', 'Public') {
    $dir = Join-Path -Path $PSScriptRoot -ChildPath $folder
    foreach ($file in @(Get-ChildItem -LiteralPath $dir -Filter '*.ps1' -File -ErrorAction SilentlyContinue | Sort-Object -Property Name)) {
        . $file.FullName
    }
}

# Removing the module ends any engine process still open in this runspace.
$ExecutionContext.SessionState.Module.OnRemove = {
    foreach ($s in $script:LinkEngineSessions.ToArray()) { [void](Stop-LinkEngine -Session $s -Kill) }
}

Export-ModuleMember -Function @(
    'New-Link'
    'Get-LinkInfo'
    'Test-Link'
    'Remove-Link'
    'Find-Link'
    'Invoke-LinkAudit'
    'Set-LinkTarget'
    'Move-Link'
    'Test-LinkState'
    'Set-LinkState'
    'Undo-LinkChange'
)
