#!/usr/bin/env bash
# Prints how long the commands admins run most take, end to end (process start included),
# averaged over N runs: start-up cost is what a provisioning script pays per call.
#   scripts/bench-startup.sh [N] [BUILD_DIR]     (defaults: 100, .build/debug)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}
bin=${2:-.build/debug}
work=$(mktemp -d /tmp/ctagent-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp examples/config.yaml "$work/config.yaml"

measure() {
  local label=$1; shift
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < runs; i++)); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  printf '%-44s %8.2f ms per run (%d runs)\n' "$label" "$(echo "($end - $start) / $runs / 1000000" | bc -l)" "$runs"
}

measure "ctagent --version" "$bin/ctagent" --version
measure "ctagent showProxy" "$bin/ctagent" showProxy --config "$work/config.yaml"
measure "ctagent getConfig --json" "$bin/ctagent" getConfig --config "$work/config.yaml" --json
measure "ctagent updateProxy (unchanged, no write)" "$bin/ctagent" updateProxy --config "$work/config.yaml" \
  --proxy=http://10.10.1.1:3128 --skipRestart
