#!/bin/sh
# SPDX-License-Identifier: ISC
# check-vector.sh QUARKS WAVCMP GRAPH EXPECTED_DIR TOLERANCE [RENDER OPTION]...
# Renders GRAPH at block sizes 1, 7, 256 and 4096 and compares every output with the reference's
# expected file (|diff| <= TOLERANCE); checks the outputs are exactly the expected set, that two
# renders are bit-identical, and that block sizes agree within 1e-6.
set -eu
quarks=$1 wavcmp=$2 graph=$3 expected=$4 tol=$5
shift 5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for b in 1 7 256 4096; do
  "$quarks" render -q -b "$b" -o "$tmp/b$b" "$@" "$graph"
  want=$(cd "$expected" && ls | sort | tr '\n' ' ')
  got=$(cd "$tmp/b$b" && ls -A | sort | tr '\n' ' ')
  if [ "$want" != "$got" ]; then
    echo "block $b: outputs [$got], expected [$want]" >&2
    exit 1
  fi
  for f in "$expected"/*.wav; do
    "$wavcmp" "$f" "$tmp/b$b/$(basename "$f")" "$tol"
  done
done
"$quarks" render -q -b 256 -o "$tmp/again" "$@" "$graph"
for f in "$tmp"/b256/*.wav; do
  cmp "$f" "$tmp/again/$(basename "$f")"
  "$wavcmp" "$f" "$tmp/b1/$(basename "$f")" 1e-6
  "$wavcmp" "$f" "$tmp/b7/$(basename "$f")" 1e-6
  "$wavcmp" "$f" "$tmp/b4096/$(basename "$f")" 1e-6
done
echo "ok: $graph"
