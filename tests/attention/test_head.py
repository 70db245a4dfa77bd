#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Attention head tests (issue 5): gating counts against QUARKS.md, patched graph vs fused
plugin vs the numpy reference on random token streams, and permutation equivariance.
Usage: test_head.py counts|agree|permute   (QUARKS and LV2_PATH in the environment)."""
import os
import re
import subprocess
import sys

import numpy as np

import common
import reference
from common import M, N, check

GEN = os.path.join(common.ROOT, 'tools', 'attention', 'gen_head.py')
FRAMES = 4800
TOL = 1e-5
# Non-identity projections and T != 1, so a swapped index or a missing 1/T shows.
WQ = np.array([[0.9, 0.3], [-0.2, 1.1]])
WK = np.array([[1.2, -0.4], [0.5, 0.8]])
WV = np.array([[0.7, 0.2], [-0.6, 1.3]])


def flat(w):
    return ','.join(repr(float(v)) for v in w.ravel())


def generate(d, temp):
    patched, fused = os.path.join(d, 'patched.graph'), os.path.join(d, 'fused.graph')
    out = subprocess.run([common.PY, GEN, '-o', patched, '--fused', fused, '--wq', flat(WQ),
                          '--wk', flat(WK), '--wv', flat(WV), '-T', repr(temp)],
                         check=True, capture_output=True, text=True).stdout
    return patched, fused, out


def counts():
    d = common.workdir()
    patched, _, out = generate(d, 1.0)
    # QUARKS.md: s_ij = sum_l q_il k_jl has m*n^2 products (output gating); a_ij weights the
    # synapse from value j to output i: n^2 coefficients, each shared by the m value channels.
    want_products, want_coeffs = M * N * N, N * N
    reported = dict(re.findall(r'^([a-z -]+): (\d+)$', out, re.M))
    text = open(patched).read()
    gate_nodes = re.findall(r'^node (\S+) = output-gate\b', text, re.M)
    synaptic = set(re.findall(r'^node (\S+) = synaptic-gate\b', text, re.M))
    g_wires = [(src, dst) for src, dst in re.findall(r'^(\S+) -> (\S+)\.g\d$', text, re.M)
               if dst in synaptic]
    fails = check(int(reported.get('output-gating products', -1)) == want_products,
                  f'reported output-gating products = m*n^2 = {want_products}')
    fails += check(int(reported.get('synaptic-gating coefficients', -1)) == want_coeffs,
                   f'reported synaptic-gating coefficients = n^2 = {want_coeffs}')
    fails += check(len(gate_nodes) == want_products,
                   f'output-gate nodes in the graph: {len(gate_nodes)}')
    fails += check(len({s for s, _ in g_wires}) == want_coeffs,
                   f'distinct gating signals on synaptic gates: {len({s for s, _ in g_wires})}')
    fails += check(len(g_wires) == M * want_coeffs,
                   f'gated synapses: {len(g_wires)} (each coefficient used by m channels)')
    return fails


def tokens(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(FRAMES, N, M))
    x[FRAMES // 2:] *= 2.5  # larger scores too: a sharper softmax
    return x


def run_both(d, temp, files, tag):
    patched, fused, _ = generate(d, temp)
    out = {}
    for name, graph in (('patched', patched), ('fused', fused)):
        od = os.path.join(d, f'{tag}-{name}')
        common.render(graph, od, files, ['-d', f'{FRAMES}smp'])
        out[name] = common.read_outputs(od)
    return out


def agree():
    fails = 0
    for seed, temp in ((1, 0.7), (2, 2.5)):
        d = common.workdir()
        files, x = common.tokens_to_wavs(tokens(seed), d)
        out = run_both(d, temp, files, 'a')
        ref = reference.head(x, WQ, WK, WV, temp)
        e_pr = np.abs(out['patched'] - ref).max()
        e_fr = np.abs(out['fused'] - ref).max()
        e_pf = np.abs(out['patched'] - out['fused']).max()
        for what, e in (('patched vs reference', e_pr), ('fused vs reference', e_fr),
                        ('patched vs fused', e_pf)):
            fails += check(e < TOL, f'T={temp} seed={seed}: {what} max |diff| = {e:.3g}')
        fails += check(np.abs(ref).max() > 0.5, 'the outputs are not trivially small')
    return fails


def permute():
    fails = 0
    d = common.workdir()
    x = tokens(3)
    perm = np.array([2, 0, 3, 1])  # token i of the second run is token perm[i] of the first
    files, _ = common.tokens_to_wavs(x, d)
    base = run_both(d, 0.7, files, 'p0')
    d2 = common.workdir()
    files2, _ = common.tokens_to_wavs(x[:, perm, :], d2)
    moved = run_both(d2, 0.7, files2, 'p1')
    for name in ('patched', 'fused'):
        # Equal up to float rounding (outputs reach ~8, where an ulp is 1e-6): the softmax
        # sums over j in another order. The 1e-5 applies.
        e = np.abs(moved[name] - base[name][:, perm, :]).max()
        fails += check(e < TOL, f'{name}: outputs permute with the tokens, max |diff| = {e:.3g}')
        e_id = np.abs(moved[name] - base[name]).max()
        fails += check(e_id > 1e-2, f'{name}: and the permutation did change the outputs '
                       f'({e_id:.3g})')
    return fails


if __name__ == '__main__':
    tests = {'counts': counts, 'agree': agree, 'permute': permute}
    if len(sys.argv) != 2 or sys.argv[1] not in tests:
        sys.exit(__doc__)
    sys.exit(1 if tests[sys.argv[1]]() else 0)
