#!/bin/sh
# SPDX-License-Identifier: ISC
# The project Carla 2.6 saved itself (reference-patchbay.carxp, from ../shared/carla) renders
# as the equivalent graph (reference.graph) renders, byte for byte, with the same input; and
# exporting that graph keeps the shape Carla writes.
# Usage: reference.sh QUARKS CHECK_CARXP DIR
set -eu
quarks=$1 check=$2 dir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'source n = noise seed=11 amp=0.8\noutput n_out = n\n' >"$tmp/noise.graph"
"$quarks" render -q -d 1 "$tmp/noise.graph" -o "$tmp"
"$quarks" render -q "$dir/reference-patchbay.carxp" -i "in_left=$tmp/n_out.wav" -o "$tmp/carla"
"$quarks" render -q "$dir/reference.graph" -i "in_left=$tmp/n_out.wav" -o "$tmp/graph"
cmp "$tmp/carla/out_left.wav" "$tmp/graph/out_left.wav"
echo "reference-patchbay.carxp renders as reference.graph (byte for byte)"
"$quarks" export --carla -q "$dir/reference.graph" -o "$tmp/x.carxp"
"$check" --shape "$tmp/x.carxp"
