#!/bin/sh
# SPDX-License-Identifier: ISC
# Round trip graph -> .carxp -> render: exporting GRAPH to a Carla project and rendering the
# project gives byte-identical output files: out_left.wav equals the graph's first output and
# out_right.wav its second. Built-in sources travel as the bundle's source plugins and open
# gates as the constant 1 the export adds, so the project runs on its own. Graph inputs that
# play a file (Carla would play it in its audio file player, which smooths its volume) are
# made bare inputs in a copy of the graph, fed from the file's samples as the graph reads them
# (captured by rendering the graph with `output src_NAME = NAME` added), and the project gets
# the same through Audio Input:Left/Right.
# Usage: roundtrip.sh QUARKS GRAPH
set -eu
quarks=$1 graph=$2
tmp=$(mktemp -d)
dir=$(dirname "$graph")
ins=$(sed -n 's/^[[:space:]]*input[[:space:]]\+\([A-Za-z_][A-Za-z0-9_-]*\)[[:space:]]*=[[:space:]]*file\b.*/\1/p' "$graph" | head -2)
outs=$(sed -n 's/^[[:space:]]*output[[:space:]]\+\([A-Za-z_][A-Za-z0-9_-]*\).*/\1/p' "$graph" | head -2)
# Beside the graph, so that file paths in them stay valid.
capture="$dir/.roundtrip-$$.graph"
bare="$dir/.roundtrip-bare-$$.graph"
project="$dir/.roundtrip-$$.carxp"
trap 'rm -rf "$tmp" "$capture" "$bare" "$project"' EXIT
{ cat "$graph"; for s in $ins; do echo "output src_$s = $s"; done; } >"$capture"
"$quarks" render -q "$capture" -o "$tmp/src"
cp "$graph" "$bare"
set --
set -- "$project"
feeds=""
i=0
for s in $ins; do
  sed -i "s/^\([[:space:]]*input[[:space:]]\+$s\)[[:space:]]*=.*/\1/" "$bare"
  name=$([ $i -eq 0 ] && echo in_left || echo in_right)
  set -- "$@" --input "$name=$tmp/src/src_$s.wav"
  feeds="$feeds --input $s=$tmp/src/src_$s.wav"
  i=$((i + 1))
done
# shellcheck disable=SC2086
"$quarks" render -q "$bare" $feeds -o "$tmp/graph"
"$quarks" export --carla -q "$bare" -o "$project"
# The project has no duration or rate: the graph's, else (as for the graph) the input files'
# length and 48000 Hz.
dur=$(sed -n 's/^duration[[:space:]]\+\([^[:space:]#]*\).*/\1/p' "$graph" | head -1)
rate=$(sed -n 's/^rate[[:space:]]\+\([^[:space:]#]*\).*/\1/p' "$graph" | head -1)
"$quarks" render -q ${dur:+-d "$dur"} ${rate:+-r "$rate"} -o "$tmp/carla" "$@"
i=0
for o in $outs; do
  c=$([ $i -eq 0 ] && echo out_left || echo out_right)
  cmp "$tmp/graph/$o.wav" "$tmp/carla/$c.wav" || { echo "FAIL: $o differs from $c"; exit 1; }
  echo "$o.wav == $c.wav (byte for byte)"
  i=$((i + 1))
done
