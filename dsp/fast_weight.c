/* SPDX-License-Identifier: ISC */
#include "fast_weight.h"
#include "clones.h"
#include "stream.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* The bound and the flush on one fast weight, written so that GCC keeps the four of a sample
 * in one vector register with compare-and-blend (no branches): the four recurrences then cost
 * about what one does. */
static inline double
bound(double a)
{
	a = a < QK_FAST_WEIGHT_MAX ? a : QK_FAST_WEIGHT_MAX;
	a = a > -QK_FAST_WEIGHT_MAX ? a : -QK_FAST_WEIGHT_MAX;
	return fabs(a) >= (double)FLT_MIN ? a : 0.0; /* qk_flush_state */
}

QK_CLONES void
qk_fast_weight(const qk_unit *u, double lambda, double c, double a[QK_INPUTS],
               const float *const x[QK_INPUTS], const float *const key[QK_INPUTS],
               const float *write, float *out, float *const fast[QK_INPUTS], uint32_t n)
{
	float A[QK_INPUTS][QK_CHUNK]; /* the fast weights of the chunk, as floats */
	float k[QK_INPUTS][QK_CHUNK]; /* the keys, sanitised */
	float w[QK_CHUNK];            /* the write stream, sanitised */
	float s[QK_CHUNK];
	const float w1 = u->w[0], w2 = u->w[1], w3 = u->w[2], w4 = u->w[3];
	const float bias = u->bias;
	double state[QK_INPUTS] = {a[0], a[1], a[2], a[3]};

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *xs[QK_INPUTS], *ks[QK_INPUTS];
		qk_streams(x, QK_INPUTS, off, qk_zeros, xs);
		qk_streams(key, QK_INPUTS, off, qk_zeros, ks);
		const float *wr = qk_stream(write, off, qk_zeros);

		/* Sanitising first, in vector loops, keeps it off the serial path. */
		for (uint32_t i = 0; i < len; ++i) {
			w[i] = qk_sane(wr[i]);
		}
		for (int j = 0; j < QK_INPUTS; ++j) {
			for (uint32_t i = 0; i < len; ++i) {
				k[j][i] = qk_sane(ks[j][i]);
			}
		}
		/* Four independent recurrences, side by side. */
		for (uint32_t i = 0; i < len; ++i) {
			const double cu = c * (double)w[i];
			for (int j = 0; j < QK_INPUTS; ++j) {
				state[j] = bound(lambda * state[j] + cu * (double)k[j][i]);
				A[j][i] = (float)state[j];
			}
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
	for (int j = 0; j < QK_INPUTS; ++j) {
		a[j] = qk_keep_finite(state[j]);
	}
}
