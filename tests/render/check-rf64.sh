#!/bin/sh
# SPDX-License-Identifier: ISC
# check-rf64.sh QUARKS WAVINFO
# A render whose data passes 4 GiB (2^30 float frames, 6.2 hours at 48 kHz) is written as RF64
# and read back at its full length, its last sample intact: a plain WAV header would say 0
# frames (4 GiB modulo 2^32). Writes 4 GiB, so it needs 10 GB free where mktemp puts it
# (skipped otherwise); about 20 s.
set -u
quarks=$1 wavinfo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
free_kb=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
[ "${free_kb:-0}" -ge 10000000 ] || { echo "SKIP: less than 10 GB free in $tmp"; exit 77; }
printf 'source c = constant value=0.25\noutput y = c\n' >"$tmp/c.graph"
"$quarks" render -q -b 1048576 -d 1073741824smp -o "$tmp/out" "$tmp/c.graph" || exit 1
got=$("$wavinfo" "$tmp/out/y.wav")
echo "$got"
[ "$got" = "rf64 1073741824 48000 0.25" ] || { echo "FAIL: expected rf64 1073741824 48000 0.25"; exit 1; }
echo ok
