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

/* The unit described by raw control values (w[4], bias, slope, act): clamped
 * to their ranges, as hosts may send anything. */
qk_unit qk_unit_from_controls(const float w[QK_INPUTS], float bias, float slope, float act);

#endif
