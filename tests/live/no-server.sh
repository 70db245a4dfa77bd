#!/bin/sh
# SPDX-License-Identifier: ISC
# Without a JACK server, `quarks run` says so plainly and exits 1 (and never starts a server).
# Usage: no-server.sh QUARKS GRAPH
export JACK_DEFAULT_SERVER="qk-none-$$"
out=$("$1" run "$2" 2>&1 </dev/null); rc=$?
echo "$out"
[ $rc -eq 1 ] || { echo "FAIL: exit $rc, not 1"; exit 1; }
echo "$out" | grep -q "^quarks run: no JACK server is running" || { echo "FAIL: message"; exit 1; }
! jack_lsp >/dev/null 2>&1 || { echo "FAIL: a server was started"; exit 1; }
