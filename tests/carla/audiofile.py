#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Carla's audio file player in a render, restated in numpy: the render of
demos/voices/voices.carxp (its voices played by Carla's audio file player) equals the render of
demos/voices/voices.graph (the same voices as plain file sources) times Carla's volume
smoother, z_n = gain*a0 + z_{n-1}*b1 from z_{-1} = 0 with b1 = exp(-2 pi 30 / rate) and
a0 = 1 - b1 in float32 (Carla's VolumeFilter). The attention gates there are exactly 0 or 1,
so the smoother passes through the circuit unchanged.

Usage: audiofile.py GRAPH_RENDER.wav PROJECT_RENDER.wav RATE
"""
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from settings import read_wav  # noqa: E402

F = np.float32


def main():
    graph, project, rate = read_wav(sys.argv[1]), read_wav(sys.argv[2]), float(sys.argv[3])
    frequency = F(30.0) / F(rate)
    b1 = F(np.exp(np.float64(F(-2.0) * F(np.pi) * frequency)))  # expf, correctly rounded
    a0 = F(1.0) - b1
    z = np.empty(len(graph), F)
    zz = F(0.0)
    for i in range(len(graph)):
        zz = F(F(1.0) * a0 + zz * b1)
        z[i] = zz
    want = graph * z
    same = np.array_equal(want, project)
    d = np.abs(want.astype(np.float64) - project.astype(np.float64)).max()
    print("voices: project render = graph render * Carla's smoother: max |difference| %g%s"
          % (d, "" if same else "  FAIL"))
    if np.array_equal(graph, project):
        print("FAIL: the project's render has no smoother")
        return 1
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
