#!/usr/bin/env bash
# The dashboard and the week report at scale (issue 15: under 10 ms p50 at 1 M entries): seeds
# a store with N entries as report.sh does (50 users, eight entries per working day each, going
# back from yesterday), signs in an admin (who sees everyone's time, so the dashboard's team part
# covers all 50 people, and the week report all their entries), then measures with wrk --latency,
# one client (1 connection, SECS seconds, RUNS runs):
#   dashboard — GET /api/v1/dashboard (this week and last week; the team's week)
#   weekly    — GET /api/v1/reports/weekly for last full week (50 people × 5 working days)
#   detailed  — GET /api/v1/reports/detailed, last full week, the first page of 100 entries
# Prints p50/p99 per run, the medians, and how much each answer covered, then the medians as
# docs/performance.md's table ("The dashboard, the week report and the detailed report").
# Usage: bash tests/bench/dashboard.sh [ENTRIES] [RUNS] [SECS]
set -euo pipefail
ENTRIES="${1:-1000000}"; RUNS="${2:-3}"; SECS="${3:-5}"
source "$(dirname "$0")/lib.sh"

seed_and_sign_in_bench_admin "$ENTRIES"
LAST_MONDAY="$(python3 -c 'import datetime as d; t=d.date.today(); print(t - d.timedelta(days=t.weekday() + 7))')"
LAST_SUNDAY="$(python3 -c "import datetime as d; print(d.date.fromisoformat('$LAST_MONDAY') + d.timedelta(days=6))")"
curl -sf -b "$WORK/jar" "$BASE/api/v1/dashboard" | python3 -c 'import json,sys; d=json.load(sys.stdin); t=d["team"]; print("dashboard:", len(t["people"]), "people,", round(sum(p["seconds"] for p in t["people"])/3600), "h this week")'
curl -sf -b "$WORK/jar" "$BASE/api/v1/reports/weekly?week=$LAST_MONDAY" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("weekly:", len(d["rows"]), "people,", round(d["seconds"]/3600), "h")'
curl -sf -b "$WORK/jar" "$BASE/api/v1/reports/detailed?from=$LAST_MONDAY&to=$LAST_SUNDAY" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("detailed:", len(d["items"]), "of", d["total"]["entries"], "entries")'
measure_get dashboard "/api/v1/dashboard" "$RUNS" "$SECS"; dashboard="$MED_P50 ms | $MED_P99 ms"
measure_get weekly "/api/v1/reports/weekly?week=$LAST_MONDAY" "$RUNS" "$SECS"; weekly="$MED_P50 ms | $MED_P99 ms"
measure_get detailed "/api/v1/reports/detailed?from=$LAST_MONDAY&to=$LAST_SUNDAY" "$RUNS" "$SECS"; detailed="$MED_P50 ms | $MED_P99 ms"

cat <<EOF

| request, $ENTRIES entries | p50 | p99 |
|---|---:|---:|
| dashboard (admin: own week + 50 people's) | $dashboard |
| week report, 50 people × 7 days | $weekly |
| detailed report, first page of 100 | $detailed |
EOF
