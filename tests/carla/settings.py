#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Carla's per-plugin settings, restated independently of the renderer (numpy, float32, each
operation rounded as Carla's float code rounds it), against `quarks render` of
projects/settings.carxp.

Usage: settings.py RAW_DIR PROJECT_DIR
  RAW_DIR: the render of projects/settings.graph (the raw plugin outputs and sources),
  PROJECT_DIR: the render of projects/settings.carxp (out_left.wav, out_right.wav).

Carla 2.6 (CarlaPluginLV2::process, post-processing), per output i in port order:
  Dry/Wet, offered when the inputs pair up with the outputs: o_i = o_i*dw + in_i*(1 - dw)
  Balance, offered to an even number of outputs: with bl = (left+1)/2, br = (right+1)/2,
    even i: old = o_i; o_i = old*(1 - bl) + o_{i+1}*(1 - br)   (o_{i+1} before its Dry/Wet)
    odd i:  o_i = o_i*br + old*bl
  Volume: o_i = o_i*volume.
An inactive plugin gives 0; Panning changes nothing; Dry/Wet on a plugin whose inputs and
outputs do not pair up changes nothing.
"""
import struct
import sys

import numpy as np

F = np.float32


def read_wav(path):
    """One channel of a WAV file of 32-bit floats (what quarks render writes)."""
    b = open(path, "rb").read()
    assert b[:4] == b"RIFF" and b[8:12] == b"WAVE", path
    i, fmt = 12, None
    while i + 8 <= len(b):
        cid, size = b[i:i + 4], struct.unpack("<I", b[i + 4:i + 8])[0]
        body = b[i + 8:i + 8 + size]
        if cid == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif cid == b"data":
            assert fmt[5] == 32 and fmt[1] == 1, (path, fmt)
            return np.frombuffer(body, "<f4").astype(F)
        i += 8 + size + (size & 1)
    raise ValueError(path)


def main():
    raw, proj = sys.argv[1], sys.argv[2]
    a1, a2 = read_wav(raw + "/a1.wav"), read_wav(raw + "/a2.wav")
    s1, s2 = read_wav(raw + "/s1_out.wav"), read_wav(raw + "/s2_out.wav")
    g, off = read_wav(raw + "/g_out.wav"), read_wav(raw + "/off_out.wav")
    left, right = read_wav(proj + "/out_left.wav"), read_wav(proj + "/out_right.wav")
    # sm: softmax, 4 inputs and 4 outputs: Dry/Wet 0.7, Balance -0.4 / 0.6, Volume 0.9.
    dw, vol = F(0.7), F(0.9)
    bl, br = (F(-0.4) + F(1)) / F(2), (F(0.6) + F(1)) / F(2)
    o0 = a1 * dw + s1 * (F(1) - dw)
    old = o0
    o0 = old * (F(1) - bl) + a2 * (F(1) - br)
    o0 = o0 * vol
    o1 = a2 * dw + s2 * (F(1) - dw)
    o1 = o1 * br + old * bl
    o1 = o1 * vol
    # g: output gate, 2 inputs and 1 output: Dry/Wet not offered, Panning none, Volume 0.5.
    # off: inactive, so 0 (its raw output is not 0: the check would see it).
    assert np.abs(off).max() > 0
    want_left = o0 + g * F(0.5) + F(0) * off
    want_right = o1
    status = 0
    for name, want, got in (("out_left", want_left, left), ("out_right", want_right, right)):
        d = np.abs(want.astype(np.float64) - got.astype(np.float64)).max()
        same = np.array_equal(want, got)
        print("%s: max |difference| %g%s" % (name, d, "" if same else "  FAIL"))
        status |= not same
    # The settings change the signal: a render that ignored them would not pass.
    if np.array_equal(left, a1 + g) or np.array_equal(right, a2):
        print("FAIL: the project's outputs are the raw plugin outputs")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
