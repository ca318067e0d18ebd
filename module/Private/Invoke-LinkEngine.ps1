# The only code that talks to the linktools engine.
#
# An engine "session" is one engine process. Per-item cmdlets (New-Link, Get-LinkInfo, Test-Link,
# Remove-Link) run it with --stdin --errors-inline: each pipeline item is one NDJSON request line,
# answered by exactly one line on stdout, so a whole pipeline costs one process and every answer is
# read as soon as it is written. Streaming commands (scan, audit) run with their arguments and are
# read record by record until end of output.
#
# stdout and stderr are read with ReadLineAsync and a short Task.WaitAny poll, never a blocking
# ReadLine: progress records on stderr are shown while stdout is quiet, neither pipe can fill up and
# stall the engine, and Ctrl+C is honoured between polls (PowerShell stops a pipeline only between
# statements). Everything here parses and runs on Windows PowerShell 5.1.

# Sessions still open in this runspace; see Remove-StaleLinkEngine.
$script:LinkEngineSessions = New-Object System.Collections.ArrayList

function New-LinkModuleErrorRecord {
    # An ErrorRecord for a failure of the module itself (no engine record behind it).
    param(
        [Parameter(Mandatory)][string] $ErrorId,
        [Parameter(Mandatory)][System.Management.Automation.ErrorCategory] $Category,
        [Parameter(Mandatory)][string] $Message,
        [object] $TargetObject,
        [System.Exception] $InnerException
    )
    $ex = New-Object System.InvalidOperationException -ArgumentList $Message, $InnerException
    New-Object System.Management.Automation.ErrorRecord -ArgumentList $ex, $ErrorId, $Category, $TargetObject
}

function Get-LinkPlatformTag {
    # '<os>-<arch>' as the dist/bin folders name it: os = win|linux|osx, arch = x64|arm64.
    $os = 'win'
    if ($PSVersionTable.PSEdition -eq 'Core') {
        if ($IsLinux) { $os = 'linux' } elseif ($IsMacOS) { $os = 'osx' }
    }
    $arch = $null
    $rtType = 'System.Runtime.InteropServices.RuntimeInformation' -as [type]
    if ($rtType) {
        try { $arch = [string]$rtType::OSArchitecture } catch { $arch = $null }
    }
    if (-not $arch) { $arch = $env:PROCESSOR_ARCHITECTURE }
    switch -Regex ([string]$arch) {
        '^(X64|AMD64)$' { $arch = 'x64'; break }
        '^ARM64$' { $arch = 'arm64'; break }
        default { $arch = ([string]$arch).ToLowerInvariant() }
    }
    '{0}-{1}' -f $os, $arch
}

function Get-LinkEnginePath {
    <#
    Finds the engine: $env:LINKTOOLS_ENGINE when set, else <moduleRoot>/dist/bin/<os>-<arch>/linktools
    (a checkout) or <moduleRoot>/bin/<os>-<arch>/linktools (an installed module). moduleRoot is the
    folder of LinkTools.psd1; the folder of the .psm1 is tried too. Throws LT_ENGINE_NOT_FOUND.
    #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet)

    if ($env:LINKTOOLS_ENGINE) {
        if (Test-Path -LiteralPath $env:LINKTOOLS_ENGINE -PathType Leaf) { return $env:LINKTOOLS_ENGINE }
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_NOT_FOUND' -Category ObjectNotFound `
                    -TargetObject $env:LINKTOOLS_ENGINE `
                    -Message "The LinkTools engine named by `$env:LINKTOOLS_ENGINE does not exist: $($env:LINKTOOLS_ENGINE)"))
    }
    $tag = Get-LinkPlatformTag
    $exe = 'linktools'
    if ($tag -like 'win-*') { $exe = 'linktools.exe' }
    $roots = @((Split-Path -Parent $PSScriptRoot), (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)))
    $tried = New-Object System.Collections.Generic.List[string]
    foreach ($root in $roots) {
        foreach ($sub in 'dist/bin', 'bin') {
            $candidate = [System.IO.Path]::Combine($root, $sub, $tag, $exe)
            $tried.Add($candidate)
            if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
        }
    }
    $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_NOT_FOUND' -Category ObjectNotFound `
                -TargetObject $tag `
                -Message ("The LinkTools engine for {0} was not found. Build it (npm run build), or set `$env:LINKTOOLS_ENGINE to its path. Looked in: {1}" -f $tag, ($tried -join '; '))))
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
    # Kills sessions left behind by a pipeline that was stopped while another command held the
    # thread (so none of our code ran to close them). A session opened under an earlier history
    # line cannot still be in use: that command line has finished.
    $current = $MyInvocation.HistoryId
    foreach ($s in $script:LinkEngineSessions.ToArray()) {
        if ($s.HistoryId -lt $current) { [void](Stop-LinkEngine -Session $s -Kill) }
    }
}

function Start-LinkEngine {
    <#
    Starts the engine with the given arguments and returns a session. The process's working folder is
    PowerShell's current file-system location, so anything the engine resolves matches what the user
    sees. -ProgressActivity turns progress records on stderr into Write-Progress.
    #>
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][AllowEmptyString()][string[]] $ArgumentList,
        [string] $EnginePath,
        [string] $ProgressActivity
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
    $location = $null
    try { $location = $Cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath } catch { $location = $null }
    if (-not $location) { $location = $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath }
    if ($location -and (Test-Path -LiteralPath $location -PathType Container)) { $psi.WorkingDirectory = $location }

    $process = New-Object System.Diagnostics.Process
    $process.StartInfo = $psi
    try {
        [void]$process.Start()
    } catch {
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -Category OpenError `
                    -TargetObject $EnginePath -InnerException $_.Exception `
                    -Message "The LinkTools engine could not be started ($EnginePath): $($_.Exception.Message)"))
    }
    # Our own UTF-8 writer without BOM: 5.1 cannot set StandardInputEncoding.
    $writer = New-Object System.IO.StreamWriter -ArgumentList $process.StandardInput.BaseStream, $utf8
    $writer.AutoFlush = $true
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
    }
    [void]$script:LinkEngineSessions.Add($session)
    $session
}

function Receive-LinkEngineStdErr {
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

function Read-LinkEngineLine {
    <#
    Returns the next stdout line, or $null at end of output. Waits in short slices so stderr is
    drained meanwhile and the pipeline can be stopped.
    #>
    param([Parameter(Mandatory)] $Session)
    $process = $Session.Process
    while ($true) {
        if (-not $Session.OutDone -and $null -eq $Session.OutTask) { $Session.OutTask = $process.StandardOutput.ReadLineAsync() }
        if (-not $Session.ErrDone -and $null -eq $Session.ErrTask) { $Session.ErrTask = $process.StandardError.ReadLineAsync() }

        if (-not $Session.ErrDone -and $Session.ErrTask.IsCompleted) {
            $errLine = $Session.ErrTask.GetAwaiter().GetResult()
            $Session.ErrTask = $null
            if ($null -eq $errLine) { $Session.ErrDone = $true } else { Receive-LinkEngineStdErr -Session $Session -Line $errLine }
            continue
        }
        if ($Session.OutDone) { return $null }
        if ($Session.OutTask.IsCompleted) {
            $line = $Session.OutTask.GetAwaiter().GetResult()
            $Session.OutTask = $null
            if ($null -eq $line) { $Session.OutDone = $true; return $null }
            if ($line.Trim().Length -eq 0) { continue }
            return $line
        }
        $tasks = New-Object System.Collections.Generic.List[System.Threading.Tasks.Task]
        $tasks.Add($Session.OutTask)
        if (-not $Session.ErrDone) { $tasks.Add($Session.ErrTask) }
        [void][System.Threading.Tasks.Task]::WaitAny($tasks.ToArray(), 200)
    }
}

function ConvertFrom-LinkEngineLine {
    # One stdout line -> record; output that is not a JSON record is a terminating LT_ENGINE_FAILED.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet, [string] $Line)
    $record = $null
    try { $record = ConvertFrom-Json -InputObject $Line } catch { $record = $null }
    if ($null -eq $record -or $null -eq $record.PSObject.Properties['recordType']) {
        [void](Stop-LinkEngine -Session $Session -Kill)
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -Category InvalidResult `
                    -TargetObject $Session.EnginePath -Message "The LinkTools engine wrote something that is not a record: $Line"))
    }
    $record
}

function Read-LinkEngineRecord {
    # Next record of a streaming command (scan, audit), or $null when the engine's output ends.
    param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet)
    $line = Read-LinkEngineLine -Session $Session
    if ($null -eq $line) { return $null }
    ConvertFrom-LinkEngineLine -Session $Session -Cmdlet $Cmdlet -Line $line
}

function Invoke-LinkEngineRequest {
    <#
    Sends one request (a hashtable) to a --stdin session and returns the one record that answers it.
    If the engine ends instead of answering, that is a terminating LT_ENGINE_FAILED carrying stderr.
    #>
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][System.Collections.IDictionary] $Request
    )
    $json = ConvertTo-Json -InputObject $Request -Compress
    $sent = $true
    try { $Session.Writer.WriteLine($json) } catch { $sent = $false }
    $line = $null
    if ($sent) { $line = Read-LinkEngineLine -Session $Session }
    if ($null -eq $line) {
        $code = Stop-LinkEngine -Session $Session
        $why = ($Session.StdErr -join [Environment]::NewLine)
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -Category InvalidResult `
                    -TargetObject $Session.EnginePath `
                    -Message ("The LinkTools engine ended (exit code {0}) without answering a request. {1}" -f $code, $why)))
    }
    $record = ConvertFrom-LinkEngineLine -Session $Session -Cmdlet $Cmdlet -Line $line
    $answerId = $null
    if ($record.PSObject.Properties['requestId']) { $answerId = $record.requestId }
    if ($null -eq $answerId -and $record.recordType -eq 'error') {
        # An error that answers no request is about the whole run (a bad option, say): the engine
        # has stopped serving, so it ends the command, with the engine's own code.
        [void](Stop-LinkEngine -Session $Session -Kill)
        $Cmdlet.ThrowTerminatingError((New-LinkErrorRecord -Record $record))
    }
    if ($null -ne $Request['id'] -and [string]$answerId -ne [string]$Request['id']) {
        [void](Stop-LinkEngine -Session $Session -Kill)
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -Category InvalidResult `
                    -TargetObject $Session.EnginePath `
                    -Message ("The LinkTools engine answered request {0} with a record for request {1}." -f $Request['id'], $answerId)))
    }
    $record
}

function Stop-LinkEngine {
    <#
    Ends a session and returns the engine's exit code. Without -Kill: closes stdin (the engine ends
    after its last answer), drains both pipes and waits for exit. With -Kill (a stopped or failed
    pipeline): kills the process at once. Safe to call more than once.
    #>
    param([Parameter(Mandatory)] $Session, [switch] $Kill)
    if (-not $Session) { return }
    if ($Session.Closed) { return $Session.ExitCode }
    $Session.Closed = $true
    $script:LinkEngineSessions.Remove($Session)
    $process = $Session.Process
    try { $Session.Writer.Dispose() } catch { Write-Debug "closing engine stdin: $_" }
    if ($Kill) {
        try { if (-not $process.HasExited) { $process.Kill() } } catch { Write-Debug "killing engine: $_" }
        try { [void]$process.WaitForExit(2000) } catch { Write-Debug "waiting for engine: $_" }
    } else {
        $drained = $false
        try {
            # Read-LinkEngineLine keeps draining stderr while stdout is open; once stdout has ended
            # it returns at once, so finish stderr here.
            while ($null -ne (Read-LinkEngineLine -Session $Session)) { }
            while (-not $Session.ErrDone) {
                if ($null -eq $Session.ErrTask) { $Session.ErrTask = $process.StandardError.ReadLineAsync() }
                if (-not $Session.ErrTask.Wait(200)) { continue }
                $errLine = $Session.ErrTask.GetAwaiter().GetResult()
                $Session.ErrTask = $null
                if ($null -eq $errLine) { $Session.ErrDone = $true } else { Receive-LinkEngineStdErr -Session $Session -Line $errLine }
            }
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
