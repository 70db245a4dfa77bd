#!/bin/sh
# The DSP inner loops must vectorize at the project's optimisation level.
# Compiles each kernel with the build's compiler and flags plus
# -fopt-info-vec-optimized and counts the distinct loops GCC reports as
# vectorized; the expected count is the number of per-sample loops in the file.
# Usage: check-vectorized.sh CC SOURCE_DIR FLAGS...
set -u
cc=$1 src=$2
shift 2
fail=0
while read -r file loops; do
	got=$("$cc" "$@" -fopt-info-vec-optimized -c "$src/dsp/$file" -o /dev/null 2>&1 |
		grep 'loop vectorized using 16 byte vectors' | cut -d: -f2 | sort -u | wc -l)
	if [ "$got" -lt "$loops" ]; then
		echo "FAIL $file: $got of $loops per-sample loops vectorized"
		fail=1
	else
		echo "ok   $file: $got of $loops per-sample loops vectorized"
	fi
done <<'LIST'
activation.c 6
neuron.c 1
synaptic_gate.c 1
activation_gate.c 1
additive_synapse.c 1
output_gate.c 3
additive_output.c 1
softmax.c 4
attention_head.c 3
quadratic.c 1
LIST
exit $fail
