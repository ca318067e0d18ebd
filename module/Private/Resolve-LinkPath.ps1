# User paths -> absolute native paths for the engine.
#
# PowerShell's location is not the process's working folder, and paths may use PowerShell drives
# (TestDrive:, HKLM:, ~), so every path goes through the SessionState path API. The result is never
# resolved *through* a link: GetUnresolvedProviderPathFromPSPath only makes the text absolute, and a
# trailing separator (which would make the OS follow a link to a folder) is dropped.

function Get-LinkTrimmedPath {
    param([string] $Path)
    $trimmed = $Path.TrimEnd([char]'/', [char]'\')
    if ($trimmed.Length -eq 0) { return $Path }                  # '/' itself
    if ($trimmed -match '^[A-Za-z]:$') { return $trimmed + '\' }  # 'C:\' stays a root
    if ($trimmed -match '^[\\/]{2}[^\\/]+[\\/][^\\/]+$' -and $trimmed -ne $Path) { return $Path } # \\server\share\
    $trimmed
}

function Resolve-LinkPath {
    <#
    Yields the native path(s) for each input path. Wildcards are expanded (unless -Literal) against
    the entries that exist. As with Get-Item, a pattern that matches nothing in a folder that exists
    yields nothing and no error, while a pattern under a folder that does not exist, or a drive that
    does not exist, is a non-terminating LT_NOT_FOUND error (ObjectNotFound), and a path on another
    provider LT_INVALID_ARGUMENT.
    #>
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [AllowEmptyCollection()][string[]] $Path,
        [switch] $Literal
    )
    $pathApi = $Cmdlet.SessionState.Path
    foreach ($p in $Path) {
        if ([string]::IsNullOrEmpty($p)) { continue }
        $provider = $null
        $resolved = @()
        $wildcard = $false
        try {
            if (-not $Literal -and [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($p)) {
                $wildcard = $true
                # The folder part before the first wildcard must exist (Get-Item: ObjectNotFound).
                # Checked here rather than caught: a caught exception would still show up in the
                # caller's -ErrorVariable.
                $first = $p.IndexOfAny([char[]]'*?[')
                $sep = -1
                if ($first -gt 0) { $sep = $p.LastIndexOfAny([char[]]'/\', $first - 1) }
                $folder = '.'
                if ($sep -gt 0) { $folder = $p.Substring(0, $sep) } elseif ($sep -eq 0) { $folder = $p.Substring(0, 1) }
                if ($folder -notmatch '[*?\[]') {
                    $folderNative = $pathApi.GetUnresolvedProviderPathFromPSPath($folder)
                    if (-not [System.IO.Directory]::Exists($folderNative)) {
                        Write-LinkPathError -Cmdlet $Cmdlet -ErrorId 'LT_NOT_FOUND' -Category ObjectNotFound -Path $p -Message "Cannot find path '$folderNative' because it does not exist."
                        continue
                    }
                }
                $resolved = @($pathApi.GetResolvedProviderPathFromPSPath($p, [ref]$provider))
            } else {
                # -Path without (unescaped) wildcards: a backtick-escaped [ or * stands for itself.
                $plain = $p
                if (-not $Literal -and $p.IndexOf([char]'`') -ge 0) { $plain = [System.Management.Automation.WildcardPattern]::Unescape($p) }
                $drive = $null
                $resolved = @($pathApi.GetUnresolvedProviderPathFromPSPath($plain, [ref]$provider, [ref]$drive))
            }
        } catch [System.Management.Automation.PipelineStoppedException] {
            throw
        } catch {
            # .NET method calls wrap what they throw in a MethodInvocationException.
            $ex = $_.Exception
            if ($ex -is [System.Management.Automation.MethodInvocationException] -and $null -ne $ex.InnerException) { $ex = $ex.InnerException }
            if ($ex -is [System.Management.Automation.PipelineStoppedException]) { throw $ex }
            if ($ex -is [System.Management.Automation.ItemNotFoundException] -or $ex -is [System.Management.Automation.DriveNotFoundException]) {
                Write-LinkPathError -Cmdlet $Cmdlet -ErrorId 'LT_NOT_FOUND' -Category ObjectNotFound -Path $p -Message $ex.Message
            } else {
                Write-LinkPathError -Cmdlet $Cmdlet -ErrorId 'LT_INVALID_ARGUMENT' -Category InvalidArgument -Path $p -Message $ex.Message
            }
            continue
        }
        if ($resolved.Count -eq 0) {
            # A wildcard that matches nothing in a folder that exists: nothing, no error (Get-Item).
            if ($wildcard) { continue }
            Write-LinkPathError -Cmdlet $Cmdlet -ErrorId 'LT_NOT_FOUND' -Category ObjectNotFound -Path $p -Message "No file-system entry matches '$p'."
            continue
        }
        if ($null -eq $provider -or $provider.Name -ne 'FileSystem') {
            Write-LinkPathError -Cmdlet $Cmdlet -ErrorId 'LT_INVALID_ARGUMENT' -Category InvalidArgument -Path $p -Message "'$p' is not a file-system path."
            continue
        }
        foreach ($r in $resolved) {
            # Only a path ending in a separator or ':' can change; the rest skip the call (per item).
            $last = $r[$r.Length - 1]
            if ($last -eq [char]'/' -or $last -eq [char]'\' -or $last -eq [char]':') { Get-LinkTrimmedPath -Path $r } else { $r }
        }
    }
}

function Write-LinkPathError {
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][string] $ErrorId,
        [Parameter(Mandatory)][System.Management.Automation.ErrorCategory] $Category,
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Message
    )
    if ($Category -eq 'ObjectNotFound') {
        $ex = [System.Management.Automation.ItemNotFoundException]::new($Message)
    } else {
        $ex = [System.ArgumentException]::new($Message)
    }
    $ex.Data['LinkToolsCode'] = $ErrorId
    $Cmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($ex, $ErrorId, $Category, $Path))
}

function Test-LinkLiteralInput {
    <#
    True when the current pipeline object should be taken literally: a FileSystemInfo or any object
    bound by property name (FullName, PSPath, Path) names one real entry, so '[' in its name is not a
    wildcard. Strings (typed or piped) keep wildcard meaning, as with Get-Item -Path.
    #>
    param([System.Management.Automation.PSCmdlet] $Cmdlet, $InputObject)
    if (-not $Cmdlet.MyInvocation.ExpectingInput) { return $false }
    if ($null -eq $InputObject) { return $false }
    -not ($InputObject -is [string])
}

function Resolve-LinkTargetPath {
    <#
    The target as the engine should get it. A symbolic link stores its target as given, so a relative
    target stays relative (to the link's folder) unless it names a PowerShell drive; hard links and
    junctions need a real entry and get an absolute native path resolved against PowerShell's location.
    #>
    param(
        [Parameter(Mandatory)][System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)][string] $Target,
        [Parameter(Mandatory)][string] $Kind
    )
    if ($Kind -eq 'symlink') {
        $qualified = $Target -match '^[^\\/:]{2,}:' -or $Target -match '::' -or $Target -match '^~([\\/]|$)'
        if (-not $qualified) { return $Target }
    }
    Get-LinkTrimmedPath -Path $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Target)
}
