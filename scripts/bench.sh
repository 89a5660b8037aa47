#!/usr/bin/env bash
# Benchmarks one config edit (set configuration.heartbeat-interval) with the release
# ctagentcmd against the floor (bench/floor.c: libyaml parses the file once, plus a durable
# replace) and against peers that can be installed here: yaml-edit (Rust, via its Python
# binding) on every shape; yq (Debian; rewrites the whole file through PyYAML) and ruamel.yaml,
# which take up to a minute on the largest file, on the generated shape only. A peer that
# cannot be installed is skipped with a note.
#   scripts/bench.sh [RUNS] [SHAPES]   RUNS per tool, shape and size (default 5); SHAPES a
#                                      comma list of bench/generate.py's shapes (default all:
#                                      generated,letters,quoted,flow,deep,block)
# Each shape at about 100 KB, 1.2 MB and 11.7 MB, plus the 0.4 KB sample. Runs alternate
# between the tools; it prints a row per shape, size and tool with the median, the ratios to
# the floor and to yaml-edit, peak RSS, and each tool's growth exponent across sizes (1.0 =
# linear). It prints numbers and asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
IFS=, read -r -a shapes <<<"${2:-generated,letters,quoted,flow,deep,block}"
work=$(mktemp -d /tmp/ctagent-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

[ -x .build/release/ctagentcmd ] || make --no-print-directory release >/dev/null
gcc -O2 -o "$work/floor" bench/floor.c -lyaml
gcc -O2 -o "$work/measure" bench/measure.c

venv=.build-bench-venv
if [ ! -x "$venv/bin/python" ]; then
  /usr/bin/python3 -m venv "$venv" >/dev/null 2>&1 || python3 -m venv "$venv" >/dev/null 2>&1 || true
fi
peers_python=""
if [ -x "$venv/bin/pip" ]; then
  "$venv/bin/pip" install -q ruamel.yaml yaml-edit >/dev/null 2>&1 || true
  peers_python="$venv/bin/python"
fi

declare -A command
tools=(ctagentcmd floor)
command[ctagentcmd]="$PWD/.build/release/ctagentcmd updateConfig --skipRestart --config FILE --set configuration.heartbeat-interval=VALUE"
command[floor]="$work/floor FILE"
if command -v yq >/dev/null; then
  tools+=(yq)
  command[yq]="sh -c 'yq -y \".configuration[\\\"heartbeat-interval\\\"] = VALUE\" FILE > FILE.yq && mv FILE.yq FILE'"
else
  echo "note: yq is not installed (apt-get install yq); skipped"
fi
if [ -n "$peers_python" ] && "$peers_python" -c 'import ruamel.yaml' 2>/dev/null; then
  tools+=(ruamel); command[ruamel]="$peers_python bench/peer_ruamel.py FILE VALUE"
else
  echo "note: ruamel.yaml could not be installed in $venv; skipped"
fi
if [ -n "$peers_python" ] && "$peers_python" -c 'import yaml_edit' 2>/dev/null; then
  tools+=(yaml-edit); command[yaml-edit]="$peers_python bench/peer_yaml_edit.py FILE VALUE"
else
  echo "note: yaml-edit could not be installed in $venv; skipped"
fi

sizes=(100000 1200000 11700000)   # bytes: 100 KB, 1.2 MB, 11.7 MB
cp examples/config.yaml "$work/base-sample.yaml"
cases=(sample)
for shape in "${shapes[@]}"; do
  for bytes in "${sizes[@]}"; do
    python3 bench/generate.py --shape "$shape" --bytes "$bytes" "$work/base-$shape-$bytes.yaml"
    cases+=("$shape-$bytes")
  done
done
# The slow peers: the generated shape only.
slow_peer() { [ "$1" = yq ] || [ "$1" = ruamel ]; }
runs_case() { case $1 in sample|generated-*) return 0 ;; *) return 1 ;; esac; }

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -A medianTime medianRSS
for case in "${cases[@]}"; do
  base="$work/base-$case.yaml"
  for tool in "${tools[@]}"; do : >"$work/times-$tool-$case"; : >"$work/rss-$tool-$case"; done
  for ((run = 1; run <= runs; run++)); do
    for tool in "${tools[@]}"; do
      if slow_peer "$tool" && ! runs_case "$case"; then continue; fi
      # ruamel.yaml needs about a minute for the largest file: one run there.
      if [ "$case" = generated-11700000 ] && [ "$tool" = ruamel ] && [ "$run" -gt 1 ]; then continue; fi
      file="$work/edit-$tool.yaml"
      cp "$base" "$file"
      cmd=${command[$tool]//FILE/$file}
      cmd=${cmd//VALUE/$((60 + run))}
      # shellcheck disable=SC2086  # the command is split into words on purpose (no shell)
      eval "\"\$work/measure\" $cmd" >"$work/measured" 2>"$work/err" || {
        echo "note: $tool failed on $case: $(head -c 200 "$work/err")"; continue; }
      read -r seconds rss <"$work/measured"
      echo "$seconds" >>"$work/times-$tool-$case"
      echo "$rss" >>"$work/rss-$tool-$case"
    done
  done
  for tool in "${tools[@]}"; do
    medianTime[$tool,$case]=$(median <"$work/times-$tool-$case")
    medianRSS[$tool,$case]=$(median <"$work/rss-$tool-$case")
  done
done

printf '\n| shape | file | tool | median s | × floor | × yaml-edit | peak RSS MB | RSS × file |\n|---|---|---|---|---|---|---|---|\n'
for case in "${cases[@]}"; do
  bytes=$(stat -c %s "$work/base-$case.yaml")
  for tool in "${tools[@]}"; do
    [ "${medianTime[$tool,$case]}" = nan ] && continue
    awk -v b="$bytes" -v shape="${case%-*}" -v tool="$tool" -v t="${medianTime[$tool,$case]}" -v f="${medianTime[floor,$case]}" \
        -v p="${medianTime[yaml-edit,$case]:-nan}" -v r="${medianRSS[$tool,$case]}" \
      'BEGIN { size = b < 1e6 ? sprintf("%.1f KB", b / 1e3) : sprintf("%.1f MB", b / 1e6);
               ratio = (f > 0 && t != "nan") ? sprintf("%.1f", t / f) : "-";
               peer = (p != "nan" && p > 0) ? sprintf("%.2f", t / p) : "-";
               printf "| %s | %s | %s | %.4f | %s | %s | %.1f | %.1f |\n", shape, size, tool, t, ratio, peer, r / 1024, r * 1024 / b }'
  done
done
printf '\nGrowth exponent from 100 KB to 11.7 MB (time ~ size^e; 1.0 is linear):\n'
for shape in "${shapes[@]}"; do
  small=$(stat -c %s "$work/base-$shape-100000.yaml"); large=$(stat -c %s "$work/base-$shape-11700000.yaml")
  for tool in "${tools[@]}"; do
    a=${medianTime[$tool,$shape-100000]}; b=${medianTime[$tool,$shape-11700000]}
    [ "$a" = nan ] || [ "$b" = nan ] && continue
    awk -v a="$a" -v b="$b" -v s="$small" -v l="$large" -v tool="$tool" -v shape="$shape" \
      'BEGIN { if (a > 0 && b > 0) printf "  %s, %s: %.2f\n", shape, tool, log(b / a) / log(l / s); else printf "  %s, %s: (too fast to tell at 100 KB)\n", shape, tool }'
  done
done
