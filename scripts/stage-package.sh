#!/usr/bin/env bash
# Puts down in DIR what the .deb and the RPM both hold: `make install` with PREFIX=/usr, man
# pages compressed (ctagentcmd's page a link to ctagent's, as the binary is), binary stripped.
#   stage-package.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
stage=${1:?usage: $0 DIR}
make --no-print-directory install DESTDIR="$stage" PREFIX=/usr >/dev/null
gzip -9n "$stage"/usr/share/man/man1/*.1
ln -sfn ctagent.1.gz "$stage/usr/share/man/man1/ctagentcmd.1.gz"
strip --strip-unneeded "$stage/usr/bin/ctagent"
# A package is installed on hosts down to the floor: never package a binary that needs more
# (one built with FLOOR=host, say); the packages' dependencies are computed for the floor.
scripts/check-glibc-floor.sh "$stage/usr/bin/ctagent" >/dev/null \
  || { echo "not packaging $stage/usr/bin/ctagent: it needs a newer glibc than 2.28 (build it with make release)" >&2; exit 1; }
