/* SPDX-License-Identifier: ISC */
/* Additive synaptic attention: gate stream g_i adds to the weight of synapse
 * i, w_i -> w_i + g_i, so S gains the quadratic term g_i x_i:
 * out = f(slope * (sum (w_i + g_i) x_i + bias)). */
#ifndef QK_ADDITIVE_SYNAPSE_H
#define QK_ADDITIVE_SYNAPSE_H

#include "unit.h"

/* x[i] and g[i] NULL read 0. Any buffer may alias out. */
void qk_additive_synapse(const qk_unit *u, const float *const x[QK_INPUTS],
                         const float *const g[QK_INPUTS], float *out, uint32_t n);

#endif
