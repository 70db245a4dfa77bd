#!/bin/sh
# SPDX-License-Identifier: ISC
# bench-render.sh QUARKS GRAPH [SECONDS] [RUNS]
# Renders GRAPH (SECONDS of audio, default 60) at block 256 RUNS times (default 7), writing
# float WAVs to a temporary folder, and prints the median speed in seconds of audio per second
# of wall time.
set -eu
quarks=$1 graph=$2 secs=${3:-60} runs=${4:-7}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=0
while [ "$i" -lt "$runs" ]; do
  t0=$(date +%s.%N)
  "$quarks" render -q -b 256 -d "$secs" -o "$tmp" "$graph"
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk -v s="$secs" '{ printf "%.1f\n", s / ($2 - $1) }' >>"$tmp/speeds"
  i=$((i + 1))
done
sort -g "$tmp/speeds" | awk -v g="$(basename "$graph")" -v s="$secs" '
  { v[NR] = $1 }
  END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s, block 256, %s s of audio at 48 kHz: median %.0f s of audio per s of wall time (runs: %s", g, s, m, v[1]
    for (i = 2; i <= NR; i++) printf ", %s", v[i]
    printf ")\n"
  }'
