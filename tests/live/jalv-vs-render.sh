#!/bin/sh
# SPDX-License-Identifier: ISC
# One quark under jalv (Debian's LV2 host), checked through JACK: `quarks run` plays noise
# into a jalv instance of the neuron (tanh, w1 = 2, set with jalv -c), the test recorder
# records jalv's output port, and the recording must equal `quarks render` of the same
# circuit (jalv-ref.graph) at a period-aligned offset. Tolerance 0: same plugin binary, same
# input floats, a memoryless plugin, so the block sizes do not matter.
# Usage: jalv-vs-render.sh QUARKS CAPTURE ALIGN DIR
set -u
quarks=$1 capture=$2 align=$3 dir=$4
. "$(dirname "$0")/jack-env.sh"
command -v jalv >/dev/null || { echo "FAIL: jalv is not installed"; exit 1; }

mkfifo "$tmp/in"
exec 3<>"$tmp/in"   # jalv reads commands from stdin; keep it open and quiet
start_bg jalv -x -n qkj -c act=4 -c w1=2 https://quarks-lv2.github.io/lv2/neuron <"$tmp/in" \
  >"$tmp/jalv.log" 2>&1
start_bg "$quarks" run -q -n qksrc "$dir/noise.graph" </dev/null >"$tmp/run.log" 2>&1
"$patch" -w qkj:out qksrc:n_out qkj:x1 || fail "cannot connect qksrc:n_out to qkj:x1"
"$quarks" render -q -d 60 "$dir/jalv-ref.graph" -o "$tmp/render" || exit 1
check "$capture" "$align" 96000 qkj:out "$tmp/render/y.wav" || fail "qkj:out"
