#!/usr/bin/env bash
# Durable create-entry throughput over HTTP: POST /api/v1/entries with N concurrent connections
# (default 32), each answered 201 only after its write is fsynced (group commit). Runs the
# release binary on loopback with a fresh data folder, RUNS times (default 5) for SECS seconds
# each, and prints every run and the median, then that as a row of docs/performance.md's table
# ("Durable write throughput"). Needs Debian's wrk (installed if missing).
# Usage: bash tests/bench/write_throughput.sh [CONNECTIONS] [RUNS] [SECS]
set -euo pipefail
CONNS="${1:-32}"; RUNS="${2:-5}"; SECS="${3:-8}"
source "$(dirname "$0")/lib.sh"

rates=(); latencies=()
for run in $(seq 1 "$RUNS"); do
  measure_writes "$CONNS" "$SECS"
  echo "run $run: $RATE acknowledged entries/s, mean latency $LATENCY"
  rates+=("$RATE"); latencies+=("$(to_ms <<<"$LATENCY")")
done
median="$(median "${rates[@]}")"
echo "median over $RUNS runs, $CONNS connections: $median acknowledged entries/s ($(nproc) cores, wrk on the same machine)"

cat <<EOF

| connections | runs × seconds | median acknowledged entries/s | runs | mean latency |
|---:|---|---:|---|---|
| $CONNS | $RUNS × $SECS s | $median | $(dots "${rates[@]}") | $(span "${latencies[@]}") ms |
EOF
