#!/usr/bin/env bash
# Issue 11's small-file figure: `lint examples/local_rules.xml` as a whole process, run 40
# times; prints the fastest and the median wall time, with and without the embedded stock index.
# Usage: bash benches/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=$PWD/target/release/wazuh-mitre
measure() { # label, args...
  local label=$1; shift
  local times=()
  for _ in $(seq 40); do
    local s e
    # Bash's own clock: `$(date)` would count a fork and exec of `date` in every run.
    s=${EPOCHREALTIME/[.,]/}; "$bin" "$@" >/dev/null 2>&1 || true; e=${EPOCHREALTIME/[.,]/}
    times+=($(( e - s )))
  done
  mapfile -t sorted < <(printf "%s\n" "${times[@]}" | sort -n)
  printf "%-44s fastest %5.1f ms   median %5.1f ms\n" "$label" \
    "$(echo "${sorted[0]} / 1000" | bc -l)" "$(echo "${sorted[20]} / 1000" | bc -l)"
}
measure "lint local_rules.xml (embedded stock index)" lint examples/local_rules.xml
measure "lint local_rules.xml --no-default-ruleset" lint examples/local_rules.xml --no-default-ruleset
measure "--version (process start)" --version
