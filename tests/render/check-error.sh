#!/bin/sh
# SPDX-License-Identifier: ISC
# check-error.sh QUARKS EXPECTED_MESSAGE ARG...
# Runs `QUARKS render ARG... -o DIR` on bad input and checks that it exits non-zero, that stderr
# contains EXPECTED_MESSAGE (file:line: message), and that DIR holds no file at all (not even a
# temporary one).
set -u
quarks=$1 expect=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out"
"$quarks" render -q -o "$tmp/out" "$@" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
cat "$tmp/stderr"
if [ "$rc" -eq 0 ]; then
  echo "FAIL: exit status 0 on bad input" >&2
  exit 1
fi
if ! grep -qF -- "$expect" "$tmp/stderr"; then
  echo "FAIL: expected the message: $expect" >&2
  exit 1
fi
if [ -n "$(ls -A "$tmp/out")" ]; then
  echo "FAIL: files left in the output folder:" "$(ls -A "$tmp/out")" >&2
  exit 1
fi
echo "ok (exit $rc)"
