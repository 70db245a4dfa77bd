#!/bin/sh
# SPDX-License-Identifier: ISC
# Graph inputs as JACK ports: `quarks run` of the relu graph (tests/vectors/relu.graph, whose
# `s` is an input) gets its input port fed by a second `quarks run` playing noise, and its
# output must equal `quarks render relu.graph --input s=NOISE.wav` (tolerance 0) after
# alignment; the noise makes the offset unique.
# Usage: input-vs-render.sh QUARKS CAPTURE ALIGN LIVE_DIR VECTORS_DIR
set -u
quarks=$1 capture=$2 align=$3 dir=$4 vectors=$5
. "$(dirname "$0")/jack-env.sh"
start_bg "$quarks" run -q -n qksrc "$dir/noise.graph" </dev/null >"$tmp/src.log" 2>&1
start_bg "$quarks" run -q -n qk "$vectors/relu.graph" </dev/null >"$tmp/run.log" 2>&1
# patch waits for the ports and for both clients to be active, and connects when the server
# runs on time (jack-env.sh).
"$patch" -w qk:relu qksrc:n_out qk:s || fail "cannot connect qksrc:n_out to qk:s"
"$quarks" render -q -d 60 "$dir/noise.graph" -o "$tmp/noise" || exit 1
"$quarks" render -q -d 60 "$vectors/relu.graph" --input "s=$tmp/noise/n_out.wav" \
  -o "$tmp/render" || exit 1
check "$capture" "$align" 96000 qk:relu "$tmp/render/relu.wav" || fail "qk:relu"
