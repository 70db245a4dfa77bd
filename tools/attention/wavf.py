# SPDX-License-Identifier: ISC
"""Minimal mono float32 WAV reader/writer with numpy only (no soundfile on Debian's python3).

Reads WAVE_FORMAT_IEEE_FLOAT (3) and WAVE_FORMAT_EXTENSIBLE with a float subformat, which is
what libsndfile writes for `quarks render -t float` (its default for .wav)."""
import struct

import numpy as np


def write(path, data, rate=48000):
    """Writes data (1-D) as mono float32: the renderer reads these samples exactly."""
    pcm = np.asarray(data, dtype='<f4').tobytes()
    fmt = struct.pack('<HHIIHH', 3, 1, rate, rate * 4, 4, 32)
    with open(path, 'wb') as f:
        f.write(b'RIFF' + struct.pack('<I', 4 + 8 + len(fmt) + 8 + len(pcm)) + b'WAVE')
        f.write(b'fmt ' + struct.pack('<I', len(fmt)) + fmt)
        f.write(b'data' + struct.pack('<I', len(pcm)) + pcm)


def read(path):
    """Returns (samples as float64 array of shape (frames,) for mono, else (frames, ch)), rate."""
    with open(path, 'rb') as f:
        raw = f.read()
    if raw[:4] != b'RIFF' or raw[8:12] != b'WAVE':
        raise ValueError(f'{path}: not a RIFF/WAVE file')
    pos, fmt, data = 12, None, None
    while pos + 8 <= len(raw):
        cid, size = raw[pos:pos + 4], struct.unpack('<I', raw[pos + 4:pos + 8])[0]
        body = raw[pos + 8:pos + 8 + size]
        if cid == b'fmt ':
            fmt = struct.unpack('<HHIIHH', body[:16])
            tag = fmt[0]
            if tag == 0xFFFE:  # extensible: the subformat GUID starts with the real tag
                tag = struct.unpack('<H', body[24:26])[0]
            fmt = (tag,) + fmt[1:]
        elif cid == b'data':
            data = body
        pos += 8 + size + (size & 1)
    if fmt is None or data is None:
        raise ValueError(f'{path}: no fmt or data chunk')
    tag, ch, rate, _, _, bits = fmt
    if tag != 3 or bits not in (32, 64):
        raise ValueError(f'{path}: not float WAV (tag {tag}, {bits} bits)')
    x = np.frombuffer(data, dtype='<f4' if bits == 32 else '<f8').astype(np.float64)
    return (x if ch == 1 else x.reshape(-1, ch)), rate
