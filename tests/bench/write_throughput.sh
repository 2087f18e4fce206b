#!/usr/bin/env bash
# Durable create-entry throughput over HTTP: POST /api/v1/entries with N concurrent connections
# (default 32), each answered 201 only after its write is fsynced (group commit). Runs the
# release binary on loopback with a fresh data folder, RUNS times (default 5) for SECS seconds
# each, and prints every run and the median. Needs Debian's wrk (installed if missing).
# Usage: bash tests/bench/write_throughput.sh [CONNECTIONS] [RUNS] [SECS]
set -euo pipefail
CONNS="${1:-32}"; RUNS="${2:-5}"; SECS="${3:-8}"
source "$(dirname "$0")/lib.sh"

rates=()
for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/data" && mkdir -p "$WORK/data"
  start_server "$WORK/data"
  curl -sf -c "$WORK/jar" -X POST "$BASE/api/v1/setup" -H 'content-type: application/json' \
    -d "{\"token\":\"$TOKEN\",\"name\":\"Bench\",\"email\":\"bench@example.com\",\"password\":\"bench bench bench\",\"time_zone\":\"UTC\"}" >/dev/null
  PROJECT="$(curl -sf -b "$WORK/jar" -X POST "$BASE/api/v1/projects" -H 'content-type: application/json' -d '{"name":"Bench"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  COOKIE="$(awk '/ophiontt_session/ {print $7}' "$WORK/jar")"
  cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "ophiontt_session=$COOKIE"
local n = 0
request = function()
  n = n + 1
  local s = 1700000000 + (n * 7919) % 100000000
  local body = string.format('{"project_id":"$PROJECT","start":"%s","end":"%s","note":"bench"}',
    os.date("!%Y-%m-%dT%H:%M:%SZ", s), os.date("!%Y-%m-%dT%H:%M:%SZ", s + 1800))
  return wrk.format(nil, "/api/v1/entries", nil, body)
end
LUA
  THREADS=$(( CONNS < 2 ? 1 : 2 ))
  out="$(wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" -s "$WORK/post.lua" "$BASE")"
  if grep -q 'Non-2xx' <<<"$out"; then echo "run $run: some requests were not acknowledged:"; echo "$out"; exit 1; fi
  rate="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p50="$(awk '/Latency/ {print $2}' <<<"$out")"
  echo "run $run: $rate acknowledged entries/s, mean latency $p50"
  rates+=("$rate")
  stop_server
done
median="$(median "${rates[@]}")"
echo "median over $RUNS runs, $CONNS connections: $median acknowledged entries/s ($(nproc) cores, wrk on the same machine)"
