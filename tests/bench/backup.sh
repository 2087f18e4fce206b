#!/usr/bin/env bash
# Backups at scale: seeds N entries (default 1,000,000), starts the server, then RUNS times
# (default 3): an online `backup create` through the running server (time, size, and the write
# pause — how long writes waited at the store's gate while records were copied), `backup
# verify`, and `restore` into a new folder. Then the pause as a client sees it: wrk posting
# entries (4 connections) with and without a backup taken mid-run; the max latency of each.
# Ends with the medians as docs/performance.md's table ("Backups").
# Usage: bash tests/bench/backup.sh [ENTRIES] [RUNS]
set -euo pipefail
ENTRIES="${1:-1000000}"; RUNS="${2:-3}"
source "$(dirname "$0")/lib.sh"

"$BIN" seed --data "$WORK/data" --entries "$ENTRIES" 2>/dev/null | tail -1
start_server "$WORK/data"
ms() { python3 -c "import time; print(int(time.time()*1000))"; }
created=(); paused=(); sizes=(); verified=(); restored=()
for run in $(seq 1 "$RUNS"); do
  out="$("$BIN" backup create --data "$WORK/data" --out "$WORK/b$run.backup.zst" 2>/dev/null)"
  t="$(grep -o 'in [0-9]* ms' <<<"$out" | grep -o '[0-9]*')"; p="$(grep -o 'paused [0-9]* ms' <<<"$out" | grep -o '[0-9]*')"
  size="$(stat -c %s "$WORK/b$run.backup.zst")"
  s0=$(ms); "$BIN" backup verify "$WORK/b$run.backup.zst" >/dev/null 2>&1; s1=$(ms)
  rm -rf "$WORK/r"; "$BIN" restore "$WORK/b$run.backup.zst" --data "$WORK/r" >/dev/null 2>&1; s2=$(ms)
  echo "run $run: backup $t ms (writes paused $p ms), $(( size / 1048576 )) MiB; verify $(( s1 - s0 )) ms; restore $(( s2 - s1 )) ms"
  created+=("$t"); paused+=("$p"); sizes+=("$size"); verified+=("$(( s1 - s0 ))"); restored+=("$(( s2 - s1 ))")
  rm -f "$WORK/b$run.backup.zst"
done
echo "median over $RUNS runs at $ENTRIES entries: backup $(median "${created[@]}") ms, write pause $(median "${paused[@]}") ms, size $(( $(median "${sizes[@]}") / 1048576 )) MiB, verify $(median "${verified[@]}") ms, restore $(median "${restored[@]}") ms"

# The pause as a writing client sees it.
TOKEN="$("$BIN" user reset-link seed0@example.com --data "$WORK/data" | grep -o 'token=[A-Za-z0-9_-]*' | cut -d= -f2)"
curl -sf -X POST "$BASE/api/v1/password-reset" -H 'content-type: application/json' -d "{\"token\":\"$TOKEN\",\"new_password\":\"bench bench bench\"}"
curl -sf -c "$WORK/jar" -X POST "$BASE/api/v1/session" -H 'content-type: application/json' -d '{"email":"seed0@example.com","password":"bench bench bench"}' >/dev/null
COOKIE="$(awk '/ophiontt_session/ {print $7}' "$WORK/jar")"
PROJECT="$(curl -sf -b "$WORK/jar" "$BASE/api/v1/projects" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
post_entries_lua "$COOKIE" "$PROJECT" 1500000000 backup
quiet="$(wrk -t2 -c4 -d8s --latency -s "$WORK/post.lua" "$BASE")"
( sleep 3; "$BIN" backup create --data "$WORK/data" --out "$WORK/load.backup.zst" >"$WORK/load.out" 2>&1 ) &
taker=$!
loaded="$(wrk -t2 -c4 -d8s --latency -s "$WORK/post.lua" "$BASE")"
wait "$taker" || { echo "the backup during writes failed:"; cat "$WORK/load.out"; exit 1; } # not a bare `wait`: the server is a background job too
echo "backup during writes: $(grep -o 'in [0-9]* ms; writes paused [0-9]* ms' "$WORK/load.out")"
declare -A RPS P99 MAX
for name in quiet loaded; do
  out="${!name}"
  if grep -q 'Non-2xx' <<<"$out"; then echo "$name: some writes were refused"; echo "$out"; exit 1; fi
  RPS[$name]="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"; P99[$name]="$(awk '$1=="99%" {print $2}' <<<"$out")"; MAX[$name]="$(awk '/Latency/ {print $4}' <<<"$out")"
  echo "writes $name: ${RPS[$name]} req/s, p99 ${P99[$name]}, max ${MAX[$name]}"
done
sizes_mib=(); for b in "${sizes[@]}"; do sizes_mib+=("$(( b / 1048576 ))"); done

cat <<EOF

| at $ENTRIES entries | median of $RUNS | runs |
|---|---:|---|
| backup (online, through the server) | $(median "${created[@]}") ms | $(dots "${created[@]}") ms |
| writes paused at the store's gate during it | $(median "${paused[@]}") ms | $(dots "${paused[@]}") ms |
| backup file (JSON Lines, zstd) | $(median "${sizes_mib[@]}") MiB | |
| \`backup verify\` | $(median "${verified[@]}") ms | $(dots "${verified[@]}") ms |
| \`restore\` into an empty folder | $(median "${restored[@]}") ms | $(dots "${restored[@]}") ms |
| client view, writes during a backup: max latency | ${MAX[loaded]} | p99 ${P99[loaded]} (${RPS[loaded]} req/s); that backup: $(grep -o 'in [0-9]* ms; writes paused [0-9]* ms' "$WORK/load.out") |
| client view, writes without a backup: max latency | ${MAX[quiet]} | p99 ${P99[quiet]} (${RPS[quiet]} req/s) |
EOF
