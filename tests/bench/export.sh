#!/usr/bin/env bash
# Exports at scale: seeds N entries (default 1,000,000), starts the server, signs in an admin,
# then RUNS times (default 3) downloads every entry as CSV (GET /api/v1/exports/entries, no
# compression) while sampling the server's resident memory every 20 ms. Prints, per run and as
# medians: the time to the first byte, the whole download, its size and lines, and the
# server's extra resident memory during the download (peak sample minus the resident memory
# just before it), then the medians as docs/performance.md's table ("Exports and imports").
# Usage: bash tests/bench/export.sh [ENTRIES] [RUNS]
set -euo pipefail
ENTRIES="${1:-1000000}"; RUNS="${2:-3}"
source "$(dirname "$0")/lib.sh"

"$BIN" seed --data "$WORK/data" --entries "$ENTRIES" 2>/dev/null | tail -1
start_server "$WORK/data"
# An admin, to read everyone's entries.
LINK="$("$BIN" user add --data "$WORK/data" --name Bench --email bench@example.com --role admin 2>&1 | grep -o 'token=[A-Za-z0-9_-]*' | cut -d= -f2)"
curl -sf -X POST "$BASE/api/v1/password-reset" -H 'content-type: application/json' -d "{\"token\":\"$LINK\",\"new_password\":\"bench bench bench\"}"
curl -sf -c "$WORK/jar" -X POST "$BASE/api/v1/session" -H 'content-type: application/json' -d '{"email":"bench@example.com","password":"bench bench bench"}' >/dev/null
to="$(date -u +%F)"; from="$(date -u -d '12 years ago' +%F)"
URL="$BASE/api/v1/exports/entries?format=csv&from=$from&to=$to"
rss() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER_PID/status"; }
# Warm the store's cache once (and count the lines), so every measured run reads the same way.
lines="$(curl -sf -b "$WORK/jar" -H 'accept-encoding: identity' "$URL" | wc -l)"
echo "lines in the CSV: $lines (header included)"
firsts=(); totals=(); extras=(); sizes=(); befores=()
for run in $(seq 1 "$RUNS"); do
  before="$(rss)"
  : >"$WORK/samples"
  ( while [ ! -e "$WORK/stop" ]; do rss >>"$WORK/samples"; sleep 0.02; done ) &
  sampler=$!
  read -r first total size < <(curl -sf -b "$WORK/jar" -H 'accept-encoding: identity' -o /dev/null \
    -w '%{time_starttransfer} %{time_total} %{size_download}\n' "$URL")
  touch "$WORK/stop"; wait "$sampler"; rm -f "$WORK/stop"
  peak="$(sort -n "$WORK/samples" | tail -1)"
  extra=$(( (peak - before) / 1024 ))
  first_ms="$(python3 -c "print(round($first * 1000, 1))")"; total_ms="$(python3 -c "print(round($total * 1000))")"
  echo "run $run: first byte $first_ms ms, whole $total_ms ms, $(( size / 1048576 )) MiB; server RSS $(( before / 1024 )) MiB before, +$extra MiB at peak"
  firsts+=("$first_ms"); totals+=("$total_ms"); extras+=("$extra"); sizes+=("$size"); befores+=("$(( before / 1024 ))")
done
echo "median over $RUNS runs at $ENTRIES entries: first byte $(median "${firsts[@]}") ms, whole download $(median "${totals[@]}") ms, $(( $(median "${sizes[@]}") / 1048576 )) MiB, extra server RSS $(median "${extras[@]}") MiB"

total="$(median "${totals[@]}")"
cat <<EOF

| measure | median of $RUNS |
|---|---|
| time to the first byte | $(median "${firsts[@]}") ms |
| the whole download ($lines lines, $(( $(median "${sizes[@]}") / 1048576 )) MiB) | $total ms ($(span "${totals[@]}")): $(awk -v n="$ENTRIES" -v t="$total" 'BEGIN { printf "%d", n / t * 1000 }') entries/s |
| extra server RSS during the download (peak sample − RSS before it) | +$(median "${extras[@]}") MiB (runs: +$(dots "${extras[@]}" | sed 's/ · / · +/g')) |
| server RSS before a download | $(median "${befores[@]}") MiB |
EOF
