#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Writes a self-attention layer (n tokens of D streams, h heads of query/key dimension m and value
dimension m_v, an output projection when h > 1) as a graph of quark plugins for `quarks render`,
and the same layer with fused `attention-head*` nodes where a fused size fits (docs/attention.md).

The patched layer follows QUARKS.md, "Transformer attention from quarks", head by head:
  q_il, k_jl, v_jl  linear `neuron`s of token i's D streams (rows of W_Q, W_K, W_V);
  q_il * k_jl       one `output-gate` per product (in = q_il, gate = k_jl, linear gate);
  s_ij              a linear `neuron` summing the m products over l;
  a_ij              one `softmax` (n <= 4) or `softmax-16` (n <= 16) per query i, temperature T;
  o_il              linear `synaptic-gate`s: synapse j carries v_jl, gated by a_ij, w = 1;
  y_ir              with an output projection: linear `neuron`s, y_i = W_O [o_i^1 .. o_i^h].
A neuron or synaptic gate has four inputs: a sum over more terms is split into units of four
whose outputs a linear neuron adds (fan-in at its x1). Defaults: n = 4, m = 2, one head, D = h m,
m_v = m, T = 1, the identity (W = [I 0]) for every matrix: the 4x2 head of earlier versions,
written line for line as before. Prints the counts of gating operations and nodes it wrote,
counted from the nodes themselves."""
import argparse
import json
import math
import os
import random
import subprocess
import sys

UNIT = 4             # inputs of a neuron, synapses of a synaptic gate
MAX_TOKENS = 16      # the widest softmax plugin (softmax-16)
# Fused plugins: (tokens, dimension) -> plugin. A smaller m, m_v or D runs on a plugin of
# dimension 4 with the extra rows and columns of its matrices 0 (their streams read 0).
FUSED = {(4, 2): 'attention-head', (8, 4): 'attention-head-8x4', (16, 4): 'attention-head-16x4'}


def num(x):
    return repr(float(x))  # shortest text that parses back to the same double


def chunks(items):
    return [items[c:c + UNIT] for c in range(0, len(items), UNIT)]


class Layer:
    """Sizes and weights. wq, wk: h x m x D; wv: h x m_v x D; wo: D_out x h m_v or None."""

    def __init__(self, n, d, m, mv, h, wq, wk, wv, wo, temp):
        self.n, self.d, self.m, self.mv, self.h = n, d, m, mv, h
        self.wq, self.wk, self.wv, self.wo, self.temp = wq, wk, wv, wo, temp
        self.dout = len(wo) if wo is not None else mv

    def prefix(self, head):
        # One head keeps the names of earlier versions (q1_1, p1_2_1, a1, ...).
        return '' if self.h == 1 else f'h{head + 1}_'


def eye(rows, cols):
    return [[1.0 if r == c else 0.0 for c in range(cols)] for r in range(rows)]


def shaped(flat, h, rows, cols, what):
    if len(flat) != h * rows * cols:
        raise SystemExit(f'{what}: need {h * rows * cols} numbers (h={h} x {rows} x {cols}, '
                         f'row-major, head by head), got {len(flat)}')
    return [[flat[(k * rows + r) * cols:(k * rows + r + 1) * cols] for r in range(rows)]
            for k in range(h)]


def numbers(text):
    return [float(t) for t in text.split(',')]


def build_layer(a):
    n, m, h = a.tokens, a.qk_dim, a.heads
    mv = a.v_dim if a.v_dim else m
    d = a.dim if a.dim else h * m
    if not 1 <= n <= MAX_TOKENS:
        raise SystemExit(f'--tokens: 1 to {MAX_TOKENS} (the widest softmax plugin is softmax-16; '
                         'a wider softmax cannot be patched from narrower ones)')
    if min(m, mv, d, h) < 1:
        raise SystemExit('dimensions and heads are at least 1')
    w = {}
    if a.weights:
        with open(a.weights) as f:
            w = json.load(f)
        for k in ('wq', 'wk', 'wv'):
            if k in w and h == 1 and w[k] and not isinstance(w[k][0][0], list):
                w[k] = [w[k]]  # one head: a matrix is accepted for a list of one
    rng = random.Random(a.random) if a.random is not None else None

    def matrix(key, rows, cols, text):
        if text:
            return shaped(numbers(text), h, rows, cols, '--' + key)
        if key in w:
            return w[key]
        if rng:
            s = 1.0 / math.sqrt(cols)
            return [[[rng.uniform(-s, s) for _ in range(cols)] for _ in range(rows)]
                    for _ in range(h)]
        return [eye(rows, cols) for _ in range(h)]

    wq = matrix('wq', m, d, a.wq)
    wk = matrix('wk', m, d, a.wk)
    wv = matrix('wv', mv, d, a.wv)
    wo = None
    if a.wo:
        wo = shaped(numbers(a.wo), 1, d, h * mv, '--wo')[0]
    elif 'wo' in w:
        wo = w['wo']
    elif h > 1 or a.out_proj:
        if rng:
            s = 1.0 / math.sqrt(h * mv)
            wo = [[rng.uniform(-s, s) for _ in range(h * mv)] for _ in range(d)]
        else:
            wo = eye(d, h * mv)
    for key, mats, rows, cols in (('wq', wq, m, d), ('wk', wk, m, d), ('wv', wv, mv, d)):
        if len(mats) != h or any(len(x) != rows or any(len(r) != cols for r in x) for x in mats):
            raise SystemExit(f'{key}: expected {h} matrices of {rows} x {cols}')
    if wo is not None and any(len(r) != h * mv for r in wo):
        raise SystemExit(f'wo: rows of {h * mv} (h m_v) numbers')
    temp = a.temp if a.temp is not None else w.get('temp', 1.0)
    return Layer(n, d, m, mv, h, wq, wk, wv, wo, temp)


def header(a, L, kind):
    if L.h == 1 and L.wo is None and L.d == L.m == L.mv:
        size = f'n={L.n} tokens of m={L.m} streams'
        weights = f'W_Q={L.wq[0]} W_K={L.wk[0]} W_V={L.wv[0]} T={L.temp}'
    else:
        size = (f'n={L.n} tokens of D={L.d} streams, h={L.h} heads of m={L.m}, m_v={L.mv}'
                + (f', output projection to {L.dout}' if L.wo is not None else ''))
        weights = f'T={L.temp}; weights as controls below'
    out = [f'# Self-attention {"head" if L.h == 1 else "layer"}, {size}, {kind}.',
           f'# Written by tools/attention/gen_head.py: {weights}',
           f'rate {a.rate}', f'duration {a.duration}', '']
    # Token streams are graph inputs, so a test can feed its own WAVs (--input x1_1=FILE).
    # Without them: seeded noise (a seed per stream), or slow sines for watching: token i
    # turns at i/2 Hz, its next streams a quarter cycle behind each, so the keys that best
    # match query 1 change over time and its attention moves between them.
    for i in range(1, L.n + 1):
        for c in range(1, L.d + 1):
            if a.inputs == 'sines':
                src = f'sine freq={i / 2!r} phase={(c - 1) / 4!r} amp={a.amp}'
            else:
                seed = 10 * i + c if L.d < 10 else 1000 * i + c
                src = f'noise seed={seed} amp={a.amp}'
            out.append(f'input x{i}_{c} = {src}')
    out.append('')
    return out


def plot_line(L, weights):
    # Query 1 is enough to see the head follow its keys; every lane would be unreadable. The
    # patched graph also shows query 1's attention weights a_1j (softmax outputs) of head 1.
    xs = [f'x{i}_{c}' for i in range(1, min(L.n, 2) + 1) for c in range(1, min(L.d, 2) + 1)]
    ws = ([f'{weights}.a{j}' for j in range(1, min(L.n, 4) + 1)] if weights else [])
    os_ = [f'o1_{c}' for c in range(1, min(L.dout, 2) + 1)]
    return 'plot ' + ' '.join(xs + ws + os_)


def weighted_sum(g, name, terms, counts):
    """Node `name` outputs sum_t w_t * src_t over terms [(src, w)]: one neuron for up to four
    terms, else neurons of four terms (name_p1, ..) added by neuron `name` at x1."""
    def unit(nm, part):
        ws = ' '.join(f'w{k + 1}={num(w)}' for k, (_, w) in enumerate(part))
        g.append(f'node {nm} = neuron {ws}')
        counts['neuron'] += 1
        for k, (src, _) in enumerate(part):
            g.append(f'{src} -> {nm}.x{k + 1}')
    parts = chunks(terms)
    if len(parts) == 1:
        unit(name, parts[0])
        return
    g.append(f'node {name} = neuron w1=1.0')
    counts['neuron'] += 1
    for c, part in enumerate(parts):
        unit(f'{name}_p{c + 1}', part)
        g.append(f'{name}_p{c + 1}.out -> {name}.x1')


def patched(a, L):
    g = header(a, L, 'patched from quarks')
    counts = {'neuron': 0, 'output-gate': 0, 'softmax': 0, 'softmax-16': 0, 'synaptic-gate': 0}
    gates = {'output': 0, 'synaptic_coefficients': set(), 'synapses': 0}
    softmax = 'softmax' if L.n <= 4 else 'softmax-16'
    simple = L.d <= UNIT
    for hd in range(L.h):
        pre = L.prefix(hd)
        mats = {'q': (L.wq[hd], L.m), 'k': (L.wk[hd], L.m), 'v': (L.wv[hd], L.mv)}
        if L.h > 1:
            g += [f'# Head {hd + 1}.', '']
        g.append('# Projections: linear neurons, w_d = W[l][d] on token i\'s streams '
                 + ('x1, x2.' if L.d == 2 else f'x1 .. x{L.d}.'))
        if simple:
            # The 4x2 layout of earlier versions: every projection of token i, then its wires.
            for name, (w, rows) in mats.items():
                for i in range(1, L.n + 1):
                    for l in range(rows):
                        ws = ' '.join(f'w{c + 1}={num(w[l][c])}' for c in range(L.d))
                        g.append(f'node {pre}{name}{i}_{l + 1} = neuron {ws}')
                        counts['neuron'] += 1
            for i in range(1, L.n + 1):
                for c in range(1, L.d + 1):
                    dests = [f'{pre}{nm}{i}_{l}.x{c}' for nm, (_, rows) in mats.items()
                             for l in range(1, rows + 1)]
                    g.append(f'x{i}_{c} -> ' + ', '.join(dests))
        else:
            for name, (w, rows) in mats.items():
                for i in range(1, L.n + 1):
                    for l in range(rows):
                        weighted_sum(g, f'{pre}{name}{i}_{l + 1}',
                                     [(f'x{i}_{c + 1}', w[l][c]) for c in range(L.d)], counts)
        g += ['', '# Scores: output gating q_il * k_jl (linear gate), summed over l by a neuron.']
        for i in range(1, L.n + 1):
            for j in range(1, L.n + 1):
                for l in range(1, L.m + 1):
                    p = f'{pre}p{i}_{j}_{l}'
                    g.append(f'node {p} = output-gate')
                    g.append(f'{pre}q{i}_{l} -> {p}.in')
                    g.append(f'{pre}k{j}_{l} -> {p}.gate')
                    counts['output-gate'] += 1
                    gates['output'] += 1
                s = f'{pre}s{i}_{j}'
                g.append(f'node {s} = neuron')
                counts['neuron'] += 1
                # up to four products on x1..x4 (weights 1 by default), more added at x1
                g += [f'{pre}p{i}_{j}_{l}.out -> {s}.x{l if L.m <= UNIT else 1}'
                      for l in range(1, L.m + 1)]
        g += ['', '# Softmax over keys j, one per query i.']
        for i in range(1, L.n + 1):
            g.append(f'node {pre}a{i} = {softmax} temp={num(L.temp)}')
            counts[softmax] += 1
            g += [f'{pre}s{i}_{j}.out -> {pre}a{i}.s{j}' for j in range(1, L.n + 1)]
        g += ['', '# Outputs: synaptic gating, synapse j of y_il carries v_jl and is gated by a_ij.']
        for i in range(1, L.n + 1):
            for l in range(1, L.mv + 1):
                y = f'{pre}y{i}_{l}'
                parts = chunks(list(range(1, L.n + 1)))
                if len(parts) > 1:
                    g.append(f'node {y} = neuron w1=1.0')
                    counts['neuron'] += 1
                for c, part in enumerate(parts):
                    sg = y if len(parts) == 1 else f'{y}_c{c + 1}'
                    g.append(f'node {sg} = synaptic-gate')
                    counts['synaptic-gate'] += 1
                    for k, j in enumerate(part):
                        g.append(f'{pre}v{j}_{l} -> {sg}.x{k + 1}')
                        g.append(f'{pre}a{i}.a{j} -> {sg}.g{k + 1}')
                        gates['synaptic_coefficients'].add((hd, i, j))
                        gates['synapses'] += 1
                    if len(parts) > 1:
                        g.append(f'{sg}.out -> {y}.x1')
                if L.wo is None:
                    g.append(f'output o{i}_{l} = {y}.out')
        g.append('')
    if L.wo is not None:
        g.append('# Output projection: y_i = W_O [o_i of head 1, .., head h], linear neurons.')
        for i in range(1, L.n + 1):
            for r in range(L.dout):
                srcs = [f'{L.prefix(hd)}y{i}_{l}.out' for hd in range(L.h)
                        for l in range(1, L.mv + 1)]
                weighted_sum(g, f'out{i}_{r + 1}', list(zip(srcs, L.wo[r])), counts)
                g.append(f'output o{i}_{r + 1} = out{i}_{r + 1}.out')
        g.append('')
    g += [plot_line(L, f'{L.prefix(0)}a1'), '']
    return g, gates, counts


def fused_plugin(L):
    """The fused plugin that computes one head of L, or None."""
    for (n, dim), name in FUSED.items():
        if n == L.n and max(L.d, L.m, L.mv) <= dim:
            return name, dim
    return None


def fused(a, L):
    """One fused node per head (and the output projection's neurons), or None."""
    found = fused_plugin(L)
    if not found:
        return None
    plugin, dim = found
    g = header(a, L, f'one fused {plugin} node' + ('' if L.h == 1 else ' per head'))
    counts = {'neuron': 0, plugin: L.h}
    for hd in range(L.h):
        node = 'head' if L.h == 1 else f'head{hd + 1}'
        ctl = []
        for name, w, rows in (('wq', L.wq[hd], L.m), ('wk', L.wk[hd], L.m),
                              ('wv', L.wv[hd], L.mv)):
            # Entries beyond the layer's sizes are 0: the plugin's defaults are the identity.
            ctl += [f'{name}{r + 1}{c + 1}='
                    + num(w[r][c] if r < rows and c < L.d else 0.0)
                    for r in range(dim) for c in range(dim)]
        g.append(f'node {node} = {plugin} ' + ' '.join(ctl) + f' temp={num(L.temp)}')
        for i in range(1, L.n + 1):
            for c in range(1, L.d + 1):
                g.append(f'x{i}_{c} -> {node}.x{i}_{c}')
                if L.wo is None and c <= L.mv:
                    g.append(f'output o{i}_{c} = {node}.o{i}_{c}')
            if L.wo is None:
                g += [f'output o{i}_{c} = {node}.o{i}_{c}' for c in range(L.d + 1, L.mv + 1)]
    if L.wo is not None:
        g += ['', '# Output projection: y_i = W_O [o_i of head 1, .., head h], linear neurons.']
        for i in range(1, L.n + 1):
            for r in range(L.dout):
                srcs = [f'{"head" if L.h == 1 else f"head{hd + 1}"}.o{i}_{l}'
                        for hd in range(L.h) for l in range(1, L.mv + 1)]
                weighted_sum(g, f'out{i}_{r + 1}', list(zip(srcs, L.wo[r])), counts)
                g.append(f'output o{i}_{r + 1} = out{i}_{r + 1}.out')
    g += ['', plot_line(L, None), '']
    return g, counts


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('-n', '--tokens', type=int, default=4, help=f'tokens n (1..{MAX_TOKENS})')
    p.add_argument('-m', '--qk-dim', type=int, default=2, help='query/key dimension m per head')
    p.add_argument('--v-dim', type=int, help='value dimension m_v per head (default m)')
    p.add_argument('--heads', type=int, default=1, help='heads h (default 1)')
    p.add_argument('--dim', type=int, help='streams D of a token (default h m)')
    p.add_argument('--out-proj', action='store_true',
                   help='an output projection W_O also for one head (always for h > 1)')
    p.add_argument('--wq', help='W_Q: h*m*D numbers, row-major, head by head (a,b,c,d for 4x2)')
    p.add_argument('--wk', help='W_K, the same layout')
    p.add_argument('--wv', help='W_V: h*m_v*D numbers')
    p.add_argument('--wo', help='W_O: D * h*m_v numbers, row-major')
    p.add_argument('--weights', help='JSON file with wq, wk (h x m x D), wv (h x m_v x D), '
                   'wo (D x h m_v) and temp; options given on the command line win')
    p.add_argument('--random', type=int, metavar='SEED',
                   help='seeded random weights (uniform, +-1/sqrt(columns)) for matrices not given')
    p.add_argument('-T', '--temp', type=float, help='softmax temperature (default 1)')
    p.add_argument('--inputs', choices=('noise', 'sines'), default='noise',
                   help='default token streams when no --input file is given to the renderer')
    p.add_argument('--amp', type=float, default=1.0, help='amplitude of the default inputs')
    p.add_argument('--rate', type=int, default=48000)
    p.add_argument('--duration', default='1')
    p.add_argument('-o', '--output', required=True, help='patched graph to write')
    p.add_argument('--fused', help='also write the fused-plugin graph here (fused sizes: '
                   + ', '.join(f'{n}x{d}' for n, d in FUSED) + ' tokens x dimension)')
    p.add_argument('--carla', action='store_true',
                   help='also write each graph as a Carla project (GRAPH.carxp) with quarks export')
    p.add_argument('--quarks', default='quarks', help='the quarks command (for --carla)')
    a = p.parse_args()
    L = build_layer(a)
    g, gates, counts = patched(a, L)
    with open(a.output, 'w') as f:
        f.write('\n'.join(g))
    graphs = [a.output]
    if a.fused:
        fz = fused(a, L)
        if fz is None:
            raise SystemExit(f'no fused plugin for n={L.n} with D, m, m_v <= its dimension '
                             '(sizes: ' + ', '.join(f'{n}x{d}' for n, d in FUSED) + ')')
        with open(a.fused, 'w') as f:
            f.write('\n'.join(fz[0]))
        graphs.append(a.fused)
    if a.carla:
        # The exporter is the one Carla writer in the project; it checks every port by lilv.
        for graph in graphs:
            carxp = os.path.splitext(graph)[0] + '.carxp'
            subprocess.run([a.quarks, 'export', '--carla', '-q', '-o', carxp, graph], check=True)
            print(f'wrote {carxp}')
    print(f'output-gating products: {gates["output"]}')
    print(f'synaptic-gating coefficients: {len(gates["synaptic_coefficients"])}')
    print(f'gated synapses: {gates["synapses"]}')
    print(f'nodes: {sum(counts.values())} (' + ', '.join(
        f'{k} {v}' for k, v in counts.items() if v) + ')')
    return 0


if __name__ == '__main__':
    sys.exit(main())
