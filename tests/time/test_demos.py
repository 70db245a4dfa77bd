#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""The time-scale demos against the reference and against what their READMEs say.

Usage: test_demos.py persist|memory|stream|wta   (QUARKS and LV2_PATH in the environment)
  persist  demos/attention-persists: render (blocks 7 and 4096) = reference; the gate holds
           on after its cue and is at 1/e of its hold after the release time
  memory   demos/fast-weight-memory: render = reference; each recall is the value written,
           times exp(-elapsed / decay)
  stream   demos/stream-attention: render = reference, and every output equals the causal
           linear attention sum over the whole past, computed directly (not as a recurrence)
           from the head's queries, keys and values
  wta      demos/winner-take-all (feedback loops through delays): render (blocks 7 and 4096)
           = reference; in the render the strongest stimulus wins and the switches come late
           both ways (hysteresis), where the README says
"""
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
DEMOS = os.path.join(ROOT, 'demos')
sys.path.insert(0, os.path.join(ROOT, 'tools', 'attention'))
import reference as R  # noqa: E402
import wavf  # noqa: E402

QUARKS = os.environ.get('QUARKS', 'quarks')
TOL = 1e-5  # relative, as in test_render.py


def check(cond, msg):
    print(('ok   ' if cond else 'FAIL ') + msg, flush=True)
    return 0 if cond else 1


def rel(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(1.0, np.abs(b))))


def render_and_compare(graph):
    """Renders graph at two block sizes; returns (fails, reference signals, rendered outputs)."""
    fails = 0
    g = R.Graph(graph)
    ref = g.run()
    d = tempfile.mkdtemp(prefix='qk-demo-')
    got = {}
    for block in (7, 4096):
        out = os.path.join(d, str(block))
        subprocess.run([QUARKS, 'render', '-q', graph, '-o', out, '-t', 'float', '-b',
                        str(block)], check=True)
        got[block] = {o: wavf.read(os.path.join(out, o + '.wav'))[0] for o in g.outputs}
    shutil.rmtree(d)
    name = os.path.relpath(graph, ROOT)
    for o in g.outputs:
        fails += check(np.array_equal(got[7][o], got[4096][o]),
                       f'{name}: {o} identical at blocks 7 and 4096')
        err = rel(got[4096][o], ref[o])
        fails += check(err <= TOL, f'{name}: {o} vs reference, max rel. error {err:.2e}')
    return fails, ref, got[4096], g.rate


def persist():
    fails, ref, _, rate = render_and_compare(
        os.path.join(DEMOS, 'attention-persists', 'persist.graph'))
    level = ref['att1.level']
    end = int(0.6 * rate)  # the cue ends
    hold = level[end - 1]
    fails += check(hold > 0.99, f'att1 opens within the 100 ms cue (G = {hold:.4f})')
    after = level[end - 1 + int(round(float(np.float32(0.8)) * rate))]  # tau * rate later
    fails += check(abs(after / hold - math.exp(-1)) < 1e-3,
                   f'0.8 s after the cue att1 holds {after / hold:.4f} of it (1/e = 0.3679)')
    fails += check(level[int(2.0 * rate)] > 0.1,
                   f'att1 still attends x1 when cue2 comes, 1.4 s after its cue '
                   f'(G = {level[int(2.0 * rate)]:.3f})')
    fails += check(np.all(ref['y_now'][end + 10:int(2.0 * rate)] == 0),
                   'the memoryless output gate lets go when the cue does')
    return fails


def memory():
    fails, ref, got, rate = render_and_compare(
        os.path.join(DEMOS, 'fast-weight-memory', 'memory.graph'))
    tau = float(np.float32(4.0))
    recall = got['recall']
    # value, end of its write (s), recall times (s)
    for value, written, times in ((0.8, 0.35, (1.0, 3.0, 5.0)), (-0.5, 0.6, (1.5, 3.5, 5.5))):
        for t in times:
            n = int((t + 0.05) * rate)  # the middle of the 100 ms recall
            # the write lasts T = 0.1 s and decays while it is written: eta u T (tau / T)
            # (1 - exp(-T / tau)) at its end, then exp(-elapsed / tau)
            T = 0.1
            want = value * tau / T * (1 - math.exp(-T / tau)) * \
                math.exp(-(t + 0.05 - written) / tau)
            fails += check(abs(recall[n] / want - 1) < 1e-3,
                           f'recall at {t} s = {recall[n]:+.4f} (written {value:+}, '
                           f'faded {want:+.4f})')
    fails += check(np.all(recall[:int(0.95 * rate)] == 0),
                   'nothing comes out before the first recall (static weights 0)')
    return fails


def stream():
    fails, ref, got, rate = render_and_compare(
        os.path.join(DEMOS, 'stream-attention', 'stream.graph'))
    # QUARKS.md: o_i[n] = sum_{s <= n} lambda^(n-s) eta v_i[s] (phi(key[s]) . phi(query[n])),
    # eta per sample = 1 / rate here (eta = 1 per second); z is the same with v = 1.
    lam = R.alpha(float(np.float32(1.0)), rate)
    eta = 1.0 / rate
    q = np.stack([ref['q1.out'], ref['q2.out']])
    k = np.stack([ref['k1.out'], ref['k2.out']])
    v = {'o1': ref['v1.out'], 'o2': ref['v2.out'], 'z': np.ones(q.shape[1])}
    points = np.linspace(0, q.shape[1] - 1, 61).astype(int)
    worst = {o: 0.0 for o in v}
    for n in points:
        s = np.arange(n + 1)
        weight = np.exp((n - s) * math.log(lam)) * eta * (q[:, n] @ k[:, :n + 1])
        for o in v:
            direct = float(np.sum(weight * v[o][:n + 1]))
            worst[o] = max(worst[o], abs(got[o][n] - direct) / max(1.0, abs(direct)))
    for o in v:
        fails += check(worst[o] <= TOL,
                       f'{o} = causal linear attention over the whole past, summed directly '
                       f'at 61 instants: max rel. error {worst[o]:.2e}')
    text = open(os.path.join(DEMOS, 'stream-attention', 'stream.graph')).read()
    n_nodes = sum(1 for line in text.splitlines() if line.startswith('node '))
    fails += check(n_nodes == 9, f'a constant cost per sample: {n_nodes} nodes whatever the '
                                 'length of the stream')
    return fails


def wta():
    fails, _, sig, rate = render_and_compare(
        os.path.join(DEMOS, 'winner-take-all', 'wta.graph'))
    o = np.stack([sig['o1'], sig['o2'], sig['o3']])
    winner = np.argmax(o, axis=0)
    switches = np.flatnonzero(np.diff(winner)) + 1
    settled = switches[switches > int(0.2 * rate)]  # the start sorts itself out in ~50 ms
    ts = settled / rate
    fails += check(np.all(winner[int(0.2 * rate):int(2.6 * rate)] == 0),
                   'unit 1 (I1 = 0.6) wins from the start against I2 < 0.6 and I3 = 0.4')
    fails += check(len(ts) == 2 and 2.67 < ts[0] < 3.2 and winner[settled[0]] == 1,
                   f'unit 2 takes over at {ts[0]:.2f} s: after I2 passes I1 (2 s), once '
                   f'I2 > 1.25 I1 (2.67 s)' if len(ts) else 'a switch to unit 2')
    fails += check(len(ts) == 2 and 6.52 < ts[1] < 7.1 and winner[settled[1]] == 0,
                   f'unit 1 takes back at {ts[1]:.2f} s: after I2 falls below I1 (6 s), once '
                   f'I1 > 1.25 I2 (6.52 s)' if len(ts) == 2 else 'a switch back to unit 1')
    fails += check(np.max(sig['o3'][int(0.2 * rate):]) == 0,
                   'unit 3 (I3 = 0.4) is silenced after the start')
    on = o[:, int(0.2 * rate):]
    fails += check(np.all(np.sum(on > 1e-3, axis=0) <= 2),
                   'never more than two units active at once (only during a hand-over)')
    return fails


if __name__ == '__main__':
    fns = {'persist': persist, 'memory': memory, 'stream': stream, 'wta': wta}
    what = sys.argv[1:] or list(fns)
    total = sum(fns[w]() for w in what)
    print('PASS' if total == 0 else f'FAIL: {total} checks')
    sys.exit(1 if total else 0)
