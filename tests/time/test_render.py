#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""The time-scale quarks through `quarks render` against the double-precision reference
(reference.py, written from QUARKS.md), at blocks 1, 7, 256, 4096 and 8192 and at 44.1, 48 and
96 kHz. Prints the largest error per plugin and output.

Usage: test_render.py plugins|timeconst|all   (QUARKS and LV2_PATH in the environment)
  plugins    every new plugin (each activation where it has one) on random streams: the same
             output at every block size, bit for bit, and within TOL of the reference;
             leaky with tau = 0 equals the neuron bit for bit
  timeconst  step responses: each time constant is reached after tau * rate samples
             (1 - 1/e of a step), at every rate; the delay in ms is round(ms * rate / 1000)
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
import wavf  # noqa: E402  (the repo's float WAV reader)

QUARKS = os.environ.get('QUARKS', 'quarks')
RATES = (44100, 48000, 96000)
BLOCKS = (1, 7, 256, 4096, 8192)
DURATION = 0.25  # seconds: 11025 .. 24000 frames, a few blocks of 8192 at every rate
# Relative error |y - ref| / max(1, |ref|): float32 arithmetic and rounding (6e-8), the
# activations' polynomial exp (1e-6 absolute, docs/PORTS.md), a float32 drive in a double state.
TOL = 1e-5
# A step or sign whose input lies this close to 0 depends on rounding, not on the formulas.
TIE = 1e-5
ACTS = ('linear', 'step', 'sign', 'sigmoid', 'tanh', 'relu')


def check(cond, msg):
    print(('ok   ' if cond else 'FAIL ') + msg, flush=True)
    return 0 if cond else 1


def render(graph, outdir, rate, block, inputs):
    cmd = [QUARKS, 'render', '-q', graph, '-o', outdir, '-t', 'float', '-r', str(rate),
           '-b', str(block)]
    for name, path in inputs.items():
        cmd += ['--input', f'{name}={path}']
    subprocess.run(cmd, check=True)


def read(outdir, names):
    return {n: wavf.read(os.path.join(outdir, n + '.wav'))[0] for n in names}


# ---- random streams ------------------------------------------------------------------------

def streams(rate, frames, rng):
    """Inputs that reach every branch: random x and keys, a gate of random levels held for
    random times (rising and falling steps for attack and release), sparse writes."""
    s = {f'r{i}': rng.uniform(-1, 1, frames) for i in range(1, 5)}
    s['ra'] = rng.uniform(-1, 1, frames)
    for i in range(1, 5):
        s[f'k{i}'] = rng.uniform(-1, 1, frames)

    def held(levels, hold_ms):
        y, pos = np.zeros(frames), 0
        while pos < frames:
            n = int(rng.uniform(*hold_ms) * rate / 1000)
            y[pos:pos + n] = rng.choice(levels) if isinstance(levels, list) else \
                rng.uniform(*levels)
            pos += max(n, 1)
        return y

    s['gate'] = held((0.0, 1.0), (1, 15))
    s['wr'] = held((-1.0, 1.0), (0.5, 4)) * held([0.0, 0.0, 1.0], (1, 6))
    return {k: v.astype(np.float32).astype(np.float64) for k, v in s.items()}


UNIT = 'w1=0.7 w2=-0.4 w3=0.3 w4=0.25 bias=0.1 v=0.5 slope=2'
FAST = 'w1=0.5 w2=0 w3=-0.5 w4=0.2 bias=-0.1 slope=1.5 decay=0.05 eta=2000'


def plugin_graph():
    """Every new plugin, each activation of the two units, as one graph on inputs r1..r4, ra,
    k1..k4, gate, wr. Returns the text and {output: (node, port, family)}."""
    lines, outs = [], {}
    for name in ('r1', 'r2', 'r3', 'r4', 'ra', 'k1', 'k2', 'k3', 'k4', 'gate', 'wr'):
        lines.append(f'input {name}')

    def unit_inputs(node):
        lines.extend(f'r{i} -> {node}.x{i}' for i in range(1, 5))

    for a in ACTS:
        lines.append(f'node lk_{a} = leaky {UNIT} tau=0.002 act={a}')
        unit_inputs(f'lk_{a}')
        lines.append(f'ra -> lk_{a}.attend')
        outs[f'lk_{a}'] = (f'lk_{a}', 'out', 'leaky')
    # tau = 0 is the neuron, sample for sample
    lines.append(f'node lk0 = leaky {UNIT} tau=0 act=tanh')
    lines.append(f'node nr0 = neuron {UNIT} act=tanh')
    for n in ('lk0', 'nr0'):
        unit_inputs(n)
        lines.append(f'ra -> {n}.attend')
        outs[n] = (n, 'out', 'leaky tau=0')
    lines.append('node sg = slow-gate attack=0.003 release=0.02')
    lines += ['r1 -> sg.in', 'gate -> sg.gate']
    outs['sg_out'] = ('sg', 'out', 'slow-gate')
    outs['sg_level'] = ('sg', 'level', 'slow-gate')
    for a in ACTS:
        lines.append(f'node fw_{a} = fast-weight {FAST} act={a}')
        unit_inputs(f'fw_{a}')
        lines.extend(f'k{i} -> fw_{a}.k{i}' for i in range(1, 5))
        lines.append(f'wr -> fw_{a}.write')
        outs[f'fw_{a}'] = (f'fw_{a}', 'out', 'fast-weight')
    for j in range(1, 5):
        outs[f'fw_a{j}'] = ('fw_linear', f'a{j}', 'fast-weight A_j')
    # a write rate that drives the fast weights into their bound of +-100
    lines.append('source one = constant value=1')
    lines.append('node fws = fast-weight w1=1 decay=1 eta=100000')
    lines += ['r1 -> fws.x1', 'one -> fws.k1', 'wr -> fws.write']
    outs['fws'] = ('fws', 'out', 'fast-weight saturated')
    outs['fws_a1'] = ('fws', 'a1', 'fast-weight saturated')
    lines.append('node dl = delay delay=37')
    lines.append('node dlms = delay delay=0 time=2.5')
    lines += ['r1 -> dl.in', 'r2 -> dlms.in']
    outs['dl'] = ('dl', 'out', 'delay')
    outs['dlms'] = ('dlms', 'out', 'delay')
    outs = {f'o_{o}': v for o, v in outs.items()}  # outputs share the nodes' namespace
    for o, (node, port, _) in outs.items():
        lines.append(f'output {o} = {node}.{port}')
    return '\n'.join(lines) + '\n', outs


def plugins():
    fails = 0
    text, outs = plugin_graph()
    worst = {}
    for rate in RATES:
        d = tempfile.mkdtemp(prefix='qk-time-')
        graph = os.path.join(d, 'plugins.graph')
        with open(graph, 'w') as f:
            f.write(text)
        frames = int(DURATION * rate)
        ins = streams(rate, frames, np.random.default_rng(rate))
        files = {}
        for k, v in ins.items():
            files[k] = os.path.join(d, k + '.wav')
            wavf.write(files[k], v, rate)
        g = R.Graph(graph, rate=rate, files=ins, text=text)
        ref = g.run(frames)
        renders = {}
        for block in BLOCKS:
            od = os.path.join(d, f'b{block}')
            render(graph, od, rate, block, files)
            renders[block] = read(od, outs)
        base = renders[BLOCKS[-1]]
        same = all(np.array_equal(renders[b][o], base[o]) for b in BLOCKS for o in outs)
        fails += check(same, f'{rate} Hz: every output identical at blocks {BLOCKS}')
        fails += check(np.array_equal(base['o_lk0'], base['o_nr0']),
                       f'{rate} Hz: leaky tau=0 equals the neuron bit for bit')
        for o, (node, port, fam) in outs.items():
            y, r = base[o], ref[f'{node}.{port}']
            mask = np.ones(len(r), bool)
            if port == 'out' and g.instances[node].c.get('act') in (1, 2):
                mask = np.abs(np.concatenate(g.pre[node])) >= TIE
                assert mask.mean() > 0.99, 'too many ties: change the streams'
            err = float(np.max(np.abs(y - r)[mask] / np.maximum(1.0, np.abs(r[mask]))))
            worst[(fam, rate)] = max(worst.get((fam, rate), 0.0), err)
            fails += check(err <= TOL, f'{rate} Hz: {o} ({fam}) max rel. error {err:.2e}')
        a1 = base['o_fws_a1']
        fails += check(np.max(np.abs(a1)) == R.FAST_MAX,
                       f'{rate} Hz: a fast weight written hard stops at +-100 '
                       f'(max |A| = {np.max(np.abs(a1)):g})')
        shutil.rmtree(d)
    print('\nlargest relative error vs the reference, per plugin (every block size gives the '
          'same output):')
    print('  ' + 'plugin'.ljust(24) + ''.join(f'{r:>10} Hz' for r in RATES))
    for f in sorted({f for f, _ in worst}):
        print('  ' + f.ljust(24) + ''.join(f'{worst[(f, r)]:13.2e}' for r in RATES))
    return fails


# ---- time constants ------------------------------------------------------------------------

TC = """
source one = constant value=1
source cue = pulse period=10 duty=0.05       # 1 for the first 0.5 s, then 0
source wr = pulse period=10 duty=0.002       # a write of 20 ms at the start
source imp = pulse period=1000000smp duty=0.0000001   # 1 at sample 0 only
node lk = leaky tau=0.0201
node sg = slow-gate attack=0.0203 release=0.1007
node fw = fast-weight decay=0.1503 eta=50
node dl = delay delay=0 time=10.3
one -> lk.x1
cue -> sg.gate
wr -> fw.write
one -> fw.k1, fw.x1
imp -> dl.in
output o_lk = lk.out
output o_sg = sg.level
output o_fw = fw.a1
output o_dl = dl.out
"""


def first(cond):
    i = np.flatnonzero(cond)
    return int(i[0]) if len(i) else -1


def timeconst():
    fails = 0
    e1 = 1.0 - np.exp(-1.0)
    taus = {'lk': 0.0201, 'attack': 0.0203, 'release': 0.1007, 'decay': 0.1503}
    seen = {}
    for rate in RATES:
        d = tempfile.mkdtemp(prefix='qk-tc-')
        graph = os.path.join(d, 'tc.graph')
        with open(graph, 'w') as f:
            f.write(TC)
        frames = int(0.8 * rate)
        subprocess.run([QUARKS, 'render', '-q', graph, '-o', d, '-t', 'float', '-r',
                        str(rate), '-d', f'{frames}smp'], check=True)
        y = {k[2:]: v for k, v in read(d, ('o_lk', 'o_sg', 'o_fw', 'o_dl')).items()}
        # out[n] = 1 - alpha^(n + 1): the first n at or above 1 - 1/e has n + 1 >= tau r
        got = {
            'lk': first(y['lk'] >= e1) + 1,
            'attack': first(y['sg'] >= e1) + 1,
        }
        off = int(0.5 * rate)  # the cue ends: G decays from G[off - 1]
        g0 = y['sg'][off - 1]
        got['release'] = first(y['sg'][off:] <= g0 * np.exp(-1.0)) + 1
        w_end = first(y['fw'][1:] < y['fw'][:-1]) + 1  # the first sample without a write
        a0 = y['fw'][w_end - 1]
        got['decay'] = first(y['fw'][w_end:] <= a0 * np.exp(-1.0)) + 1
        for k, n in got.items():
            tau = float(np.float32(taus[k]))
            want = int(np.ceil(tau * rate))
            seen.setdefault(k, []).append(n / rate)
            fails += check(abs(n - want) <= 1,
                           f'{rate} Hz: {k}: 1/e point after {n} samples = {1e3 * n / rate:.3f}'
                           f' ms (tau * rate = {tau * rate:.2f})')
        n_dl = first(y['dl'] != 0)
        want = int(np.floor(float(np.float32(10.3)) * rate / 1000 + 0.5))
        fails += check(n_dl == want, f'{rate} Hz: delay of 10.3 ms = {n_dl} samples '
                                     f'(round(10.3 * rate / 1000) = {want})')
        shutil.rmtree(d)
    for k, ts in seen.items():
        spread = max(ts) - min(ts)
        fails += check(spread <= 1.0 / min(RATES) + 1e-12,
                       f'{k}: the same time at every rate (spread {1e6 * spread:.1f} us)')
    return fails


if __name__ == '__main__':
    what = sys.argv[1] if len(sys.argv) > 1 else 'all'
    total = 0
    if what in ('plugins', 'all'):
        total += plugins()
    if what in ('timeconst', 'all'):
        total += timeconst()
    print('PASS' if total == 0 else f'FAIL: {total} checks')
    sys.exit(1 if total else 0)
