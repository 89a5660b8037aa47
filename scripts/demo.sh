#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and runs the agent documentation's updateProxy
# example on a copy of examples/config.yaml, showing what changes (passwords masked).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build
demo=$(mktemp -d /tmp/ctagent-demo.XXXXXX)
cp examples/config.yaml "$demo/config.yaml"
args=(--config "$demo/config.yaml" --proxy=http://10.10.6.4:3128,http://10.10.4.5:4128
      --proxyUser=ctuser1,ctuser2 --proxyPassword=Y29sb3JzMzIxMQ==,Y29sb3JzMzIxMg==)
echo "== what would change (--dryRun prints a diff with the passwords masked):"
.build/debug/ctagent updateProxy "${args[@]}" --dryRun
echo "== the change itself (--skipRestart: there is no agent service on a build machine):"
.build/debug/ctagent updateProxy "${args[@]}" --skipRestart
echo "== the result:"
.build/debug/ctagent showProxy --config "$demo/config.yaml"
