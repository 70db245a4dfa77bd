/* SPDX-License-Identifier: ISC */
#include "leaky.h"
#include "activation.h"
#include "neuron.h"
#include "stream.h"

void
qk_leaky(const qk_unit *u, float v, qk_decay k, double *state, const float *const x[QK_INPUTS],
         const float *attend, float *out, uint32_t n)
{
	float s[QK_CHUNK]; /* the drive, then the state: out may alias any input */
	/* The drive is the linear neuron's output, from the neuron's own kernel (every input
	 * made sane before it is weighted, the same order of operations), so that tau = 0 gives
	 * the neuron's output bit for bit on every instruction set. */
	qk_unit drive = *u;
	drive.act = QK_LINEAR;
	double S = *state;

	for (uint32_t off = 0; off < n; off += QK_CHUNK) {
		const uint32_t len = qk_chunk_len(n, off);
		const float *xs[QK_INPUTS];
		for (int j = 0; j < QK_INPUTS; ++j) {
			xs[j] = x[j] ? x[j] + off : NULL;
		}
		qk_neuron(&drive, v, xs, attend ? attend + off : NULL, s, len);
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
