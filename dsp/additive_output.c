/* SPDX-License-Identifier: ISC */
#include "additive_output.h"
#include "clones.h"
#include "activation.h"
#include "stream.h"

QK_CLONES void
qk_additive_output(float k, const float *in, const float *gate, float *out, uint32_t n)
{
	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *x = qk_stream(in, off, qk_zeros);
		const float *g = qk_stream(gate, off, qk_zeros);
		float *y = out + off; /* a plain pointer keeps the index affine */

		for (uint32_t i = 0; i < len; ++i) {
			y[i] = qk_sane(x[i] + k * g[i]);
		}
	}
}
