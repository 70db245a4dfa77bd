/* SPDX-License-Identifier: ISC */
#include "output_gate.h"
#include "clones.h"
#include "stream.h"

QK_CLONES void
qk_output_gate(float a, float c, qk_activation g, const float *in, const float *gate, float *out,
               uint32_t n)
{
	float gain[QK_CHUNK];

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *x = qk_stream(in, off, qk_zeros);
		const float *k = qk_stream(gate, off, qk_ones);
		float *y = out + off; /* a plain pointer keeps the index affine */

		if (g == QK_LINEAR) {
			/* The common case, a product of streams, in one pass. */
			for (uint32_t i = 0; i < len; ++i) {
				y[i] = qk_sane(x[i] * qk_sane(a * k[i] + c));
			}
			continue;
		}
		for (uint32_t i = 0; i < len; ++i) {
			gain[i] = a * k[i] + c;
		}
		qk_activate(g, 1.0f, gain, gain, len);
		for (uint32_t i = 0; i < len; ++i) {
			y[i] = qk_sane(x[i] * gain[i]);
		}
	}
}
