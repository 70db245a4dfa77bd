#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Attention at real sizes (issue 16), for one size of tools/attention/gen_head.py at a time:
  counts   the patched graph's nodes, products and gating coefficients against QUARKS.md's
           formulas for these n, D, m, m_v, h (and the generator's own report);
  agree    patched and fused renders against PyTorch (torch.nn.MultiheadAttention or explicit
           torch ops, float64) where python3-torch is installed, and against the numpy
           reference always; the output says which references ran;
  permute  feeding the tokens in another order permutes the outputs, patched and fused;
  carla    both graphs export as Carla projects that check_carxp accepts.
Usage: test_sizes.py counts|agree|permute|carla SIZE [CHECK_CARXP]
SIZE: one of SIZES below. QUARKS and LV2_PATH in the environment."""
import json
import math
import os
import re
import subprocess
import sys

import numpy as np

import common
import reference
import torch_ref
from common import check

GEN = os.path.join(common.ROOT, 'tools', 'attention', 'gen_head.py')
FRAMES = 2400
TOL = 1e-5
UNIT = 4  # inputs of a neuron, synapses of a synaptic gate

# name: tokens n, streams D per token, query/key dim m, value dim m_v, heads h, output
# projection, temperature (None: sqrt(m), torch.nn.MultiheadAttention's scaling).
SIZES = {
    '4x2': (4, 2, 2, 2, 1, False, None),      # fused: attention-head (as shipped)
    '8x4': (8, 4, 4, 4, 1, False, None),      # fused: attention-head-8x4
    '16x4': (16, 4, 4, 4, 1, False, None),    # fused: attention-head-16x4
    'mha8': (8, 4, 2, 2, 2, True, None),      # 2 heads + W_O; fused: two 8x4 nodes, padded
    'odd': (5, 6, 5, 3, 2, True, 0.8),        # D, m > 4 and n > 4 split over units; T != sqrt(m)
}


def size(name):
    n, d, m, mv, h, proj, temp = SIZES[name]
    return n, d, m, mv, h, proj, (math.sqrt(m) if temp is None else temp)


def weights(name):
    """Seeded weights of order 1/sqrt(columns), as a trained layer's."""
    n, d, m, mv, h, proj, temp = size(name)
    rng = np.random.default_rng(sum(map(ord, name)))

    def mat(*shape):
        return rng.uniform(-1.0, 1.0, size=shape) * 1.7 / math.sqrt(shape[-1])
    w = {'wq': mat(h, m, d), 'wk': mat(h, m, d), 'wv': mat(h, mv, d), 'temp': temp}
    w['wo'] = mat(d, h * mv) if proj else None
    return w


def generate(d, name):
    w = weights(name)
    path = os.path.join(d, 'weights.json')
    with open(path, 'w') as f:
        json.dump({k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in w.items()
                   if v is not None}, f)
    n, dim, m, mv, h, proj, temp = size(name)
    patched, fused = os.path.join(d, 'patched.graph'), os.path.join(d, 'fused.graph')
    cmd = [common.PY, GEN, '-n', str(n), '--dim', str(dim), '-m', str(m), '--v-dim', str(mv),
           '--heads', str(h), '--weights', path, '-o', patched]
    if proj:
        cmd.append('--out-proj')
    cmd += ['--fused', fused]
    r = subprocess.run(cmd, capture_output=True, text=True)
    graphs = {'patched': patched, 'fused': fused}
    if r.returncode != 0 and 'no fused plugin' in r.stderr:  # patched only at this size
        del graphs['fused']
        r = subprocess.run(cmd[:-2], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    return graphs, r.stdout, w


def counts(name):
    n, d, m, mv, h, proj, _ = size(name)
    dout = d if proj else mv
    g, out, _ = generate(common.workdir(), name)
    text = open(g['patched']).read()
    nodes = re.findall(r'^node (\S+) = (\S+)', text, re.M)
    by_type = {}
    for _, t in nodes:
        by_type[t] = by_type.get(t, 0) + 1

    def units(terms):
        # a sum of `terms` weighted inputs: one neuron up to four, else ceil(terms/4) + 1
        return 1 if terms <= UNIT else -(-terms // UNIT) + 1
    # QUARKS.md, per head: m n^2 output-gating products (q_il k_jl), n^2 synaptic-gating
    # coefficients a_ij, each on the m_v synapses from value j to output i.
    want = {
        'output-gating products': h * m * n * n,
        'synaptic-gating coefficients': h * n * n,
        'gated synapses': h * mv * n * n,
    }
    # Nodes: per head the n(2m + m_v) projections, a neuron per score s_ij, a softmax per query,
    # ceil(n/4) synaptic gates per output channel (and a neuron adding them when n > 4); the
    # output projection's n D neurons of h m_v terms.
    want_nodes = {
        'output-gate': h * m * n * n,
        'softmax' if n <= 4 else 'softmax-16': h * n,
        'synaptic-gate': h * n * mv * -(-n // UNIT),
        'neuron': h * (n * (2 * m + mv) * units(d) + n * n + (n * mv if n > UNIT else 0))
                  + (n * dout * units(h * mv) if proj else 0),
    }
    reported = dict(re.findall(r'^([a-z -]+): (\d+)$', out, re.M))
    fails = 0
    for k, v in want.items():
        fails += check(int(reported.get(k, -1)) == v, f'{name}: reported {k} = {v}')
    for k, v in want_nodes.items():
        fails += check(by_type.get(k, 0) == v, f'{name}: {k} nodes {by_type.get(k, 0)} = {v}')
    fails += check(sum(by_type.values()) == sum(want_nodes.values()),
                   f'{name}: {len(nodes)} nodes in all, as the formulas say')
    m_nodes = re.search(r'^nodes: (\d+)', out, re.M)
    fails += check(m_nodes and int(m_nodes.group(1)) == len(nodes), f'{name}: reported nodes')
    # From the wiring: each output gate multiplies a query by a key component; each synapse of a
    # synaptic gate carries a softmax weight.
    gate_wires = re.findall(r'^(\S+) -> (\S+)\.gate$', text, re.M)
    fails += check(len(gate_wires) == want['output-gating products'],
                   f'{name}: {len(gate_wires)} products q_il * k_jl wired')
    synaptic = {nm for nm, t in nodes if t == 'synaptic-gate'}
    g_wires = [(s, t) for s, t in re.findall(r'^(\S+) -> (\S+)\.g\d+$', text, re.M)
               if t in synaptic]
    fails += check(len({s for s, _ in g_wires}) == want['synaptic-gating coefficients'],
                   f'{name}: {len({s for s, _ in g_wires})} distinct gating signals a_ij')
    fails += check(len(g_wires) == want['gated synapses'], f'{name}: {len(g_wires)} gated synapses')
    return fails


def tokens(seed, n, d):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, size=(FRAMES, n, d))
    x[FRAMES // 2:] *= 2.5  # larger scores too: a sharper softmax
    return x


def render_all(d, graphs, files, dout, n):
    out = {}
    for kind, graph in graphs.items():
        od = os.path.join(d, kind)
        common.render(graph, od, files, ['-d', f'{FRAMES}smp'])
        out[kind] = common.read_outputs(od, n, dout)
    return out


def agree(name):
    n, d, m, mv, h, proj, temp = size(name)
    dout = d if proj else mv
    work = common.workdir()
    graphs, _, w = generate(work, name)
    files, x = common.tokens_to_wavs(tokens(7, n, d), work)
    out = render_all(work, graphs, files, dout, n)
    refs = {'numpy': reference.layer(x, w['wq'], w['wk'], w['wv'], w['wo'], temp)}
    if torch_ref.available():
        refs['torch'], how = torch_ref.layer(x, w['wq'], w['wk'], w['wv'], w['wo'], temp)
        print(f'reference: PyTorch {torch_ref.version()} ({how}, float64, '
              f'T = {temp:.6g}) and numpy')
    else:
        print('reference: numpy only (python3-torch is not installed)')
    fails = check(np.abs(refs['numpy']).max() > 0.5, f'{name}: outputs not trivially small '
                  f'(max |o| = {np.abs(refs["numpy"]).max():.3g})')
    if 'torch' in refs:
        e = np.abs(refs['torch'] - refs['numpy']).max()
        fails += check(e < 1e-12, f'{name}: torch vs numpy (both float64) max |diff| = {e:.3g}')
    for kind, o in out.items():
        for ref, r in refs.items():
            e = np.abs(o - r).max()
            fails += check(e < TOL, f'{name}: {kind} vs {ref} max |diff| = {e:.3g}')
    if 'fused' in out:
        e = np.abs(out['patched'] - out['fused']).max()
        fails += check(e < TOL, f'{name}: patched vs fused max |diff| = {e:.3g}')
    else:
        print(f'{name}: no fused plugin at this size (patched only)')
    return fails


def permute(name):
    n, d, m, mv, h, proj, temp = size(name)
    dout = d if proj else mv
    x = tokens(11, n, d)
    perm = np.random.default_rng(n).permutation(n)  # token i of run 2 is token perm[i] of run 1
    fails = 0
    w1, w2 = common.workdir(), common.workdir()
    graphs, _, _ = generate(w1, name)
    base = render_all(w1, graphs, common.tokens_to_wavs(x, w1)[0], dout, n)
    moved = render_all(w2, graphs, common.tokens_to_wavs(x[:, perm, :], w2)[0], dout, n)
    for kind in base:
        # Equal up to float rounding: the softmax sums over j in another order.
        e = np.abs(moved[kind] - base[kind][:, perm, :]).max()
        fails += check(e < TOL, f'{name} {kind}: outputs permute with the tokens {list(perm)}, '
                       f'max |diff| = {e:.3g}')
        e_id = np.abs(moved[kind] - base[kind]).max()
        fails += check(e_id > 1e-2, f'{name} {kind}: and the permutation changed them ({e_id:.3g})')
    return fails


def carla(name, checker):
    work = common.workdir()
    graphs, _, _ = generate(work, name)
    fails = 0
    for kind, graph in graphs.items():
        carxp = os.path.join(work, kind + '.carxp')
        subprocess.run([common.QUARKS, 'export', '--carla', '-q', '-o', carxp, graph], check=True)
        r = subprocess.run([checker, graph, carxp], capture_output=True, text=True)
        fails += check(r.returncode == 0, f'{name} {kind}: Carla project checked: '
                       + (r.stdout.strip().splitlines() or [''])[-1] + r.stderr.strip())
    return fails


if __name__ == '__main__':
    tests = {'counts': counts, 'agree': agree, 'permute': permute}
    if len(sys.argv) >= 3 and sys.argv[2] in SIZES:
        if sys.argv[1] in tests and len(sys.argv) == 3:
            sys.exit(1 if tests[sys.argv[1]](sys.argv[2]) else 0)
        if sys.argv[1] == 'carla' and len(sys.argv) == 4:
            sys.exit(1 if carla(sys.argv[2], sys.argv[3]) else 0)
    sys.exit(__doc__)
