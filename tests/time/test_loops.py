#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Feedback loops through delays in `quarks render` (docs/graph.md, "Feedback loops").

Usage: test_loops.py recursion|blocks   (QUARKS and LV2_PATH in the environment)
  recursion  a neuron whose output comes back through a delay of 1 sample,
             y[n] = tanh(0.5 x[n] + 0.9 y[n-1]), y[-1] = 0, against that recursion computed
             here sample by sample in double precision (QUARKS.md, "Time scales and feedback")
  blocks     two loops (one through two delays of 1 and 27 samples with fan-in into a delay,
             one a delay of 5 samples around a neuron), fed by a node outside them and feeding
             another: rendered at blocks 1, 7, 256 and 4096 the output files are byte-identical,
             and equal the double-precision reference.Graph
"""
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'attention'))
import reference as R  # noqa: E402
import wavf  # noqa: E402

QUARKS = os.environ.get('QUARKS', 'quarks')
TOL = 1e-5  # relative, as in test_render.py

RECURSION = """rate 48000
duration 9600smp
source x = noise seed=3 amp=1
node n = neuron w1=0.5 w2=0.9 act=tanh
node d = delay delay=1
x -> n.x1
n.out -> d.in
d.out -> n.x2
output y = n.out
"""

BLOCKS = """rate 48000
duration 0.5
source x = sine freq=3 amp=1
source c = noise seed=7 amp=0.2
node pre = neuron w1=1 w2=1
node a = leaky tau=0.005 act=tanh w1=1 w2=0.8 w3=-0.5
node b = neuron w1=1 w2=-0.7 act=sigmoid
node da = delay delay=1
node db = delay delay=3 time=0.5
node post = neuron w1=2 act=relu
node e = neuron w1=1 w2=0.5
node de = delay delay=5
x -> pre.x1
c -> pre.x2
pre.out -> a.x1
a.out -> da.in
da.out -> a.x2, b.x1
b.out -> db.in
a.out -> db.in
db.out -> a.x3
b.out -> post.x1
x -> e.x1
e.out -> de.in
de.out -> e.x2
output ya = a.out
output yb = b.out
output yp = post.out
output ye = e.out
"""


def check(cond, msg):
    print(('ok   ' if cond else 'FAIL ') + msg, flush=True)
    return 0 if cond else 1


def rel(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b))))


def render(text, outputs, blocks):
    """{block: {output: (samples, file bytes)}} for the graph text rendered at each block."""
    d = tempfile.mkdtemp(prefix='qk-loops-')
    graph = os.path.join(d, 'loop.graph')
    with open(graph, 'w') as f:
        f.write(text)
    got = {}
    for block in blocks:
        out = os.path.join(d, str(block))
        subprocess.run([QUARKS, 'render', '-q', graph, '-o', out, '-t', 'float', '-b',
                        str(block)], check=True)
        got[block] = {}
        for o in outputs:
            path = os.path.join(out, o + '.wav')
            with open(path, 'rb') as f:
                got[block][o] = (wavf.read(path)[0], f.read())
    shutil.rmtree(d)
    return got


def recursion():
    rate, n = 48000.0, 9600
    x = R.source('noise', {'seed': '3', 'amp': '1'}, rate, n)
    y = np.empty(n)
    prev = 0.0
    for i in range(n):
        prev = np.tanh(0.5 * x[i] + 0.9 * prev)
        y[i] = prev
    got = render(RECURSION, ['y'], (1, 4096))
    fails = check(got[1]['y'][1] == got[4096]['y'][1],
                  'y[n] = tanh(0.5 x[n] + 0.9 y[n-1]): the same file at blocks 1 and 4096')
    err = float(np.max(np.abs(got[4096]['y'][0] - y)))
    fails += check(err <= TOL, f'against the recursion in double precision: max abs error '
                               f'{err:.2e} over {n} samples (|y| up to '
                               f'{np.max(np.abs(y)):.2f})')
    return fails


def blocks():
    outputs = ['ya', 'yb', 'yp', 'ye']
    got = render(BLOCKS, outputs, (1, 7, 256, 4096))
    ref = R.Graph('blocks.graph', text=BLOCKS).run()
    fails = 0
    for o in outputs:
        same = all(got[b][o][1] == got[4096][o][1] for b in (1, 7, 256))
        fails += check(same, f'{o}: byte-identical files at blocks 1, 7, 256 and 4096')
        err = rel(got[4096][o][0], ref[o])
        fails += check(err <= TOL, f'{o} vs reference.Graph: max rel. error {err:.2e}')
    fails += check(np.max(np.abs(ref['ya'])) > 0.1 and np.max(np.abs(ref['ye'])) > 0.1,
                   'the loops carry signal')
    return fails


if __name__ == '__main__':
    fns = {'recursion': recursion, 'blocks': blocks}
    what = sys.argv[1:] or list(fns)
    total = sum(fns[w]() for w in what)
    print('PASS' if total == 0 else f'FAIL: {total} checks')
    sys.exit(1 if total else 0)
