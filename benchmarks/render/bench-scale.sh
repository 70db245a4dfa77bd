#!/bin/sh
# SPDX-License-Identifier: ISC
# bench-scale.sh QUARKS GEN_CHAIN [RUNS] [SIZES]
# How the tools scale with the graph: for chains of 1k, 10k and 100k nodes (gen-chain.sh),
# the median over RUNS (default 5) of the wall time, the CPU time (user + system: steadier than
# the wall time on a shared machine) and the peak memory ("Maximum resident set size" of
# /usr/bin/time) of
#   build:   quarks render -d 1smp GRAPH     (read, check, build the engine, render 1 sample)
#   render:  quarks render -d 1 GRAPH        (the same and one second of audio at 48 kHz)
#   export:  quarks export --carla GRAPH     (to a Carla project)
#   import:  quarks render -d 1smp PROJECT   (read the project back, build, 1 sample)
# A measurement, not a test: the machine's load shows in the figures, so it prints every run.
set -eu
quarks=$1 gen=$2 runs=${3:-5} sizes=${4:-"1000 10000 100000"}
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian: time)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -g | awk '{ v[NR] = $1 } END { print ((NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
measure() { # NAME NODES COMMAND...: prints "NAME NODES median-s median-MB (runs: s/MB ...)"
	name=$1 nodes=$2
	shift 2
	: >"$tmp/t"
	i=0
	while [ "$i" -lt "$runs" ]; do
		/usr/bin/time -f "%e %M %U %S" -o "$tmp/one" "$@" >/dev/null
		cat "$tmp/one" >>"$tmp/t"
		i=$((i + 1))
	done
	s=$(cut -d' ' -f1 "$tmp/t" | median)
	kb=$(cut -d' ' -f2 "$tmp/t" | median)
	cpu=$(awk '{ print $3 + $4 }' "$tmp/t" | median)
	all=$(awk '{ printf "%s%.2f/%.0f", (NR > 1 ? " " : ""), $1, $2 / 1024 }' "$tmp/t")
	printf '%-7s %7s nodes  %7.2f s wall  %7.2f s cpu  %7.0f MB   (runs, s/MB: %s)\n' \
		"$name" "$nodes" "$s" "$cpu" "$(echo "$kb" | awk '{ print $1 / 1024 }')" "$all"
}
for n in $sizes; do
	sh "$gen" "$n" >"$tmp/chain.graph"
	measure build "$n" "$quarks" render -q -d 1smp -o "$tmp/out" "$tmp/chain.graph"
	measure render "$n" "$quarks" render -q -d 1 -o "$tmp/out" "$tmp/chain.graph"
	measure export "$n" "$quarks" export --carla -q -o "$tmp/chain.carxp" "$tmp/chain.graph"
	# The project holds the chain's sources as source plugins: it needs no --input.
	measure import "$n" "$quarks" render -q -d 1smp -o "$tmp/out" "$tmp/chain.carxp"
done
