#!/bin/sh
# SPDX-License-Identifier: ISC
# check-run.sh STATUS TEXT COMMAND...
# Runs COMMAND and checks its exit status and that its output (stdout and stderr) has TEXT.
set -u
status=$1 text=$2
shift 2
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne "$status" ]; then
  echo "FAIL: exit status $rc, expected $status" >&2
  exit 1
fi
if ! printf '%s\n' "$out" | grep -qF -- "$text"; then
  echo "FAIL: expected the text: $text" >&2
  exit 1
fi
echo ok
