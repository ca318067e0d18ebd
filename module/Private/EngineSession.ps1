# Requests in flight on the serve engine, and their answers.
#
# A per-item command (one Get-LinkInfo, Test-Link, New-Link or Remove-Link invocation) is a "command"
# object (New-LinkItemCommand in LinkItemCommand.ps1). Its requests go to the runspace's serve engine
# as NDJSON lines {"id":N,"op":...}; N is unique within the engine process and increasing. The engine
# answers every request with exactly one line carrying requestId N, in order. Each answer is routed by
# its id to the command that asked (Session.Pending holds one entry per request written:
# @(id, command, target, bytes, members)), so:
# - a command stopped mid-pipeline (Ctrl+C, Select-Object -First, a failing consumer) leaves nothing
#   half-answered: the answers to its requests are read by whichever command reads next and dropped
#   with the dead command object;
# - a command nested in another's pipeline (... | Get-LinkInfo | ForEach-Object { Test-Link ... })
#   reads the outer command's answers into that command's Ready list, in order, for it to write later;
# - an answer read twice (a stop between reading a line and forgetting it) is recognised by its id.
#
# Pipelining: a long, fast pipeline writes requests without waiting for each answer and reads the
# answers in batches, which costs one ConvertFrom-Json per batch instead of one wait for the engine
# plus one ConvertFrom-Json per item. Short pipelines, slow producers and commands with side effects
# (-Lockstep) still get each answer before the next item is read.
# - The first LinkRequestLockstep requests of a command are answered one by one, so a short pipeline
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
# The one request escaper's fast path: strings of printable ASCII other than '"' and '\' go as they are.
# The id of an answer line: the number after its last "requestId": (searched from the end).
$script:LinkAnswerId = New-Object System.Text.RegularExpressions.Regex -ArgumentList '"requestId":(\d+)', ([System.Text.RegularExpressions.RegexOptions]::RightToLeft)
$script:LinkJsonPlain = New-Object System.Text.RegularExpressions.Regex -ArgumentList '^[\x20\x21\x23-\x5B\x5D-\x7E]*$'

function ConvertTo-LinkJsonString {
    <#
    The one JSON string escaper for requests: '"' and '\' are escaped, and every char outside printable
    ASCII is written as \uXXXX. So the request is plain ASCII whatever the pipe's encoding, and a lone
    surrogate (the engine's form for a POSIX name that is not UTF-8, engine/src/platform/pathbytes.ts)
    goes back to the engine exactly as it came, where encoding it as UTF-8 would turn it into U+FFFD.
    #>
    param([AllowEmptyString()][string] $Value)
    if ($script:LinkJsonPlain.IsMatch($Value)) { return '"' + $Value + '"' }
    $sb = [System.Text.StringBuilder]::new($Value.Length + 16)
    [void]$sb.Append('"')
    foreach ($ch in $Value.ToCharArray()) {
        $code = [int]$ch
        if ($ch -eq '"') { [void]$sb.Append('\"') }
        elseif ($ch -eq '\') { [void]$sb.Append('\\') }
        elseif ($code -ge 0x20 -and $code -le 0x7E) { [void]$sb.Append($ch) }
        else { [void]$sb.Append('\u').Append($code.ToString('x4')) }
    }
    [void]$sb.Append('"')
    $sb.ToString()
}

function ConvertTo-LinkRequestJson {
    <#
    The members of a request object, without braces ("a":1,"b":"x"), from a dictionary of strings,
    Booleans, whole numbers, nulls and arrays of strings. Anything else is a bug in the caller.
    #>
    param([Parameter(Mandatory)][System.Collections.IDictionary] $Request)
    $parts = [System.Collections.Generic.List[string]]::new()
    foreach ($key in $Request.Keys) {
        $value = $Request[$key]
        if ($null -eq $value) { $json = 'null' }
        elseif ($value -is [string]) { $json = ConvertTo-LinkJsonString -Value $value }
        elseif ($value -is [bool]) { if ($value) { $json = 'true' } else { $json = 'false' } }
        elseif ($value -is [int] -or $value -is [long]) { $json = [string]$value }
        elseif ($value -is [array]) { $json = '[' + ((@($value) | ForEach-Object { ConvertTo-LinkJsonString -Value ([string]$_) }) -join ',') + ']' }
        else { throw "ConvertTo-LinkRequestJson: the value of '$key' is a $($value.GetType().FullName)" }
        $parts.Add((ConvertTo-LinkJsonString -Value ([string]$key)) + ':' + $json)
    }
    $parts -join ','
}

function Get-LinkCommandSession {
    # The serve session a command writes to: the one it already uses, else the runspace's.
    param([Parameter(Mandatory)] $Command)
    $session = $Command.Session
    if ($session -and -not $session.Closed) { return $session }
    if ($session -and $Command.InFlight -gt 0) {
        # Another command restarted the engine under us: what we had in flight is gone.
        $Command.Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -TargetObject $session.EnginePath `
                    -Message 'The LinkTools engine was restarted while this command had requests in flight.'))
    }
    $session = Get-LinkServeSession -Cmdlet $Command.Cmdlet
    $Command.Session = $session
    $Command.Reused = $session.NextId -gt 0
    $session
}

function Send-LinkEngineRequest {
    <#
    Sends one request of a per-item command and writes the answers that are due, in request order (as
    Write-LinkEngineAnswer describes). Which answers are due:
    - in lockstep (a -Lockstep command, its first $LinkRequestLockstep requests, or an item from a slow
      producer): every answer so far, including this request's;
    - otherwise none until the window ($LinkRequestWindow requests or $LinkRequestWindowBytes bytes in
      flight) is full, then all of them in one batch.
    Complete-LinkItemCommand writes the rest at the end of the pipeline. -Members is the request
    without its id and op (ConvertTo-LinkRequestJson). This runs once per pipeline item, so it avoids
    function calls on its common path.
    #>
    param([Parameter(Mandatory)] $Command, [Parameter(Mandatory)][string] $Members, [object] $TargetObject)
    $slowInput = ([System.Diagnostics.Stopwatch]::GetTimestamp() - $Command.LastReturn) -ge $script:LinkRequestSlowInputTicks
    $session = $Command.Session
    if (-not $session -or $session.Closed) { $session = Get-LinkCommandSession -Command $Command }
    $bytes = $Members.Length + $Command.Prefix.Length + 16
    if ($session.Pending.Count -gt 0 -and $session.PendingBytes + $bytes -gt $script:LinkRequestWindowBytes) {
        Receive-LinkEngineAnswer -Command $Command -All
        $session = $Command.Session
    }
    Write-LinkEngineRequestLine -Command $Command -Members $Members -TargetObject $TargetObject -Bytes $bytes
    if ($Command.Lockstep -or $slowInput -or $Command.Sent -le $script:LinkRequestLockstep -or
        $Command.InFlight -ge $script:LinkRequestWindow -or $Command.Session.PendingBytes -ge $script:LinkRequestWindowBytes) {
        Receive-LinkEngineAnswer -Command $Command
    }
    $Command.LastReturn = [System.Diagnostics.Stopwatch]::GetTimestamp()
}

function Write-LinkEngineRequestLine {
    # Writes one request line (and flushes it when due). An engine that is gone before it could read
    # the request (a write fails) is restarted and sent the command's requests again when none of
    # them can have been carried out (Resolve-LinkEngineGone); otherwise LT_ENGINE_FAILED.
    param([Parameter(Mandatory)] $Command, [Parameter(Mandatory)][string] $Members, [object] $TargetObject, [int] $Bytes)
    $session = $Command.Session
    $session.NextId++
    $id = $session.NextId
    $line = '{"id":' + $id + ',' + $Command.Prefix + ',' + $Members + '}'
    $flush = $Command.Lockstep -or ($Command.InFlight + 1) % $script:LinkRequestFlushEvery -eq 0
    $sent = $true
    # Until the flush below has happened, a side-effect request may sit in the writer's buffer; a
    # command stopped in between must not have it carried out later (Get-LinkServeSession kills).
    if ($Command.Lockstep) { $session.DirtyLockstep = $Command }
    try {
        $session.Writer.WriteLine($line)
        if ($flush) { $session.Writer.Flush(); $session.DirtyLockstep = $null }
    } catch { $sent = $false }
    # Written first, then registered: an answer without an entry is dropped, never mistaken.
    $session.Pending.Enqueue(@($id, $Command, $TargetObject, $Bytes, $Members))
    $session.PendingBytes += $Bytes
    $Command.InFlight++
    $Command.Sent++
    if (-not $sent) { Resolve-LinkEngineGone -Command $Command -WriteFailed }
}

function Receive-LinkEngineAnswer {
    <#
    Reads answers until the command has none in flight (-All: until nothing is in flight on the
    session), routing each by its id to the command that asked, then writes this command's. The engine
    ending meanwhile is handled by Resolve-LinkEngineGone.
    #>
    param([Parameter(Mandatory)] $Command, [switch] $All)
    $session = $Command.Session
    if ($session -and $session.Closed -and $Command.InFlight -gt 0) {
        # Another command had to end the engine (it failed under it): these answers will not come.
        $Command.InFlight = 0
        Write-LinkEngineAnswer -Command $Command
        $Command.Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -TargetObject $session.EnginePath `
                    -Message 'The LinkTools engine ended while this command had requests in flight.'))
    }
    if ($session -and -not $session.Closed -and ($Command.InFlight -gt 0 -or ($All -and $session.Pending.Count -gt 0))) {
        # Hand the batch to the engine. A failure means the engine is gone, which reading shows.
        try { $session.Writer.Flush(); $session.DirtyLockstep = $null } catch { Write-Debug "sending requests to the engine: $_" }
        $waited = $false
        $pending = $session.Pending
        while ($Command.InFlight -gt 0 -or ($All -and $pending.Count -gt 0)) {
            $task = $session.OutTask
            if ($null -eq $task -and -not $session.OutDone) { $task = $session.Process.StandardOutput.ReadLineAsync(); $session.OutTask = $task }
            if ($null -ne $task -and -not $task.IsCompleted) {
                Wait-LinkEngineOutput -Session $session
                $waited = $true
                continue
            }
            $line = $null
            if ($null -ne $task) { $line = $task.GetAwaiter().GetResult() }
            if ($null -eq $line) {
                $session.OutDone = $true
                $session.OutTask = $null
                Resolve-LinkEngineGone -Command $Command
                # Restarted with this command's requests sent again: read on from the new engine.
                $session = $Command.Session
                $pending = $session.Pending
                continue
            }
            # The id is the number after the last "requestId": (the engine writes it last; inside a
            # JSON string that text cannot occur unescaped).
            $id = $null
            $match = $script:LinkAnswerId.Match($line)
            if ($match.Success) { $id = [long]$match.Groups[1].Value }
            if ($null -eq $id) {
                if ($line.Trim().Length -eq 0) { $session.OutTask = $null; continue }
                Resolve-LinkEngineUnrequested -Command $Command -Line $line
            }
            # Entries older than this answer will get none (a line read twice or written without an
            # entry): forget them.
            while ($pending.Count -gt 0 -and $pending.Peek()[0] -lt $id) {
                $lost = $pending.Dequeue()
                $session.PendingBytes -= $lost[3]
                $lost[1].InFlight--
                $lost[1].Lost++
            }
            if ($pending.Count -gt 0 -and $pending.Peek()[0] -eq $id) {
                $entry = $pending.Dequeue()
                $session.PendingBytes -= $entry[3]
                $owner = $entry[1]
                $owner.Ready.Add(@($line, $entry))
                $owner.InFlight--
                $owner.Answered++
            }
            # Forgotten only now: a stop before this line leaves the answer to be read again, by id.
            $session.OutTask = $null
        }
        if (-not $waited) { Read-LinkEngineStdErr -Session $session }
    }
    if ($Command.Lost -gt 0) {
        $lost = $Command.Lost
        $Command.Lost = 0
        $Command.Cmdlet.WriteError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -TargetObject $session.EnginePath `
                    -Message "The LinkTools engine's answers to $lost request(s) were lost."))
    }
    Write-LinkEngineAnswer -Command $Command
}

function Wait-LinkEngineOutput {
    <#
    Waits (in short slices, draining stderr, so the pipeline can be stopped) until the pending stdout
    read has completed. A pipeline stopped HERE (Ctrl+C while the engine is busy: a slow or hung
    file system) kills the engine rather than leave the next command queued behind a request nobody
    wants; the next command starts a new one. Stops anywhere else leave the engine running.
    #>
    param([Parameter(Mandatory)] $Session)
    $done = $false
    try {
        while (-not $Session.OutTask.IsCompleted) {
            # Read-LinkEngineStdErr, called only when it has something to do (per call: it is the wait).
            $errTask = $Session.ErrTask
            if (-not $Session.ErrDone -and ($null -eq $errTask -or $errTask.IsCompleted)) { Read-LinkEngineStdErr -Session $Session }
            if ($Session.ErrDone) { [void]$Session.OutTask.Wait(200) }
            else { [void][System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]]@($Session.OutTask, $Session.ErrTask), 200) }
        }
        $done = $true
    } finally {
        if (-not $done -and $Session.Persistent) { [void](Stop-LinkEngine -Session $Session -Kill) }
    }
}

function Resolve-LinkEngineUnrequested {
    # A line that answers no request: an error about the whole run (the engine has stopped serving),
    # which ends the command with the engine's own code, or output that is not a record (LT_ENGINE_FAILED).
    param([Parameter(Mandatory)] $Command, [Parameter(Mandatory)][string] $Line)
    $session = $Command.Session
    Write-LinkEngineAnswer -Command $Command
    $record = ConvertFrom-LinkEngineLine -Session $session -Cmdlet $Command.Cmdlet -Line $Line
    [void](Stop-LinkEngine -Session $session -Kill)
    if ([string]$record.recordType -eq 'error') { $Command.Cmdlet.ThrowTerminatingError((New-LinkErrorRecord -Record $record)) }
    $Command.Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -TargetObject $session.EnginePath `
                -Message "The LinkTools engine wrote a record that answers no request: $Line"))
}

function Resolve-LinkEngineGone {
    <#
    The serve engine ended (or its stdin broke) while this command had requests in flight. When it is
    safe to ask again, the engine is restarted transparently and the command's requests are sent again:
    the engine was reused from an earlier command (so it died in between, e.g. Stop-Process), none of
    this command's requests has been answered, and either they only read (info, test) or the engine
    could not have read them (the write failed). Otherwise the answers it gave are written and the
    command ends with LT_ENGINE_FAILED carrying the engine's stderr.
    #>
    param([Parameter(Mandatory)] $Command, [switch] $WriteFailed)
    $session = $Command.Session
    Write-LinkEngineAnswer -Command $Command
    $retry = $Command.Reused -and -not $Command.Retried -and $Command.Answered -eq 0 -and ($WriteFailed -or -not $Command.Lockstep)
    # What it said on the way out, then kill: nothing buffered for it may reach it.
    $exited = $false
    try { $exited = $session.Process.WaitForExit(2000) } catch { $exited = $false }
    if ($exited) { Read-LinkEngineStdErr -Session $session -ToEnd }
    $code = Stop-LinkEngine -Session $session -Kill
    if ($retry) {
        $Command.Retried = $true
        $again = New-Object System.Collections.Generic.List[object]
        foreach ($entry in $session.Pending) { if ($entry[1] -eq $Command) { $again.Add($entry) } }
        $Command.InFlight = 0
        $Command.Session = $null
        $fresh = Get-LinkCommandSession -Command $Command
        $fresh.StdErr.AddRange($session.StdErr)
        $Command.Reused = $false
        Write-Debug ("LinkTools: the engine had ended; started process {0} and sent {1} request(s) again" -f $fresh.Process.Id, $again.Count)
        foreach ($entry in $again) {
            Write-LinkEngineRequestLine -Command $Command -Members $entry[4] -TargetObject $entry[2] -Bytes $entry[3]
        }
        try { $fresh.Writer.Flush(); $fresh.DirtyLockstep = $null } catch { Write-Debug "sending requests to the engine: $_" }
        return
    }
    $why = ($session.StdErr -join [Environment]::NewLine)
    $session.StdErr.Clear()
    $Command.Cmdlet.ThrowTerminatingError((New-LinkModuleErrorRecord -ErrorId 'LT_ENGINE_FAILED' -TargetObject $session.EnginePath `
                -Message ("The LinkTools engine ended (exit code {0}) without answering a request. {1}" -f $code, $why)))
}
