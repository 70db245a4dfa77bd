#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Derives the polynomial of qk_exp (dsp/activation.h).

e^r = 1 + r + r^2 p(r) on |r| <= ln2/2, p of degree 4, fitted for relative error by
iteratively reweighted least squares (which tends to the minimax fit). Prints the float32
coefficients and the relative error of evaluating them in float32.
Usage: /usr/bin/python3 tools/fit-exp.py
"""
import numpy as np

DEGREE = 4
h = np.log(2) / 2
r = np.linspace(-h, h, 20001)
A = np.vander(r, DEGREE + 1, increasing=True) * (r**2 / np.exp(r))[:, None]
b = (np.exp(r) - 1 - r) / np.exp(r)
w = np.ones_like(r)
for _ in range(60):
    c, *_ = np.linalg.lstsq(A * w[:, None], b * w, rcond=None)
    err = np.abs(A @ c - b)
    w *= (err / err.max()) ** 0.3 + 1e-3
c32 = c.astype(np.float32)

rf = r.astype(np.float32)
p = np.zeros_like(rf)
for k in reversed(range(DEGREE + 1)):
    p = p * rf + c32[k]
e = (p * rf * rf + rf + np.float32(1)).astype(np.float64)
for k, v in enumerate(c32):
    print(f"c{k} = {float(v):.10e}f")
print(f"relative error: {err.max():.2e} in double, {np.max(np.abs(e / np.exp(r) - 1)):.2e} in float32")
