#!/usr/bin/env bash
# End-to-end check of webhooks against receivers written in Python (tests/webhooks/check.py):
# signatures verified with Python's hmac, a receiver that is down and a slow one retried and
# failed, sent again, restriction and erasure. Starts the real server on a random loopback
# port with a temporary data folder; standard library only. Prints
#   webhooks result: <N> passed; <M> failed
# and exits 1 when anything failed. Needs the debug binary (built here only when missing).
# Usage: tests/webhooks/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${OPHIONTT_BIN:-$PWD/target/debug/ophiontt}"
[ -x "$bin" ] || cargo build --quiet
OPHIONTT_BIN="$bin" exec python3 tests/webhooks/check.py "$@"
