/* SPDX-License-Identifier: ISC */
/* qk_exp against libm exp in double: relative error < 1e-6 on [-80, 88], the
 * range where qk_exp does not clamp (activation.h): every 29th float bit
 * pattern in [-80, 88] (odd stride: all exponents, all mantissa residues mod
 * 29), plus the two ends and 0. */
#include "activation.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define STRIDE 29u
#define BLOCK 4096u
#define TOL 1e-6

static double max_rel;
static float worst;
static unsigned long long fails, checked;

static void
check(const float *x, uint32_t n)
{
	float y[BLOCK];
	for (uint32_t i = 0; i < n; ++i) {
		y[i] = qk_exp(x[i]); /* a straight loop: the vectorized form */
	}
	for (uint32_t i = 0; i < n; ++i) {
		const double ref = exp((double)x[i]);
		const double rel = fabs((double)y[i] - ref) / ref;
		checked++;
		if (!(rel <= max_rel)) {
			max_rel = rel;
			worst = x[i];
		}
		if (!(rel < TOL)) {
			if (fails < 5) {
				printf("FAIL qk_exp(%.9g) = %.9g, exp = %.9g\n", (double)x[i],
				       (double)y[i], ref);
			}
			fails++;
		}
	}
}

/* Bit patterns [lo, hi] with the stride; a sign bit in both for negatives. */
static void
sweep(uint32_t lo, uint32_t hi)
{
	float x[BLOCK];
	uint32_t n = 0;
	for (uint64_t b = lo; b <= hi; b += STRIDE) {
		const uint32_t bits = (uint32_t)b;
		memcpy(&x[n++], &bits, sizeof bits);
		if (n == BLOCK) {
			check(x, n);
			n = 0;
		}
	}
	check(x, n);
}

int
main(void)
{
	const float top = 88.0f, bottom = -80.0f;
	uint32_t bt, bb;
	memcpy(&bt, &top, sizeof bt);
	memcpy(&bb, &bottom, sizeof bb);
	sweep(0, bt);           /* [+0, 88] */
	sweep(0x80000000u, bb); /* [-0, -80] */
	const float ends[] = {88.0f, -80.0f, 0.0f};
	check(ends, 3);
	printf("qk_exp on [-80, 88]: checked %llu, max relative error %.3g at x = %.9g, "
	       "failures %llu\n",
	       checked, max_rel, (double)worst, fails);
	return fails ? 1 : 0;
}
