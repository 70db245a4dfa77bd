/* SPDX-License-Identifier: ISC */
/* Truth tables of Boolean functions of n <= 5 inputs, as bitsets.
 *
 * Convention used everywhere in the capacity lab: input pattern k (0 <= k < 2^n) sets
 * x_i = bit i of k, in (0,1) coding, or s_i = 2 x_i - 1 in (-1,+1) coding. Bit k of a truth
 * table is the output on pattern k: 1 for a step output of 1 or a sign output of +1.
 * With n <= 5 a table fits a uint32_t (2^5 = 32 patterns). */
#ifndef CAP_TT_H
#define CAP_TT_H

#include <stdint.h>

#define CAP_MAX_N 5u

typedef uint32_t cap_tt;

/* All 2^n pattern bits set. */
cap_tt cap_tt_full(unsigned n);

/* Patterns with x_j = 1. */
cap_tt cap_tt_var(unsigned n, unsigned j);

/* f with input j negated: f(x_1, .., 1 - x_j, .., x_n). */
cap_tt cap_tt_flip(unsigned n, cap_tt f, unsigned j);

/* f with input j fixed to 0: f(x_1, .., 0, .., x_n), a function of all n inputs that ignores x_j.
 */
cap_tt cap_tt_fix0(unsigned n, cap_tt f, unsigned j);

/* The function of n inputs that is a(x without x_j) where x_j = 1 and b(x without x_j) where
 * x_j = 0; a and b are tables of n - 1 inputs (the others, in order). */
cap_tt cap_tt_mux(unsigned n, unsigned j, cap_tt a, cap_tt b);

/* Output of a gate with integer weights w[0..n-1] and bias b, fed (-1,+1) inputs:
 * bit k = (sum_i w_i s_i(k) + b >= 0). */
cap_tt cap_tt_ltg_pm(unsigned n, const int *w, int b);

/* Number of set bits. */
unsigned cap_tt_weight(cap_tt f);

#endif
