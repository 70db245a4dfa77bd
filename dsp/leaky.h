/* SPDX-License-Identifier: ISC */
/* Leaky integrator unit: a neuron with a membrane time constant
 * (QUARKS.md). With the neuron's drive
 *   u[n] = sane(slope * (sum_i w_i x_i[n] + bias + v * attend[n])),
 *   S[n] = alpha * S[n-1] + (1 - alpha) * u[n],   S[-1] = 0,
 *   O[n] = f(S[n]),
 * the zero-order-hold solution of tau dS/dt = -S + u. alpha = 0 (tau = 0) is
 * the neuron itself, sample for sample. */
#ifndef QK_LEAKY_H
#define QK_LEAKY_H

#include "timescale.h"
#include "unit.h"

/* *state is S[n-1] on entry and S[n + len - 1] on return (a double, see
 * timescale.h). x[i] and attend NULL read 0; any buffer may alias out. */
void qk_leaky(const qk_unit *u, float v, qk_decay k, double *state, const float *const x[QK_INPUTS],
              const float *attend, float *out, uint32_t n);

#endif
