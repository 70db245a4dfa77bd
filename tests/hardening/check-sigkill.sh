#!/bin/sh
# SPDX-License-Identifier: ISC
# check-sigkill.sh QUARKS GRAPH
# A render killed with SIGKILL midway (no handler can run) leaves the older outputs at their
# paths byte-identical and no file at all: the outputs are written unnamed (O_TMPFILE) and only
# named when complete. (On a file system without O_TMPFILE, set QK_NO_TMPFILE=1: the trace is
# then a hidden .NAME.wav.tmp-XXXXXX, never a file under an output's name.) A later render
# into the same folder succeeds.
. "$(dirname "$0")/common.sh"
reference "$tmp/ref" -d 2
mkdir "$tmp/out"
cp "$tmp/ref"/*.wav "$tmp/out/"
names=$(ls "$tmp/out")
# Where the file system has O_TMPFILE (Linux: ext4, xfs, btrfs, tmpfs) the outputs are unnamed
# until complete and a killed render leaves nothing at all; elsewhere a hidden temporary.
allow=no-tmp
[ "${QK_NO_TMPFILE:-}" = 1 ] && allow=allow-tmp
for round in 1 2 3; do
	"$quarks" render -q -b 1 -d 600 -o "$tmp/out" "$graph" 2>/dev/null &
	pid=$!
	# Kill it once its outputs are open (unnamed O_TMPFILE files, else hidden temporaries).
	i=0
	while ! ls -l "/proc/$pid/fd" 2>/dev/null | grep -q -- "-> $tmp/out/" && [ "$i" -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
	done
	ls -l "/proc/$pid/fd" | grep -q -- "-> $tmp/out/" || fail "no output was opened"
	sleep 0.$round
	kill -KILL "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" -eq 137 ] || fail "exit status $rc, expected 137 (killed)"
	for f in $names; do same "$tmp/out/$f" "$tmp/ref/$f"; done
	# shellcheck disable=SC2086
	only "$tmp/out" "$allow" $names
	echo "round $round: outputs intact; left: $(ls -A "$tmp/out" | grep -c '\.tmp-') temporary file(s)"
done
"$quarks" render -q -d 2 -o "$tmp/out" "$graph" || fail "render after the kills failed"
for f in $names; do same "$tmp/out/$f" "$tmp/ref/$f"; done
echo ok
