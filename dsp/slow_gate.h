/* SPDX-License-Identifier: ISC */
/* Slow gate: attention that builds up and fades (QUARKS.md). The gate
 * stream g is smoothed with one time constant while it rises and another
 * while it falls,
 *   G[n] = b * G[n-1] + (1 - b) * g[n],   G[-1] = 0,
 *   b = alpha_attack if g[n] > G[n-1], else alpha_release,
 * and gates the input, out[n] = sane(in[n] * G[n]): an output gate whose gate
 * has an attack and a release. */
#ifndef QK_SLOW_GATE_H
#define QK_SLOW_GATE_H

#include "timescale.h"

#include <stdint.h>

/* *state is G[n-1] on entry and the last G on return. g is sane(gate[n]);
 * gate NULL reads 1 (a gate's identity), in NULL reads 0. out and level
 * (G as a stream) may be NULL (not written); any buffer may alias any
 * output. */
void qk_slow_gate(qk_decay attack, qk_decay release, double *state, const float *in,
                  const float *gate, float *out, float *level, uint32_t n);

#endif
