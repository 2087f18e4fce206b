#!/usr/bin/env bash
# OphionTT side by side with TimeTagger (the self-hosted tracker from PyPI, on SQLite), on this
# machine, with the same wrk client, interleaved OphionTT, TimeTagger, OphionTT, TimeTagger …
# so that the machine's noise moves both alike. Prints every pair with its ratio and the load
# average, then the medians:
#   writes — one new entry per request, acknowledged after it is stored (each server's own
#            durability), at 1 and at 32 connections;
#   month  — one person's March (1,550 entries) out of a loaded year of 18,250 (load_year.py),
#            at 4 connections: months/s, p50, and the bytes of a month (plain, and gzip);
#   idle   — RSS of each server 2 s after start on an empty store, and each store's size on disk
#            after the year was loaded.
# Ends with the medians as docs/performance.md's table ("Side by side with TimeTagger"), with
# issue 13's goals in the last column.
# TimeTagger is installed into tests/bench/.venv-peer (created here; TIMETAGGER_VERSION to
# choose another release). Loopback only: both servers bind 127.0.0.1.
# Usage: bash tests/bench/peer_timetagger.sh [ROUNDS] [SECS]
set -euo pipefail
ROUNDS="${1:-3}"; SECS="${2:-5}"
TIMETAGGER_VERSION="${TIMETAGGER_VERSION:-26.1.*}"
source "$(dirname "$0")/lib.sh"

VENV=tests/bench/.venv-peer
if ! "$VENV/bin/python" -c 'import timetagger' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "timetagger==$TIMETAGGER_VERSION"
fi
TT_VERSION="$("$VENV/bin/python" -c 'import timetagger; print(timetagger.__version__)')"
TT_PID=""
trap '[ -n "$TT_PID" ] && kill "$TT_PID" 2>/dev/null; bench_cleanup' EXIT

# start_timetagger DATA_DIR: runs TimeTagger on a free loopback port; sets TT_BASE and TT_TOKEN
# (a web token from its localhost sign-in, which it allows when bound to 127.0.0.1).
start_timetagger() {
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  TIMETAGGER_BIND="127.0.0.1:$port" TIMETAGGER_DATADIR="$1" TIMETAGGER_LOG_LEVEL=warning \
    "$VENV/bin/python" -m timetagger >"$WORK/tt.out" 2>&1 &
  TT_PID=$!
  TT_BASE="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do curl -s -o /dev/null "$TT_BASE/timetagger/" && break; sleep 0.1; done
  TT_TOKEN="$(curl -sf -X POST "$TT_BASE/timetagger/api/v2/bootstrap_authentication" \
    --data "$(printf '{"method":"localhost"}' | base64 -w0)" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"
}
stop_timetagger() { kill "$TT_PID"; wait "$TT_PID" 2>/dev/null || true; TT_PID=""; }

# measure_tt_writes CONNECTIONS SECS: like lib.sh's measure_writes, against TimeTagger: each
# request PUTs one new record; sets RATE.
measure_tt_writes() {
  local conns="$1" secs="$2" threads out
  rm -rf "$WORK/tt" && mkdir -p "$WORK/tt"
  start_timetagger "$WORK/tt"
  cat >"$WORK/tt-put.lua" <<LUA
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["authtoken"] = "$TT_TOKEN"
-- Keys are unique across wrk's threads: each thread gets its own prefix.
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("prefix", "t" .. threads .. "x") end
local n = 0
request = function()
  n = n + 1
  local s = 1700000000 + (n * 7919) % 100000000
  local body = string.format('[{"key":"%s%d","mt":%d,"t1":%d,"t2":%d,"ds":"#bench bench"}]', prefix, n, s, s, s + 1800)
  return wrk.format(nil, "/timetagger/api/v2/records", nil, body)
end
LUA
  threads=$(( conns < 2 ? 1 : 2 ))
  out="$(wrk -t"$threads" -c"$conns" -d"${secs}s" -s "$WORK/tt-put.lua" "$TT_BASE")"
  stop_timetagger
  if grep -q 'Non-2xx' <<<"$out"; then echo "TimeTagger: some writes were refused:"; echo "$out"; return 1; fi
  RATE="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
load() { cut -d' ' -f1 /proc/loadavg; }
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }

echo "OphionTT $("$BIN" --version | awk '{print $2}') (commit $(git rev-parse --short HEAD)) against TimeTagger $TT_VERSION; $(nproc) cores; $(date -u +%F)"

# --- writes ------------------------------------------------------------------------------
declare -A W_OURS W_TT W_RATIO W_RATIOS B_OURS B_TT
for conns in 1 32; do
  ours=(); theirs=(); ratios=()
  for round in $(seq 1 "$ROUNDS"); do
    measure_writes "$conns" "$SECS"; o="$RATE"
    measure_tt_writes "$conns" "$SECS"; t="$RATE"
    r="$(ratio "$o" "$t")"
    echo "writes, $conns connections, round $round: OphionTT $o/s, TimeTagger $t/s, ratio $r (load $(load))"
    ours+=("$o"); theirs+=("$t"); ratios+=("$r")
  done
  W_OURS[$conns]="$(median "${ours[@]}")"; W_TT[$conns]="$(median "${theirs[@]}")"; W_RATIO[$conns]="$(median "${ratios[@]}")"
  W_RATIOS[$conns]="$(dots "${ratios[@]}")"
  echo "writes, $conns connections: median OphionTT ${W_OURS[$conns]}/s, TimeTagger ${W_TT[$conns]}/s, median ratio ${W_RATIO[$conns]}"
done

# --- idle RSS -----------------------------------------------------------------------------
rm -rf "$WORK/data" "$WORK/tt" && mkdir -p "$WORK/data" "$WORK/tt"
start_server "$WORK/data"; sleep 2
ours_rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status")"
start_timetagger "$WORK/tt"; sleep 2
tt_rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$TT_PID/status")"
echo "idle RSS, empty store: OphionTT $ours_rss KiB, TimeTagger $tt_rss KiB"

# --- a month of a loaded year -----------------------------------------------------------
sign_in_first_admin
python3 tests/bench/load_year.py ophiontt "$BASE" "$COOKIE"
"$VENV/bin/python" tests/bench/load_year.py timetagger "$TT_BASE" "$TT_TOKEN"
disk_ours="$(du -sk "$WORK/data" | cut -f1)"; disk_tt="$(du -sk "$WORK/tt" | cut -f1)"
echo "store on disk after the year: OphionTT $disk_ours KiB, TimeTagger $disk_tt KiB"
OURS_MONTH="/api/v1/entries?from=2025-03-01&to=2025-03-31&limit=2000"
T1="$(date -u -d 2025-03-01 +%s)"; T2="$(date -u -d 2025-04-01 +%s)"
TT_MONTH="/timetagger/api/v2/records?timerange=$T1-$T2"
n_ours="$(curl -sf -b "ophiontt_session=$COOKIE" "$BASE$OURS_MONTH" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert not d["next_cursor"]; print(len(d["items"]))')"
n_tt="$(curl -sf -H "authtoken: $TT_TOKEN" "$TT_BASE$TT_MONTH" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["records"]))')"
for enc in identity gzip; do
  b_ours="$(curl -sf -b "ophiontt_session=$COOKIE" -H "Accept-Encoding: $enc" "$BASE$OURS_MONTH" -o /dev/null -w '%{size_download}')"
  b_tt="$(curl -sf -H "authtoken: $TT_TOKEN" -H "Accept-Encoding: $enc" "$TT_BASE$TT_MONTH" -o /dev/null -w '%{size_download}')"
  echo "a month ($n_ours and $n_tt entries), $enc: OphionTT $b_ours bytes, TimeTagger $b_tt bytes"
  B_OURS[$enc]="$b_ours"; B_TT[$enc]="$b_tt"
done
ours=(); theirs=(); ratios=(); p_ours=(); p_tt=()
for round in $(seq 1 "$ROUNDS"); do
  out="$(wrk -t2 -c4 -d"${SECS}s" --latency -H "Cookie: ophiontt_session=$COOKIE" "$BASE$OURS_MONTH")"
  o="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"; po="$(awk '$1=="50%" {print $2}' <<<"$out" | ms)"
  out="$(wrk -t2 -c4 -d"${SECS}s" --latency -H "authtoken: $TT_TOKEN" "$TT_BASE$TT_MONTH")"
  t="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"; pt="$(awk '$1=="50%" {print $2}' <<<"$out" | ms)"
  r="$(ratio "$o" "$t")"
  echo "month, 4 connections, round $round: OphionTT $o months/s (p50 $po ms), TimeTagger $t months/s (p50 $pt ms), ratio $r (load $(load))"
  ours+=("$o"); theirs+=("$t"); ratios+=("$r"); p_ours+=("$po"); p_tt+=("$pt")
done
echo "month: median OphionTT $(median "${ours[@]}") months/s (p50 $(median "${p_ours[@]}") ms), TimeTagger $(median "${theirs[@]}") months/s (p50 $(median "${p_tt[@]}") ms), median ratio $(median "${ratios[@]}")"

cat <<EOF

| measure | OphionTT | TimeTagger | ratio (median of per-round ratios) | issue 13's goal |
|---|---:|---:|---:|---:|
| creates/s, 1 connection | ${W_OURS[1]} | ${W_TT[1]} | ${W_RATIO[1]}× (${W_RATIOS[1]}) | ≥ 5,000/s, 12× |
| creates/s, 32 connections | ${W_OURS[32]} | ${W_TT[32]} | ${W_RATIO[32]}× (${W_RATIOS[32]}) | ≥ 10,000/s, 35× |
| a month ($n_ours of 18,250 entries), months/s at 4 connections | $(median "${ours[@]}") | $(median "${theirs[@]}") | $(median "${ratios[@]}")× ($(dots "${ratios[@]}")) | 10× |
| that month's p50 at 4 connections | $(median "${p_ours[@]}") ms | $(median "${p_tt[@]}") ms | | ≤ 2 ms |
| bytes of the month, plain / gzip asked | ${B_OURS[identity]} / ${B_OURS[gzip]} | ${B_TT[identity]} / ${B_TT[gzip]} | $(ratio "${B_OURS[identity]}" "${B_TT[identity]}")× / $(ratio "${B_OURS[gzip]}" "${B_TT[gzip]}")× | |
| idle RSS, empty store, 2 s after start | $ours_rss KiB | $tt_rss KiB | $(ratio "$ours_rss" "$tt_rss")× | < 30 MiB |
| store on disk after the year | $disk_ours KiB | $disk_tt KiB | $(ratio "$disk_ours" "$disk_tt")× | ≤ 600 bytes/entry |
EOF
