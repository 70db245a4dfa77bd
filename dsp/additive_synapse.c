#include "additive_synapse.h"
#include "stream.h"

void
qk_additive_synapse(const qk_unit *u, const float *const x[QK_INPUTS],
                    const float *const g[QK_INPUTS], float *out, uint32_t n)
{
	float s[QK_CHUNK];
	const float w1 = u->w[0], w2 = u->w[1], w3 = u->w[2], w4 = u->w[3];
	const float bias = u->bias;

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *x1 = qk_stream(x[0], off, qk_zeros);
		const float *x2 = qk_stream(x[1], off, qk_zeros);
		const float *x3 = qk_stream(x[2], off, qk_zeros);
		const float *x4 = qk_stream(x[3], off, qk_zeros);
		const float *g1 = qk_stream(g[0], off, qk_zeros);
		const float *g2 = qk_stream(g[1], off, qk_zeros);
		const float *g3 = qk_stream(g[2], off, qk_zeros);
		const float *g4 = qk_stream(g[3], off, qk_zeros);

		for (uint32_t i = 0; i < len; ++i) {
			s[i] = (w1 + g1[i]) * x1[i] + (w2 + g2[i]) * x2[i] +
			       (w3 + g3[i]) * x3[i] + (w4 + g4[i]) * x4[i] + bias;
		}
		qk_activate(u->act, u->slope, s, out + off, len);
	}
}
