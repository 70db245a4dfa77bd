/* SPDX-License-Identifier: ISC */
/* Synaptic gating (multiplicative synaptic attention): gate stream g_i scales
 * the weight of synapse i only, w_i -> w_i * g_i, a fast weight set at signal
 * rate: out = f(slope * (sum w_i g_i x_i + bias)). */
#ifndef QK_SYNAPTIC_GATE_H
#define QK_SYNAPTIC_GATE_H

#include "unit.h"

/* x[i] NULL reads 0; g[i] NULL reads 1 (the synapse keeps its static weight).
 * Any buffer may alias out. */
void qk_synaptic_gate(const qk_unit *u, const float *const x[QK_INPUTS],
                      const float *const g[QK_INPUTS], float *out, uint32_t n);

#endif
