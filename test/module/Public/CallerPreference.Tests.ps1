# Caller preferences (issue 7 item 2): every LinkTools cmdlet honours -WhatIf/-Confirm,
# $WhatIfPreference, $ConfirmPreference, $ErrorActionPreference, $VerbosePreference,
# $ProgressPreference and $InformationPreference as set by the function or script that calls it - set
# ONLY there, never globally - against the real engine, with the outcome checked on the filesystem.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    if ($OnWindows) { Write-Host 'SKIP the --progress argument check: it wraps the engine in a /bin/sh script (POSIX only)' -ForegroundColor Yellow }
    $callers = @('function', 'script')
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../TestHelpers.ps1')
    Import-Module $ManifestPath -Force
    Use-LinkTestEngine

    function New-PrefTree {
        # file.txt, good -> file.txt, broken -> missing, dir/
        $r = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        New-Item -ItemType Directory -Path (Join-Path $r 'dir') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $r 'file.txt') -Value 'data'
        New-Link -Path (Join-Path $r 'good') -Target 'file.txt' -ItemType SymbolicLink -WhatIf:$false | Out-Null
        New-Link -Path (Join-Path $r 'broken') -Target 'missing' -ItemType SymbolicLink -TargetType File -WhatIf:$false | Out-Null
        $r
    }

    function Invoke-AsCaller {
        <#
        Runs $Body as the body of a caller: 'function' = an advanced function (SupportsShouldProcess)
        defined and called here, 'script' = a .ps1 file run with &. $Prelude (preference assignments)
        runs first inside the caller only. $CallerArgs go to the function (e.g. -WhatIf). Returns the
        caller's output. $Root is available inside as $Root.
        #>
        param([string] $Caller, [string] $Prelude, [string] $Body, [string] $Root, [hashtable] $CallerArgs = @{})
        $text = "[CmdletBinding(SupportsShouldProcess)] param([string] `$Root)`n$Prelude`n$Body"
        if ($Caller -eq 'script') {
            $file = Join-Path $TestDrive ("caller-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
            Set-Content -LiteralPath $file -Value $text
            & $file -Root $Root @CallerArgs
        } else {
            $sb = [scriptblock]::Create($text)
            Set-Item -Path function:Test-LinkCaller -Value $sb
            Test-LinkCaller -Root $Root @CallerArgs
        }
    }
}

Describe 'Caller preferences from a <_> (real engine)' -ForEach $callers {
    BeforeAll { $caller = $_ }
    BeforeEach {
        $root = New-PrefTree
        # The module must not see any of these globally: they are set only in the caller.
        $savedEAP = $global:ErrorActionPreference
        $global:ErrorActionPreference = 'Continue'
    }
    AfterEach { $global:ErrorActionPreference = $savedEAP; Use-LinkTestEngine }

    Context '-WhatIf given to the caller' {
        It 'New-Link creates nothing' {
            Invoke-AsCaller -Caller $caller -Root $root -CallerArgs @{ WhatIf = $true } -Body 'New-Link -Path (Join-Path $Root new) -Target file.txt -ItemType SymbolicLink' 6>&1 | Out-Null
            Test-Path -LiteralPath (Join-Path $root 'new') | Should -BeFalse
        }
        It 'Remove-Link removes nothing' {
            Invoke-AsCaller -Caller $caller -Root $root -CallerArgs @{ WhatIf = $true } -Body 'Remove-Link -Path (Join-Path $Root good)' 6>&1 | Out-Null
            Test-Path -LiteralPath (Join-Path $root 'good') | Should -BeTrue
        }
        It 'Invoke-LinkAudit audits but writes no report or baseline' {
            $out = @(Invoke-AsCaller -Caller $caller -Root $root -CallerArgs @{ WhatIf = $true } `
                    -Body 'Invoke-LinkAudit -Path $Root -ReportPath (Join-Path $Root r.json) -SaveBaseline (Join-Path $Root b.json)' 6>&1 |
                    Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] })
            ($out | Where-Object Rule -eq 'broken-target').Path | Should -Be (Join-Path $root 'broken')
            Test-Path -LiteralPath (Join-Path $root 'r.json') | Should -BeFalse
            Test-Path -LiteralPath (Join-Path $root 'b.json') | Should -BeFalse
        }
        It 'Get-LinkInfo, Test-Link and Find-Link still answer (they change nothing)' {
            $out = @(Invoke-AsCaller -Caller $caller -Root $root -CallerArgs @{ WhatIf = $true } `
                    -Body '(Get-LinkInfo -Path (Join-Path $Root good)).Kind; Test-Link -Path (Join-Path $Root good); @(Find-Link -Path $Root).Count')
            $out -join ',' | Should -Be 'symlink,True,2'
        }
    }

    Context '$WhatIfPreference set in the caller' {
        It 'New-Link and Remove-Link change nothing' {
            Invoke-AsCaller -Caller $caller -Root $root -Prelude '$WhatIfPreference = $true' `
                -Body 'New-Link -Path (Join-Path $Root new) -Target file.txt -ItemType SymbolicLink; Remove-Link -Path (Join-Path $Root good)' 6>&1 | Out-Null
            Test-Path -LiteralPath (Join-Path $root 'new') | Should -BeFalse
            Test-Path -LiteralPath (Join-Path $root 'good') | Should -BeTrue
        }
        It 'an explicit -WhatIf:$false on the cmdlet wins' {
            Invoke-AsCaller -Caller $caller -Root $root -Prelude '$WhatIfPreference = $true' `
                -Body 'New-Link -Path (Join-Path $Root new) -Target file.txt -ItemType SymbolicLink -WhatIf:$false | Out-Null' 6>&1 | Out-Null
            (Get-Item -LiteralPath (Join-Path $root 'new')).LinkType | Should -Be 'SymbolicLink'
        }
    }

    Context '$ConfirmPreference set in the caller' {
        It '<Cmdlet> asks (and, with no user to answer, does nothing)' -ForEach @(
            @{ Cmdlet = 'New-Link'; Body = 'New-Link -Path (Join-Path $Root new) -Target file.txt -ItemType SymbolicLink'; Check = 'new'; Exists = $false }
            @{ Cmdlet = 'Remove-Link'; Body = 'Remove-Link -Path (Join-Path $Root good)'; Check = 'good'; Exists = $true }
        ) {
            # A runspace without a UI cannot answer a prompt: the prompt fails, so nothing happens.
            # Without the caller's $ConfirmPreference = 'Medium' there would be no prompt at all.
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($manifest, $engine, $root, $body, $caller, $dir)
                        $env:LINKTOOLS_ENGINE = $engine
                        Import-Module $manifest
                        $text = "[CmdletBinding()] param([string] `$Root)`n`$ConfirmPreference = 'Medium'`n$body"
                        if ($caller -eq 'script') {
                            $file = Join-Path $dir ("confirm-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
                            Set-Content -LiteralPath $file -Value $text
                            try { & $file -Root $root } catch { 'prompt failed' }
                        } else {
                            Set-Item -Path function:Test-LinkCaller -Value ([scriptblock]::Create($text))
                            try { Test-LinkCaller -Root $root } catch { 'prompt failed' }
                        }
                    }).AddArgument($ManifestPath).AddArgument((Get-LinkTestEngine)).AddArgument($root).AddArgument($Body).AddArgument($caller).AddArgument([string]$TestDrive)
                $result = @($ps.Invoke())
                $errors = @($ps.Streams.Error)
            } finally { $ps.Dispose() }
            (@($result) -contains 'prompt failed' -or $errors.Count -gt 0) | Should -BeTrue -Because 'the cmdlet tried to prompt'
            Test-Path -LiteralPath (Join-Path $root $Check) | Should -Be $Exists
        }
    }

    Context '$ErrorActionPreference = Stop set in the caller' {
        It 'New-Link stops at the first failure: the next link is not created' {
            { Invoke-AsCaller -Caller $caller -Root $root -Prelude '$ErrorActionPreference = ''Stop''' `
                    -Body '@(@{ Path = (Join-Path $Root file.txt); Target = ''good''; ItemType = ''SymbolicLink'' }, @{ Path = (Join-Path $Root second); Target = ''file.txt''; ItemType = ''SymbolicLink'' }) | ForEach-Object { [pscustomobject]$_ } | New-Link | Out-Null' } |
                Should -Throw -ErrorId 'LT_EXISTS,New-Link'
            Test-Path -LiteralPath (Join-Path $root 'second') | Should -BeFalse
            Get-Content -LiteralPath (Join-Path $root 'file.txt') | Should -Be 'data'
        }
        It 'Remove-Link stops at the first failure: the next link stays' {
            { Invoke-AsCaller -Caller $caller -Root $root -Prelude '$ErrorActionPreference = ''Stop''' `
                    -Body '(Join-Path $Root file.txt), (Join-Path $Root good) | Remove-Link' } |
                Should -Throw -ErrorId 'LT_NOT_A_LINK,Remove-Link'
            Test-Path -LiteralPath (Join-Path $root 'file.txt') | Should -BeTrue
            Test-Path -LiteralPath (Join-Path $root 'good') | Should -BeTrue
        }
        It '<Cmdlet> throws instead of going on' -ForEach @(
            @{ Cmdlet = 'Get-LinkInfo'; Body = 'Get-LinkInfo -Path (Join-Path $Root nope); ''went on'''; Id = 'LT_NOT_FOUND,Get-LinkInfo' }
            @{ Cmdlet = 'Test-Link'; Body = 'Test-Link -Path (Join-Path $Root nope-dir/x*); ''went on'''; Id = 'LT_NOT_FOUND,Test-Link' }
            @{ Cmdlet = 'Find-Link'; Body = 'Find-Link -Path (Join-Path $Root nope); ''went on'''; Id = 'LT_NOT_FOUND,Find-Link' }
            @{ Cmdlet = 'Invoke-LinkAudit'; Body = 'Invoke-LinkAudit -Path (Join-Path $Root nope); ''went on'''; Id = 'LT_NOT_FOUND,Invoke-LinkAudit' }
        ) {
            $out = $null
            { $script:out = Invoke-AsCaller -Caller $caller -Root $root -Prelude '$ErrorActionPreference = ''Stop''' -Body $Body } |
                Should -Throw -ErrorId $Id
            $script:out | Should -Not -Contain 'went on'
        }
        It 'an explicit -ErrorAction SilentlyContinue on the cmdlet wins' {
            $out = Invoke-AsCaller -Caller $caller -Root $root -Prelude '$ErrorActionPreference = ''Stop''' `
                -Body 'Remove-Link -Path (Join-Path $Root file.txt) -ErrorAction SilentlyContinue; ''went on'''
            $out | Should -Be 'went on'
        }
    }

    Context '$VerbosePreference = Continue set in the caller' {
        # New-Link, Get-LinkInfo, Test-Link and Remove-Link write no verbose messages of their own;
        # ShouldProcess's 'Performing the operation' line needs -Verbose on the command itself, for
        # compiled cmdlets (Remove-Item) as for these.
        It '<Cmdlet> writes its verbose messages' -ForEach @(
            @{ Cmdlet = 'Find-Link'; Body = 'Find-Link -Path $Root | Out-Null'; Match = 'Scanned \d+ entries' }
            @{ Cmdlet = 'Invoke-LinkAudit'; Body = 'Invoke-LinkAudit -Path $Root | Out-Null'; Match = 'Audited \d+ entries' }
        ) {
            $verbose = @(Invoke-AsCaller -Caller $caller -Root $root -Prelude '$VerbosePreference = ''Continue''' -Body $Body 4>&1 |
                    Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            ($verbose -join "`n") | Should -Match $Match
            $quiet = @(Invoke-AsCaller -Caller $caller -Root (New-PrefTree) -Prelude '$VerbosePreference = ''SilentlyContinue''' -Body $Body 4>&1 |
                    Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
            $quiet | Should -BeNullOrEmpty
        }
    }

    Context '$InformationPreference set in the caller' {
        It '<Cmdlet> writes its summary to the information stream only when the caller asks' -ForEach @(
            @{ Cmdlet = 'Find-Link'; Body = 'Find-Link -Path $Root | Out-Null'; Tag = 'LinkTools.ScanSummary' }
            @{ Cmdlet = 'Invoke-LinkAudit'; Body = 'Invoke-LinkAudit -Path $Root | Out-Null'; Tag = 'LinkTools.AuditSummary' }
        ) {
            $shown = @(Invoke-AsCaller -Caller $caller -Root $root -Prelude '$InformationPreference = ''Continue''' -Body $Body 6>&1 |
                    Where-Object { $_ -is [System.Management.Automation.InformationRecord] -and $_.Tags -contains $Tag })
            $shown.Count | Should -Be 1
            $shown[0].MessageData.Links | Should -Be 2
            $hidden = @(Invoke-AsCaller -Caller $caller -Root $root -Prelude '$InformationPreference = ''Ignore''' -Body $Body 6>&1 |
                    Where-Object { $_ -is [System.Management.Automation.InformationRecord] })
            $hidden | Should -BeNullOrEmpty
        }
    }

    Context '$ProgressPreference set in the caller' -Skip:$OnWindows {
        It '<Cmdlet> asks the engine for progress only when the caller shows it' -ForEach @(
            @{ Cmdlet = 'Find-Link'; Body = 'Find-Link -Path $Root | Out-Null' }
            @{ Cmdlet = 'Invoke-LinkAudit'; Body = 'Invoke-LinkAudit -Path $Root | Out-Null' }
        ) {
            # A wrapper that logs the engine's arguments, then runs the real engine.
            $log = Join-Path $TestDrive ("args-{0}.txt" -f [guid]::NewGuid().ToString('n'))
            $wrapper = Join-Path $TestDrive ("engine-{0}" -f [guid]::NewGuid().ToString('n'))
            [System.IO.File]::WriteAllText($wrapper, "#!/bin/sh`necho `"`$*`" >> '$log'`nexec '$(Get-LinkTestEngine)' `"`$@`"`n")
            & chmod +x $wrapper
            $env:LINKTOOLS_ENGINE = $wrapper
            $global:ProgressPreference = 'Continue'
            Invoke-AsCaller -Caller $caller -Root $root -Prelude '$ProgressPreference = ''SilentlyContinue''' -Body $Body | Out-Null
            (Get-Content -LiteralPath $log) -join "`n" | Should -Not -Match '--progress'
            Remove-Item -LiteralPath $log
            $global:ProgressPreference = 'SilentlyContinue'
            Invoke-AsCaller -Caller $caller -Root $root -Prelude '$ProgressPreference = ''Continue''' -Body $Body | Out-Null
            (Get-Content -LiteralPath $log) -join "`n" | Should -Match '--progress'
            $global:ProgressPreference = 'Continue'
        }
    }
}
