#include "fast_weight.h"
#include "clones.h"
#include "stream.h"

#include <string.h>

static inline double
saturate(double a)
{
	a = a > QK_FAST_WEIGHT_MAX ? QK_FAST_WEIGHT_MAX : a;
	return a < -QK_FAST_WEIGHT_MAX ? -QK_FAST_WEIGHT_MAX : a;
}

QK_CLONES void
qk_fast_weight(const qk_unit *u, double lambda, double c, double a[QK_INPUTS],
               const float *const x[QK_INPUTS], const float *const key[QK_INPUTS],
               const float *write, float *out, float *const fast[QK_INPUTS], uint32_t n)
{
	float A[QK_INPUTS][QK_CHUNK]; /* the fast weights of the chunk, as floats */
	float s[QK_CHUNK];
	const float w1 = u->w[0], w2 = u->w[1], w3 = u->w[2], w4 = u->w[3];
	const float bias = u->bias;
	double A1 = a[0], A2 = a[1], A3 = a[2], A4 = a[3];

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *xs[QK_INPUTS], *ks[QK_INPUTS];
		qk_streams(x, QK_INPUTS, off, qk_zeros, xs);
		qk_streams(key, QK_INPUTS, off, qk_zeros, ks);
		const float *wr = qk_stream(write, off, qk_zeros);

		/* Four independent recurrences: their latencies overlap. */
		for (uint32_t i = 0; i < len; ++i) {
			const double cu = c * (double)qk_sane(wr[i]);
			A1 = qk_flush_state(saturate(lambda * A1 + cu * (double)qk_sane(ks[0][i])));
			A2 = qk_flush_state(saturate(lambda * A2 + cu * (double)qk_sane(ks[1][i])));
			A3 = qk_flush_state(saturate(lambda * A3 + cu * (double)qk_sane(ks[2][i])));
			A4 = qk_flush_state(saturate(lambda * A4 + cu * (double)qk_sane(ks[3][i])));
			A[0][i] = (float)A1;
			A[1][i] = (float)A2;
			A[2][i] = (float)A3;
			A[3][i] = (float)A4;
		}
		/* The synapses, as the additive synapse computes them with g_j = A_j. */
		const float *x1 = xs[0], *x2 = xs[1], *x3 = xs[2], *x4 = xs[3];
		for (uint32_t i = 0; i < len; ++i) {
			s[i] = (w1 + A[0][i]) * x1[i] + (w2 + A[1][i]) * x2[i] +
			       (w3 + A[2][i]) * x3[i] + (w4 + A[3][i]) * x4[i] + bias;
		}
		qk_activate(u->act, u->slope, s, out + off, len);
		for (int j = 0; j < QK_INPUTS; ++j) {
			if (fast[j]) {
				memcpy(fast[j] + off, A[j], len * sizeof A[j][0]);
			}
		}
	}
	a[0] = qk_keep_finite(A1);
	a[1] = qk_keep_finite(A2);
	a[2] = qk_keep_finite(A3);
	a[3] = qk_keep_finite(A4);
}
