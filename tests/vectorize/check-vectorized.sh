#!/bin/sh
# SPDX-License-Identifier: ISC
# The DSP inner loops must vectorize at the project's optimisation level.
# Compiles every dsp/*.c (whatever files there are, not a list) with the build's
# compiler and flags plus -fopt-info-vec-optimized and counts the distinct loops GCC
# reports as vectorized; the expected count, below, is the number of per-sample loops
# in the file. A file without an expected count fails, naming the kernels in it: the
# kernels are the functions built for runtime CPU dispatch (QK_CLONES, dsp/clones.h),
# found by nm as their ".default" clone in the compiled object, and each one's file
# must expect at least one vectorized loop.
# Usage: check-vectorized.sh CC SOURCE_DIR FLAGS...
set -u
cc=$1 src=$2
shift 2

# Per-sample loops per file (0: no per-sample loop in it, only helpers).
expected() {
	case $1 in
	activation.c) echo 6 ;;
	neuron.c) echo 1 ;;
	synaptic_gate.c) echo 1 ;;
	activation_gate.c) echo 1 ;;
	additive_synapse.c) echo 1 ;;
	output_gate.c) echo 3 ;;
	additive_output.c) echo 1 ;;
	softmax.c) echo 4 ;;
	attention_head.c) echo 3 ;;
	quadratic.c) echo 1 ;;
	# constant, pulse, ramp, sine; the noise loop calls the hash per sample and stays scalar
	source.c) echo 4 ;;
	# the stateful quarks: the recurrences are serial; the drive, weight and gain loops
	# around them are per-sample vector loops
	delay.c) echo 0 ;;
	leaky.c) echo 1 ;;
	slow_gate.c) echo 1 ;;
	fast_weight.c) echo 4 ;;
	# the general attention kernel (any size): projections, scores, weighted sum
	attention.c) echo 3 ;;
	softmax_wide.c) echo 5 ;;
	decimal.c) echo 0 ;;
	stream.c) echo 0 ;;
	unit.c) echo 0 ;;
	*) echo none ;;
	esac
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0 files=0 all_kernels=0
for path in "$src"/dsp/*.c; do
	[ -f "$path" ] || continue
	file=${path##*/}
	files=$((files + 1))
	obj=$tmp/${file%.c}.o
	if ! report=$("$cc" "$@" -fopt-info-vec-optimized -c "$path" -o "$obj" 2>&1); then
		printf '%s\n' "$report"
		echo "FAIL $file: does not compile"
		fail=1
		continue
	fi
	got=$(printf '%s\n' "$report" | grep 'loop vectorized using 16 byte vectors' |
		cut -d: -f2 | sort -u | wc -l)
	kernels=$(nm "$obj" | sed -n 's/^[0-9a-f]* [tT] \(.*\)\.default$/\1/p' | sort -u | tr '\n' ' ' | sed 's/ $//')
	[ -n "$kernels" ] && all_kernels=$((all_kernels + $(echo $kernels | wc -w)))
	loops=$(expected "$file")
	if [ "$loops" = none ]; then
		echo "FAIL $file: no expected count in tests/vectorize/check-vectorized.sh" \
			"($got loops vectorized; kernels: ${kernels:-none})"
		fail=1
	elif [ -n "$kernels" ] && [ "$loops" -eq 0 ]; then
		echo "FAIL $file: kernels $kernels but no per-sample loop expected"
		fail=1
	elif [ "$got" -lt "$loops" ]; then
		echo "FAIL $file: $got of $loops per-sample loops vectorized (kernels: ${kernels:-none})"
		fail=1
	else
		echo "ok   $file: $got of $loops per-sample loops vectorized (kernels: ${kernels:-none})"
	fi
done
[ "$files" -gt 0 ] || { echo "FAIL: no dsp/*.c under $src"; exit 1; }
# On x86-64 with GCC every kernel is cloned; none found means the check saw nothing.
if "$cc" "$@" -dM -E - </dev/null | grep -q '__x86_64__'; then
	[ "$all_kernels" -gt 0 ] || { echo "FAIL: no dispatched kernel found by nm"; fail=1; }
fi
exit $fail
