#!/usr/bin/env bash
# Read latency at scale: seeds a store with N entries (default 1,000,000; 50 users, so N/50 per
# user), then measures with wrk --latency (4 connections, SECS seconds, RUNS runs):
#   week  — GET /api/v1/entries for one user's week (40 entries)
#   page  — GET /api/v1/entries first page (limit 50) over all of that user's time
#   sheet — GET /api/v1/timesheet for that week
# Prints p50/p99 per run and the median p50/p99. Needs Debian's wrk (installed if missing).
# Usage: bash tests/bench/read_latency.sh [ENTRIES] [RUNS] [SECS]
set -euo pipefail
ENTRIES="${1:-1000000}"; RUNS="${2:-3}"; SECS="${3:-5}"
source "$(dirname "$0")/lib.sh"

seed_start=$(date +%s.%N)
"$BIN" seed --data "$WORK/data" --entries "$ENTRIES" 2>/dev/null
echo "seeded $ENTRIES entries in $(echo "$(date +%s.%N) - $seed_start" | bc) s; store $(du -sh "$WORK/data" | cut -f1)"
start_server "$WORK/data"
TOKEN="$("$BIN" user reset-link seed0@example.com --data "$WORK/data" | grep -o 'token=[A-Za-z0-9_-]*' | cut -d= -f2)"
curl -sf -X POST "$BASE/api/v1/password-reset" -H 'content-type: application/json' -d "{\"token\":\"$TOKEN\",\"new_password\":\"bench bench bench\"}"
curl -sf -c "$WORK/jar" -X POST "$BASE/api/v1/session" -H 'content-type: application/json' -d '{"email":"seed0@example.com","password":"bench bench bench"}' >/dev/null
COOKIE="$(awk '/ophiontt_session/ {print $7}' "$WORK/jar")"
# A full week in the middle of the seeded history.
PER_USER=$(( ENTRIES / 50 )); WEEKS_BACK=$(( PER_USER / 80 + 1 ))
MONDAY="$(python3 -c "import datetime as d; t=d.date.today(); m=t-d.timedelta(days=t.weekday()); print(m-d.timedelta(weeks=$WEEKS_BACK))")"
SUNDAY="$(python3 -c "import datetime as d; print(d.date.fromisoformat('$MONDAY')+d.timedelta(days=6))")"
declare -A PATHS=(
  [week]="/api/v1/entries?from=$MONDAY&to=$SUNDAY&limit=100"
  [page]="/api/v1/entries?from=2000-01-01&to=2099-12-31&limit=50"
  [sheet]="/api/v1/timesheet?week=$MONDAY"
)
n_week="$(curl -sf -b "$WORK/jar" "$BASE${PATHS[week]}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
echo "week of $MONDAY holds $n_week entries for seed0"
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }
for name in week page sheet; do
  p50s=(); p99s=()
  for run in $(seq 1 "$RUNS"); do
    out="$(wrk -t2 -c4 -d"${SECS}s" --latency -H "Cookie: ophiontt_session=$COOKIE" "$BASE${PATHS[$name]}")"
    if grep -q 'Non-2xx' <<<"$out"; then echo "$name: non-2xx answers"; echo "$out"; exit 1; fi
    p50="$(awk '$1=="50%" {print $2}' <<<"$out" | ms)"; p99="$(awk '$1=="99%" {print $2}' <<<"$out" | ms)"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    echo "$name run $run: p50 ${p50} ms, p99 ${p99} ms, ${rps} req/s"
    p50s+=("$p50"); p99s+=("$p99")
  done
  echo "$name median: p50 $(median "${p50s[@]}") ms, p99 $(median "${p99s[@]}") ms ($ENTRIES entries)"
done
