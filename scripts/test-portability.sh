#!/usr/bin/env bash
# Proof that the release binary runs where the agent runs: the .deb (made from the glibc 2.28
# build, see scripts/build-release.sh) installed into a real Debian 11 root (glibc 2.31, OpenSSL
# 1.1.1, libsystemd 247, no libssl.so.3) and run there with chroot:
#   --version; the documentation's updateProxy on a sample config, restarting the agent over
#   D-Bus through the root's own libsystemd (a fake systemd on a private bus whose socket is
#   inside the root); showProxy; getConfig --json (parsed); rollback (bytes back as they were);
#   testProxy through a real tinyproxy to a TLS peer, verified with the root's OpenSSL 1.1.1.
# The root comes from scripts/debian11-root.sh (cached); a copy is used and removed. Everything
# runs in a private mount namespace, so /proc in the root goes away with it. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then echo "skipped: the Debian 11 root needs root (debootstrap, chroot)"; exit 0; fi
if [ -z "${CTAGENT_IN_MOUNT_NAMESPACE:-}" ]; then
  exec unshare --mount --propagation private env CTAGENT_IN_MOUNT_NAMESPACE=1 "$0" "$@"
fi
fail() { echo "FAIL: $*" >&2; exit 1; }
version=$(sed -n 's/^let toolVersion = "\(.*\)"/\1/p' Sources/CTAgentCommands/CTAgent.swift)
deb=out/ctagent_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || make --no-print-directory deb >/dev/null

started=$(date +%s)
runtime=$(scripts/debian11-root.sh runtime)
made=$(($(date +%s) - started))
work=$(mktemp -d /tmp/ctagent-debian11.XXXXXX)
root=$work/root
cleanup() {
  Tests/Fixtures/run-tinyproxy.sh stop "$work/tinyproxy" 2>/dev/null || true
  Tests/Fixtures/run-fake-systemd.sh stop "$root/run/ctagent-bus" 2>/dev/null || true
  [ -f "$work/tls.pid" ] && kill "$(cat "$work/tls.pid")" 2>/dev/null || true
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cp -a "$runtime" "$root"
# Swift reads its arguments from /proc/self/cmdline.
mount -t proc proc "$root/proc"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

[ "$(in_root sh -c 'ldd --version | head -1' | grep -o '[0-9.]*$')" = 2.31 ] || fail "the root is not glibc 2.31"
[ ! -e "$root/usr/lib/x86_64-linux-gnu/libssl.so.3" ] && [ -e "$root/usr/lib/x86_64-linux-gnu/libssl.so.1.1" ] \
  || fail "the root should have OpenSSL 1.1.1 and not 3"
cp "$deb" "$root/tmp/ctagent.deb"
in_root dpkg -i /tmp/ctagent.deb >"$work/dpkg.out" 2>&1 || { cat "$work/dpkg.out"; fail "dpkg -i in Debian 11"; }
[ "$(in_root ctagent --version)" = "$version" ] || fail "ctagent --version in Debian 11: $(in_root ctagent --version 2>&1)"
[ "$(in_root ctagentcmd --version)" = "$version" ] || fail "ctagentcmd --version in Debian 11"
echo "ok: the .deb installs in Debian 11 (glibc 2.31) and runs"

# The agent's config and its service manager, as the root sees them.
mkdir -p "$root/etc/ctagent"
install -m 0600 examples/config.yaml "$root/etc/ctagent/config.yaml"
bus=$(Tests/Fixtures/run-fake-systemd.sh start "$root/run/ctagent-bus")
[ -n "$bus" ] || fail "the fake systemd did not start"
agent() { in_root DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/ctagent-bus/system_bus_socket ctagent "$@"; }

agent updateProxy --proxy=http://10.10.6.4:3128,http://10.10.4.5:4128 --proxyUser=ctuser1,ctuser2 \
  --proxyPassword=Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg== >"$work/update.out" 2>&1 || { cat "$work/update.out"; fail "updateProxy in Debian 11"; }
grep -q 'RestartUnit "ctagent' "$root/run/ctagent-bus/calls.log" \
  || fail "updateProxy did not restart the agent over D-Bus with Debian 11's libsystemd: $(cat "$work/update.out")"
grep -q "^  proxy: http://10.10.6.4:3128,http://10.10.4.5:4128$" "$root/etc/ctagent/config.yaml" \
  || fail "the documentation's proxies are not in the config: $(cat "$root/etc/ctagent/config.yaml")"
shown=$(agent showProxy)
grep -q "10.10.4.5:4128" <<<"$shown" || fail "showProxy in Debian 11: $shown"
! grep -q "Y29sb3JzMzIxM" <<<"$shown$(cat "$work/update.out")" || fail "a password is shown in Debian 11"
agent getConfig --json >"$work/config.json" || fail "getConfig --json in Debian 11"
/usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert "configuration.proxy" in json.dumps(d), d' "$work/config.json" \
  || fail "getConfig --json in Debian 11 is not the config: $(head -c 400 "$work/config.json")"
agent rollback >"$work/rollback.out" 2>&1 || { cat "$work/rollback.out"; fail "rollback in Debian 11"; }
cmp -s examples/config.yaml "$root/etc/ctagent/config.yaml" || fail "rollback in Debian 11 did not bring the sample config back byte for byte"
echo "ok: updateProxy (restart over D-Bus via libsystemd 247), showProxy, getConfig --json and rollback in Debian 11"

# testProxy: a tunnel through a real proxy to a TLS peer, verified by OpenSSL 1.1.1.
/usr/bin/python3 Tests/Fixtures/tls_fixtures.py certs "$work/certs" >/dev/null
/usr/bin/python3 Tests/Fixtures/tls_fixtures.py server "$work/tls.port" "$work/certs/platform.pem" >/dev/null 2>&1 &
echo $! >"$work/tls.pid"
for _ in $(seq 100); do [ -s "$work/tls.port" ] && break; sleep 0.1; done
[ -s "$work/tls.port" ] || fail "the TLS peer did not start"
proxy_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
Tests/Fixtures/run-tinyproxy.sh start "$work/tinyproxy" "$proxy_port"
cp "$work/certs/ca.pem" "$root/etc/ctagent/test-ca.pem"
agent updateProxy --proxy="http://127.0.0.1:$proxy_port" --skipRestart >/dev/null
agent testProxy --target "127.0.0.1:$(cat "$work/tls.port")" --caFile /etc/ctagent/test-ca.pem --timeout 5 --json >"$work/probe.json" \
  || fail "testProxy in Debian 11: $(cat "$work/probe.json")"
/usr/bin/python3 - "$work/probe.json" <<'PY' || fail "testProxy in Debian 11 did not verify TLS through the proxy: $(cat "$work/probe.json")"
import json, sys
report = json.load(open(sys.argv[1]))
text = json.dumps(report)
assert "TLSv1" in text and "ctagent Test Root CA" in text, text
PY
echo "ok: testProxy in Debian 11: a tunnel through tinyproxy, TLS verified with OpenSSL 1.1.1 ($(grep -o '"TLSv1[.0-9]*"' "$work/probe.json" | head -1))"
echo "ok: Debian 11 root ready in ${made} s ($([ "$made" -gt 5 ] && echo "made by debootstrap" || echo "from the cache"))"
