#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and runs the agent documentation's updateProxy
# example on a copy of examples/config.yaml, then shows what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build
demo=$(mktemp -d /tmp/ctagent-demo.XXXXXX)
cp examples/config.yaml "$demo/config.yaml"
set -x
.build/debug/ctagent updateProxy --config "$demo/config.yaml" \
  --proxy=http://10.10.6.4:3128,http://10.10.4.5:4128 --proxyUser=ctuser1,ctuser2 \
  --proxyPassword=Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg== --skipRestart
.build/debug/ctagent showProxy --config "$demo/config.yaml"
{ set +x; } 2>/dev/null
echo "--- what changed (diff of $demo/config.yaml.bak and config.yaml):"
diff -u "$demo/config.yaml.bak" "$demo/config.yaml" || true
