/* SPDX-License-Identifier: ISC */
/* Activation functions f(S) of the Standard Model (QUARKS.md), for float blocks.
 *
 * Everything here is branch-free so that the loops calling it vectorize: the
 * transcendental ones use qk_exp, a polynomial exp that needs no libm call.
 * Accuracy: every activation is within 1e-6 (absolute) of the double-precision
 * libm value over the whole float range (tests/test_activation.c sweeps it). */
#ifndef QK_ACTIVATION_H
#define QK_ACTIVATION_H

#include <stdint.h>
#include <string.h>

typedef enum {
	QK_LINEAR = 0,
	QK_STEP = 1, /* (0,1) linear threshold gate: 1 if S >= 0 */
	QK_SIGN = 2, /* (-1,+1) linear threshold gate: +1 if S >= 0 */
	QK_SIGMOID = 3,
	QK_TANH = 4,
	QK_RELU = 5,
	QK_N_ACTIVATIONS
} qk_activation;

/* Past this magnitude a value saturates: big enough for any patch that means
 * something, small enough that a product of two saturated values stays finite. */
#define QK_LIMIT 1e12f

/* The bits of QK_LIMIT: positive floats order like their bit patterns. */
#define QK_LIMIT_BITS 0x5368d4a5

/* NaN reads as 0, magnitudes beyond QK_LIMIT saturate and denormals flush to
 * 0, so nothing downstream of a quark can become NaN or Inf, and the result
 * is the same whether or not the FPU flushes denormals (valgrind, non-x86
 * hosts and tools calling dsp/ directly do not).
 * Done on the bits: |x| as an integer orders like |x|, with NaN above Inf
 * and denormals below FLT_MIN, so every test is an integer compare. GCC
 * vectorizes those into a few SSE2 instructions, where float ternaries
 * become long chains of masks (it will not turn them into min/max). */
static inline float
qk_sane(float x)
{
	uint32_t bits;
	memcpy(&bits, &x, sizeof bits);
	const uint32_t sign = bits & 0x80000000u;
	int32_t magnitude = (int32_t)(bits & 0x7fffffffu);
	const int32_t keep = (magnitude <= 0x7f800000) & (magnitude >= 0x00800000);
	magnitude = magnitude > QK_LIMIT_BITS ? QK_LIMIT_BITS : magnitude;
	const uint32_t result = keep ? ((uint32_t)magnitude | sign) : 0u;
	memcpy(&x, &result, sizeof x);
	return x;
}

/* NaN reads as 0: all of qk_sane that tanh and sigmoid need, as their own
 * clamps sit far inside QK_LIMIT and a denormal gives f(0) anyway. */
static inline float
qk_nan0(float x)
{
	return (x == x) ? x : 0.0f;
}

/* e^x for x in [-87, 88], relative error < 1e-7, for callers that clamp.
 * x = n ln2 + r with |r| <= ln2/2. Adding 1.5 * 2^23 rounds x log2(e) to the
 * integer n and leaves n in the low mantissa bits, whence 2^n goes straight
 * into the exponent field. e^r = 1 + r + r^2 p(r), p of degree 4 fitted by
 * tools/fit-exp.py (3e-9 in exact arithmetic), evaluated in two halves
 * (Estrin) so the chain of dependent operations stays short. */
static inline float
qk_exp_core(float x)
{
	const float log2e = 1.44269504088896341f;
	const float ln2_hi = 0.693145751953125f;      /* exact in float, 16 bits */
	const float ln2_lo = 1.42860682030941723e-6f; /* ln 2 - ln2_hi */
	const float round = 12582912.0f;              /* 1.5 * 2^23 */

	const float t = x * log2e + round;
	const float n = t - round;
	const float r = (x - n * ln2_hi) - n * ln2_lo;
	const float r2 = r * r;

	const float low = 4.9999994040e-01f + 1.6666521132e-01f * r;
	const float high = 4.1668385267e-02f + 8.3686849102e-03f * r;
	const float p = low + r2 * (high + r2 * 1.3814498670e-03f);

	uint32_t bits;
	memcpy(&bits, &t, sizeof bits);
	bits = (bits + 127u) << 23; /* (n + 127) << 23: the rest shifts out */
	float scale;
	memcpy(&scale, &bits, sizeof scale);
	return (1.0f + r + r2 * p) * scale;
}

/* e^x for any x. Below -80 the result stays at e^-80 (1.8e-35, off by less
 * than that): it and its products with anything above 1e-3 stay normal
 * floats, so no denormal ever leaves here. */
static inline float
qk_exp(float x)
{
	x = (x > 88.0f) ? 88.0f : x;
	x = (x < -80.0f) ? -80.0f : x;
	return qk_exp_core(x);
}

/* Beyond |x| = 9 tanh is within 3e-8 of +-1, so clamping there costs nothing
 * and keeps exp(2x) far from overflow. 1 - 2/(e^2x + 1) loses relative
 * precision near 0 but its absolute error stays below 1e-7. */
static inline float
qk_tanh(float x)
{
	x = (x > 9.0f) ? 9.0f : x;
	x = (x < -9.0f) ? -9.0f : x;
	return 1.0f - 2.0f / (qk_exp_core(2.0f * x) + 1.0f);
}

/* Past x = 87 the sigmoid is 1 to float precision. Below -87 it would
 * leave the normal floats; down to there it stays exact in the tail, which
 * matters when a huge stream is gated by a nearly closed sigmoid gate. */
static inline float
qk_sigmoid(float x)
{
	x = (x > 87.0f) ? 87.0f : x;
	x = (x < -87.0f) ? -87.0f : x;
	return 1.0f / (1.0f + qk_exp_core(-x));
}

static inline float
qk_step(float x)
{
	return x >= 0.0f ? 1.0f : 0.0f;
}
static inline float
qk_sign(float x)
{
	return x >= 0.0f ? 1.0f : -1.0f;
}
static inline float
qk_relu(float x)
{
	return x > 0.0f ? x : 0.0f;
}

/* Map a control value to an activation: round to nearest, clamp to the enum.
 * Inline: every run() reads one. */
static inline qk_activation
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

/* out[i] = f(sane(slope * s[i])) for i < n. s and out may be the same buffer. */
void qk_activate(qk_activation f, float slope, const float *s, float *out, uint32_t n);

#endif
