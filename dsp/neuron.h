/* SPDX-License-Identifier: ISC */
/* Multiplexing (additive activation attention), inside the Standard Model:
 * the attending output adds to the activation, out = f(slope * (sum w_i x_i
 * + bias + v * attend)). A large negative v with a (0,1) attending unit forces
 * a threshold unit off whatever its inputs: attention by suppression. */
#ifndef QK_NEURON_H
#define QK_NEURON_H

#include "unit.h"

/* x[i] and attend may be NULL (unconnected: read 0). Any buffer may alias out. */
void qk_neuron(const qk_unit *u, float v, const float *const x[QK_INPUTS], const float *attend,
               float *out, uint32_t n);

#endif
