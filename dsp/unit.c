#include "unit.h"

qk_unit
qk_unit_from_controls(const float w[QK_INPUTS], float bias, float slope, float act)
{
	qk_unit u;
	qk_unit_set(&u, w[0], w[1], w[2], w[3], bias, slope, act);
	return u;
}
