#!/usr/bin/env bash
# The floors under a durable write on this machine (docs/performance.md, "Where a write's time
# goes"): what one fsync costs, one authenticated HTTP round trip to the server (wrk, 1
# connection), sled's own insert + flush and four-tree transaction + flush (tests/bench/
# sled_floor.rs, no HTTP), and a durable create through the server (1 connection), RUNS times
# each (default 3).
# Usage: bash tests/bench/floors.sh [RUNS]
set -euo pipefail
RUNS="${1:-3}"
source "$(dirname "$0")/lib.sh"
cargo bench --quiet --no-run --bench sled_floor 2>/dev/null # built before anything is timed

for run in $(seq 1 "$RUNS"); do
  python3 - "$WORK/fsync" <<'PY'
import os, sys, time
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
ts = []
for _ in range(2000):
    os.write(fd, b"x" * 200)
    t = time.perf_counter(); os.fsync(fd); ts.append(time.perf_counter() - t)
ts.sort()
print(f"fsync of a 200-byte append: p50 {ts[1000] * 1e3:.3f} ms ({1 / ts[1000]:.0f}/s)")
PY
  rm -rf "$WORK/data" && mkdir -p "$WORK/data"
  start_server "$WORK/data"
  sign_in_first_admin
  out="$(wrk -t1 -c1 -d3s -H "Cookie: ophiontt_session=$COOKIE" "$BASE/api/v1/me")"
  echo "GET /api/v1/me, 1 connection: $(awk '/Requests\/sec/ {print $2}' <<<"$out")/s, mean $(awk '/Latency/ {print $2}' <<<"$out")"
  stop_server
  rm -rf "$WORK/sled"
  cargo bench --quiet --bench sled_floor -- "$WORK/sled" 2>/dev/null
  measure_writes 1 5
  echo "durable create through the server, 1 connection: $RATE/s, mean $LATENCY"
done
