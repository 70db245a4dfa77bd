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

/* The delay in samples that a delay line gives for a requested one: clamped to [1, d->size],
 * as qk_delay clamps it. */
uint32_t qk_delay_length(const qk_delay_line *d, uint32_t delay);

/* N for a delay's two controls (already clamped to their ranges): delay samples plus time in
 * milliseconds at rate, each rounded to whole samples; the delay plugin's rule (PORTS.md). */
uint32_t qk_delay_samples(double rate, float samples, float ms);

/* qk_delay in two halves, for a host that needs a delay's output before its input exists (a
 * feedback loop through the delay): qk_delay_read gives the next n outputs, which come from
 * earlier inputs only, and qk_delay_write then takes the same n inputs (sanitised; in NULL
 * reads 0). For n <= qk_delay_length(d, delay) none of the n outputs is one of the n inputs,
 * so read then write gives the bits qk_delay gives. */
void qk_delay_read(const qk_delay_line *d, uint32_t delay, float *out, uint32_t n);
void qk_delay_write(qk_delay_line *d, const float *in, uint32_t n);

#endif
