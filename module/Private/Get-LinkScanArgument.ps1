# Scan options shared by Find-Link and Invoke-LinkAudit -> engine arguments. The -ItemType names
# map to engine kinds through $LinkKindByItemType (module/generated/LinkKinds.ps1).

function Get-LinkScanArgument {
    <#
    -Depth follows Get-ChildItem: 0 lists a root's children only. The engine's --max-depth counts
    levels below the root (0 = the root itself), hence the +1. Without -Recurse or -Depth, MaxDepth
    (when given) applies: Find-Link lists the roots' children, Invoke-LinkAudit walks everything.
    #>
    param(
        [System.Collections.IDictionary] $Bound,
        [Nullable[int]] $DefaultMaxDepth
    )
    $argv = New-Object System.Collections.Generic.List[string]
    if ($Bound.ContainsKey('Depth')) {
        $argv.Add('--max-depth'); $argv.Add([string]([int]$Bound['Depth'] + 1))
    } elseif (-not $Bound['Recurse'] -and $null -ne $DefaultMaxDepth) {
        $argv.Add('--max-depth'); $argv.Add([string]$DefaultMaxDepth)
    }
    foreach ($g in @($Bound['Include'])) { if ($g) { $argv.Add('--include'); $argv.Add([string]$g) } }
    foreach ($g in @($Bound['Exclude'])) { if ($g) { $argv.Add('--exclude'); $argv.Add([string]$g) } }
    if ($Bound['OneFileSystem']) { $argv.Add('--one-file-system') }
    foreach ($k in @($Bound['ItemType'])) { if ($k) { $argv.Add('--kind'); $argv.Add($script:LinkKindByItemType[[string]$k]) } }
    , $argv.ToArray()
}

function Write-LinkSummary {
    # A summary record goes to the information stream, tagged with its type name, and to -Verbose.
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [Parameter(Mandatory)] $Summary, [string] $Text)
    $tag = $Summary.PSObject.TypeNames[0]
    $record = New-Object System.Management.Automation.InformationRecord -ArgumentList $Summary, $Cmdlet.MyInvocation.MyCommand.Name
    $record.Tags.Add($tag)
    $Cmdlet.WriteInformation($record)
    if ($Text) { $Cmdlet.WriteVerbose($Text) }
}
