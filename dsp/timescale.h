/* SPDX-License-Identifier: ISC */
/* Time constants in samples (QUARKS.md, "Time scales and feedback").
 *
 * A time constant tau (seconds) at sample rate r becomes the per-sample
 * factor alpha = exp(-1 / (tau * r)); tau = 0 gives alpha = 0, the memoryless
 * quark. The stateful kernels keep their state in double: with tau = 10 s at
 * 96 kHz, 1 - alpha is 1e-6, which a float alpha would get wrong by several
 * per cent (its ulp near 1 is 6e-8), and a float state would stop moving
 * once a step became smaller than half its ulp. A double costs the same
 * latency per sample as a float in a serial recurrence. */
#ifndef QK_TIMESCALE_H
#define QK_TIMESCALE_H

#include <float.h>
#include <math.h>

/* The factor of one sample and its complement. beta comes from expm1 rather
 * than 1 - alpha, so that both are exact to double precision however close
 * alpha is to 1, and alpha * s + beta * u keeps a DC gain of 1. */
typedef struct {
	double alpha;
	double beta; /* 1 - alpha */
} qk_decay;

/* tau in seconds (callers clamp it to >= 0), rate in Hz (> 0). */
static inline qk_decay
qk_decay_from_tau(double tau, double rate)
{
	qk_decay d = {0.0, 1.0};
	if (tau > 0.0) {
		const double x = -1.0 / (tau * rate);
		d.alpha = exp(x);
		d.beta = -expm1(x);
	}
	return d;
}

/* The factor of the last time constant seen, so that run() calls exp and expm1 only when
 * the control moves (two libm calls would be most of the cost of a short block). */
typedef struct {
	float tau; /* < 0 until the first call */
	qk_decay decay;
} qk_decay_cache;

static inline void
qk_decay_cache_init(qk_decay_cache *c)
{
	c->tau = -1.0f;
	c->decay = (qk_decay){0.0, 1.0};
}

static inline qk_decay
qk_decay_cached(qk_decay_cache *c, float tau, double rate)
{
	if (tau != c->tau) {
		c->tau = tau;
		c->decay = qk_decay_from_tau(tau, rate);
	}
	return c->decay;
}

/* A state below the smallest normal float is 0. The state is a double, so
 * its own arithmetic never meets a denormal, but without this a decaying
 * state would hand denormal floats to its outputs (and to every plugin
 * downstream) for as long as it takes to decay through them: with alpha near
 * 1 that is forever, as alpha times the smallest denormal rounds back to it.
 * The threshold is the one qk_sane applies to every stream, so a state of 0
 * decays exactly as the plugins treat a denormal input: as 0. */
static inline double
qk_flush_state(double s)
{
	return fabs(s) < (double)FLT_MIN ? 0.0 : s;
}

/* x42's idiom, at the end of each run(): a state that is not finite starts
 * again from 0. The recurrences only mix sanitised inputs, so this never
 * fires; it keeps a bug from turning into a plugin that outputs NaN until it
 * is reloaded. */
static inline double
qk_keep_finite(double s)
{
	return isfinite(s) ? s : 0.0;
}

#endif
