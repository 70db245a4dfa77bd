/* SPDX-License-Identifier: ISC */
/* Softmax across units, a_i = exp(s_i / T) / sum_j exp(s_j / T): the
 * normalisation between output gating (scores) and synaptic gating (weights)
 * in a transformer head. */
#ifndef QK_SOFTMAX_H
#define QK_SOFTMAX_H

#include <stdint.h>

#define QK_SOFTMAX_WIDTH 4

/* A NULL score is left out of the softmax and its output is 0; with no score
 * at all every output is 0. A NULL output is skipped. Any buffer may alias any
 * output. temp must be > 0 (callers clamp it). */
void qk_softmax(float temp, const float *const s[QK_SOFTMAX_WIDTH],
                float *const a[QK_SOFTMAX_WIDTH], uint32_t n);

#endif
