#!/usr/bin/env bash
# Tests the RPM (make rpm): built from the same files as the .deb, linted with rpmlint (every
# remaining report explained in packaging/rpm/rpmlint-explained.txt), its requirements named
# as RHEL and SUSE name them, and installed, upgraded and erased with rpm in a scratch root
# (--root, its own database), where the installed files must be the .deb's.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "FAIL: $*" >&2; exit 1; }
version=$(sed -n 's/^let toolVersion = "\(.*\)"/\1/p' Sources/CTAgentCommands/CTAgent.swift)
work=$(mktemp -d /tmp/ctagent-rpmtest.XXXXXX)
trap 'rm -rf "$work"' EXIT

rm -f out/ctagent-*.rpm
make --no-print-directory rpm >/dev/null
rpm=out/ctagent-$version-1.$(uname -m).rpm
[ -f "$rpm" ] || fail "make rpm did not build $rpm"
requires=$(rpm -qpR "$rpm")
for need in "(libyaml or libyaml-0-2)" "glibc >= 2.28" "libyaml-0.so.2()(64bit)"; do
  grep -qxF "$need" <<<"$requires" || fail "the RPM does not require $need: $requires"
done
! grep -q "GLIBC_2\.\(29\|3[0-9]\)" <<<"$requires" || fail "the RPM asks for a glibc above 2.28: $(grep GLIBC_2 <<<"$requires")"
grep -q "^Recommends\|openssl-libs" <(rpm -qp --recommends "$rpm") || fail "the RPM does not recommend OpenSSL"
rpm -qp --changelog "$rpm" | grep -q "$version-1" || fail "the RPM has no changelog entry for $version"
echo "ok: make rpm ($rpm): requires libyaml by RHEL's and SUSE's names and glibc >= 2.28"

rpmlint -c packaging/rpm/rpmlint.toml "$rpm" >"$work/lint" 2>&1 || true
grep -q "packages: 1" "$work/lint" || { cat "$work/lint"; fail "rpmlint did not check the package"; }
reports=$(sed -n 's/^[^ ]*: [WE]: \([^ ]*\).*/\1/p' "$work/lint" | sort -u)
explained=$(sed -n 's/^\([a-z-]*\) .*/\1/p' packaging/rpm/rpmlint-explained.txt)
for report in $reports; do
  grep -qxF "$report" <<<"$explained" || fail "rpmlint reports $report, which packaging/rpm/rpmlint-explained.txt does not explain: $(grep ": $report" "$work/lint")"
done
echo "ok: rpmlint: $(tail -1 "$work/lint" | sed 's/;.*//; s/^ *//'), each report explained ($(echo $reports | tr ' ' ','))"

# The files it installs are the .deb's (docs aside: %license and %doc go where RPM puts them).
deb=out/ctagent_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || make --no-print-directory deb >/dev/null
deb_files=$(dpkg -c "$deb" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\./|/|' | grep -v "^/usr/share/doc/" | sort)
rpm_files=$(rpm -qpl "$rpm" | grep -v "^/usr/share/doc/\|^/usr/share/licenses/" | sort)
[ "$deb_files" = "$rpm_files" ] || fail "the RPM and the .deb hold different files: $(diff <(echo "$deb_files") <(echo "$rpm_files"))"
rpm -qpl "$rpm" | grep -q "^/usr/share/licenses/ctagent.*/COPYRIGHT$" || fail "no %license file in the RPM"

# A scratch root with its own rpm database. Its dependencies (glibc, libyaml) are not in an
# empty root, so rpm is told not to check them; they were checked above by name.
scratch=$work/root
# Debian's rpm warns that it is not the system's package manager unless told it is meant.
debian=(); grep -q -- --force-debian <<<"$(rpm --help 2>&1)" && debian=(--force-debian)
rpm --root "$scratch" --dbpath /var/lib/rpm --initdb
rpm --root "$scratch" --dbpath /var/lib/rpm -i --nodeps "${debian[@]}" "$rpm" || fail "rpm -i into a scratch root"
[ "$(rpm --root "$scratch" --dbpath /var/lib/rpm -q ctagent)" = "ctagent-$version-1.$(uname -m)" ] || fail "rpm -q after install"
installed=$(cd "$scratch" && find . ! -type d ! -path "./var/lib/rpm/*" | sed 's|^\.||' | grep -v "^/usr/share/doc/\|^/usr/share/licenses/" | sort)
[ "$installed" = "$deb_files" ] || fail "rpm -i put down other files than the .deb's: $(diff <(echo "$deb_files") <(echo "$installed"))"
[ "$("$scratch/usr/bin/ctagent" --version)" = "$version" ] && [ "$("$scratch/usr/bin/ctagentcmd" --version)" = "$version" ] \
  || fail "the binaries the RPM installed do not run"
[ "$(readlink "$scratch/usr/bin/ctagentcmd")" = ctagent ] || fail "ctagentcmd is not a link to ctagent in the RPM"
[ "$(stat -c %a "$scratch/usr/bin/ctagent")" = 755 ] || fail "ctagent is installed with mode $(stat -c %a "$scratch/usr/bin/ctagent")"
echo "ok: rpm -i into a scratch root: the .deb's files, and they run"

# An upgrade to the next release replaces it in place.
scripts/build-rpm.sh "$version" 2 >/dev/null
rpm --root "$scratch" --dbpath /var/lib/rpm -U --nodeps "${debian[@]}" "out/ctagent-$version-2.$(uname -m).rpm" || fail "rpm -U"
[ "$(rpm --root "$scratch" --dbpath /var/lib/rpm -q ctagent)" = "ctagent-$version-2.$(uname -m)" ] || fail "rpm -q after upgrade: $(rpm --root "$scratch" --dbpath /var/lib/rpm -q ctagent)"
[ "$("$scratch/usr/bin/ctagent" --version)" = "$version" ] || fail "ctagent does not run after the upgrade"
rm -f "out/ctagent-$version-2.$(uname -m).rpm"
rpm --root "$scratch" --dbpath /var/lib/rpm -e "${debian[@]}" ctagent || fail "rpm -e"
left=$(cd "$scratch" && find . ! -type d ! -path "./var/lib/rpm/*")
[ -z "$left" ] || fail "rpm -e left files behind: $left"
echo "ok: rpm -U to release 2 and rpm -e, nothing left behind"
