# Shared by the benchmark scripts: tools, the release binary, a scratch folder, and starting and
# stopping a server on loopback. Source it from a script that runs `set -euo pipefail`.

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
# OPHIONTT_BIN=path measures another binary (an older commit's, say) instead of this tree's.
if [ -n "${OPHIONTT_BIN:-}" ]; then
  BIN="$(realpath "$OPHIONTT_BIN")"
else
  cargo build --release --quiet
  BIN="$PWD/target/release/ophiontt"
fi
WORK="$(mktemp -d)"
SERVER_PID=""
bench_cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap bench_cleanup EXIT

# start_server DATA_DIR: runs the server there; sets BASE and TOKEN (the setup token, if any).
start_server() {
  "$BIN" serve --data "$1" --listen 127.0.0.1:0 >"$WORK/out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do grep -q 'listening on' "$WORK/out" && break; sleep 0.1; done
  BASE="$(grep -o 'listening on https\?://[0-9.:]*' "$WORK/out" | sed 's/listening on //')"
  TOKEN="$(grep -o 'token=[A-Za-z0-9_-]*' "$WORK/out" | cut -d= -f2 || true)"
}

stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

# median of the arguments
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# sign_in_first_admin: completes first-run setup on the server started last; sets COOKIE (the
# session of its admin, time zone UTC).
sign_in_first_admin() {
  curl -sf -c "$WORK/jar" -X POST "$BASE/api/v1/setup" -H 'content-type: application/json' \
    -d "{\"token\":\"$TOKEN\",\"name\":\"Bench\",\"email\":\"bench@example.com\",\"password\":\"bench bench bench\",\"time_zone\":\"UTC\"}" >/dev/null
  COOKIE="$(awk '/ophiontt_session/ {print $7}' "$WORK/jar")"
}

# post_entries_lua COOKIE PROJECT START NOTE [STOP_AFTER]: writes $WORK/post.lua, a wrk script
# posting one new 30-minute entry per request (start times spread from the Unix time START over
# about three years), signed in with COOKIE; with STOP_AFTER, each wrk thread stops after that
# many answers.
post_entries_lua() {
  cat >"$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "ophiontt_session=$1"
local n = 0
request = function()
  n = n + 1
  local s = $3 + (n * 7919) % 100000000
  local body = string.format('{"project_id":"$2","start":"%s","end":"%s","note":"$4","confirm":true}',
    os.date("!%Y-%m-%dT%H:%M:%SZ", s), os.date("!%Y-%m-%dT%H:%M:%SZ", s + 1800))
  return wrk.format(nil, "/api/v1/entries", nil, body)
end
LUA
  # Only then a response hook: wrk hands every answer to Lua when one is defined, which costs
  # the client CPU on the same cores.
  if [ -n "${5:-}" ]; then
    cat >>"$WORK/post.lua" <<LUA
local answered = 0
response = function(status)
  answered = answered + 1
  if answered >= $5 then wrk.thread:stop() end
end
LUA
  fi
}

# measure_writes CONNECTIONS SECS: one durable create-entry run against $BIN with a fresh data
# folder (set up, one project, wrk posting entries); sets RATE (acknowledged entries/s) and
# LATENCY (wrk's mean). Fails if any request was not acknowledged.
measure_writes() {
  local conns="$1" secs="$2" project cookie threads out
  rm -rf "$WORK/data" && mkdir -p "$WORK/data"
  start_server "$WORK/data"
  sign_in_first_admin
  cookie="$COOKIE"
  project="$(curl -sf -b "$WORK/jar" -X POST "$BASE/api/v1/projects" -H 'content-type: application/json' -d '{"name":"Bench"}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
  post_entries_lua "$cookie" "$project" 1700000000 bench
  threads=$(( conns < 2 ? 1 : 2 ))
  out="$(wrk -t"$threads" -c"$conns" -d"${secs}s" -s "$WORK/post.lua" "$BASE")"
  stop_server
  if grep -q 'Non-2xx' <<<"$out"; then echo "some requests were not acknowledged:"; echo "$out"; return 1; fi
  RATE="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  LATENCY="$(awk '/Latency/ {print $2}' <<<"$out")"
}

# seed_and_sign_in_bench_admin ENTRIES: seeds $WORK/data with ENTRIES entries (`ophiontt seed`:
# 50 users, 20 projects, eight entries per working day each, going back from yesterday), adds
# an admin (who sees everyone's time), starts the server and signs the admin in; sets COOKIE.
seed_and_sign_in_bench_admin() {
  local seed_start link reset
  seed_start=$(date +%s.%N)
  "$BIN" seed --data "$WORK/data" --entries "$1" 2>/dev/null
  echo "seeded $1 entries in $(echo "$(date +%s.%N) - $seed_start" | bc) s; store $(du -sh "$WORK/data" | cut -f1)"
  link="$("$BIN" user add --data "$WORK/data" --role admin --email bench@example.com --name Bench)"
  reset="$(grep -o "token=[A-Za-z0-9_-]*" <<<"$link" | cut -d= -f2)"
  start_server "$WORK/data"
  curl -sf -X POST "$BASE/api/v1/password-reset" -H 'content-type: application/json' -d "{\"token\":\"$reset\",\"new_password\":\"bench bench bench\"}"
  curl -sf -c "$WORK/jar" -X POST "$BASE/api/v1/session" -H 'content-type: application/json' -d '{"email":"bench@example.com","password":"bench bench bench"}' >/dev/null
  COOKIE="$(awk '/ophiontt_session/ {print $7}' "$WORK/jar")"
}

# to_ms: wrk's latency figure (e.g. 812.00us, 1.63ms, 1.2s) in milliseconds, from stdin.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; printf "%.2f", v}'; }

# measure_get NAME PATH RUNS SECS: wrk --latency with one client against PATH, signed in with
# COOKIE; prints p50/p99 per run and their medians, and sets MED_P50 and MED_P99 (ms) to the
# medians. Fails on any non-2xx answer.
measure_get() {
  local name="$1" path="$2" runs="$3" secs="$4" out p50 p99 p50s=() p99s=()
  for run in $(seq 1 "$runs"); do
    out="$(wrk -t1 -c1 -d"${secs}s" --latency -H "Cookie: ophiontt_session=$COOKIE" "$BASE$path")"
    if grep -q 'Non-2xx' <<<"$out"; then echo "$name: non-2xx answers"; echo "$out"; return 1; fi
    p50="$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)"; p99="$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)"
    echo "$name run $run: p50 ${p50} ms, p99 ${p99} ms"
    p50s+=("$p50"); p99s+=("$p99")
  done
  MED_P50="$(median "${p50s[@]}")"; MED_P99="$(median "${p99s[@]}")"
  echo "$name median: p50 $MED_P50 ms, p99 $MED_P99 ms"
}

# dots A B C: "A · B · C", a list of runs as docs/performance.md's tables show it.
dots() { local out="$1"; shift; for v in "$@"; do out+=" · $v"; done; printf '%s' "$out"; }
# span A B C: "least–greatest" of the arguments.
span() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s–%s", lo, hi }'; }
