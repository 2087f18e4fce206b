#!/usr/bin/env bash
# The floors under a durable write on this machine (docs/performance.md, "Where a write's time
# goes"): what one fsync costs, one authenticated HTTP round trip to the server (wrk, 1
# connection), sled's own insert + flush and four-tree transaction + flush (tests/bench/
# sled_floor.rs, no HTTP), and a durable create through the server (1 connection), RUNS times
# each (default 3). Ends with the medians of the runs as docs/performance.md's table.
# Usage: bash tests/bench/floors.sh [RUNS]
set -euo pipefail
RUNS="${1:-3}"
source "$(dirname "$0")/lib.sh"
cargo bench --quiet --no-run --bench sled_floor 2>/dev/null # built before anything is timed

fsyncs=(); mes=(); sled1=(); sled4=(); sled4tx=(); creates=()
for run in $(seq 1 "$RUNS"); do
  line="$(python3 - "$WORK/fsync" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
ts = []
for _ in range(2000):
    os.write(fd, b"x" * 200)
    t = time.perf_counter(); os.fsync(fd); ts.append(time.perf_counter() - t)
ts.sort()
print(f"fsync of a 200-byte append: p50 {ts[1000] * 1e3:.3f} ms ({1 / ts[1000]:.0f}/s)")
PY
)"
  echo "$line"; fsyncs+=("$(grep -o 'p50 [0-9.]*' <<<"$line" | cut -d' ' -f2)")
  rm -rf "$WORK/data" && mkdir -p "$WORK/data"
  start_server "$WORK/data"
  sign_in_first_admin
  out="$(wrk -t1 -c1 -d3s -H "Cookie: ophiontt_session=$COOKIE" "$BASE/api/v1/me")"
  echo "GET /api/v1/me, 1 connection: $(awk '/Requests\/sec/ {print $2}' <<<"$out")/s, mean $(awk '/Latency/ {print $2}' <<<"$out")"
  mes+=("$(awk '/Latency/ {print $2}' <<<"$out" | to_ms)")
  stop_server
  rm -rf "$WORK/sled"
  line="$(cargo bench --quiet --bench sled_floor -- "$WORK/sled" 2>/dev/null)"
  echo "$line"
  read -r a b c < <(sed -E 's/.*p50 ([0-9.]+) ms.*p50 ([0-9.]+) ms.*transaction ([0-9.]+) ms.*/\1 \2 \3/' <<<"$line")
  sled1+=("$a"); sled4+=("$b"); sled4tx+=("$c")
  measure_writes 1 5
  echo "durable create through the server, 1 connection: $RATE/s, mean $LATENCY"
  creates+=("$(to_ms <<<"$LATENCY")")
done

# per operation (ms) → "X ms | Y/s", the rate one at a time
row() { awk -v m="$1" -v note="$2" 'BEGIN { printf "%.3f ms%s | %.0f/s", m, note, 1000 / m }'; }
cat <<EOF

| floor on this machine | per operation | rate it allows, one at a time |
|---|---:|---:|
| \`fsync\` of a 200-byte append (Python) | $(row "$(median "${fsyncs[@]}")" "") |
| an authenticated \`GET /api/v1/me\` over HTTP, \`wrk\` 1 connection | $(row "$(median "${mes[@]}")" " (mean)") |
| sled 0.34 alone (\`tests/bench/sled_floor.rs\`): one \`insert\` then \`Db::flush\` | $(row "$(median "${sled1[@]}")" "") |
| sled 0.34 alone: a four-tree transaction (entry, timeline row, tag row, audit record) then \`Db::flush\` | $(row "$(median "${sled4[@]}")" " (the transaction $(median "${sled4tx[@]}"))") |
| a durable create through OphionTT, 1 connection | $(row "$(median "${creates[@]}")" " (mean)") |
EOF
