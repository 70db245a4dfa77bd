/* SPDX-License-Identifier: ISC */
/* A polynomial threshold unit of degree 2 over four inputs: every one of the
 * n(n+1)/2 = 10 product terms x_i x_j (i <= j) has its own weight,
 *   out = f(slope * (sum_i w_i x_i + sum_{i<=j} w_ij x_i x_j + bias)).
 * A gating operation adds one such term; this unit has all of them, which is
 * what the paper weighs gating against (n^2/2 parameters instead of 1). */
#ifndef QK_QUADRATIC_H
#define QK_QUADRATIC_H

#include "unit.h"

#define QK_QUADRATIC_TERMS (QK_INPUTS * (QK_INPUTS + 1) / 2)

/* Weights of the product terms in the order w11 w12 w13 w14 w22 w23 w24 w33
 * w34 w44 (row by row of the upper triangle). */
typedef struct {
	qk_unit linear; /* w_i, bias, slope, activation */
	float w2[QK_QUADRATIC_TERMS];
} qk_quadratic_unit;

/* x[i] NULL reads 0. Any buffer may alias out. */
void qk_quadratic(const qk_quadratic_unit *u, const float *const x[QK_INPUTS], float *out,
                  uint32_t n);

#endif
