/* SPDX-License-Identifier: ISC */
/* Counting a class of Boolean functions one symmetry orbit at a time.
 *
 * The group: permutations and negations of the n inputs (n! 2^n elements), together with
 * complementing the output (twice as many). Threshold functions of any degree are closed
 * under all of them (they only change the signs and order of the monomial coefficients, or
 * negate them all), so such a class is a union of orbits and its size is the sum of the
 * orbit sizes of the orbit representatives that belong to it. Deciding only one table per
 * orbit (the smallest as a number) divides the LP work by about |group| = 7680 at n = 5.
 * Orbits at n = 1..5: 2, 4, 14, 222, 616126 (the NPN classes, OEIS A000370). */
#ifndef CAP_ORBIT_H
#define CAP_ORBIT_H

#include <stddef.h>
#include <stdint.h>

#include "cap_tt.h"

typedef struct cap_group {
	unsigned n, size; /* size: signed permutations (output complement applied on top) */
	unsigned nbytes;  /* bytes of a table */
	uint32_t *tab;    /* size * nbytes * 256 lookups: image bits contributed by each byte */
} cap_group;

typedef struct cap_orbits {
	size_t count;
	cap_tt *rep;    /* smallest table of each orbit, ascending */
	uint32_t *size; /* its orbit size */
} cap_orbits;

/* Returns 0, or -1 if out of memory. */
int cap_group_init(cap_group *g, unsigned n);
void cap_group_free(cap_group *g);

/* f composed with group element e (0 <= e < size): the table of x -> f(sigma_e(x)). */
static inline cap_tt
cap_group_apply(const cap_group *g, unsigned e, cap_tt f)
{
	const uint32_t *t = g->tab + (size_t)e * g->nbytes * 256u;
	cap_tt r = 0;
	for (unsigned b = 0; b < g->nbytes; ++b)
		r |= t[b * 256u + ((f >> (8u * b)) & 255u)];
	return r;
}

/* All orbit representatives of functions of n inputs with their orbit sizes, found by
 * testing every table for minimality in its orbit (threads share the table range).
 * Returns 0, or -1 if out of memory. */
int cap_orbits_find(cap_orbits *o, unsigned n, unsigned threads);
void cap_orbits_free(cap_orbits *o);

#endif
