# The only code that talks to the linktools engine.
#
# An engine "session" is one engine process. Per-item cmdlets (New-Link, Get-LinkInfo, Test-Link,
# Remove-Link) run it with --stdin --errors-inline: each pipeline item is one NDJSON request line,
# answered by exactly one line on stdout, in order, so a whole pipeline costs one process. Streaming
# commands (scan, audit) run with their arguments and are read record by record until end of output.
#
# Request sessions pipeline (see Invoke-LinkEngineRequest): a long, fast pipeline writes requests
# without waiting for each answer and reads the answers in batches, which costs one ConvertFrom-Json
# per batch instead of one wait for the engine plus one ConvertFrom-Json per item. Short pipelines,
# slow producers and commands with side effects (-Lockstep) still get each answer before the next
# item is read.
#
# stdout and stderr are read with ReadLineAsync and a short Task.WaitAny poll, never a blocking
# ReadLine: progress records on stderr are shown while stdout is quiet, neither pipe can fill up and
# stall the engine, and Ctrl+C is honoured between polls (PowerShell stops a pipeline only between
# statements). Everything here parses and runs on Windows PowerShell 5.1.

# Sessions still open in this runspace; see Remove-StaleLinkEngine.
$script:LinkEngineSessions = New-Object System.Collections.ArrayList

# Pipelining limits for request sessions (Invoke-LinkEngineRequest).
# - The first LinkRequestLockstep requests of a session are answered one by one, so a short pipeline
#   (or the start of a long one) sees each answer before its next item is read.
# - After that at most LinkRequestWindow requests, and LinkRequestWindowBytes bytes of them, are in
#   flight (a longer request goes alone). The byte bound stays below the smallest pipe buffer (4 KiB),
#   so writing requests never blocks: we cannot deadlock with an engine that is itself blocked writing
#   answers we have not read yet.
# - An item that arrives 2 ms or more (LinkRequestSlowInputTicks) after the previous call returned
#   comes from a slow producer: its answer is read at once, so slow pipelines stream item by item.
$script:LinkRequestLockstep = 16
$script:LinkRequestWindow = 32
$script:LinkRequestWindowBytes = 4000
# Requests are flushed to the engine in groups of this many (and before every wait), so it wakes once
# per group yet answers the first ones while we are still sending the rest.
$script:LinkRequestFlushEvery = 8
$script:LinkRequestSlowInputTicks = [long]([System.Diagnostics.Stopwatch]::Frequency * 2 / 1000)   # 2 ms
# Characters that a JSON string must escape other than '\' and '"' (U+0000 to U+001F).
$script:LinkJsonControlChars = [char[]](0..31)

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
    sees. -ProgressActivity turns progress records on stderr into Write-Progress. -Lockstep turns off
    request pipelining for the session.
    #>
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][AllowEmptyString()][string[]] $ArgumentList,
        [string] $EnginePath,
        [string] $ProgressActivity,
        # Answer every request before Invoke-LinkEngineRequest returns (commands with side effects:
        # nothing may happen ahead of what the caller has seen, e.g. under -ErrorAction Stop).
        [switch] $Lockstep
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
    # Our own UTF-8 writer without BOM: 5.1 cannot set StandardInputEncoding. Not AutoFlush: requests
    # are flushed in groups (see $LinkRequestFlushEvery); the buffer holds a whole window.
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
        Lockstep         = [bool]$Lockstep
        Pending          = [System.Collections.Generic.Queue[object]]::new()   # @(id, target, bytes) per unanswered request
        PendingBytes     = 0
        Sent             = 0
        LastReturn       = [System.Diagnostics.Stopwatch]::GetTimestamp()
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
        if ($Session.ErrDone) { [void]$Session.OutTask.Wait(200) }
        else { [void][System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($Session.OutTask, $Session.ErrTask), 200) }
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
    Sends one request to a --stdin session and writes the answers that are due, in request order: a
    result record as a typed object (output), an error record as a non-terminating error whose
    TargetObject is the -TargetObject given with its request. Which answers are due:
    - in lockstep (a -Lockstep session, its first $LinkRequestLockstep requests, or an item from a
      slow producer): every answer so far, including this request's;
    - otherwise none until the window ($LinkRequestWindow requests or $LinkRequestWindowBytes bytes
      in flight) is full, then all of them in one batch.
    Receive-LinkEngineAnswer writes the rest at the end of the pipeline.
    -Request is a dictionary of strings, numbers, Booleans and nulls, with an `id` the engine echoes.
    -ErrorAnswer is output in place of an error answer (after the error is written); -AnswerProperty
    outputs that property of each result instead of the result. Both must be the same in every call of
    a session, as an answer may be written by a later call.
    The engine ending without answering is a terminating LT_ENGINE_FAILED carrying its stderr.
    This runs once per pipeline item, so it avoids cmdlet and function calls on its common path.
    #>
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][System.Collections.IDictionary] $Request,
        [object] $TargetObject,
        [object] $ErrorAnswer,
        [string] $AnswerProperty
    )
    $slowInput = ([System.Diagnostics.Stopwatch]::GetTimestamp() - $Session.LastReturn) -ge $script:LinkRequestSlowInputTicks

    # The request line. ConvertTo-Json costs more than the rest of this function; it is kept for
    # strings with control characters and for values that are not scalars.
    $json = '{'
    foreach ($key in $Request.Keys) {
        $value = $Request[$key]
        if ($json.Length -gt 1) { $json += ',' }
        $json += '"' + ([string]$key).Replace('\', '\\').Replace('"', '\"') + '":'
        if ($null -eq $value) { $json += 'null' }
        elseif ($value -is [string]) {
            if ($value.IndexOfAny($script:LinkJsonControlChars) -ge 0) { $json += ConvertTo-Json -InputObject $value -Compress }
            else { $json += '"' + $value.Replace('\', '\\').Replace('"', '\"') + '"' }
        }
        elseif ($value -is [bool]) { if ($value) { $json += 'true' } else { $json += 'false' } }
        elseif ($value -is [int] -or $value -is [long]) { $json += [string]$value }
        else { $json += ConvertTo-Json -InputObject $value -Compress -Depth 10 }
    }
    $json += '}'
    $bytes = [System.Text.Encoding]::UTF8.GetByteCount($json) + 1

    $params = @{ Session = $Session; Cmdlet = $Cmdlet; AnswerProperty = $AnswerProperty }
    if ($PSBoundParameters.ContainsKey('ErrorAnswer')) { $params['ErrorAnswer'] = $ErrorAnswer }
    if ($Session.Pending.Count -gt 0 -and $Session.PendingBytes + $bytes -gt $script:LinkRequestWindowBytes) {
        Receive-LinkEngineAnswer @params
    }
    $sent = $true
    try { $Session.Writer.WriteLine($json) } catch { $sent = $false }
    if (-not $sent) {
        # The engine is gone: write what it answered before it went, then fail.
        if ($Session.Pending.Count -gt 0) { Receive-LinkEngineAnswer @params }
        $code = Stop-LinkEngine -Session $Session
        $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -Category InvalidResult `
                    -TargetObject $Session.EnginePath `
                    -Message ("The LinkTools engine ended (exit code {0}) without answering a request. {1}" -f $code, ($Session.StdErr -join [Environment]::NewLine))))
    }
    $Session.Pending.Enqueue(@($Request['id'], $TargetObject, $bytes))
    $Session.PendingBytes += $bytes
    $Session.Sent++
    if ($Session.Pending.Count % $script:LinkRequestFlushEvery -eq 0) {
        try { $Session.Writer.Flush() } catch { Write-Debug "sending requests to the engine: $_" }
    }

    if ($Session.Lockstep -or $slowInput -or $Session.Sent -le $script:LinkRequestLockstep -or
        $Session.Pending.Count -ge $script:LinkRequestWindow -or $Session.PendingBytes -ge $script:LinkRequestWindowBytes) {
        Receive-LinkEngineAnswer @params
    }
    $Session.LastReturn = [System.Diagnostics.Stopwatch]::GetTimestamp()
}

function Receive-LinkEngineAnswer {
    <#
    Reads the answers to every request in flight on a --stdin session, waiting for them, and writes
    them as Invoke-LinkEngineRequest describes. The lines are parsed with one ConvertFrom-Json over a
    JSON array; if that fails, line by line, so a line that is not a record is reported as such.
    #>
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [object] $ErrorAnswer,
        [string] $AnswerProperty
    )
    $want = $Session.Pending.Count
    if ($want -eq 0) { return }
    # Hand the batch to the engine. A failure means the engine is gone, which reading shows.
    try { $Session.Writer.Flush() } catch { Write-Debug "sending requests to the engine: $_" }
    $params = @{ Session = $Session; Cmdlet = $Cmdlet; AnswerProperty = $AnswerProperty }
    if ($PSBoundParameters.ContainsKey('ErrorAnswer')) { $params['ErrorAnswer'] = $ErrorAnswer }
    $lines = [System.Collections.Generic.List[string]]::new($want)
    $waited = $false
    while ($lines.Count -lt $want) {
        # Answers already buffered are taken without a function call; otherwise Read-LinkEngineLine
        # waits (draining stderr meanwhile).
        $line = $null
        $task = $Session.OutTask
        if ($null -eq $task -and -not $Session.OutDone) { $task = $Session.Process.StandardOutput.ReadLineAsync(); $Session.OutTask = $task }
        if ($null -ne $task -and $task.IsCompleted) {
            $Session.OutTask = $null
            $line = $task.GetAwaiter().GetResult()
            if ($null -eq $line) { $Session.OutDone = $true }
            elseif ([string]::IsNullOrWhiteSpace($line)) { continue }
        } else {
            $line = Read-LinkEngineLine -Session $Session
            $waited = $true
        }
        if ($null -eq $line) {
            # The engine ended with requests unanswered: write the answers it did give, then fail.
            if ($lines.Count -gt 0) { Write-LinkEngineAnswer @params -Lines $lines }
            $code = Stop-LinkEngine -Session $Session
            $why = ($Session.StdErr -join [Environment]::NewLine)
            $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -Category InvalidResult `
                        -TargetObject $Session.EnginePath `
                        -Message ("The LinkTools engine ended (exit code {0}) without answering a request. {1}" -f $code, $why)))
        }
        $lines.Add($line)
    }
    if (-not $waited) { Receive-LinkEngineReadyStdErr -Session $Session }
    Write-LinkEngineAnswer @params -Lines $lines
}

function Receive-LinkEngineReadyStdErr {
    # Takes the stderr lines that are already there, without waiting, so stderr cannot fill up while
    # every answer happens to be ready on stdout.
    param([Parameter(Mandatory)] $Session)
    while (-not $Session.ErrDone) {
        if ($null -eq $Session.ErrTask) { $Session.ErrTask = $Session.Process.StandardError.ReadLineAsync() }
        if (-not $Session.ErrTask.IsCompleted) { return }
        $errLine = $Session.ErrTask.GetAwaiter().GetResult()
        $Session.ErrTask = $null
        if ($null -eq $errLine) { $Session.ErrDone = $true } else { Receive-LinkEngineStdErr -Session $Session -Line $errLine }
    }
}

function Write-LinkEngineAnswer {
    # Answer lines for the oldest requests in flight -> checked records -> output and errors.
    param(
        [Parameter(Mandatory)] $Session,
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][System.Collections.Generic.List[string]] $Lines,
        [object] $ErrorAnswer,
        [string] $AnswerProperty
    )
    $records = $null
    $count = 0
    try {
        if ($Lines.Count -eq 1) { $records = ConvertFrom-LinkRecordJson -Json $Lines[0] }
        else { $records = ConvertFrom-LinkRecordJson -Json ('[' + [string]::Join(',', $Lines) + ']') }
        foreach ($record in $records) {
            if ($null -eq $record -or $null -eq $record.PSObject.Properties['recordType']) { $count = -1; break }
            $count++
        }
    } catch { $count = -1 }
    if ($count -ne $Lines.Count) {
        if ($Lines.Count -eq 1) {
            # Reported as LT_ENGINE_FAILED: the line is not a record.
            $records = ConvertFrom-LinkEngineLine -Session $Session -Cmdlet $Cmdlet -Line $Lines[0]
        } else {
            # Not one record per line: one line at a time, so the answers before a bad line are written.
            foreach ($line in $Lines) {
                $one = [System.Collections.Generic.List[string]]::new(1)
                $one.Add($line)
                $PSBoundParameters['Lines'] = $one
                Write-LinkEngineAnswer @PSBoundParameters
            }
            return
        }
    }

    foreach ($record in $records) {
        $request = $Session.Pending.Dequeue()
        $Session.PendingBytes -= $request[2]
        $answerId = $null
        $idProperty = $record.PSObject.Properties['requestId']
        if ($idProperty) {
            $answerId = $idProperty.Value
            $record.PSObject.Properties.Remove('requestId')   # plumbing between the module and the engine
        }
        $recordType = [string]$record.recordType
        if ($null -eq $answerId -and $recordType -eq 'error') {
            # An error that answers no request is about the whole run (a bad option, say): the engine
            # has stopped serving, so it ends the command, with the engine's own code.
            [void](Stop-LinkEngine -Session $Session -Kill)
            $Cmdlet.ThrowTerminatingError((New-LinkErrorRecord -Record $record))
        }
        if ([string]$answerId -ne [string]$request[0]) {
            [void](Stop-LinkEngine -Session $Session -Kill)
            $Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -Category InvalidResult `
                        -TargetObject $Session.EnginePath `
                        -Message ("The LinkTools engine answered request {0} with a record for request {1}." -f $request[0], $answerId)))
        }
        if ($recordType -eq 'error') {
            $Cmdlet.WriteError((New-LinkErrorRecord -Record $record -TargetObject $request[1]))
            if ($PSBoundParameters.ContainsKey('ErrorAnswer')) { $ErrorAnswer }
            continue
        }
        $record = ConvertTo-LinkObject -Record $record
        if ($AnswerProperty) { $record.$AnswerProperty } else { $record }
    }
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
