#!/bin/sh
# SPDX-License-Identifier: ISC
# check-progress.sh QUARKS GRAPH
# On a terminal (script(1) gives the render a pseudo-terminal), a render that takes more than a
# second shows a progress bar on stderr, and a short one shows none. (Off a terminal nothing is
# shown: check-plot.sh checks that stderr stays empty.)
set -eu
quarks=$1 graph=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Block size 1 and 60 s of audio: several seconds of work on any machine.
script -qec "'$quarks' render -b 1 -d 60 -o '$tmp/long' '$graph'" /dev/null >"$tmp/long.txt"
grep -q 'rendering \[#*\.*\] *[0-9]*%' "$tmp/long.txt"
script -qec "'$quarks' render -d 0.1 -o '$tmp/short' '$graph'" /dev/null >"$tmp/short.txt"
if grep -q 'rendering' "$tmp/short.txt"; then
  echo "a short render showed a progress bar" >&2
  exit 1
fi
grep -q "wrote $tmp/short/mix.wav" "$tmp/short.txt"
echo ok
