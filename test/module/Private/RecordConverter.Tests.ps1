# The compiled record converter (src/LinkTools.Records -> dist/bin/LinkTools.Records.dll) against the
# module's PowerShell path (ConvertFrom-LinkRecordJson + ConvertTo-LinkObject), record by record, on
# real engine output of a tree with odd names; its number typing for both editions; the lines it
# leaves to the PowerShell path; and the PowerShell path on its own (LINKTOOLS_CONVERTER=powershell,
# or no assembly at all), in fresh processes. How much faster it is, is a benchmark figure
# (npm run bench, docs/performance.md), never asserted here.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
    $script:Module = Get-Module LinkTools

    function Format-TestText([string] $Text) {
        # Control characters, surrogates and U+FDD0 as \uXXXX, so a difference is readable and exact.
        $sb = New-Object System.Text.StringBuilder
        foreach ($c in $Text.ToCharArray()) {
            if ([int]$c -lt 0x20 -or ([int]$c -ge 0xD800 -and [int]$c -le 0xDFFF) -or [int]$c -eq 0xFDD0 -or $c -eq [char]'\') { [void]$sb.AppendFormat('\u{0:x4}', [int]$c) }
            else { [void]$sb.Append($c) }
        }
        $sb.ToString()
    }

    function Get-ObjectShape($Value, [string] $Indent = '') {
        # Everything a caller can see of a value, one line per item: type names, members in order
        # (with their member types), value types and values, list types and their text.
        if ($null -eq $Value) { return "$Indent<null>" }
        if ($Value -is [psobject] -and $Value.PSObject.BaseObject -is [System.Management.Automation.PSCustomObject]) {
            "$Indent{" + ($Value.PSObject.TypeNames -join ',') + '}'
            foreach ($p in $Value.PSObject.Properties) {
                "$Indent  $($p.MemberType) $($p.Name)"
                Get-ObjectShape $p.Value "$Indent    "
            }
            return
        }
        if ($Value -is [System.Collections.IList]) {
            "$Indent[$($Value.GetType().Name) count=$($Value.Count) text='$(Format-TestText $Value.ToString())']"
            foreach ($item in $Value) { Get-ObjectShape $item "$Indent  " }
            return
        }
        "$Indent$($Value.GetType().FullName) $(Format-TestText ([string]$Value))"
    }

    function Get-EngineLine([string[]] $EngineArgs) {
        # The engine's stdout lines (UTF-8), as Read-LinkEngineBatch gets them (trimmed, none empty).
        $psi = New-Object System.Diagnostics.ProcessStartInfo
        $psi.FileName = $env:LINKTOOLS_ENGINE
        $psi.Arguments = (@($EngineArgs | ForEach-Object { '"' + $_ + '"' }) -join ' ')
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.StandardOutputEncoding = New-Object System.Text.UTF8Encoding $false
        $p = [System.Diagnostics.Process]::Start($psi)
        $errTask = $p.StandardError.ReadToEndAsync()
        $text = $p.StandardOutput.ReadToEnd()
        if (-not $p.WaitForExit(120000)) { $p.Kill(); throw 'the engine did not finish within 120 s' }
        [void]$errTask.Wait(10000)
        @($text.Split([char]"`n") | ForEach-Object { $_.Trim() } | Where-Object { $_.Length })
    }

    function Compare-Conversion([string[]] $Lines) {
        # Both paths over the same batch; returns the compiled converter's count of lines it left.
        & $script:Module {
            param($Lines)
            $list = New-Object 'System.Collections.Generic.List[string]'
            foreach ($l in $Lines) { $list.Add($l) }
            $converter = Get-LinkRecordConverter
            $compiled = $converter.Convert($list)
            $fallback = @(ConvertTo-LinkObject -Record @(ConvertFrom-LinkRecordJson -Json ('[' + [string]::Join(',', $Lines) + ']')))
            [pscustomobject]@{ Compiled = $compiled; Fallback = $fallback; Unhandled = $converter.Unhandled; Reason = $converter.LastReason }
        } $Lines
    }

    $script:Root = Join-Path $TestDrive 'odd'
    New-Item -ItemType Directory -Path $script:Root -Force | Out-Null
    Set-Content -LiteralPath (Join-Path $script:Root 'file.txt') -Value 'data'
    New-Item -ItemType Directory -Path (Join-Path $script:Root 'sub') -Force | Out-Null
    function New-TestSymlink([string] $Path, [string] $Target) {
        # Names and targets taken literally ('\' is no separator, a target is any text); New-Link for
        # lone surrogates (a POSIX name that is not UTF-8: .NET cannot write those bytes itself).
        $lone = $false
        foreach ($c in ($Path + $Target).ToCharArray()) { if ([int]$c -ge 0xD800 -and [int]$c -le 0xDFFF) { $lone = $true } }
        if ($lone -or $null -eq [System.IO.File].GetMethod('CreateSymbolicLink')) {
            New-Link -Path $Path -Target $Target -ItemType SymbolicLink -TargetType File | Out-Null
        } else {
            [void][System.IO.File]::CreateSymbolicLink($Path, $Target)
        }
    }
    # @(folder, name, target); folder '' is the root. Paths joined with '/' (Join-Path would turn a
    # '\' in a POSIX name into a separator).
    $links = @(
        @('', "uni-é€😀-$([char]0x4E2D)", 'file.txt'),
        @('sub', 'plain', '../file.txt'),
        @('', 'with space', "missing-é$([char]0x00A0)")
    )
    $script:DateLines = 0
    if (-not $OnWindows) {
        # POSIX names may hold any byte but '/' and NUL; a byte that is not UTF-8 is a lone surrogate.
        $links += @(
            @('sub', 'quote"q', 'missing\"x'),
            @('', 'back\slash', "nl`ntarget"),
            @('sub', "new`nline", '..\odd\"quoted"'),
            @('', "tab`tx", '../file.txt'),
            @('sub', "bad-$([char]0xDCFF)$([char]0xDC80)", "bad-$([char]0xDCE9)"),
            @('', "ctl-$([char]1)", 'file.txt')
        )
    }
    foreach ($l in $links) {
        $dir = $script:Root
        if ($l[0]) { $dir = $script:Root + '/' + $l[0] }
        New-TestSymlink -Path ($dir + '/' + $l[1]) -Target $l[2]
    }
    if (-not $OnWindows) {
        # A target PowerShell 7's ConvertFrom-Json reads as a date: that line goes the PowerShell way.
        New-TestSymlink -Path (Join-Path $script:Root 'datey') -Target '2026-12-02T03:04:05Z'
        $script:DateLines = 1
    }
    New-TestSymlink -Path (Join-Path $script:Root 'sub/loop-a') -Target 'loop-b'
    New-TestSymlink -Path (Join-Path $script:Root 'sub/loop-b') -Target 'loop-a'
    New-Link -Path (Join-Path $script:Root 'sub/dirlink') -Target $script:Root -ItemType SymbolicLink | Out-Null
    New-Link -Path (Join-Path $script:Root 'hard-é') -Target (Join-Path $script:Root 'file.txt') -ItemType HardLink | Out-Null
    $script:BigSize = $null
    if (-not $OnWindows) {
        # A sparse 5 GB file with two names: its size is beyond Int32 in the records.
        $big = Join-Path $script:Root 'big.bin'
        $fs = [System.IO.File]::Open($big, 'CreateNew')
        try { $fs.SetLength(5GB) } finally { $fs.Dispose() }
        New-Link -Path (Join-Path $script:Root "big-$([char]0xDCFE)") -Target $big -ItemType HardLink | Out-Null
        $script:BigSize = 5GB
    }
}

AfterAll {
    # Names with lone surrogates are bytes .NET cannot name, so TestDrive could not remove them.
    if (-not $OnWindows -and $script:Root) { & rm -rf -- $script:Root }
}

Describe 'the compiled record converter' {
    It 'is built (npm run build) and used by Find-Link' {
        $dll = Join-Path $RepoRoot 'dist/bin/LinkTools.Records.dll'
        Test-Path -LiteralPath $dll -PathType Leaf | Should -BeTrue -Because "npm run build writes $dll (build/records.sh)"
        $null = @(Find-Link -Path $script:Root)
        & $script:Module { $script:LinkRecordConverterState } | Should -Be 'loaded' -Because (& $script:Module { $script:LinkRecordConverterReason })
        ('LinkTools.Records.RecordConverter' -as [type]).Assembly.Location | Should -Be (Resolve-Path -LiteralPath $dll).ProviderPath
    }

    It 'makes the same objects as the PowerShell path from a real scan, record by record' {
        $lines = Get-EngineLine @('scan', $script:Root, '--errors-inline')
        $r = Compare-Conversion $lines
        $r.Compiled.Count | Should -Be $lines.Count
        $r.Fallback.Count | Should -Be $lines.Count
        # Only the date-like target's line is left to the PowerShell path.
        $r.Unhandled | Should -Be $script:DateLines -Because $r.Reason
        if ($script:DateLines) { $r.Reason | Should -Match 'date' }
        $types = @($r.Fallback | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique)
        $types | Should -Contain 'LinkTools.LinkInfo'
        $types | Should -Contain 'LinkTools.ScanSummary'
        $kinds = @($r.Fallback | Where-Object RecordType -EQ 'linkInfo' | ForEach-Object Kind | Sort-Object -Unique)
        $kinds | Should -Contain 'symlink'
        $kinds | Should -Contain 'hardlink'
        $compared = 0
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($null -eq $r.Compiled[$i]) { continue }
            ((Get-ObjectShape $r.Compiled[$i]) -join "`n") | Should -BeExactly ((Get-ObjectShape $r.Fallback[$i]) -join "`n") -Because "record $i of the scan: $($lines[$i])"
            $compared++
        }
        $compared | Should -Be ($lines.Count - $script:DateLines)
    }

    It 'keeps lone surrogates, quotes, backslashes, newlines and large sizes as the PowerShell path does' -Skip:$OnWindows {
        $r = Compare-Conversion (Get-EngineLine @('scan', $script:Root, '--errors-inline'))
        $paths = @($r.Compiled | Where-Object { $null -ne $_ -and $_.RecordType -eq 'linkInfo' } | ForEach-Object Path)
        $paths | Should -Contain (Join-Path $script:Root "sub/bad-$([char]0xDCFF)$([char]0xDC80)")
        $paths | Should -Contain ($script:Root + '/back\slash')
        $paths | Should -Contain (Join-Path $script:Root "sub/new`nline")
        $paths | Should -Contain (Join-Path $script:Root 'sub/quote"q')
        $big = @($r.Compiled | Where-Object { $null -ne $_ -and $_.Path -eq (Join-Path $script:Root "big-$([char]0xDCFE)") })
        $big.Count | Should -Be 1
        $big[0].Size | Should -Be $script:BigSize
        $big[0].Size | Should -BeOfType [long]
        $big[0].HardLinkNames.GetType().Name | Should -Be 'LinkNameList'
        [string]$big[0].HardLinkNames | Should -BeExactly (Join-Path $script:Root 'big.bin')
    }

    It 'makes the same objects as the PowerShell path from a real audit, record by record' {
        $lines = Get-EngineLine @('audit', $script:Root, '--errors-inline')
        $r = Compare-Conversion $lines
        $r.Compiled.Count | Should -Be $lines.Count
        $types = @($r.Fallback | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique)
        $types | Should -Contain 'LinkTools.Finding'
        $types | Should -Contain 'LinkTools.AuditSummary'
        $compared = 0
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($null -eq $r.Compiled[$i]) { continue }
            ((Get-ObjectShape $r.Compiled[$i]) -join "`n") | Should -BeExactly ((Get-ObjectShape $r.Fallback[$i]) -join "`n") -Because "record $i of the audit: $($lines[$i])"
            $compared++
        }
        $compared | Should -BeGreaterThan ($lines.Count / 2)
    }

    It 'gives Find-Link and Invoke-LinkAudit the same output as the PowerShell path (LINKTOOLS_CONVERTER=powershell)' {
        $shape = {
            param($objects)
            # Order aside (the engine's walk order is the same; DurationMs is not).
            @($objects | ForEach-Object { if ($_.PSObject.Properties['DurationMs']) { $_.DurationMs = 0 }; (Get-ObjectShape $_) -join "`n" })
        }
        $old = $env:LINKTOOLS_CONVERTER
        try {
            $env:LINKTOOLS_CONVERTER = $null
            $compiledFind = & $shape @(Find-Link -Path $script:Root -Recurse -InformationVariable fi)
            $compiledAudit = & $shape @(Invoke-LinkAudit -Path $script:Root -InformationVariable ai)
            $compiledInfo = & $shape @(@($fi) + @($ai) | ForEach-Object MessageData)
            $env:LINKTOOLS_CONVERTER = 'powershell'
            (& $script:Module { Get-LinkRecordConverter }) | Should -BeNullOrEmpty
            $plainFind = & $shape @(Find-Link -Path $script:Root -Recurse -InformationVariable fi)
            $plainAudit = & $shape @(Invoke-LinkAudit -Path $script:Root -InformationVariable ai)
            $plainInfo = & $shape @(@($fi) + @($ai) | ForEach-Object MessageData)
        } finally { $env:LINKTOOLS_CONVERTER = $old }
        $compiledFind.Count | Should -BeGreaterThan 5
        $compiledAudit.Count | Should -BeGreaterThan 0
        $compiledInfo.Count | Should -Be 2
        ($compiledFind -join "`n---`n") | Should -BeExactly ($plainFind -join "`n---`n")
        ($compiledAudit -join "`n---`n") | Should -BeExactly ($plainAudit -join "`n---`n")
        ($compiledInfo -join "`n---`n") | Should -BeExactly ($plainInfo -join "`n---`n")
    }

    It 'gives Get-LinkInfo and Test-Link answers, one call per path and piped, the same output and errors as the PowerShell path' {
        $paths = @(@(Find-Link -Path $script:Root -Recurse | ForEach-Object Path) + @(
                (Join-Path $script:Root 'file.txt'), (Join-Path $script:Root 'sub'), (Join-Path $script:Root 'no-such-entry')))
        $paths.Count | Should -BeGreaterThan 8
        $run = {
            $out = [System.Collections.Generic.List[string]]::new()
            foreach ($p in $paths) {
                foreach ($o in @(Get-LinkInfo -LiteralPath $p -ErrorVariable e -ErrorAction SilentlyContinue)) { $out.Add(((Get-ObjectShape $o) -join "`n")) }
                foreach ($x in @($e)) { $out.Add(('error {0} {1} {2} {3} {4}' -f $x.FullyQualifiedErrorId, $x.CategoryInfo.Category, $x.Exception.GetType().FullName, (Format-TestText ([string]$x.TargetObject)), $x.Exception.Message)) }
                foreach ($o in @(Test-Link -LiteralPath $p -Detailed)) { $out.Add(((Get-ObjectShape $o) -join "`n")) }
                $out.Add(((Get-ObjectShape (Test-Link -LiteralPath $p)) -join "`n"))
            }
            foreach ($o in @($paths | Get-LinkInfo -ErrorAction SilentlyContinue)) { $out.Add(((Get-ObjectShape $o) -join "`n")) }
            $out.Add((@($paths | Test-Link) -join ','))
            , $out
        }
        $old = $env:LINKTOOLS_CONVERTER
        try {
            $env:LINKTOOLS_CONVERTER = $null
            $compiled = & $run
            $env:LINKTOOLS_CONVERTER = 'powershell'
            $plain = & $run
        } finally { $env:LINKTOOLS_CONVERTER = $old }
        $compiled.Count | Should -Be $plain.Count
        # no-such-entry (and, on POSIX, back\slash: PowerShell's path API reads '\' as a separator).
        @($compiled | Where-Object { $_ -like 'error LT_NOT_FOUND,Get-LinkInfo ObjectNotFound *no-such-entry*' }).Count | Should -Be 1
        ($compiled -join "`n---`n") | Should -BeExactly ($plain -join "`n---`n")
    }
}

Describe 'the compiled converter on written lines' {
    BeforeAll {
        function Convert-Line([string[]] $Lines, [switch] $Desktop) {
            & $script:Module {
                param($Lines, $Desktop)
                $c = New-Object -TypeName LinkTools.Records.RecordConverter -ArgumentList $script:LinkPropertyNames, $script:LinkTypeNames, ([bool]$Desktop)
                $out = $c.Convert([string[]]$Lines)
                [pscustomobject]@{ Records = $out; Unhandled = $c.Unhandled; Reason = $c.LastReason }
            } $Lines $Desktop
        }
    }

    It 'types numbers as PowerShell 7''s ConvertFrom-Json does' {
        $line = '{"recordType":"x","a":1,"b":-0,"c":3000000000,"d":9223372036854775807,"e":1.5,"f":1e5,"g":-2.5E-3,"h":0.1}'
        $r = Convert-Line $line
        $r.Unhandled | Should -Be 0 -Because $r.Reason
        $want = ConvertFrom-Json -InputObject $line
        foreach ($n in 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h') {
            $r.Records[0].$n.GetType() | Should -Be $want.$n.GetType() -Because $n
            $r.Records[0].$n | Should -Be $want.$n -Because $n
        }
    }

    It 'types numbers as Windows PowerShell 5.1''s ConvertFrom-Json (JavaScriptSerializer) does, when asked to' {
        $r = Convert-Line '{"recordType":"x","a":1,"b":3000000000,"c":99999999999999999999,"d":1.5,"e":1e5,"f":1.0}' -Desktop
        $r.Unhandled | Should -Be 0 -Because $r.Reason
        $o = $r.Records[0]
        $o.a | Should -BeOfType [int]
        $o.b | Should -BeOfType [long]
        $o.b | Should -Be 3000000000
        $o.c | Should -BeOfType [decimal]
        $o.c | Should -Be ([decimal]'99999999999999999999')
        $o.d | Should -BeOfType [decimal]
        $o.e | Should -BeOfType [double]
        $o.e | Should -Be 100000
        $o.f | Should -BeOfType [decimal]
    }

    It 'renames keys at every depth as the text replacement does, and keeps map keys and requestId' {
        $r = Convert-Line '{"recordType":"finding","rule":"r","details":{"path":"p","someKey":[{"kind":"k"}]},"requestId":7}'
        $o = $r.Records[0]
        (@($o.PSObject.Properties | Where-Object MemberType -EQ 'NoteProperty' | ForEach-Object Name) -join ',') | Should -BeExactly 'RecordType,Rule,Details,requestId'
        ($o.Details.PSObject.Properties.Name -join ',') | Should -BeExactly 'Path,someKey'
        ($o.Details.someKey[0].PSObject.Properties.Name -join ',') | Should -BeExactly 'Kind'
        $o.PSObject.TypeNames[0] | Should -Be 'LinkTools.Finding'
        $o.Details.PSObject.TypeNames[0] | Should -Be 'LinkTools.Map'
        $o.requestId | Should -BeOfType [long]
    }

    It 'leaves to the PowerShell path: <Name>' -ForEach @(
        @{ Name = 'not JSON'; Line = 'oops' }
        @{ Name = 'not an object'; Line = '[1,2]' }
        @{ Name = 'text after the object'; Line = '{"recordType":"x"} {}' }
        @{ Name = 'no recordType'; Line = '{"path":"p"}' }
        @{ Name = 'a recordType in another casing'; Line = '{"RECORDTYPE":"linkInfo"}' }
        @{ Name = 'a record type in another casing'; Line = '{"recordType":"LinkInfo"}' }
        @{ Name = 'a kind in another casing'; Line = '{"recordType":"linkInfo","kind":"HardLink","targetExists":null}' }
        @{ Name = 'a key twice'; Line = '{"recordType":"x","a":1,"a":2}' }
        @{ Name = 'a key twice in another casing'; Line = '{"recordType":"x","a":1,"A":2}' }
        @{ Name = 'a nested key twice'; Line = '{"recordType":"x","o":{"k":1,"K":2}}' }
        @{ Name = 'an ISO date-time string'; Line = '{"recordType":"x","t":"2026-12-02T03:04:05Z"}' }
        @{ Name = 'a /Date()/ string'; Line = '{"recordType":"x","t":"\/Date(0)\/"}' }
        @{ Name = 'an integer beyond Int64'; Line = '{"recordType":"x","n":99999999999999999999}' }
        @{ Name = 'a number beyond Double'; Line = '{"recordType":"x","n":1e400}' }
        @{ Name = 'a leading zero'; Line = '{"recordType":"x","n":01}' }
        @{ Name = 'a high surrogate escape'; Line = '{"recordType":"x","s":"\ud83d\ude00"}' }
        @{ Name = 'a lone surrogate escape outside DC80-DCFF'; Line = '{"recordType":"x","s":"\udc00"}' }
        @{ Name = 'a surrogate escape in a key'; Line = '{"recordType":"x","\udc80":1}' }
        @{ Name = 'the placeholder U+FDD0'; Line = "{`"recordType`":`"x`",`"s`":`"a$([char]0xFDD0)b`"}" }
        @{ Name = 'a raw control character'; Line = "{`"recordType`":`"x`",`"s`":`"a$([char]1)b`"}" }
        @{ Name = 'single quotes'; Line = "{'recordType':'x'}" }
        @{ Name = 'a trailing comma'; Line = '{"recordType":"x",}' }
        @{ Name = 'a hard link without targetExists'; Line = '{"recordType":"linkInfo","kind":"hardlink"}' }
        @{ Name = 'a reparse value that is not an object'; Line = '{"recordType":"linkInfo","kind":"symlink","reparse":"x"}' }
    ) {
        $r = Convert-Line @('{"recordType":"linkInfo","path":"ok"}', $Line)
        $r.Records.Count | Should -Be 2
        $r.Records[0].Path | Should -Be 'ok'
        $r.Records[1] | Should -BeNullOrEmpty
        $r.Unhandled | Should -Be 1
        $r.Reason | Should -Match '^line 2: '
    }

    It 'splits lines as Read-LinkEngineBatch''s PowerShell loop does' {
        $text = "  {`"a`":1}`r`n`n `t`n{`"b`":2}  `n{`"c`":3}`r`n{`"partial"
        $last = $text.LastIndexOf([char]"`n")
        $want = New-Object 'System.Collections.Generic.List[string]'
        foreach ($line in $text.Substring(0, $last).Split([char]"`n")) { $t = $line.Trim(); if ($t.Length) { $want.Add($t) } }
        $got = & $script:Module {
            param($text, $last)
            $c = New-Object -TypeName LinkTools.Records.RecordConverter -ArgumentList $script:LinkPropertyNames, $script:LinkTypeNames, $false
            $lines = New-Object 'System.Collections.Generic.List[string]'
            $lines.Add('before')
            $n = $c.AddLines($text, $last, $lines)
            [pscustomobject]@{ Lines = $lines.ToArray(); Chars = $n }
        } $text $last
        ($got.Lines -join '|') | Should -BeExactly ((@('before') + $want.ToArray()) -join '|')
        $got.Chars | Should -Be (($want | ForEach-Object Length | Measure-Object -Sum).Sum)
        $want.Count | Should -Be 3
    }

    It 'turns the engine''s \udcXX escapes into lone surrogates, in values only' {
        $r = Convert-Line '{"recordType":"linkInfo","kind":"symlink","path":"/a\udcff\udc80b","chain":[{"path":"\uDCE9"}],"hardLinkNames":["x\\udc80"]}'
        $r.Unhandled | Should -Be 0 -Because $r.Reason
        $o = $r.Records[0]
        $o.Path | Should -BeExactly "/a$([char]0xDCFF)$([char]0xDC80)b"
        $o.Chain[0].Path | Should -BeExactly ([string][char]0xDCE9)
        # An escaped backslash before 'udc80' is text, not an escape.
        $o.HardLinkNames[0] | Should -BeExactly 'x\udc80'
    }
}

Describe 'the PowerShell path on its own' {
    BeforeAll {
        # This PowerShell, for a fresh process: $env:PWSH (build/tools.sh), pwsh on PATH, or the one in
        # $PSHOME (a global dotnet tool runs as 'dotnet pwsh.dll').
        $script:PwshArgs = @()
        $script:Pwsh = $env:PWSH
        if (-not $script:Pwsh -or -not (Test-Path -LiteralPath $script:Pwsh)) {
            $cmd = Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
            if ($cmd) { $script:Pwsh = $cmd.Source }
            elseif ($PSVersionTable.PSEdition -eq 'Desktop') { $script:Pwsh = Join-Path $PSHOME 'powershell.exe' }
            else { $script:Pwsh = (Get-Process -Id $PID).Path; $script:PwshArgs = @(Join-Path $PSHOME 'pwsh.dll') }
        }
        function Invoke-ChildModule([string] $Manifest, [hashtable] $Environment) {
            # A fresh process: Find-Link and Invoke-LinkAudit there, and what the module used.
            $script = @'
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $env:LT_TEST_MANIFEST
$m = Get-Module LinkTools
$found = @(Find-Link -Path $env:LT_TEST_ROOT -Recurse)
$audit = @(Invoke-LinkAudit -Path $env:LT_TEST_ROOT)
[pscustomobject]@{
    State    = & $m { $script:LinkRecordConverterState }
    Reason   = & $m { $script:LinkRecordConverterReason }
    Loaded   = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'LinkTools.Records' }).Count
    Found    = $found.Count
    Types    = @($found + $audit | ForEach-Object { $_.PSObject.TypeNames[0] } | Sort-Object -Unique) -join ','
    Chain    = [string](@($found | Where-Object { $_.Chain.Count -gt 0 })[0].Chain.GetType().Name)
    # The paths as UTF-16 code units (lone surrogates would not survive the JSON text).
    Paths    = @(foreach ($c in (@($found | ForEach-Object Path | Sort-Object) -join '|').ToCharArray()) { '{0:x4}' -f [int]$c }) -join ''
} | ConvertTo-Json -Compress
'@
            $saved = @{}
            $vars = @{ LT_TEST_MANIFEST = $Manifest; LT_TEST_ROOT = $script:Root } + $Environment
            foreach ($k in $vars.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $vars[$k]) }
            try {
                $out = & $script:Pwsh @script:PwshArgs -NoLogo -NoProfile -NonInteractive -Command $script 2>&1
            } finally {
                foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
            }
            $json = @($out | Where-Object { "$_".StartsWith('{') })
            if ($json.Count -ne 1) { throw "the child process failed: $($out -join "`n")" }
            $json[0] | ConvertFrom-Json
        }
        $script:Expected = @(Find-Link -Path $script:Root -Recurse)
        $script:ExpectedPaths = @(foreach ($c in (@($script:Expected | ForEach-Object Path | Sort-Object) -join '|').ToCharArray()) { '{0:x4}' -f [int]$c }) -join ''
    }

    It 'LINKTOOLS_CONVERTER=powershell: the assembly is never loaded and the output is the same' {
        $r = Invoke-ChildModule -Manifest $ManifestPath -Environment @{ LINKTOOLS_CONVERTER = 'powershell' }
        $r.State | Should -Be 'unloaded'
        $r.Loaded | Should -Be 0
        $r.Found | Should -Be $script:Expected.Count
        $r.Types | Should -Be 'LinkTools.Finding,LinkTools.LinkInfo'
        $r.Chain | Should -Be 'LinkChainList'
        $r.Paths | Should -BeExactly $script:ExpectedPaths
    }

    It 'without LinkTools.Records.dll (a copy of the module with no dist/bin): the PowerShell path, same output' {
        $copy = Join-Path $TestDrive 'module-copy'
        New-Item -ItemType Directory -Path $copy -Force | Out-Null
        Copy-Item -LiteralPath $ManifestPath -Destination $copy
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'LICENSE') -Destination $copy
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'module') -Destination $copy -Recurse
        $r = Invoke-ChildModule -Manifest (Join-Path $copy 'LinkTools.psd1') -Environment @{ LINKTOOLS_CONVERTER = $null }
        $r.State | Should -Be 'unavailable'
        $r.Reason | Should -Match 'LinkTools.Records.dll not found'
        $r.Loaded | Should -Be 0
        $r.Found | Should -Be $script:Expected.Count
        $r.Chain | Should -Be 'LinkChainList'
        $r.Paths | Should -BeExactly $script:ExpectedPaths
    }

    It 'with the assembly: loaded from dist/bin in a fresh process, same output' {
        $r = Invoke-ChildModule -Manifest $ManifestPath -Environment @{ LINKTOOLS_CONVERTER = $null }
        $r.State | Should -Be 'loaded' -Because $r.Reason
        $r.Loaded | Should -Be 1
        $r.Chain | Should -Be 'LinkChainList'
        $r.Paths | Should -BeExactly $script:ExpectedPaths
    }
}
