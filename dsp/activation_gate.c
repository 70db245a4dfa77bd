/* SPDX-License-Identifier: ISC */
#include "activation_gate.h"
#include "clones.h"
#include "stream.h"

QK_CLONES void
qk_activation_gate(const qk_unit *u, const float *const x[QK_INPUTS], const float *gate, float *out,
                   uint32_t n)
{
	float s[QK_CHUNK];
	const float w1 = u->w[0], w2 = u->w[1], w3 = u->w[2], w4 = u->w[3];
	const float bias = u->bias;

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *xs[QK_INPUTS];
		qk_streams(x, QK_INPUTS, off, qk_zeros, xs);
		const float *x1 = xs[0], *x2 = xs[1], *x3 = xs[2], *x4 = xs[3];
		const float *g = qk_stream(gate, off, qk_ones);

		for (uint32_t i = 0; i < len; ++i) {
			s[i] = g[i] * (w1 * x1[i] + w2 * x2[i] + w3 * x3[i] + w4 * x4[i] + bias);
		}
		qk_activate(u->act, u->slope, s, out + off, len);
	}
}
