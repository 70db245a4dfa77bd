# SPDX-License-Identifier: ISC
"""The attention layer computed by PyTorch (Debian's python3-torch) in float64: an independent
implementation users trust, next to the numpy restatement in reference.py. Where the layer is a
standard one (self-attention, D = h m = h m_v, T = sqrt(m)) it is torch.nn.MultiheadAttention
with the layer's weights and no biases; otherwise explicit torch matmuls and torch.softmax with
the scale 1/T. available() says whether torch can be imported."""
import math

import numpy as np

torch = None  # imported on first use: it takes seconds, and only `agree` needs it


def available():
    global torch
    if torch is None:
        try:
            import torch as t
        except ImportError:  # the tests then say so and use numpy alone
            return False
        torch = t
    return True


def version():
    return torch.__version__ if available() else None


def standard(n_heads, d, m, mv, wo, temp):
    """Whether torch.nn.MultiheadAttention computes this layer: its q, k, v projections are
    D x D split into h heads of D/h, its scores are scaled by 1/sqrt(D/h)."""
    return (d == n_heads * m and mv == m and abs(temp - math.sqrt(m)) < 1e-12
            and (wo is not None or n_heads == 1))


def layer(x, wq, wk, wv, wo, temp):
    """x: (frames, n, D) -> (frames, n, D_out), float64; same arguments as reference.layer.
    Returns (output, how) with how naming the torch function used."""
    wq, wk, wv = (np.asarray(w, dtype=np.float64) for w in (wq, wk, wv))
    h, m, d = wq.shape
    mv = wv.shape[1]
    xt = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64))
    with torch.no_grad():
        if standard(h, d, m, mv, wo, temp):
            mha = torch.nn.MultiheadAttention(d, h, bias=False, batch_first=True,
                                              dtype=torch.float64)
            # in_proj_weight stacks W_Q, W_K, W_V (each D x D); head k uses rows k m .. k m + m.
            mha.in_proj_weight.copy_(torch.from_numpy(np.concatenate(
                [wq.reshape(h * m, d), wk.reshape(h * m, d), wv.reshape(h * mv, d)])))
            out_w = np.eye(d) if wo is None else np.asarray(wo, dtype=np.float64)
            mha.out_proj.weight.copy_(torch.from_numpy(out_w))
            y, _ = mha(xt, xt, xt, need_weights=False)
            return y.numpy(), 'torch.nn.MultiheadAttention'
        heads = []
        for k in range(h):
            q = xt @ torch.from_numpy(wq[k]).T
            kk = xt @ torch.from_numpy(wk[k]).T
            v = xt @ torch.from_numpy(wv[k]).T
            a = torch.softmax(q @ kk.transpose(1, 2) / temp, dim=-1)
            heads.append(a @ v)
        o = torch.cat(heads, dim=2)
        if wo is not None:
            o = o @ torch.from_numpy(np.asarray(wo, dtype=np.float64)).T
        return o.numpy(), 'torch matmul + torch.softmax'
