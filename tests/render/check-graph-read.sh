#!/bin/sh
# SPDX-License-Identifier: ISC
# check-graph-read.sh QUARKS BOM_GRAPH GEN_CHAIN
# Inputs that should not be a fight: /dev/zero fails at once (a NUL byte on line 1) instead of
# growing until the kernel kills it; an endless text stops at the size limit, which the
# message names; a UTF-8 byte order mark is accepted; SIGTERM ends the render at once while
# the graph is read (from a pipe that never ends) and while a graph of 100,000 nodes is built,
# with nothing left in the output folder.
set -u
quarks=$1 bom=$2 gen=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
now() { date +%s.%N; }
within() { # START SECONDS: fail unless less than SECONDS went by since START
	awk -v a="$1" -v b="$(now)" -v s="$2" 'BEGIN { exit !(b - a < s) }' || fail "$3 took too long"
}

# A renderer that reads /dev/zero without bound must not take the machine with it: its address
# space is limited here (but for sanitizer builds, which reserve terabytes of it).
limit=""
ldd "$quarks" 2>/dev/null | grep -q libasan || limit="ulimit -v 2000000;"
t0=$(now)
sh -c "$limit exec timeout 20 \"\$0\" render -q -o \"\$1/out\" /dev/zero" "$quarks" "$tmp" \
	2>"$tmp/err"
rc=$?
cat "$tmp/err"
[ "$rc" -eq 1 ] || fail "/dev/zero: exit $rc, expected 1"
grep -qF "/dev/zero:1: a NUL byte in the line" "$tmp/err" || fail "/dev/zero: message"
within "$t0" 5 "/dev/zero"

# 100 MB of one comment line through a pipe: the reader stops at 64 MiB.
t0=$(now)
head -c 100000000 /dev/zero | tr '\0' '#' |
	timeout 60 "$quarks" render -q -o "$tmp/out" /dev/stdin 2>"$tmp/err"
rc=$?
cat "$tmp/err"
[ "$rc" -eq 1 ] || fail "endless text: exit $rc, expected 1"
grep -qF "/dev/stdin: the file is larger than 64 MiB, the limit for a graph" "$tmp/err" ||
	fail "endless text: message"
within "$t0" 30 "the endless text"

"$quarks" render -q -d 10smp -o "$tmp/bom" "$bom" || fail "a graph with a byte order mark"
[ -f "$tmp/bom/y.wav" ] || fail "no output for the graph with a byte order mark"

# SIGTERM while the graph is read: a pipe that sends a line a second and never ends.
mkdir "$tmp/read"
(while :; do echo "# still writing"; sleep 1; done) | "$quarks" render -q -o "$tmp/read" /dev/stdin 2>"$tmp/err" &
pid=$!
sleep 1
t0=$(now)
kill -TERM "$pid" 2>/dev/null
wait "$pid"
rc=$?
[ "$rc" -ne 0 ] || fail "exit status 0 after SIGTERM while reading"
within "$t0" 3 "SIGTERM while reading"
[ -z "$(ls -A "$tmp/read")" ] || fail "left behind: $(ls -A "$tmp/read")"

# SIGTERM while a graph of 100,000 nodes is built (or, on a fast machine, already rendering).
sh "$gen" 100000 >"$tmp/chain.graph"
mkdir "$tmp/build"
"$quarks" render -q -d 600 -o "$tmp/build" "$tmp/chain.graph" 2>"$tmp/err" &
pid=$!
sleep 0.3
t0=$(now)
kill -TERM "$pid"
wait "$pid"
rc=$?
cat "$tmp/err"
[ "$rc" -ne 0 ] || fail "exit status 0 after SIGTERM while building"
within "$t0" 3 "SIGTERM while building"
[ -z "$(ls -A "$tmp/build")" ] || fail "left behind: $(ls -A "$tmp/build")"
echo ok
