#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Universal approximation with quarks: fits a shallow network of linear units gated by step
units (QUARKS.md, Thm 4.3 of the paper) to a function of one input, writes it as a graph for
`quarks render`, and reports the maximum error against the number of units.

Unit k is a linear neuron l_k(x) = a_k x + b_k, output-gated by a step neuron H(x - t_k); the
network is y(x) = sum_k l_k(x) H(x - t_k). With thresholds t_0 = lo < t_1 < ... on a uniform
grid, on [t_k, t_k+1) y is the line sum_{j<=k} l_j: every segment gets its own line, and the
a_k, b_k are the differences of consecutive segment lines. Each segment line is the secant-like
least-squares slope with its intercept centred on the error range (minimax for a convex or
concave piece), so the maximum error falls as segments halve."""
import argparse
import csv
import math
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'attention'))
import wavf  # noqa: E402

F32 = np.float32


def target(spec):
    """(x samples, y samples, lo, hi, label) for sin, abs or csv:PATH."""
    if spec == 'sin':
        x = np.linspace(-math.pi, math.pi, 20001)
        return x, np.sin(x), -math.pi, math.pi, 'sin(x) on [-pi, pi]'
    if spec == 'abs':
        x = np.linspace(-1.0, 1.0, 20001)
        return x, np.abs(x), -1.0, 1.0, '|x| on [-1, 1]'
    if spec.startswith('csv:'):
        with open(spec[4:], newline='') as f:
            rows = [r for r in csv.reader(f) if r and not r[0].lstrip().startswith('#')]
        pts = []
        for r in rows:
            try:
                pts.append((float(r[0]), float(r[1])))
            except (ValueError, IndexError):
                continue  # a header line
        if len(pts) < 2:
            raise SystemExit(f'{spec[4:]}: need at least two x,y rows')
        p = np.array(sorted(pts))
        return p[:, 0], p[:, 1], p[0, 0], p[-1, 0], os.path.basename(spec[4:])
    raise SystemExit(f'unknown target {spec!r} (sin, abs or csv:FILE)')


def thresholds(lo, hi, k):
    # float32-exact, so the step plugin (float) and predict() make the same decisions.
    return np.array([F32(lo + (hi - lo) * i / k) for i in range(k)], dtype=np.float64)


def fit(x, y, lo, hi, k):
    """Unit parameters (a, b, t), each rounded to float32 as the control ports store them."""
    t = thresholds(lo, hi, k)
    seg = np.searchsorted(t, x, side='right') - 1
    lines = np.zeros((k, 2))
    for s in range(k):
        xs, ys = x[seg == s], y[seg == s]
        if len(xs) == 0:  # no data in the segment (sparse CSV): keep the previous line
            lines[s] = lines[s - 1] if s else 0.0
            continue
        slope = np.polyfit(xs, ys, 1)[0] if len(xs) > 1 and np.ptp(xs) > 0 else 0.0
        r = ys - slope * xs
        lines[s] = slope, (r.max() + r.min()) / 2
    a = np.diff(lines[:, 0], prepend=0.0).astype(F32).astype(np.float64)
    b = np.diff(lines[:, 1], prepend=0.0).astype(F32).astype(np.float64)
    return a, b, t


def predict(x, a, b, t):
    """The network's output in double: sum_k (a_k x + b_k) H(x - t_k), H(0) = 1."""
    x = np.asarray(x, dtype=np.float64)[:, None]
    return ((a * x + b) * (x >= t)).sum(axis=1)


def write_graph(path, a, b, t, lo, hi, label, target_wav):
    g = [f'# Shallow gated network approximating {label}: {len(a)} linear units, each',
         '# output-gated by a step unit H(x - t_k). Written by tools/approx/approx.py.',
         'rate 48000', 'duration 1', '',
         f'source x = ramp period=1 from={lo!r} to={hi!r}   # sweeps the interval once']
    if target_wav:
        g.append(f'source target = file path={os.path.basename(target_wav)}')
    g += ['node y = neuron                  # sums every gated unit (fan-in sums)', '']
    for k, (ak, bk, tk) in enumerate(zip(a, b, t)):
        g += [f'node l{k} = neuron w1={ak!r} bias={bk!r}          # linear unit',
              f'node h{k} = neuron w1=1 bias={-tk!r} act=1      # step unit H(x - {tk!r})',
              f'node u{k} = output-gate                       # l{k} gated by h{k}',
              f'x -> l{k}.x1, h{k}.x1', f'l{k}.out -> u{k}.in', f'h{k}.out -> u{k}.gate',
              f'u{k}.out -> y.x1']
    g += ['', 'output approx = y.out', 'output xin = x']
    if target_wav:
        g += ['node err = neuron w2=-1               # approx - target',
              'y.out -> err.x1', 'target -> err.x2', 'output error = err.out',
              'plot x target approx error']
    with open(path, 'w') as f:
        f.write('\n'.join(g) + '\n')


def fit_with_quarks(x, y, lo, hi, k, rate, quarks):
    """The same network learnt by `quarks fit` instead of the closed form: thresholds on the
    grid, every a_k, b_k starting at 0 and fitted in least squares to the target sampled where
    the ramp is at `rate` Hz, through the real plugins. Returns (a, b, t, rms, max error) with
    the errors quarks fit reports (over those samples)."""
    t = thresholds(lo, hi, k)
    zeros = np.zeros(k)
    with tempfile.TemporaryDirectory() as d:
        g = os.path.join(d, 'start.graph')
        write_graph(g, zeros, zeros, t, lo, hi, 'the target', None)
        wav = os.path.join(d, 'target.wav')
        xr = lo + (hi - lo) * np.arange(rate) / rate
        wavf.write(wav, np.interp(xr, x, y), rate)
        free = ','.join(f'l{j}.w1,l{j}.bias' for j in range(k))
        out = subprocess.run([quarks, 'fit', '-q', g, '-r', str(rate), '-f', free,
                              '-t', f'approx={wav}'], check=True, capture_output=True,
                             text=True).stdout
    vals = dict(re.findall(r'^(l\d+\.\w+) = (\S+)$', out, re.M))
    a = np.array([float(vals[f'l{j}.w1']) for j in range(k)])
    b = np.array([float(vals[f'l{j}.bias']) for j in range(k)])
    rms, emax = re.search(r'^fitted: rms error (\S+), max error (\S+)$', out, re.M).groups()
    return a, b, t, float(rms), float(emax)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('target', help='sin, abs or csv:FILE (rows x,y)')
    p.add_argument('-u', '--units', default='1,2,4,8,16,32',
                   help='unit counts for the error table (default 1,2,4,8,16,32)')
    p.add_argument('-o', '--output', help='write the graph of the largest count here')
    p.add_argument('--plot', help='render the graph with $QUARKS (or quarks) to this PNG')
    p.add_argument('--fit', action='store_true',
                   help='also learn each network with `quarks fit` ($QUARKS) and write the '
                   'learnt one with -o')
    p.add_argument('--fit-rate', type=int, default=4800,
                   help='samples of the interval quarks fit learns from (default 4800)')
    a = p.parse_args()
    x, y, lo, hi, label = target(a.target)
    counts = [int(c) for c in a.units.split(',')]
    quarks = os.environ.get('QUARKS', 'quarks')
    print(f'target: {label}')
    if a.fit:
        print(f'| units | max error | quarks fit: max error | rms error (over {a.fit_rate} '
              'samples) |')
        print('|---|---|---|---|')
    else:
        print('| units | max error |')
        print('|---|---|')
    for k in counts:
        pa, pb, pt = fit(x, y, lo, hi, k)
        row = f'| {k} | {np.abs(predict(x, pa, pb, pt) - y).max():.3g} |'
        if a.fit:
            pa, pb, pt, rms, emax = fit_with_quarks(x, y, lo, hi, k, a.fit_rate, quarks)
            row += f' {emax:.6g} | {rms:.3g} |'
        print(row)
    if a.output:
        # The target as a 1 s sound file beside the graph, sampled where the ramp will be.
        wav = os.path.splitext(a.output)[0] + '-target.wav'
        xr = lo + (hi - lo) * np.arange(48000) / 48000
        wavf.write(wav, np.interp(xr, x, y))
        write_graph(a.output, pa, pb, pt, lo, hi, label, wav)
        print(f'wrote {a.output} ({counts[-1]} units{", learnt by quarks fit" if a.fit else ""})'
              f' and {wav}')
        if a.plot:
            # Only the picture is wanted: the rendered sound files go to a scratch folder.
            with tempfile.TemporaryDirectory() as scratch:
                subprocess.run([quarks, 'render', '-q', a.output, '-o', scratch, '-p', a.plot],
                               check=True)
            print(f'wrote {a.plot}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
