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
source tests/venv.sh
apt_need pdftotext poppler-utils
pip_pin icalendar "$ICALENDAR_VERSION"
pip_pin openpyxl "$OPENPYXL_VERSION"
bin="${OPHIONTT_BIN:-$PWD/target/debug/ophiontt}"
[ -x "$bin" ] || cargo build --quiet
OPHIONTT_BIN="$bin" exec "$venv/bin/python" tests/exports/check.py "$@"
