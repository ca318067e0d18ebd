# Fleet audit files: one report and one baseline for every host of the command.
#
# Report (-ReportPath), by format:
# - Sarif: each host's engine writes its own SARIF (engine/src/core/report/sarif.ts) in its work
#   folder; the module fetches them and writes one SARIF log with one run per host (run.properties
#   .PSComputerName and automationDetails.id "linktools-audit/<host>/"), plus, for a host that failed,
#   a run whose invocation says executionSuccessful = false with the host's error.
# - Json: likewise each host's engine JSON report, merged: hosts[] (name, summary, rules), and
#   findings[], drift[] and links[] of every host, each item with a PSComputerName field.
# - Csv, Markdown, Html: rendered here from the findings and drift that streamed in, with a host
#   column first (the engine's columns after it; the same formula guard for CSV cells).
# Baseline (-SaveBaseline): each host's engine saves its baseline in its work folder; the module
# writes one file {"fleetBaselineVersion":1,"hosts":{"<host>":<that host's baseline>}}. -Baseline
# with such a file gives each host its own part (drift is per host; a host missing from the file is
# a warning and no drift for it); a plain single-host baseline file is given to every host.

function Get-LinkLocalFilePath {
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [Parameter(Mandatory)][string] $Path)
    $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
}

function Initialize-LinkRemoteFile {
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)][System.Collections.IDictionary] $Bound)
    $cmdlet = $Context.Cmdlet
    if ($Bound['ConfigPath']) {
        $p = Get-LinkLocalFilePath -Cmdlet $cmdlet -Path $Bound['ConfigPath']
        if (-not (Test-Path -LiteralPath $p -PathType Leaf)) {
            $cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_NOT_FOUND' -TargetObject $p -Message "The audit configuration file does not exist: $p"))
        }
        $Context.ConfigText = [System.IO.File]::ReadAllText($p)
    }
    if ($Bound['Baseline']) {
        $p = Get-LinkLocalFilePath -Cmdlet $cmdlet -Path $Bound['Baseline']
        $doc = $null
        try { $doc = ConvertFrom-Json -InputObject ([System.IO.File]::ReadAllText($p)) } catch { $doc = $null }
        if (-not $doc -or -not ($doc.PSObject.Properties['fleetBaselineVersion'] -or $doc.PSObject.Properties['baselineVersion'])) {
            $cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_BAD_BASELINE' -TargetObject $p -Message "Not a LinkTools baseline (fleet or single host): $p"))
        }
        $Context.FleetBaseline = $doc
    }
    if ($Bound['SaveBaseline']) { $Context.SaveBaselinePath = Get-LinkLocalFilePath -Cmdlet $cmdlet -Path $Bound['SaveBaseline'] }
    if ($Bound['ReportPath']) {
        $Context.ReportPath = Get-LinkLocalFilePath -Cmdlet $cmdlet -Path $Bound['ReportPath']
        $format = [string]$Bound['ReportFormat']
        if (-not $format) {
            $name = [System.IO.Path]::GetFileName($Context.ReportPath).ToLowerInvariant()
            if ($name -match '\.sarif(\.json)?$') { $format = 'Sarif' }
            elseif ($name -match '\.html?$') { $format = 'Html' }
            elseif ($name -match '\.json$') { $format = 'Json' }
            elseif ($name -match '\.csv$') { $format = 'Csv' }
            elseif ($name -match '\.(md|markdown)$') { $format = 'Markdown' }
            else {
                $cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_INVALID_ARGUMENT' -TargetObject $Bound['ReportPath'] `
                            -Message "Cannot tell the report format from '$($Bound['ReportPath'])': use -ReportFormat Html, Json, Csv, Markdown or Sarif."))
            }
        }
        $Context.ReportFormat = $format
        $Context.Collect = @('Csv', 'Markdown', 'Html') -contains $format
    }
}

function Get-LinkFleetBaselinePart {
    # This host's baseline (JSON text) from the -Baseline file, or $null (with a warning).
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)][string] $HostName)
    $doc = $Context.FleetBaseline
    if (-not $doc.PSObject.Properties['fleetBaselineVersion']) { return (ConvertTo-Json -InputObject $doc -Depth 64 -Compress) }
    $part = $null
    if ($doc.hosts) { $prop = $doc.hosts.PSObject.Properties[$HostName]; if ($prop) { $part = $prop.Value } }
    if ($null -eq $part) {
        $Context.Cmdlet.WriteWarning(('{0}: the fleet baseline has no part for this host; no drift is reported for it.' -f $HostName))
        return $null
    }
    ConvertTo-Json -InputObject $part -Depth 64 -Compress
}

function Receive-LinkRemoteFile {
    # Fetches each finished host's report and baseline from its work folder (before clean-up).
    param([Parameter(Mandatory)] $Context)
    $ext = $null
    if ($Context.ReportFormat -eq 'Sarif') { $ext = 'sarif' } elseif ($Context.ReportFormat -eq 'Json') { $ext = 'json' }
    foreach ($st in @($Context.Hosts)) {
        if ($st.Failure -or -not $st.Ended) { continue }
        $names = @()
        if ($ext) { $names += 'report.' + $ext }
        if ($Context.SaveBaselinePath) { $names += 'baseline-out.json' }
        if (-not $names) { continue }
        try {
            $texts = Invoke-Command -Session $st.Session -ErrorAction Stop -ArgumentList $st.WorkDir, $names -ScriptBlock {
                param($Dir, $Names)
                foreach ($n in $Names) {
                    $p = Join-Path $Dir $n
                    $t = $null
                    if (Test-Path -LiteralPath $p -PathType Leaf) { $t = [System.IO.File]::ReadAllText($p) }
                    New-Object PSObject -Property @{ Name = $n; Text = $t }
                }
            }
            foreach ($t in @($texts)) {
                if ($t.Name -like 'report.*') { $st.ReportText = $t.Text } else { $st.BaselineText = $t.Text }
            }
        } catch {
            Set-LinkRemoteFailure -HostState $st -ErrorId 'LT_REMOTE_FAILED' -Message ('{0}: cannot fetch its report or baseline: {1}' -f $st.Name, $_.Exception.Message) -Exception $_.Exception
            Write-LinkRemoteFailure -Cmdlet $Context.Cmdlet -HostState $st
        }
    }
}

function Write-LinkUtf8File {
    # -ByteOrderMark: the UTF-8 BOM first (CSV, for Excel), as the engine writes its own CSV reports.
    param([string] $Path, [string] $Text, [switch] $ByteOrderMark)
    $dir = Split-Path -Parent $Path
    if ($dir -and -not (Test-Path -LiteralPath $dir)) { $null = New-Item -ItemType Directory -Path $dir -Force }
    [System.IO.File]::WriteAllText($Path, $Text, (New-Object System.Text.UTF8Encoding -ArgumentList ([bool]$ByteOrderMark)))
}

function Write-LinkFleetBaseline {
    param([Parameter(Mandatory)] $Context)
    $sb = New-Object System.Text.StringBuilder
    [void]$sb.Append('{"fleetBaselineVersion":1,"createdAt":').Append((ConvertTo-Json -InputObject ([DateTime]::UtcNow.ToString('o')))).Append(',"hosts":{')
    $first = $true
    foreach ($st in @($Context.Hosts)) {
        if ($st.Failure -or -not $st.BaselineText) { continue }
        if (-not $first) { [void]$sb.Append(',') }
        $first = $false
        [void]$sb.Append((ConvertTo-Json -InputObject ([string]$st.Name))).Append(':').Append($st.BaselineText.Trim())
    }
    [void]$sb.Append('}}')
    # Parse once so that a broken part is caught here rather than at the next -Baseline run.
    $null = ConvertFrom-Json -InputObject $sb.ToString()
    Write-LinkUtf8File -Path $Context.SaveBaselinePath -Text ($sb.ToString() + "`n")
}

function ConvertTo-LinkCsvCell {
    param($Value)
    $s = ''
    if ($null -ne $Value) { if ($Value -is [string]) { $s = $Value } else { $s = ConvertTo-Json -InputObject $Value -Depth 10 -Compress } }
    if ($s -match '^[=+\-@\t\r]') { $s = "'" + $s }
    if ($s -match '[",\r\n]' -or $s -ne $s.Trim()) { $s = '"' + $s.Replace('"', '""') + '"' }
    $s
}

function Get-LinkFleetFinding {
    # Findings in the engine's report order (severity, rule, path), grouped by host.
    param([Parameter(Mandatory)] $Context)
    $rank = @{ error = 0; warning = 1; info = 2 }
    @($Context.Records | Where-Object { $_.PSObject.TypeNames -contains 'LinkTools.Finding' } |
            Sort-Object -Property @{ Expression = { [string]$_.PSComputerName } }, @{ Expression = { $rank[[string]$_.severity] } }, @{ Expression = { [string]$_.rule } }, @{ Expression = { [string]$_.path } })
}

function Write-LinkFleetReport {
    param([Parameter(Mandatory)] $Context)
    $hosts = @($Context.Hosts)
    $text = $null
    switch ($Context.ReportFormat) {
        'Sarif' {
            $runs = New-Object System.Collections.Generic.List[object]
            $schema = 'https://json.schemastore.org/sarif-2.1.0.json'
            $driver = $null
            foreach ($st in $hosts) {
                if ($st.Failure -or -not $st.ReportText) { continue }
                $doc = ConvertFrom-Json -InputObject $st.ReportText
                if ($doc.'$schema') { $schema = $doc.'$schema' }
                foreach ($run in @($doc.runs)) {
                    if (-not $driver) { $driver = $run.tool }
                    Add-Member -InputObject $run -MemberType NoteProperty -Name automationDetails -Value ([pscustomobject]@{ id = ('linktools-audit/{0}/' -f $st.Name) }) -Force
                    $props = $run.PSObject.Properties['properties']
                    if (-not $props -or $null -eq $props.Value) { Add-Member -InputObject $run -MemberType NoteProperty -Name properties -Value ([pscustomobject]@{}) -Force }
                    Add-Member -InputObject $run.properties -MemberType NoteProperty -Name PSComputerName -Value $st.Name -Force
                    $runs.Add($run)
                }
            }
            if (-not $driver) { $driver = [pscustomobject]@{ driver = [pscustomobject]@{ name = 'LinkTools'; version = $Context.EngineVersion; rules = @() } } }
            foreach ($st in $hosts) {
                if (-not $st.Failure) { continue }
                $runs.Add([pscustomobject]@{
                        tool              = $driver
                        automationDetails = [pscustomobject]@{ id = ('linktools-audit/{0}/' -f $st.Name) }
                        invocations       = @([pscustomobject]@{
                                executionSuccessful        = $false
                                toolExecutionNotifications = @([pscustomobject]@{ level = 'error'; message = [pscustomobject]@{ text = $st.Failure.Message }; descriptor = [pscustomobject]@{ id = $st.Failure.ErrorId } })
                            })
                        results           = @()
                        properties        = [pscustomobject]@{ PSComputerName = $st.Name }
                    })
            }
            $text = ConvertTo-Json -Depth 64 -InputObject ([pscustomobject]@{ '$schema' = $schema; version = '2.1.0'; runs = $runs.ToArray() })
        }
        'Json' {
            $hostDocs = New-Object System.Collections.Generic.List[object]
            $findings = New-Object System.Collections.Generic.List[object]
            $drift = New-Object System.Collections.Generic.List[object]
            $links = New-Object System.Collections.Generic.List[object]
            $tool = [pscustomobject]@{ name = 'LinkTools'; version = $Context.EngineVersion }
            foreach ($st in $hosts) {
                if ($st.Failure) {
                    $hostDocs.Add([pscustomobject]@{ PSComputerName = $st.Name; completed = $false; errorId = $st.Failure.ErrorId; message = $st.Failure.Message })
                    continue
                }
                if (-not $st.ReportText) { continue }
                $doc = ConvertFrom-Json -InputObject $st.ReportText
                $hostDocs.Add([pscustomobject]@{ PSComputerName = $st.Name; completed = $true; tool = $doc.tool; summary = $doc.summary; rules = $doc.rules })
                foreach ($pair in @(@($findings, $doc.findings), @($drift, $doc.drift), @($links, $doc.links))) {
                    foreach ($item in @($pair[1])) {
                        if ($null -eq $item) { continue }
                        $pair[0].Add((Add-LinkHostName -Object $item -Name $st.Name))
                    }
                }
            }
            $fleet = New-LinkFleetSummary -Context $Context -ExitCode ([int]($hosts | Where-Object { $_.Failure } | Measure-Object).Count)
            $text = ConvertTo-Json -Depth 64 -InputObject ([pscustomobject]@{
                    tool = $tool; generatedAt = [DateTime]::UtcNow.ToString('o')
                    fleet = [pscustomobject]@{ hosts = $fleet.Hosts; completed = $fleet.Completed; failed = $fleet.Failed; links = $fleet.Links; findings = $fleet.Findings; drift = $fleet.Drift }
                    hosts = $hostDocs.ToArray(); findings = $findings.ToArray(); drift = $drift.ToArray(); links = $links.ToArray()
                })
        }
        'Csv' {
            $rows = New-Object System.Collections.Generic.List[string]
            $rows.Add('host,severity,rule,path,message,target,details')
            foreach ($f in (Get-LinkFleetFinding -Context $Context)) {
                $target = ''
                if ($f.details -and $f.details.target -is [string]) { $target = $f.details.target }
                $cells = @($f.PSComputerName, $f.severity, $f.rule, $f.path, $f.message, $target, $f.details) | ForEach-Object { ConvertTo-LinkCsvCell -Value $_ }
                $rows.Add(($cells -join ','))
            }
            $text = ($rows -join "`r`n") + "`r`n"
        }
        'Markdown' {
            $md = New-Object System.Text.StringBuilder
            $esc = { param($s) ([string]$s).Replace('\', '\\').Replace('|', '\|').Replace("`r", ' ').Replace("`n", ' ') }
            [void]$md.AppendLine('# LinkTools fleet audit').AppendLine()
            [void]$md.AppendLine('| Host | Status | Entries | Links | Findings | Error | Warning | Info | Drift |').AppendLine('|---|---|---:|---:|---:|---:|---:|---:|---:|')
            foreach ($st in $hosts) {
                if ($st.Failure) { [void]$md.AppendLine(('| {0} | failed: {1} {2} |  |  |  |  |  |  |  |' -f (& $esc $st.Name), $st.Failure.ErrorId, (& $esc $st.Failure.Message))); continue }
                $s = $st.Summary
                if (-not $s) { continue }
                [void]$md.AppendLine(('| {0} | completed | {1} | {2} | {3} | {4} | {5} | {6} | {7} |' -f (& $esc $st.Name), $s.entries, $s.links, $s.findings, $s.bySeverity.error, $s.bySeverity.warning, $s.bySeverity.info, $s.drift))
            }
            [void]$md.AppendLine().AppendLine('## Findings').AppendLine()
            [void]$md.AppendLine('| Host | Severity | Rule | Path | Message |').AppendLine('|---|---|---|---|---|')
            foreach ($f in (Get-LinkFleetFinding -Context $Context)) {
                [void]$md.AppendLine(('| {0} | {1} | {2} | `{3}` | {4} |' -f (& $esc $f.PSComputerName), $f.severity, $f.rule, ((& $esc $f.path).Replace('`', "'")), (& $esc $f.message)))
            }
            $driftRecords = @($Context.Records | Where-Object { $_.PSObject.TypeNames -contains 'LinkTools.Drift' })
            if ($driftRecords.Count) {
                [void]$md.AppendLine().AppendLine('## Drift').AppendLine().AppendLine('| Host | Change | Path |').AppendLine('|---|---|---|')
                foreach ($d in $driftRecords) { [void]$md.AppendLine(('| {0} | {1} | `{2}` |' -f (& $esc $d.PSComputerName), (& $esc $d.change), ((& $esc $d.path).Replace('`', "'")))) }
            }
            $text = $md.ToString()
        }
        'Html' {
            $h = { param($s) [System.Net.WebUtility]::HtmlEncode([string]$s) }
            $sb = New-Object System.Text.StringBuilder
            [void]$sb.Append('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>LinkTools fleet audit</title>')
            [void]$sb.Append('<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}.error{color:#b00}.warning{color:#a60}</style></head><body>')
            [void]$sb.Append('<h1>LinkTools fleet audit</h1><table><thead><tr><th>Host</th><th>Status</th><th>Entries</th><th>Links</th><th>Findings</th><th>Drift</th></tr></thead><tbody>')
            foreach ($st in $hosts) {
                if ($st.Failure) { [void]$sb.Append(('<tr><td>{0}</td><td class="error">failed: {1} {2}</td><td></td><td></td><td></td><td></td></tr>' -f (& $h $st.Name), (& $h $st.Failure.ErrorId), (& $h $st.Failure.Message))); continue }
                $s = $st.Summary
                if (-not $s) { continue }
                [void]$sb.Append(('<tr><td>{0}</td><td>completed</td><td>{1}</td><td>{2}</td><td>{3}</td><td>{4}</td></tr>' -f (& $h $st.Name), $s.entries, $s.links, $s.findings, $s.drift))
            }
            [void]$sb.Append('</tbody></table><h2>Findings</h2><table><thead><tr><th>Host</th><th>Severity</th><th>Rule</th><th>Path</th><th>Message</th></tr></thead><tbody>')
            foreach ($f in (Get-LinkFleetFinding -Context $Context)) {
                [void]$sb.Append(('<tr><td>{0}</td><td class="{1}">{1}</td><td>{2}</td><td><code>{3}</code></td><td>{4}</td></tr>' -f (& $h $f.PSComputerName), (& $h $f.severity), (& $h $f.rule), (& $h $f.path), (& $h $f.message)))
            }
            [void]$sb.Append('</tbody></table>')
            $driftRecords = @($Context.Records | Where-Object { $_.PSObject.TypeNames -contains 'LinkTools.Drift' })
            if ($driftRecords.Count) {
                [void]$sb.Append('<h2>Drift</h2><table><thead><tr><th>Host</th><th>Change</th><th>Path</th></tr></thead><tbody>')
                foreach ($d in $driftRecords) { [void]$sb.Append(('<tr><td>{0}</td><td>{1}</td><td><code>{2}</code></td></tr>' -f (& $h $d.PSComputerName), (& $h $d.change), (& $h $d.path))) }
                [void]$sb.Append('</tbody></table>')
            }
            [void]$sb.Append('</body></html>')
            $text = $sb.ToString() + "`n"
        }
    }
    Write-LinkUtf8File -Path $Context.ReportPath -Text $text -ByteOrderMark:($Context.ReportFormat -eq 'Csv' -and -not $Context.NoByteOrderMark)
}
