#!/bin/sh
# SPDX-License-Identifier: ISC
# check-format.sh QUARKS WAVCMP GRAPH EXPECTED_WAV TOLERANCE FORMAT SUBTYPE
# Renders GRAPH as FORMAT/SUBTYPE and compares its one output with the expected WAV.
set -eu
quarks=$1 wavcmp=$2 graph=$3 expected=$4 tol=$5 format=$6 subtype=$7
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$quarks" render -q -f "$format" -t "$subtype" -o "$tmp" "$graph"
name=$(basename "$expected" .wav)
ls -A "$tmp"
test "$(ls -A "$tmp")" = "$name.$format"
"$wavcmp" "$expected" "$tmp/$name.$format" "$tol"
