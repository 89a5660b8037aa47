#!/usr/bin/env bash
# Prints the path of a Debian 12 (bookworm) root for the real-systemd VM test
# (scripts/test-systemd-vm.sh), making it first when the cache does not hold it yet: minbase
# with systemd as init, dbus, a kernel and its initramfs, and what the .deb and the test's
# peers need (libyaml, OpenSSL 3, libsystemd, tinyproxy, python3 with PyYAML).
# Kept in $CTAGENT_CACHE (default /var/cache/ctagent-build, outside the clone, never
# committed) under a name that changes with the package list; moved into place only once
# complete. Needs root and debootstrap; about three minutes the first time.
set -euo pipefail
cache=${CTAGENT_CACHE:-/var/cache/ctagent-build}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=systemd,systemd-sysv,dbus,udev,linux-image-amd64,libyaml-0-2,libssl3,libsystemd0,tinyproxy,python3,python3-yaml,python3-dbus,procps
root=$cache/bookworm-vm-$(printf '%s %s' "$packages" v1 | sha256sum | cut -c1-12)
if [ -d "$root" ]; then echo "$root"; exit 0; fi

mkdir -p "$cache"
partial=$(mktemp -d "$cache/.partial-vm.XXXXXX")
trap 'rm -rf "$partial" "$partial.log"' EXIT
echo "making the Debian 12 VM root in $root (debootstrap, about three minutes)" >&2
debootstrap --variant=minbase --include="$packages" bookworm "$partial" "$mirror" >"$partial.log" 2>&1 \
  || { tail -20 "$partial.log" >&2; exit 1; }
# The kernel and initramfs are read from outside by qemu: stable names beside the root.
ls "$partial"/boot/vmlinuz-* "$partial"/boot/initrd.img-* >/dev/null \
  || { echo "debootstrap made no kernel or initramfs in $partial/boot" >&2; exit 1; }
# tinyproxy's own unit would listen on 8888 at every boot; the test starts its own.
rm -f "$partial"/etc/systemd/system/multi-user.target.wants/tinyproxy.service
rm -rf "$partial"/var/cache/apt/archives/*.deb "$partial"/var/lib/apt/lists/*
mv "$partial" "$root"
trap - EXIT
rm -f "$partial.log"
echo "$root"
