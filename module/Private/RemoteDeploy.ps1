# Fleet commands, the engine on each host: probe what the host has, make its private work folder,
# deploy the engine into it when asked (-Deploy), clean up. Everything goes through PowerShell
# remoting (Invoke-Command, Copy-Item -ToSession); the script blocks that run on the target parse and
# run on Windows PowerShell 5.1 as well as PowerShell 7.
#
# Engine choice per host: a LinkTools module installed on the target (Get-Module -ListAvailable) whose
# engine (bin/<os>-<arch>/linktools or dist/bin/...) answers `doctor` with the same major contract
# version (schemaVersion "1.x") as the local engine; otherwise, with -Deploy, the local engine
# for the target's platform, copied (gzip-compressed, to spare the wire) into the work folder and
# checked by SHA-256 after unpacking; otherwise LT_REMOTE_ENGINE_MISSING or LT_REMOTE_VERSION_MISMATCH.

# What a host is and has. Output: one object (HostName as the host reports it, platform tag, temp
# folder, installed engines with their doctor facts).
$script:LinkRemoteProbe = {
    $os = 'win'
    if ($PSVersionTable.PSEdition -eq 'Core') {
        if ($IsLinux) { $os = 'linux' } elseif ($IsMacOS) { $os = 'osx' }
    }
    $arch = $null
    $rt = 'System.Runtime.InteropServices.RuntimeInformation' -as [type]
    if ($rt) { try { $arch = [string]$rt::OSArchitecture } catch { $arch = $null } }
    if (-not $arch) { $arch = $env:PROCESSOR_ARCHITECTURE }
    switch -Regex ([string]$arch) {
        '^(X64|AMD64)$' { $arch = 'x64'; break }
        '^ARM64$' { $arch = 'arm64'; break }
        default { $arch = ([string]$arch).ToLowerInvariant() }
    }
    if ($os -eq 'win' -and $arch -eq 'arm64') { $arch = 'x64' }
    $tag = '{0}-{1}' -f $os, $arch
    $exe = 'linktools'
    if ($os -eq 'win') { $exe = 'linktools.exe' }
    $installed = @()
    foreach ($m in @(Get-Module -ListAvailable -Name LinkTools | Sort-Object -Property Version -Descending)) {
        foreach ($sub in 'bin', 'dist/bin') {
            $candidate = [System.IO.Path]::Combine($m.ModuleBase, $sub, $tag, $exe)
            if (-not (Test-Path -LiteralPath $candidate -PathType Leaf)) { continue }
            $doctor = $null
            $problem = $null
            try {
                $line = & $candidate doctor 2>$null | Select-Object -First 1
                $doctor = ConvertFrom-Json -InputObject ([string]$line)
            } catch { $problem = $_.Exception.Message }
            $schema = $null; $version = $null
            if ($doctor) { $schema = [string]$doctor.schemaVersion; $version = [string]$doctor.engineVersion }
            elseif (-not $problem) { $problem = 'its engine did not answer doctor' }
            $installed += New-Object PSObject -Property @{
                ModulePath = $m.Path; ModuleVersion = [string]$m.Version; Engine = $candidate
                SchemaVersion = $schema; EngineVersion = $version; Problem = $problem
            }
            break
        }
    }
    New-Object PSObject -Property @{
        HostName = [System.Net.Dns]::GetHostName(); Tag = $tag; IsWindows = ($os -eq 'win'); Exe = $exe
        TempPath = [System.IO.Path]::GetTempPath(); Installed = $installed; PSVersion = [string]$PSVersionTable.PSVersion
    }
}

# A new private folder under the host's temp folder: mode 0700 (mkdir -m, atomic: fails if the name
# exists) on Unix, an ACL with the current user only (inheritance cut) on Windows. Output: its path.
$script:LinkRemoteNewWorkDir = {
    param([bool] $IsWindowsHost)
    $dir = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ('linktools-fleet-' + [guid]::NewGuid().ToString('N'))
    if ($IsWindowsHost) {
        $null = New-Item -ItemType Directory -Path $dir -ErrorAction Stop
        $acl = New-Object System.Security.AccessControl.DirectorySecurity
        $acl.SetAccessRuleProtection($true, $false)
        $me = [System.Security.Principal.WindowsIdentity]::GetCurrent().User
        $rule = New-Object System.Security.AccessControl.FileSystemAccessRule -ArgumentList $me, 'FullControl', 'ContainerInherit,ObjectInherit', 'None', 'Allow'
        $acl.AddAccessRule($rule)
        Set-Acl -LiteralPath $dir -AclObject $acl -ErrorAction Stop
    } else {
        & /bin/mkdir -m 0700 -- $dir
        if ($LASTEXITCODE -ne 0) { throw "mkdir -m 0700 $dir failed (exit code $LASTEXITCODE)" }
        $item = Get-Item -LiteralPath $dir -Force
        if ($item.LinkType) { throw "$dir is a link, not the folder just made" }
    }
    $dir
}

# Unpacks a copied .gz next to itself, removes the .gz, returns the SHA-256 of the result.
$script:LinkRemoteUnpack = {
    param([string] $GzPath, [string] $Path, [bool] $Executable)
    $in = [System.IO.File]::OpenRead($GzPath)
    try {
        $gz = New-Object System.IO.Compression.GZipStream -ArgumentList $in, ([System.IO.Compression.CompressionMode]::Decompress)
        $out = [System.IO.File]::Open($Path, [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write)
        try { $gz.CopyTo($out) } finally { $out.Dispose(); $gz.Dispose() }
    } finally { $in.Dispose() }
    Remove-Item -LiteralPath $GzPath -Force
    if ($Executable -and -not ($PSVersionTable.PSEdition -ne 'Core' -or $IsWindows)) {
        & /bin/chmod 0700 -- $Path
        if ($LASTEXITCODE -ne 0) { throw "chmod 0700 $Path failed" }
    }
    (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash
}

# Removes a work folder (retrying briefly: an engine that was just stopped may still hold its file).
$script:LinkRemoteRemoveWorkDir = {
    param([string] $Dir)
    if (-not $Dir -or -not (Test-Path -LiteralPath $Dir)) { return }
    for ($i = 0; $i -lt 20; $i++) {
        try { Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction Stop; return } catch { Start-Sleep -Milliseconds 250 }
    }
    Remove-Item -LiteralPath $Dir -Recurse -Force
}

function Get-LinkContractMajor {
    # "1.3" -> 1; $null for anything else.
    param([string] $SchemaVersion)
    if ($SchemaVersion -match '^(\d+)\.\d+$') { return [int]$Matches[1] }
    $null
}

function Get-LinkLocalEngineFact {
    # doctor of the local engine (contract version to compare with), once per command.
    param([Parameter(Mandatory)][string] $EnginePath)
    $line = & $EnginePath doctor 2>$null | Select-Object -First 1
    try { ConvertFrom-Json -InputObject ([string]$line) } catch { $null }
}

function Get-LinkDeployPackage {
    <#
    The local engine files for a platform tag (the executable and its native folder), each with its
    SHA-256 and a gzip copy in the command's private local folder (made once per tag per command).
    $null when this module has no engine for that platform.
    #>
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)][string] $Tag)
    if ($Context.Packages.ContainsKey($Tag)) { return $Context.Packages[$Tag] }
    $exe = 'linktools'
    if ($Tag -like 'win-*') { $exe = 'linktools.exe' }
    $dirs = New-Object System.Collections.Generic.List[string]
    $localBin = Split-Path -Parent $Context.EnginePath
    $dirs.Add([System.IO.Path]::Combine((Split-Path -Parent $localBin), $Tag))
    $moduleRoot = Split-Path -Parent $PSScriptRoot
    foreach ($sub in 'bin', 'dist/bin') { $dirs.Add([System.IO.Path]::Combine($moduleRoot, $sub, $Tag)) }
    $source = $null
    foreach ($d in $dirs) { if (Test-Path -LiteralPath (Join-Path $d $exe) -PathType Leaf) { $source = $d; break } }
    if (-not $source) { $Context.Packages[$Tag] = $null; return $null }
    if (-not $Context.LocalWorkDir) { $Context.LocalWorkDir = & $script:LinkRemoteNewWorkDir -IsWindowsHost (-not ($PSVersionTable.PSEdition -eq 'Core' -and -not $IsWindows)) }
    $files = New-Object System.Collections.Generic.List[object]
    $entries = @(Get-Item -LiteralPath (Join-Path $source $exe))
    foreach ($nd in @(Get-ChildItem -LiteralPath $source -Directory -Filter 'linktools-native-*' -ErrorAction SilentlyContinue)) {
        $entries += @(Get-ChildItem -LiteralPath $nd.FullName -File | ForEach-Object { $_ })
    }
    $n = 0
    foreach ($f in $entries) {
        $rel = $f.Name
        if ($f.DirectoryName -ne $source) { $rel = (Split-Path -Leaf $f.DirectoryName) + '/' + $f.Name }
        $gzPath = Join-Path $Context.LocalWorkDir ('{0}-{1}.gz' -f $Tag, $n)
        $n++
        $in = [System.IO.File]::OpenRead($f.FullName)
        try {
            $out = [System.IO.File]::Open($gzPath, [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write)
            try {
                $gz = New-Object System.IO.Compression.GZipStream -ArgumentList $out, ([System.IO.Compression.CompressionLevel]::Fastest)
                try { $in.CopyTo($gz) } finally { $gz.Dispose() }
            } finally { $out.Dispose() }
        } finally { $in.Dispose() }
        $files.Add((New-Object PSObject -Property @{
                    Relative = $rel; GzPath = $gzPath; Executable = ($rel -eq $exe)
                    Sha256 = (Get-FileHash -LiteralPath $f.FullName -Algorithm SHA256).Hash
                }))
    }
    $package = New-Object PSObject -Property @{ Tag = $Tag; Exe = $exe; Source = $source; Files = $files.ToArray() }
    $Context.Packages[$Tag] = $package
    $package
}

function Install-LinkRemoteEngine {
    <#
    Copies the engine for the host's platform into its work folder through the session and checks
    every file's SHA-256 there. Returns the remote engine path; throws (message for the host's
    ErrorRecord) when it cannot.
    #>
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)] $HostState)
    $package = Get-LinkDeployPackage -Context $Context -Tag $HostState.Probe.Tag
    if (-not $package) {
        throw (New-Object System.NotSupportedException -ArgumentList ("This LinkTools has no engine for {0} ({1}) to deploy." -f $HostState.Probe.Tag, $HostState.Name))
    }
    $sep = '/'
    if ($HostState.Probe.IsWindows) { $sep = '\' }
    foreach ($f in $package.Files) {
        $rel = $f.Relative.Replace('/', $sep)
        $target = $HostState.WorkDir + $sep + $rel
        $parent = Split-Path -Parent $f.Relative
        if ($parent) {
            Invoke-Command -Session $HostState.Session -ErrorAction Stop -ScriptBlock {
                param($p, $IsWindowsHost)
                if ($IsWindowsHost) { $null = New-Item -ItemType Directory -Path $p -Force }
                else { & /bin/mkdir -p -m 0700 -- $p; if ($LASTEXITCODE) { throw "mkdir $p failed" } }
            } -ArgumentList ($HostState.WorkDir + $sep + $parent), $HostState.Probe.IsWindows
        }
        Write-Verbose ('LinkTools: deploying {0} to {1}:{2}' -f $f.Relative, $HostState.Name, $target)
        Copy-Item -LiteralPath $f.GzPath -Destination ($target + '.gz') -ToSession $HostState.Session -ErrorAction Stop
        $hash = Invoke-Command -Session $HostState.Session -ErrorAction Stop -ScriptBlock $script:LinkRemoteUnpack `
            -ArgumentList @(($target + '.gz'), $target, ([bool]$f.Executable))
        if ([string]$hash -ne $f.Sha256) {
            throw ("SHA-256 of the deployed {0} is {1}, expected {2}." -f $f.Relative, $hash, $f.Sha256)
        }
    }
    $HostState.WorkDir + $sep + $package.Exe
}

function Resolve-LinkRemoteEngine {
    <#
    Picks the engine for one host (see the top of this file). Returns $null and records the host's
    failure (ErrorId + message) when there is none it may use.
    #>
    param([Parameter(Mandatory)] $Context, [Parameter(Mandatory)] $HostState)
    $wanted = $Context.ContractMajor
    $seen = New-Object System.Collections.Generic.List[string]
    foreach ($i in @($HostState.Probe.Installed)) {
        if ($null -eq $i) { continue }
        $major = Get-LinkContractMajor -SchemaVersion $i.SchemaVersion
        if ($null -ne $major -and $major -eq $wanted) {
            $HostState.EngineSource = 'installed'
            return $i.Engine
        }
        $what = 'LinkTools {0} at {1}' -f $i.ModuleVersion, $i.ModulePath
        if ($i.SchemaVersion) { $what += ' (contract {0}, engine {1})' -f $i.SchemaVersion, $i.EngineVersion }
        elseif ($i.Problem) { $what += ' (' + $i.Problem + ')' }
        $seen.Add($what)
    }
    if ($Context.Deploy) {
        try {
            $engine = Install-LinkRemoteEngine -Context $Context -HostState $HostState
            $HostState.EngineSource = 'deployed'
            return $engine
        } catch {
            $id = 'LT_REMOTE_DEPLOY_FAILED'
            if ($_.Exception -is [System.NotSupportedException]) { $id = 'LT_REMOTE_PLATFORM_UNSUPPORTED' }
            Set-LinkRemoteFailure -HostState $HostState -ErrorId $id -Message ('{0}: {1}' -f $HostState.Name, $_.Exception.Message) -Exception $_.Exception
            return $null
        }
    }
    if ($seen.Count) {
        Set-LinkRemoteFailure -HostState $HostState -ErrorId 'LT_REMOTE_VERSION_MISMATCH' -Message (
            '{0}: the LinkTools installed there does not speak contract {1}.x (this module''s engine): {2}. Update it there, or use -Deploy.' -f $HostState.Name, $wanted, ($seen -join '; '))
    } else {
        Set-LinkRemoteFailure -HostState $HostState -ErrorId 'LT_REMOTE_ENGINE_MISSING' -Message (
            '{0}: LinkTools is not installed there (no LinkTools module with an engine for {1} in its PSModulePath). Install it there, or use -Deploy to copy the engine for this run.' -f $HostState.Name, $HostState.Probe.Tag)
    }
    $null
}
