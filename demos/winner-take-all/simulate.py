#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Runs the winner-take-all graph (wta.graph) in the double-precision reference of
tests/time/reference.py, which runs feedback through delays sample by sample as QUARKS.md
defines it, writes its signals as WAV files and plots them with `quarks plot`: the oracle that
`quarks render` of the graph is compared with (tests/time, time-demo-wta).

Usage: simulate.py [OUTDIR] [--plot FILE.png]   (QUARKS: the quarks command, default `quarks`)
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'tests', 'time'))
import reference  # noqa: E402

GRAPH = os.path.join(HERE, 'wta.graph')


def simulate():
    """Every signal of the graph, and the graph (for its rate and plot list)."""
    g = reference.Graph(GRAPH)
    return g.run(), g


def main(argv):
    args = [a for a in argv if not a.startswith('--')]
    outdir = args[0] if args else os.path.join(os.getcwd(), 'wta-out')
    plot = argv[argv.index('--plot') + 1] if '--plot' in argv else None
    sig, g = simulate()
    paths = []
    for name in g.plot:
        path = os.path.join(outdir, name + '.wav')
        reference.wav_write(path, sig[name], g.rate)
        paths.append(path)
    print(f'wrote {", ".join(g.plot)} to {outdir}')
    if plot:
        subprocess.run([os.environ.get('QUARKS', 'quarks'), 'plot', '-o', plot, '--title',
                        'wta.graph (reference simulation, 48000 Hz, 8 s)'] + paths, check=True)
        print(f'wrote {plot}')


if __name__ == '__main__':
    main(sys.argv[1:])
