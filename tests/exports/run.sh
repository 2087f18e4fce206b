#!/usr/bin/env bash
# End-to-end check of the time-entry exports (CSV, JSON, XLSX, iCalendar, PDF), each file read
# back by a parser that is not ours: Python's csv and json, openpyxl, icalendar and poppler's
# pdftotext. Starts the real server on a random loopback port with a temporary data folder,
# makes data through the API, downloads every format and runs the `export` CLI, then prints
#   exports result: <N> passed; <M> failed
# and exits 1 when anything failed. Needs the debug binary (built here only when missing);
# makes or reuses the virtualenv tests/.venv (gitignored) and installs pinned icalendar and
# openpyxl with pip, and Debian's poppler-utils when pdftotext is missing.
# Usage: tests/exports/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ICALENDAR_VERSION=7.3.2
OPENPYXL_VERSION=3.1.5
venv=tests/.venv
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pdftotext >/dev/null 2>&1; then
  echo "installing Debian package: poppler-utils"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq poppler-utils >/dev/null
fi
if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    echo "installing Debian package: python3-venv"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv "$venv"
fi
installed() { "$venv/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null || true; }
if [ "$(installed icalendar)" != "$ICALENDAR_VERSION" ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "icalendar==$ICALENDAR_VERSION"
fi
if [ "$(installed openpyxl)" != "$OPENPYXL_VERSION" ]; then
  "$venv/bin/pip" install --quiet --disable-pip-version-check "openpyxl==$OPENPYXL_VERSION"
fi
bin="${OPHIONTT_BIN:-$PWD/target/debug/ophiontt}"
[ -x "$bin" ] || cargo build --quiet
OPHIONTT_BIN="$bin" exec "$venv/bin/python" tests/exports/check.py "$@"
