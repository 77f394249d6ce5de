#!/usr/bin/env bash
# Issue 11's scaling table: N copies of the stock ruleset (one folder per copy), each command
# timed once with /usr/bin/time (wall seconds, peak MB) and its ratio to one copy.
# Usage: bash benches/scale.sh   (COPIES="1 4 16" by default; needs ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=$PWD/target/release/wazuh-mitre
stock=$PWD/../shared/corpus/wazuh-4.14.7/rules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A base
measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >/dev/null 2>&1 || true
  echo "$name $(tail -1 "$tmp/time")"
}
printf "%-6s %-28s %8s %8s %8s\n" copies command seconds MB ratio
for n in ${COPIES:-1 4 16}; do
  rm -rf "$tmp/w"; mkdir -p "$tmp/w"
  for i in $(seq 1 "$n"); do cp -r "$stock" "$tmp/w/copy$i"; done
  for cmd in lint suggest fix fix-write-add-tags; do
    case $cmd in
      lint) r=$(measure $cmd "$bin" lint --no-default-ruleset --format json "$tmp/w") ;;
      suggest) r=$(measure $cmd "$bin" suggest --no-default-ruleset --format json "$tmp/w") ;;
      fix) r=$(measure $cmd "$bin" fix --no-default-ruleset "$tmp/w") ;;
      fix-write-add-tags)
        rm -rf "$tmp/x"; cp -r "$tmp/w" "$tmp/x"
        r=$(measure $cmd "$bin" fix --no-default-ruleset --write --add-tags "$tmp/x") ;;
    esac
    set -- $r
    secs=$2; kb=$3
    if [ -z "${base[$cmd]:-}" ]; then base[$cmd]=$secs; fi
    ratio=$(python3 -c "print('%.1fx' % ($secs / max(${base[$cmd]}, 0.01)))")
    printf "%-6s %-28s %8s %8d %8s\n" "$n" "$cmd" "$secs" $((kb / 1024)) "$ratio"
  done
done
