#!/bin/sh
# Start/stop a private "system" bus with the fake systemd (fake_systemd.py) on it.
#
#   run-fake-systemd.sh start DIR ['{"units": {"x.service": "failed"}}']
#       -> prints the bus address (unix:path=DIR/system_bus_socket) on stdout;
#          returns only once org.freedesktop.systemd1 is owned on that bus.
#   run-fake-systemd.sh stop DIR
#
# Files in DIR: bus.conf, system_bus_socket, dbus.pid, mock.pid,
#   calls.log (dbusmock call log: one "<time> Method "arg" ..." line per call,
#   plus "emit ..." lines for signals), mock.out (mock's stdout/stderr).
# Point the client at it with DBUS_SYSTEM_BUS_ADDRESS=<printed address>.
set -eu

# Debian's python has python3-dbusmock / python3-dbus / gi; a pyenv python3 on PATH does not.
PYTHON=${PYTHON:-/usr/bin/python3}
HERE=$(cd "$(dirname "$0")" && pwd)

cmd=${1:?usage: $0 start|stop DIR [PARAMS_JSON]}
dir=${2:?usage: $0 start|stop DIR [PARAMS_JSON]}

case $cmd in
start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)   # dbus needs an absolute socket path (max ~107 chars)
    sock=$dir/system_bus_socket
    addr=unix:path=$sock
    # Permissive policy: Debian's system.conf would not let an unprivileged
    # process own org.freedesktop.systemd1 (and we want to monitor everything).
    cat > "$dir/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>$addr</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
    <allow eavesdrop="true"/>
  </policy>
</busconfig>
EOF
    params=${3:-}
    [ -n "$params" ] || params='{}'
    rm -f "$sock"
    # --fork returns only after the socket is listening.
    dbus-daemon --config-file="$dir/bus.conf" --fork --print-pid=3 3>"$dir/dbus.pid" >/dev/null
    DBUS_SYSTEM_BUS_ADDRESS=$addr nohup "$PYTHON" -m dbusmock --system \
        --template "$HERE/fake_systemd.py" --logfile "$dir/calls.log" \
        --parameters "$params" >"$dir/mock.out" 2>&1 </dev/null &
    echo $! > "$dir/mock.pid"
    # Wait (max ~10 s) for the name; the mock exits on its own if the bus dies.
    i=0
    until dbus-send --bus="$addr" --print-reply --dest=org.freedesktop.DBus \
            /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
            string:org.freedesktop.systemd1 2>/dev/null | grep -q 'boolean true'; do
        i=$((i + 1))
        if [ $i -gt 100 ] || ! kill -0 "$(cat "$dir/mock.pid")" 2>/dev/null; then
            echo "fake systemd did not come up; see $dir/mock.out" >&2
            cat "$dir/mock.out" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "$addr"
    ;;
stop)
    for f in mock.pid dbus.pid; do
        [ -f "$dir/$f" ] && kill "$(cat "$dir/$f")" 2>/dev/null || true
        rm -f "$dir/$f"
    done
    ;;
*)
    echo "usage: $0 start|stop DIR [PARAMS_JSON]" >&2; exit 2 ;;
esac
