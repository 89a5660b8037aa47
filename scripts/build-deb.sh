#!/usr/bin/env bash
# Builds out/ctagent_VERSION_ARCH.deb from the release build: binaries, man pages, completions
# and a copyright file, with Depends computed from the binaries' shared libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?version}
arch=${2:?architecture}
stage=$(mktemp -d /tmp/ctagent-deb.XXXXXX)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
scripts/stage-package.sh "$root"
install -D -m 0644 packaging/COPYRIGHT "$root/usr/share/doc/ctagent/copyright"

# dpkg-shlibdeps works from a debian/control in the current folder. It reads the versions
# from the Debian 11 root the binary was linked against (DPKG_ROOT), not from this machine's
# newer glibc, whose symbols files would ask for libc6 (>= 2.34). Debian 10 calls libgcc-s1
# libgcc1, hence the alternative.
mkdir -p "$stage/debian"
printf 'Source: ctagent\n\nPackage: ctagent\nArchitecture: any\n' > "$stage/debian/control"
sysroot=$(scripts/debian11-root.sh sysroot)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
depends=$(cd "$stage" && DPKG_ROOT=$sysroot dpkg-shlibdeps --admindir="$sysroot/var/lib/dpkg" -l"/usr/lib/$multiarch" -l"/lib/$multiarch" \
            -O root/usr/bin/ctagent 2>/dev/null | sed -n 's/^shlibs:Depends=//p' | sed 's/libgcc-s1 (>= 3.3)/libgcc-s1 (>= 3.3) | libgcc1 (>= 1:3.3)/')
[ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size=$(du -sk "$root" | cut -f1)
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: ctagent
Version: $version
Architecture: $arch
Maintainer: ctagent developers <ctagent@localhost>
Installed-Size: $size
Depends: $depends
Recommends: systemd
Section: admin
Priority: optional
Description: configure the endpoint-security agent's proxies safely
 ctagent and ctagentcmd set the ordered list of HTTP proxies the agent uses to
 reach its platform, with their credentials, and other keys of its config.yaml.
 Edits are validated, format-preserving and atomic; the agent is restarted over
 systemd's D-Bus API, and testProxy walks the agent's failover path for real.
CONTROL
mkdir -p out
dpkg-deb --root-owner-group --build "$root" "out/ctagent_${version}_${arch}.deb"
