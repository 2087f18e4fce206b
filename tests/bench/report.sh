#!/usr/bin/env bash
# Reports at scale (issue 15's goals): seeds a store with N entries (default 1,000,000; 50 users,
# eight entries per working day each, going back from yesterday), signs in an admin (who sees
# everyone's time), then measures GET /api/v1/reports/summary with wrk --latency, one client
# (1 connection, SECS seconds, RUNS runs):
#   month — the last full month, grouped by project and user (50 people × ~22 working days)
#   year  — the last full calendar year, grouped by project and user
#   week  — this week, grouped by day (what a dashboard asks)
# Prints p50/p99 per run, the median p50/p99, and how many entries each range held, then the
# medians as a row of docs/performance.md's table ("Reports from 100 k to 5 M entries").
# The ranges are fixed by the calendar, so running it at several sizes shows whether a fixed
# range's cost grows with the store (it should not).
# Usage: bash tests/bench/report.sh [ENTRIES] [RUNS] [SECS]
set -euo pipefail
ENTRIES="${1:-1000000}"; RUNS="${2:-3}"; SECS="${3:-5}"
source "$(dirname "$0")/lib.sh"

seed_and_sign_in_bench_admin "$ENTRIES"
read -r M_FROM M_TO Y_FROM Y_TO <<<"$(python3 -c '
import datetime as d
t = d.date.today(); first = t.replace(day=1); last = first - d.timedelta(days=1)
print(last.replace(day=1), last, f"{t.year-1}-01-01", f"{t.year-1}-12-31")')"
declare -A PATHS=(
  [month]="/api/v1/reports/summary?from=$M_FROM&to=$M_TO&group=project,user"
  [year]="/api/v1/reports/summary?from=$Y_FROM&to=$Y_TO&group=project,user"
  [week]="/api/v1/reports/summary?group=day"
)
declare -A HELD CELL
for name in month year week; do
  held="$(curl -sf -b "$WORK/jar" "$BASE${PATHS[$name]}" | python3 -c 'import json,sys; t=json.load(sys.stdin)["total"]; print(t["entries"], "entries,", round(t["seconds"]/3600), "h")')"
  echo "$name (${PATHS[$name]}): $held"
  HELD[$name]="${held%% *}"
  measure_get "$name" "${PATHS[$name]}" "$RUNS" "$SECS"
  CELL[$name]="p50 $MED_P50 ms, p99 $MED_P99 ms"
done
echo "($ENTRIES entries)"

cat <<EOF

| store | month, project × person (${HELD[month]} entries) | year, project × person (${HELD[year]} entries) | week by day (${HELD[week]} entries) |
|---:|---:|---:|---:|
| $ENTRIES entries | ${CELL[month]} | ${CELL[year]} | ${CELL[week]} |
EOF
