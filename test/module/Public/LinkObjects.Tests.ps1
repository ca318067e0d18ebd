# The PowerShell side of the records (issue 7 item 4): PascalCase names mapped in one place,
# hard links with TargetExists $true, Find-Link -Broken, readable Chain in views and CSV - against
# the real engine, on a tree with hard links, a loop and broken links.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine
    $root = Join-Path $TestDrive 'objects'
    New-Item -ItemType Directory -Path (Join-Path $root 'sub') -Force | Out-Null
    Set-Content -LiteralPath (Join-Path $root 'file.txt') -Value 'data'
    Push-Location -LiteralPath $root
    try {
        $null = @(
            New-Link -Path 'hard' -Target 'file.txt' -ItemType HardLink
            New-Link -Path 'one' -Target 'file.txt' -ItemType SymbolicLink
            New-Link -Path 'two' -Target 'one' -ItemType SymbolicLink
            New-Link -Path 'sub/broken' -Target 'missing' -ItemType SymbolicLink -TargetType File
            New-Link -Path 'loop1' -Target 'loop2' -ItemType SymbolicLink -TargetType File
            New-Link -Path 'loop2' -Target 'loop1' -ItemType SymbolicLink -TargetType File
        )
    } finally { Pop-Location }
}

Describe 'LinkTools objects' {
    It 'have PascalCase property names, exactly (Get-LinkInfo)' {
        $info = Get-LinkInfo -LiteralPath (Join-Path $root 'two')
        $names = @($info.PSObject.Properties | Where-Object MemberType -eq 'NoteProperty' | ForEach-Object Name)
        foreach ($n in 'Path', 'Kind', 'Target', 'ResolvedTarget', 'FinalTarget', 'TargetExists', 'LinkCount', 'Chain', 'FileId', 'RecordType', 'SchemaVersion', 'Backend') {
            $names -ccontains $n | Should -BeTrue -Because "$n is a property"
        }
        @($names | Where-Object { $_ -cmatch '^[a-z]' }) | Should -BeNullOrEmpty
        $info.PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkInfo'
    }

    It 'shows the chain as a -> b -> c, keeps its hops reachable, and exports readably to CSV' {
        $info = Get-LinkInfo -LiteralPath (Join-Path $root 'two')
        $expected = '{0} -> {1} -> {2}' -f (Join-Path $root 'two'), (Join-Path $root 'one'), (Join-Path $root 'file.txt')
        $info.Chain.ToString() | Should -Be $expected
        $info.Chain[0].Target | Should -Be 'one'
        $info.Chain.Count | Should -Be 2
        ($info | Format-List | Out-String -Width 300) | Should -Match ([regex]::Escape("Chain          : $expected"))
        $csv = $info | ConvertTo-Csv -NoTypeInformation
        ($csv -join "`n") | Should -Not -Match 'System\.Object\[\]|@\{'
        ($csv | ConvertFrom-Csv).Chain | Should -Be $expected
    }

    It 'gives hard links TargetExists $true and lists their other names readably' {
        $hard = Get-LinkInfo -LiteralPath (Join-Path $root 'hard')
        $hard.Kind | Should -Be 'hardlink'
        $hard.TargetExists | Should -BeTrue
    }

    It 'converts a camelCase record (plain ConvertFrom-Json) exactly as the batch path does' {
        $module = Get-Module LinkTools
        $line = '{"recordType":"linkInfo","schemaVersion":"1.0","path":"/r/a","kind":"hardlink","target":null,"targetExists":null,"linkCount":2,"chain":[],"hardLinkNames":["/r/b"],"reparse":null,"backend":"posix","requestId":7}'
        $fromObject = & $module { param($l) ConvertTo-LinkObject -Record (ConvertFrom-Json -InputObject $l) } $line
        $fromText = & $module { param($l) $r = ConvertFrom-LinkRecordJson -Json $l; $r.PSObject.Properties.Remove('requestId'); ConvertTo-LinkObject -Record $r } $line
        foreach ($o in $fromObject, $fromText) {
            $o.PSObject.TypeNames[0] | Should -Be 'LinkTools.LinkInfo'
            (@($o.PSObject.Properties | Where-Object MemberType -eq 'NoteProperty' | ForEach-Object Name) -join ',') |
                Should -BeExactly 'RecordType,SchemaVersion,Path,Kind,Target,TargetExists,LinkCount,Chain,HardLinkNames,Reparse,Backend'
            $o.TargetExists | Should -BeTrue
            $o.HardLinkNames.ToString() | Should -Be '/r/b'
        }
    }

    It 'never rewrites a value that looks like a key' {
        $module = Get-Module LinkTools
        $line = '{"recordType":"linkInfo","path":"/r/\"path\":x,\"kind\":","kind":"symlink","target":"a,\"target\":b"}'
        $o = & $module { param($l) ConvertTo-LinkObject -Record (ConvertFrom-LinkRecordJson -Json $l) } $line
        $o.Path | Should -BeExactly '/r/"path":x,"kind":'
        $o.Target | Should -BeExactly 'a,"target":b'
    }
}

Describe 'Find-Link -Broken and TargetExists (real engine)' {
    It '-Broken returns exactly the symbolic links whose target does not resolve, never hard links' {
        $broken = @(Find-Link -LiteralPath $root -Recurse -Broken)
        (@($broken | ForEach-Object Name | Sort-Object) -join ',') | Should -Be 'broken,loop1,loop2'
        $broken | ForEach-Object { $_.TargetExists | Should -BeFalse }
    }

    It 'the documented recipe Where-Object { -not $_.TargetExists } keeps hard links out' {
        $all = @(Find-Link -LiteralPath $root -Recurse)
        @($all | Where-Object Kind -eq 'hardlink').Count | Should -Be 2
        (@($all | Where-Object { -not $_.TargetExists } | ForEach-Object Name | Sort-Object) -join ',') | Should -Be 'broken,loop1,loop2'
        $all | Where-Object Kind -eq 'hardlink' | ForEach-Object { $_.TargetExists | Should -BeTrue }
    }

    It 'lists a hard link''s other names readably' {
        $hard = @(Find-Link -LiteralPath $root -ItemType HardLink) | Where-Object Name -eq 'hard'
        $hard.TargetExists | Should -BeTrue
        $hard.HardLinkNames.ToString() | Should -Be (Join-Path $root 'file.txt')
        ($hard | ConvertTo-Csv -NoTypeInformation) -join "`n" | Should -Not -Match 'System\.Object\[\]'
    }

    It '-Broken -ItemType HardLink finds nothing' {
        @(Find-Link -LiteralPath $root -Recurse -Broken -ItemType HardLink) | Should -BeNullOrEmpty
    }

    It 'writes a scan summary whose counts and roots read as text' {
        Find-Link -LiteralPath $root -Recurse -InformationVariable info | Out-Null
        $s = ($info | Where-Object { $_.Tags -contains 'LinkTools.ScanSummary' }).MessageData
        $s.Roots.ToString() | Should -Be $root
        $s.ByKind.ToString() | Should -Match 'symlink=5'
        ($s | Format-List | Out-String) | Should -Not -Match 'RecordType|SchemaVersion'
    }
}
