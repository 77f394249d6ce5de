#!/usr/bin/env bash
# Issue 11's single big file: one generated rule file of 300,000 rules (about 26 MB), every
# command timed once with /usr/bin/time (wall seconds, peak MB), memory also as a multiple of
# the file's size. Usage: bash benches/big_file.sh   (RULES=300000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=$PWD/target/release/wazuh-mitre
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/big_rules.xml" "${RULES:-300000}" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
# A few shapes of local rule, so that similarity and hints have real work; one in eight tagged.
shapes = [
    ('<match>4625</match>', 'Logon failure {k}'),
    ('<match>Accepted</match>', 'sshd: login {k}'),
    ('<match>certutil</match>', 'Certutil run {k}'),
    ('<regex>DROP \\w+</regex>', 'Table dropped {k}'),
]
with open(path, "w") as f:
    f.write('<group name="local,generated,">\n')
    for i in range(n):
        field, desc = shapes[i % len(shapes)]
        tag = "<mitre><id>T1110</id></mitre>" if i % 8 == 0 else ""
        f.write(f'<rule id="{100000 + i}" level="5">{field}'
                f'<description>{desc.format(k=i % 997)}</description>{tag}</rule>\n')
    f.write('</group>\n')
PY
size=$(stat -c %s "$tmp/big_rules.xml")
echo "file: $((size / 1024 / 1024)) MB, ${RULES:-300000} rules"
printf "%-22s %8s %8s %10s\n" command seconds MB "x file"
for cmd in lint suggest fix; do
  case $cmd in
    lint) args=(lint --no-default-ruleset --format json) ;;
    suggest) args=(suggest --no-default-ruleset --format json) ;;
    fix) args=(fix --no-default-ruleset) ;;
  esac
  /usr/bin/time -f "%e %M" -o "$tmp/time" timeout 120 "$bin" "${args[@]}" "$tmp/big_rules.xml" >/dev/null 2>&1 || true
  set -- $(tail -1 "$tmp/time")
  printf "%-22s %8s %8d %10s\n" "$cmd" "$1" $(($2 / 1024)) "$(python3 -c "print('%.1fx' % ($2 * 1024 / $size))")"
done
