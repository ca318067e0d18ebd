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

# Link maintenance: a share moved, its links are rebased (plan first, then applied with a journal),
# the broken ones are found, and the whole run is undone from the journal.
$maint = Join-Path (Split-Path -Parent $PosixRoot) 'maintenance'
if (Test-Path -LiteralPath $maint) { Remove-Item -LiteralPath $maint -Recurse -Force }
New-Item -ItemType Directory -Path (Join-Path $maint 'old/reports'), (Join-Path $maint 'links') -Force | Out-Null
Set-Content -LiteralPath (Join-Path $maint 'old/reports/q3.txt') -Value 'Q3'
New-Link -Path (Join-Path $maint 'links/q3') -Target (Join-Path $maint 'old/reports/q3.txt') -ItemType SymbolicLink | Out-Null
New-Link -Path (Join-Path $maint 'links/reports') -Target (Join-Path $maint 'old/reports') -ItemType SymbolicLink | Out-Null
Rename-Item -LiteralPath (Join-Path $maint 'old') -NewName 'new'
Write-Host "`n-- The share moved from old/ to new/: Find-Link -Broken" -ForegroundColor Cyan
Find-Link -Path (Join-Path $maint 'links') -Broken | Format-Table -AutoSize | Out-Host
Write-Host '-- Set-LinkTarget -Recurse -Replace old,new -WhatIf (the plan: old -> new per link)' -ForegroundColor Cyan
Set-LinkTarget -Path (Join-Path $maint 'links') -Recurse -Replace (Join-Path $maint 'old'), (Join-Path $maint 'new') -WhatIf
$journal = Join-Path $maint 'move.jnl'
Write-Host "-- ... applied with -JournalPath $journal" -ForegroundColor Cyan
Set-LinkTarget -Path (Join-Path $maint 'links') -Recurse -Replace (Join-Path $maint 'old'), (Join-Path $maint 'new') -JournalPath $journal -Confirm:$false |
    Format-Table -AutoSize | Out-Host
if (@(Find-Link -Path (Join-Path $maint 'links') -Broken).Count -ne 0) { throw 'links are still broken after Set-LinkTarget' }
Write-Host ("   links/q3 now reads: {0}" -f (Get-Content -LiteralPath (Join-Path $maint 'links/q3')))
Write-Host '-- Undo-LinkChange -JournalPath (puts every link back as it was)' -ForegroundColor Cyan
Undo-LinkChange -JournalPath $journal -Confirm:$false | Format-Table -AutoSize | Out-Host
if (@(Find-Link -Path (Join-Path $maint 'links') -Broken).Count -ne 2) { throw 'Undo-LinkChange did not put the two links back' }
