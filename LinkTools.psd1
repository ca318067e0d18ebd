@{
    RootModule           = 'module/LinkTools.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '36dc9128-c75c-40f5-8a10-4566fed045f8'
    Author               = 'LinkTools contributors'
    CompanyName          = 'LinkTools'
    Copyright            = '(c) LinkTools contributors. MIT License.'
    Description          = 'Create, inspect, test, find and audit filesystem links (symbolic links, NTFS junctions, hard links) with a fast native engine.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('module/LinkTools.Format.ps1xml')
    TypesToProcess       = @('module/LinkTools.Types.ps1xml')
    FunctionsToExport    = @(
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
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('symlink', 'junction', 'hardlink', 'filesystem', 'audit', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
