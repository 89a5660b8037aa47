#!/usr/bin/env bash
# Fuzzes the code that reads untrusted input, with libFuzzer (shipped with the Swift toolchain)
# and AddressSanitizer:
#   scripts/fuzz.sh SECONDS [TARGET...]      targets: YAMLEdit Validators ProbeReply (default: all)
# Builds every target, runs each for SECONDS from the committed seeds in Fuzz/seeds/TARGET
# (the yaml-test-suite cases, the examples, the fixtures) plus the corpus grown by earlier runs
# (.build-fuzz/corpus/TARGET, not committed), prints libFuzzer's summary, keeps crashing inputs
# in Fuzz/crashes/, and exits non-zero when any target crashed, leaked or hung.
# Each crash found is kept as a file under Tests/Fixtures/fuzz-regressions/ and replayed by
# scripts/fuzz.sh --replay (and in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/fuzz.sh SECONDS [TARGET...] | scripts/fuzz.sh --replay}
shift
targets=("$@")
((${#targets[@]})) || targets=(YAMLEdit Validators ProbeReply)
out=.build-fuzz
mkdir -p "$out" Fuzz/crashes

# Each module the targets need, compiled once with coverage instrumentation and ASan, with
# -enable-testing so the harnesses can reach internal parsers (@testable import).
compile_module() {  # name dependency...
  local name=$1
  swiftc -c -wmo -O -g -parse-as-library -enable-testing -strict-memory-safety -sanitize=fuzzer,address \
    -module-name "$name" -emit-module -emit-module-path "$out/$name.swiftmodule" \
    -I "$out" -I Sources/CYAML -I Sources/CLinux -I Sources/CTLS Sources/"$name"/*.swift -o "$out/$name.o"
}
compile_module TimeKeeping
compile_module SystemCalls
compile_module YAMLEdit
compile_module ProxyList
compile_module AgentConfig
compile_module ProxyProbe

link_target() {  # target module...
  local target=$1; shift
  local objects=()
  for module in "$@"; do objects+=("$out/$module.o"); done
  swiftc -O -g -parse-as-library -sanitize=fuzzer,address -use-ld=lld -I "$out" -I Sources/CYAML -I Sources/CLinux -I Sources/CTLS \
    "Fuzz/$target/main.swift" "${objects[@]}" -lyaml -o "$out/fuzz-$target"
}
declare -A modules=([YAMLEdit]="YAMLEdit" [Validators]="TimeKeeping SystemCalls YAMLEdit ProxyList AgentConfig" [ProbeReply]="TimeKeeping SystemCalls ProxyList ProxyProbe")
for target in "${targets[@]}"; do
  # shellcheck disable=SC2086
  link_target "$target" ${modules[$target]}
done

if [ "$seconds" = "--replay" ]; then
  status=0
  for target in "${targets[@]}"; do
    inputs=(Tests/Fixtures/fuzz-regressions/"$target"/*)
    [ -e "${inputs[0]}" ] || continue
    if SWIFT_BACKTRACE=enable=no "$out/fuzz-$target" "${inputs[@]}" >"$out/replay-$target.log" 2>&1; then
      echo "ok: $target replays ${#inputs[@]} former crash(es)"
    else
      echo "FAIL: $target crashes again on a former crash input; see $out/replay-$target.log" >&2
      tail -30 "$out/replay-$target.log" >&2
      status=1
    fi
  done
  exit $status
fi

status=0
for target in "${targets[@]}"; do
  corpus="$out/corpus/$target"
  mkdir -p "$corpus"
  log="$out/fuzz-$target.log"
  set +e
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/Fuzz/lsan.supp "$out/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="Fuzz/crashes/$target-" "$corpus" "Fuzz/seeds/$target" >"$log" 2>&1
  result=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
  if [ $result -eq 0 ]; then
    echo "ok: $target: ${runs:-?} runs in ${seconds} s, ${cov:-cov: ?}, corpus $(find "$corpus" -type f | wc -l) files"
  else
    echo "FAIL: $target (exit $result): $(grep -m1 -E 'ERROR: |==ERROR|Fatal error|SUMMARY' "$log" || true)" >&2
    grep -E "^artifact_prefix|Test unit written" "$log" >&2 || true
    tail -40 "$log" >&2
    status=1
  fi
done
exit $status
