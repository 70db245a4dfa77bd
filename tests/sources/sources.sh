#!/bin/sh
# SPDX-License-Identifier: ISC
# The source plugins give the renderer's built-in sources sample for sample: sources.graph,
# rendered at three rates and four block sizes, has each plugin's output byte-identical to the
# built-in source beside it. A source counts from activation: a render starts at sample 0.
# Usage: sources.sh QUARKS DIR
set -eu
quarks=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for rate in 44100 48000 96000; do
  for block in 1 7 256 4096; do
    "$quarks" render -q -r "$rate" -b "$block" "$dir/sources.graph" -o "$tmp/out"
    for kind in pulse square ramp sine tone noise constant; do
      cmp "$tmp/out/o_$kind.wav" "$tmp/out/p_$kind.wav" ||
        { echo "FAIL: $kind at $rate Hz, block $block"; exit 1; }
      n=$((n + 1))
    done
  done
done
echo "$n source renders: every plugin equals its built-in source (byte for byte)"
