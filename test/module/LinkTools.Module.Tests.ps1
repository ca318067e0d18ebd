BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $exported = @('New-Link', 'Get-LinkInfo', 'Test-Link', 'Remove-Link', 'Find-Link', 'Invoke-LinkAudit', 'Set-LinkTarget', 'Move-Link', 'Test-LinkState', 'Set-LinkState', 'Undo-LinkChange')
    $moduleFiles = @(Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'module') -Recurse -Include '*.ps1', '*.psm1') + @(Get-Item -LiteralPath $ManifestPath)
    if ($OnWindows) { Write-Host "SKIPPED LinkTools.Module.Tests.ps1 'finds the engine under bin/<os>-<arch>': POSIX only (its stand-in engine is a shell script)" -ForegroundColor Yellow }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine

    function Get-PS7OnlySyntax {
        # Constructs that do not parse (or mean something else) on Windows PowerShell 5.1.
        param([System.Management.Automation.Language.Ast] $Ast)
        $found = New-Object System.Collections.Generic.List[string]
        $nodes = $Ast.FindAll({ $true }, $true)
        foreach ($n in $nodes) {
            $type = $n.GetType().Name
            $where = "line $($n.Extent.StartLineNumber)"
            switch ($type) {
                'TernaryExpressionAst' { $found.Add("ternary ?: ($where)") }
                'PipelineChainAst' { $found.Add("pipeline chain && / || ($where)") }
                'BinaryExpressionAst' { if ([string]$n.Operator -eq 'QuestionQuestion') { $found.Add("?? ($where)") } }
                'AssignmentStatementAst' { if ([string]$n.Operator -eq 'QuestionQuestionEquals') { $found.Add("??= ($where)") } }
                'MemberExpressionAst' { if ($n.PSObject.Properties['NullConditional'] -and $n.NullConditional) { $found.Add("?. ($where)") } }
                'InvokeMemberExpressionAst' { if ($n.PSObject.Properties['NullConditional'] -and $n.NullConditional) { $found.Add("?.() ($where)") } }
                'IndexExpressionAst' { if ($n.PSObject.Properties['NullConditional'] -and $n.NullConditional) { $found.Add("?[] ($where)") } }
                'ScriptBlockAst' { if ($n.PSObject.Properties['CleanBlock'] -and $n.CleanBlock) { $found.Add("clean block ($where)") } }
                'UsingStatementAst' { $found.Add("using statement ($where)") }
                'CommandAst' {
                    $name = $n.GetCommandName()
                    if ($name -in 'ForEach-Object', '%', 'foreach') {
                        foreach ($e in $n.CommandElements) {
                            if ($e -is [System.Management.Automation.Language.CommandParameterAst] -and 'Parallel' -like "$($e.ParameterName)*" -and $e.ParameterName.Length -ge 2) { $found.Add("ForEach-Object -Parallel ($where)") }
                        }
                    }
                }
                'TypeExpressionAst' { if ($n.TypeName.FullName -like 'System.Text.Json*') { $found.Add("System.Text.Json ($where)") } }
                'TypeConstraintAst' { if ($n.TypeName.FullName -like 'System.Text.Json*') { $found.Add("System.Text.Json ($where)") } }
            }
        }
        $found
    }

    function Get-ParameterSnapshot {
        param([string] $Name)
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $cmd = Get-Command -Name $Name -Module LinkTools
        foreach ($set in ($cmd.ParameterSets | Sort-Object Name)) {
            foreach ($p in ($set.Parameters | Where-Object { $common -notcontains $_.Name } | Sort-Object Name)) {
                $flags = @()
                if ($p.IsMandatory) { $flags += 'Mandatory' }
                if ($p.Position -ge 0) { $flags += "Position=$($p.Position)" }
                if ($p.ValueFromPipeline) { $flags += 'Pipeline' }
                if ($p.ValueFromPipelineByPropertyName) { $flags += 'PropertyName' }
                if ($p.Aliases.Count) { $flags += 'Aliases=' + (($p.Aliases | Sort-Object) -join '/') }
                $validate = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
                if ($validate) { $flags += 'Set=' + ($validate.ValidValues -join '/') }
                ('{0} [{1}] -{2} <{3}> {4}' -f $Name, $set.Name, $p.Name, $p.ParameterType.Name, ($flags -join ' ')).TrimEnd()
            }
        }
    }
}

Describe 'LinkTools manifest' {
    It 'is a valid manifest for Windows PowerShell 5.1 and PowerShell 7' {
        $m = Test-ModuleManifest -Path $ManifestPath -ErrorAction Stop
        $m.RootModule | Should -Be 'module/LinkTools.psm1'
        $m.PowerShellVersion | Should -Be ([version]'5.1')
        $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $m.Guid | Should -Not -Be ([guid]::Empty)
        (Import-PowerShellDataFile -Path $ManifestPath).FormatsToProcess | Should -Contain 'module/LinkTools.Format.ps1xml'
    }

    It 'exports exactly the listed functions, and lists them explicitly' {
        $data = Import-PowerShellDataFile -Path $ManifestPath
        $data.FunctionsToExport | Should -Not -Contain '*'
        (Get-Command -Module LinkTools | ForEach-Object Name | Sort-Object) -join ',' |
            Should -Be (($data.FunctionsToExport | Sort-Object) -join ',')
        @($data.FunctionsToExport).Count | Should -Be 11
    }

    It 'has one public file per exported function' {
        $files = Get-ChildItem -LiteralPath (Join-Path $RepoRoot 'module/Public') -Filter '*.ps1' | ForEach-Object BaseName | Sort-Object
        ($files -join ',') | Should -Be ((Get-Command -Module LinkTools | ForEach-Object Name | Sort-Object) -join ',')
    }
}

Describe 'Windows PowerShell 5.1 compatibility' {
    It '<_.Name> parses without errors' -ForEach $moduleFiles {
        $tokens = $null; $errors = $null
        [System.Management.Automation.Language.Parser]::ParseFile($_.FullName, [ref]$tokens, [ref]$errors) | Out-Null
        $errors | Should -HaveCount 0
    }

    It '<_.Name> uses no PowerShell 7-only syntax' -ForEach $moduleFiles {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($_.FullName, [ref]$tokens, [ref]$errors)
        Get-PS7OnlySyntax -Ast $ast | Should -BeNullOrEmpty
    }

    It 'the syntax check catches PowerShell 7-only constructs' {
        $sample = @'
$a = $b ? 1 : 2
$c = $d ?? 3
$e ??= 4
${f}?.Name
Get-Item x && Get-Item y
1..3 | ForEach-Object -Parallel { $_ }
'@
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($sample, [ref]$tokens, [ref]$errors)
        $found = Get-PS7OnlySyntax -Ast $ast
        ($found -join ';') | Should -Match 'ternary'
        ($found -join ';') | Should -Match '\?\? \('
        ($found -join ';') | Should -Match '\?\?='
        ($found -join ';') | Should -Match '\?\.'
        ($found -join ';') | Should -Match 'pipeline chain'
        ($found -join ';') | Should -Match 'Parallel'
    }

    It 'the format and type files are well-formed XML' {
        foreach ($f in 'LinkTools.Format.ps1xml', 'LinkTools.Types.ps1xml') {
            { [xml](Get-Content -Raw -LiteralPath (Join-Path $RepoRoot "module/$f")) } | Should -Not -Throw
        }
    }
}

Describe 'Help for <_>' -ForEach $exported {
    BeforeAll {
        $name = $_
        $help = Get-Help -Name $name -Full
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $parameters = (Get-Command -Name $name).Parameters.Keys | Where-Object { $common -notcontains $_ }
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$name\s"   # not the generated syntax line
    }

    It 'has a description' {
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code and a remark' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($ex in $help.Examples.Example) {
            $ex.Code | Should -Not -BeNullOrEmpty
            ($ex.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'has a HelpUri and a .LINK to it, and links about_LinkTools' {
        $cmd = Get-Command -Name $name
        $cmd.HelpUri | Should -Match '^https://'
        $links = @($help.relatedLinks.navigationLink | ForEach-Object { if ($_.uri) { $_.uri } else { $_.linkText } })
        $links | Should -Contain $cmd.HelpUri
        $links | Should -Contain 'about_LinkTools'
    }

    It 'marks -Path as accepting wildcards, and has -LiteralPath, where paths name existing entries' {
        $cmd = Get-Command -Name $name
        # Test-LinkState, Set-LinkState and Undo-LinkChange take one file (-Manifest, -JournalPath), not entries.
        if (-not $cmd.Parameters.ContainsKey('Path') -and @('Test-LinkState', 'Set-LinkState', 'Undo-LinkChange') -contains $name) { return }
        if ($name -eq 'New-Link') {
            # The link does not exist yet, so its -Path is literal (as New-Item -Path is).
            $cmd.Parameters['Path'].Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] } | Should -BeNullOrEmpty
            return
        }
        $cmd.Parameters['Path'].Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] } | Should -Not -BeNullOrEmpty
        $cmd.Parameters.Keys | Should -Contain 'LiteralPath'
        (($help.Parameters.Parameter | Where-Object Name -eq 'Path').globbing) | Should -Be 'true'
    }

    It 'documents every parameter' {
        foreach ($p in $parameters) {
            $entry = $help.Parameters.Parameter | Where-Object Name -eq $p
            $entry | Should -Not -BeNullOrEmpty -Because "-$p should be in the help"
            ($entry.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$p should be described"
        }
    }
}

Describe 'Parameter snapshot of <_>' -ForEach $exported {
    It 'matches test/module/fixtures/parameters.snapshot.txt' {
        $name = $_
        $expected = @(Get-Content -LiteralPath (Join-Path $FixtureRoot 'parameters.snapshot.txt') | Where-Object { $_ -like "$name *" })
        $actual = @(Get-ParameterSnapshot -Name $name)
        $expected.Count | Should -BeGreaterThan 0 -Because "the snapshot should list $name"
        ($actual -join "`n") | Should -BeExactly ($expected -join "`n")
    }
}

Describe 'Format views' {
    BeforeDiscovery {
        $types = @('LinkTools.LinkInfo', 'LinkTools.LinkTest', 'LinkTools.LinkRemoved', 'LinkTools.Finding', 'LinkTools.Drift', 'LinkTools.ScanSummary', 'LinkTools.AuditSummary', 'LinkTools.Change')
    }

    It 'has a table view and a list view for <_>, neither showing RecordType, SchemaVersion or Backend' -ForEach $types {
        $data = @(Get-FormatData -TypeName $_ -PowerShellVersion $PSVersionTable.PSVersion)
        $controls = @($data.FormatViewDefinition | ForEach-Object { $_.Control.GetType().Name })
        $controls | Should -Contain 'TableControl'
        $controls | Should -Contain 'ListControl'
        $xml = [xml](Get-Content -Raw -LiteralPath (Join-Path $RepoRoot 'module/LinkTools.Format.ps1xml'))
        foreach ($view in @($xml.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq $_ })) {
            $view.OuterXml | Should -Not -Match 'RecordType|SchemaVersion|Backend'
        }
    }

    It 'shows Kind, Path, Target and TargetExists for a LinkInfo' {
        $o = [pscustomobject]@{ RecordType = 'linkInfo'; SchemaVersion = '1.0'; Path = '/x/y'; Kind = 'symlink'; Target = 'z'; TargetExists = $true; LinkCount = 1; Backend = 'posix' }
        $o.PSObject.TypeNames.Insert(0, 'LinkTools.LinkInfo')
        $text = $o | Format-Table | Out-String -Width 200
        $text | Should -Match 'Kind\s+Path\s+Target\s+TargetExists'
        $text | Should -Match 'symlink\s+/x/y\s+z\s+True'
        $list = $o | Format-List | Out-String -Width 200
        $list | Should -Match 'TargetExists\s+: True'
        $list | Should -Not -Match 'RecordType|SchemaVersion|Backend'
        ($o | Format-List * | Out-String -Width 200) | Should -Match 'Backend\s+: posix' -Because 'internal fields stay reachable'
    }

    It 'shows Severity, Rule, Path and Message for a Finding' {
        $o = [pscustomobject]@{ Rule = 'broken-target'; Severity = 'error'; Path = '/x/y'; Message = 'gone' }
        $o.PSObject.TypeNames.Insert(0, 'LinkTools.Finding')
        ($o | Format-Table | Out-String -Width 200) | Should -Match 'error\s+broken-target\s+/x/y\s+gone'
    }
}

Describe 'about_LinkTools and tab completion' {
    It 'has an about_LinkTools topic that names every command and says why Get-LinkInfo keeps its noun' {
        $file = Join-Path $RepoRoot 'en-US/about_LinkTools.help.txt'
        $text = Get-Content -Raw -LiteralPath $file
        $text | Should -Match '^TOPIC\s+about_LinkTools'
        foreach ($c in $exported) { $text | Should -Match ([regex]::Escape($c)) }
        $text | Should -Match 'WHY "Get-LinkInfo"'
        # Help files are plain text; keep lines short enough for a console.
        @($text -split "`n" | Where-Object { $_.TrimEnd().Length -gt 80 -and $_ -notmatch 'pwsh -NoProfile' }) | Should -BeNullOrEmpty
    }

    It 'is found by Get-Help (about topics live in en-US beside the manifest)' {
        (Get-Help about_LinkTools | Out-String) | Should -Match 'about_LinkTools'
    }

    It 'completes <Parameter> of <Command> with <Expected>' -ForEach @(
        @{ Command = 'Invoke-LinkAudit'; Parameter = 'Rule'; Typed = 'link-'; Expected = 'link-loop' }
        @{ Command = 'Invoke-LinkAudit'; Parameter = 'ExcludeRule'; Typed = 'broken'; Expected = 'broken-target' }
        @{ Command = 'Invoke-LinkAudit'; Parameter = 'ReportFormat'; Typed = 'Sa'; Expected = 'Sarif' }
        @{ Command = 'Find-Link'; Parameter = 'ItemType'; Typed = 'Jun'; Expected = 'Junction' }
        @{ Command = 'Invoke-LinkAudit'; Parameter = 'ItemType'; Typed = 'Hard'; Expected = 'HardLink' }
    ) {
        $line = "$Command -$Parameter $Typed"
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        @($result.CompletionMatches | ForEach-Object CompletionText) | Should -Contain $Expected
        @($result.CompletionMatches | Where-Object { $_.CompletionText -like '*.ps1' -or $_.CompletionText -like './*' }) | Should -BeNullOrEmpty -Because 'rule ids are not file names'
    }

    It 'completes exactly the rule ids the engine defines' {
        $rules = Get-Content -Raw -LiteralPath (Join-Path $RepoRoot 'engine/src/core/audit/rules.ts')
        $engineIds = @([regex]::Matches($rules, "(?m)^\s+id: '([a-z-]+)'") | ForEach-Object { $_.Groups[1].Value } | Sort-Object)
        $engineIds.Count | Should -BeGreaterThan 5
        $line = 'Invoke-LinkAudit -Rule '
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        (@($result.CompletionMatches | ForEach-Object CompletionText | Sort-Object) -join ',') | Should -Be ($engineIds -join ',')
    }
}

Describe 'Engine discovery' {
    AfterEach { Use-LinkTestEngine }

    It 'reports LT_ENGINE_NOT_FOUND when $env:LINKTOOLS_ENGINE names nothing' {
        $env:LINKTOOLS_ENGINE = Join-Path $TestDrive 'no-such-engine'
        { Get-LinkInfo -Path $TestDrive } | Should -Throw -ErrorId 'LT_ENGINE_NOT_FOUND,Get-LinkInfo'
    }

    It 'reports LT_ENGINE_NOT_FOUND, naming where it looked, for a module without an engine' {
        $copy = Join-Path $TestDrive 'bare-module'
        New-Item -ItemType Directory -Path $copy -Force | Out-Null
        Copy-Item -LiteralPath $ManifestPath -Destination $copy
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'module') -Destination $copy -Recurse
        $saved = $env:LINKTOOLS_ENGINE
        $env:LINKTOOLS_ENGINE = $null
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest, $path)
                    Import-Module $manifest
                    try { Get-LinkInfo -Path $path; 'no error' } catch { $_.FullyQualifiedErrorId; $_.Exception.Message }
                }).AddArgument((Join-Path $copy 'LinkTools.psd1')).AddArgument($TestDrive)
            $result = $ps.Invoke()
        } finally { $ps.Dispose(); $env:LINKTOOLS_ENGINE = $saved }
        $result[0] | Should -BeExactly 'LT_ENGINE_NOT_FOUND,Get-LinkInfo'
        $result[1] | Should -Match ([regex]::Escape((Join-Path $copy 'dist/bin')))
    }

    It 'finds the engine under bin/<os>-<arch> of an installed module' -Skip:$OnWindows {
        # POSIX only: the stand-in engine is a shell script, which Windows cannot run as linktools.exe.
        $copy = Join-Path $TestDrive 'installed-module'
        New-Item -ItemType Directory -Path $copy -Force | Out-Null
        Copy-Item -LiteralPath $ManifestPath -Destination $copy
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'module') -Destination $copy -Recurse
        $fake = New-FakeEngine -Directory (Join-Path $copy "bin/$(Get-TestPlatformTag)")
        Test-Path -LiteralPath (Join-Path $copy "bin/$(Get-TestPlatformTag)/linktools") | Should -BeTrue
        $saved = $env:LINKTOOLS_ENGINE
        $env:LINKTOOLS_ENGINE = $null
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($manifest, $path)
                    Import-Module $manifest
                    (Get-LinkInfo -Path $path).path
                }).AddArgument((Join-Path $copy 'LinkTools.psd1')).AddArgument($TestDrive)
            $result = $ps.Invoke()
        } finally { $ps.Dispose(); $env:LINKTOOLS_ENGINE = $saved }
        $result | Should -Be ([string]$TestDrive)
        @((Get-FakeEngineLog -Log $fake.Log)[0].args) -join ' ' | Should -Be 'serve --errors-inline'
        (Get-FakeEngineLog -Log $fake.Log)[1].request.op | Should -Be 'info'
    }
}
