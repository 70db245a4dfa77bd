#!/bin/sh
# SPDX-License-Identifier: ISC
# check-identity.sh QUARKS WAVCMP GRAPH OUT_A OUT_B TOLERANCE
# Renders GRAPH once and compares two of its outputs with each other: two circuits that an
# identity of QUARKS.md says are equal must render equal through the real plugins.
set -eu
quarks=$1 wavcmp=$2 graph=$3 a=$4 b=$5 tol=$6
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$quarks" render -q -o "$tmp" "$graph"
"$wavcmp" "$tmp/$a.wav" "$tmp/$b.wav" "$tol"
