/* SPDX-License-Identifier: ISC */
/* Exact decision, one truth table at a time, of "f is a polynomial threshold function of
 * degree <= d" (d = 1: linear threshold gate; d = 2: quadratic gate), by linear programming.
 *
 * f is realisable iff some coefficients theta over the monomials of degree <= d in the
 * (-1,+1) inputs satisfy sigma_k * (theta . phi(k)) >= 1 for all patterns k (sigma_k = +1 where
 * f = 1, -1 where f = 0): strict separation of finitely many points can be scaled to margin 1,
 * and a gate that outputs 1 on a tie is also strictly realisable (raise the constant term).
 * GLPK's floating simplex proposes an answer; a "yes" is accepted only if the returned theta
 * is re-checked with margin >= 1/2 (rounding error of these small sums is far below that),
 * every other case is settled by GLPK's exact rational simplex (glp_exact). */
#ifndef CAP_LP_H
#define CAP_LP_H

#include <stdbool.h>

#include "cap_tt.h"

typedef struct cap_lp cap_lp;

/* A solver for n <= 5 inputs and degree 1 or 2. NULL if out of memory. */
cap_lp *cap_lp_new(unsigned n, unsigned degree);
void cap_lp_free(cap_lp *lp);

/* Number of monomials (constant included): 1 + n for d = 1, 1 + n + n(n-1)/2 for d = 2. */
unsigned cap_lp_dim(const cap_lp *lp);

/* Whether f is realisable. If theta is not NULL and the answer is yes, theta[0..dim-1]
 * receives a certified realisation (constant, linear terms s_1..s_n, then s_i s_j, i < j). */
bool cap_lp_realisable(cap_lp *lp, cap_tt f, double *theta);

/* How many decisions needed the exact solver (the floating one was not conclusive). */
unsigned long cap_lp_exact_calls(const cap_lp *lp);

/* The monomial values phi(k) of pattern k, in the order above (entries +1 or -1). */
void cap_lp_features(unsigned n, unsigned degree, unsigned k, int *phi);

#endif
