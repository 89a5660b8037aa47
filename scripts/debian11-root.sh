#!/usr/bin/env bash
# Prints the path of a Debian 11 (bullseye) root made with debootstrap, making it first when
# the cache does not hold it yet:
#   debian11-root.sh sysroot   what the release build compiles and links against (glibc 2.31,
#                              GCC 10's libstdc++, libyaml's headers): the binary then needs
#                              no newer glibc than that, and the libm wrappers take it to 2.28
#   debian11-root.sh runtime   a minimal Debian 11 with what the .deb depends on and OpenSSL
#                              1.1.1, for the portability test to copy and install into
# The roots are kept in $CTAGENT_CACHE (default /var/cache/ctagent-build, outside the clone,
# never committed) under a name that changes with the package list, so a changed list makes a
# new root; a root is moved into place only once it is complete. Needs root and debootstrap.
set -euo pipefail
kind=${1:?usage: $0 sysroot|runtime}
cache=${CTAGENT_CACHE:-/var/cache/ctagent-build}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
case $kind in
  sysroot) packages=libc6-dev,libstdc++-10-dev,libgcc-10-dev,libyaml-dev ;;
  runtime) packages=libyaml-0-2,libssl1.1,libsystemd0 ;;
  *) echo "usage: $0 sysroot|runtime" >&2; exit 2 ;;
esac
root=$cache/bullseye-$kind-$(printf '%s %s' "$packages" v1 | sha256sum | cut -c1-12)
if [ -d "$root" ]; then echo "$root"; exit 0; fi

mkdir -p "$cache"
partial=$(mktemp -d "$cache/.partial-$kind.XXXXXX")
trap 'rm -rf "$partial"' EXIT
echo "making the Debian 11 $kind in $root (debootstrap, about a minute)" >&2
debootstrap --variant=minbase --include="$packages" bullseye "$partial" "$mirror" >"$partial.log" 2>&1 \
  || { tail -20 "$partial.log" >&2; rm -f "$partial.log"; exit 1; }
rm -f "$partial.log"
if [ "$kind" = sysroot ]; then
  # The root's absolute links (libpthread.so -> /lib/x86_64-linux-gnu/libpthread.so.0) would
  # resolve to this machine's glibc when the linker follows them from outside; made relative,
  # they stay inside the root.
  (cd "$partial" && find . -type l -lname '/*' | while read -r link; do
     ln -sfn "$(realpath -m -s --relative-to="$(dirname "$link")" ".$(readlink "$link")")" "$link"
   done)
  # Nothing here is run; the apt and dpkg caches only take room.
  rm -rf "$partial"/var/cache/apt/archives/*.deb "$partial"/var/lib/apt/lists/*
fi
mv "$partial" "$root"
trap - EXIT
echo "$root"
