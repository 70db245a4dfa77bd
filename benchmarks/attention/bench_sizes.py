#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Cost of one attention head at each fused size (4x2, 8x4, 16x4 tokens x dimension), in one run:
ns per sample of the fused plugin, of the patched graph in the renderer, and of PyTorch and numpy
computing the same head over a batch of samples in one call; then how each grows from 4x2 to
16x4 against m n^2 (the output-gating products), which grows 32 times.

Every figure is CPU time, so that other processes on a shared machine count less than in wall
time. The fused plugin: bench-fused (BENCH_FUSED) hosts it through lilv and times run() at block
256 in its own thread. The patched graph: `quarks render` of it minus a baseline render (the same
noise inputs wired straight to as many outputs: sources, WAV writing, engine), CPU time of the
child process, rounds interleaved over all sizes. PyTorch (torch.nn.MultiheadAttention, float32,
no grad, one thread like the plugin) and numpy (matmul and exp, float32, OPENBLAS_NUM_THREADS=1
from the benchmark's environment) get the render's samples as one batch (frames, n, m) in one
call. Medians over the rounds.
Usage: bench_sizes.py [SECONDS_OF_AUDIO [ROUNDS]]
(QUARKS, BENCH_FUSED and LV2_PATH in the environment)."""
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
GEN = os.path.join(ROOT, 'tools', 'attention', 'gen_head.py')
QUARKS = os.environ.get('QUARKS', 'quarks')
BENCH_FUSED = os.environ.get('BENCH_FUSED', 'bench-fused')
FUSED = {(4, 2): 'attention-head', (8, 4): 'attention-head-8x4', (16, 4): 'attention-head-16x4'}
RATE = 48000
SIZES = [(4, 2), (8, 4), (16, 4)]  # tokens n, dimension m (= D = m_v), one head


def graphs(d, n, m, seconds):
    base = os.path.join(d, f'{n}x{m}')
    p, f, b = base + '-patched.graph', base + '-fused.graph', base + '-baseline.graph'
    subprocess.run(['/usr/bin/python3', GEN, '-n', str(n), '-m', str(m), '--random', '5',
                    '-T', repr(math.sqrt(m)), '--duration', repr(seconds), '-o', p, '--fused', f],
                   check=True, capture_output=True)
    lines = [ln for ln in open(f) if ln.startswith(('rate', 'duration', 'input'))]
    lines += [f'output o{i}_{c} = x{i}_{c}\n' for i in range(1, n + 1) for c in range(1, m + 1)]
    open(b, 'w').writelines(lines)
    return {'fused': f, 'patched': p, 'baseline': b}


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_render(graph, out):
    t = children_cpu()
    subprocess.run([QUARKS, 'render', '-q', graph, '-o', out], check=True)
    return children_cpu() - t


def weights(n, m):
    rng = np.random.default_rng(n * 10 + m)
    return [rng.uniform(-1, 1, (m, m)).astype(np.float32) / math.sqrt(m) for _ in range(3)]


def numpy_head(x, wq, wk, wv, temp):
    q, k, v = x @ wq.T, x @ wk.T, x @ wv.T
    s = q @ k.transpose(0, 2, 1) / np.float32(temp)
    s -= s.max(axis=2, keepdims=True)
    a = np.exp(s)
    a /= a.sum(axis=2, keepdims=True)
    return a @ v


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    frames = int(seconds * RATE)
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
    cost = {s: {} for s in SIZES}
    with tempfile.TemporaryDirectory() as d:
        g = {s: graphs(d, *s, seconds) for s in SIZES}
        for s in SIZES:
            del g[s]['fused']  # timed in-process below
        times = {s: {k: [] for k in g[s]} for s in SIZES}
        for _ in range(rounds):
            for s in SIZES:
                for k, path in g[s].items():
                    times[s][k].append(timed_render(path, d))
        for s in SIZES:
            cost[s]['patched'] = statistics.median(
                (t - b) / frames * 1e9 for t, b in zip(times[s]['patched'], times[s]['baseline']))
    for s in SIZES:
        out = subprocess.run([BENCH_FUSED, 'https://quarks-lv2.github.io/lv2/' + FUSED[s],
                              str(frames), str(2 * rounds + 1)], check=True,
                             capture_output=True, text=True).stdout
        cost[s]['fused'] = float(out)
    for n, m in SIZES:
        x = np.random.default_rng(1).uniform(-1, 1, (frames, n, m)).astype(np.float32)
        wq, wk, wv = weights(n, m)
        runs = []
        for _ in range(rounds):
            t = time.process_time()
            numpy_head(x, wq, wk, wv, math.sqrt(m))
            runs.append(time.process_time() - t)
        cost[(n, m)]['numpy'] = statistics.median(runs) / frames * 1e9
        if torch:
            mha = torch.nn.MultiheadAttention(m, 1, bias=False, batch_first=True)
            with torch.no_grad():
                mha.in_proj_weight.copy_(torch.from_numpy(np.concatenate([wq, wk, wv])))
                xt = torch.from_numpy(x)
                runs = []
                for _ in range(rounds):
                    t = time.process_time()
                    mha(xt, xt, xt, need_weights=False)
                    runs.append(time.process_time() - t)
            cost[(n, m)]['torch'] = statistics.median(runs) / frames * 1e9
    kinds = ['fused', 'patched', 'torch', 'numpy'] if torch else ['fused', 'patched', 'numpy']
    print(f'CPU time; {rounds} rounds of {seconds:g} s at {RATE} Hz ({frames} samples): fused '
          f'through lilv at block 256, patched in quarks render minus the baseline; torch '
          f'{torch.__version__ if torch else "not installed"} on 1 thread and numpy '
          f'{np.__version__}, float32, one batch of {frames} samples')
    print('| n x m | m n^2 | ' + ' | '.join(f'{k} ns/sample' for k in kinds) + ' |')
    print('|---|---|' + '---|' * len(kinds))
    for n, m in SIZES:
        print(f'| {n}x{m} | {m * n * n} | '
              + ' | '.join(f'{cost[(n, m)][k]:.1f}' for k in kinds) + ' |')
    (n0, m0), (n1, m1) = SIZES[0], SIZES[-1]
    print(f'| growth {n0}x{m0} -> {n1}x{m1} | {m1 * n1 * n1 / (m0 * n0 * n0):.0f}x | '
          + ' | '.join(f'{cost[(n1, m1)][k] / cost[(n0, m0)][k]:.1f}x' for k in kinds) + ' |')
    return 0


if __name__ == '__main__':
    sys.exit(main())
