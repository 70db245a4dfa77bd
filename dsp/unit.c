#include "unit.h"

qk_unit
qk_unit_from_controls(const float w[QK_INPUTS], float bias, float slope, float act)
{
	qk_unit u;
	for (int i = 0; i < QK_INPUTS; ++i) {
		u.w[i] = qk_control(w[i], -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 1.0f);
	}
	u.bias = qk_control(bias, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 0.0f);
	u.slope = qk_control(slope, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, 1.0f);
	u.act = qk_activation_from_control(act);
	return u;
}
