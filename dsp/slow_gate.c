/* SPDX-License-Identifier: ISC */
#include "slow_gate.h"
#include "activation.h"
#include "clones.h"
#include "stream.h"

#include <string.h>

QK_CLONES void
qk_slow_gate(qk_decay attack, qk_decay release, double *state, const float *in, const float *gate,
             float *out, float *level, uint32_t n)
{
	float g[QK_CHUNK]; /* G of the chunk: outputs may alias the inputs */
	double G = *state;

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *x = qk_stream(in, off, qk_zeros);
		const float *k = qk_stream(gate, off, qk_ones);

		for (uint32_t i = 0; i < len; ++i) {
			const double target = (double)qk_sane(k[i]);
			const qk_decay b = target > G ? attack : release;
			G = qk_flush_state(b.alpha * G + b.beta * target);
			g[i] = (float)G;
		}
		if (out) {
			float *y = out + off;
			for (uint32_t i = 0; i < len; ++i) {
				y[i] = qk_sane(qk_sane(x[i]) * g[i]); /* the input sane first */
			}
		}
		if (level) {
			memcpy(level + off, g, len * sizeof g[0]);
		}
	}
	*state = qk_keep_finite(G);
}
