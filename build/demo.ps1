<#
.SYNOPSIS
    The README's main job: show every link kind through LinkTools and audit a demo tree.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$PosixRoot,
    [string]$NtfsRoot,
    [Parameter(Mandatory)][string]$ReportPath
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Join-Path $PSScriptRoot '..' 'LinkTools.psd1') -Force

if ($NtfsRoot) {
    Write-Host "`n-- Every NTFS link kind, written as genuine reparse points on $NtfsRoot (drive C: there)" -ForegroundColor Cyan
    Push-Location $NtfsRoot
    try {
        New-Item -ItemType Directory -Path 'Data', 'Data\Reports' | Out-Null
        Set-Content -Path 'Data\Reports\q3.txt' -Value 'quarterly numbers'
        $made = @(
            New-Link -Path 'junction' -Target (Join-Path $NtfsRoot 'Data') -ItemType Junction
            New-Link -Path 'dirlink' -Target 'Data\Reports' -ItemType SymbolicLink
            New-Link -Path 'filelink.txt' -Target 'Data\Reports\q3.txt' -ItemType SymbolicLink
            New-Link -Path 'later' -Target 'Archive\2027' -ItemType SymbolicLink -TargetType Directory
            New-Link -Path 'hard.txt' -Target 'Data\Reports\q3.txt' -ItemType HardLink
        )
        $made | Format-Table -AutoSize | Out-Host
        Write-Host '-- The same links as Windows would see them (raw reparse tags and names)' -ForegroundColor Cyan
        Get-ChildItem -Force | Get-LinkInfo | Where-Object Reparse |
            Select-Object Kind, @{ n = 'Name'; e = { Split-Path -Leaf $_.Path } }, @{ n = 'Tag'; e = { $_.Reparse.tagHex } },
            @{ n = 'TagName'; e = { $_.Reparse.tagName } }, @{ n = 'SubstituteName'; e = { $_.Reparse.substituteName } }, TargetType |
            Format-Table -AutoSize | Out-Host
        Write-Host '-- Opened from another machine (Bob) through \\<this host>\C$, default SymlinkEvaluation policy' -ForegroundColor Cyan
        'junction', 'dirlink' | Get-LinkInfo -AsRemoteClient Bob |
            Select-Object Kind, @{ n = 'Name'; e = { Split-Path -Leaf $_.Path } }, @{ n = 'Ok'; e = { $_.Remote.ok } }, @{ n = 'Reason'; e = { $_.Remote.reason } } |
            Format-List | Out-Host
        Write-Host '-- Remove-Link removes the links, never what they point to' -ForegroundColor Cyan
        'junction', 'dirlink' | Remove-Link
        Write-Host ("   Data\Reports\q3.txt still there: {0}" -f (Test-Path 'Data\Reports\q3.txt'))
        New-Link -Path 'junction' -Target (Join-Path $NtfsRoot 'Data') -ItemType Junction | Out-Null
        New-Link -Path 'dirlink' -Target 'Data\Reports' -ItemType SymbolicLink | Out-Null
    }
    finally {
        Pop-Location
    }
}

Write-Host "`n-- Every link in the POSIX demo tree: Get-ChildItem -Recurse | Get-LinkInfo (one engine process)" -ForegroundColor Cyan
Get-ChildItem -Path $PosixRoot -Recurse -Force -Attributes ReparsePoint, !ReparsePoint -ErrorAction SilentlyContinue |
    Get-LinkInfo | Where-Object { $_.Kind -notin 'file', 'directory' } | Format-Table -AutoSize | Out-Host

Write-Host "-- Invoke-LinkAudit -Path $PosixRoot -ReportPath $ReportPath" -ForegroundColor Cyan
$findings = Invoke-LinkAudit -Path $PosixRoot -ReportPath $ReportPath -FailOn Never
$findings | Sort-Object Severity, Rule, Path | Format-Table -AutoSize | Out-Host
$findings | Group-Object Rule | Sort-Object Name | Select-Object Count, Name | Format-Table -AutoSize | Out-Host
Write-Host ("{0} findings; HTML report: {1}; exit code for a scheduled task: {2}" -f @($findings).Count, $ReportPath, $LASTEXITCODE)
if (-not (Test-Path $ReportPath)) { throw "the report was not written: $ReportPath" }
