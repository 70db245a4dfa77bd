# SPDX-License-Identifier: ISC
"""Independent double-precision reference for the attention head and the quadratic unit,
written from QUARKS.md ("Transformer attention from quarks", polynomial threshold gates); it
does not read dsp/ or the generator."""
import numpy as np


def head(x, wq, wk, wv, temp):
    """x: (frames, n, m) token streams. Per sample: q_i = W_Q x_i, k_j = W_K x_j,
    v_j = W_V x_j, a_ij = softmax_j(q_i . k_j / T), o_i = sum_j a_ij v_j."""
    q = np.einsum('ld,tid->til', wq, x)
    k = np.einsum('ld,tjd->tjl', wk, x)
    v = np.einsum('ld,tjd->tjl', wv, x)
    s = np.einsum('til,tjl->tij', q, k) / temp
    s -= s.max(axis=2, keepdims=True)  # same softmax, no overflow
    a = np.exp(s)
    a /= a.sum(axis=2, keepdims=True)
    return np.einsum('tij,tjl->til', a, v)


def quadratic(x, w, wij, bias, slope, act):
    """x: (frames, 4). p(x) = sum_i w_i x_i + sum_{i<=j} w_ij x_i x_j + bias; act 0 linear,
    1 step H (1 if >= 0). wij is a dict {(i, j): weight} with 0-based i <= j."""
    p = x @ np.asarray(w, dtype=float) + bias
    for (i, j), c in wij.items():
        p = p + c * x[:, i] * x[:, j]
    s = slope * p
    return s if act == 0 else (s >= 0).astype(float)


def layer(x, wq, wk, wv, wo, temp):
    """A multi-head attention layer. x: (frames, n, D); wq, wk: (h, m, D); wv: (h, m_v, D);
    wo: (D_out, h m_v) or None (then h must be 1). Each head is `head` above; the output of
    token i is W_O times its heads' outputs one after the other."""
    outs = [head(x, np.asarray(q), np.asarray(k), np.asarray(v), temp)
            for q, k, v in zip(wq, wk, wv)]
    o = np.concatenate(outs, axis=2)
    return o if wo is None else np.einsum('rc,tic->tir', np.asarray(wo), o)
