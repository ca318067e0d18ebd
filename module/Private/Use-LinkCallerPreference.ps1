# Caller preferences for script-module cmdlets.
#
# A function in a script module runs in the module's session state: it sees global variables, but
# not the variables of the function or script that called it. So `function f { [CmdletBinding(
# SupportsShouldProcess)] param() New-Link ... }; f -WhatIf` would set $WhatIfPreference in f's scope
# only, and New-Link would create the link. Compiled cmdlets do not have this problem: they read the
# preferences from the caller's scope. Use-LinkCallerPreference gives LinkTools cmdlets the same
# behaviour: called first thing in a cmdlet's begin block, it reads each preference variable as the
# caller sees it ($PSCmdlet.SessionState is the caller's session state) and sets it in the cmdlet's
# own scope, unless the matching common parameter (-WhatIf, -Confirm, -ErrorAction, -Verbose, -Debug,
# -InformationAction, -WarningAction, -ProgressAction) was given, which always wins.
# The cmdlet runtime reads a preference the first time it needs it (ShouldProcess, WriteError,
# WriteVerbose...) and then keeps it, which is why this must run before anything else.

# Preference variable -> common parameter that overrides it.
$script:LinkCallerPreferences = [ordered]@{
    ErrorActionPreference = 'ErrorAction'
    WarningPreference     = 'WarningAction'
    InformationPreference = 'InformationAction'
    VerbosePreference     = 'Verbose'
    DebugPreference       = 'Debug'
    ProgressPreference    = 'ProgressAction'
    WhatIfPreference      = 'WhatIf'
    ConfirmPreference     = 'Confirm'
}

function Use-LinkCallerPreference {
    <#
    Copies the caller's preference variables into the calling cmdlet's scope (see above). -Cmdlet is
    the cmdlet's $PSCmdlet. Costs one variable lookup per preference when nothing differs.
    #>
    param([Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet)
    $bound = $Cmdlet.MyInvocation.BoundParameters
    $callerVariables = $Cmdlet.SessionState.PSVariable
    $ownVariables = $ExecutionContext.SessionState.PSVariable
    foreach ($pair in $script:LinkCallerPreferences.GetEnumerator()) {
        if ($bound.ContainsKey($pair.Value)) { continue }
        $caller = $callerVariables.Get($pair.Key)
        if ($null -eq $caller) { continue }
        # What the cmdlet would see without us: the module scope, then the global scope.
        $own = $ownVariables.Get($pair.Key)
        if ($null -ne $own -and [object]::Equals($own.Value, $caller.Value)) { continue }
        # Scope 1 is the cmdlet's scope (begin, process and end share it), so the value applies to
        # the whole command and to every private function it calls.
        Set-Variable -Name $pair.Key -Value $caller.Value -Scope 1
    }
}
