#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the binaries, runs unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build
swift test "$@"
