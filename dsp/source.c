/* SPDX-License-Identifier: ISC */
/* Built-in signal sources; formulas in docs/graph.md. Computed in double and rounded once to
 * float, so the reference script can reproduce every sample exactly. */
#include "source.h"
#include "clones.h"

#include <math.h>

#define QK_TWO_PI 6.283185307179586476925286766559

qk_source
qk_source_make(qk_source_kind kind)
{
	qk_source s = {
	        .kind = kind,
	        .value = 0.0,
	        .period = 1.0,
	        .phase = 0.0,
	        .duty = 0.5,
	        .low = 0.0,
	        .high = 1.0,
	        .from = 0.0,
	        .to = 1.0,
	        .freq = 0.0,
	        .amp = 1.0,
	        .offset = 0.0,
	        .seed = 0,
	        .pos = 0,
	};
	return s;
}

void
qk_source_seek(qk_source *s, uint64_t pos)
{
	s->pos = pos;
}

/* Fractional part of the cycle position; the same operations in the same order as the
 * reference (n / period + phase, minus its floor) so both make the same pulse decisions. */
static double
cycle_frac(double n, double period, double phase)
{
	double x = n / period + phase;
	return x - floor(x);
}

double
qk_noise_at(uint64_t seed, uint64_t n)
{
	uint64_t z = seed + (n + 1u) * UINT64_C(0x9E3779B97F4A7C15);
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	z ^= z >> 31;
	/* 24 bits: every value is exactly representable as a float. */
	return (double)(z >> 40) * (2.0 / 16777216.0) - 1.0;
}

/* sin(2 pi c) for c in [0, 1), in double: the sine source without a libm
 * call per sample, so its loop vectorizes. Folded by symmetry to an angle in
 * [0, pi/2], where the Taylor series to x^17 is within 5e-14 of sin: far
 * below float rounding, so the samples still match the reference's sin(). */
static inline double
sin_cycle(double c)
{
	const double u = c - 0.5; /* sin(2 pi c) = -sin(2 pi u) */
	const double a = fabs(u);
	const double folded = a > 0.25 ? 0.5 - a : a; /* sin(pi - x) = sin(x) */
	const double x = QK_TWO_PI * folded;
	const double x2 = x * x;
	double p = -1.0 / 355687428096000.0; /* -1/17! */
	p = p * x2 + 1.0 / 1307674368000.0;  /* 1/15! */
	p = p * x2 - 1.0 / 6227020800.0;     /* 1/13! */
	p = p * x2 + 1.0 / 39916800.0;       /* 1/11! */
	p = p * x2 - 1.0 / 362880.0;         /* 1/9!  */
	p = p * x2 + 1.0 / 5040.0;
	p = p * x2 - 1.0 / 120.0;
	p = p * x2 + 1.0 / 6.0;
	p = x - x * x2 * p;
	return u < 0.0 ? p : -p;
}

QK_CLONES void
qk_source_process(qk_source *s, float *out, uint32_t n)
{
	/* Settings in locals, and the sample index as a double counted from n0 (exact below
	 * 2^53): out may not alias *s, and int-to-double converts in vectors, so the loops
	 * vectorize. */
	const uint64_t p0 = s->pos;
	const double n0 = (double)p0;
	const double value = s->value, period = s->period, phase = s->phase, duty = s->duty;
	const double low = s->low, high = s->high, from = s->from, to = s->to;
	const double freq = s->freq, amp = s->amp, offset = s->offset;
	switch (s->kind) {
	case QK_SRC_CONSTANT:
		for (uint32_t i = 0; i < n; i++)
			out[i] = (float)value;
		break;
	case QK_SRC_PULSE:
		for (uint32_t i = 0; i < n; i++) {
			const double f = cycle_frac(n0 + (double)(int32_t)i, period, phase);
			out[i] = (float)(f < duty ? high : low);
		}
		break;
	case QK_SRC_RAMP:
		for (uint32_t i = 0; i < n; i++) {
			const double f = cycle_frac(n0 + (double)(int32_t)i, period, phase);
			out[i] = (float)(from + (to - from) * f);
		}
		break;
	case QK_SRC_SINE:
		for (uint32_t i = 0; i < n; i++) {
			/* The cycle position is reduced before the sine so precision does not decay
			 * in long runs. */
			double c = (n0 + (double)(int32_t)i) * freq + phase;
			c -= floor(c);
			out[i] = (float)(offset + amp * sin_cycle(c));
		}
		break;
	case QK_SRC_NOISE:
		for (uint32_t i = 0; i < n; i++)
			out[i] = (float)(offset + amp * qk_noise_at(s->seed, p0 + i));
		break;
	}
	s->pos = p0 + n;
}
