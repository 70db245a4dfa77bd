#include "unit.h"

qk_unit
qk_unit_from_controls(const float w[QK_INPUTS], float bias, float slope, float act)
{
	qk_unit u;
	qk_unit_set(&u, w[0], w[1], w[2], w[3], bias, slope, act);
	return u;
}

qk_activation
qk_activation_from_control(float value)
{
	/* NaN fails both comparisons and lands on linear, the default. */
	if (!(value >= 0.5f)) {
		return QK_LINEAR;
	}
	if (value >= (float)QK_N_ACTIVATIONS - 0.5f) {
		return (qk_activation)(QK_N_ACTIVATIONS - 1);
	}
	return (qk_activation)(int)(value + 0.5f);
}
