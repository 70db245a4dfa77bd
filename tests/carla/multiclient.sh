#!/bin/sh
# SPDX-License-Identifier: ISC
# A project saved in JACK multi-client mode (no <Patchbay>; its links are JACK connections in
# <ExternalPatchbay>, system:capture_N and system:playback_N for the sound card) renders
# byte for byte like the same circuit saved in patchbay mode (Audio Input/Output:Left/Right):
# system:capture_1 is the graph input in_left, system:playback_1/2 the outputs out_left/right.
# Usage: multiclient.sh QUARKS DIR
set -eu
quarks=$1 dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'source n = noise seed=5\noutput n_out = n\n' >"$tmp/noise.graph"
"$quarks" render -q -d 2 "$tmp/noise.graph" -o "$tmp"
for p in multiclient multiclient-patchbay; do
  "$quarks" render -q -d 2 "$dir/projects/$p.carxp" -i "in_left=$tmp/n_out.wav" -o "$tmp/$p"
done
for o in out_left out_right; do
  cmp "$tmp/multiclient/$o.wav" "$tmp/multiclient-patchbay/$o.wav"
  echo "$o.wav: multi-client == patchbay (byte for byte)"
done
