#!/bin/sh
# SPDX-License-Identifier: ISC
# gen-chain.sh N: prints a graph of N plugin instances in a chain, for the scale benchmark
# (bench-scale.sh). Two sources; every node takes the previous one's output, and the kinds,
# settings and presets vary so that every lookup a real graph makes is made: labels (act=tanh),
# numbers, presets (every 50th node), fan-in (every 10th node also adds source b) and fan-out.
set -eu
n=$1
awk -v n="$n" 'BEGIN {
  print "# a chain of " n " nodes (benchmarks/render/gen-chain.sh)"
  print "rate 48000"
  print "source a = sine freq=110 amp=2"
  print "source b = noise seed=1 amp=0.1"
  split("linear tanh sigmoid relu step sign", acts, " ")
  prev = "a"
  for (i = 0; i < n; i++) {
    k = i % 4
    if (i % 50 == 49)
      k = 4
    if (k == 4)
      printf "node n%d = neuron preset=or w3=0.25\n", i
    else if (k == 0)
      printf "node n%d = neuron w1=0.9 bias=0.01 act=%s\n", i, acts[i % 6 + 1]
    else if (k == 1)
      printf "node n%d = output-gate act=sigmoid a=2\n", i
    else if (k == 2)
      printf "node n%d = synaptic-gate w1=1 w2=0.5 act=tanh\n", i
    else
      printf "node n%d = additive-output k=0.5\n", i
    port = (k == 1 || k == 3) ? "in" : "x1"
    printf "%s -> n%d.%s\n", prev, i, port
    if (k == 1 || k == 3)
      printf "b -> n%d.gate\n", i
    else if (i % 10 == 0)
      printf "b -> n%d.x2\n", i
    prev = "n" i ".out"
  }
  print "output y = " prev
  print "output z = n0.out"
}'
