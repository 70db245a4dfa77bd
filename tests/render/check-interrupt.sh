#!/bin/sh
# SPDX-License-Identifier: ISC
# check-interrupt.sh QUARKS GRAPH
# A render stopped by SIGINT or SIGTERM exits non-zero and leaves no file in its output folder:
# neither a truncated output nor a temporary one.
set -u
quarks=$1 graph=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for sig in INT TERM; do
  mkdir "$tmp/$sig"
  "$quarks" render -q -b 1 -d 600 -o "$tmp/$sig" "$graph" 2>"$tmp/$sig.err" &
  pid=$!
  # Wait until the outputs are open (unnamed O_TMPFILE files, or hidden temporaries where the
  # file system lacks O_TMPFILE), so the signal comes mid-render.
  i=0
  while ! ls -l "/proc/$pid/fd" 2>/dev/null | grep -q -- "-> $tmp/$sig/" && [ "$i" -lt 100 ]; do
    sleep 0.05; i=$((i + 1))
  done
  ls -l "/proc/$pid/fd" | grep -q -- "-> $tmp/$sig/" || { echo "no output was opened" >&2; exit 1; }
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  cat "$tmp/$sig.err"
  test "$rc" -ne 0 || { echo "exit status 0 after SIG$sig" >&2; exit 1; }
  grep -q "interrupted; no output written" "$tmp/$sig.err"
  test -z "$(ls -A "$tmp/$sig")" || { echo "left behind:" "$(ls -A "$tmp/$sig")" >&2; exit 1; }
done
echo ok
