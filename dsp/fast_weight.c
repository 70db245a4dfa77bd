/* SPDX-License-Identifier: ISC */
#include "fast_weight.h"
#include "additive_synapse.h"
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
		/* The synapses, by the additive synapse's own kernel with g_j = A_j (every x_j made
		 * sane before it is weighted). */
		const float *xo[QK_INPUTS], *g[QK_INPUTS] = {A[0], A[1], A[2], A[3]};
		for (int j = 0; j < QK_INPUTS; ++j) {
			xo[j] = x[j] ? x[j] + off : NULL;
		}
		qk_additive_synapse(u, xo, g, out + off, len);
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
