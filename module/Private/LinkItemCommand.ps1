# The one per-item body shared by Get-LinkInfo, Test-Link, New-Link and Remove-Link:
#   begin   { $item = New-LinkItemCommand -Cmdlet $PSCmdlet -Op <op> [options] }
#   process { Invoke-LinkItemCommand -Command $item -Path ... [-Request @{...}] [-Action '...'] }
#   end     { Complete-LinkItemCommand -Command $item }
# Each cmdlet only says what its request holds. Paths are resolved here (wildcards, -LiteralPath,
# piped FileSystemInfo objects taken literally), ShouldProcess is asked per path when the cmdlet gives
# an -Action (a declined path never reaches the engine), and the requests go to the runspace's serve
# engine (EngineSession.ps1), which is started on the first request only, so -WhatIf starts nothing.
# A stopped pipeline needs no clean-up here: its answers are read and dropped by the next command.

function New-LinkItemCommand {
    <#
    A per-item command: the engine op (info, test, create, remove), the op's options for every request
    (-Options), and what each answer becomes: output through ConvertTo-LinkObject, only -AnswerProperty
    of it, or nothing (-NoOutput); an error answer is an ErrorRecord followed by -ErrorAnswer when
    given. -Lockstep: every request is answered before the next item is read (side effects: nothing
    happens ahead of what the caller has seen, e.g. under -ErrorAction Stop). -Literal: paths are
    never wildcards.
    #>
    [Diagnostics.CodeAnalysis.SuppressMessageAttribute('PSUseShouldProcessForStateChangingFunctions', '', Justification = "Builds an object in memory; it changes no system state.")]
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][ValidateSet('info', 'test', 'create', 'remove')][string] $Op,
        [System.Collections.IDictionary] $Options,
        [string] $AnswerProperty,
        [object] $ErrorAnswer,
        [switch] $NoOutput,
        [switch] $Lockstep,
        [switch] $Literal
    )
    $prefix = '"op":"' + $Op + '"'   # one of the ValidateSet's plain names
    if ($Options -and $Options.Count) { $prefix += ',' + (ConvertTo-LinkRequestJson -Request $Options) }
    # A hashtable, not a [pscustomobject]: one is made per call, and a hashtable of these 19 members
    # costs a third as much to make; members read and written the same way ($c.InFlight++).
    @{
        Cmdlet         = $Cmdlet
        Op             = $Op
        Prefix         = $prefix
        AnswerProperty = $AnswerProperty
        HasErrorAnswer = $PSBoundParameters.ContainsKey('ErrorAnswer')
        ErrorAnswer    = $ErrorAnswer
        NoOutput       = [bool]$NoOutput
        Lockstep       = [bool]$Lockstep
        LiteralSet     = $Literal -or $Cmdlet.ParameterSetName -eq 'LiteralPath'
        Piped          = $Cmdlet.MyInvocation.ExpectingInput
        Session        = $null
        Reused         = $false
        Retried        = $false
        Sent           = 0
        InFlight       = 0
        Answered       = 0
        Lost           = 0
        Ready          = [System.Collections.Generic.List[object]]::new()
        LastReturn     = [System.Diagnostics.Stopwatch]::GetTimestamp()
    }
}

function Invoke-LinkItemCommand {
    <#
    The process{} body: resolves -Path (wildcards, unless the command is literal or the pipeline
    object is not a string: a FileSystemInfo or an object bound by property names one real entry) or
    -LiteralPath, and sends one request per native path: -Request plus the path as -PathField. With
    -Action, each path is first confirmed with ShouldProcess(path, Action). Writes the answers that
    are due (Send-LinkEngineRequest).
    #>
    param(
        [Parameter(Mandatory)] $Command,
        [string[]] $Path,
        [string[]] $LiteralPath,
        $InputObject,
        [System.Collections.IDictionary] $Request,
        [string] $PathField = 'path',
        [string] $Action
    )
    $cmdlet = $Command.Cmdlet
    $literal = $Command.LiteralSet -or ($Command.Piped -and $null -ne $InputObject -and -not ($InputObject -is [string]))
    $inputPaths = $Path
    if ($Command.LiteralSet -and $PSBoundParameters.ContainsKey('LiteralPath')) { $inputPaths = $LiteralPath }
    $rest = ''
    if ($Request -and $Request.Count) { $rest = ',' + (ConvertTo-LinkRequestJson -Request $Request) }
    $field = '"' + $PathField + '":'
    if (-not $script:LinkJsonPlain.IsMatch($PathField)) { $field = (ConvertTo-LinkJsonString -Value $PathField) + ':' }
    foreach ($inputPath in $inputPaths) {
        foreach ($native in (Resolve-LinkPath -Cmdlet $cmdlet -Path $inputPath -Literal:$literal)) {
            if ($Action -and -not $cmdlet.ShouldProcess($native, $Action)) { continue }
            # ConvertTo-LinkJsonString's fast path, inlined (once per item).
            if ($script:LinkJsonPlain.IsMatch($native)) { $json = '"' + $native + '"' } else { $json = ConvertTo-LinkJsonString -Value $native }
            Send-LinkEngineRequest -Command $Command -Members ($field + $json + $rest) -TargetObject $native
        }
    }
}

function Complete-LinkItemCommand {
    # The end{} body: writes the answers still in flight, then what the engine said on stderr meanwhile.
    # The engine stays for the next command.
    param([Parameter(Mandatory)] $Command)
    if (-not $Command.Session) { return }
    # Nothing in flight, nothing to write, nothing lost (a lockstep command's last answer is written
    # already): Receive-LinkEngineAnswer would do nothing, so it is not called.
    if ($Command.InFlight -gt 0 -or $Command.Ready.Count -gt 0 -or $Command.Lost -gt 0) { Receive-LinkEngineAnswer -Command $Command }
    $session = $Command.Session
    if ($session) {
        # Read-LinkEngineStdErr returns at once while its pending read has nothing: skip the call then.
        $errTask = $session.ErrTask
        if (-not $session.ErrDone -and ($null -eq $errTask -or $errTask.IsCompleted)) { Read-LinkEngineStdErr -Session $session }
        if ($session.StdErr.Count -gt 0) { Write-LinkEngineStdErr -Session $session -Cmdlet $Command.Cmdlet }
    }
}
