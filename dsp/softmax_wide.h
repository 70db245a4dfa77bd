/* SPDX-License-Identifier: ISC */
/* Softmax across up to QK_SOFTMAX_WIDE_MAX units, a_i = exp(s_i / T) / sum_j
 * exp(s_j / T): qk_softmax (softmax.h) for any width, so that an attention
 * head over more than four keys normalises all its scores in one unit. Per
 * frame it does exactly what qk_softmax does, in the same order: at width 4
 * the two give the same bits. */
#ifndef QK_SOFTMAX_WIDE_H
#define QK_SOFTMAX_WIDE_H

#include <stdint.h>

#define QK_SOFTMAX_WIDE_MAX 16

/* s[j], a[j] for j < width <= QK_SOFTMAX_WIDE_MAX. A NULL score is left out of
 * the softmax and its output is 0; with no score at all every output is 0. A
 * NULL output is skipped. Any buffer may alias any output. temp must be > 0
 * (callers clamp it). */
void qk_softmax_wide(float temp, const float *const *s, float *const *a, uint32_t width,
                     uint32_t n);

#endif
