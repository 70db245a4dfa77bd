/* SPDX-License-Identifier: ISC */
#include "quadratic.h"
#include "clones.h"
#include "stream.h"

QK_CLONES void
qk_quadratic(const qk_quadratic_unit *u, const float *const x[QK_INPUTS], float *out, uint32_t n)
{
	float s[QK_CHUNK];
	const float w1 = u->linear.w[0], w2 = u->linear.w[1], w3 = u->linear.w[2],
	            w4 = u->linear.w[3];
	const float w11 = u->w2[0], w12 = u->w2[1], w13 = u->w2[2], w14 = u->w2[3], w22 = u->w2[4],
	            w23 = u->w2[5], w24 = u->w2[6], w33 = u->w2[7], w34 = u->w2[8], w44 = u->w2[9];
	const float bias = u->linear.bias;

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *xs[QK_INPUTS];
		qk_streams(x, QK_INPUTS, off, qk_zeros, xs);
		const float *x1 = xs[0], *x2 = xs[1], *x3 = xs[2], *x4 = xs[3];

		for (uint32_t i = 0; i < len; ++i) {
			const float a = x1[i], b = x2[i], c = x3[i], d = x4[i];
			/* Horner-like grouping: each input's row of the triangle */
			s[i] = a * (w1 + w11 * a + w12 * b + w13 * c + w14 * d) +
			       b * (w2 + w22 * b + w23 * c + w24 * d) +
			       c * (w3 + w33 * c + w34 * d) + d * (w4 + w44 * d) + bias;
		}
		qk_activate(u->linear.act, u->linear.slope, s, out + off, len);
	}
}
