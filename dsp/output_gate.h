/* SPDX-License-Identifier: ISC */
/* Output gating (multiplicative output attention): the attending output
 * multiplies the attended one, out = in * g(a * gate + c). Everything the
 * attended unit feeds sees the product. With g linear, a = 1, c = 0 this is
 * the plain product of the two streams; with g step it is a (0,1) gate, with
 * g sign a (-1,+1) gate (the product of two such LTGs is their XNOR). */
#ifndef QK_OUTPUT_GATE_H
#define QK_OUTPUT_GATE_H

#include "activation.h"

/* in NULL reads 0; gate NULL reads 1. Any buffer may alias out. */
void qk_output_gate(float a, float c, qk_activation g, const float *in, const float *gate,
                    float *out, uint32_t n);

#endif
