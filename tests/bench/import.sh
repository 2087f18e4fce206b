#!/usr/bin/env bash
# Imports at scale: writes a Toggl Track detailed-report CSV of N rows (default 100,000; 20
# people, 12 projects over 4 clients, 30 tasks, three years; tests/bench/toggl_rows.py), then
# RUNS times (default 3) into a fresh data folder, with the server stopped: a dry run, and
# the import. Prints each one's wall time and peak resident memory (GNU time's %e and %M), and
# the medians, then those as docs/performance.md's table ("Exports and imports").
# Usage: bash tests/bench/import.sh [ROWS] [RUNS]
set -euo pipefail
ROWS="${1:-100000}"; RUNS="${2:-3}"
source "$(dirname "$0")/lib.sh"

python3 tests/bench/toggl_rows.py "$ROWS" >"$WORK/toggl.csv"
echo "file: $ROWS rows, $(( $(stat -c %s "$WORK/toggl.csv") / 1048576 )) MiB"
measure() { # measure OUT-NAME ARGS...: wall seconds and peak RSS (MiB) into $OUT-NAME
  local name="$1"; shift
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" "$@" >"$WORK/out" 2>"$WORK/err" || { cat "$WORK/out" "$WORK/err"; exit 1; }
  read -r secs kb <"$WORK/time"
  printf -v "$name" '%s %s' "$secs" "$(( kb / 1024 ))"
}
dry_s=(); dry_m=(); imp_s=(); imp_m=()
for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/d"
  measure dry --data "$WORK/d" import --from toggl "$WORK/toggl.csv" --time-zone Europe/Berlin --dry-run
  measure imp --data "$WORK/d" import --from toggl "$WORK/toggl.csv" --time-zone Europe/Berlin
  grep -q "entries: $ROWS" "$WORK/out" || { echo "not every row was imported:"; cat "$WORK/out"; exit 1; }
  read -r ds dm <<<"$dry"; read -r is im <<<"$imp"
  echo "run $run: dry run $ds s, peak $dm MiB; import $is s, peak $im MiB"
  dry_s+=("$ds"); dry_m+=("$dm"); imp_s+=("$is"); imp_m+=("$im")
done
echo "median over $RUNS runs of $ROWS Toggl rows: dry run $(median "${dry_s[@]}") s (peak $(median "${dry_m[@]}") MiB), import $(median "${imp_s[@]}") s (peak $(median "${imp_m[@]}") MiB)"

imp="$(median "${imp_s[@]}")"
cat <<EOF

| $ROWS rows | median of $RUNS | peak RSS |
|---|---|---|
| dry run (read, check every row, plan) | $(median "${dry_s[@]}") s | $(median "${dry_m[@]}") MiB |
| import (plan, then transactions of 500 entries, each entry audited) | $imp s ($(span "${imp_s[@]}")): $(awk -v n="$ROWS" -v t="$imp" 'BEGIN { printf "%d", n / t }') entries/s | $(median "${imp_m[@]}") MiB |
EOF
