#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need (run as root). Safe to re-run.
set -euo pipefail
packages=(
  libyaml-dev          # libyaml, the YAML parser (system library target CYAML)
  pkg-config           # finds libyaml for SwiftPM
  strace               # tests: kill a writer at the exact rename, signals at each fsync
  acl attr             # tests: ACLs and extended attributes kept (setfacl, getfattr)
  util-linux           # tests: flock, setpriv, unshare
  dbus-daemon dbus-bin # tests: a private system bus for the fake systemd
  python3-dbusmock     # tests: the fake org.freedesktop.systemd1 (Tests/Fixtures/fake_systemd.py)
  python3-yaml python3-ruamel.yaml  # tests: PyYAML (YAML 1.1) and ruamel.yaml (1.2) judge what we write
  python3-cryptography libssl3      # tests: certificates for the TLS peers; testProxy loads libssl.so.3
  tinyproxy            # tests: a real HTTP proxy on loopback for testProxy
  iproute2             # tests: is there an IPv6 loopback?
  mandoc man-db bsdextrautils  # tests: man pages lint and render (mandoc, man, col)
  bash zsh fish tmux   # tests: completions in the real shells (fish interactively, in tmux)
  dpkg-dev binutils    # make deb: dpkg-shlibdeps, strip
  systemd              # tests: the real systemctl against the fake systemd (no systemd needs to run)
  ansible-core python3-venv python3-pytest  # tests: the Ansible collection (Debian's 2.14, and PyPI's in a venv)
  openssh-server openssh-client  # scripts/test-fleet.sh: an sshd per fleet host (the test runs its own; ssh.service is not used), Ansible's ssh
  gcc                  # bench/ and the complexity guard: the C floor
  prometheus           # tests: promtool judges the textfile metrics of testProxy --all
  bc time              # scripts/bench-probe.sh: ratios and peak RSS
  debootstrap          # make release: the Debian 11 root the binary links against (glibc 2.28 floor);
                       # tests: a Debian 11 root to install the .deb into
  rpm rpmlint          # make rpm: rpmbuild; tests: rpmlint, and rpm --root to install, upgrade, erase
  qemu-system-x86 e2fsprogs  # scripts/test-systemd-vm.sh: a Debian 12 VM with systemd as PID 1 (mkfs.ext4 -d)
)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
