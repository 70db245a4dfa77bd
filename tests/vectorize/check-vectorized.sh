#!/bin/sh
# The DSP kernels must run on packed vectors, whatever the instruction set.
# They are written with vector intrinsics (dsp/simd.h, dsp/kernels.h) and
# compiled once per instruction set; this compiles each kernels_<isa>.c with
# the build's compiler and flags (plus that object's -march), disassembles it
# and checks every kernel of the table: it must do packed float arithmetic
# (...ps instructions) and no scalar float arithmetic (...ss), so no frame is
# ever computed one lane at a time, the last partial vector of a block
# included. The one exception is divss: 1/T of a softmax, once per call.
# Usage: check-vectorized.sh CC SOURCE_DIR FLAGS...
set -u
cc=$1 src=$2
shift 2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
kernels="activate neuron output_gate synaptic_gate activation_gate additive_output
additive_synapse softmax attention_head quadratic"
for isa in sse2 avx2; do
	march=""
	[ "$isa" = avx2 ] && march="-march=x86-64-v3"
	if ! "$cc" "$@" $march -I"$src/dsp" -c "$src/dsp/kernels_$isa.c" -o "$tmp/$isa.o" 2>"$tmp/err"; then
		echo "FAIL kernels_$isa.c does not compile:"; cat "$tmp/err"; fail=1; continue
	fi
	objdump -d --no-show-raw-insn "$tmp/$isa.o" >"$tmp/$isa.s"
	for k in $kernels; do
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
done
exit $fail
