#!/usr/bin/env bash
# Benchmarks one config edit (set configuration.heartbeat-interval) with the release
# ctagentcmd against the floor (bench/floor.c: libyaml parses the file once, plus a durable
# replace) and against peers that can be installed here: yq (Debian; rewrites the whole file
# through PyYAML), ruamel.yaml and yaml-edit (Rust, via its Python binding) in a venv from PyPI.
# A peer that cannot be installed is skipped with a note.
#   scripts/bench.sh [RUNS]     RUNS per tool and size (default 5; the slow peers run fewer
#                               times on the largest file, as noted)
# Runs alternate between the tools; it prints medians, ratios to the floor, peak RSS and each
# tool's growth exponent across sizes (1.0 = linear). It prints numbers and asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
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

sizes=(0 1250 15000 150000)   # generated keys: 0.4 KB (the sample), 100 KB, 1.2 MB, 11.7 MB
for keys in "${sizes[@]}"; do
  if [ "$keys" = 0 ]; then cp examples/config.yaml "$work/base-$keys.yaml"; else python3 bench/generate.py "$keys" "$work/base-$keys.yaml"; fi
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -A medianTime medianRSS
for keys in "${sizes[@]}"; do
  base="$work/base-$keys.yaml"
  for tool in "${tools[@]}"; do : >"$work/times-$tool-$keys"; : >"$work/rss-$tool-$keys"; done
  for ((run = 1; run <= runs; run++)); do
    for tool in "${tools[@]}"; do
      # ruamel.yaml needs about a minute for the largest file: one run there.
      if [ "$keys" = 150000 ] && [ "$tool" = ruamel ] && [ "$run" -gt 1 ]; then continue; fi
      file="$work/edit-$tool.yaml"
      cp "$base" "$file"
      cmd=${command[$tool]//FILE/$file}
      cmd=${cmd//VALUE/$((60 + run))}
      # shellcheck disable=SC2086  # the command is split into words on purpose (no shell)
      eval "\"\$work/measure\" $cmd" >"$work/measured" 2>"$work/err" || {
        echo "note: $tool failed on $keys keys: $(head -c 200 "$work/err")"; continue; }
      read -r seconds rss <"$work/measured"
      echo "$seconds" >>"$work/times-$tool-$keys"
      echo "$rss" >>"$work/rss-$tool-$keys"
    done
  done
  for tool in "${tools[@]}"; do
    medianTime[$tool,$keys]=$(median <"$work/times-$tool-$keys")
    medianRSS[$tool,$keys]=$(median <"$work/rss-$tool-$keys")
  done
done

printf '\n| file | keys | tool | median s | × floor | peak RSS MB | RSS × file |\n|---|---|---|---|---|---|---|\n'
for keys in "${sizes[@]}"; do
  bytes=$(stat -c %s "$work/base-$keys.yaml")
  for tool in "${tools[@]}"; do
    awk -v b="$bytes" -v k="$keys" -v tool="$tool" -v t="${medianTime[$tool,$keys]}" -v f="${medianTime[floor,$keys]}" -v r="${medianRSS[$tool,$keys]}" \
      'BEGIN { size = b < 1e6 ? sprintf("%.1f KB", b / 1e3) : sprintf("%.1f MB", b / 1e6);
               ratio = (f > 0 && t != "nan") ? sprintf("%.1f", t / f) : "-";
               printf "| %s | %d | %s | %.4f | %s | %.1f | %.1f |\n", size, k, tool, t, ratio, r / 1024, r * 1024 / b }'
  done
done
printf '\nGrowth exponent from 100 KB to 11.7 MB (time ~ size^e; 1.0 is linear):\n'
small=$(stat -c %s "$work/base-1250.yaml"); large=$(stat -c %s "$work/base-150000.yaml")
for tool in "${tools[@]}"; do
  awk -v a="${medianTime[$tool,1250]}" -v b="${medianTime[$tool,150000]}" -v s="$small" -v l="$large" -v tool="$tool" \
    'BEGIN { if (a > 0 && b > 0) printf "  %s: %.2f\n", tool, log(b / a) / log(l / s); else printf "  %s: (too fast to tell at 100 KB)\n", tool }'
done
