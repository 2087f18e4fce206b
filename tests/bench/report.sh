#!/usr/bin/env bash
# Reports at scale (issue 15's goals): seeds a store with N entries (default 1,000,000; 50 users,
# eight entries per working day each, going back from yesterday), signs in an admin (who sees
# everyone's time), then measures GET /api/v1/reports/summary with wrk --latency, one client
# (1 connection, SECS seconds, RUNS runs):
#   month — the last full month, grouped by project and user (50 people × ~22 working days)
#   year  — the last full calendar year, grouped by project and user
#   week  — this week, grouped by day (what a dashboard asks)
# Prints p50/p99 per run, the median p50/p99, and how many entries each range held.
# The ranges are fixed by the calendar, so running it at several sizes shows whether a fixed
# range's cost grows with the store (it should not).
# Usage: bash tests/bench/report.sh [ENTRIES] [RUNS] [SECS]
set -euo pipefail
ENTRIES="${1:-1000000}"; RUNS="${2:-3}"; SECS="${3:-5}"
source "$(dirname "$0")/lib.sh"

seed_start=$(date +%s.%N)
"$BIN" seed --data "$WORK/data" --entries "$ENTRIES" 2>/dev/null
echo "seeded $ENTRIES entries in $(echo "$(date +%s.%N) - $seed_start" | bc) s; store $(du -sh "$WORK/data" | cut -f1)"
LINK="$("$BIN" user add --data "$WORK/data" --role admin --email bench@example.com --name Bench)"
RESET="$(grep -o "token=[A-Za-z0-9_-]*" <<<"$LINK" | cut -d= -f2)"
start_server "$WORK/data"
curl -sf -X POST "$BASE/api/v1/password-reset" -H 'content-type: application/json' -d "{\"token\":\"$RESET\",\"new_password\":\"bench bench bench\"}"
curl -sf -c "$WORK/jar" -X POST "$BASE/api/v1/session" -H 'content-type: application/json' -d '{"email":"bench@example.com","password":"bench bench bench"}' >/dev/null
COOKIE="$(awk '/ophiontt_session/ {print $7}' "$WORK/jar")"
read -r M_FROM M_TO Y_FROM Y_TO <<<"$(python3 -c '
import datetime as d
t = d.date.today(); first = t.replace(day=1); last = first - d.timedelta(days=1)
print(last.replace(day=1), last, f"{t.year-1}-01-01", f"{t.year-1}-12-31")')"
declare -A PATHS=(
  [month]="/api/v1/reports/summary?from=$M_FROM&to=$M_TO&group=project,user"
  [year]="/api/v1/reports/summary?from=$Y_FROM&to=$Y_TO&group=project,user"
  [week]="/api/v1/reports/summary?group=day"
)
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }
for name in month year week; do
  held="$(curl -sf -b "$WORK/jar" "$BASE${PATHS[$name]}" | python3 -c 'import json,sys; t=json.load(sys.stdin)["total"]; print(t["entries"], "entries,", round(t["seconds"]/3600), "h")')"
  echo "$name (${PATHS[$name]}): $held"
  p50s=(); p99s=()
  for run in $(seq 1 "$RUNS"); do
    out="$(wrk -t1 -c1 -d"${SECS}s" --latency -H "Cookie: ophiontt_session=$COOKIE" "$BASE${PATHS[$name]}")"
    if grep -q 'Non-2xx' <<<"$out"; then echo "$name: non-2xx answers"; echo "$out"; exit 1; fi
    p50="$(awk '$1=="50%" {print $2}' <<<"$out" | ms)"; p99="$(awk '$1=="99%" {print $2}' <<<"$out" | ms)"
    echo "$name run $run: p50 ${p50} ms, p99 ${p99} ms"
    p50s+=("$p50"); p99s+=("$p99")
  done
  echo "$name median: p50 $(median "${p50s[@]}") ms, p99 $(median "${p99s[@]}") ms ($ENTRIES entries)"
done
