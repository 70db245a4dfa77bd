/* SPDX-License-Identifier: ISC */
#include "leaky.h"
#include "clones.h"
#include "stream.h"

QK_CLONES void
qk_leaky(const qk_unit *u, float v, qk_decay k, double *state, const float *const x[QK_INPUTS],
         const float *attend, float *out, uint32_t n)
{
	float s[QK_CHUNK]; /* the drive, then the state: out may alias any input */
	const float w1 = u->w[0], w2 = u->w[1], w3 = u->w[2], w4 = u->w[3];
	const float bias = u->bias, slope = u->slope;
	double S = *state;

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *xs[QK_INPUTS];
		qk_streams(x, QK_INPUTS, off, qk_zeros, xs);
		const float *x1 = xs[0], *x2 = xs[1], *x3 = xs[2], *x4 = xs[3];
		const float *a = qk_stream(attend, off, qk_zeros);

		/* The drive, as the neuron computes it (same order of operations),
		 * so that tau = 0 gives the neuron's output bit for bit. */
		for (uint32_t i = 0; i < len; ++i) {
			s[i] = qk_sane(slope * (w1 * x1[i] + w2 * x2[i] + w3 * x3[i] + w4 * x4[i] +
			                        bias + v * a[i]));
		}
		/* The one serial part: a multiply and an add per sample. */
		for (uint32_t i = 0; i < len; ++i) {
			S = qk_flush_state(k.alpha * S + k.beta * (double)s[i]);
			s[i] = (float)S;
		}
		/* S is already sane (a mix of sane drives): slope 1 applies f alone. */
		qk_activate(u->act, 1.0f, s, out + off, len);
	}
	*state = qk_keep_finite(S);
}
