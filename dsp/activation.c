/* SPDX-License-Identifier: ISC */
#include "activation.h"
#include "clones.h"

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

/* One loop per activation, with the choice made once per block, so that each
 * loop is a straight line the compiler can vectorize. */
#define QK_ACTIVATE_LOOP(fn)                        \
	for (uint32_t i = 0; i < n; ++i) {          \
		out[i] = fn(qk_sane(slope * s[i])); \
	}

/* tanh and sigmoid saturate far inside QK_LIMIT: only NaN needs handling. */
#define QK_ACTIVATE_SMOOTH_LOOP(fn)                 \
	for (uint32_t i = 0; i < n; ++i) {          \
		out[i] = fn(qk_nan0(slope * s[i])); \
	}

static inline float
qk_linear(float x)
{
	return x;
}

QK_CLONES void
qk_activate(qk_activation f, float slope, const float *s, float *out, uint32_t n)
{
	switch (f) {
	case QK_STEP: QK_ACTIVATE_LOOP(qk_step); break;
	case QK_SIGN: QK_ACTIVATE_LOOP(qk_sign); break;
	case QK_SIGMOID: QK_ACTIVATE_SMOOTH_LOOP(qk_sigmoid); break;
	case QK_TANH: QK_ACTIVATE_SMOOTH_LOOP(qk_tanh); break;
	case QK_RELU: QK_ACTIVATE_LOOP(qk_relu); break;
	case QK_LINEAR:
	default: QK_ACTIVATE_LOOP(qk_linear); break;
	}
}
