#!/usr/bin/env bash
# Runs every test: installs what is missing, builds the binaries, runs unit and end-to-end tests,
# then the packaging tests (make install, make deb).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build
swift test "$@"
scripts/test-packaging.sh
