/* SPDX-License-Identifier: ISC */
/* Activation gating (multiplicative activation attention): the attending
 * output scales the activation before f, out = f(slope * gate * (sum w_i x_i
 * + bias)). With f(0) = 0, f positively homogeneous (linear, relu) and
 * gate >= 0 this equals output gating. */
#ifndef QK_ACTIVATION_GATE_H
#define QK_ACTIVATION_GATE_H

#include "unit.h"

/* x[i] NULL reads 0; gate NULL reads 1. Any buffer may alias out. */
void qk_activation_gate(const qk_unit *u, const float *const x[QK_INPUTS], const float *gate,
                        float *out, uint32_t n);

#endif
