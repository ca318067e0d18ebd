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
    # The files of the package. build/pack.sh writes the complete list (every file it stages, engines
    # included) into the packaged copy of this manifest; these are the ones every copy has.
    FileList             = @(
        'LinkTools.psd1'
        'LICENSE'
        'module/LinkTools.psm1'
        'module/LinkTools.Format.ps1xml'
        'module/LinkTools.Types.ps1xml'
    )
    PrivateData          = @{
        PSData = @{
            Tags       = @('symlink', 'junction', 'hardlink', 'filesystem', 'audit', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/LinkTools/LinkTools'
            ReleaseNotes = @'
0.1.0: first packaged release. One PowerShell module with a self-contained engine per platform
(bin/linux-x64/linktools, bin/win-x64/linktools.exe; no Node.js needed): New-Link, Get-LinkInfo,
Test-Link, Remove-Link, Find-Link and Invoke-LinkAudit for symbolic links, junctions, hard links and
NTFS reparse points. The engine needs no writable home folder (see docs/packaging.md).
'@
        }
    }
}
