#!/bin/sh
# SPDX-License-Identifier: ISC
# Short fuzzing run from the committed seed corpus: sh run-fuzz.sh OUTDIR SECONDS [BUNDLE_DIR]
# Builds the libFuzzer targets (build-fuzzers.sh) and gives each of the four SECONDS/4 of
# fuzzing, starting from a copy of the corpus (the committed one is never changed) and the
# crash reproducers (tests/fuzz/crashes/, replayed first). A crash,
# leak or sanitizer report fails the run and leaves its input in OUTDIR/crashes/.
# BUNDLE_DIR holds quarks.lv2 (default: build/lv2) for the engine target.
# Exit status: 0 no crash, 1 a crash, 77 clang/libFuzzer missing (nothing run).
set -u
out=$1 seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
bundle=${3:-$here/../../build/lv2}
sh "$here/build-fuzzers.sh" "$out" || exit $?
out=$(cd "$out" && pwd) # absolute: LV2_PATH below must not be relative
# A minimal LV2_PATH: the quarks bundle and the specs it uses, so lilv loads fast.
lv2=$out/lv2
mkdir -p "$lv2" "$out/crashes"
for b in core presets port-props units; do
	[ -d "/usr/lib/lv2/$b.lv2" ] && ln -sfn "/usr/lib/lv2/$b.lv2" "$lv2/$b.lv2"
done
ln -sfn "$(cd "$bundle" && pwd)/quarks.lv2" "$lv2/quarks.lv2"
each=$((seconds / 4))
[ "$each" -ge 1 ] || each=1
status=0
for t in graph render engine carla; do
	seeds=$here/corpus/$t crashes=$here/crashes/$t
	[ "$t" = engine ] && seeds=$here/corpus/render crashes=$here/crashes/render
	work=$out/work-$t
	rm -rf "$work"
	mkdir -p "$work"
	cp "$seeds"/* "$work"/
	LV2_PATH=$lv2 "$out/quarks_fuzz_$t" -max_total_time="$each" -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$t-" "$work" "$crashes" >"$out/fuzz-$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz-$t.log")
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $t: ${runs:-?} executions in ${each} s, no crash"
	else
		echo "fuzz $t: FAILED (exit $rc), see $out/fuzz-$t.log and $out/crashes/"
		grep -E "ERROR|SUMMARY" "$out/fuzz-$t.log" | head -5
		status=1
	fi
done
exit $status
