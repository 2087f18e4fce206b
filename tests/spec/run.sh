#!/usr/bin/env bash
# Checks /api/openapi.json against the real server with schemathesis (every check, 20 examples
# per operation and phase, at most SPEC_MAX_TIME seconds of testing, a fixed seed), and prints
#   spec result: <operations passed>; <failed>; schemathesis exit <n> (<secs> s)
# Needs the debug binary (cargo build); makes or reuses the virtualenv tests/.venv (gitignored)
# with a pinned schemathesis from PyPI. See docs/api.md, "The spec".
# Usage: tests/spec/run.sh [extra `st run` options]
set -euo pipefail
cd "$(dirname "$0")/../.."
SCHEMATHESIS_VERSION=4.32.5
source tests/venv.sh
pip_pin schemathesis "$SCHEMATHESIS_VERSION"
bin="${OPHIONTT_BIN:-$PWD/target/debug/ophiontt}"
[ -x "$bin" ] || cargo build --quiet
OPHIONTT_BIN="$bin" exec "$venv/bin/python" tests/spec/drive.py "$@"
