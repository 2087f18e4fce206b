#!/usr/bin/env bash
# Reproduces the memory and large-store figures in docs/performance.md ("Memory under load and
# with a large store"):
#   1. RSS after WRITES durable creates (default 30,000) from 32 connections on a fresh store,
#      read 2 s after the last answer (and the peak, VmHWM);
#   2. a store seeded with ENTRIES entries (default 1,000,000; `ophiontt seed`, 50 people):
#      its size on disk and per entry, start-up time to /readyz 200 (RUNS runs, default 5,
#      median), idle RSS 2 s after ready, and RSS after one person's month was read 200 times.
# Prints a markdown table. Needs Debian's wrk (installed if missing), curl, python3, du.
#
# Usage, from the repository root:
#   bash tests/bench/memory.sh
# Environment: WRITES, ENTRIES, RUNS; OPHIONTT_BIN=path measures another binary.
set -euo pipefail
WRITES="${WRITES:-30000}"; ENTRIES="${ENTRIES:-1000000}"; RUNS="${RUNS:-5}"
source "$(dirname "$0")/lib.sh"

kib() { awk "/^$1:/ {print \$2}" "/proc/$SERVER_PID/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# --- 1. RSS after WRITES creates at 32 connections ------------------------------------------
rm -rf "$WORK/data" && mkdir -p "$WORK/data"
start_server "$WORK/data"
sign_in_first_admin
project="$(curl -sf -b "$WORK/jar" -X POST "$BASE/api/v1/projects" -H 'content-type: application/json' -d '{"name":"Bench"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
post_entries_lua "$COOKIE" "$project" 1700000000 bench $((WRITES / 2))
rss_before="$(kib VmRSS)"
out="$(wrk -t2 -c32 -d120s -s "$WORK/post.lua" "$BASE")"
if grep -q 'Non-2xx' <<<"$out"; then echo "some writes were not acknowledged:"; echo "$out"; exit 1; fi
written="$(awk '/requests in/ {print $1}' <<<"$out")"
sleep 2
rss_writes="$(kib VmRSS)"; anon_writes="$(kib RssAnon)"; hwm_writes="$(kib VmHWM)"
stop_server

# --- 2. a large store -------------------------------------------------------------------------
rm -rf "$WORK/data"
"$BIN" seed --data "$WORK/data" --entries "$ENTRIES" 2>/dev/null
store_bytes="$(du -sb "$WORK/data/db" | cut -f1)"

# exec → /readyz 200 in milliseconds, for one start on the seeded folder (then stopped).
ready_once() { python3 tests/bench/time_start.py "$BIN" "$WORK/data" /readyz 120 | cut -d' ' -f2; }
ready=()
for _ in $(seq 1 "$RUNS"); do ready+=("$(ready_once)"); done

start_server "$WORK/data"
until curl -sf "$BASE/readyz" >/dev/null; do sleep 0.05; done
sleep 2
rss_idle="$(kib VmRSS)"; anon_idle="$(kib RssAnon)"
TOKEN="$("$BIN" user reset-link seed0@example.com --data "$WORK/data" | grep -o 'token=[A-Za-z0-9_-]*' | cut -d= -f2)"
curl -sf -X POST "$BASE/api/v1/password-reset" -H 'content-type: application/json' -d "{\"token\":\"$TOKEN\",\"new_password\":\"bench bench bench\"}"
curl -sf -c "$WORK/jar" -X POST "$BASE/api/v1/session" -H 'content-type: application/json' \
  -d '{"email":"seed0@example.com","password":"bench bench bench"}' >/dev/null
month="/api/v1/entries?from=$(date -u -d '-2 month' +%Y-%m-01)&to=$(date -u -d '-1 month' +%Y-%m-01)&limit=2000"
for _ in $(seq 1 200); do curl -sf -b "$WORK/jar" "$BASE$month" >/dev/null; done
sleep 1
rss_read="$(kib VmRSS)"
stop_server

cat <<EOF

| measure | value |
|---|---|
| RSS after $written durable creates at 32 connections (fresh store; before: $(mib "$rss_before") MiB) | $(mib "$rss_writes") MiB (anonymous $(mib "$anon_writes") MiB); peak $(mib "$hwm_writes") MiB |
| store of $ENTRIES seeded entries on disk | $store_bytes bytes, $((store_bytes / ENTRIES)) bytes per entry |
| start-up on it to /readyz 200, median of $RUNS | $(median "${ready[@]}") ms (runs: ${ready[*]}) |
| idle RSS on it, 2 s after ready | $(mib "$rss_idle") MiB (anonymous $(mib "$anon_idle") MiB) |
| RSS after 200 reads of one person's month | $(mib "$rss_read") MiB |

machine: $(nproc) CPUs, $(awk '/^MemTotal:/ { printf "%.1f GiB RAM", $2 / 1048576 }' /proc/meminfo); $(date -u +%F); $("$BIN" --version)
EOF
