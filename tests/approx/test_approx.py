#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""tools/approx/approx.py: the maximum error falls as units are added (read from the tool's
table, and measured independently on the rendered graph against the true function), and the
graph rendered through the real plugins matches the tool's own prediction within 1e-5.
Usage: test_approx.py falls|render   (QUARKS and LV2_PATH in the environment)."""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
TOOL = os.path.join(ROOT, 'tools', 'approx', 'approx.py')
sys.path.insert(0, os.path.join(ROOT, 'tools', 'approx'))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'attention'))
import approx  # noqa: E402
import wavf  # noqa: E402

QUARKS = os.environ.get('QUARKS', 'quarks')


def check(cond, msg):
    print(('ok   ' if cond else 'FAIL ') + msg)
    return 0 if cond else 1


def table(*args):
    out = subprocess.run(['/usr/bin/python3', TOOL, *args], check=True, capture_output=True,
                         text=True).stdout
    return [(int(k), float(e)) for k, e in re.findall(r'^\| (\d+) \| (\S+) \|$', out, re.M)]


def render(target, units):
    """Writes and renders the graph; returns (x, approx output, tool's fit) from the render."""
    d = tempfile.mkdtemp(prefix='qk-approx-')
    g = os.path.join(d, 'net.graph')
    subprocess.run(['/usr/bin/python3', TOOL, target, '-u', str(units), '-o', g], check=True,
                   capture_output=True)
    subprocess.run([QUARKS, 'render', '-q', g, '-o', d, '-t', 'float'], check=True)
    return wavf.read(os.path.join(d, 'xin.wav'))[0], wavf.read(os.path.join(d, 'approx.wav'))[0]


def csv_file():
    # A function the tool has no built-in for: a bump on a slope, 400 uneven points.
    d = tempfile.mkdtemp(prefix='qk-approx-')
    x = np.sort(np.random.default_rng(9).uniform(-2, 3, 400))
    path = os.path.join(d, 'pts.csv')
    with open(path, 'w') as f:
        f.write('x,y\n' + ''.join(f'{a!r},{0.3 * a + np.exp(-a * a)!r}\n' for a in x))
    return path


def falls():
    fails = 0
    for spec in ('sin', 'csv:' + csv_file()):
        rows = table(spec, '-u', '1,2,4,8,16,32')
        errs = [e for _, e in rows]
        fails += check(len(rows) == 6 and all(b < a for a, b in zip(errs, errs[1:])),
                       f'{spec[:3]}: max error falls strictly with units: {rows}')
    fails += check(table('sin')[-1][1] < 0.005, 'sin: 32 units within 0.005')
    # Independently of the tool's table: the rendered network against sin itself.
    worst = {}
    for units in (2, 8, 32):
        x, y = render('sin', units)
        worst[units] = np.abs(y - np.sin(x)).max()
    fails += check(worst[2] > worst[8] > worst[32] and worst[32] < 0.005,
                   f'rendered sin, max |y - sin x| by units: {worst}')
    x, y = render('abs', 2)
    fails += check(np.abs(y - np.abs(x)).max() < 1e-5, '|x| is exact with 2 units (kink at 0)')
    return fails


def render_matches():
    fails = 0
    for spec, units in (('sin', 32), ('sin', 5), ('abs', 3)):
        x, y = render(spec, units)
        tx, ty, lo, hi, _ = approx.target(spec)
        a, b, t = approx.fit(tx, ty, lo, hi, units)
        e = np.abs(approx.predict(x, a, b, t) - y).max()
        fails += check(e < 1e-5 and len(x) == 48000,
                       f'{spec}, {units} units: rendered vs tool prediction max |diff| = {e:.3g}')
    return fails


if __name__ == '__main__':
    tests = {'falls': falls, 'render': render_matches}
    if len(sys.argv) != 2 or sys.argv[1] not in tests:
        sys.exit(__doc__)
    sys.exit(1 if tests[sys.argv[1]]() else 0)
