#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Fused `attention-head` against the head patched from 84 quark nodes: cost per sample and
their ratio. Each round renders, in turn, the fused graph, the patched graph and a baseline
(the same 8 noise inputs wired straight to the 8 outputs), so drift on a shared machine hits
all three alike; the baseline's time (sources, WAV writing, engine) is subtracted.
Usage: bench_head.py [SECONDS_OF_AUDIO [ROUNDS]]   (QUARKS and LV2_PATH in the environment)."""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
GEN = os.path.join(ROOT, 'tools', 'attention', 'gen_head.py')
QUARKS = os.environ.get('QUARKS', 'quarks')
RATE = 48000


def graphs(d):
    p, f, b = (os.path.join(d, n + '.graph') for n in ('patched', 'fused', 'baseline'))
    subprocess.run(['/usr/bin/python3', GEN, '-o', p, '--fused', f, '-T', '0.7',
                    '--wq', '0.9,0.3,-0.2,1.1', '--wk', '1.2,-0.4,0.5,0.8'],
                   check=True, capture_output=True)
    # The baseline keeps the fused graph's input lines and passes each token stream through.
    lines = [ln for ln in open(f) if ln.startswith(('rate', 'input'))]
    lines += [f'output o{i}_{c} = x{i}_{c}\n' for i in range(1, 5) for c in (1, 2)]
    open(b, 'w').writelines(lines)
    return {'fused': f, 'patched': p, 'baseline': b}


def timed(graph, seconds, out):
    t = time.perf_counter()
    subprocess.run([QUARKS, 'render', '-q', graph, '-o', out, '-d', str(seconds)], check=True)
    return time.perf_counter() - t


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    frames = seconds * RATE
    with tempfile.TemporaryDirectory() as d:
        g = graphs(d)
        times = {k: [] for k in g}
        for _ in range(rounds):
            for k, path in g.items():
                times[k].append(timed(path, seconds, d))
    per = {k: [(t - b) / frames * 1e9 for t, b in zip(times[k], times['baseline'])]
           for k in ('fused', 'patched')}
    ratios = [p / f for p, f in zip(per['patched'], per['fused'])]
    print(f'{rounds} interleaved rounds of {seconds:g} s of audio at {RATE} Hz, block 256')
    print(f'baseline (inputs -> outputs): {statistics.median(times["baseline"]):.3f} s per render')
    for k in ('fused', 'patched'):
        print(f'{k:8s}: {statistics.median(per[k]):8.1f} ns per sample (median, baseline '
              f'subtracted), {statistics.median(times[k]):.3f} s per render')
    print(f'patched / fused cost per sample: {statistics.median(ratios):.1f} (median of '
          f'per-round ratios; range {min(ratios):.1f}..{max(ratios):.1f})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
