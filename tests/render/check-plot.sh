#!/bin/sh
# SPDX-License-Identifier: ISC
# check-plot.sh QUARKS GRAPH WAV
# `render --plot` and `plot` write PNG pictures (checked by signature and size: 1000 pixels
# wide, one lane per signal), a successful render off a terminal prints nothing on stderr, and
# --quiet prints nothing at all.
set -eu
quarks=$1 graph=$2 wav=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
png_size() { od -An -tx1 -j12 -N12 "$1" | tr -d ' \n'; }
"$quarks" render -o "$tmp/out" --plot "$tmp/render.png" "$graph" >"$tmp/stdout" 2>"$tmp/stderr"
test ! -s "$tmp/stderr"
grep -q "wrote $tmp/out/" "$tmp/stdout"
grep -q "wrote $tmp/render.png" "$tmp/stdout"
# "IHDR", width 1000 (0x3e8), then the height: 72 + 112 per lane.
test "$(od -An -c -j1 -N3 "$tmp/render.png" | tr -d ' \n')" = "PNG"
head=$(png_size "$tmp/render.png")
test "${head%????????}" = "49484452000003e8"
"$quarks" render -q -o "$tmp/out2" --plot "$tmp/q.png" --signals x1,or.out,xor "$graph" \
  >"$tmp/stdout2" 2>&1
test ! -s "$tmp/stdout2"
test "$(png_size "$tmp/q.png")" = "49484452000003e800000198"   # 3 lanes: height 408
"$quarks" plot -o "$tmp/plot.png" "$wav" "$wav"
test "$(png_size "$tmp/plot.png")" = "49484452000003e800000128"  # 2 lanes: height 296
echo ok
