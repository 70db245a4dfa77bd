/* SPDX-License-Identifier: ISC */
#include "delay.h"
#include "activation.h"

#include <math.h>
#include <string.h>

void
qk_delay_clear(qk_delay_line *d)
{
	memset(d->ring, 0, (size_t)d->size * sizeof d->ring[0]);
	d->pos = 0;
}

void
qk_delay(qk_delay_line *d, uint32_t delay, const float *in, float *out, uint32_t n)
{
	const uint32_t size = d->size;
	float *const ring = d->ring;
	delay = delay < 1 ? 1 : (delay > size ? size : delay);
	uint32_t w = d->pos;
	uint32_t r = w >= delay ? w - delay : w + size - delay;

	/* Read before write: slot w still holds x[n - size] when it is read as
	 * the longest delay, so `size` slots give delays up to `size`. The input
	 * is read before the output is written, so in place works. */
	for (uint32_t i = 0; i < n; ++i) {
		const float x = in ? qk_sane(in[i]) : 0.0f;
		out[i] = ring[r];
		ring[w] = x;
		w = w + 1 == size ? 0 : w + 1;
		r = r + 1 == size ? 0 : r + 1;
	}
	d->pos = w;
}

uint32_t
qk_delay_length(const qk_delay_line *d, uint32_t delay)
{
	return delay < 1 ? 1 : (delay > d->size ? d->size : delay);
}

uint32_t
qk_delay_samples(double rate, float samples, float ms)
{
	return (uint32_t)(samples + 0.5f) + (uint32_t)floor((double)ms * rate / 1000.0 + 0.5);
}

/* The loops keep qk_delay's form (one index each, wrapped by a test), so they read and write
 * the slots in qk_delay's order. */
void
qk_delay_read(const qk_delay_line *d, uint32_t delay, float *out, uint32_t n)
{
	const uint32_t size = d->size;
	delay = qk_delay_length(d, delay);
	uint32_t r = d->pos >= delay ? d->pos - delay : d->pos + size - delay;
	for (uint32_t i = 0; i < n; ++i) {
		out[i] = d->ring[r];
		r = r + 1 == size ? 0 : r + 1;
	}
}

void
qk_delay_write(qk_delay_line *d, const float *in, uint32_t n)
{
	const uint32_t size = d->size;
	float *const ring = d->ring;
	uint32_t w = d->pos;
	for (uint32_t i = 0; i < n; ++i) {
		ring[w] = in ? qk_sane(in[i]) : 0.0f;
		w = w + 1 == size ? 0 : w + 1;
	}
	d->pos = w;
}
