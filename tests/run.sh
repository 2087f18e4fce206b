#!/usr/bin/env bash
# Runs every check and test of OphionTT, installing what they need first:
#   cargo fmt --check · cargo clippy -D warnings · cargo test (unit + end-to-end on the real
#   binary) · node --check on the web UI · browser tests in Debian's chromium (playwright-core) ·
#   exports read back by parsers that are not ours (tests/exports: Python csv, openpyxl,
#   icalendar, poppler's pdftotext) · webhooks delivered to receivers written in Python
#   (tests/webhooks) · e-mail through aiosmtpd on loopback (tests/email) · /api/openapi.json
#   checked against the server by
#   schemathesis (tests/spec; both in the virtualenv tests/.venv) ·
#   the Debian package built and checked.
# Usage: ./tests/run.sh            (from anywhere; CI runs it through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

step "tools"
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# `man -l` renders the packaged man page in the Debian package check.
command -v man >/dev/null 2>&1 || missing+=(man-db)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
if [ ! -d tests/browser/node_modules/playwright-core ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "chromium: $(chromium --version 2>/dev/null | head -1); node $(node --version)"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets --quiet -- -D warnings

results="$(mktemp)"
trap 'rm -f "$results"' EXIT

step "cargo test"
cargo test --quiet 2>&1 | tee -a "$results"

step "node --check web/js"
find web/js -name '*.js' -print0 | xargs -0 -n1 node --check
echo "ok: $(find web/js -name '*.js' | wc -l) files"

step "performance doc: every table's date, commit and script (tests/bench/check_doc.py)"
python3 tests/bench/check_doc.py | tee -a "$results"

step "browser tests (chromium + playwright-core)"
export OPHIONTT_BIN="$PWD/target/debug/ophiontt"
(cd tests/browser && node --test --test-concurrency=1 ./*.test.mjs) | tee -a "$results"

step "exports read by other parsers (tests/exports/run.sh: Python csv, openpyxl, icalendar, pdftotext)"
tests/exports/run.sh | tee -a "$results"

step "webhooks to receivers in Python (tests/webhooks/run.sh: signatures, retries, re-sends)"
tests/webhooks/run.sh | tee -a "$results"

step "e-mail through a real SMTP server (tests/email/run.sh: aiosmtpd on loopback)"
tests/email/run.sh | tee -a "$results"

step "API spec (tests/spec/run.sh: schemathesis against the real server)"
tests/spec/run.sh | tee -a "$results"

step "Debian package (tests/packaging/check-deb.sh: cargo deb, contents, the unit's sandbox)"
tests/packaging/check-deb.sh | tee -a "$results"

step "all checks passed"
# One closing line over every runner: cargo's "N passed; M failed", node's "# pass N" and the
# spec check's "spec result: N passed; M failed" (operations), the performance doc's "perfdoc
# result: N passed; M failed" (tables).
awk '/^(test|spec|exports|imports|webhooks|email|perfdoc) result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     /^# pass / { p += $3 } /^# fail / { f += $3 } /^PASS  / { p++ } /^FAIL  / { f++ }
     END { printf "%d passed, %d failed\n", p, f }' "$results"
