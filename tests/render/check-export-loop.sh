#!/bin/sh
# SPDX-License-Identifier: ISC
# check-export-loop.sh QUARKS GRAPH EXPECTED_MESSAGE
# `quarks export --carla` of a graph with a feedback loop: Carla's patchbay does not compute
# feedback, so the export fails with EXPECTED_MESSAGE (file:line: message, naming the loop), a
# non-zero exit, and writes nothing (not even a temporary file), while `quarks render` of the
# same graph succeeds.
set -u
quarks=$1 graph=$2 expect=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out"
"$quarks" export --carla "$graph" -o "$tmp/out/loop.carxp" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
cat "$tmp/stdout" "$tmp/stderr"
[ "$rc" -ne 0 ] || { echo "FAIL: exit status 0 for a graph with a loop" >&2; exit 1; }
grep -qF -- "$expect" "$tmp/stderr" || { echo "FAIL: expected the message: $expect" >&2; exit 1; }
[ "$(wc -l <"$tmp/stderr")" -eq 1 ] || { echo "FAIL: more than the one message" >&2; exit 1; }
[ -z "$(ls -A "$tmp/out")" ] || { echo "FAIL: files written:" "$(ls -A "$tmp/out")" >&2; exit 1; }
"$quarks" render -q -d 100smp "$graph" -o "$tmp/render" ||
  { echo "FAIL: the graph does not render" >&2; exit 1; }
echo "ok (exit $rc, nothing written; the render runs the loop)"
