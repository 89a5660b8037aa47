#!/bin/bash
# The VM test's steps, run by real systemd (PID 1) as ctagent-vm-test.service once the VM is
# up (scripts/test-systemd-vm.sh builds the image and reads the results back). Everything
# talks to the VM's own loopback: it has no network device.
#
# Every line meant for the host starts with "CTAGENT-VM: " on the serial console and is kept
# in /var/lib/ctagent-vmtest/results: "ok - NAME", "not ok - NAME: WHY", "stage NAME" (where
# a hung VM was), and "done FAILURES" last. A stage that ends the boot (the reboot inside a
# window) writes its name to the stage file; the next boot goes on from there.
set -u
state=/var/lib/ctagent-vmtest
mkdir -p "$state"
results=$state/results
here=/root/vmtest
config=/etc/ctagent/config.yaml
failures=0
change_id=3d59a09ddf6746c99f6a125fdf44c58f
redundancy_id=5b8f2e1c9a3d4f6e8b7a0c1d2e3f4a5b

say() { echo "CTAGENT-VM: $*" > /dev/console; echo "$*" >> "$results"; }
pass() { say "ok - $1"; }
fail() { say "not ok - $1: $2"; failures=$((failures + 1)); }
stage() { say "stage $1"; }
# expect NAME WANTED_STATUS COMMAND…: runs COMMAND, keeps its output in $out and $status.
expect() {
    local name=$1 wanted=$2; shift 2
    out=$("$@" 2>&1); status=$?
    if [ "$status" = "$wanted" ]; then pass "$name"; else fail "$name" "exit $status, wanted $wanted: $(echo "$out" | tail -5 | tr '\n' ' ')"; fi
}
# check NAME DETAIL TEST…: the test's own verdict; DETAIL is a command, run only on failure,
# whose output says what was there instead.
check() {
    local name=$1 detail=$2; shift 2
    if "$@"; then pass "$name"; else fail "$name" "$(eval "$detail" 2>&1 | tail -8 | tr '\n' ' ')"; fi
}
# Waits up to $1 s for the command to succeed.
wait_for() {
    local seconds=$1; shift
    local end=$((SECONDS + seconds))
    until "$@"; do
        [ $SECONDS -ge $end ] && return 1
        sleep 0.5
    done
}
sha() { sha256sum "$config" | cut -c1-64; }
# The guard units' own account, for a failure's detail.
guard_log() { journalctl --no-pager -o cat -u 'ctagent-guard-*' | tail -6; systemctl --no-pager status 'ctagent-guard-*' 2>&1 | tail -4; }
guard_units() { systemctl list-units --all --no-legend --plain 'ctagent-guard-*' | awk '{print $1}'; }
no_guard_units() { [ -z "$(guard_units)" ]; }
invocation() { systemctl show -P InvocationID ctagent.service; }
agent_active() { [ "$(systemctl is-active ctagent.service)" = active ]; }
config_has() { grep -q -- "$1" "$config"; }
config_is() { [ "$(sha)" = "$1" ]; }
guards_empty() { [ -z "$(ls -A /var/lib/ctagent/guards 2>/dev/null)" ]; }
# Every private copy is 0600, and there is at least one.
copies_private() { ls /var/lib/ctagent/guards/*.copy >/dev/null 2>&1 && [ -z "$(find /var/lib/ctagent/guards -name '*.copy' ! -perm 600)" ]; }
# -q: without it journalctl prints "-- No entries --", which is a line too.
journal_has() { journalctl -q --no-pager -o verbose "$@" | grep -q .; }

write_config() {
    install -d -m 0755 /etc/ctagent
    printf '# the stand-in agent'"'"'s config\nconfiguration:\n  platform-url: https://127.0.0.1:%s\n  proxy: %s\n  log-level: info\n' \
        "$platform_port" "$1" > "$config.new"
    chmod 0600 "$config.new"
    mv "$config.new" "$config"
}

setup() {
    stage setup
    expect "the .deb installs with dpkg -i" 0 dpkg -i "$here/ctagent.deb"
    check "systemd knows the shipped units" 'echo ctagent-proxy-check.timer not found' \
        systemctl cat ctagent-proxy-check.timer >/dev/null
    # OpenSSL's default CA file: the agent and ctagent trust the test platform as a host would.
    install -D -m 0644 "$here/certs/ca.pem" /usr/lib/ssl/cert.pem
    systemctl daemon-reload
    systemctl start ctagent-test-platform.service
    wait_for 20 test -s /run/ctagent-test-platform.port || fail "the platform peer starts" "no port file"
    platform_port=$(cat /run/ctagent-test-platform.port)
    printf 'User tinyproxy\nGroup tinyproxy\nPort 3128\nListen 127.0.0.1\nTimeout 30\nMaxClients 20\nAllow 127.0.0.1\nPidFile "/run/tinyproxy/tinyproxy.pid"\nLogFile "/var/log/tinyproxy/tinyproxy.log"\nLogLevel Info\n' \
        > /etc/tinyproxy/tinyproxy.conf
    systemctl restart tinyproxy.service
    check "tinyproxy runs under systemd" 'systemctl status tinyproxy 2>&1 | tail -3' systemctl is-active -q tinyproxy.service
    write_config http://127.0.0.1:3128
    systemctl start ctagent.service
    check "the stand-in agent runs" 'journalctl -u ctagent --no-pager | tail -3' wait_for 20 agent_active
}

restarts() {
    stage restarts
    local before
    before=$(invocation)
    expect "restart over D-Bus" 0 ctagent restart --restartVia dbus
    check "restart over D-Bus: a new invocation" 'echo "InvocationID stayed $before"' test "$(invocation)" != "$before"
    before=$(invocation)
    expect "restart over systemctl" 0 ctagent restart --restartVia systemctl
    check "restart over systemctl: a new invocation" 'echo "InvocationID stayed $before"' test "$(invocation)" != "$before"
    expect "restart of a unit that does not exist, over D-Bus" 69 ctagent restart --service ctagent-missing.service --restartVia dbus
    check "a missing unit is named over D-Bus" 'echo "$out"' grep -q "has no unit ctagent-missing.service" <<<"$out"
    expect "restart of a unit that does not exist, over systemctl" 69 ctagent restart --service ctagent-missing.service --restartVia systemctl
    check "a missing unit is named over systemctl" 'echo "$out"' grep -q "ctagent-missing.service" <<<"$out"
}

refusals() {
    stage refusals
    expect "the refusal cases ran against systemd" 0 /usr/bin/python3 "$here/transient_refusals.py" ctagent-vm-refusal
    check "systemd refuses what the stand-in refuses" 'diff <(echo "$out") "$here/transient_refusals.expected" | tr '\''\n'\'' '\'' '\''' \
        diff -q <(echo "$out") "$here/transient_refusals.expected"
}

confirmed_changes() {
    stage confirm
    local before
    expect "--confirm with the default --restartVia: a good change confirmed" 0 \
        ctagentcmd updateConfig --set configuration.log-level=debug --confirm 20 --confirmSettle 2
    check "the good change stays" 'cat "$config"' config_has "log-level: debug"
    check "the confirmed change leaves no guard unit" 'guard_units' no_guard_units

    before=$(sha)
    expect "a change the agent cannot live with is taken back" 78 \
        ctagentcmd updateConfig --set configuration.log-level=trace --confirm 20 --confirmSettle 4
    check "the agent's restarts were seen" 'echo "$out"' grep -q -i "restart" <<<"$out"
    check "the previous version is back after the dying agent" 'cat "$config"' config_is "$before"
    check "the taken-back change leaves no guard unit" 'guard_units' no_guard_units
    check "the agent runs again on the previous version" 'systemctl is-active ctagent' wait_for 20 agent_active

    before=$(sha)
    expect "a dead proxy list is taken back" 78 \
        ctagentcmd updateProxy --proxy http://127.0.0.1:9 --confirm 20 --confirmSettle 2
    check "the previous version is back after the dead list" 'cat "$config"' config_is "$before"
    check "the dead list leaves no guard unit" 'guard_units' no_guard_units
    check "the agent runs again after the dead list" 'systemctl is-active ctagent' wait_for 20 agent_active
}

# The guard waits out the longest run of the tool (lock + restart timeout + window + 30 s): with
# the defaults 172 s for this window; these options bring it to 48 s.
short_guard="--confirm 12 --confirmSettle 11 --lockTimeout 1 --restartTimeout 5"

# The tool is killed inside the window: the real timer, run by systemd, takes the change back.
killed_inside_the_window() {
    stage killed
    local before pid since
    before=$(sha) since=$(date +%s)
    ctagentcmd updateConfig --set configuration.heartbeat-interval=77 $short_guard >"$state/killed.out" 2>&1 &
    pid=$!
    wait_for 30 config_has "heartbeat-interval: 77" || fail "the killed change was written" "$(cat "$state/killed.out")"
    kill -KILL "$pid"; wait "$pid" 2>/dev/null
    check "a guard unit is armed after SIGKILL" 'echo none' test -n "$(guard_units)"
    check "the real timer restores the previous version" 'cat "$config"; guard_log' wait_for 90 config_is "$before"
    check "the guard's rollback is in the journal" 'echo no entry' journal_has --since "@$since" MESSAGE_ID=$change_id CTAGENT_EVENT=rollback
    check "the guard unit is gone once it ran" 'guard_units; guard_log' wait_for 30 no_guard_units
    check "the agent runs after the guard's rollback" 'systemctl is-active ctagent' wait_for 20 agent_active
}

# A guard whose change was replaced by a later one spares the later one.
an_old_guard_spares_a_later_change() {
    stage old-guard
    local pid later
    ctagentcmd updateConfig --set configuration.heartbeat-interval=78 $short_guard >"$state/old.out" 2>&1 &
    pid=$!
    wait_for 30 config_has "heartbeat-interval: 78" || fail "the guarded change was written" "$(cat "$state/old.out")"
    kill -KILL "$pid"; wait "$pid" 2>/dev/null
    expect "a later plain change" 0 ctagentcmd updateConfig --set configuration.heartbeat-interval=79 --skipRestart
    later=$(sha)
    check "the old guard ran and is gone" 'guard_units; guard_log' wait_for 90 no_guard_units
    check "the old guard spared the later change" 'cat "$config"' config_is "$later"
}

# Issue 31 on real systemd: the guard of A, killed in its window, fires after B was made and
# rolled back (the config is A's version again, .bak holds B): it restores its private copy of
# the version before A, never B. The copy lives in /var/lib/ctagent/guards, 0700, and goes.
the_guard_restores_its_copy() {
    stage guard-copy
    local pid before
    before=$(sha)
    ctagentcmd updateConfig --set configuration.heartbeat-interval=80 $short_guard >"$state/copy.out" 2>&1 &
    pid=$!
    wait_for 30 config_has "heartbeat-interval: 80" || fail "change A was written" "$(cat "$state/copy.out")"
    kill -KILL "$pid"; wait "$pid" 2>/dev/null
    check "the guards' folder is root's alone" 'stat -c %a /var/lib/ctagent/guards' test "$(stat -c %a /var/lib/ctagent/guards)" = 700
    check "the private copy is 0600" 'ls -l /var/lib/ctagent/guards' copies_private
    expect "change B" 0 ctagentcmd updateConfig --set configuration.heartbeat-interval=81 --skipRestart
    expect "the admin rolls B back" 0 ctagentcmd rollback --skipRestart
    check ".bak holds B" 'cat "$config.bak"' grep -q "heartbeat-interval: 81" "$config.bak"
    check "A's guard restores the version before A, not B" 'cat "$config"; guard_log' wait_for 90 config_is "$before"
    check "the guard's copy is gone once it ran" 'ls -la /var/lib/ctagent/guards' \
        wait_for 30 guards_empty
    check "the agent runs after the guard's rollback" 'systemctl is-active ctagent' wait_for 20 agent_active
}

# Nothing the confirm command starts outlives it: its background process dies with its group.
the_confirm_command_leaves_nothing() {
    stage command-group
    local before
    before=$(sha)
    expect "a confirm command that outlasts the window is taken back" 78 \
        ctagentcmd updateConfig --set configuration.heartbeat-interval=82 --confirm 6 --confirmSettle 1 \
        --confirmCommand "sh -c 'sleep 1236 & exec sleep 100'"
    check "its background sleep is gone" 'ps -eo pid,ppid,pgid,args | grep "slee[p] 1236"' \
        test -z "$(pgrep -f 'slee[p] 1236')"
    check "the previous version is back" 'cat "$config"' config_is "$before"
}

redundancy_timer() {
    stage redundancy
    # A degraded list (a dead proxy first) is news on the first look: one journal entry.
    write_config http://127.0.0.1:9,http://127.0.0.1:3128
    install -d /var/lib/prometheus/node-exporter
    expect "the shipped units pass systemd-analyze verify" 0 \
        systemd-analyze verify --man=no /lib/systemd/system/ctagent-proxy-check.service /lib/systemd/system/ctagent-proxy-check.timer
    expect "systemd runs the redundancy check with its hardening" 0 systemctl start ctagent-proxy-check.service
    check "the check's unit succeeded" 'systemctl status ctagent-proxy-check.service 2>&1 | tail -5 | tr '\''\n'\'' '\'' '\''' \
        test "$(systemctl show -P Result ctagent-proxy-check.service)" = success
    check "the check wrote its textfile" 'ls -l /var/lib/prometheus/node-exporter/ 2>&1' \
        grep -q '^ctagent_proxy_up{.*} 1' /var/lib/prometheus/node-exporter/ctagent.prom
    check "the check's dead proxy is down in the textfile" 'cat /var/lib/prometheus/node-exporter/ctagent.prom 2>&1 | head -20' \
        grep -q '^ctagent_proxy_up{.*127.0.0.1:9.*} 0' /var/lib/prometheus/node-exporter/ctagent.prom
    check "the check's journal entry is read back with journalctl" 'echo no entry' journal_has MESSAGE_ID=$redundancy_id
    expect "the redundancy timer enables" 0 systemctl enable --now ctagent-proxy-check.timer
    check "the redundancy timer is active" 'systemctl is-active ctagent-proxy-check.timer' systemctl is-active -q ctagent-proxy-check.timer
    systemctl disable --now ctagent-proxy-check.timer >/dev/null 2>&1
    write_config http://127.0.0.1:3128
}

main() {
    : > "$results"
    say "systemd $(systemctl --version | head -1 | cut -d' ' -f2) as PID 1: $(ps -o comm= -p 1)"
    setup
    # The host may name the stages to run (CTAGENT_VM_STAGES), to try one again quickly.
    local stages="restarts refusals confirmed_changes killed_inside_the_window an_old_guard_spares_a_later_change the_guard_restores_its_copy the_confirm_command_leaves_nothing redundancy_timer"
    [ -s "$here/stages" ] && stages=$(cat "$here/stages")
    for each in $stages; do "$each"; done
    say "done $failures"
    systemctl poweroff --no-block
}

main
