#!/usr/bin/env bash
# Tests what users install: `make install`/`uninstall` into a DESTDIR, and `make deb` built,
# inspected, installed with apt-get and removed again (the last part only as root).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "FAIL: $*" >&2; exit 1; }
version=$(sed -n 's/^let toolVersion = "\(.*\)"/\1/p' Sources/CTAgentCommands/CTAgent.swift)

dest=$(mktemp -d /tmp/ctagent-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
make --no-print-directory install DESTDIR="$dest" PREFIX=/opt/ct >/dev/null
expected="opt/ct/bin/ctagent opt/ct/bin/ctagentcmd opt/ct/share/man/man1/ctagent.1 opt/ct/share/man/man1/ctagentcmd.1
opt/ct/share/bash-completion/completions/ctagent opt/ct/share/bash-completion/completions/ctagentcmd
opt/ct/share/zsh/site-functions/_ctagent opt/ct/share/zsh/site-functions/_ctagentcmd
opt/ct/share/fish/vendor_completions.d/ctagent.fish opt/ct/share/fish/vendor_completions.d/ctagentcmd.fish
opt/ct/lib/systemd/system/ctagent-proxy-check.service opt/ct/lib/systemd/system/ctagent-proxy-check.timer"
actual=$(cd "$dest" && find . ! -type d | sed 's|^\./||' | sort)
[ "$actual" = "$(tr ' ' '\n' <<<"$expected" | sort)" ] || fail "make install put down: $actual"
[ "$("$dest/opt/ct/bin/ctagent" --version)" = "$version" ] || fail "the installed ctagent does not run"
[ "$("$dest/opt/ct/bin/ctagentcmd" --version)" = "$version" ] || fail "the installed ctagentcmd does not run"
[ "$(readlink "$dest/opt/ct/bin/ctagentcmd")" = ctagent ] || fail "ctagentcmd is not a link to the one binary ctagent"
"$dest/opt/ct/bin/ctagentcmd" --help | grep -q "USAGE: ctagentcmd" || fail "ctagentcmd does not call itself ctagentcmd in its help"
grep -q "^ExecStart=/opt/ct/bin/ctagent testProxy --all " "$dest/opt/ct/lib/systemd/system/ctagent-proxy-check.service" \
  || fail "the check unit does not run the installed binary: $(grep ExecStart "$dest/opt/ct/lib/systemd/system/ctagent-proxy-check.service")"
# systemd's own judge of the units, with ExecStart pointed at the binary just installed (it
# must exist) and without looking up the man page (not installed on this host).
units=$(mktemp -d /tmp/ctagent-units.XXXXXX)
sed "s|^ExecStart=/opt/ct/bin/ctagent|ExecStart=$dest/opt/ct/bin/ctagent|" "$dest/opt/ct/lib/systemd/system/ctagent-proxy-check.service" \
  > "$units/ctagent-proxy-check.service"
cp "$dest/opt/ct/lib/systemd/system/ctagent-proxy-check.timer" "$units/"
analysis=$(cd "$units" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no ./ctagent-proxy-check.service \
  ./ctagent-proxy-check.timer 2>&1) || fail "systemd-analyze verify: $analysis"
rm -rf "$units"
[ -z "$analysis" ] || fail "systemd-analyze verify complains: $analysis"
echo "ok: the redundancy check's units pass systemd-analyze verify"
# The glibc floor: the check passes on what make install put down and fails on a binary that
# needs more (this machine's ls, linked against glibc 2.36).
scripts/check-glibc-floor.sh "$dest/opt/ct/bin/ctagent" >/dev/null || fail "the installed binary is above the glibc floor"
! scripts/check-glibc-floor.sh /bin/ls >/dev/null 2>&1 || fail "check-glibc-floor.sh passes /bin/ls (glibc $(ldd --version | sed -n '1s/.* //p'))"
echo "ok: the installed binary needs at most glibc 2.28, and the floor check refuses one that needs more"
! ldd "$dest/opt/ct/bin/ctagent" | grep -q -i swift || fail "the installed binary needs the Swift runtime: $(ldd "$dest/opt/ct/bin/ctagent")"
make --no-print-directory uninstall DESTDIR="$dest" PREFIX=/opt/ct >/dev/null
[ -z "$(find "$dest" ! -type d)" ] || fail "make uninstall left: $(find "$dest" ! -type d)"
echo "ok: make install / uninstall (DESTDIR, PREFIX)"

rm -f out/ctagent_*.deb
make --no-print-directory deb >/dev/null
deb=out/ctagent_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || fail "make deb did not build $deb"
info=$(dpkg -I "$deb")
grep -q "^ Package: ctagent$" <<<"$info" || fail "no package name: $info"
grep -q "^ Depends: .*libc6.*libyaml-0-2" <<<"$info" || fail "Depends is not computed from the binaries: $info"
libc=$(sed -n "s/.*libc6 (>= \([0-9.]*\)).*/\1/p" <<<"$info")
[ "$(printf '%s\n2.28\n' "$libc" | sort -V | tail -1)" = 2.28 ] || fail "the package asks for libc6 $libc, above the floor 2.28: $info"
contents=$(dpkg -c "$deb")
grep -q " ./usr/bin/ctagentcmd -> ctagent$" <<<"$contents" || fail "the package does not hold ctagentcmd as a link to ctagent: $contents"
[ "$(grep -c '^-rwx' <<<"$contents")" = 1 ] || fail "the package should hold exactly one executable: $contents"
for path in ./usr/bin/ctagent ./usr/bin/ctagentcmd ./usr/share/man/man1/ctagent.1.gz ./usr/share/doc/ctagent/copyright \
            ./usr/share/bash-completion/completions/ctagent ./usr/share/zsh/site-functions/_ctagent \
            ./usr/share/fish/vendor_completions.d/ctagent.fish ./usr/lib/systemd/system/ctagent-proxy-check.service \
            ./usr/lib/systemd/system/ctagent-proxy-check.timer; do
  grep -q " $path\( -> .*\)\?\$" <<<"$contents" || fail "$path is not in the package"
done
echo "ok: make deb ($deb)"

if [ "$(id -u)" != 0 ]; then
  echo "skipped: installing and removing the package needs root"
  exit 0
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./$deb" >/dev/null
[ "$(/usr/bin/ctagent --version)" = "$version" ] || fail "the packaged ctagent does not run"
man -w ctagent >/dev/null || fail "man cannot find the ctagent page"
man ctagentcmd 2>/dev/null | grep -q updateProxy || fail "man ctagentcmd does not show the page"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q ctagent >/dev/null
[ ! -e /usr/bin/ctagent ] && [ ! -e /usr/share/man/man1/ctagent.1.gz ] || fail "apt-get remove left files behind"
echo "ok: the package installs with apt-get and removes cleanly"
