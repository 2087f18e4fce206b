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
venv=tests/.venv
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    echo "installing Debian package: python3-venv"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv "$venv"
fi
if [ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("schemathesis"))' 2>/dev/null)" != "$SCHEMATHESIS_VERSION" ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
bin="${OPHIONTT_BIN:-$PWD/target/debug/ophiontt}"
[ -x "$bin" ] || cargo build --quiet
OPHIONTT_BIN="$bin" exec "$venv/bin/python" tests/spec/drive.py "$@"
