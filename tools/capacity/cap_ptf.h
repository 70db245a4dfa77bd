/* SPDX-License-Identifier: ISC */
/* The number of polynomial threshold functions of degree d (1: one gate, 2: quadratic gate)
 * of n <= 5 inputs, decided exactly one orbit at a time (cap_orbit.h) by LP (cap_lp.h).
 *
 * Before the LP, a representative is rejected if one of its 2n restrictions to a half-cube
 * (one input fixed to 0 or 1) is not such a function of n - 1 inputs: fixing an input of a
 * degree-d polynomial leaves a degree-d polynomial of the others, so this only drops tables
 * the LP would reject, and the LP decides every table that passes. The n - 1 input set is
 * decided table by table with the same LP. */
#ifndef CAP_PTF_H
#define CAP_PTF_H

#include <stdint.h>

typedef struct cap_ptf_stats {
	uint64_t orbits;   /* representatives examined */
	uint64_t lp_calls; /* representatives that reached the LP */
	uint64_t lp_exact; /* of all LP decisions, those settled by the exact solver */
} cap_ptf_stats;

/* Returns 0 and sets *count, or -1 if out of memory. stats may be NULL. */
int cap_ptf_count(unsigned n, unsigned degree, unsigned threads, uint64_t *count,
                  cap_ptf_stats *stats);

#endif
