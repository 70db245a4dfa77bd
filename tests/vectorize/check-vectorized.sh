#!/bin/sh
# SPDX-License-Identifier: ISC
# The DSP inner loops must run on packed vectors.
# 1. The memoryless kernels (dsp/kernels.h) are written with vector intrinsics (dsp/simd.h)
#    and compiled once per instruction set: each kernels_<isa>.c is compiled with the build's
#    compiler and flags (plus that object's -march) and disassembled, and every kernel of its
#    table (every qk_<isa>_* function nm finds, not a list) must do packed float arithmetic
#    (...ps) and no scalar float arithmetic (...ss), so no frame is ever computed one lane at a
#    time, the last partial vector of a block included. The one exception is divss: 1/T of a
#    softmax, once per call.
# 2. Every other dsp/*.c (whatever files there are) is compiled with -fopt-info-vec-optimized
#    and the distinct loops GCC reports as vectorized are counted against the number of
#    per-sample loops in the file, below. A file without an expected count fails, naming the
#    kernels in it (the functions built for runtime CPU dispatch, QK_CLONES in dsp/clones.h,
#    found by nm as their ".default" clone).
# Usage: check-vectorized.sh CC SOURCE_DIR FLAGS...
set -u
cc=$1 src=$2
shift 2

# Per-sample loops per file (0: no per-sample loop in it, only helpers; isa: part 1).
expected() {
	case $1 in
	kernels_sse2.c | kernels_avx2.c) echo isa ;;
	# the plain C table: the portable fallback, checked by the tests, not for vectors
	kernels_c.c) echo 0 ;;
	dispatch.c) echo 0 ;;
	# constant, pulse, ramp, sine; the noise loop calls the hash per sample and stays scalar
	source.c) echo 4 ;;
	# the stateful quarks: the recurrences are serial; the drive, weight and gain loops
	# around them are per-sample vector loops (the leaky drive and the fast-weight synapses are
	# the neuron's and the additive synapse's kernels: part 1)
	delay.c) echo 0 ;;
	leaky.c) echo 0 ;;
	slow_gate.c) echo 1 ;;
	fast_weight.c) echo 3 ;;
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
fail=0 files=0 all_kernels=0 isa_kernels=0
for path in "$src"/dsp/*.c; do
	[ -f "$path" ] || continue
	file=${path##*/}
	files=$((files + 1))
	obj=$tmp/${file%.c}.o
	loops=$(expected "$file")
	if [ "$loops" = isa ]; then
		isa=${file#kernels_}
		isa=${isa%.c}
		march=""
		[ "$isa" = avx2 ] && march="-march=x86-64-v3"
		# shellcheck disable=SC2086
		if ! "$cc" "$@" $march -I"$src/dsp" -c "$path" -o "$obj" 2>"$tmp/err"; then
			echo "FAIL $file does not compile:"
			cat "$tmp/err"
			fail=1
			continue
		fi
		objdump -d --no-show-raw-insn "$obj" >"$tmp/$isa.s"
		for k in $(nm "$obj" | sed -n "s/^[0-9a-f]* [tT] qk_${isa}_\(.*\)$/\1/p" | sort -u); do
			isa_kernels=$((isa_kernels + 1))
			body=$(awk -v f="<qk_${isa}_$k>:" '$2 == f {on = 1; next} on && /^$/ {exit} on' "$tmp/$isa.s")
			packed=$(printf '%s\n' "$body" | grep -cE '\s(v?(add|sub|mul|div|min|max)ps|vfn?m(add|sub)[0-9]+ps)\s')
			scalar=$(printf '%s\n' "$body" | grep -cE '\s(v?(add|sub|mul|min|max|sqrt)ss|vfn?m(add|sub)[0-9]+ss|v?cvt\w*ss)\s')
			if [ "$packed" -eq 0 ] || [ "$scalar" -ne 0 ]; then
				echo "FAIL $isa $k: $packed packed, $scalar scalar float instructions"
				fail=1
			else
				echo "ok   $isa $k: $packed packed, no scalar float arithmetic"
			fi
		done
		continue
	fi
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
# On x86-64 with GCC every kernel is cloned or in an instruction-set table; none found means
# the check saw nothing.
if "$cc" "$@" -dM -E - </dev/null | grep -q '__x86_64__'; then
	[ "$all_kernels" -gt 0 ] || { echo "FAIL: no dispatched kernel found by nm"; fail=1; }
	[ "$isa_kernels" -gt 0 ] || { echo "FAIL: no kernels_<isa>.c kernel found by nm"; fail=1; }
fi
exit $fail
