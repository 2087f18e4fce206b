#!/usr/bin/env bash
# What a backup's write pause does to everyone else: seeds N entries (default 1,000,000; the
# `ophiontt seed` store the read-latency bench uses), starts the server, then RUNS times (default
# 3) takes an online backup through the running server (`backup create`, over the admin socket)
# while a probe (tests/bench/backup_pause.py) keeps
#   - GET /healthz                         one client, a request every 10 ms
#   - GET /api/v1/entries for seed0's week  one client, a request every 10 ms (the read bench's week)
#   - POST /api/v1/entries                  WRITERS clients (default 4), back to back
# going, and reports each one's p50 and max latency over the backup's whole run (from the CLI's
# start to its exit; the gate is held inside that window), when the slowest was sent, and the
# write pause the backup itself reports. Before each backup, a control run: the same clients
# for 4 s with no backup, the floor on a shared machine. Medians over the runs at the end.
# Writers wait at the store's gate while the backup copies; the point is whether reads and
# health checks wait too. With as many blocked writers as the runtime has worker threads (two
# on this machine), a gate taken on the worker threads stalls every request.
# Usage: bash tests/bench/backup_pause.sh [ENTRIES] [RUNS] [WRITERS]
set -euo pipefail
ENTRIES="${1:-1000000}"; RUNS="${2:-3}"; WRITERS="${3:-4}"
HERE="$(cd "$(dirname "$0")" && pwd)"
source "$HERE/lib.sh"

seed_start=$(date +%s.%N)
"$BIN" seed --data "$WORK/data" --entries "$ENTRIES" 2>/dev/null
echo "seeded $ENTRIES entries in $(echo "$(date +%s.%N) - $seed_start" | bc) s"
start_server "$WORK/data"
TOKEN="$("$BIN" user reset-link seed0@example.com --data "$WORK/data" | grep -o 'token=[A-Za-z0-9_-]*' | cut -d= -f2 || true)"
curl -sf -X POST "$BASE/api/v1/password-reset" -H 'content-type: application/json' -d "{\"token\":\"$TOKEN\",\"new_password\":\"bench bench bench\"}"
curl -sf -c "$WORK/jar" -X POST "$BASE/api/v1/session" -H 'content-type: application/json' -d '{"email":"seed0@example.com","password":"bench bench bench"}' >/dev/null
COOKIE="$(awk '/ophiontt_session/ {print $7}' "$WORK/jar")"
PROJECT="$(curl -sf -b "$WORK/jar" "$BASE/api/v1/projects" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
# The same week as tests/bench/read_latency.sh: a full week in the middle of the seeded history.
PER_USER=$(( ENTRIES / 50 )); WEEKS_BACK=$(( PER_USER / 80 + 1 ))
MONDAY="$(python3 -c "import datetime as d; t=d.date.today(); m=t-d.timedelta(days=t.weekday()); print(m-d.timedelta(weeks=$WEEKS_BACK))")"
SUNDAY="$(python3 -c "import datetime as d; print(d.date.fromisoformat('$MONDAY')+d.timedelta(days=6))")"
WEEK="/api/v1/entries?from=$MONDAY&to=$SUNDAY&limit=100"
n_week="$(curl -sf -b "$WORK/jar" "$BASE$WEEK" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
echo "week of $MONDAY holds $n_week entries for seed0; $WRITERS writers; runtime on $(nproc) cores"

# probe NAME CMD…: one probe run around CMD; adds its figures to the medians of NAME.
declare -A med
keys=(paused backup health_p50 health_max health_gate_max read_p50 read_max read_gate_max write_p50 write_max)
probe() {
  local name="$1"; shift
  out="$(python3 "$HERE/backup_pause.py" --base "$BASE" --cookie "$COOKIE" --week "$WEEK" \
    --project "$PROJECT" --writers "$WRITERS" --run "$PROBES" -- "$@")"
  PROBES=$(( PROBES + 1 ))
  echo "$name run $run: $(grep -v '^figures' <<<"$out")"
  figures="$(grep '^figures' <<<"$out")"
  for k in "${keys[@]}"; do
    med[$name.$k]="${med[$name.$k]:-} $(grep -o " $k=[0-9.]*" <<<"$figures" | cut -d= -f2 || true)"
  done
}
PROBES=1
for run in $(seq 1 "$RUNS"); do
  # The control: the same clients for as long as a backup takes, with no backup. On a shared
  # machine its max is the floor the backup runs are to be read against.
  probe control sleep 4
  probe backup "$BIN" backup create --data "$WORK/data" --out "$WORK/b$run.backup.zst"
  rm -f "$WORK/b$run.backup.zst"
done
m() { median ${med[$1]}; }
for name in control backup; do
  echo "$name, median over $RUNS runs at $ENTRIES entries: window $(m $name.backup) ms, writes paused $(m $name.paused) ms;" \
    "healthz p50 $(m $name.health_p50) / max $(m $name.health_max) ms," \
    "week read p50 $(m $name.read_p50) / max $(m $name.read_max) ms, write p50 $(m $name.write_p50) / max $(m $name.write_max) ms"
done
echo "while the gate was held (median of the runs' max): healthz $(m backup.health_gate_max) ms, week read $(m backup.read_gate_max) ms"
