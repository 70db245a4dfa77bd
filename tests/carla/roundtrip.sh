#!/bin/sh
# Round trip graph -> .carxp -> render: exporting GRAPH to a Carla project and rendering the
# project (its Audio Input ports fed with the graph's own first two sources or inputs, which
# the export turns into Left and Right) gives byte-identical output files: out_left.wav equals
# the graph's first output and out_right.wav its second. Sources are captured by rendering a
# copy of the graph with `output src_NAME = NAME` added.
# Usage: roundtrip.sh QUARKS GRAPH
set -eu
quarks=$1 graph=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dir=$(dirname "$graph")
ins=$(sed -n 's/^[[:space:]]*\(source\|input\)[[:space:]]\+\([A-Za-z_][A-Za-z0-9_-]*\).*/\2/p' "$graph" | head -2)
outs=$(sed -n 's/^[[:space:]]*output[[:space:]]\+\([A-Za-z_][A-Za-z0-9_-]*\).*/\1/p' "$graph" | head -2)
copy="$dir/.roundtrip-$$.graph"   # beside the graph: file paths in it stay valid
trap 'rm -rf "$tmp" "$copy"' EXIT
{ cat "$graph"; for s in $ins; do echo "output src_$s = $s"; done; } >"$copy"
"$quarks" render -q "$copy" -o "$tmp/graph"
"$quarks" export --carla -q "$graph" -o "$tmp/p.carxp"
set -- "$tmp/p.carxp"
i=0
for s in $ins; do
  name=$([ $i -eq 0 ] && echo in_left || echo in_right)
  set -- "$@" --input "$name=$tmp/graph/src_$s.wav"
  i=$((i + 1))
done
# The project has no duration: the graph's, else (as for the graph) the input files' length.
dur=$(sed -n 's/^duration[[:space:]]\+\([^[:space:]#]*\).*/\1/p' "$graph" | head -1)
"$quarks" render -q ${dur:+-d "$dur"} -o "$tmp/carla" "$@"
i=0
for o in $outs; do
  c=$([ $i -eq 0 ] && echo out_left || echo out_right)
  cmp "$tmp/graph/$o.wav" "$tmp/carla/$c.wav" || { echo "FAIL: $o differs from $c"; exit 1; }
  echo "$o.wav == $c.wav (byte for byte)"
  i=$((i + 1))
done
