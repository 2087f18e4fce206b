#!/usr/bin/env bash
# Reads while writes run: one person's week (40 entries) read by 2 connections, first alone,
# then while 32 other connections create entries as fast as they are acknowledged (each fsynced,
# group commit). Prints the week's p50/p99 in both cases and the write rate, RUNS times, then the
# medians as docs/performance.md's table ("Reads while writes run").
# Usage: bash tests/bench/read_while_writing.sh [RUNS] [SECS]
set -euo pipefail
RUNS="${1:-3}"; SECS="${2:-5}"
source "$(dirname "$0")/lib.sh"

rm -rf "$WORK/data" && mkdir -p "$WORK/data"
start_server "$WORK/data"
sign_in_first_admin
PROJECT="$(curl -sf -b "$WORK/jar" -X POST "$BASE/api/v1/projects" -H 'content-type: application/json' -d '{"name":"Bench"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
# The week: 8 entries a day, Monday 2025-03-03 to Friday.
python3 - "$BASE" "$COOKIE" "$PROJECT" <<'PY'
import http.client, json, sys, urllib.parse
base, cookie, project = sys.argv[1:4]
u = urllib.parse.urlparse(base); c = http.client.HTTPConnection(u.hostname, u.port)
for day in range(3, 8):
    for h in range(8, 16):
        body = {"project_id": project, "start": f"2025-03-{day:02}T{h:02}:00:00Z", "end": f"2025-03-{day:02}T{h:02}:45:00Z", "note": "week", "confirm": True}
        c.request("POST", "/api/v1/entries", json.dumps(body), {"Content-Type": "application/json", "Cookie": f"ophiontt_session={cookie}"})
        r = c.getresponse(); r.read(); assert r.status == 201, r.status
PY
WEEK="/api/v1/entries?from=2025-03-03&to=2025-03-09&limit=100"
post_entries_lua "$COOKIE" "$PROJECT" 1500000000 load
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }
read_week() { wrk -t1 -c2 -d"${SECS}s" --latency -H "Cookie: ophiontt_session=$COOKIE" "$BASE$WEEK"; }
alone50=(); alone99=(); busy50=(); busy99=(); rates=()
for run in $(seq 1 "$RUNS"); do
  out="$(read_week)"
  a50="$(awk '$1=="50%" {print $2}' <<<"$out" | ms)"; a99="$(awk '$1=="99%" {print $2}' <<<"$out" | ms)"
  wrk -t1 -c32 -d"$((SECS + 2))s" -s "$WORK/post.lua" "$BASE" >"$WORK/writes.out" &
  writer=$!
  sleep 1
  out="$(read_week)"
  wait "$writer"
  b50="$(awk '$1=="50%" {print $2}' <<<"$out" | ms)"; b99="$(awk '$1=="99%" {print $2}' <<<"$out" | ms)"
  rate="$(awk '/Requests\/sec/ {print $2}' "$WORK/writes.out")"
  if grep -q 'Non-2xx' "$WORK/writes.out"; then echo "some writes were not acknowledged"; cat "$WORK/writes.out"; exit 1; fi
  echo "run $run: week alone p50 $a50 ms, p99 $a99 ms; while writing ($rate writes/s) p50 $b50 ms, p99 $b99 ms"
  alone50+=("$a50"); alone99+=("$a99"); busy50+=("$b50"); busy99+=("$b99"); rates+=("$rate")
done
echo "median: week alone p50 $(median "${alone50[@]}") ms, p99 $(median "${alone99[@]}") ms; while 32 connections write ($(median "${rates[@]}")/s) p50 $(median "${busy50[@]}") ms, p99 $(median "${busy99[@]}") ms"

cat <<EOF

| | week p50 | week p99 | writes/s meanwhile |
|---|---:|---:|---:|
| alone | $(median "${alone50[@]}") ms | $(median "${alone99[@]}") ms | — |
| while 32 connections write | $(median "${busy50[@]}") ms | $(median "${busy99[@]}") ms ($(dots "${busy99[@]}")) | $(median "${rates[@]}") |
EOF
