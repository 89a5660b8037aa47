#!/usr/bin/env bash
# The release build (`make release`): optimized, the Swift runtime linked in, and built against
# a Debian 11 root so that the binary starts on every supported host, down to glibc 2.28
# (RHEL 8). scripts/check-glibc-floor.sh then fails the build if it needs anything newer.
#   FLOOR=host scripts/build-release.sh   builds against this machine's glibc instead (no
#                                         debootstrap needed; the binary runs only on hosts at
#                                         least as new as this one, and is never packaged)
# --disable-local-rpath: no RUNPATH $ORIGIN; the binary loads no library from beside itself.
# What the Debian 11 root does not solve is in packaging/glibc-floor (see the comments there).
set -euo pipefail
cd "$(dirname "$0")/.."
release=.build/release
if [ "${FLOOR:-debian11}" = host ]; then
  swift build -c release --static-swift-stdlib --disable-local-rpath
  ln -sfn ctagent "$release/ctagentcmd"
  exit 0
fi

sysroot=$(scripts/debian11-root.sh sysroot)
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")
# With -sdk, swiftc looks for the static runtime (swift_static) inside the SDK; this
# toolchain's is the one to link, so the root points at it (refreshed every build: the
# toolchain may have moved since the root was made).
ln -sfn "$toolchain/lib/swift_static" "$sysroot/usr/lib/swift_static"

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo "$(uname -m)-linux-gnu")
objects=.build/glibc-floor
mkdir -p "$objects"
"$toolchain/bin/clang" --sysroot="$sysroot" -O2 -fPIC -fno-builtin -c packaging/glibc-floor/libm-compat.c -o "$objects/libm-compat.o"
"$toolchain/bin/clang++" --sysroot="$sysroot" -O2 -fPIC -c packaging/glibc-floor/libstdcxx-compat.cpp -o "$objects/libstdcxx-compat.o"

# pkg-config finds libyaml's flags in the root, with paths inside it.
PKG_CONFIG_SYSROOT_DIR=$sysroot \
PKG_CONFIG_LIBDIR=$sysroot/usr/lib/$multiarch/pkgconfig:$sysroot/usr/share/pkgconfig \
  swift build -c release --static-swift-stdlib --disable-local-rpath \
    -Xswiftc -sdk -Xswiftc "$sysroot" -Xcc --sysroot="$sysroot" \
    -Xlinker "$objects/libm-compat.o" -Xlinker "$objects/libstdcxx-compat.o" \
    -Xlinker --wrap=exp -Xlinker --wrap=exp2 -Xlinker --wrap=log -Xlinker --wrap=log2
ln -sfn ctagent "$release/ctagentcmd"
scripts/check-glibc-floor.sh "$release/ctagent"
