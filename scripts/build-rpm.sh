#!/usr/bin/env bash
# Builds out/ctagent-VERSION-RELEASE.ARCH.rpm with rpmbuild from packaging/rpm/ctagent.spec:
# the files `make install` puts down, staged as for the .deb (scripts/stage-package.sh).
#   build-rpm.sh VERSION [RELEASE]     (RELEASE defaults to 1; the upgrade test builds a 2)
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?version}
release=${2:-1}
work=$(mktemp -d /tmp/ctagent-rpm.XXXXXX)
trap 'rm -rf "$work"' EXIT
stage=$work/stage
scripts/stage-package.sh "$stage"
mkdir -p "$work/sources" out
cp packaging/COPYRIGHT README.md "$work/sources/"
rpmbuild -bb --quiet packaging/rpm/ctagent.spec \
  --define "_topdir $work/top" --define "version $version" --define "release $release" \
  --define "stage $stage" --define "sources_dir $work/sources" \
  --define "_rpmdir $PWD/out" --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" >"$work/rpmbuild.log" 2>&1 \
  || { cat "$work/rpmbuild.log" >&2; exit 1; }
echo "out/ctagent-$version-$release.$(uname -m).rpm"
