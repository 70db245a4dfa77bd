/* SPDX-License-Identifier: ISC */
/* Additive output attention, inside the Standard Model: the attending output
 * is added to what the attended unit passes on, out = in + k * gate. */
#ifndef QK_ADDITIVE_OUTPUT_H
#define QK_ADDITIVE_OUTPUT_H

#include <stdint.h>

/* in and gate NULL read 0. Any buffer may alias out. */
void qk_additive_output(float k, const float *in, const float *gate, float *out, uint32_t n);

#endif
