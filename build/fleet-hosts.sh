#!/usr/bin/env bash
# A throwaway fleet of SSH hosts on loopback, for the fleet tests (test/module/Fleet.Tests.ps1).
#
#   bash build/fleet-hosts.sh check                 # exit 0 when namespaces + sshd can be used here
#   bash build/fleet-hosts.sh start DIR COUNT PORT  # starts COUNT hosts, prints one line per host
#   bash build/fleet-hosts.sh stop DIR              # stops every sshd started under DIR
#
# Host i (1..COUNT) is an sshd listening on 127.0.0.(i+1):PORT only, run inside its own UTS and
# mount namespace (unshare --uts --mount): its host name is fleet-host<i>, and DIR/mnt (the same path
# for every host) shows that host's own folder DIR/host<i>/tree, bind-mounted inside its namespace
# only. Login is by a throwaway key (DIR/id_ed25519, made here) for root; PowerShell is the
# "powershell" subsystem (pwsh -sshs), started by DIR/host<i>/subsystem.sh with
# PSModulePath=DIR/host<i>/modules, so a test installs the module on one host by putting it there.
# DIR/known_hosts holds the throwaway host key for every address. Nothing listens on
# 127.0.0.(COUNT+2):PORT: the "unreachable" host. No traffic leaves loopback.
#
# Output of start, one line per host: "<address> <hostname> <tree folder> <module folder>".
set -euo pipefail

cmd=${1:-}
SSHD=/usr/sbin/sshd

fail() { printf 'fleet-hosts: %s\n' "$*" >&2; exit 1; }

pwsh_path() {
  local p="${PWSH:-$HOME/.dotnet/tools/pwsh}"
  [[ -x $p ]] || p=$(command -v pwsh || true)
  [[ -n $p && -x $p ]] || fail "pwsh not found (source build/tools.sh pwsh)"
  printf '%s\n' "$p"
}

case "$cmd" in
  check)
    [[ -x $SSHD ]] || fail "$SSHD is not installed (bash build/tools.sh apt installs openssh-server)"
    command -v ssh >/dev/null || fail "ssh is not installed (openssh-client)"
    command -v unshare >/dev/null || fail "unshare is not installed (util-linux)"
    unshare --uts --mount --propagation private -- /bin/sh -c 'hostname lt-fleet-check && mount -t tmpfs none /mnt 2>/dev/null || mount --bind / /mnt' \
      || fail "unshare --uts --mount is not allowed here (needs root or CAP_SYS_ADMIN)"
    echo ok
    ;;
  start)
    dir=${2:?DIR}; count=${3:?COUNT}; port=${4:?PORT}
    [[ -x $SSHD ]] || fail "$SSHD is not installed"
    pwsh=$(pwsh_path)
    dotnet_root="${DOTNET_ROOT:-}"
    if [[ -z $dotnet_root ]]; then
      for d in "$HOME/.dotnet" /usr/share/dotnet /usr/lib/dotnet; do [[ -x $d/dotnet ]] && { dotnet_root=$d; break; }; done
    fi
    mkdir -p "$dir/mnt" /run/sshd
    chmod 700 "$dir"
    [[ -f $dir/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C lt-fleet-client -f "$dir/id_ed25519"
    [[ -f $dir/hostkey ]] || ssh-keygen -q -t ed25519 -N '' -C lt-fleet-host -f "$dir/hostkey"
    cp "$dir/id_ed25519.pub" "$dir/authorized_keys"
    : >"$dir/known_hosts"
    : >"$dir/pids"
    for ((i = 1; i <= count; i++)); do
      addr="127.0.0.$((i + 1))"
      h="$dir/host$i"
      mkdir -p "$h/tree" "$h/modules"
      printf '[%s]:%s %s\n' "$addr" "$port" "$(cut -d' ' -f1,2 "$dir/hostkey.pub")" >>"$dir/known_hosts"
      cat >"$h/subsystem.sh" <<EOF
#!/bin/sh
export DOTNET_ROOT='$dotnet_root' HOME='$HOME' PSModulePath='$h/modules' POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off DOTNET_CLI_TELEMETRY_OPTOUT=1
exec '$pwsh' -sshs -NoLogo -NoProfile
EOF
      chmod 755 "$h/subsystem.sh"
      cat >"$h/sshd_config" <<EOF
ListenAddress $addr:$port
HostKey $dir/hostkey
PidFile none
AuthorizedKeysFile $dir/authorized_keys
AllowUsers root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
LogLevel ERROR
Subsystem powershell $h/subsystem.sh
EOF
      if timeout 1 bash -c "</dev/tcp/$addr/$port" 2>/dev/null; then fail "something already listens on $addr:$port"; fi
      # unshare execs sh, which execs sshd: $! is the sshd process.
      unshare --uts --mount --propagation private -- /bin/sh -c \
        'hostname "$1" && mount --bind "$2" "$3" && exec "$4" -D -e -f "$5"' \
        sh "fleet-host$i" "$h/tree" "$dir/mnt" "$SSHD" "$h/sshd_config" >"$h/sshd.log" 2>&1 &
      echo $! >>"$dir/pids"
    done
    # Wait (generous guard) until every host accepts connections.
    for ((i = 1; i <= count; i++)); do
      addr="127.0.0.$((i + 1))"
      ok=""
      for ((t = 0; t < 100; t++)); do
        if timeout 1 bash -c "</dev/tcp/$addr/$port" 2>/dev/null; then ok=1; break; fi
        sleep 0.1
      done
      [[ -n $ok ]] || { cat "$dir/host$i/sshd.log" >&2; "$0" stop "$dir" || true; fail "sshd on $addr:$port did not start"; }
    done
    down="127.0.0.$((count + 2))"
    if timeout 1 bash -c "</dev/tcp/$down/$port" 2>/dev/null; then "$0" stop "$dir" || true; fail "$down:$port is not free"; fi
    for ((i = 1; i <= count; i++)); do
      printf '127.0.0.%s fleet-host%s %s %s\n' "$((i + 1))" "$i" "$dir/host$i/tree" "$dir/host$i/modules"
    done
    ;;
  stop)
    dir=${2:?DIR}
    [[ -f $dir/pids ]] || exit 0
    # Every process in a host's UTS namespace (its sshd, the per-connection sshd and pwsh, an engine
    # they run) belongs to the test: stop them all, the listener first.
    nss=()
    while read -r pid; do
      [[ -n $pid ]] || continue
      ns=$(readlink "/proc/$pid/ns/uts" 2>/dev/null || true)
      [[ -n $ns ]] && nss+=("$ns")
      kill "$pid" 2>/dev/null || true
    done <"$dir/pids"
    if ((${#nss[@]})); then
      for p in /proc/[0-9]*; do
        pns=$(readlink "$p/ns/uts" 2>/dev/null || true)
        for ns in "${nss[@]}"; do [[ $pns == "$ns" ]] && kill "${p#/proc/}" 2>/dev/null; done
      done
    fi
    for ((t = 0; t < 50; t++)); do
      alive=""
      while read -r pid; do [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && alive=1; done <"$dir/pids"
      [[ -z $alive ]] && break
      sleep 0.1
    done
    while read -r pid; do [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null || true; done <"$dir/pids"
    rm -f "$dir/pids"
    ;;
  *)
    fail "usage: fleet-hosts.sh check | start DIR COUNT PORT | stop DIR"
    ;;
esac
