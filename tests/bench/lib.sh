# Shared by the benchmark scripts: tools, the release binary, a scratch folder, and starting and
# stopping a server on loopback. Source it from a script that runs `set -euo pipefail`.

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet
BIN="$PWD/target/release/ophiontt"
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
