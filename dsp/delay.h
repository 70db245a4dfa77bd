/* SPDX-License-Identifier: ISC */
/* Delay: y[n] = x[n - N], N >= 1 samples, y = 0 before the start
 * (QUARKS.md). It is what closes a loop: a patch with feedback is defined
 * sample by sample, and the same at every block size, when every cycle
 * passes through a delay of at least one sample. */
#ifndef QK_DELAY_H
#define QK_DELAY_H

#include <stdint.h>

/* A ring of the last `size` inputs; the caller owns the memory (the plugin
 * allocates it in instantiate, for the longest delay at its rate). */
typedef struct {
	float *ring;
	uint32_t size; /* >= 1: the longest delay it can give */
	uint32_t pos;  /* where the next input goes; it holds x[n - size] */
} qk_delay_line;

/* Empties the line: every earlier input reads 0. */
void qk_delay_clear(qk_delay_line *d);

/* out[i] = in[i - delay] for i < n, with delay clamped to [1, d->size].
 * Inputs are stored sanitised (qk_sane): NaN reads 0 when it comes out, a
 * huge value +-1e12, a denormal 0. in NULL reads 0; in may alias out. */
void qk_delay(qk_delay_line *d, uint32_t delay, const float *in, float *out, uint32_t n);

#endif
