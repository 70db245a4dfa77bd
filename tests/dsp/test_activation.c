/* SPDX-License-Identifier: ISC */
/* Accuracy of the activations over the whole float range (issue 2: "each
 * activation must stay within 1e-6 absolute of the double-precision libm value
 * over the whole float range, proven by a test that sweeps it").
 *
 * Inputs go through qk_activate (slope 1), the vectorized path the plugins use.
 * The expected value is ref_activation(act, ref_sane(x)) from the independent
 * double reference (libm exp and tanh). Criteria:
 *   sigmoid, tanh: |out - ref| <= 1e-6;
 *   step, sign:    out == ref exactly;
 *   linear, relu:  out == (float)ref, the reference correctly rounded to float
 *                  (no float can do better; at saturation (float)1e12 is
 *                  999999995904, 4096 below the double limit, by design).
 * NaN inputs must give f(0) (PORTS.md: NaN reads as 0), which is finite.
 *
 * Sweep: every STRIDE-th bit pattern over all 2^32 (odd stride, so both signs,
 * every exponent, NaNs, infinities and denormals are all visited), plus every
 * float in windows around 0 and the switching points (clamps of qk_exp,
 * qk_tanh, qk_sigmoid and of sane), plus a dense sweep of [-1, 1]. */
#include "activation.h"
#include "ref.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BLOCK 4096u
#define STRIDE 17u        /* 2^32 / 17 = 253 million patterns */
#define WINDOW (1u << 18) /* floats on each side of a switching point */
#define DENSE_STRIDE 61u  /* in [-1, 1]: 2 x 17 million floats */
#define TOL 1e-6

typedef struct {
	double max_err;    /* max |out - ref| */
	double max_err_in; /* max |out - ref| where |ref| < 1e12 (not saturated) */
	float worst_x;
	uint64_t fails;
	uint64_t checked;
} stats;

static stats st[QK_N_ACTIVATIONS];
static const char *const names[QK_N_ACTIVATIONS] = {"linear",  "step", "sign",
                                                    "sigmoid", "tanh", "relu"};

static float
from_bits(uint32_t b)
{
	float f;
	memcpy(&f, &b, sizeof f);
	return f;
}

static uint32_t
to_bits(float f)
{
	uint32_t b;
	memcpy(&b, &f, sizeof b);
	return b;
}

/* Record a failure (the first few are printed). */
static void
fail(int a, float x, float o, double ref)
{
	if (st[a].fails++ < 5) {
		printf("FAIL %s(%.9g [0x%08x]) = %.9g, reference %.9g\n", names[a], (double)x,
		       to_bits(x), (double)o, ref);
	}
}

/* Check one block of inputs through all six activations. One activation at a
 * time, so that the inner loop has no switch on the criterion. */
static void
check_block(const float *x, uint32_t n)
{
	static double s[BLOCK];
	static float out[BLOCK];
	for (uint32_t i = 0; i < n; ++i) {
		/* PORTS.md: denormals read as 0, on every platform and FPU mode */
		s[i] = fabs((double)x[i]) < FLT_MIN ? 0.0 : ref_sane((double)x[i]);
	}
	for (int a = 0; a < QK_N_ACTIVATIONS; ++a) {
		const int smooth = a == QK_SIGMOID || a == QK_TANH;
		const int rounded = a == QK_LINEAR || a == QK_RELU;
		stats *t = &st[a];
		qk_activate((qk_activation)a, 1.0f, x, out, n);
		for (uint32_t i = 0; i < n; ++i) {
			const double ref = ref_activation(a, s[i]);
			const float o = out[i];
			const double err = fabs((double)o - ref);
			if (!(err <= t->max_err)) { /* also catches a NaN output */
				t->max_err = err;
				t->worst_x = x[i];
			}
			if (err > t->max_err_in && fabs(ref) < REF_LIMIT) {
				t->max_err_in = err;
			}
			const int ok = smooth    ? err <= TOL
			               : rounded ? o == (float)ref
			                         : (double)o == ref;
			if (!ok || !isfinite(o)) {
				fail(a, x[i], o, ref);
			}
		}
		t->checked += n;
	}
}

/* Bit patterns first, first + step, ... while below end (64-bit, so no wrap). */
static void
sweep(uint64_t first, uint64_t end, uint64_t step)
{
	float x[BLOCK];
	uint32_t n = 0;
	for (uint64_t b = first; b < end; b += step) {
		x[n++] = from_bits((uint32_t)b);
		if (n == BLOCK) {
			check_block(x, n);
			n = 0;
		}
	}
	check_block(x, n);
}

/* Every float within WINDOW patterns of value v, on both sides. For v = 0 this
 * covers the denormals and the smallest normals of both signs. */
static void
sweep_around(float v)
{
	const uint32_t b = to_bits(fabsf(v));
	const uint64_t lo = b > WINDOW ? b - WINDOW : 0;
	const uint64_t hi = (uint64_t)b + WINDOW;
	sweep(lo, hi, 1);                             /* +|v| */
	sweep(lo | 0x80000000u, hi | 0x80000000u, 1); /* -|v| */
}

int
main(void)
{
	const clock_t t0 = clock();

	sweep(0, 1ull << 32, STRIDE);

	/* 0; tanh clamp 9; sigmoid clamp 30; qk_exp clamps -80 and 88 (reached
	 * through exp(2x) and exp(-x)); 44 (2x = 88); 1e12 (sane); 1 and 0.5
	 * (binade edges of the reduction); FLT_MAX. */
	const float points[] = {0.0f,  0.5f,  1.0f,  9.0f,  30.0f,  40.0f,
	                        44.0f, 80.0f, 88.0f, 1e12f, FLT_MAX};
	for (size_t i = 0; i < sizeof points / sizeof points[0]; ++i) {
		sweep_around(points[i]);
	}
	/* [-1, 1], where tanh and the sigmoid are far from saturation. */
	sweep(0, (uint64_t)to_bits(1.0f) + 1, DENSE_STRIDE);
	sweep(0x80000000u, (uint64_t)to_bits(-1.0f) + 1, DENSE_STRIDE);

	/* NaN, every payload class, both signs: must read as 0. */
	const uint32_t nans[] = {0x7fc00000u, 0xffc00000u, 0x7f800001u, 0xff800001u,
	                         0x7fffffffu, 0xffffffffu, 0x7fa00000u};
	float x[sizeof nans / sizeof nans[0]];
	for (size_t i = 0; i < sizeof nans / sizeof nans[0]; ++i) {
		x[i] = from_bits(nans[i]);
	}
	check_block(x, sizeof nans / sizeof nans[0]);

	const double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	uint64_t fails = 0;
	for (int a = 0; a < QK_N_ACTIVATIONS; ++a) {
		printf("%-8s checked %llu, max |err| %.3g at x = %.9g "
		       "(unsaturated: %.3g), failures %llu\n",
		       names[a], (unsigned long long)st[a].checked, st[a].max_err,
		       (double)st[a].worst_x, st[a].max_err_in, (unsigned long long)st[a].fails);
		fails += st[a].fails;
	}
	printf("sweep took %.1f s CPU\n", secs);
	return fails ? 1 : 0;
}
