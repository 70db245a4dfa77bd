/* SPDX-License-Identifier: ISC */
#include "synaptic_gate.h"
#include "clones.h"
#include "stream.h"

QK_CLONES void
qk_synaptic_gate(const qk_unit *u, const float *const x[QK_INPUTS], const float *const g[QK_INPUTS],
                 float *out, uint32_t n)
{
	float s[QK_CHUNK];
	const float w1 = u->w[0], w2 = u->w[1], w3 = u->w[2], w4 = u->w[3];
	const float bias = u->bias;

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *xs[QK_INPUTS];
		qk_streams(x, QK_INPUTS, off, qk_zeros, xs);
		const float *x1 = xs[0], *x2 = xs[1], *x3 = xs[2], *x4 = xs[3];
		const float *gs[QK_INPUTS];
		qk_streams(g, QK_INPUTS, off, qk_ones, gs);
		const float *g1 = gs[0], *g2 = gs[1], *g3 = gs[2], *g4 = gs[3];

		for (uint32_t i = 0; i < len; ++i) {
			s[i] = w1 * g1[i] * x1[i] + w2 * g2[i] * x2[i] + w3 * g3[i] * x3[i] +
			       w4 * g4[i] * x4[i] + bias;
		}
		qk_activate(u->act, u->slope, s, out + off, len);
	}
}
