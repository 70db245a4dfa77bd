#!/bin/sh
# SPDX-License-Identifier: ISC
# check-overwrite.sh QUARKS VECTORS_DIR
# No output path may be an input or another output of the same command, whatever way it is
# spelt (./x, a symbolic or hard link): the command exits with status 2, says which two paths
# clash, and leaves every file as it was (nothing created, nothing changed).
set -u
quarks=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") vectors=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
cp "$vectors/xor.graph" x.graph
mkdir -p r/inputs in
cp "$vectors/relu.graph" r/
cp "$vectors/inputs/ramp.wav" r/inputs/
cp "$vectors/inputs/ramp.wav" in/relu.wav
cp "$vectors/expected/xor/xor.wav" a.wav
ln -s x.graph link.graph
ln x.graph hard.graph
"$quarks" export --carla -q -o p.carxp x.graph || { echo "FAIL: export" >&2; exit 1; }
state() { find . | sort; find . -type f | sort | xargs cksum; }
state >"$tmp.before"
fail=0
refuse() { # TEXT COMMAND...: exit 2, TEXT on stderr, nothing changed
	text=$1
	shift
	"$quarks" "$@" >"$tmp.out" 2>"$tmp.err"
	rc=$?
	if [ "$rc" -ne 2 ]; then
		echo "FAIL: quarks $*: exit $rc, expected 2"; cat "$tmp.err"; fail=1
	elif ! grep -qF -- "$text" "$tmp.err"; then
		echo "FAIL: quarks $*: expected '$text', got:"; cat "$tmp.err"; fail=1
	elif ! state | cmp -s - "$tmp.before"; then
		echo "FAIL: quarks $*: files changed"; state | diff "$tmp.before" -; fail=1
	else
		echo "ok: quarks $*: $(head -1 "$tmp.err")"
	fi
}
# The plot over the graph, however the graph's path is written.
refuse "the plot 'x.graph' is the graph 'x.graph'" render -q x.graph -o out -p x.graph
refuse "the plot './x.graph' is the graph 'x.graph'" render -q x.graph -o out -p ./x.graph
refuse "the plot 'link.graph' is the graph" render -q x.graph -o out -p link.graph
refuse "the plot 'hard.graph' is the graph" render -q x.graph -o out -p hard.graph
refuse "the plot '$tmp/x.graph' is the graph" render -q x.graph -o out -p "$tmp/x.graph"
# The plot over a sound file the graph reads, an output over an --input file.
refuse "the plot 'r/inputs/ramp.wav' is the input file" render -q r/relu.graph -o out \
	-p r/inputs/ramp.wav
refuse "output 'relu' 'in/relu.wav' is the input file 'in/relu.wav'" render -q r/relu.graph \
	-i s=in/relu.wav -o in
# The plot at an output's path, in a folder that exists or one still to be made.
refuse "the plot 'out/xor.wav' is the same file as output 'xor' ('out/xor.wav')" \
	render -q x.graph -o out -p out/xor.wav
refuse "the plot 'new/./sub/../xor.wav' is the same file as output 'xor'" \
	render -q x.graph -o new -p new/./sub/../xor.wav
# quarks plot and quarks export.
refuse "the plot 'a.wav' is the input 'a.wav'" plot -o a.wav a.wav
refuse "the plot './a.wav' is the input 'a.wav'" plot -o ./a.wav x.graph a.wav
refuse "the project 'x.graph' is the graph 'x.graph'" export --carla -q -o x.graph x.graph
refuse "the project 'p.carxp' is the graph 'p.carxp'" export --carla -q p.carxp
refuse "the project 'r/inputs/ramp.wav' is the input file" export --carla -q \
	-o r/inputs/ramp.wav r/relu.graph
# Paths of their own are fine.
"$quarks" render -q x.graph -o out -p out/plot.png && [ -f out/xor.wav ] && [ -f out/plot.png ] ||
	{ echo "FAIL: a render with paths of its own"; fail=1; }
rm -f "$tmp.before" "$tmp.out" "$tmp.err"
[ "$fail" -eq 0 ] && echo ok
exit "$fail"
