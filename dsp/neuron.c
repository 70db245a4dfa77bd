/* SPDX-License-Identifier: ISC */
#include "neuron.h"
#include "clones.h"
#include "stream.h"

QK_CLONES void
qk_neuron(const qk_unit *u, float v, const float *const x[QK_INPUTS], const float *attend,
          float *out, uint32_t n)
{
	float s[QK_CHUNK]; /* S is built here first, so out may alias any input */
	const float w1 = u->w[0], w2 = u->w[1], w3 = u->w[2], w4 = u->w[3];
	const float bias = u->bias;

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *xs[QK_INPUTS];
		qk_streams(x, QK_INPUTS, off, qk_zeros, xs);
		const float *x1 = xs[0], *x2 = xs[1], *x3 = xs[2], *x4 = xs[3];
		const float *a = qk_stream(attend, off, qk_zeros);

		for (uint32_t i = 0; i < len; ++i) {
			s[i] = w1 * x1[i] + w2 * x2[i] + w3 * x3[i] + w4 * x4[i] + bias + v * a[i];
		}
		qk_activate(u->act, u->slope, s, out + off, len);
	}
}
