/* SPDX-License-Identifier: ISC */
/* A seeded PRNG for test data (xorshift64*): the same numbers on every run. */
#ifndef QK_TEST_RNG_H
#define QK_TEST_RNG_H

#include <stdint.h>

typedef struct {
	uint64_t state;
} rng;

static inline uint64_t
rng_next(rng *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 2685821657736338717ull;
}

/* Uniform in [lo, hi). */
static inline double
rng_uniform(rng *r, double lo, double hi)
{
	return lo + (hi - lo) * (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* A multiple of 1/denominator in [lo, hi]: sums and products of such values
 * are exact in float, so float and double agree on the sign of S. */
static inline double
rng_dyadic(rng *r, double lo, double hi, double denominator)
{
	const int64_t steps = (int64_t)((hi - lo) * denominator);
	return lo + (double)(int64_t)(rng_next(r) % (uint64_t)(steps + 1)) / denominator;
}

#endif
