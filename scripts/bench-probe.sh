#!/usr/bin/env bash
# How long testProxy (the walk) and testProxy --all (the sweep) take with 1, 5 and 20 proxies
# that never answer in front of one that works, against the per-attempt timeout: probed at
# once, each should cost about one timeout, not one per proxy. Everything on loopback: silent
# listeners (Python), tinyproxy and a TLS platform peer (the test fixtures).
#   scripts/bench-probe.sh [RUNS]      (default 3; prints medians, ratios to the timeout and
#                                       peak RSS). At most 16 probes run at once, so 20 silent
#                                       proxies cost two timeouts.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
timeout=1
[ -x .build/release/ctagent ] || make --no-print-directory release >/dev/null
work=$(mktemp -d /tmp/ctagent-bench-probe.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  Tests/Fixtures/run-tinyproxy.sh stop "$work/tinyproxy" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

/usr/bin/python3 Tests/Fixtures/tls_fixtures.py certs "$work" >/dev/null
/usr/bin/python3 Tests/Fixtures/tls_fixtures.py server "$work/platform.port" "$work/platform.pem" >/dev/null 2>&1 &
pids+=($!)
# Twenty listeners that accept and never answer, in one process.
/usr/bin/python3 - "$work/silent.ports" <<'PY' &
import socket, sys, time
servers = []
for _ in range(20):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64); servers.append(s)
with open(sys.argv[1] + ".tmp", "w") as out:
    out.write(" ".join(str(s.getsockname()[1]) for s in servers))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(3600)
PY
pids+=($!)
proxy_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
Tests/Fixtures/run-tinyproxy.sh start "$work/tinyproxy" "$proxy_port" >/dev/null
for _ in $(seq 100); do [ -s "$work/platform.port" ] && [ -s "$work/silent.ports" ] && break; sleep 0.05; done
platform=$(cat "$work/platform.port")
read -r -a silent <<<"$(cat "$work/silent.ports")"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# Wall seconds and peak RSS (KiB) of one run, as GNU time measures them.
measure() { /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>&1 || true; tail -n 1 "$work/time"; }

printf '%-10s %-16s %10s %10s %14s %12s\n' proxies command median_s timeout_s ratio_to_timeout peak_RSS_MB
for count in 1 5 20; do
  list=""
  for port in "${silent[@]:0:$count}"; do list+="http://127.0.0.1:$port,"; done
  list+="http://127.0.0.1:$proxy_port"
  printf 'configuration:\n  platform-url: https://127.0.0.1:%s\n  proxy: %s\n' "$platform" "$list" > "$work/config.yaml"
  chmod 600 "$work/config.yaml"
  for mode in walk all; do
    extra=()
    [ "$mode" = all ] && extra=(--all --stateDir "$work")
    for _ in $(seq "$runs"); do
      measure .build/release/ctagent testProxy --config "$work/config.yaml" --caFile "$work/ca.pem" --timeout "$timeout" "${extra[@]}"
    done > "$work/runs"
    times=$(cut -d' ' -f1 "$work/runs" | median)
    rss=$(cut -d' ' -f2 "$work/runs" | median)
    printf '%-10s %-16s %10.2f %10s %14.2f %12.1f\n' "$count+1" "testProxy${extra:+ --all}" "$times" "$timeout" \
      "$(echo "$times / $timeout" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
  done
done
