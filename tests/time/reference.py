# SPDX-License-Identifier: ISC
"""Double-precision reference for the time-scale quarks (delay, leaky, slow-gate, fast-weight).

Written from ../shared/paper/QUARKS.md ("Time scales and feedback"), docs/PORTS.md (the sanitise
rule and the memoryless quarks) and docs/graph.md (sources, fan-in, unconnected inputs), never
from dsp/. numpy only (Debian's /usr/bin/python3).

Conventions, so that a float32 plugin and this double reference can agree:
- control values are rounded to float32, as LV2 control ports are, and clamped to their ranges;
- sources are computed in double and rounded once to float32, as the renderer's are;
- every state is a double, as QUARKS.md's recurrences are written.

The rules the plugins document beyond QUARKS.md, restated here:
- sane(x): NaN -> 0, clamp to +-1e12, |x| < FLT_MIN -> 0 (PORTS.md);
- a state (S, G, A_j) whose magnitude is below FLT_MIN is 0 (the denormal flush);
- fast weights saturate at +-100; the write rate eta is per second (eta / rate per sample);
- the delay is N = round(delay) + floor(time * rate / 1000 + 0.5) samples, at least 1.

It also runs whole graphs (class Graph) of these plugins and a few memoryless quarks, with
feedback through delays, block by block as QUARKS.md defines a loop: the oracle for the
renderer's loops (tests/time/test_loops.py, test_demos.py).
"""
import math
import os
import re
import shlex

import numpy as np

FLT_MIN = 2.0 ** -126
LIMIT = 1e12
FAST_MAX = 100.0
f32 = np.float32


def sane(x):
    x = np.asarray(x, dtype=np.float64)
    x = np.where(np.isnan(x), 0.0, x)
    x = np.clip(x, -LIMIT, LIMIT)
    return np.where(np.abs(x) < FLT_MIN, 0.0, x)


def activation(k, s):
    s = np.asarray(s, dtype=np.float64)
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


def alpha(tau, rate):
    """QUARKS.md: alpha = exp(-1 / (tau r)), tau = 0 gives 0."""
    return 0.0 if tau <= 0 else math.exp(-1.0 / (tau * rate))


def flush(s):
    return 0.0 if abs(s) < FLT_MIN else s


ACT_LABELS = {'linear': 0, 'step': 1, 'sign': 2, 'sigmoid': 3, 'tanh': 4, 'relu': 5}


def act_value(v):
    if isinstance(v, str) and v.lower() in ACT_LABELS:
        return ACT_LABELS[v.lower()]
    x = float(v)
    return int(min(max(math.floor(x + 0.5), 0), 5))


# ---- the plugins ---------------------------------------------------------------------------
# Each has its audio inputs (with the value an unconnected one reads), audio outputs and
# controls (default, minimum, maximum), and process(inputs, n) -> outputs over a block of n
# samples, keeping its state between blocks. inputs[name] is a float64 array or None.

class Plugin:
    inputs = {}
    outputs = ()
    controls = {}

    def __init__(self, rate, **settings):
        self.rate = float(rate)
        self.c = {}
        for name, (default, lo, hi) in self.controls.items():
            v = settings.pop(name, default)
            v = act_value(v) if name == 'act' else float(f32(float(v)))
            self.c[name] = min(max(v, lo), hi)
        if settings:
            raise ValueError(f'{type(self).__name__}: unknown controls {sorted(settings)}')
        self.reset()

    def reset(self):
        pass

    def stream(self, inputs, name, n):
        x = inputs.get(name)
        if x is None:
            return np.full(n, self.inputs[name], dtype=np.float64)
        return np.asarray(x, dtype=np.float64)


UNIT = {'w1': (1.0, -100, 100), 'w2': (1.0, -100, 100), 'w3': (1.0, -100, 100),
        'w4': (1.0, -100, 100), 'bias': (0.0, -100, 100)}


class Neuron(Plugin):
    """PORTS.md: out = f(sane(slope * (sum w_i x_i + bias + v attend)))."""
    inputs = {'x1': 0.0, 'x2': 0.0, 'x3': 0.0, 'x4': 0.0, 'attend': 0.0}
    outputs = ('out',)
    controls = dict(UNIT, v=(1.0, -100, 100), slope=(1.0, -100, 100), act=(0, 0, 5))

    def drive(self, inputs, n):
        c = self.c
        s = sum(c[f'w{i}'] * self.stream(inputs, f'x{i}', n) for i in range(1, 5))
        s = s + c['bias'] + c['v'] * self.stream(inputs, 'attend', n)
        return sane(c['slope'] * s)

    def process(self, inputs, n):
        self.pre = self.drive(inputs, n)
        return {'out': activation(self.c['act'], self.pre)}


class Leaky(Neuron):
    """QUARKS.md: u = slope * (neuron's sum), S[n] = alpha S[n-1] + (1 - alpha) u[n], O = f(S)."""
    controls = dict(Neuron.controls, tau=(0.01, 0, 100))

    def reset(self):
        self.S = 0.0

    def process(self, inputs, n):
        u = self.drive(inputs, n).tolist()
        a = alpha(self.c['tau'], self.rate)
        b = 1.0 - a
        S, out = self.S, np.empty(n)
        for i in range(n):
            S = flush(a * S + b * u[i])
            out[i] = S
        self.S = S
        self.pre = out
        return {'out': activation(self.c['act'], out)}


class Delay(Plugin):
    """QUARKS.md: y[n] = x[n - N], N >= 1, 0 before the start (inputs stored sanitised)."""
    inputs = {'in': 0.0}
    outputs = ('out',)
    controls = {'delay': (1, 0, 65536), 'time': (0.0, 0, 1000)}

    def reset(self):
        self.N = max(1, int(math.floor(self.c['delay'] + 0.5)) +
                     int(math.floor(self.c['time'] * self.rate / 1000.0 + 0.5)))
        self.past = np.zeros(self.N)  # x[n - N] .. x[n - 1]

    def peek(self, n):
        """The next n outputs, for n <= N: inputs already taken."""
        return self.past[:n].copy()

    def push(self, inputs, n):
        x = sane(self.stream(inputs, 'in', n))
        self.past = np.concatenate([self.past, x])[n:]

    def process(self, inputs, n):
        both = np.concatenate([self.past, sane(self.stream(inputs, 'in', n))])
        self.past = both[n:]
        return {'out': both[:n]}


class SlowGate(Plugin):
    """QUARKS.md: G[n] = b G[n-1] + (1 - b) g[n], b = alpha_attack if g[n] > G[n-1] else
    alpha_release; out = sane(in * G), level = G."""
    inputs = {'in': 0.0, 'gate': 1.0}
    outputs = ('out', 'level')
    controls = {'attack': (0.01, 0, 100), 'release': (0.5, 0, 100)}

    def reset(self):
        self.G = 0.0

    def process(self, inputs, n):
        g = sane(self.stream(inputs, 'gate', n)).tolist()
        aa, ar = alpha(self.c['attack'], self.rate), alpha(self.c['release'], self.rate)
        G, level = self.G, np.empty(n)
        for i in range(n):
            b = aa if g[i] > G else ar
            G = flush(b * G + (1.0 - b) * g[i])
            level[i] = G
        self.G = G
        x = self.stream(inputs, 'in', n)
        return {'out': sane(x * level), 'level': level}


class FastWeight(Plugin):
    """QUARKS.md: A_j[n] = lambda A_j[n-1] + eta u[n] k_j[n] (eta per second here: eta / rate per
    sample), saturated at +-100; O = f(sane(slope (sum (w_j + A_j) x_j + bias)))."""
    inputs = {**{f'x{i}': 0.0 for i in range(1, 5)}, **{f'k{i}': 0.0 for i in range(1, 5)},
              'write': 0.0}
    outputs = ('out', 'a1', 'a2', 'a3', 'a4')
    controls = {'w1': (0.0, -100, 100), 'w2': (0.0, -100, 100), 'w3': (0.0, -100, 100),
                'w4': (0.0, -100, 100), 'bias': (0.0, -100, 100), 'slope': (1.0, -100, 100),
                'act': (0, 0, 5), 'decay': (10.0, 0, 3600), 'eta': (100.0, -1e5, 1e5)}

    def reset(self):
        self.A = [0.0] * 4

    def process(self, inputs, n):
        lam = alpha(self.c['decay'], self.rate)
        cw = self.c['eta'] / self.rate
        u = sane(self.stream(inputs, 'write', n)).tolist()
        A = np.empty((4, n))
        for j in range(4):
            k = sane(self.stream(inputs, f'k{j + 1}', n)).tolist()
            a = self.A[j]
            row = A[j]
            for i in range(n):
                a = flush(min(max(lam * a + cw * u[i] * k[i], -FAST_MAX), FAST_MAX))
                row[i] = a
            self.A[j] = a
        s = sum((self.c[f'w{j + 1}'] + A[j]) * self.stream(inputs, f'x{j + 1}', n)
                for j in range(4)) + self.c['bias']
        self.pre = sane(self.c['slope'] * s)
        out = {'out': activation(self.c['act'], self.pre)}
        for j in range(4):
            out[f'a{j + 1}'] = A[j]
        return out


class OutputGate(Plugin):
    """PORTS.md: out = sane(in * g(sane(a gate + c)))."""
    inputs = {'in': 0.0, 'gate': 1.0}
    outputs = ('out',)
    controls = {'a': (1.0, -100, 100), 'c': (0.0, -100, 100), 'act': (0, 0, 5)}

    def process(self, inputs, n):
        g = activation(self.c['act'], sane(self.c['a'] * self.stream(inputs, 'gate', n) +
                                           self.c['c']))
        return {'out': sane(self.stream(inputs, 'in', n) * g)}


class AdditiveOutput(Plugin):
    """PORTS.md: out = sane(in + k gate)."""
    inputs = {'in': 0.0, 'gate': 0.0}
    outputs = ('out',)
    controls = {'k': (1.0, -100, 100)}

    def process(self, inputs, n):
        return {'out': sane(self.stream(inputs, 'in', n) +
                            self.c['k'] * self.stream(inputs, 'gate', n))}


PLUGINS = {'neuron': Neuron, 'leaky': Leaky, 'delay': Delay, 'slow-gate': SlowGate,
           'fast-weight': FastWeight, 'output-gate': OutputGate,
           'additive-output': AdditiveOutput}


# ---- sources (docs/graph.md) ---------------------------------------------------------------

def seconds(word, rate):
    """A TIME value in samples (a float): 0.5, 0.5s, 250ms, 1000smp."""
    m = re.fullmatch(r'([-+0-9.eE]+)(s|ms|smp)?', word)
    if not m:
        raise ValueError(f'bad time {word!r}')
    v = float(m.group(1))
    # the same operations as the renderer (tools/quarks/number.c), so pulses switch alike
    return {None: v * rate, 's': v * rate, 'ms': v * (rate / 1000.0), 'smp': v}[m.group(2)]


def frac(x):
    return x - np.floor(x)


def source(kind, settings, rate, n):
    """Samples 0..n-1 of a built-in source, as float32 values in a float64 array."""
    s = dict(settings)
    i = np.arange(n, dtype=np.float64)

    def num(key, default):
        return float(s.pop(key, default))

    if kind == 'constant':
        y = np.full(n, num('value', 0.0))
    elif kind in ('pulse', 'square'):
        p = seconds(s.pop('period'), rate)
        duty, phase, lo, hi = num('duty', 0.5), num('phase', 0), num('low', 0), num('high', 1)
        y = np.where(frac(i / p + phase) < duty, hi, lo)
    elif kind == 'ramp':
        p = seconds(s.pop('period'), rate)
        phase, a, b = num('phase', 0), num('from', 0), num('to', 1)
        y = a + (b - a) * frac(i / p + phase)
    elif kind == 'sine':
        hz = float(re.sub(r'(?i)hz$', '', s.pop('freq')))
        amp, off, phase = num('amp', 1), num('offset', 0), num('phase', 0)
        y = off + amp * np.sin(2.0 * np.pi * frac(i * (hz / rate) + phase))
    elif kind == 'noise':
        seed = int(s.pop('seed', 0))
        amp, off = num('amp', 1), num('offset', 0)
        with np.errstate(over='ignore'):
            z = np.uint64(seed) + (np.arange(n, dtype=np.uint64) + np.uint64(1)) * \
                np.uint64(0x9E3779B97F4A7C15)
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            z = z ^ (z >> np.uint64(31))
        y = off + amp * ((z >> np.uint64(40)).astype(np.float64) * (2.0 / 16777216.0) - 1.0)
    else:
        raise ValueError(f'source kind {kind!r} is not in the reference')
    if s:
        raise ValueError(f'{kind}: settings {sorted(s)} are not in the reference')
    return y.astype(np.float32).astype(np.float64)


# ---- graphs --------------------------------------------------------------------------------

class Graph:
    """A graph file (docs/graph.md) of the plugins above, run in double precision.

    Feedback is allowed when every cycle passes through a delay: the graph then runs in blocks
    no longer than the shortest delay, each delay's output for a block coming from its past
    input only, so the result is the sample-by-sample recurrence of QUARKS.md. `files` maps a
    graph input to an array (what --input NAME=FILE gives the renderer)."""

    def __init__(self, path, rate=None, files=None, text=None):
        self.path = path
        self.nodes, self.sources, self.outputs, self.links = {}, {}, [], []
        self.rate, self.duration, self.plot = 48000.0, None, []
        files = files or {}
        text = open(path).read() if text is None else text
        for line in text.splitlines():
            words = shlex.split(line, comments=True)
            if not words:
                continue
            self.statement(words, files)
        if rate is not None:
            self.rate = float(rate)
        self.instances = {name: PLUGINS[p](self.rate, **s) for name, (p, s) in
                          self.nodes.items()}

    def statement(self, w, files):
        joined = ' '.join(w)
        if w[0] in ('node', 'source', 'input'):
            m = re.fullmatch(r'(\w[\w-]*)\s*(?:=\s*(\S+)(.*))?', ' '.join(w[1:]))
            name, kind, rest = m.group(1), m.group(2), (m.group(3) or '')
            settings = dict(kv.split('=', 1) for kv in rest.split())
            if w[0] == 'node':
                if kind not in PLUGINS:
                    raise ValueError(f'plugin {kind!r} is not in the reference')
                self.nodes[name] = (kind, settings)
            elif w[0] == 'input' and name in files:
                self.sources[name] = ('array', files[name])
            else:
                self.sources[name] = (kind, settings)
        elif w[0] == 'output':
            m = re.fullmatch(r'(\w[\w-]*)\s*(?:=\s*(\S+))?', ' '.join(w[1:]))
            self.outputs.append(m.group(1))
            if m.group(2):
                self.links.append((m.group(2), m.group(1)))
        elif w[0] == 'rate':
            self.rate = float(w[1])
        elif w[0] == 'duration':
            self.duration = w[1]
        elif w[0] == 'plot':
            self.plot = w[1:]
        elif '->' in joined:
            src, dsts = joined.split('->', 1)
            for d in dsts.split(','):
                self.links.append((src.strip(), d.strip()))
        else:
            raise ValueError(f'{self.path}: cannot read {joined!r}')

    def endpoint(self, e):
        name, _, port = e.partition('.')
        if name in self.nodes and not port:
            outs = PLUGINS[self.nodes[name][0]].outputs
            if len(outs) != 1:
                raise ValueError(f'{e}: name the port')
            port = outs[0]
        return name, port or 'out'

    def order(self):
        """The nodes other than delays, each after every such node it reads from."""
        deps = {n: set() for n, (p, _) in self.nodes.items() if p != 'delay'}
        for src, dst in self.links:
            s, _ = self.endpoint(src)
            d, _ = self.endpoint(dst)
            if s in deps and d in deps:
                deps[d].add(s)
        done, order = set(), []
        while len(order) < len(deps):
            ready = [n for n in deps if n not in done and deps[n] <= done]
            if not ready:
                raise ValueError(f'{self.path}: a cycle without a delay')
            for n in ready:
                done.add(n)
                order.append(n)
        return order

    def gather(self, node, sig, off, n):
        """The audio inputs of node over one block: fan-in sums, None if unconnected."""
        inst, ins = self.instances[node], {}
        for s, d in self.links:
            dn, dp = self.endpoint(d)
            if dn != node:
                continue
            if dp not in inst.inputs:
                raise ValueError(f'{self.path}: {node} has no audio input {dp!r}')
            sn, sp = self.endpoint(s)
            x = sig[sn if sn in self.sources else f'{sn}.{sp}'][off:off + n]
            ins[dp] = x if ins.get(dp) is None else ins[dp] + x
        return ins

    def run(self, frames=None):
        """Every signal of the graph: {'NODE.PORT' or SOURCE or OUTPUT: float64 array}."""
        rate = self.rate
        if frames is None:
            frames = int(round(seconds(self.duration or '1', rate)))
        sig = {}
        for name, (kind, s) in self.sources.items():
            x = (np.asarray(s, dtype=np.float64)[:frames] if kind == 'array'
                 else source(kind, s, rate, frames))
            sig[name] = np.concatenate([x, np.zeros(frames - len(x))])
        for node, (p, _) in self.nodes.items():
            for port in PLUGINS[p].outputs:
                sig[f'{node}.{port}'] = np.zeros(frames)
        order = self.order()
        self.pre = {node: [] for node in order}  # each unit's pre-activation, block by block
        delays = [n for n, (p, _) in self.nodes.items() if p == 'delay']
        block = min([self.instances[d].N for d in delays] + [frames])
        for off in range(0, frames, block):
            n = min(block, frames - off)
            for d in delays:  # their output for this block is in their past already
                sig[f'{d}.out'][off:off + n] = self.instances[d].peek(n)
            for node in order:
                inst = self.instances[node]
                out = inst.process(self.gather(node, sig, off, n), n)
                if hasattr(inst, 'pre'):
                    self.pre[node].append(inst.pre)
                for port, y in out.items():
                    sig[f'{node}.{port}'][off:off + n] = y
            for d in delays:  # every signal of the block is known: the delays take theirs
                self.instances[d].push(self.gather(d, sig, off, n), n)
        for o in self.outputs:
            y = np.zeros(frames)
            for s, d in self.links:
                if d == o:
                    sn, sp = self.endpoint(s)
                    y = y + sig[sn if sn in self.sources else f'{sn}.{sp}']
            sig[o] = y
        return sig


def wav_write(path, data, rate):
    """Mono float32 WAV (what `quarks render -t float` reads and writes)."""
    import struct
    pcm = np.asarray(data, dtype='<f4').tobytes()
    fmt = struct.pack('<HHIIHH', 3, 1, int(rate), int(rate) * 4, 4, 32)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(b'RIFF' + struct.pack('<I', 4 + 8 + len(fmt) + 8 + len(pcm)) + b'WAVE')
        f.write(b'fmt ' + struct.pack('<I', len(fmt)) + fmt)
        f.write(b'data' + struct.pack('<I', len(pcm)) + pcm)
