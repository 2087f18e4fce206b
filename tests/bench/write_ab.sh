#!/usr/bin/env bash
# Side-by-side write throughput: this tree's release binary against another commit's, run
# interleaved (old, new, old, new …) so that a noisy machine moves both alike. Builds REV in a
# temporary git worktree (reusing this tree's compiled dependencies), then for each of ROUNDS
# rounds measures durable creates at 32 connections and at 1 connection with each binary for
# SECS seconds (write_throughput.sh's run). Prints every pair, its new/old ratio, and the medians,
# then docs/performance.md's table of them.
# Usage: bash tests/bench/write_ab.sh REV [ROUNDS] [SECS]      e.g. write_ab.sh 514186c 5 5
set -euo pipefail
REV="$1"; ROUNDS="${2:-5}"; SECS="${3:-5}"
source "$(dirname "$0")/lib.sh"

NEW="$BIN"
git worktree add -q --detach "$WORK/old" "$REV"
trap 'git worktree remove --force "$WORK/old" 2>/dev/null || true; bench_cleanup' EXIT
mkdir -p "$WORK/old/target"
cp -a target/release "$WORK/old/target/" && rm -rf "$WORK/old/target/release/incremental"
(cd "$WORK/old" && cargo build --release --quiet)
OLD="$WORK/old-ophiontt"
cp "$WORK/old/target/release/ophiontt" "$OLD"

rows=""
for conns in 32 1; do
  olds=(); news=(); ratios=()
  for round in $(seq 1 "$ROUNDS"); do
    BIN="$OLD"; measure_writes "$conns" "$SECS"; o="$RATE"
    BIN="$NEW"; measure_writes "$conns" "$SECS"; n="$RATE"
    r="$(awk -v n="$n" -v o="$o" 'BEGIN {printf "%.3f", n / o}')"
    echo "$conns connections, round $round: old $o, new $n entries/s (new/old $r)"
    olds+=("$o"); news+=("$n"); ratios+=("$r")
  done
  echo "$conns connections: median old $(median "${olds[@]}"), new $(median "${news[@]}"), median new/old $(median "${ratios[@]}")"
  rows+="| $conns | $(dots "${olds[@]}") | $(dots "${news[@]}") | $(dots "${ratios[@]}") | $(median "${ratios[@]}") |"$'\n'
done
rows="${rows%$'\n'}"

cat <<EOF

| connections | old, $ROUNDS runs | new, $ROUNDS runs | new/old per pair | median new/old |
|---:|---|---|---|---:|
$rows
EOF
