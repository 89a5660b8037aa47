#!/usr/bin/env bash
# Runs every test: installs what is missing, then
#   1. unit tests (debug build) and end-to-end tests against the release binaries, built as
#      `make install` builds them (static Swift runtime, optimized);
#   2. the packaging tests (make install, make deb, the glibc floor), the RPM (make rpm,
#      rpmlint, rpm -i/-U/-e in a scratch root: scripts/test-rpm.sh) and the portability test
#      (the .deb installed and run in a Debian 11 root: scripts/test-portability.sh);
#   3. unit and end-to-end tests again under AddressSanitizer and UndefinedBehaviorSanitizer
#      (scripts/test-sanitizers.sh), failing on any report;
#   4. the fuzz targets: former crashes replayed, then each target run briefly
#      (FUZZ_SECONDS, default 20) from the committed seeds (scripts/fuzz.sh);
#   5. the Ansible collection: ansible-test sanity and units, and the integration playbook
#      against the release binaries with Debian's and PyPI's ansible-core (scripts/test-ansible.sh);
#   6. the roll-out role on a fleet of 25 SSH hosts built on this machine (scripts/test-fleet.sh);
#   7. every systemd promise on real systemd: the .deb in a Debian 12 VM with systemd as PID 1
#      (scripts/test-systemd-vm.sh).
# Arguments go to `swift test` (e.g. --filter TestProxyTests); --quick runs step 1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
if [ "${1:-}" = "--quick" ]; then quick=true; shift; fi
scripts/install-deps.sh
make --no-print-directory release
CTAGENT_BIN_DIR="$PWD/.build/release" CTAGENT_EXPECT_BINARIES=release swift test "$@"
$quick && exit 0
scripts/test-packaging.sh
scripts/test-rpm.sh
scripts/test-portability.sh
scripts/test-sanitizers.sh "$@"
scripts/fuzz.sh --replay
scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
scripts/test-ansible.sh
scripts/test-fleet.sh
scripts/test-systemd-vm.sh
