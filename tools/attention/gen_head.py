#!/usr/bin/python3
"""Writes a self-attention head (n=4 tokens, m=2 dims) as a graph of quark plugins for
`quarks render`, and the same head as one fused `attention-head` node (docs/attention.md).

The patched head follows QUARKS.md, "Transformer attention from quarks":
  q_il, k_jl, v_jl  linear `neuron`s of token i's two streams (rows of W_Q, W_K, W_V);
  q_il * k_jl       one `output-gate` per product (in = q_il, gate = k_jl, linear gate);
  s_ij              a linear `neuron` summing the m products over l;
  a_ij              one `softmax` per query i over its n scores, temperature T;
  o_il              a linear `synaptic-gate`: synapse j carries v_jl, gated by a_ij, w = 1.
Prints the counts of gating operations it wrote, counted from the nodes themselves."""
import argparse
import os
import subprocess
import sys

N, M = 4, 2  # the fused plugin's size (PORTS.md); the patched head uses the same layout


def matrix(text):
    v = [float(t) for t in text.split(',')]
    if len(v) != M * M:
        raise argparse.ArgumentTypeError(f'need {M * M} comma-separated numbers, row-major')
    return [v[r * M:(r + 1) * M] for r in range(M)]


def num(x):
    return repr(float(x))  # shortest text that parses back to the same double


def header(a, kind):
    out = [f'# Self-attention head, n={N} tokens of m={M} streams, {kind}.',
           f'# Written by tools/attention/gen_head.py: W_Q={a.wq} W_K={a.wk} W_V={a.wv} T={a.temp}',
           f'rate {a.rate}', f'duration {a.duration}', '']
    # Token streams are graph inputs, so a test can feed its own WAVs (--input x1_1=FILE).
    # Without them: seeded noise (a seed per stream), or slow sines for watching: token i
    # turns at i/2 Hz, its second stream a quarter cycle behind, so the keys that best match
    # query 1 change over time and its attention moves between them.
    for i in range(1, N + 1):
        for d in range(1, M + 1):
            if a.inputs == 'sines':
                src = f'sine freq={i / 2!r} phase={(d - 1) / 4!r} amp={a.amp}'
            else:
                src = f'noise seed={10 * i + d} amp={a.amp}'
            out.append(f'input x{i}_{d} = {src}')
    out.append('')
    return out


def plot_line(patched):
    # Query 1 is enough to see the head follow its keys; all 16 lanes would be unreadable. The
    # patched graph also shows query 1's attention weights a_1j (softmax outputs).
    weights = ' a1.a1 a1.a2 a1.a3 a1.a4' if patched else ''
    return 'plot x1_1 x1_2 x2_1 x2_2' + weights + ' o1_1 o1_2'


def patched(a):
    g = header(a, 'patched from quarks')
    gates = {'output': 0, 'synaptic_coefficients': set(), 'synapses': 0}
    mats = {'q': a.wq, 'k': a.wk, 'v': a.wv}
    g.append('# Projections: linear neurons, w_d = W[l][d] on token i\'s streams x1, x2.')
    for name, w in mats.items():
        for i in range(1, N + 1):
            for l in range(M):
                g.append(f'node {name}{i}_{l + 1} = neuron w1={num(w[l][0])} w2={num(w[l][1])}')
    for i in range(1, N + 1):
        for d in range(1, M + 1):
            dests = [f'{nm}{i}_{l}.x{d}' for nm in mats for l in range(1, M + 1)]
            g.append(f'x{i}_{d} -> ' + ', '.join(dests))
    g += ['', '# Scores: output gating q_il * k_jl (linear gate), summed over l by a neuron.']
    for i in range(1, N + 1):
        for j in range(1, N + 1):
            for l in range(1, M + 1):
                p = f'p{i}_{j}_{l}'
                g.append(f'node {p} = output-gate')
                g.append(f'q{i}_{l} -> {p}.in')
                g.append(f'k{j}_{l} -> {p}.gate')
                gates['output'] += 1
            g.append(f'node s{i}_{j} = neuron')
            g += [f'p{i}_{j}_{l}.out -> s{i}_{j}.x{l}' for l in range(1, M + 1)]
    g += ['', '# Softmax over keys j, one per query i.']
    for i in range(1, N + 1):
        g.append(f'node a{i} = softmax temp={num(a.temp)}')
        g += [f's{i}_{j}.out -> a{i}.s{j}' for j in range(1, N + 1)]
    g += ['', '# Outputs: synaptic gating, synapse j of y_il carries v_jl and is gated by a_ij.']
    for i in range(1, N + 1):
        for l in range(1, M + 1):
            y = f'y{i}_{l}'
            g.append(f'node {y} = synaptic-gate')
            for j in range(1, N + 1):
                g.append(f'v{j}_{l} -> {y}.x{j}')
                g.append(f'a{i}.a{j} -> {y}.g{j}')
                gates['synaptic_coefficients'].add((i, j))
                gates['synapses'] += 1
            g.append(f'output o{i}_{l} = {y}.out')
    g += ['', plot_line(True), '']
    return g, gates


def fused(a):
    g = header(a, 'one fused attention-head node')
    ctl = []
    for name, w in (('wq', a.wq), ('wk', a.wk), ('wv', a.wv)):
        ctl += [f'{name}{l + 1}{d + 1}={num(w[l][d])}' for l in range(M) for d in range(M)]
    g.append('node head = attention-head ' + ' '.join(ctl) + f' temp={num(a.temp)}')
    for i in range(1, N + 1):
        for d in range(1, M + 1):
            g.append(f'x{i}_{d} -> head.x{i}_{d}')
            g.append(f'output o{i}_{d} = head.o{i}_{d}')
    g += ['', plot_line(False), '']
    return g


def main():
    ident = '1,0,0,1'
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--wq', type=matrix, default=matrix(ident), help='W_Q row-major (a,b,c,d)')
    p.add_argument('--wk', type=matrix, default=matrix(ident), help='W_K row-major')
    p.add_argument('--wv', type=matrix, default=matrix(ident), help='W_V row-major')
    p.add_argument('-T', '--temp', type=float, default=1.0, help='softmax temperature')
    p.add_argument('--inputs', choices=('noise', 'sines'), default='noise',
                   help='default token streams when no --input file is given to the renderer')
    p.add_argument('--amp', type=float, default=1.0, help='amplitude of the default inputs')
    p.add_argument('--rate', type=int, default=48000)
    p.add_argument('--duration', default='1')
    p.add_argument('-o', '--output', required=True, help='patched graph to write')
    p.add_argument('--fused', help='also write the fused-plugin graph here')
    p.add_argument('--carla', action='store_true',
                   help='also write each graph as a Carla project (GRAPH.carxp) with quarks export')
    p.add_argument('--quarks', default='quarks', help='the quarks command (for --carla)')
    a = p.parse_args()
    g, gates = patched(a)
    with open(a.output, 'w') as f:
        f.write('\n'.join(g))
    if a.fused:
        with open(a.fused, 'w') as f:
            f.write('\n'.join(fused(a)))
    if a.carla:
        # The exporter is the one Carla writer in the project; it checks every port by lilv.
        for graph in [a.output] + ([a.fused] if a.fused else []):
            carxp = os.path.splitext(graph)[0] + '.carxp'
            subprocess.run([a.quarks, 'export', '--carla', '-q', '-o', carxp, graph], check=True)
            print(f'wrote {carxp}')
    print(f'output-gating products: {gates["output"]}')
    print(f'synaptic-gating coefficients: {len(gates["synaptic_coefficients"])}')
    print(f'gated synapses: {gates["synapses"]}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
