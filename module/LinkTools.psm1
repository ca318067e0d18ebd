# LinkTools: create, inspect, test, remove, find and audit filesystem links from PowerShell.
# The work is done by the linktools engine: module/Private/EngineProcess.ps1 (the process, one serve
# engine per runspace), EngineSession.ps1 (requests and answers), EngineRecords.ps1 (records ->
# objects and ErrorRecords); module/generated/ holds the error ids and link kinds generated from the
# engine's registry and schemas. Parses on Windows PowerShell 5.1.

foreach ($folder in 'generated', 'Private', 'Public') {
    $dir = Join-Path -Path $PSScriptRoot -ChildPath $folder
    foreach ($file in @(Get-ChildItem -LiteralPath $dir -Filter '*.ps1' -File -ErrorAction SilentlyContinue | Sort-Object -Property Name)) {
        . $file.FullName
    }
}

# Removing the module ends the engine processes of this runspace (closing the runspace ends the
# serve engine too: Register-LinkEngineRunspaceHook).
$ExecutionContext.SessionState.Module.OnRemove = {
    foreach ($s in $script:LinkEngineSessions.ToArray()) { [void](Stop-LinkEngine -Session $s -Kill) }
    Stop-LinkServeSession
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
