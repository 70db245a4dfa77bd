#!/bin/sh
# SPDX-License-Identifier: ISC
# check-concurrent.sh QUARKS GRAPH
# Two renders to the same output path at once, of different lengths (so their files differ):
# both succeed, and afterwards the path holds one of the two complete files, byte for byte,
# never a mixture or a truncated file, and no temporary file is left. Several rounds.
. "$(dirname "$0")/common.sh"
reference "$tmp/a" -d 30
reference "$tmp/b" -d 20
names=$(ls "$tmp/a")
mkdir "$tmp/out"
for round in 1 2 3 4 5 6; do
	"$quarks" render -q -d 30 -o "$tmp/out" "$graph" 2>"$tmp/err-a" &
	pa=$!
	"$quarks" render -q -d 20 -o "$tmp/out" "$graph" 2>"$tmp/err-b" &
	pb=$!
	wait "$pa"; ra=$?
	wait "$pb"; rb=$?
	[ "$ra" -eq 0 ] && [ "$rb" -eq 0 ] || { cat "$tmp/err-a" "$tmp/err-b"; fail "exit $ra, $rb"; }
	for f in $names; do
		cmp -s "$tmp/out/$f" "$tmp/a/$f" || cmp -s "$tmp/out/$f" "$tmp/b/$f" \
			|| fail "round $round: $f is neither render's file"
	done
	# shellcheck disable=SC2086
	only "$tmp/out" no-tmp $names
done
echo ok
