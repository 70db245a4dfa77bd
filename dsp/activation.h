/* Activation functions f(S) of the Standard Model (QUARKS.md), for float blocks.
 *
 * Everything here is branch-free so that the loops calling it vectorize: the
 * transcendental ones use qk_exp, a polynomial exp that needs no libm call.
 * Accuracy: every activation is within 1e-6 (absolute) of the double-precision
 * libm value over the whole float range (tests/test_activation.c sweeps it). */
#ifndef QK_ACTIVATION_H
#define QK_ACTIVATION_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef enum {
	QK_LINEAR = 0,
	QK_STEP = 1,    /* (0,1) linear threshold gate: 1 if S >= 0 */
	QK_SIGN = 2,    /* (-1,+1) linear threshold gate: +1 if S >= 0 */
	QK_SIGMOID = 3,
	QK_TANH = 4,
	QK_RELU = 5,
	QK_N_ACTIVATIONS
} qk_activation;

/* Past this magnitude a value saturates: big enough for any patch that means
 * something, small enough that a product of two saturated values stays finite. */
#define QK_LIMIT 1e12f

/* NaN reads as 0, magnitudes beyond QK_LIMIT saturate and denormals flush to
 * 0, so nothing downstream of a quark can become NaN or Inf, and the result
 * is the same whether or not the FPU flushes denormals (valgrind, non-x86
 * hosts and tools calling dsp/ directly do not). Written with comparisons,
 * not fminf/fmaxf, so it compiles to vector compare/blend/min/max without
 * -ffast-math. */
static inline float
qk_sane(float x)
{
	x = (x == x) ? x : 0.0f;
	x = (x > QK_LIMIT) ? QK_LIMIT : x;
	x = (x < -QK_LIMIT) ? -QK_LIMIT : x;
	return (fabsf(x) >= FLT_MIN) ? x : 0.0f;
}

/* exp(x) for x in float range, relative error < 2e-7. x = n ln2 + r with
 * |r| <= ln2/2; e^r from its Taylor series to r^7 (error r^8/8! < 1e-8); 2^n
 * put straight into the exponent bits. Below -80 the result stays at e^-80
 * (1.8e-35, off by less than that): it and its products with anything above
 * 1e-3 stay normal floats, so no denormal ever leaves here. */
static inline float
qk_exp(float x)
{
	x = (x > 88.0f) ? 88.0f : x;
	x = (x < -80.0f) ? -80.0f : x;

	const float log2e = 1.44269504088896341f;
	const float ln2_hi = 0.693145751953125f;      /* exact in float, 16 bits */
	const float ln2_lo = 1.42860682030941723e-6f; /* ln 2 - ln2_hi */

	/* round to nearest without lrintf (which does not vectorize everywhere) */
	const float t = x * log2e;
	const int32_t n = (int32_t)(t + (t >= 0.0f ? 0.5f : -0.5f));
	const float r = (x - (float)n * ln2_hi) - (float)n * ln2_lo;

	float p = 1.0f / 5040.0f;
	p = p * r + 1.0f / 720.0f;
	p = p * r + 1.0f / 120.0f;
	p = p * r + 1.0f / 24.0f;
	p = p * r + 1.0f / 6.0f;
	p = p * r + 0.5f;
	p = p * r + 1.0f;
	p = p * r + 1.0f;

	const int32_t bits = (n + 127) << 23;
	float scale;
	memcpy(&scale, &bits, sizeof scale);
	return p * scale;
}

/* Beyond |x| = 9 tanh is within 3e-8 of +-1, so clamping there costs nothing
 * and keeps exp(2x) far from overflow. 1 - 2/(e^2x + 1) loses relative
 * precision near 0 but its absolute error stays below 1e-7. */
static inline float
qk_tanh(float x)
{
	x = (x > 9.0f) ? 9.0f : x;
	x = (x < -9.0f) ? -9.0f : x;
	return 1.0f - 2.0f / (qk_exp(2.0f * x) + 1.0f);
}

/* Past x = 87 the sigmoid is 1 to float precision. Below -87 it would
 * leave the normal floats; down to there it stays exact in the tail, which
 * matters when a huge stream is gated by a nearly closed sigmoid gate. */
static inline float
qk_sigmoid(float x)
{
	x = (x > 87.0f) ? 87.0f : x;
	x = (x < -87.0f) ? -87.0f : x;
	return 1.0f / (1.0f + qk_exp(-x));
}

static inline float qk_step(float x) { return x >= 0.0f ? 1.0f : 0.0f; }
static inline float qk_sign(float x) { return x >= 0.0f ? 1.0f : -1.0f; }
static inline float qk_relu(float x) { return x > 0.0f ? x : 0.0f; }

/* Map a control value to an activation: round to nearest, clamp to the enum. */
qk_activation qk_activation_from_control(float value);

/* out[i] = f(sane(slope * s[i])) for i < n. s and out may be the same buffer. */
void qk_activate(qk_activation f, float slope, const float *s, float *out, uint32_t n);

#endif
