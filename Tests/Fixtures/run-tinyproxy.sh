#!/bin/sh
# Start/stop a private tinyproxy (Debian package, 1.11.x) on loopback.
#
#   run-tinyproxy.sh start DIR PORT [USER PASSWORD] [LISTEN_ADDR]
#       USER/PASSWORD: enable "BasicAuth USER PASSWORD" (pass "" "" to skip it
#         when LISTEN_ADDR is needed). tinyproxy's config grammar only accepts
#         [-A-Za-z0-9._] in both.
#       LISTEN_ADDR: 127.0.0.1 (default) or ::1.
#       $TINYPROXY_EXTRA_CONF: extra config lines appended verbatim
#         (e.g. a Filter setup to get 403s).
#       Returns once the proxy is listening; prints nothing on success.
#   run-tinyproxy.sh stop DIR
#
# Files in DIR: tinyproxy.conf, tinyproxy.log (LogLevel Info), tinyproxy.pid,
#   tinyproxy.out (stdout/stderr: early errors such as a busy port land here,
#   not in the log).
set -eu

# A process that exited but was not reaped yet is a zombie, and kill -0 still
# succeeds on it. Once start returns, tinyproxy's parent is pid 1 (or a
# subreaper), which may reap it only much later (~1.5 s seen here), so look at
# the process state instead.
alive() {
    st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    case $st in Z*|"") return 1 ;; esac
}

usage="usage: $0 start DIR PORT [USER PASSWORD] [LISTEN_ADDR] | stop DIR"
cmd=${1:?$usage}
dir=${2:?$usage}

case $cmd in
start)
    port=${3:?$usage}
    user=${4:-}
    pass=${5:-}
    listen=${6:-127.0.0.1}
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)   # tinyproxy resolves nothing relative to the config
    conf=$dir/tinyproxy.conf
    log=$dir/tinyproxy.log
    # No User/Group lines on purpose: as root, 1.11 then only logs a warning and
    # keeps running as root. With "User tinyproxy" it drops privileges *before*
    # opening LogFile, so in a 0700 mkdtemp dir it cannot create the log
    # ("Error checking file ...: Permission denied"). As non-root it just runs
    # as the caller, so this works either way.
    # No ConnectPort lines: then CONNECT is allowed to every port.
    # No DefaultErrorFile: tinyproxy falls back to its built-in error page.
    {
        echo "Port $port"
        echo "Listen $listen"
        echo "Timeout 10"
        echo "LogLevel Info"
        echo "LogFile \"$log\""
        echo "PidFile \"$dir/tinyproxy.pid\""
        echo "MaxClients 100"
        echo "Allow 127.0.0.1"
        echo "Allow ::1"
        [ -z "$user" ] || echo "BasicAuth $user $pass"
        [ -z "${TINYPROXY_EXTRA_CONF:-}" ] || printf '%s\n' "$TINYPROXY_EXTRA_CONF"
    } > "$conf"
    # Fresh log, so an old "Accepting connections" line cannot fool the wait.
    : > "$log"
    # -d: stay in the foreground, so $! is tinyproxy's own pid. tinyproxy
    # writes the same pid to PidFile itself (overwriting) and deletes it on a
    # clean exit; we write it too so "stop" works even if start fails early.
    nohup tinyproxy -d -c "$conf" >"$dir/tinyproxy.out" 2>&1 </dev/null &
    pid=$!
    echo $pid > "$dir/tinyproxy.pid"
    # tinyproxy logs "Starting main loop. Accepting connections." right after
    # listen() succeeded on every address, so the port then accepts TCP
    # connections. Polling the log avoids needing nc/bash /dev/tcp, and a probe
    # connection would leave noise in the log. Bind failures make it exit.
    i=0
    until grep -q 'Accepting connections' "$log" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 100 ] || ! alive $pid; then
            echo "tinyproxy did not come up on [$listen]:$port; log:" >&2
            cat "$log" "$dir/tinyproxy.out" >&2 || true
            kill $pid 2>/dev/null || true
            rm -f "$dir/tinyproxy.pid"
            exit 1
        fi
        sleep 0.1
    done
    ;;
stop)
    if [ -f "$dir/tinyproxy.pid" ]; then
        pid=$(cat "$dir/tinyproxy.pid")
        kill "$pid" 2>/dev/null || true
        # tinyproxy exits within ~0.2 s of SIGTERM (also with open tunnels,
        # which it just closes); wait so the port is free when we return,
        # then force.
        i=0
        while alive "$pid" && [ $i -lt 50 ]; do
            i=$((i + 1)); sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
        rm -f "$dir/tinyproxy.pid"
    fi
    ;;
*)
    echo "$usage" >&2; exit 2 ;;
esac
