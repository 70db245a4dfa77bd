#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Independent reference for the render test vectors.

Computes the expected output of every graph in this folder straight from the formulas of
../shared/paper/QUARKS.md, docs/PORTS.md (plugins) and docs/graph.md (sources), in double
precision with numpy. It does not call the renderer, the plugins or dsp/: each vector below
restates its graph's circuit as formulas. It also writes the input files the graphs read.

Regenerate (Debian's python3 with python3-numpy; from the repository root):

    /usr/bin/python3 tests/vectors/reference.py

It writes tests/vectors/inputs/*.wav and tests/vectors/expected/GRAPH/OUTPUT.wav (32-bit float
WAV). Exactness conventions, so float and double agree: source samples are rounded to float32
as the renderer's buffers are; control values are rounded to float32 as LV2 control ports are;
everything else is double, and outputs are rounded to float32 when written.
"""
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
RATE = 48000
LIMIT = 1e12
f32 = np.float32


def c(v):
    """A control value as the plugin sees it: a float32."""
    return float(f32(v))


# ---- WAV files (IEEE float, as libsndfile reads them) -------------------------------------

def write_wav(path, channels, rate):
    """channels: list of equal-length arrays; written as 32-bit float WAV."""
    data = np.stack([np.asarray(ch, dtype=np.float64).astype(np.float32) for ch in channels],
                    axis=1)
    n, nch = data.shape
    payload = data.astype('<f4').tobytes()
    fmt = struct.pack('<HHIIHH', 3, nch, rate, rate * 4 * nch, 4 * nch, 32)
    fact = struct.pack('<I', n)
    body = (b'WAVE' + b'fmt ' + struct.pack('<I', len(fmt)) + fmt + b'fact' +
            struct.pack('<I', 4) + fact + b'data' + struct.pack('<I', len(payload)) + payload)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + '.tmp', 'wb') as f:
        f.write(b'RIFF' + struct.pack('<I', len(body)) + body)
    os.replace(path + '.tmp', path)


# ---- sources (docs/graph.md, "Sources") -----------------------------------------------------

def idx(n):
    return np.arange(n, dtype=np.float64)


def frac(x):
    return x - np.floor(x)


def constant(n, value):
    return np.full(n, f32(value), dtype=np.float32)


def pulse(n, period, duty=0.5, phase=0.0, low=0.0, high=1.0):
    """period in samples."""
    f = frac(idx(n) / period + phase)
    return np.where(f < duty, high, low).astype(np.float32)


def ramp(n, period, phase=0.0, lo=0.0, hi=1.0):
    f = frac(idx(n) / period + phase)
    return (lo + (hi - lo) * f).astype(np.float32)


def sine(n, hz, amp=1.0, offset=0.0, phase=0.0, rate=RATE):
    cyc = frac(idx(n) * (hz / rate) + phase)
    return (offset + amp * np.sin(2.0 * np.pi * cyc)).astype(np.float32)


def noise(n, seed, amp=1.0, offset=0.0):
    """SplitMix64 at counter i + 1, top 24 bits mapped to [-1, 1)."""
    with np.errstate(over='ignore'):
        z = np.uint64(seed) + (np.arange(n, dtype=np.uint64) + np.uint64(1)) * \
            np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(40)).astype(np.float64) * (2.0 / 16777216.0) - 1.0
    return (offset + amp * u).astype(np.float32)


# ---- the plugins (docs/PORTS.md) -----------------------------------------------------------

def sane(x):
    x = np.where(np.isnan(x), 0.0, x)
    return np.clip(x, -LIMIT, LIMIT)


def act(k, s):
    if k == 0:
        return s
    if k == 1:
        return np.where(s >= 0, 1.0, 0.0)
    if k == 2:
        return np.where(s >= 0, 1.0, -1.0)
    if k == 3:
        return 1.0 / (1.0 + np.exp(-s))
    if k == 4:
        return np.tanh(s)
    if k == 5:
        return np.maximum(0.0, s)
    raise ValueError(k)


def d(x, n, identity):
    """A stream as double; None (unconnected) reads as identity."""
    if x is None:
        return np.full(n, identity, dtype=np.float64)
    return np.asarray(x, dtype=np.float64)


# Thresholds the float32 plugins and this double reference must not disagree about: a step or
# sign input this close to 0 would make the vector depend on rounding, not on the formulas.
NEAR = 1e-4


def check_clear(s, k, name):
    if k in (1, 2) and np.min(np.abs(s)) < NEAR:
        sys.exit(f'reference: {name}: a step/sign input comes within {NEAR} of 0 '
                 f'(min {np.min(np.abs(s)):.3g}); change the vector')


def neuron(n, x=(None,) * 4, attend=None, w=(1, 1, 1, 1), bias=0.0, v=1.0, slope=1.0, k=0,
           name='neuron', exact=False):
    """exact: S is one input times 1 plus 0, which float arithmetic computes exactly, so a step
    or sign of it needs no distance from 0."""
    s = c(bias) + c(v) * d(attend, n, 0.0)
    for xi, wi in zip(x, w):
        s = s + c(wi) * d(xi, n, 0.0)
    s = sane(c(slope) * s)
    if not exact:
        check_clear(s, k, name)
    return act(k, s)


def output_gate(n, inp, gate=None, a=1.0, cc=0.0, k=0, name='output-gate'):
    g_in = sane(c(a) * d(gate, n, 1.0) + c(cc))
    check_clear(g_in, k, name)
    return sane(d(inp, n, 0.0) * act(k, g_in))


def synaptic_gate(n, x=(None,) * 4, g=(None,) * 4, w=(1, 1, 1, 1), bias=0.0, slope=1.0, k=0,
                  name='synaptic-gate'):
    s = np.full(n, c(bias))
    for xi, gi, wi in zip(x, g, w):
        s = s + c(wi) * d(gi, n, 1.0) * d(xi, n, 0.0)
    s = sane(c(slope) * s)
    check_clear(s, k, name)
    return act(k, s)


def activation_gate(n, x=(None,) * 4, gate=None, w=(1, 1, 1, 1), bias=0.0, slope=1.0, k=0,
                    name='activation-gate'):
    s = np.full(n, c(bias))
    for xi, wi in zip(x, w):
        s = s + c(wi) * d(xi, n, 0.0)
    s = sane(c(slope) * (d(gate, n, 1.0) * s))
    check_clear(s, k, name)
    return act(k, s)


def additive_output(n, inp, gate=None, k=1.0):
    return sane(d(inp, n, 0.0) + c(k) * d(gate, n, 0.0))


def additive_synapse(n, x=(None,) * 4, g=(None,) * 4, w=(1, 1, 1, 1), bias=0.0, slope=1.0,
                     k=0, name='additive-synapse'):
    s = np.full(n, c(bias))
    for xi, gi, wi in zip(x, g, w):
        s = s + (c(wi) + d(gi, n, 0.0)) * d(xi, n, 0.0)
    s = sane(c(slope) * s)
    check_clear(s, k, name)
    return act(k, s)


def softmax(n, scores, temp=1.0):
    """scores: 4 entries, None = unconnected (left out; its attention is 0)."""
    t = min(max(c(temp), c(0.01)), 100.0)
    on = [i for i, s in enumerate(scores) if s is not None]
    z = np.stack([sane(np.asarray(scores[i], dtype=np.float64)) / t for i in on])
    e = np.exp(z - z.max(axis=0))
    a = e / e.sum(axis=0)
    out = [np.zeros(n) for _ in scores]
    for row, i in enumerate(on):
        out[i] = a[row]
    return out


# ---- the vectors: one function per graph file ---------------------------------------------

def ms(x):
    return x * (RATE / 1000.0)


def sec(x):
    return x * RATE


def v_sources():
    n = sec(0.25)
    n = int(n)
    s = sine(n, 440, amp=0.8, offset=0.1, phase=0.125)
    r = ramp(n, 2205, phase=0.3, lo=-2, hi=3)
    return {
        'constant': constant(n, 0.25),
        'pulse': pulse(n, ms(10), duty=0.3, phase=0.25, low=-1, high=2),
        'sine': s,
        'ramp': r,
        'noise': noise(n, 12345, amp=0.5, offset=0.25),
        'file': STEREO[1][:n],
        'fanin': s.astype(np.float64) + r.astype(np.float64),
    }


def v_neuron():
    n = int(sec(0.25))
    a = sine(n, 50, amp=1.5)
    b = ramp(n, sec(0.05), lo=-1, hi=1)
    nz = noise(n, 7, amp=0.3)
    att = pulse(n, sec(0.04))
    x = (a, b, nz, None)
    w = (1.2, -0.7, 0.5, 1)
    return {
        'linear': neuron(n, x, att, (1.2, -0.7, 0.5, 3), 0.1, 0.8, 1.5, 0),
        'step_out': neuron(n, x, att, w, 0.13, 0.8, 1.0, 1, 'step'),
        'sign_out': neuron(n, x, att, w, 0.1, -0.8, 1.0, 2, 'sign'),
        'sigmoid': neuron(n, x, att, w, 0.1, 0.8, 2.0, 3),
        'tanh': neuron(n, x, att, w, 0.1, 0.8, 0.5, 4),
        'relu': neuron(n, x, att, w, 0.1, -0.8, 1.0, 5),
    }


def v_output_gate():
    n = int(sec(0.25))
    s = sine(n, 100, amp=2)
    r = ramp(n, sec(0.03), lo=-1, hi=1)
    p = pulse(n, sec(0.02), duty=0.25)
    return {
        'product': output_gate(n, s, r),
        'soft_gate': output_gate(n, s, r, a=4, cc=-1, k=3),
        'hard_gate': output_gate(n, s, r, a=1, cc=0.0371, k=1, name='hard'),
        'tanh_gate': output_gate(n, s, p, a=2, cc=0.5, k=4),
        'unconnected_gate': output_gate(n, s, None, a=0.5, cc=0.25),
    }


def v_synaptic_gate():
    n = int(sec(0.25))
    x = (sine(n, 60, amp=1.2), ramp(n, sec(0.04), lo=-1, hi=1.5), noise(n, 3, amp=0.8), None)
    g = (pulse(n, sec(0.025), duty=0.6), sine(n, 13, amp=0.9, offset=0.2), None, None)
    w = (1.5, -2, 0.7, 1)
    return {
        'linear': synaptic_gate(n, x, g, (1.5, -2, 0.7, 5), -0.2),
        'tanh': synaptic_gate(n, x, g, w, -0.2, 1.3, 4),
        'relu': synaptic_gate(n, x, g, w, -0.2, 1.0, 5),
    }


def v_activation_gate():
    n = int(sec(0.25))
    x = (sine(n, 70, amp=1.1), noise(n, 99, amp=0.6), None, None)
    gr = ramp(n, sec(0.05), lo=-0.5, hi=2)
    gp = pulse(n, sec(0.03))
    w = (1.3, 0.8, 1, 1)
    return {
        'linear': activation_gate(n, x, gr, w, 0.3),
        'tanh': activation_gate(n, x, gr, w, 0.3, 1.7, 4),
        'sigmoid': activation_gate(n, x, gp, w, 0.3, 1.0, 3),
        'ungated': activation_gate(n, x, None, w, 0.3, 1.0, 4),
    }


def v_additive_output():
    n = int(sec(0.25))
    inp = STEREO[0][:n]
    return {
        'noise_added': additive_output(n, inp, noise(n, 5, amp=0.4), 0.5),
        'pulse_added': additive_output(n, inp, pulse(n, sec(0.02), low=-0.5, high=0.5), -2),
        'unconnected_gate': additive_output(n, inp, None, 3),
    }


def v_additive_synapse():
    n = int(sec(0.25))
    x = (sine(n, 40), ramp(n, sec(0.06), lo=-1, hi=1), constant(n, 0.75), None)
    g = (noise(n, 11, amp=0.5, offset=0.5), None, pulse(n, sec(0.05)), None)
    w = (0.5, -1.5, 0.25, 1)
    return {
        'linear': additive_synapse(n, x, g, w, 0.05),
        'sigmoid': additive_synapse(n, x, g, w, 0.05, 3, 3),
    }


def v_softmax():
    n = int(sec(0.25))
    s1 = sine(n, 30, amp=3)
    s2 = ramp(n, sec(0.07), lo=-2, hi=4)
    s3 = noise(n, 21, amp=2)
    sm = softmax(n, [s1, s2, s3, None], 0.5)
    hot = softmax(n, [s1, s2, s3, None], 4)
    one = softmax(n, [None, sine(n, 45, amp=20), None, None])
    return {
        'a1': sm[0], 'a2': sm[1], 'a3': sm[2], 'a4': sm[3],
        'hot1': hot[0], 'hot3': hot[2], 'single': one[1],
    }


def v_relu():
    s = RAMP_IN
    n = len(s)
    lin = neuron(n, (s, None, None, None), k=0)
    step = neuron(n, (s, None, None, None), k=1, exact=True)
    out = output_gate(n, lin, step)
    # The identity itself, independently of the plugin formulas above.
    assert np.array_equal(out, np.maximum(0.0, s.astype(np.float64)))
    return {'relu': out}


def v_fg_shaping():
    n = int(sec(0.25))
    s = ramp(n, sec(0.125), phase=0.01, lo=-4, hi=4)
    x = (s, None, None, None)
    th = neuron(n, x, slope=1.5, k=4)
    sg = neuron(n, x, k=3)
    lin = neuron(n, x, k=0)
    sgn = neuron(n, x, k=2, exact=True)
    stp = neuron(n, x, k=1, exact=True)
    sd = s.astype(np.float64)
    # Gating f by g on the same S is f*g (QUARKS.md), checked against the closed forms.
    swish = output_gate(n, lin, sg)
    assert np.allclose(swish, sd / (1 + np.exp(-sd)), rtol=0, atol=1e-12)
    sign_step = output_gate(n, sgn, stp)
    assert np.array_equal(sign_step, np.where(sd >= 0, 1.0, 0.0))
    return {
        'tanh_sigmoid': output_gate(n, th, sg),
        'swish_out': swish,
        'sign_step': sign_step,
    }


def v_suppression():
    n = int(sec(0.25))
    s = sine(n, 20, amp=3)
    att = pulse(n, sec(0.05), phase=0.5)
    x = (s, None, None, None)
    out = {
        'suppressed_step': neuron(n, x, att, v=-50, k=1, exact=True),
        'suppressed_sigmoid': neuron(n, x, att, v=-50, slope=2, k=3),
        'forced_step': neuron(n, x, att, v=50, k=1, exact=True),
    }
    on = att == 1
    assert np.all(out['suppressed_step'][on] == 0) and np.all(out['forced_step'][on] == 1)
    assert np.all(out['suppressed_sigmoid'][on] < 1e-30)
    return out


def v_xor():
    n = int(sec(1))
    x1 = pulse(n, sec(0.5), phase=0.5)
    x2 = pulse(n, sec(1), phase=0.5)
    x = (x1, x2, None, None)
    o = neuron(n, x, w=(1, 1, 0, 0), bias=-0.5, v=0, k=1, name='or')
    a = neuron(n, x, w=(-1, -1, 0, 0), bias=1.5, v=0, k=1, name='nand')
    out = output_gate(n, o, a)
    assert np.array_equal(out, np.logical_xor(x1 > 0, x2 > 0).astype(np.float64))
    return {'xor': out}


def v_gating_equivalence():
    n = int(sec(0.25))
    x = (sine(n, 35, amp=2), noise(n, 8, amp=0.5), None, None)
    k = ramp(n, sec(0.04), lo=0, hi=1.5)
    w = (1.5, -1, 1, 1)
    ag = activation_gate(n, x, k, w, 0.2, k=5)
    og = output_gate(n, neuron(n, x, w=w, bias=0.2, k=5), k)
    assert np.allclose(ag, og, rtol=1e-12, atol=0)
    return {'activation_gated': ag, 'output_gated': og}


def v_xor_or_as_and():
    """xor.graph rendered with --set or.bias=-1.5: the OR unit becomes AND; AND * NAND = 0."""
    n = int(sec(1))
    x = (pulse(n, sec(0.5), phase=0.5), pulse(n, sec(1), phase=0.5), None, None)
    o = neuron(n, x, w=(1, 1, 0, 0), bias=-1.5, v=0, k=1, name='and')
    a = neuron(n, x, w=(-1, -1, 0, 0), bias=1.5, v=0, k=1, name='nand')
    out = output_gate(n, o, a)
    assert not out.any()
    return {'xor': out}


VECTORS = {
    'sources': v_sources,
    'neuron': v_neuron,
    'output-gate': v_output_gate,
    'synaptic-gate': v_synaptic_gate,
    'activation-gate': v_activation_gate,
    'additive-output': v_additive_output,
    'additive-synapse': v_additive_synapse,
    'softmax': v_softmax,
    'relu': v_relu,
    'fg-shaping': v_fg_shaping,
    'suppression': v_suppression,
    'xor': v_xor,
    'gating-equivalence': v_gating_equivalence,
    'xor-or-as-and': v_xor_or_as_and,  # not a graph: xor.graph with --set or.bias=-1.5
}

# Inputs the graphs read. ramp.wav: S from -2 to 2 over 0.5 s (the relu identity's input);
# ramp-44100.wav: the same at 44100 Hz (the wrong-rate error test); stereo.wav: two channels.
_nr = int(sec(0.5))
RAMP_IN = (-2.0 + 4.0 * np.arange(_nr) / (_nr - 1)).astype(np.float32)
_ns = int(sec(0.25))
STEREO = (sine(_ns, 220, amp=0.6, phase=0.3),
          (0.9 * np.cos(2 * np.pi * 7 * np.arange(_ns) / RATE) *
           np.linspace(0.2, 1.0, _ns)).astype(np.float32))


def main():
    write_wav(os.path.join(HERE, 'inputs', 'ramp.wav'), [RAMP_IN], RATE)
    write_wav(os.path.join(HERE, 'inputs', 'ramp-44100.wav'), [RAMP_IN[:22050]], 44100)
    write_wav(os.path.join(HERE, 'inputs', 'stereo.wav'), list(STEREO), RATE)
    for name, fn in VECTORS.items():
        outs = fn()
        for out, data in outs.items():
            data = np.asarray(data, dtype=np.float64)
            assert np.all(np.isfinite(data)), (name, out)
            write_wav(os.path.join(HERE, 'expected', name, out + '.wav'), [data], RATE)
        print(f'{name}: {", ".join(sorted(outs))}')


if __name__ == '__main__':
    main()
