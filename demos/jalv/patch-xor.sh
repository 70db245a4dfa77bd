#!/bin/sh
# SPDX-License-Identifier: ISC
# XOR = OR gated by NAND, patched by hand out of jalv instances: every quark is its own JACK
# client in Debian's LV2 host, and jack_connect wires them, as a person would in a patchbay.
# The inputs come from `quarks run inputs.graph`. Needs a running JACK server.
#   demos/jalv/patch-xor.sh            run until Ctrl-C (the output goes to system:playback_1)
#   demos/jalv/patch-xor.sh SECONDS    run that long
# QUARKS names the quarks program (default: quarks on PATH); PREFIX prefixes the client names.
set -u
here=$(cd "$(dirname "$0")" && pwd)
quarks=${QUARKS:-quarks}
p=${PREFIX:-xor}
uri=https://quarks-lv2.github.io/lv2
if ! timeout 3 jack_lsp >/dev/null 2>&1; then
  echo "patch-xor: no JACK server is running (start one, e.g. 'jackd -d dummy')" >&2
  exit 1
fi
tmp=$(mktemp -d)
pids=""
cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null; done
  for pid in $pids; do wait "$pid" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 0' INT TERM
# jalv quits at the end of its standard input: give every instance one that stays open.
mkfifo "$tmp/stdin"
exec 3<>"$tmp/stdin"

"$quarks" run -q -n "$p-in" "$here/inputs.graph" <"$tmp/stdin" >"$tmp/in.log" 2>&1 &
pids="$! $pids"
# The OR and NAND presets' values (plugins/neuron.c), set by symbol with -c.
jalv -x -n "$p-or" -c w1=1 -c w2=1 -c bias=-0.5 -c act=1 "$uri/neuron" \
  <"$tmp/stdin" >"$tmp/or.log" 2>&1 &
pids="$! $pids"
jalv -x -n "$p-nand" -c w1=-1 -c w2=-1 -c bias=1.5 -c act=1 "$uri/neuron" \
  <"$tmp/stdin" >"$tmp/nand.log" 2>&1 &
pids="$! $pids"
jalv -x -n "$p-gate" "$uri/output-gate" <"$tmp/stdin" >"$tmp/gate.log" 2>&1 &
pids="$! $pids"

for port in "$p-in:x2_out" "$p-or:out" "$p-nand:out" "$p-gate:out"; do
  i=0
  until timeout 3 jack_lsp | grep -qx "$port"; do
    i=$((i + 1))
    if [ $i -gt 100 ]; then
      echo "patch-xor: $port did not appear" >&2
      cat "$tmp"/*.log >&2
      exit 1
    fi
    sleep 0.1
  done
done
jack_connect "$p-in:x1_out" "$p-or:x1" && jack_connect "$p-in:x1_out" "$p-nand:x1" &&
  jack_connect "$p-in:x2_out" "$p-or:x2" && jack_connect "$p-in:x2_out" "$p-nand:x2" &&
  jack_connect "$p-or:out" "$p-gate:in" && jack_connect "$p-nand:out" "$p-gate:gate" ||
  { echo "patch-xor: jack_connect failed" >&2; exit 1; }
jack_connect "$p-gate:out" system:playback_1 2>/dev/null || true
echo "patch-xor: $p-in -> $p-or, $p-nand -> $p-gate; listen at $p-gate:out"
# Wait in the background: a foreground sleep would hold off Ctrl-C and SIGTERM until it ends.
sleep "${1:-infinity}" &
pids="$! $pids"
wait $!
