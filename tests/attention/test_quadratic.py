#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""The `quadratic` plugin (degree-2 polynomial threshold unit, 4 inputs) through `quarks render`
against reference.quadratic, on seeded random streams, with linear and step activation."""
import os
import sys

import numpy as np

import common
import reference
from common import check

FRAMES = 4800
PAIRS = [(i, j) for i in range(4) for j in range(i, 4)]  # n(n+1)/2 = 10 product terms


def graph(path, w, wij, bias, slope, act):
    ctl = [f'w{i + 1}={w[i]!r}' for i in range(4)]
    ctl += [f'w{i + 1}{j + 1}={wij[(i, j)]!r}' for i, j in PAIRS]
    ctl += [f'bias={bias!r}', f'slope={slope!r}', f'act={act}']
    lines = ['rate 48000'] + [f'input x{i} = constant value=0' for i in range(1, 5)]
    lines += ['node u = quadratic ' + ' '.join(ctl)]
    lines += [f'x{i} -> u.x{i}' for i in range(1, 5)] + ['output out = u.out', '']
    with open(path, 'w') as f:
        f.write('\n'.join(lines))


def main():
    fails = check(len(PAIRS) == 4 * 5 // 2, f'{len(PAIRS)} product terms = n(n+1)/2')
    rng = np.random.default_rng(5)
    for act in (0, 1):
        d = common.workdir()
        x = rng.uniform(-1.5, 1.5, size=(FRAMES, 4)).astype(np.float32)
        files = {}
        for i in range(4):
            files[f'x{i + 1}'] = os.path.join(d, f'x{i + 1}.wav')
            common.wavf.write(files[f'x{i + 1}'], x[:, i])
        # Weights with few bits, so the float32 controls equal the doubles the reference uses.
        w = [float(v) for v in np.round(rng.uniform(-2, 2, 4), 3)]
        wij = {p: float(np.round(rng.uniform(-2, 2), 3)) for p in PAIRS}
        bias, slope = 0.25, 1.5
        g = os.path.join(d, 'q.graph')
        graph(g, w, wij, bias, slope, act)
        common.render(g, d, files, ['-d', f'{FRAMES}smp'])
        got = common.wavf.read(os.path.join(d, 'out.wav'))[0]
        xd = x.astype(np.float64)
        want = reference.quadratic(xd, w, wij, bias, slope, act)
        if act == 0:
            e = np.abs(got - want).max()
            fails += check(e < 1e-5, f'linear: max |plugin - reference| = {e:.3g}')
        else:
            # Away from the threshold the step must agree exactly; within float rounding of
            # p = 0 either side is right.
            p = reference.quadratic(xd, w, wij, bias, slope, 0)
            far = np.abs(p) > 1e-4
            bad = int(np.count_nonzero(got[far] != want[far]))
            fails += check(bad == 0 and far.mean() > 0.99 and 0.1 < want.mean() < 0.9,
                           f'step: {bad} mismatches on {int(far.sum())} samples away from p=0 '
                           f'(fraction on: {want.mean():.2f})')
    return fails


if __name__ == '__main__':
    sys.exit(1 if main() else 0)
