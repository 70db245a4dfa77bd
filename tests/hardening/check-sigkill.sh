#!/bin/sh
# check-sigkill.sh QUARKS GRAPH
# A render killed with SIGKILL midway (no handler can run) leaves the older output at the final
# path byte-identical; the only trace is its hidden temporary file (.NAME.wav.tmp-XXXXXX), never
# a file under an output's name. A later render into the same folder succeeds.
. "$(dirname "$0")/common.sh"
reference "$tmp/ref" -d 2
mkdir "$tmp/out"
cp "$tmp/ref"/*.wav "$tmp/out/"
names=$(ls "$tmp/out")
for round in 1 2 3; do
	"$quarks" render -q -b 1 -d 600 -o "$tmp/out" "$graph" 2>/dev/null &
	pid=$!
	i=0
	while [ -z "$(ls -A "$tmp/out" | grep '\.tmp-')" ] && [ "$i" -lt 200 ]; do
		sleep 0.05; i=$((i + 1))
	done
	sleep 0.$round
	kill -KILL "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" -eq 137 ] || fail "exit status $rc, expected 137 (killed)"
	for f in $names; do same "$tmp/out/$f" "$tmp/ref/$f"; done
	# shellcheck disable=SC2086
	only "$tmp/out" allow-tmp $names
	echo "round $round: outputs intact; left: $(ls -A "$tmp/out" | grep -c '\.tmp-') temporary file(s)"
done
"$quarks" render -q -d 2 -o "$tmp/out" "$graph" || fail "render after the kills failed"
for f in $names; do same "$tmp/out/$f" "$tmp/ref/$f"; done
echo ok
