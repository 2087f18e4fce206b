#!/usr/bin/env bash
# End-to-end check of e-mail against a real SMTP server on loopback: aiosmtpd (Python, in the
# virtualenv tests/.venv) started by the check, and the real server configured to send through
# it (`[email]` through OPHIONTT_EMAIL_*). Invitations and reset links arrive and their links
# work, a week rejection arrives and an opt-out stops the next one, a 550 fails at once, a
# server that is down is retried until it is up, a wrong SMTP password is refused. Prints
#   email result: <N> passed; <M> failed
# and exits 1 when anything failed. Needs the debug binary (built here only when missing).
# Usage: tests/email/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
AIOSMTPD_VERSION=1.4.6
source tests/venv.sh
pip_pin aiosmtpd "$AIOSMTPD_VERSION"
bin="${OPHIONTT_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/ophiontt}"
[ -x "$bin" ] || cargo build --quiet
OPHIONTT_BIN="$bin" exec "$venv/bin/python" tests/email/check.py "$@"
