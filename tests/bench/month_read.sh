#!/usr/bin/env bash
# A month of one person's entries: the person has one year of time (50 entries a day, 18,250
# in all, loaded over HTTP like a real client would, by load_year.py), and wrk reads March
# (1,550 entries) with 4 connections (throughput) and with 1 (one client's latency), following
# the page cursor until the month is complete, so one "month" is as many requests as the page
# limit needs. Measured plain and with `Accept-Encoding: gzip`.
# Prints months/s, requests per month, p50/p99 of one request, and the bytes of a month (also
# with `br`, which the server does not make: it must come back plain), then the medians as
# docs/performance.md's table.
# Usage: bash tests/bench/month_read.sh [RUNS] [SECS]
set -euo pipefail
RUNS="${1:-3}"; SECS="${2:-5}"
source "$(dirname "$0")/lib.sh"

rm -rf "$WORK/data" && mkdir -p "$WORK/data"
start_server "$WORK/data"
sign_in_first_admin
load_start=$(date +%s.%N)
python3 tests/bench/load_year.py ophiontt "$BASE" "$COOKIE"
echo "loaded in $(echo "$(date +%s.%N) - $load_start" | bc) s; store $(du -sh "$WORK/data" | cut -f1)"

MONTH="/api/v1/entries?from=2025-03-01&to=2025-03-31&limit=2000"
# How the server pages a month, and its bytes with each encoding.
PAGES="$(python3 - "$BASE$MONTH" "$COOKIE" <<'PY' | tee /dev/stderr | awk '{print $5}'
import json, sys, urllib.request
url, cookie = sys.argv[1], sys.argv[2]
total = pages = 0; size = {"identity": 0, "gzip": 0, "br": 0}; cursor = None
while True:
    u = url + (f"&cursor={cursor}" if cursor else "")
    for enc in size:
        r = urllib.request.urlopen(urllib.request.Request(u, headers={"Cookie": f"ophiontt_session={cookie}", "Accept-Encoding": enc}))
        body = r.read(); size[enc] += len(body)
        if enc == "identity": page = json.loads(body)
    total += len(page["items"]); pages += 1; cursor = page["next_cursor"]
    if not cursor: break
print(f"march: {total} entries in {pages} requests; bytes identity {size['identity']}, gzip {size['gzip']}, br {size['br']}")
PY
)"

cat >"$WORK/month.lua" <<LUA
-- Reads the month page by page (the connections of one wrk thread share the cursor, so the
-- mix of pages is the month's).
local path = "$MONTH"
local cursor = nil
request = function()
  local p = path
  if cursor then p = p .. "&cursor=" .. cursor end
  return wrk.format("GET", p, {["Cookie"] = "ophiontt_session=$COOKIE", ["Accept-Encoding"] = ENCODING})
end
-- The cursor is near the end of the body: look only there, so that wrk's own CPU (on the same
-- cores as the server) is not spent scanning a megabyte per answer.
response = function(status, headers, body)
  cursor = string.match(body, '"next_cursor":"([^"]+)"', math.max(1, #body - 400))
end
LUA
declare -A MPS P50 P99
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }
for spec in "identity 4" "gzip 4" "identity 1" "gzip 1"; do
  read -r enc conns <<<"$spec"
  sed "s/ENCODING/\"$enc\"/" "$WORK/month.lua" >"$WORK/month-$enc.lua"
  mps=(); p50s=(); p99s=()
  for run in $(seq 1 "$RUNS"); do
    out="$(wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${SECS}s" --latency -s "$WORK/month-$enc.lua" "$BASE")"
    if grep -q 'Non-2xx' <<<"$out"; then echo "non-2xx answers"; echo "$out"; exit 1; fi
    p50="$(awk '$1=="50%" {print $2}' <<<"$out" | ms)"; p99="$(awk '$1=="99%" {print $2}' <<<"$out" | ms)"
    rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    months="$(awk -v r="$rps" -v p="$PAGES" 'BEGIN {printf "%.1f", r / p}')"
    echo "$enc, $conns connections, run $run: ${months} months/s (${rps} requests/s), p50 ${p50} ms, p99 ${p99} ms per request"
    mps+=("$months"); p50s+=("$p50"); p99s+=("$p99")
  done
  MPS[$enc$conns]="$(median "${mps[@]}")"; P50[$enc$conns]="$(median "${p50s[@]}")"; P99[$enc$conns]="$(median "${p99s[@]}")"
  echo "$enc, $conns connections, median: ${MPS[$enc$conns]} months/s, p50 ${P50[$enc$conns]} ms, p99 ${P99[$enc$conns]} ms"
done

cat <<EOF

| | 4 connections | 1 connection |
|---|---:|---:|
| months/s, plain | ${MPS[identity4]} | ${MPS[identity1]} |
| months/s, asking for gzip | ${MPS[gzip4]} | ${MPS[gzip1]} |
| p50 / p99 of one request, plain (requests per month: $PAGES) | ${P50[identity4]} / ${P99[identity4]} ms | ${P50[identity1]} / ${P99[identity1]} ms |
| p50 / p99 of one request, gzip | ${P50[gzip4]} / ${P99[gzip4]} ms | ${P50[gzip1]} / ${P99[gzip1]} ms |
EOF
