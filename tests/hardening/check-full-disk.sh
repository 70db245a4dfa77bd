#!/bin/sh
# SPDX-License-Identifier: ISC
# check-full-disk.sh QUARKS GRAPH
# The disk fills up during the render, simulated with a file size limit (ulimit -f, with
# SIGXFSZ ignored so that write() fails with EFBIG as on a full disk instead of killing the
# process): a clear error, exit status 1, no temporary file left, and the older output at the
# final path byte-identical. Limits from 0 (the header cannot be written) to just below the
# size of the finished file (only the last block or the header update fails).
. "$(dirname "$0")/common.sh"
reference "$tmp/ref"
size=$(wc -c <"$tmp/ref/relu.wav")
mkdir "$tmp/out"
printf 'an older output\n' >"$tmp/out/relu.wav"
cp "$tmp/out/relu.wav" "$tmp/old.wav"
blocks=$(( (size - 1) / 512 ))   # ulimit -f counts 512-byte blocks in sh
for limit in 0 1 8 64 $((blocks / 2)) $blocks; do
	# stderr through a pipe: the limit applies to regular files, so a file would not get it.
	err=$(sh -c 'trap "" XFSZ; ulimit -f "$1" || exit 99; shift; exec "$@"' sh "$limit" \
		"$quarks" render -q -o "$tmp/out" "$graph" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -ne 99 ] || { echo "SKIP: cannot set a file size limit"; exit 77; }
	echo "limit $limit blocks: exit $rc: $err"
	[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
	case $err in *"cannot write"* | *"cannot finish"*) ;; *) fail "no 'cannot write' message" ;; esac
	case $err in *"File too large"*) ;; *) fail "the message does not give the cause" ;; esac
	same "$tmp/out/relu.wav" "$tmp/old.wav"
	only "$tmp/out" no-tmp relu.wav
done
# And with room enough, the same command succeeds and replaces the older output.
sh -c 'trap "" XFSZ; ulimit -f "$1"; shift; exec "$@"' sh $((blocks + 2)) \
	"$quarks" render -q -o "$tmp/out" "$graph" || fail "render with room enough failed"
same "$tmp/out/relu.wav" "$tmp/ref/relu.wav"
echo ok
