/* SPDX-License-Identifier: ISC */
/* A unit of the Standard Model: four weighted inputs, a bias, a slope on the
 * activation and an activation function, O = f(slope * S). The neuron and the
 * synaptic, activation and additive-synapse quarks are all such a unit; they
 * differ only in how the attending streams enter S. */
#ifndef QK_UNIT_H
#define QK_UNIT_H

#include "activation.h"

#define QK_INPUTS 4

/* Control ranges, shared by the TTL descriptions and the clamps below. */
#define QK_WEIGHT_MAX 100.0f
#define QK_TEMP_MIN 0.01f
#define QK_TEMP_MAX 100.0f

typedef struct {
	float w[QK_INPUTS];
	float bias;
	float slope;
	qk_activation act;
} qk_unit;

/* A control value clamped to [lo, hi]; NaN reads as fallback (the default). */
static inline float
qk_control(float value, float lo, float hi, float fallback)
{
	if (value != value) {
		return fallback;
	}
	return value < lo ? lo : (value > hi ? hi : value);
}

/* Sets u from raw control values, clamped to their ranges, as hosts may send
 * anything. Values come in registers and go out as scalar stores: building
 * an array first and copying structs costs a store-forwarding stall per
 * run(), a large part of a short block's time. */
static inline void
qk_unit_set(qk_unit *u, float w1, float w2, float w3, float w4, float bias, float slope, float act)
{
	u->w[0] = qk_control(w1, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 1.0f);
	u->w[1] = qk_control(w2, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 1.0f);
	u->w[2] = qk_control(w3, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 1.0f);
	u->w[3] = qk_control(w4, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 1.0f);
	u->bias = qk_control(bias, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 0.0f);
	u->slope = qk_control(slope, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 1.0f);
	u->act = qk_activation_from_control(act);
}

/* The same, from an array of the four weights. */
qk_unit qk_unit_from_controls(const float w[QK_INPUTS], float bias, float slope, float act);

#endif
