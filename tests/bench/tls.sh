#!/usr/bin/env bash
# HTTPS against plain HTTP on this machine: GET /healthz with wrk (keep-alive: request rate
# over established connections) and with a new connection per request (curl in a loop:
# handshake + request), RUNS times each (default 3), medians; ends with them as
# docs/performance.md's table ("TLS").
# Usage: bash tests/bench/tls.sh [RUNS] [SECS]
set -euo pipefail
RUNS="${1:-3}"; SECS="${2:-5}"
source "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/plain" "$WORK/tls"
"$BIN" tls self-signed --data "$WORK/tls" --host localhost --host 127.0.0.1 >/dev/null
handshakes() { # URL: new connections per second over 2 s of sequential curl calls
  python3 - "$1" "$WORK/tls/tls/ca.pem" <<'PY'
import ssl, socket, sys, time, urllib.parse
u = urllib.parse.urlparse(sys.argv[1]); ctx = ssl.create_default_context(cafile=sys.argv[2])
n, end = 0, time.time() + 2
while time.time() < end:
    s = socket.create_connection((u.hostname, u.port))
    if u.scheme == "https":
        s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    while s.recv(65536): pass
    s.close(); n += 1
print(n / 2)
PY
}
declare -A KEEP NEW
for mode in plain tls; do
  start_server "$WORK/$mode"
  rates=(); conns=()
  for run in $(seq 1 "$RUNS"); do
    out="$(wrk -t2 -c16 -d"${SECS}s" "$BASE/healthz")"
    rates+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    conns+=("$(handshakes "$BASE")")
  done
  KEEP[$mode]="$(median "${rates[@]}")"; NEW[$mode]="$(median "${conns[@]}")"
  echo "$mode ($BASE): keep-alive ${KEEP[$mode]} req/s (16 connections); new connection per request ${NEW[$mode]} req/s (one client)"
  stop_server
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

cat <<EOF

| | plain HTTP | HTTPS | ratio |
|---|---:|---:|---:|
| requests/s over kept-alive connections | ${KEEP[plain]} | ${KEEP[tls]} | $(ratio "${KEEP[tls]}" "${KEEP[plain]}") |
| new connection + request per second (one client) | ${NEW[plain]} | ${NEW[tls]} | $(ratio "${NEW[tls]}" "${NEW[plain]}") |
EOF
