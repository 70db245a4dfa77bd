#!/bin/sh
# SPDX-License-Identifier: ISC
# Builds the libFuzzer targets with clang: sh build-fuzzers.sh OUTDIR
# (the parser and renderer sources are compiled here with -fsanitize=fuzzer,address,undefined;
# meson builds the same targets with the normal compiler as corpus replayers).
# Exit status 77 when clang or libFuzzer is missing.
set -eu
out=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null 2>&1 || { echo "no $cc: libFuzzer targets not built"; exit 77; }
mkdir -p "$out"
flags="-std=c11 -g -O1 -Wall -Wextra -Werror -fno-sanitize-recover=undefined
  -fsanitize=fuzzer,address,undefined -I$src/tools/quarks -I$src/dsp -I$src/tests/fuzz"
probe=$out/probe.c
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; return (int)n * 0; }' >"$probe"
if ! $cc -fsanitize=fuzzer,address "$probe" -o "$out/probe" 2>/dev/null; then
	echo "$cc has no libFuzzer runtime (Debian: libclang-rt-14-dev): targets not built"
	exit 77
fi
rm -f "$probe" "$out/probe"
# The renderer's library as meson builds it (tools/quarks/meson.build): every file but main()
# and the subcommands, compiled once with the fuzzing flags.
q=$src/tools/quarks
deps="lilv-0 sndfile cairo"
pkg-config --exists libxml-2.0 && deps="$deps libxml-2.0"
pkg-config --exists jack && deps="$deps jack"
# shellcheck disable=SC2086
cflags=$(pkg-config --cflags $deps)
# shellcheck disable=SC2086
libs=$(pkg-config --libs $deps)
objs=$out/obj
rm -rf "$objs"
mkdir -p "$objs"
for f in "$q"/*.c "$src/dsp/source.c"; do
	case $(basename "$f") in main.c|cmd_*.c) continue ;; esac
	# shellcheck disable=SC2086
	$cc $flags $cflags -c "$f" -o "$objs/$(basename "$f" .c).o" &
	pids="${pids:-} $!"
done
for p in $pids; do wait "$p" || { echo "compiling the renderer for fuzzing failed"; exit 1; }; done
ar rcs "$out/libquarksfuzz.a" "$objs"/*.o
for t in graph render engine carla; do
	src_file=$src/tests/fuzz/fuzz_$t.c def=""
	[ "$t" = engine ] && src_file=$src/tests/fuzz/fuzz_render.c def=-DQK_FUZZ_ENGINE
	# shellcheck disable=SC2086
	$cc $flags $def $cflags -o "$out/quarks_fuzz_$t" "$src_file" "$out/libquarksfuzz.a" $libs -lm
done
echo "built quarks_fuzz_graph, _render, _engine and _carla in $out"
