#!/usr/bin/env bash
# Tests the role ctagent.agent.proxy_rollout (through the collection's playbook
# ctagent.agent.proxy_rollout) on a fleet built here, on this machine, for the run:
#   - 25 hosts (CTAGENT_FLEET_HOSTS), each a real sshd on its own loopback address (127.0.0.2 ...)
#     in its own mount namespace, with its own /etc/ctagent (a per-host folder bind-mounted there),
#     its own /run (a tmpfs) whose /run/dbus is a per-host folder holding the socket of that host's
#     own system bus (dbus-daemon and the fake systemd, Tests/Fixtures/run-fake-systemd.sh), its own
#     login records, a trust store holding the test platform's CA, and the release binary installed
#     as `make install` installs it (bin/ctagent and the ctagentcmd link, bind-mounted at
#     /usr/local/bin);
#   - the platform (a TLS peer, Tests/Fixtures/tls_fixtures.py), the new proxies (two tinyproxy
#     with Basic authentication), the old proxy (a tinyproxy), and a silent listener (accepts,
#     never answers: what a firewall that drops looks like from the agent), all on 127.0.0.1;
#   - Ansible reaching the hosts over SSH as root with a key made for the run, forks 10
#     (CTAGENT_FLEET_FORKS), pipelining, and ControlPath in the run folder: every check runs with
#     Debian's ansible-core (2.14), then with PyPI's (.build-ansible-venv, which
#     scripts/test-ansible.sh makes) when it is there; CTAGENT_FLEET_ANSIBLE=DIR runs only the
#     ansible-playbook in DIR.
# Hosts are made to fail in three ways: their platform sits behind the silent listener (the new
# proxies cannot reach it from there: the change is taken back), their agent unit fails 300 ms
# after each restart (fake systemd "after": fails:300; taken back), or their config is one that
# others can write (the tool refuses it before writing anything: failed, nothing written).
#
# The checks:
#   (d) check mode: every host would change (the summary says so, each host's masked diff is
#       shown), and nothing changes anywhere (sha256 of every config, backups, no restart, no guard);
#   (a) a clean roll-out changes all hosts, each change confirmed (a guard armed and stopped, one
#       restart per host); a second run changes nothing (0 changed, configs byte-identical);
#   (b) a canary that fails stops the roll-out after the first batch: the canary is back on its
#       previous config (byte-identical) and every other host is untouched;
#   (b2) a later batch failing beyond max_fail_percentage stops the roll-out there; the hosts of
#       later batches are untouched;
#   (c) failures inside max_fail_percentage: those hosts are taken back (or refused), the rest
#       changed, and the summary's lists are the expected ones with the tool's reasons;
#   (e) during every roll-out, no proxy password (plain or base64) in Ansible's -vvv output or in
#       any command line on the machine (the hosts share this machine's process table; sampled).
#
#   scripts/test-fleet.sh            the checks (about 2 minutes per ansible-core)
#   scripts/test-fleet.sh --bench    wall time of roll-outs against `ansible -m ping` on the fleet
#
# Every process the fleet starts is stopped by its PID at exit (an EXIT trap), and the script
# fails if any is left; everything it made is under one mktemp -d folder, removed at exit. The only
# thing outside it: an empty /etc/ctagent (the mount point) when this machine has none, removed too.
# Traffic stays on 127.0.0.0/8 and no name is looked up: the inventory and every URL are IPs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fail() { echo "FAIL: $*" >&2; exit 1; }

bench=false
case "${1:-}" in
  --bench) bench=true ;;
  "") ;;
  *) echo "usage: $0 [--bench]" >&2; exit 64 ;;
esac

hosts=${CTAGENT_FLEET_HOSTS:-25}
forks=${CTAGENT_FLEET_FORKS:-10}
ssh_port=${CTAGENT_FLEET_SSH_PORT:-2222}
# The checks run with Debian's ansible-core and with PyPI's (.build-ansible-venv, made by
# scripts/test-ansible.sh) when it is there; CTAGENT_FLEET_ANSIBLE=DIR: only the one in DIR.
if [ -n "${CTAGENT_FLEET_ANSIBLE:-}" ]; then
  ansible_bins=("$CTAGENT_FLEET_ANSIBLE")
else
  ansible_bins=(/usr/bin)
  if [ -x "$root/.build-ansible-venv/bin/ansible-playbook" ]; then ansible_bins+=("$root/.build-ansible-venv/bin"); fi
fi
ansible_bin=${ansible_bins[0]}
[ "$(id -u)" = 0 ] || fail "run as root: the fleet's hosts are mount namespaces with bind mounts, each with its sshd"
# The checks' batches and failing hosts are laid out for 25 hosts; the benchmark takes 2 to 250.
if $bench; then
  [[ $hosts =~ ^[0-9]+$ ]] && ((hosts >= 2 && hosts <= 250)) || fail "CTAGENT_FLEET_HOSTS must be 2 to 250"
else
  [ "$hosts" = 25 ] || fail "the checks are laid out for 25 hosts (CTAGENT_FLEET_HOSTS is for --bench)"
fi
for tool in /usr/sbin/sshd ssh ssh-keygen unshare dbus-daemon tinyproxy /usr/bin/python3 \
  "${ansible_bins[@]/%//ansible-playbook}" "${ansible_bins[@]/%//ansible}"; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs what the tests need)"
done
# The binary, installed into every host as `make install` installs it (its two install lines for
# bin/: the binary 0755 and the ctagentcmd link); built as scripts/test-ansible.sh builds it.
# CTAGENT_FLEET_BIN_DIR: take ctagent from another folder instead (no build).
if [ -n "${CTAGENT_FLEET_BIN_DIR:-}" ]; then
  bin_dir=$CTAGENT_FLEET_BIN_DIR
else
  [ -x .build/release/ctagent ] || make --no-print-directory release >/dev/null
  bin_dir=$root/.build/release
fi
[ -x "$bin_dir/ctagent" ] || fail "no ctagent binary in $bin_dir"
unshare -m --propagation private true 2>/dev/null || fail "unshare -m does not work here: the fleet's hosts need mount namespaces (CAP_SYS_ADMIN)"

run=$(mktemp -d /tmp/ctagent-fleet.XXXXXX)
made_etc_ctagent=false

ip() { echo "127.0.0.$(($1 + 1))"; }   # host 1 is 127.0.0.2, ..., host 25 is 127.0.0.26
hostdir() { echo "$run/$(ip "$1")"; }

# The descendants of a process (sshd's sessions and what they run).
descendants() {
  ps -eo pid=,ppid= | awk -v top="$1" '
    { parent[$1] = $2 }
    END { for (pid in parent) { p = parent[pid]; while (p != "" && p > 1) { if (p == top) { print pid; break } p = parent[p] } } }'
}

cleanup() {
  local status=$? pid leftover sessions=""
  set +e
  trap - EXIT INT TERM
  # A roll-out still running (this script was interrupted): stop it first.
  if [ -n "${playbook_pid:-}" ] && kill -0 "$playbook_pid" 2>/dev/null; then
    kill "$playbook_pid" 2>/dev/null
    wait "$playbook_pid" 2>/dev/null
  fi
  # The SSH masters Ansible left (ControlPersist): ask each to exit by its socket.
  for socket in "$run"/cp/*; do
    [ -S "$socket" ] && ssh -F /dev/null -o ControlPath="$socket" -O exit fleet-master >/dev/null 2>&1
  done
  # sshd of each host with its sessions, then the processes started outside the namespaces
  # (recorded in $run/pids as they started), then each host's bus and fake systemd.
  for ((i = 1; i <= hosts; i++)); do
    pid=$(cat "$(hostdir "$i")/sshd.started" 2>/dev/null) || continue
    for child in $(descendants "$pid"); do kill "$child" 2>/dev/null; sessions+=" $child"; done
    kill "$pid" 2>/dev/null
  done
  [ -f "$run/pids" ] && while read -r pid; do kill "$pid" 2>/dev/null; done <"$run/pids"
  for ((i = 1; i <= hosts; i++)); do
    [ -d "$(hostdir "$i")/dbus" ] && "$root/Tests/Fixtures/run-fake-systemd.sh" stop "$(hostdir "$i")/dbus"
  done
  for proxy in proxy-a proxy-b proxy-old; do
    [ -d "$run/$proxy" ] && "$root/Tests/Fixtures/run-tinyproxy.sh" stop "$run/$proxy"
  done
  # None may be left: every process the fleet started names the run folder on its command line
  # (sshd -f, dbus-daemon --config-file, the mock's --logfile, tinyproxy -c, the peers' port files,
  # the SSH masters' sockets), and sshd's sessions are its descendants, killed above.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    leftover=$(ps -eo pid=,args= | grep -F -- "$run" | grep -v -e "grep -F" -e "ps -eo" || true)
    [ -z "$leftover" ] && break
    sleep 0.3
  done
  # And sshd's sessions, which do not name it: the ones killed above must be gone (a zombie
  # waiting for its reaper is gone).
  for pid in $sessions; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      ps -o stat= -p "$pid" 2>/dev/null | grep -qv '^Z' || continue 2
      sleep 0.3
    done
    echo "FAIL: a session process of the fleet's sshd is still running: $(ps -o pid=,args= -p "$pid")" >&2
    status=1
  done
  if [ -n "$leftover" ]; then
    echo "FAIL: processes of the fleet are still running after the teardown:" >&2
    echo "$leftover" >&2
    for pid in $(echo "$leftover" | awk '{print $1}'); do kill -9 "$pid" 2>/dev/null; done
    status=1
  fi
  # CTAGENT_FLEET_LOGS=DIR keeps Ansible's output of each run (no secrets: checked) for CI artifacts.
  if [ -n "${CTAGENT_FLEET_LOGS:-}" ]; then
    mkdir -p "$CTAGENT_FLEET_LOGS" && cp "$run"/*.out "$CTAGENT_FLEET_LOGS"/ 2>/dev/null
  fi
  rm -rf "$run"
  $made_etc_ctagent && rmdir /etc/ctagent 2>/dev/null
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started() { echo "$1" >>"$run/pids"; }
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for_file() {
  for _ in $(seq 100); do [ -s "$1" ] && return 0; sleep 0.1; done
  fail "$2 did not start (no $1)"
}

# ---------------------------------------------------------------------------------------------
# The run's secrets: made here, so that finding them anywhere means they leaked from this run.
user1=fleetuser1 user2=fleetuser2
password1=pw1-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
password2=pw2-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
base64_1=$(printf '%s' "$password1" | base64)
base64_2=$(printf '%s' "$password2" | base64)
secrets=("$password1" "$password2" "$base64_1" "$base64_2")
# What the process sampler keeps: the tool's command lines, and any line holding a secret.
printf '%s\n' bin/ctagent "${secrets[@]}" >"$run/patterns"

# The platform and the proxies, on 127.0.0.1.
/usr/bin/python3 Tests/Fixtures/tls_fixtures.py certs "$run/certs"
/usr/bin/python3 Tests/Fixtures/tls_fixtures.py server "$run/platform.port" "$run/certs/platform.pem" </dev/null >"$run/platform.log" 2>&1 &
started $!
# The silent listener: accepts connections (the backlog would too) and never says a word.
/usr/bin/python3 -c '
import socket, sys
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(512)
open(sys.argv[1] + ".tmp", "w").write(str(server.getsockname()[1]))
__import__("os").rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    held.append(server.accept()[0])
' "$run/silent.port" </dev/null >"$run/silent.log" 2>&1 &
started $!
wait_for_file "$run/platform.port" "the platform (tls_fixtures.py server)"
wait_for_file "$run/silent.port" "the silent listener"
platform_port=$(cat "$run/platform.port")
silent_port=$(cat "$run/silent.port")
port_a=$(free_port) port_b=$(free_port) port_old=$(free_port)
Tests/Fixtures/run-tinyproxy.sh start "$run/proxy-a" "$port_a" "$user1" "$password1"
Tests/Fixtures/run-tinyproxy.sh start "$run/proxy-b" "$port_b" "$user2" "$password2"
Tests/Fixtures/run-tinyproxy.sh start "$run/proxy-old" "$port_old"
new_proxies=http://127.0.0.1:$port_a,http://127.0.0.1:$port_b

# The hosts trust the platform's CA as their system trust store (/etc/ssl/certs, where
# OpenSSL's default paths lead).
mkdir -p "$run/trust"
cp "$run/certs/ca.pem" "$run/trust/ca-certificates.crt"

# What `make install` puts in PREFIX/bin.
install -D -m 0755 "$bin_dir/ctagent" "$run/prefix/bin/ctagent"
ln -sfn ctagent "$run/prefix/bin/ctagentcmd"

# The mount point for each host's /etc/ctagent (the .deb makes it on a real host).
if [ ! -e /etc/ctagent ]; then mkdir -m 0755 /etc/ctagent; made_etc_ctagent=true; fi

# Ansible's key, and the hosts' authorized_keys (logins from loopback only).
ssh-keygen -q -t ed25519 -N '' -C "ctagent fleet test" -f "$run/id_ed25519"
echo "from=\"127.0.0.1\" $(cat "$run/id_ed25519.pub")" >"$run/authorized_keys"

# The baseline config of host $1: the old proxy, the platform (or, with $2=silent, the
# silent listener in its place: no path from there reaches the platform).
write_config() {
  local dir port=$platform_port
  dir=$(hostdir "$1")/etc
  [ "${2:-}" = silent ] && port=$silent_port
  cat >"$dir/config.yaml.new" <<EOF
# Xshield agent configuration (fleet host $(ip "$1"))
configuration:
  # platform the agent reports to
  platform-url: https://127.0.0.1:$port
  # proxies, tried in this order
  proxy: http://127.0.0.1:$port_old
  heartbeat-interval: 60
  log-level: info
EOF
  chmod 0600 "$dir/config.yaml.new"
  mv "$dir/config.yaml.new" "$dir/config.yaml"
  rm -f "$dir/config.yaml.bak"
}

# Host $1's agent unit: the fake systemd's parameters (restarted only when they change).
agent_unit() {
  local dir params=${2:-'{}'}
  dir=$(hostdir "$1")/dbus
  [ "$(cat "$dir/params" 2>/dev/null)" = "$params" ] && return 0
  "$root/Tests/Fixtures/run-fake-systemd.sh" stop "$dir"
  "$root/Tests/Fixtures/run-fake-systemd.sh" start "$dir" "$params" >/dev/null || fail "the fake systemd of host $(ip "$1") did not start"
  echo "$params" >"$dir/params"
  started "$(cat "$dir/dbus.pid")"
  started "$(cat "$dir/mock.pid")"
}
unit_fails='{"after": {"ctagent.service": "fails:300"}}'

for ((i = 1; i <= hosts; i++)); do
  h=$(hostdir "$i")
  mkdir -p "$h/etc" "$h/dbus" "$h/log"
  write_config "$i"
  ssh-keygen -q -t ed25519 -N '' -C "fleet host $(ip "$i")" -f "$h/ssh_host_ed25519_key"
  : >"$h/log/wtmp"; : >"$h/log/btmp"; : >"$h/log/lastlog"
  cat >"$h/sshd_config" <<EOF
# sshd of fleet host $(ip "$i") (scripts/test-fleet.sh): loopback only, this run's keys only.
ListenAddress $(ip "$i"):$ssh_port
HostKey $h/ssh_host_ed25519_key
PidFile $h/sshd.pid
AuthorizedKeysFile $run/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
# The run folder is below /tmp (mode 1777), which StrictModes refuses above authorized_keys.
StrictModes no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PermitTunnel no
PrintMotd no
PrintLastLog no
MaxStartups 100:30:200
MaxSessions 30
Subsystem sftp internal-sftp
EOF
done

# Each host's system bus and fake systemd, a few at a time (each is a Python process). Waiting
# for these jobs by PID: a bare `wait` would wait for the platform and the proxies too.
jobs_started=()
for ((i = 1; i <= hosts; i++)); do
  agent_unit "$i" &
  jobs_started+=($!)
  if ((${#jobs_started[@]} == 5 || i == hosts)); then
    wait "${jobs_started[@]}" || true
    jobs_started=()
  fi
done
for ((i = 1; i <= hosts; i++)); do
  [ -S "$(hostdir "$i")/dbus/system_bus_socket" ] || fail "host $(ip "$i") has no system bus"
  started "$(cat "$(hostdir "$i")/dbus/dbus.pid")"
  started "$(cat "$(hostdir "$i")/dbus/mock.pid")"
done

# Each host: its own mount namespace (private, so nothing propagates back), then sshd in the
# foreground, so that the PID we record is sshd's (unshare and sh exec into it).
for ((i = 1; i <= hosts; i++)); do
  h=$(hostdir "$i")
  unshare -m --propagation private /bin/sh -c '
    set -e
    h=$1 run=$2
    mount -t tmpfs -o mode=0755 fleet-run /run
    mkdir -m 0755 /run/sshd /run/dbus
    mount --bind "$h/dbus" /run/dbus
    mount --bind "$h/etc" /etc/ctagent
    mount --bind "$run/prefix/bin" /usr/local/bin
    mount --bind "$run/trust" /etc/ssl/certs
    for f in wtmp btmp lastlog; do
      [ ! -e "/var/log/$f" ] || mount --bind "$h/log/$f" "/var/log/$f"
    done
    exec /usr/sbin/sshd -D -e -f "$h/sshd_config"' fleet-host "$h" "$run" </dev/null >"$h/sshd.log" 2>&1 &
  echo $! >"$h/sshd.started"
done
for ((i = 1; i <= hosts; i++)); do
  h=$(hostdir "$i")
  for attempt in $(seq 100); do
    (exec 3<>"/dev/tcp/$(ip "$i")/$ssh_port") 2>/dev/null && break
    kill -0 "$(cat "$h/sshd.started")" 2>/dev/null || { cat "$h/sshd.log" >&2; fail "sshd of host $(ip "$i") exited"; }
    ((attempt < 100)) || { cat "$h/sshd.log" >&2; fail "sshd of host $(ip "$i") does not accept on port $ssh_port"; }
    sleep 0.1
  done
done

# Ansible: the inventory (IPs only), its configuration, and the role's variables (the secrets:
# in a vars file, never on a command line).
{
  echo "[endpoints]"
  for ((i = 1; i <= hosts; i++)); do ip "$i"; done
  echo
  echo "[endpoints:vars]"
  echo "ansible_port=$ssh_port"
} >"$run/inventory"
mkdir -p "$run/cp" "$run/ansible-home" "$run/ansible-local"
cat >"$run/ansible.cfg" <<EOF
[defaults]
inventory = $run/inventory
forks = $forks
remote_user = root
private_key_file = $run/id_ed25519
host_key_checking = False
interpreter_python = /usr/bin/python3
gathering = explicit
retry_files_enabled = False
local_tmp = $run/ansible-local
remote_tmp = $run/ansible-remote
timeout = 20

[ssh_connection]
# Pipelining: modules and their arguments travel on the session's stdin, no temp files on hosts.
pipelining = True
# No ~/.ssh/config, this run's known_hosts; the masters' sockets in the run folder, closed at exit.
ssh_args = -F /dev/null -o ControlMaster=auto -o ControlPersist=600s -o StrictHostKeyChecking=no -o UserKnownHostsFile=$run/known_hosts -o IdentitiesOnly=yes -o BatchMode=yes
control_path_dir = $run/cp
control_path = %(directory)s/%%C
EOF
cat >"$run/proxies.yml" <<EOF
ctagent_proxies: [http://127.0.0.1:$port_a, http://127.0.0.1:$port_b]
ctagent_proxy_users: [$user1, $user2]
ctagent_proxy_passwords: [$base64_1, $base64_2]
# A short window: a working host confirms in about 1 s (the settle), a host whose platform is
# silent fails when the walk's attempts time out (5 s each, at once), whatever the window.
ctagent_confirm: 8
ctagent_confirm_settle: 1
ctagent_rollout_summary_file: $run/summary.json
EOF
chmod 0600 "$run/proxies.yml"
export ANSIBLE_CONFIG=$run/ansible.cfg ANSIBLE_HOME=$run/ansible-home ANSIBLE_COLLECTIONS_PATH=$root/ansible \
  ANSIBLE_COLLECTIONS_PATHS=$root/ansible ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_STDOUT_CALLBACK=default
ansible_version=$("$ansible_bin/ansible" --version 2>/dev/null | sed -n 1p)

# Every host answers over SSH (this also opens the SSH masters that the runs below reuse).
"$ansible_bin/ansible" endpoints -m ansible.builtin.ping </dev/null >"$run/ping.out" 2>&1 ||
  { cat "$run/ping.out" >&2; fail "not every host of the fleet answers ansible.builtin.ping"; }
(($(grep -c "SUCCESS" "$run/ping.out") == hosts)) || { cat "$run/ping.out" >&2; fail "ping: not $hosts answers"; }
echo "ok: a fleet of $hosts hosts (sshd in its own mount namespace, own /etc/ctagent and system bus each) answers over SSH ($ansible_version, forks $forks) [set up in ${SECONDS} s]"

# ---------------------------------------------------------------------------------------------
# rollout NAME ARGS...: the collection's playbook at -vvv, in the background, while the command
# line of every process on this machine is sampled (the hosts' sshd sessions, their modules and
# the ctagent runs included); sets $rc; the output is in $run/NAME.out. Then (e): no secret in
# either.
rollout() {
  local name=$1 pid secret
  shift
  rm -f "$run/summary.json"
  : >"$run/processes"
  sampled=0
  started_at=$SECONDS
  "$ansible_bin/ansible-playbook" -vvv ctagent.agent.proxy_rollout -e @"$run/proxies.yml" "$@" </dev/null >"$run/$name.out" 2>&1 &
  pid=$! playbook_pid=$!
  # Only the tool's lines and any line holding a secret are kept (the patterns are in a file,
  # so that the sampler's own grep does not show them on its command line).
  while kill -0 "$pid" 2>/dev/null; do
    ps -eo args= | grep -F -f "$run/patterns" >>"$run/processes" || true
    sampled=$((sampled + 1))
    sleep 0.02
  done
  rc=0
  wait "$pid" || rc=$?
  took=$((SECONDS - started_at))
  for secret in "${secrets[@]}"; do
    ! grep -qF -- "$secret" "$run/$name.out" || fail "($name) a proxy password appears in Ansible's -vvv output: $(grep -m3 -nF -- "$secret" "$run/$name.out" | cut -c1-300)"
    ! grep -qF -- "$secret" "$run/processes" || fail "($name) a proxy password appears in a command line: $(grep -m3 -F -- "$secret" "$run/processes" | cut -c1-300)"
    ! grep -qF -- "$secret" "$run/summary.json" 2>/dev/null || fail "($name) a proxy password appears in the summary file"
  done
  sampled_runs=$(grep -c "ctagent updateProxy" "$run/processes" || true)
  sampled_stdin=$(grep "ctagent updateProxy" "$run/processes" | grep -c -- "--proxyPasswordStdin" || true)
  rm -f "$run/processes"
}
# (e) is only a check if the sampler saw the tool run on the hosts with its passwords coming in
# on stdin (--proxyPasswordStdin on its command line).
sampler_saw_the_tool() {
  ((sampled_runs > 0)) || fail "($1) the process sampler saw no ctagent run on the hosts in $sampled samples: the secret check proves nothing"
  ((sampled_stdin > 0)) || fail "($1) the sampled ctagent runs do not take their passwords on stdin"
}

# snapshot NAME: per host, the config's sha256, the backup's (or -), and the fake systemd's
# counts of restarts, guards armed (StartTransientUnit) and guards stopped (StopUnit).
snapshot() {
  local h
  for ((i = 1; i <= hosts; i++)); do
    h=$(hostdir "$i")
    printf '%s %s %s %s %s %s\n' "$(ip "$i")" \
      "$(sha256sum <"$h/etc/config.yaml" | cut -c1-64)" \
      "$( [ -e "$h/etc/config.yaml.bak" ] && sha256sum <"$h/etc/config.yaml.bak" | cut -c1-64 || echo -)" \
      "$(grep -c ' RestartUnit ' "$h/dbus/calls.log" || true)" \
      "$(grep -c ' StartTransientUnit ' "$h/dbus/calls.log" || true)" \
      "$(grep -c ' StopUnit ' "$h/dbus/calls.log" || true)"
  done >"$run/snapshot.$1"
}
# field NAME HOST N: one field of a host's line in a snapshot (2 config, 3 backup, 4 restarts,
# 5 guards armed, 6 guards stopped).
# A missing snapshot or host is a bug of this script: stop it (from inside $(...), by signal)
# rather than compare two empty strings.
field() {
  local value
  value=$(awk -v host="$(ip "$2")" -v n="$3" '$1 == host { print $n }' "$run/snapshot.$1" 2>/dev/null)
  [ -n "$value" ] || { echo "FAIL: no snapshot $1 of host $(ip "$2")" >&2; kill -TERM $$; }
  echo "$value"
}

# untouched BEFORE AFTER HOST: config and backup byte-identical, never restarted, no guard.
untouched() {
  local i=$3
  [ "$(field "$1" "$i" 2)" = "$(field "$2" "$i" 2)" ] || fail "(${2%.*}) host $(ip "$i") should be untouched, but its config changed"
  [ "$(field "$1" "$i" 3)" = "$(field "$2" "$i" 3)" ] || fail "(${2%.*}) host $(ip "$i") should be untouched, but its backup changed"
  [ "$(field "$1" "$i" 4)" = "$(field "$2" "$i" 4)" ] || fail "(${2%.*}) host $(ip "$i") should be untouched, but its agent was restarted"
  [ "$(field "$1" "$i" 5)" = "$(field "$2" "$i" 5)" ] || fail "(${2%.*}) host $(ip "$i") should be untouched, but a guard was armed on it"
}
# refused BEFORE AFTER HOST: nothing written, no restart, and no guard armed (the tool checks that
# the file may be written before it arms one).
refused() {
  local i=$3
  [ "$(field "$1" "$i" 2)" = "$(field "$2" "$i" 2)" ] || fail "(${2%.*}) host $(ip "$i") was refused: its config should not have changed"
  [ "$(field "$1" "$i" 3)" = "$(field "$2" "$i" 3)" ] || fail "(${2%.*}) host $(ip "$i") was refused: its backup should not have changed"
  [ "$(field "$1" "$i" 4)" = "$(field "$2" "$i" 4)" ] || fail "(${2%.*}) host $(ip "$i") was refused: its agent should not have been restarted"
  [ "$(field "$1" "$i" 5)" = "$(field "$2" "$i" 5)" ] || fail "(${2%.*}) host $(ip "$i") was refused, but a guard was armed for it"
}
# changed_confirmed BEFORE AFTER HOST: the new list is in the config, the agent restarted once,
# and the change was confirmed: its guard was armed, then stopped (not left to fire).
changed_confirmed() {
  local i=$3 config
  config=$(hostdir "$i")/etc/config.yaml
  grep -qx "  proxy: $new_proxies" "$config" || fail "(${2%.*}) host $(ip "$i") should have the new proxies: $(grep proxy: "$config")"
  grep -qx "  proxy-user: $user1,$user2" "$config" || fail "(${2%.*}) host $(ip "$i") should have the new users"
  grep -qx "  proxy-password: $base64_1,$base64_2" "$config" || fail "(${2%.*}) host $(ip "$i") should have the new passwords (from stdin)"
  (($(field "$2" "$i" 4) == $(field "$1" "$i" 4) + 1)) || fail "(${2%.*}) host $(ip "$i"): the agent should have been restarted once"
  (($(field "$2" "$i" 5) == $(field "$1" "$i" 5) + 1)) || fail "(${2%.*}) host $(ip "$i"): the change should have armed a guard (--confirm)"
  (($(field "$2" "$i" 6) == $(field "$1" "$i" 6) + 1)) || fail "(${2%.*}) host $(ip "$i"): the guard should have been stopped (confirmed)"
}
# taken_back BEFORE AFTER HOST: the config is byte-identical to before (the tool put the previous
# version back), the agent restarted twice (with the change, then without), the backup holds
# the unconfirmed version.
taken_back() {
  local i=$3
  [ "$(field "$1" "$i" 2)" = "$(field "$2" "$i" 2)" ] || fail "(${2%.*}) host $(ip "$i") should be back on its previous config (byte-identical)"
  (($(field "$2" "$i" 4) == $(field "$1" "$i" 4) + 2)) || fail "(${2%.*}) host $(ip "$i"): the agent should have been restarted with the change, then without it"
  grep -q "proxy: $new_proxies" "$(hostdir "$i")/etc/config.yaml.bak" || fail "(${2%.*}) host $(ip "$i"): the backup should hold the change that was taken back"
}

# hosts_json N...: the hosts' IPs as a JSON list; all_but N...: every host but those.
hosts_json() { local sep="" out="["; for i in "$@"; do out+="$sep\"$(ip "$i")\""; sep=", "; done; echo "$out]"; }
all_but() { for ((i = 1; i <= hosts; i++)); do [[ " $* " == *" $i "* ]] || echo "$i"; done; }
range() { seq "$1" "$2"; }

# check_summary NAME EXPECTED: the role's summary file (written after every batch, so its last
# version is the roll-out's outcome) against the scenario's expectations; reasons by substring.
check_summary() {
  /usr/bin/python3 - "$run/summary.json" "$1" "$2" <<'EOF'
import json, sys
path, scenario, expected = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
try:
    with open(path) as f:
        summary = json.load(f)
except (OSError, ValueError) as error:
    sys.exit("FAIL: (%s) the role wrote no summary (%s)" % (scenario, error))
problems = []
for key in ("changed", "unchanged", "not_reached"):
    if summary.get(key) != expected.get(key, []):
        problems.append("%s: expected %s, got %s" % (key, expected.get(key, []), summary.get(key)))
for key in ("taken_back", "failed"):
    want, got = expected.get(key, {}), summary.get(key) or {}
    if sorted(want) != sorted(got):
        problems.append("%s: expected %s, got %s" % (key, sorted(want), got))
        continue
    for host, words in want.items():
        if words not in got[host]:
            problems.append("%s: %s: the reason should say '%s', it says '%s'" % (key, host, words, got[host]))
# The fleet-wide diff: the hosts of each distinct change (only checked when expected).
if "change_groups" in expected and sorted(summary.get("changes", {}).values()) != sorted(expected["change_groups"]):
    problems.append("changes: expected the groups %s, got %s" % (expected["change_groups"], summary.get("changes")))
if summary.get("check_mode") != expected.get("check_mode", False):
    problems.append("check_mode: expected %s, got %s" % (expected.get("check_mode", False), summary.get("check_mode")))
if problems:
    sys.exit("FAIL: (%s) the summary is wrong:\n  " % scenario + "\n  ".join(problems))
EOF
}
# The summary printed last must say the same counts as the file.
check_printed_summary() {
  local name=$1 label count
  for pair in "taken back:$2" "not reached:$3"; do
    label=${pair%:*} count=${pair##*:}
    grep -q "\"$label ($count):" <(grep "\"$label (" "$run/$name.out" | tail -1) ||
      fail "($name) the printed summary should say '$label ($count)': $(grep "\"$label (" "$run/$name.out" | tail -1)"
  done
}
# recap NAME HOST: the host's PLAY RECAP line.
recap() { grep -E "^$(ip "$2" | sed 's/\./\\./g') +: " "$run/$1.out" | tail -1; }

reset_fleet() {
  for ((i = 1; i <= hosts; i++)); do write_config "$i"; done
  for ((i = 1; i <= hosts; i++)); do agent_unit "$i"; done
}

silent_reason="no proxy of the new list reaches the platform"
unit_reason="the unit was failed"

# ---------------------------------------------------------------------------------------------
if $bench; then
  # Wall times against ansible.builtin.ping over the same fleet, forks and SSH masters.
  timed() { local start end; start=$(date +%s.%N); "$@" </dev/null >"$run/bench.out" 2>&1 || { tail -30 "$run/bench.out" >&2; fail "bench: $*"; }; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'; }
  playbook=("$ansible_bin/ansible-playbook" ctagent.agent.proxy_rollout -e @"$run/proxies.yml")
  ping=$(timed "$ansible_bin/ansible" endpoints -m ansible.builtin.ping)
  reset_fleet
  without=$(timed "${playbook[@]}" -e ctagent_confirm=0)
  again=$(timed "${playbook[@]}" -e ctagent_confirm=0)
  reset_fleet
  with=$(timed "${playbook[@]}")
  reset_fleet
  single=$(timed "${playbook[@]}" -e '{"ctagent_serial": ["100%"]}')
  ping2=$(timed "$ansible_bin/ansible" endpoints -m ansible.builtin.ping)
  ping=$(awk -v a="$ping" -v b="$ping2" 'BEGIN { printf "%.2f", (a + b) / 2 }')
  echo "bench: $hosts hosts, forks $forks, $ansible_version; per host = wall / $hosts; ratio = wall / ping's wall"
  row() { awk -v label="$1" -v t="$2" -v p="$ping" -v n="$hosts" 'BEGIN { printf "  %-58s %6.2f s  %5.0f ms/host  %5.1fx\n", label, t, t * 1000 / n, t / p }'; }
  row "ansible -m ansible.builtin.ping (mean of two)" "$ping"
  row "roll-out, batches [1, 10%, 100%], without confirm" "$without"
  row "second run, nothing to change" "$again"
  row "roll-out, batches [1, 10%, 100%], confirm 8 s (settle 1 s)" "$with"
  row "roll-out, one batch of 100%, confirm 8 s (settle 1 s)" "$single"
  exit 0
fi

# The checks, with one ansible-core ($ansible_bin).
checks() {
ansible_version=$("$ansible_bin/ansible" --version 2>/dev/null | sed -n 1p)
echo "== with $ansible_version"
reset_fleet

# (d) Check mode on the baseline: every host would change, nothing changes anywhere.
snapshot check.before
rollout check --check --diff
snapshot check.after
((rc == 0)) || { tail -40 "$run/check.out"; fail "(check) the check-mode run failed (exit $rc)"; }
cmp -s "$run/snapshot.check.before" "$run/snapshot.check.after" ||
  fail "(check) check mode changed something (config, backup, a restart or a guard): $(diff "$run/snapshot.check.before" "$run/snapshot.check.after" | head -5)"
check_summary check "{\"check_mode\": true, \"changed\": $(hosts_json $(range 1 "$hosts")), \"change_groups\": [$(hosts_json $(range 1 "$hosts"))]}"
(($(grep -c "^+  proxy: $new_proxies\$" "$run/check.out") == hosts)) || fail "(check) every host's diff should show the new list: $(grep -c "^+  proxy: $new_proxies\$" "$run/check.out") of $hosts"
(($(grep -c "^+  proxy-password: <new secret>" "$run/check.out") == hosts)) || fail "(check) every host's diff should show the new passwords masked"
# (No sampler check here: a --dryRun lasts milliseconds and may fall between samples; the
# confirmed runs below last a second or more each.)
echo "ok: (d) check mode: $hosts hosts would change, each diff shown with the passwords masked; no config, backup, restart or guard changed anywhere [${took} s]"

# (a) A clean roll-out over all hosts, then a second run that changes nothing.
snapshot clean.before
rollout clean
snapshot clean.after
((rc == 0)) || { tail -40 "$run/clean.out"; fail "(clean) the roll-out failed (exit $rc)"; }
check_summary clean "{\"changed\": $(hosts_json $(range 1 "$hosts")), \"change_groups\": [$(hosts_json $(range 1 "$hosts"))]}"
for ((i = 1; i <= hosts; i++)); do changed_confirmed clean.before clean.after "$i"; done
sampler_saw_the_tool clean
echo "ok: (a) clean roll-out: $hosts hosts changed, each confirmed (guard armed and stopped, one restart); the sampler saw $sampled_runs ctagent command lines in $sampled samples [${took} s]"
rollout again
snapshot again.after
((rc == 0)) || { tail -40 "$run/again.out"; fail "(again) the second run failed (exit $rc)"; }
cmp -s "$run/snapshot.clean.after" "$run/snapshot.again.after" || fail "(again) the second run changed something: $(diff "$run/snapshot.clean.after" "$run/snapshot.again.after" | head -5)"
check_summary again "{\"unchanged\": $(hosts_json $(range 1 "$hosts"))}"
for ((i = 1; i <= hosts; i++)); do
  recap again "$i" | grep -q " changed=0 " || fail "(again) host $(ip "$i") reports a change: $(recap again "$i")"
done
echo "ok: (a) second run: 0 changed, every config byte-identical, no restart [${took} s]"

# (b) The canary (host 1) cannot reach the platform with the new list: it takes the change back,
# fails, and the roll-out stops there. Host 5 would fail too; it must never be reached.
reset_fleet
write_config 1 silent
agent_unit 5 "$unit_fails"
snapshot canary.before
rollout canary
snapshot canary.after
((rc != 0)) || fail "(canary) the roll-out should fail when its canary is taken back"
taken_back canary.before canary.after 1
for ((i = 2; i <= hosts; i++)); do untouched canary.before canary.after "$i"; done
check_summary canary "{\"taken_back\": {\"$(ip 1)\": \"$silent_reason\"}, \"not_reached\": $(hosts_json $(range 2 "$hosts"))}"
check_printed_summary canary 1 $((hosts - 1))
recap canary 1 | grep -q " failed=1 " || fail "(canary) the canary's task should have failed: $(recap canary 1)"
echo "ok: (b) failing canary: taken back (config byte-identical, restarted twice), the roll-out stopped, the $((hosts - 1)) other hosts untouched [${took} s]"

# (b2) Batches [1, 20%, 100%] with max_fail_percentage 25: 2 of the 5 hosts of the second batch
# (40%) fail, so the roll-out stops after it; the third batch's hosts are untouched.
reset_fleet
agent_unit 3 "$unit_fails"
write_config 5 silent
snapshot threshold.before
rollout threshold -e '{"ctagent_serial": [1, "20%", "100%"], "ctagent_max_fail_percentage": 25}'
snapshot threshold.after
((rc != 0)) || fail "(threshold) the roll-out should fail when a batch fails beyond max_fail_percentage"
for i in 1 2 4 6; do changed_confirmed threshold.before threshold.after "$i"; done
taken_back threshold.before threshold.after 3
taken_back threshold.before threshold.after 5
for ((i = 7; i <= hosts; i++)); do untouched threshold.before threshold.after "$i"; done
check_summary threshold "{\"changed\": $(hosts_json 1 2 4 6), \"taken_back\": {\"$(ip 3)\": \"$unit_reason\", \"$(ip 5)\": \"$silent_reason\"}, \"not_reached\": $(hosts_json $(range 7 "$hosts"))}"
check_printed_summary threshold 2 $((hosts - 6))
echo "ok: (b2) a batch failing beyond max_fail_percentage (2 of 5 > 25%) stopped the roll-out; $((hosts - 6)) hosts of the next batch untouched [${took} s]"

# (c) The same batches and threshold, failures inside it: 1 of 5 (20%) in the second batch,
# 3 of 19 in the third, one of which the tool refuses before writing anything (a config that
# others can write: exit 77). Those hosts fail, the taken back ones are back on their previous
# config, the refused one is untouched, every other host changed, and the summary says so.
reset_fleet
write_config 4 silent
agent_unit 11 "$unit_fails"
write_config 19 silent
chmod 0666 "$(hostdir 23)/etc/config.yaml"
snapshot within.before
rollout within -e '{"ctagent_serial": [1, "20%", "100%"], "ctagent_max_fail_percentage": 25}'
snapshot within.after
((rc != 0)) || fail "(within) ansible-playbook should exit non-zero: 4 hosts failed"
for i in 4 11 19; do taken_back within.before within.after "$i"; done
refused within.before within.after 23
for i in 4 11 19 23; do
  recap within "$i" | grep -q " failed=1 " || fail "(within) host $(ip "$i") should have failed: $(recap within "$i")"
done
for i in $(all_but 4 11 19 23); do
  changed_confirmed within.before within.after "$i"
  recap within "$i" | grep -q " failed=0 " || fail "(within) host $(ip "$i") should not have failed: $(recap within "$i")"
done
check_summary within "{\"changed\": $(hosts_json $(all_but 4 11 19 23)), \"taken_back\": {\"$(ip 4)\": \"$silent_reason\", \"$(ip 11)\": \"$unit_reason\", \"$(ip 19)\": \"$silent_reason\"}, \"failed\": {\"$(ip 23)\": \"exit 77\"}, \"change_groups\": [$(hosts_json $(all_but 4 11 19 23))]}"
check_printed_summary within 3 0
sampler_saw_the_tool within
echo "ok: (c) failures inside max_fail_percentage: 3 hosts taken back with the tool's reasons, 1 refused by the tool (nothing written), $((hosts - 4)) changed, the summary right [${took} s]"
echo "ok: (e) no proxy password in any -vvv output or sampled command line"
}

for ansible_bin in "${ansible_bins[@]}"; do checks; done

# The collection's README shows the playbook that these checks ran, verbatim.
readme=ansible/ansible_collections/ctagent/agent/README.md
playbook=ansible/ansible_collections/ctagent/agent/playbooks/proxy_rollout.yml
/usr/bin/python3 - "$readme" "$playbook" <<'EOF' || fail "the README's playbook differs from $playbook"
import sys
readme, playbook = open(sys.argv[1]).read(), open(sys.argv[2]).read()
sys.exit(0 if "```yaml\n" + playbook + "```\n" in readme else 1)
EOF
echo "ok: the collection README's playbook is the one tested (playbooks/proxy_rollout.yml) [all done in ${SECONDS} s]"
