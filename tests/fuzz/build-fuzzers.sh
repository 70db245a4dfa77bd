#!/bin/sh
# SPDX-License-Identifier: ISC
# Builds the libFuzzer targets with clang: sh build-fuzzers.sh OUTDIR
# A meson build of the project in OUTDIR/build with clang, AddressSanitizer, UBSan and
# -Dfuzzing=true (tests/fuzz/meson.build): the renderer's library is the one meson builds,
# so no list of its files is kept here. The targets are copied to OUTDIR/quarks_fuzz_*.
# Exit status 77 when clang or libFuzzer is missing.
set -eu
out=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null 2>&1 || { echo "no $cc: libFuzzer targets not built"; exit 77; }
mkdir -p "$out"
probe=$out/probe.c
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; return (int)n * 0; }' >"$probe"
if ! $cc -fsanitize=fuzzer,address "$probe" -o "$out/probe" 2>/dev/null; then
	echo "$cc has no libFuzzer runtime (Debian: libclang-rt-14-dev): targets not built"
	exit 77
fi
rm -f "$probe" "$out/probe"
b=$out/build
if [ ! -f "$b/build.ninja" ]; then
	CC=$cc meson setup "$b" "$src" -Dbuildtype=debugoptimized -Db_sanitize=address,undefined \
		-Db_lundef=false -Dc_args='-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined' \
		-Dfuzzing=true -Dtools=enabled -Dtests=enabled -Dcapacity=enabled \
		-Dbenchmarks=disabled >"$out/setup.log" 2>&1 ||
		{ cat "$out/setup.log"; echo "configuring the fuzzing build failed"; exit 1; }
fi
targets=""
for t in graph render engine carla; do targets="$targets tests/fuzz/quarks_fuzz_$t"; done
# shellcheck disable=SC2086
ninja -C "$b" $targets >"$out/build.log" 2>&1 ||
	{ tail -40 "$out/build.log"; echo "compiling the renderer for fuzzing failed"; exit 1; }
for t in graph render engine carla; do cp "$b/tests/fuzz/quarks_fuzz_$t" "$out/"; done
echo "built quarks_fuzz_graph, _render, _engine and _carla in $out"
