/* SPDX-License-Identifier: ISC */
/* Fast-weight synapse: synaptic gating as a memory that an attending network
 * writes (QUARKS.md). Each input j has a fast weight A_j on top of its static
 * weight w_j:
 *   A_j[n] = clamp(lambda * A_j[n-1] + c * u[n] * k_j[n], +-QK_FAST_WEIGHT_MAX),
 *   O[n]   = f(sane(slope * (sum_j (w_j + A_j[n]) x_j[n] + bias))),
 * with A_j[-1] = 0, u = sane(write stream), k_j = sane(key stream j) and
 * c = eta / rate the write rate per sample. A_j below FLT_MIN in magnitude
 * is 0 (timescale.h). */
#ifndef QK_FAST_WEIGHT_H
#define QK_FAST_WEIGHT_H

#include "timescale.h"
#include "unit.h"

/* A fast weight saturates where a static weight's range ends: a memory can
 * outweigh a synapse but no more than another synapse could. */
#define QK_FAST_WEIGHT_MAX ((double)QK_WEIGHT_MAX)

/* lambda: the decay factor (qk_decay.alpha); c: what a write adds per sample
 * per unit of u * k. a[4] is A_j[n-1] on entry, the last A_j on return.
 * x, key and write NULL read 0. fast[j] (A_j as a stream) may be NULL (not
 * written). Any buffer may alias any output. */
void qk_fast_weight(const qk_unit *u, double lambda, double c, double a[QK_INPUTS],
                    const float *const x[QK_INPUTS], const float *const key[QK_INPUTS],
                    const float *write, float *out, float *const fast[QK_INPUTS], uint32_t n);

#endif
