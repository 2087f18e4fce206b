#!/usr/bin/env bash
# Reproduces the start-up figures in docs/performance.md:
#   - release binary size (as built, and stripped: `strip` on a temporary copy)
#   - idle RSS of a running server with an empty store (VmRSS ~2 s after "listening on")
#   - start-up time with an empty store: exec → "listening on" on stdout, and exec → /healthz
#     answering 200; RUNS runs (default 15), each with a fresh temporary data folder
# Prints a markdown table. Needs bash, coreutils, curl, python3 and binutils' strip.
#
# Usage, from the repository root:
#   bash tests/bench/startup.sh
# Environment:
#   RUNS=15            runs for the start-up time
#   OPHIONTT_BIN=path  measure this binary instead of building target/release/ophiontt
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

RUNS="${RUNS:-15}"
START_TIMEOUT=10 # seconds a single start may take before the run is abandoned

for tool in curl python3 strip timeout; do
  command -v "$tool" >/dev/null || { echo "startup.sh: $tool is required" >&2; exit 2; }
done

if [[ -n "${OPHIONTT_BIN:-}" ]]; then
  BIN="$OPHIONTT_BIN"
else
  echo "startup.sh: cargo build --release (no-op when up to date)" >&2
  timeout 1800 cargo build --release --quiet
  BIN=target/release/ophiontt
fi
[[ -x "$BIN" ]] || { echo "startup.sh: $BIN is not an executable" >&2; exit 2; }

WORK="$(mktemp -d -t ophiontt-bench.XXXXXX)"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    timeout 10 tail --pid="$SERVER_PID" -f /dev/null 2>/dev/null || kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- binary size --------------------------------------------------------------------------
size_bytes=$(stat -c %s "$BIN")
cp "$BIN" "$WORK/ophiontt.stripped"
strip "$WORK/ophiontt.stripped"
stripped_bytes=$(stat -c %s "$WORK/ophiontt.stripped")
rm -f "$WORK/ophiontt.stripped"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# --- idle RSS -----------------------------------------------------------------------------
rss_dir="$WORK/rss"
"$BIN" serve --data "$rss_dir/data" --listen 127.0.0.1:0 >"$WORK/rss.out" 2>&1 &
SERVER_PID=$!
deadline=$((SECONDS + START_TIMEOUT))
until grep -q "listening on" "$WORK/rss.out"; do
  if ((SECONDS >= deadline)) || ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "startup.sh: the server did not start; its output:" >&2
    cat "$WORK/rss.out" >&2
    exit 2
  fi
  sleep 0.05
done
sleep 2
rss_kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status")
hwm_kib=$(awk '/^VmHWM:/ { print $2 }' "/proc/$SERVER_PID/status")
anon_kib=$(awk '/^RssAnon:/ { print $2 }' "/proc/$SERVER_PID/status")
file_kib=$(awk '/^RssFile:/ { print $2 }' "/proc/$SERVER_PID/status")
# Every thread by name, counted: "3 × ophiontt-rt, 7 × sled-io-N…".
threads=$(for t in /proc/$SERVER_PID/task/*; do cat "$t/comm"; done | sed 's/-[0-9]*$/-N/' | sort | uniq -c \
  | awk '{ n = $1; $1 = ""; sub(/^ /, ""); printf "%s%d × %s", sep, n, $0; sep = ", " }')
url=$(grep -o 'listening on http://[^ ]*' "$WORK/rss.out" | sed 's/^listening on //')
curl -fsS --max-time 5 "$url/healthz" >/dev/null
kill -TERM "$SERVER_PID"
timeout 30 tail --pid="$SERVER_PID" -f /dev/null || { kill -KILL "$SERVER_PID"; exit 2; }
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""

# --- start-up time ------------------------------------------------------------------------
# One run (tests/bench/time_start.py): "<ms to listening line> <ms to healthz 200>".
measure_once() {
  timeout $((START_TIMEOUT + 20)) python3 tests/bench/time_start.py "$BIN" "$1" /healthz "$START_TIMEOUT"
}

listen_ms=()
health_ms=()
for ((i = 1; i <= RUNS; i++)); do
  d="$WORK/run-$i"
  out=$(measure_once "$d/data")
  read -r l h <<<"$out"
  listen_ms+=("$l")
  health_ms+=("$h")
  rm -rf "$d"
done

# median, min and max of the arguments
stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "%.1f ms | %.1f ms | %.1f ms", m, v[1], v[NR] }'; }

cat <<EOF

| measure | value |
|---|---|
| release binary | $size_bytes bytes ($(mib "$size_bytes") MiB) |
| stripped copy | $stripped_bytes bytes ($(mib "$stripped_bytes") MiB) |
| idle RSS, empty store, ~2 s after start | $rss_kib KiB ($(mib $((rss_kib * 1024))) MiB): anonymous $anon_kib KiB, file-backed $file_kib KiB; peak (VmHWM) $hwm_kib KiB |
| threads | $threads |

| start-up, empty store, $RUNS runs | median | min | max |
|---|---|---|---|
| exec → "listening on" on stdout | $(stats "${listen_ms[@]}") |
| exec → /healthz answers 200 | $(stats "${health_ms[@]}") |

machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '/^MemTotal:/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo); $(date -u +%F)
EOF
