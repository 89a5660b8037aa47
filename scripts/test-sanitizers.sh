#!/usr/bin/env bash
# Unit and end-to-end tests under AddressSanitizer: the test bundle and the ctagent binaries
# it runs are built with it (in .build-sanitizers). Every report, from the tests or from any
# binary they start, is written to a log file; the run fails when one exists, whatever the
# exit statuses said. UndefinedBehaviorSanitizer: swiftc 6.3 refuses -sanitize=undefined on
# Linux ("unsupported option"), and Swift traps on overflow and bounds in every build anyway.
# ThreadSanitizer: the ProxyProbe unit tests (the one place with a second thread, the bounded
# getaddrinfo) run under it too, in their own build.
# Arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-sanitizers
sanitizers=(--sanitize=address)
reports=$(mktemp -d /tmp/ctagent-sanitizer-reports.XXXXXX)
swift build --scratch-path "$scratch" "${sanitizers[@]}"
ln -sfn ctagent "$scratch/debug/ctagentcmd"   # the multi-call binary's second name
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=0:abort_on_error=0:halt_on_error=1"
# The Swift runtime's crash backtracer reads its own stack in a way ASan reports.
export SWIFT_BACKTRACE=enable=no
set +e
CTAGENT_BIN_DIR="$PWD/$scratch/debug" CTAGENT_EXPECT_BINARIES=asan \
  swift test --scratch-path "$scratch" "${sanitizers[@]}" "$@"
status=$?
set -e
if compgen -G "$reports/*" >/dev/null; then
  echo "FAIL: sanitizer reports:" >&2
  for report in "$reports"/*; do echo "== $report" >&2; head -60 "$report" >&2; done
  exit 1
fi
[ $status -eq 0 ] || { echo "FAIL: tests under AddressSanitizer (exit $status)" >&2; exit $status; }
echo "ok: unit and end-to-end tests under AddressSanitizer, no report"

export TSAN_OPTIONS="log_path=$reports/tsan:halt_on_error=1"
swift test --scratch-path .build-tsan --sanitize=thread --filter ProxyProbeTests
if compgen -G "$reports/*" >/dev/null; then
  echo "FAIL: ThreadSanitizer reports:" >&2
  for report in "$reports"/*; do echo "== $report" >&2; head -60 "$report" >&2; done
  exit 1
fi
rm -rf "$reports"
echo "ok: ProxyProbe unit tests under ThreadSanitizer, no report"
