#!/usr/bin/env bash
# Issue 11's scaling table: N copies of the stock ruleset (one folder per copy), each command's
# wall time the fastest of RUNS runs (nanosecond clock: one copy takes tens of milliseconds,
# below /usr/bin/time's resolution), its peak MB from /usr/bin/time, and its ratio to one copy.
# Usage: bash benches/scale.sh   (COPIES="1 4 16", RUNS=3 by default; needs ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=$PWD/target/release/wazuh-mitre
stock=$PWD/../shared/corpus/wazuh-4.14.7/rules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A base
measure() { # name, set-up run untimed before each run, command... -> "name seconds KB"
  local name=$1 setup=$2; shift 2
  local best=0
  for _ in $(seq "${RUNS:-3}"); do
    local s e
    eval "$setup"
    s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
    if [ "$best" = 0 ] || [ $((e - s)) -lt "$best" ]; then best=$((e - s)); fi
  done
  eval "$setup"
  /usr/bin/time -f "%M" -o "$tmp/time" "$@" >/dev/null 2>&1 || true
  echo "$name $(python3 -c "print('%.3f' % ($best / 1e9))") $(tail -1 "$tmp/time")"
}
printf "%-6s %-28s %8s %8s %8s\n" copies command seconds MB ratio
for n in ${COPIES:-1 4 16}; do
  rm -rf "$tmp/w"; mkdir -p "$tmp/w"
  for i in $(seq 1 "$n"); do cp -r "$stock" "$tmp/w/copy$i"; done
  for cmd in lint suggest fix fix-write-add-tags; do
    case $cmd in
      lint) r=$(measure $cmd : "$bin" lint --no-default-ruleset --format json "$tmp/w") ;;
      suggest) r=$(measure $cmd : "$bin" suggest --no-default-ruleset --format json "$tmp/w") ;;
      fix) r=$(measure $cmd : "$bin" fix --no-default-ruleset "$tmp/w") ;;
      # A fresh copy before each run: a written folder has nothing left to fix.
      fix-write-add-tags)
        r=$(measure $cmd 'rm -rf "$tmp/x"; cp -r "$tmp/w" "$tmp/x"' \
          "$bin" fix --no-default-ruleset --write --add-tags "$tmp/x") ;;
    esac
    set -- $r
    secs=$2; kb=$3
    if [ -z "${base[$cmd]:-}" ]; then base[$cmd]=$secs; fi
    ratio=$(python3 -c "print('%.1fx' % ($secs / max(${base[$cmd]}, 0.001)))")
    printf "%-6s %-28s %8s %8d %8s\n" "$n" "$cmd" "$secs" $((kb / 1024)) "$ratio"
  done
done
