#!/usr/bin/env bash
# Figures for `coverage` (benches/README.md, "Performance"): coverage against lint on the stock ruleset,
# and peak memory while streaming alerts files of 100 MB and 1 GB (generated in a temporary
# folder, removed afterwards). Needs ../shared, python3 and /usr/bin/time.
# Usage: bash benches/coverage_figures.sh   (sizes in MB: SIZES="100 1024")
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/wazuh-mitre
stock=../shared/corpus/wazuh-4.14.7/rules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
best() { # the fastest of five runs: "seconds KB"
  for _ in 1 2 3 4 5; do /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; done | sort -n | head -1
}
echo "stock ruleset (168 files): seconds, peak KB (best of 5)"
echo "  lint --format json      $(best $bin lint $stock --format json)"
echo "  coverage --format json  $(best $bin coverage $stock --format json)"
for mb in ${SIZES:-100 1024}; do
  python3 - "$tmp/alerts.json" "$mb" <<'PY'
import json, sys
line = json.dumps({"timestamp": "2026-11-01T10:00:00.000+0000", "rule": {"level": 5, "id": "5716",
       "description": "sshd: authentication failed.", "mitre": {"id": ["T1110.001", "T1021.004"]},
       "groups": ["syslog", "sshd", "authentication_failed"]}, "agent": {"id": "001", "name": "web01"},
       "full_log": "Nov  1 10:00:00 web01 sshd[123]: Failed password for invalid user admin from 192.0.2.7 port 22 ssh2",
       "location": "/var/log/auth.log"}).encode() + b"\n"
chunk, target = line * 10000, int(sys.argv[2]) << 20
with open(sys.argv[1], "wb") as f:
    n = 0
    while n < target:
        f.write(chunk); n += len(chunk)
PY
  echo "  alerts ${mb} MB streamed   $(/usr/bin/time -f '%e %M' $bin coverage examples/local_rules.xml --alerts "$tmp/alerts.json" --format json 2>&1 >/dev/null | tail -1)"
done
