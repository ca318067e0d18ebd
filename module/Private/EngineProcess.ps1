# The engine process: find it, start it, keep one per runspace, read its pipes, stop it.
#
# Two kinds of engine process:
# - the SERVE engine (`linktools serve`): one per runspace, started on the first per-item command
#   (Get-LinkInfo, Test-Link, New-Link, Remove-Link) and reused by every later one, across command
#   lines (Get-LinkServeSession). It is restarted when it has died or when the LINKTOOLS_* environment
#   it was started with has changed, and ended when the module is removed or the runspace closes. The
#   module's script scope is per runspace, so it is never shared across runspaces or users.
# - a STREAMING engine (scan, audit): one process per command, read record by record until end of
#   output (Start-LinkEngine ... Complete-LinkEngine).
#
# stdout and stderr are read with ReadLineAsync and a short Task.WaitAny poll, never a blocking
# ReadLine: progress records on stderr are shown while stdout is quiet, neither pipe can fill up and
# stall the engine, and Ctrl+C is honoured between polls (PowerShell stops a pipeline only between
# statements). A pending ReadLineAsync task lives in the session, so a stopped command loses no line.
# Everything here parses and runs on Windows PowerShell 5.1.

# Streaming sessions still open in this runspace (see Remove-StaleLinkEngine) and the serve session.
$script:LinkEngineSessions = New-Object System.Collections.ArrayList
$script:LinkServeSession = $null
# How many engine processes this module instance has started (diagnostics and the benchmark).
$script:LinkEngineStarts = 0
# Engine files already checked for the executable bit (Assert-LinkEngineExecutable).
$script:LinkEngineChecked = @{}

function Get-LinkPlatformTag {
    # '<os>-<arch>' as the bin folders name it: os = win|linux|osx, arch = x64|arm64. Windows on ARM
    # gets win-x64: there is no win-arm64 engine, and Windows runs x64 programs on ARM64 itself.
    # -OS and -Architecture (an OSArchitecture name) stand in for this machine's, for tests.
    param([string] $OS, [string] $Architecture)
    $os = $OS
    if (-not $os) {
        $os = 'win'
        if ($PSVersionTable.PSEdition -eq 'Core') {
            if ($IsLinux) { $os = 'linux' } elseif ($IsMacOS) { $os = 'osx' }
        }
    }
    $arch = $Architecture
    if (-not $arch) {
        $rtType = 'System.Runtime.InteropServices.RuntimeInformation' -as [type]
        if ($rtType) {
            try { $arch = [string]$rtType::OSArchitecture } catch { $arch = $null }
        }
    }
    if (-not $arch) { $arch = $env:PROCESSOR_ARCHITECTURE }
    switch -Regex ([string]$arch) {
        '^(X64|AMD64)$' { $arch = 'x64'; break }
        '^ARM64$' { $arch = 'arm64'; break }
        default { $arch = ([string]$arch).ToLowerInvariant() }
    }
    if ($os -eq 'win' -and $arch -eq 'arm64') { $arch = 'x64' }
    '{0}-{1}' -f $os, $arch
}

function Get-LinkEnginePath {
    <#
    Finds the engine: $env:LINKTOOLS_ENGINE when set, else <moduleRoot>/bin/<os>-<arch>/linktools (an
    installed module) or <moduleRoot>/dist/bin/<os>-<arch>/linktools (a checkout). moduleRoot is the
    folder of LinkTools.psd1; the folder of the .psm1 is tried too. Throws LT_ENGINE_NOT_FOUND; makes
    the file executable when a package dropped the bit (Assert-LinkEngineExecutable).
    #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet)

    if ($env:LINKTOOLS_ENGINE) {
        if (Test-Path -LiteralPath $env:LINKTOOLS_ENGINE -PathType Leaf) {
            Assert-LinkEngineExecutable -Cmdlet $Cmdlet -Path $env:LINKTOOLS_ENGINE
            return $env:LINKTOOLS_ENGINE
        }
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_NOT_FOUND' -TargetObject $env:LINKTOOLS_ENGINE `
                    -Message "The LinkTools engine named by `$env:LINKTOOLS_ENGINE does not exist: $($env:LINKTOOLS_ENGINE)"))
    }
    $tag = Get-LinkPlatformTag
    $exe = 'linktools'
    if ($tag -like 'win-*') { $exe = 'linktools.exe' }
    $roots = @((Split-Path -Parent $PSScriptRoot), (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)))
    $tried = New-Object System.Collections.Generic.List[string]
    foreach ($root in $roots) {
        foreach ($sub in 'bin', 'dist/bin') {
            $candidate = [System.IO.Path]::Combine($root, $sub, $tag, $exe)
            $tried.Add($candidate)
            if (Test-Path -LiteralPath $candidate -PathType Leaf) {
                Assert-LinkEngineExecutable -Cmdlet $Cmdlet -Path $candidate
                return $candidate
            }
        }
    }
    $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_NOT_FOUND' -TargetObject $tag `
                -Message ("The LinkTools engine for {0} was not found. Build it (npm run build), or set `$env:LINKTOOLS_ENGINE to its path. Looked in: {1}" -f $tag, ($tried -join '; '))))
}

function Get-LinkEngineFileMode {
    # The Unix permission bits of a file as [int] (.NET 7+ API), or $null where it is not available.
    param([Parameter(Mandatory)][string] $Path)
    $method = [System.IO.File].GetMethod('GetUnixFileMode', [type[]]@([string]))
    if (-not $method) { return $null }
    [int][System.IO.File]::GetUnixFileMode($Path)
}

function Set-LinkEngineFileMode {
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Marks the module's own engine executable runnable before its first start; the user's files are not touched.")]
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][int] $Mode)
    [System.IO.File]::SetUnixFileMode($Path, [System.IO.UnixFileMode]$Mode)
}

function Assert-LinkEngineExecutable {
    <#
    A package (a .nupkg, a zip) may drop the executable bit. When the engine file has no execute bit
    at all, adds them where it is readable (chmod u+x, and g+x/o+x where g+r/o+r): that works when the
    file belongs to the current user (or the user is root). Otherwise a terminating
    LT_ENGINE_NOT_EXECUTABLE that says what to run. Windows has no such bit. Checked once per file.
    #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [Parameter(Mandatory)][string] $Path)
    if ($script:LinkEngineChecked.ContainsKey($Path)) { return }
    if ($PSVersionTable.PSEdition -ne 'Core' -or $IsWindows) { $script:LinkEngineChecked[$Path] = $true; return }
    $mode = $null
    try { $mode = Get-LinkEngineFileMode -Path $Path } catch { $mode = $null }
    if ($null -eq $mode) { $script:LinkEngineChecked[$Path] = $true; return }   # cannot tell; starting will say
    if (($mode -band 0x49) -ne 0) { $script:LinkEngineChecked[$Path] = $true; return }   # some x bit (0o111)
    $wanted = $mode -bor 0x40                                  # u+x
    if ($mode -band 0x20) { $wanted = $wanted -bor 0x8 }       # g+x where g+r
    if ($mode -band 0x4) { $wanted = $wanted -bor 0x1 }        # o+x where o+r
    try {
        Set-LinkEngineFileMode -Path $Path -Mode $wanted
        Write-Verbose "LinkTools: made the engine executable (it had lost its executable bit): $Path"
    } catch {
        $quoted = "'" + $Path.Replace("'", "'\''") + "'"
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_NOT_EXECUTABLE' -TargetObject $Path -InnerException $_.Exception `
                    -Message ("The LinkTools engine is not executable (its package dropped the executable bit) and this user cannot change that: {0}. Run, as the file's owner or with sudo: chmod +x {1}" -f $Path, $quoted)))
    }
    $script:LinkEngineChecked[$Path] = $true
}

function ConvertTo-LinkCommandLine {
    # Quotes arguments for ProcessStartInfo.Arguments (the CommandLineToArgvW rules that .NET also
    # applies on Unix). ArgumentList would do this, but Windows PowerShell 5.1's .NET lacks it.
    param([AllowEmptyString()][string[]] $ArgumentList)
    $parts = foreach ($a in $ArgumentList) {
        if ($a.Length -gt 0 -and $a -notmatch '[\s"]') { $a; continue }
        $sb = New-Object System.Text.StringBuilder
        [void]$sb.Append('"')
        $slashes = 0
        foreach ($ch in $a.ToCharArray()) {
            if ($ch -eq '\') { $slashes++; continue }
            if ($ch -eq '"') { [void]$sb.Append([char]'\', 2 * $slashes + 1) }
            elseif ($slashes) { [void]$sb.Append([char]'\', $slashes) }
            $slashes = 0
            [void]$sb.Append($ch)
        }
        if ($slashes) { [void]$sb.Append([char]'\', 2 * $slashes) }
        [void]$sb.Append('"')
        $sb.ToString()
    }
    $parts -join ' '
}

function Remove-StaleLinkEngine {
    # Kills streaming sessions left behind by a pipeline that was stopped while another command held
    # the thread (so none of our code ran to close them). A session opened under an earlier history
    # line cannot still be in use: that command line has finished. The serve session is not one of them.
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Manages the module's own engine process, not the user's files: the public cmdlets call ShouldProcess before a request reaches it.")]
    param()
    $current = $MyInvocation.HistoryId
    foreach ($s in $script:LinkEngineSessions.ToArray()) {
        if ($s.HistoryId -lt $current) { [void](Stop-LinkEngine -Session $s -Kill) }
    }
}

function Start-LinkEngine {
    <#
    Starts the engine with the given arguments and returns a session. The process's working folder is
    -WorkingDirectory, else PowerShell's current file-system location, so anything a streaming command
    resolves matches what the user sees. -ProgressActivity turns progress records on stderr into
    Write-Progress.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Manages the module's own engine process, not the user's files: the public cmdlets call ShouldProcess before a request reaches it.")]
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][AllowEmptyString()][string[]] $ArgumentList,
        [string] $EnginePath,
        [string] $ProgressActivity,
        [string] $WorkingDirectory,
        [switch] $Persistent
    )
    Remove-StaleLinkEngine
    if (-not $EnginePath) { $EnginePath = Get-LinkEnginePath -Cmdlet $Cmdlet }

    $utf8 = New-Object System.Text.UTF8Encoding -ArgumentList $false
    $psi = New-Object System.Diagnostics.ProcessStartInfo
    $psi.FileName = $EnginePath
    $psi.Arguments = ConvertTo-LinkCommandLine -ArgumentList $ArgumentList
    $psi.UseShellExecute = $false
    $psi.CreateNoWindow = $true
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.StandardOutputEncoding = $utf8
    $psi.StandardErrorEncoding = $utf8
    $location = $WorkingDirectory
    if (-not $location) {
        try { $location = $Cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath } catch { $location = $null }
        if (-not $location) { $location = $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath }
    }
    if ($location -and (Test-Path -LiteralPath $location -PathType Container)) { $psi.WorkingDirectory = $location }

    $process = New-Object System.Diagnostics.Process
    $process.StartInfo = $psi
    try {
        [void]$process.Start()
    } catch {
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -TargetObject $EnginePath -InnerException $_.Exception `
                    -Message "The LinkTools engine could not be started ($EnginePath): $($_.Exception.Message)"))
    }
    $script:LinkEngineStarts++
    # Our own UTF-8 writer without BOM: 5.1 cannot set StandardInputEncoding. Not AutoFlush: requests
    # are flushed in groups (EngineSession.ps1); the buffer holds a whole window.
    $writer = New-Object System.IO.StreamWriter -ArgumentList $process.StandardInput.BaseStream, $utf8, 8192
    $writer.AutoFlush = $false
    $writer.NewLine = "`n"

    $session = [pscustomobject]@{
        Process          = $process
        Writer           = $writer
        EnginePath       = $EnginePath
        ArgumentList     = $ArgumentList
        OutTask          = $null
        ErrTask          = $null
        OutDone          = $false
        ErrDone          = $false
        StdErr           = New-Object System.Collections.Generic.List[string]
        ProgressActivity = $ProgressActivity
        ProgressShown    = $false
        HistoryId        = $MyInvocation.HistoryId
        ExitCode         = $null
        Closed           = $false
        Persistent       = [bool]$Persistent
        Fingerprint      = $null
        # Requests in flight, oldest first (EngineSession.ps1): one entry per request written.
        Pending          = New-Object 'System.Collections.Generic.Queue[object]'
        PendingBytes     = 0
        NextId           = 0
        # A side-effect command whose request may still sit unflushed in Writer (see EngineSession.ps1).
        DirtyLockstep    = $null
        Runspace         = $null
        RunspaceHook     = $null
    }
    if (-not $Persistent) { [void]$script:LinkEngineSessions.Add($session) }
    $session
}

function Get-LinkEngineFingerprint {
    # The LINKTOOLS_* environment a serve engine was started with (engine choice, ntfs-3g drive,
    # validation, ...): the engine reads it once, so a change means a new engine.
    # Runs once per command: no pipeline, no cmdlets, and no script loop over the whole environment
    # (-like filters the names in one operation; -like is case-insensitive, as Windows names are).
    $vars = [System.Environment]::GetEnvironmentVariables()
    $keys = [string[]]@($vars.Keys -like 'LINKTOOLS_*')
    if ($keys.Length -eq 0) { return '' }
    [System.Array]::Sort($keys, [System.StringComparer]::Ordinal)
    $parts = New-Object string[] $keys.Length
    for ($i = 0; $i -lt $keys.Length; $i++) { $parts[$i] = $keys[$i] + '=' + [string]$vars[$keys[$i]] }
    [string]::Join("`n", $parts)
}

function Get-LinkServeSession {
    <#
    The serve engine of this runspace: the running one, or a new one when there is none, it has
    exited, the LINKTOOLS_* environment has changed since it started, or a stopped side-effect command
    left a request unsent in its buffer. Its working folder is the
    engine's own folder (requests carry absolute paths), so it never holds a user's folder open.
    #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet)
    $session = $script:LinkServeSession
    $fingerprint = Get-LinkEngineFingerprint
    if ($session) {
        $alive = $false
        try { $alive = -not $session.Process.HasExited } catch { $alive = $false }
        # DirtyLockstep: a side-effect command was stopped before its request left the buffer; that
        # request must never run, so that engine is killed, buffer and all.
        if ($alive -and -not $session.Closed -and $session.Fingerprint -eq $fingerprint -and $null -eq $session.DirtyLockstep) { return $session }
        Stop-LinkServeSession -Kill
    }
    $enginePath = Get-LinkEnginePath -Cmdlet $Cmdlet
    $session = Start-LinkEngine -Cmdlet $Cmdlet -EnginePath $enginePath -ArgumentList @('serve', '--errors-inline') `
        -WorkingDirectory ([System.IO.Path]::GetDirectoryName($enginePath)) -Persistent
    $session.Fingerprint = $fingerprint
    Register-LinkEngineRunspaceHook -Session $session
    $script:LinkServeSession = $session
    Write-Debug ("LinkTools: started the serve engine, process {0} ({1})" -f $session.Process.Id, $enginePath)
    $session
}

function Stop-LinkServeSession {
    # Ends this runspace's serve engine: closes its stdin so it ends after its last answer, and kills
    # it when it has not ended within two seconds (or at once with -Kill).
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Manages the module's own engine process, not the user's files: the public cmdlets call ShouldProcess before a request reaches it.")]
    param([switch] $Kill)
    $session = $script:LinkServeSession
    $script:LinkServeSession = $null
    # A side-effect request that may sit unflushed in stdin must never reach the engine: kill.
    if ($session) { [void](Stop-LinkEngine -Session $session -Kill:($Kill -or $null -ne $session.DirtyLockstep) -Quick) }
}

function Register-LinkEngineRunspaceHook {
    <#
    Closes the serve engine's stdin when this runspace closes (the engine then ends by itself). A
    runspace that closes runs no more script, so the handler is a compiled expression tree, not a
    script block: (sender, e) => { if (e.RunspaceStateInfo.State is Closing, Closed or Broken) try {
    stdin.Dispose() } catch {} }. When the whole process ends, the OS closes the pipe anyway.
    #>
    param([Parameter(Mandatory)] $Session)
    $runspace = [System.Management.Automation.Runspaces.Runspace]::DefaultRunspace
    if (-not $runspace) { return }
    try {
        $E = [System.Linq.Expressions.Expression]
        $argsType = [System.Management.Automation.Runspaces.RunspaceStateEventArgs]
        $sender = $E::Parameter([object], 'sender')
        $e = $E::Parameter($argsType, 'e')
        $state = $E::Convert($E::Property($E::Property($e, 'RunspaceStateInfo'), 'State'), [int])
        $closing = $null
        foreach ($s in 'Closing', 'Closed', 'Broken') {
            $test = $E::Equal($state, $E::Constant([int][System.Management.Automation.Runspaces.RunspaceState]::$s))
            if ($closing) { $closing = $E::OrElse($closing, $test) } else { $closing = $test }
        }
        $stream = $Session.Process.StandardInput.BaseStream
        $dispose = $E::Call($E::Constant($stream, [System.IDisposable]), [System.IDisposable].GetMethod('Dispose'))
        $guarded = $E::TryCatch($E::Block([void], [System.Linq.Expressions.Expression[]]@($dispose)), [System.Linq.Expressions.CatchBlock[]]@($E::Catch([System.Exception], $E::Empty())))
        $body = $E::IfThen($closing, $guarded)
        $handlerType = [System.EventHandler[System.Management.Automation.Runspaces.RunspaceStateEventArgs]]
        $handler = $E::Lambda($handlerType, $body, [System.Linq.Expressions.ParameterExpression[]]@($sender, $e)).Compile()
        $runspace.add_StateChanged($handler)
        $Session.Runspace = $runspace
        $Session.RunspaceHook = $handler
    } catch {
        Write-Debug "LinkTools: cannot watch the runspace for closing (the engine ends with the process): $_"
    }
}

function Receive-LinkEngineStdErrLine {
    # Handles one stderr line: progress becomes Write-Progress, anything else is kept for later.
    param($Session, [string] $Line)
    if (-not $Line) { return }
    if ($Line.StartsWith('{') -and $Line.Contains('"progress"')) {
        try { $record = ConvertFrom-Json -InputObject $Line } catch { $record = $null }
        if ($record -and $record.recordType -eq 'progress') {
            if ($Session.ProgressActivity) {
                $status = '{0}: {1} entries, {2} links' -f $record.phase, $record.entries, $record.links
                if ($null -ne $record.rate) { $status += (', {0:N0}/s' -f [double]$record.rate) }
                $op = ' '
                if ($record.currentDir) { $op = [string]$record.currentDir }
                Write-Progress -Id 4711 -Activity $Session.ProgressActivity -Status $status -CurrentOperation $op
                $Session.ProgressShown = $true
            }
            return
        }
    }
    $Session.StdErr.Add($Line)
}

function Read-LinkEngineStdErr {
    <#
    The one stderr drain. Takes the stderr lines that are already there, without waiting (so stderr
    cannot fill up while stdout keeps us busy); with -ToEnd, waits in short slices until stderr ends.
    #>
    param([Parameter(Mandatory)] $Session, [switch] $ToEnd)
    while (-not $Session.ErrDone) {
        if ($null -eq $Session.ErrTask) { $Session.ErrTask = $Session.Process.StandardError.ReadLineAsync() }
        if (-not $Session.ErrTask.IsCompleted) {
            if (-not $ToEnd) { return }
            [void]$Session.ErrTask.Wait(200)
            continue
        }
        $errLine = $Session.ErrTask.GetAwaiter().GetResult()
        $Session.ErrTask = $null
        if ($null -eq $errLine) { $Session.ErrDone = $true } else { Receive-LinkEngineStdErrLine -Session $Session -Line $errLine }
    }
}

function Read-LinkEngineLine {
    <#
    Returns the next stdout line, or $null at end of output. Waits in short slices so stderr is
    drained meanwhile and the pipeline can be stopped.
    #>
    param([Parameter(Mandatory)] $Session)
    $process = $Session.Process
    while ($true) {
        if (-not $Session.OutDone -and $null -eq $Session.OutTask) { $Session.OutTask = $process.StandardOutput.ReadLineAsync() }
        Read-LinkEngineStdErr -Session $Session
        if ($Session.OutDone) { return $null }
        if ($Session.OutTask.IsCompleted) {
            $line = $Session.OutTask.GetAwaiter().GetResult()
            $Session.OutTask = $null
            if ($null -eq $line) { $Session.OutDone = $true; return $null }
            if ($line.Trim().Length -eq 0) { continue }
            return $line
        }
        if ($Session.ErrDone) { [void]$Session.OutTask.Wait(200) }
        else { [void][System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($Session.OutTask, $Session.ErrTask), 200) }
    }
}

function Stop-LinkEngine {
    <#
    Ends a session and returns the engine's exit code. Without -Kill: closes stdin (the engine ends
    after its last answer), drains both pipes and waits for exit (-Quick: two seconds at most, then
    kills). With -Kill (a stopped or failed pipeline): kills the process at once. Safe to call more
    than once.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Manages the module's own engine process, not the user's files: the public cmdlets call ShouldProcess before a request reaches it.")]
    param([Parameter(Mandatory)] $Session, [switch] $Kill, [switch] $Quick)
    if (-not $Session) { return }
    if ($Session.Closed) { return $Session.ExitCode }
    $Session.Closed = $true
    $script:LinkEngineSessions.Remove($Session)
    if ($script:LinkServeSession -eq $Session) { $script:LinkServeSession = $null }
    if ($Session.RunspaceHook) {
        try { $Session.Runspace.remove_StateChanged($Session.RunspaceHook) } catch { Write-Debug "unwatching the runspace: $_" }
        $Session.RunspaceHook = $null
    }
    $process = $Session.Process
    if ($Kill) {
        try { if (-not $process.HasExited) { $process.Kill() } } catch { Write-Debug "killing engine: $_" }
    }
    try { $Session.Writer.Dispose() } catch { Write-Debug "closing engine stdin: $_" }
    if ($Kill) {
        try { [void]$process.WaitForExit(2000) } catch { Write-Debug "waiting for engine: $_" }
    } elseif ($Quick) {
        try {
            if (-not $process.WaitForExit(2000)) { $process.Kill(); [void]$process.WaitForExit(2000) }
        } catch { Write-Debug "ending engine: $_" }
    } else {
        $drained = $false
        try {
            while ($null -ne (Read-LinkEngineLine -Session $Session)) { }
            Read-LinkEngineStdErr -Session $Session -ToEnd
            while (-not $process.WaitForExit(200)) { }
            $drained = $true
        } finally {
            if (-not $drained) {
                try { if (-not $process.HasExited) { $process.Kill() } } catch { Write-Debug "killing engine: $_" }
            }
        }
    }
    if ($Session.ProgressShown) {
        Write-Progress -Id 4711 -Activity $Session.ProgressActivity -Completed
    }
    $code = $null
    try { if ($process.HasExited) { $code = $process.ExitCode } } catch { $code = $null }
    $Session.ExitCode = $code
    try { $process.Dispose() } catch { Write-Debug "disposing engine: $_" }
    $code
}
