#!/usr/bin/env bash
# Fails when a binary needs a newer glibc or libstdc++ than the floor the tools support:
# glibc 2.28 (RHEL 8, the oldest supported host) and GCC 8's libstdc++ (GLIBCXX 3.4.25,
# CXXABI 1.3.11, also RHEL 8's). Reads the versions the binary asks for from `objdump -T`.
#   check-glibc-floor.sh BINARY
set -euo pipefail
binary=${1:?usage: $0 BINARY}
declare -A floor=([GLIBC]=2.28 [GLIBCXX]=3.4.25 [CXXABI]=1.3.11)
symbols=$(objdump -T "$binary")
status=0
for library in GLIBC GLIBCXX CXXABI; do
  newest=$(grep -o "(${library}_[0-9.]*)" <<<"$symbols" | tr -d '()' | sed "s/^${library}_//" | sort -V | tail -1)
  [ -n "$newest" ] || continue
  if [ "$(printf '%s\n%s\n' "$newest" "${floor[$library]}" | sort -V | tail -1)" != "${floor[$library]}" ]; then
    echo "$binary needs ${library}_$newest, above the floor ${library}_${floor[$library]}; these symbols ask for more:" >&2
    grep "(${library}_" <<<"$symbols" | awk -v floor="${floor[$library]}" -v lib="$library" '
      { match($0, "\\(" lib "_[0-9.]*\\)"); v = substr($0, RSTART + length(lib) + 2, RLENGTH - length(lib) - 3)
        split(v, a, "."); split(floor, f, ".")
        for (i = 1; i <= 3; i++) { if ((a[i] + 0) > (f[i] + 0)) { print "  " $NF " (" lib "_" v ")"; break } if ((a[i] + 0) < (f[i] + 0)) break } }' >&2
    status=1
  else
    echo "ok: $binary needs at most ${library}_$newest (floor ${library}_${floor[$library]})"
  fi
done
exit $status
