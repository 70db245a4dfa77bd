# SPDX-License-Identifier: ISC
"""Shared plumbing of the attention tests: seeded WAV inputs, `quarks render`, reading outputs."""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'attention'))
import wavf  # noqa: E402  (the repo's float WAV reader; numpy only)

N, M = 4, 2  # the head's layout in docs/PORTS.md: 4 tokens of 2 streams
PY = '/usr/bin/python3'
QUARKS = os.environ.get('QUARKS', 'quarks')


def workdir():
    """A scratch folder, removed when the test exits."""
    d = tempfile.mkdtemp(prefix='qk-att-')
    atexit.register(shutil.rmtree, d, True)
    return d


def render(graph, outdir, inputs=None, extra=()):
    """Renders graph to outdir; inputs maps graph input name -> WAV path."""
    cmd = [QUARKS, 'render', '-q', graph, '-o', outdir, '-t', 'float', *extra]
    for name, path in (inputs or {}).items():
        cmd += ['--input', f'{name}={path}']
    subprocess.run(cmd, check=True)


def tokens_to_wavs(x, d):
    """x: (frames, n, D) -> {'xi_c': path}, written as float32 (the renderer reads them
    exactly); returns the inputs map and x rounded to float32 as the plugins see it."""
    x = x.astype(np.float32)
    files = {}
    for i in range(x.shape[1]):
        for c in range(x.shape[2]):
            path = os.path.join(d, f'in{i + 1}_{c + 1}.wav')
            wavf.write(path, x[:, i, c])
            files[f'x{i + 1}_{c + 1}'] = path
    return files, x.astype(np.float64)


def read_outputs(d, n=N, m=M):
    """The outputs o{i}_{c} as an array (frames, n, m)."""
    cols = [[wavf.read(os.path.join(d, f'o{i + 1}_{c + 1}.wav'))[0] for c in range(m)]
            for i in range(n)]
    return np.stack([np.stack(c, axis=1) for c in cols], axis=1)


def check(cond, msg):
    print(('ok   ' if cond else 'FAIL ') + msg)
    return 0 if cond else 1
