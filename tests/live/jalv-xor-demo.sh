#!/bin/sh
# The jalv demo (demos/jalv/patch-xor.sh) on a dummy server: its output, recorded through JACK,
# equals `quarks render demos/xor/xor.graph` after alignment (tolerance 0). The demo script
# stops its own processes; the test stops the script by its PID.
# Usage: jalv-xor-demo.sh QUARKS CAPTURE ALIGN DEMOS_DIR
set -u
quarks=$1 capture=$2 align=$3 demos=$4
. "$(dirname "$0")/jack-env.sh"
QUARKS=$quarks PREFIX=t sh "$demos/jalv/patch-xor.sh" 50 >"$tmp/demo.log" 2>&1 &
pids="$! $pids"
i=0
until grep -q "listen at" "$tmp/demo.log"; do
  i=$((i + 1))
  [ $i -gt 150 ] && { echo "FAIL: the demo did not patch"; cat "$tmp/demo.log"; exit 1; }
  sleep 0.1
done
"$quarks" render -q -d 60 "$demos/xor/xor.graph" -o "$tmp/render" || exit 1
check "$capture" "$align" 96000 t-gate:out "$tmp/render/xor.wav" || exit 1
