/* The vector operations the kernels are written in (dsp/kernels.h), for one
 * instruction set: the file that includes this defines QK_SIMD as
 *   1  SSE2, 4 lanes: baseline x86-64;
 *   2  AVX2 + FMA, 8 lanes: x86-64-v3 (and every AVX-512 CPU);
 *   0  plain C, 1 lane: any other architecture.
 * and is compiled with the matching -march, so the intrinsics are real
 * instructions, not emulations. The kernels never depend on MXCSR: every
 * input is sanitized on its value (qk_v_sane), so a denormal input never
 * reaches an arithmetic instruction, and every result is flushed the same way.
 *
 * Each operation is one instruction on SSE2 and AVX2 except where noted. */
#ifndef QK_SIMD_H
#define QK_SIMD_H

#include <stdint.h>
#include <string.h>

#ifndef QK_SIMD
#error "define QK_SIMD before including simd.h"
#endif

#if QK_SIMD == 2
#include <immintrin.h>
#define QK_W 8
typedef __m256 qk_v;
typedef __m256i qk_vi;
#define qk_v_load(p) _mm256_loadu_ps(p)
#define qk_v_store(p, v) _mm256_storeu_ps((p), (v))
#define qk_v_set1(x) _mm256_set1_ps(x)
#define qk_v_add(a, b) _mm256_add_ps((a), (b))
#define qk_v_sub(a, b) _mm256_sub_ps((a), (b))
#define qk_v_mul(a, b) _mm256_mul_ps((a), (b))
#define qk_v_div(a, b) _mm256_div_ps((a), (b))
#define qk_v_fma(a, b, c) _mm256_fmadd_ps((a), (b), (c)) /* a*b + c, rounded once */
#define qk_v_min(a, b) _mm256_min_ps((a), (b)) /* a < b ? a : b (b if NaN) */
#define qk_v_max(a, b) _mm256_max_ps((a), (b)) /* a > b ? a : b (b if NaN) */
#define qk_v_and(a, b) _mm256_and_ps((a), (b))
#define qk_v_or(a, b) _mm256_or_ps((a), (b))
#define qk_v_xor(a, b) _mm256_xor_ps((a), (b))
#define qk_v_ge(a, b) _mm256_cmp_ps((a), (b), _CMP_GE_OQ) /* all-ones where a >= b, false on NaN */
#define qk_v_gt(a, b) _mm256_cmp_ps((a), (b), _CMP_GT_OQ)
#define qk_v_lt(a, b) _mm256_cmp_ps((a), (b), _CMP_LT_OQ)
#define qk_v_as_int(v) _mm256_castps_si256(v)
#define qk_v_as_float(v) _mm256_castsi256_ps(v)
#define qk_vi_set1(x) _mm256_set1_epi32(x)
#define qk_vi_add(a, b) _mm256_add_epi32((a), (b))
#define qk_vi_shl(a, n) _mm256_slli_epi32((a), (n))

/* The first m lanes (0 < m < QK_W) of p, the rest 0; only those m are read,
 * so a tail never reads past the host's buffer. */
static const int32_t qk_lane_mask_table[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                               0,  0,  0,  0,  0,  0,  0,  0};
static inline __m256i
qk_lane_mask(uint32_t m)
{
	return _mm256_loadu_si256((const __m256i *)(qk_lane_mask_table + 8 - m));
}
static inline qk_v
qk_v_load_part(const float *p, uint32_t m)
{
	return _mm256_maskload_ps(p, qk_lane_mask(m));
}
/* Not vmaskmovps: as a store it is microcoded on AMD cores (tens of
 * cycles), more than a few scalar stores. */
static inline void
qk_v_store_part(float *p, qk_v v, uint32_t m)
{
	float t[8];
	_mm256_storeu_ps(t, v);
	for (uint32_t j = 0; j < m; ++j) {
		p[j] = t[j];
	}
}

#elif QK_SIMD == 1
#include <emmintrin.h>
#define QK_W 4
typedef __m128 qk_v;
typedef __m128i qk_vi;
#define qk_v_load(p) _mm_loadu_ps(p)
#define qk_v_store(p, v) _mm_storeu_ps((p), (v))
#define qk_v_set1(x) _mm_set1_ps(x)
#define qk_v_add(a, b) _mm_add_ps((a), (b))
#define qk_v_sub(a, b) _mm_sub_ps((a), (b))
#define qk_v_mul(a, b) _mm_mul_ps((a), (b))
#define qk_v_div(a, b) _mm_div_ps((a), (b))
#define qk_v_fma(a, b, c) _mm_add_ps(_mm_mul_ps((a), (b)), (c)) /* two roundings */
#define qk_v_min(a, b) _mm_min_ps((a), (b))
#define qk_v_max(a, b) _mm_max_ps((a), (b))
#define qk_v_and(a, b) _mm_and_ps((a), (b))
#define qk_v_or(a, b) _mm_or_ps((a), (b))
#define qk_v_xor(a, b) _mm_xor_ps((a), (b))
#define qk_v_ge(a, b) _mm_cmple_ps((b), (a)) /* cmpleps: ordered, false on NaN */
#define qk_v_gt(a, b) _mm_cmplt_ps((b), (a))
#define qk_v_lt(a, b) _mm_cmplt_ps((a), (b))
#define qk_v_as_int(v) _mm_castps_si128(v)
#define qk_v_as_float(v) _mm_castsi128_ps(v)
#define qk_vi_set1(x) _mm_set1_epi32(x)
#define qk_vi_add(a, b) _mm_add_epi32((a), (b))
#define qk_vi_shl(a, n) _mm_slli_epi32((a), (n))

static inline qk_v
qk_v_load_part(const float *p, uint32_t m)
{
	float t[4] = {0.0f, 0.0f, 0.0f, 0.0f};
	for (uint32_t j = 0; j < m; ++j) {
		t[j] = p[j];
	}
	return _mm_loadu_ps(t);
}
static inline void
qk_v_store_part(float *p, qk_v v, uint32_t m)
{
	float t[4];
	_mm_storeu_ps(t, v);
	for (uint32_t j = 0; j < m; ++j) {
		p[j] = t[j];
	}
}

#elif QK_SIMD == 0
/* One lane of plain C, with the same semantics as the x86 instructions. */
#define QK_W 1
typedef float qk_v;
typedef uint32_t qk_vi;
static inline float qk_f_(uint32_t b) { float f; memcpy(&f, &b, sizeof f); return f; }
static inline uint32_t qk_b_(float f) { uint32_t b; memcpy(&b, &f, sizeof b); return b; }
#define qk_v_load(p) (*(p))
#define qk_v_store(p, v) (*(p) = (v))
#define qk_v_set1(x) (x)
#define qk_v_add(a, b) ((a) + (b))
#define qk_v_sub(a, b) ((a) - (b))
#define qk_v_mul(a, b) ((a) * (b))
#define qk_v_div(a, b) ((a) / (b))
#define qk_v_fma(a, b, c) ((a) * (b) + (c))
static inline float qk_v_min(float a, float b) { return a < b ? a : b; }
static inline float qk_v_max(float a, float b) { return a > b ? a : b; }
#define qk_v_and(a, b) qk_f_(qk_b_(a) & qk_b_(b))
#define qk_v_or(a, b) qk_f_(qk_b_(a) | qk_b_(b))
#define qk_v_xor(a, b) qk_f_(qk_b_(a) ^ qk_b_(b))
#define qk_v_ge(a, b) qk_f_((a) >= (b) ? 0xffffffffu : 0u)
#define qk_v_gt(a, b) qk_f_((a) > (b) ? 0xffffffffu : 0u)
#define qk_v_lt(a, b) qk_f_((a) < (b) ? 0xffffffffu : 0u)
#define qk_v_as_int(v) qk_b_(v)
#define qk_v_as_float(v) qk_f_(v)
#define qk_vi_set1(x) ((uint32_t)(x))
#define qk_vi_add(a, b) ((a) + (b))
#define qk_vi_shl(a, n) ((a) << (n))
#define qk_v_load_part(p, m) ((void)(m), *(p))
#define qk_v_store_part(p, v, m) ((void)(m), *(p) = (v))
#else
#error "unknown QK_SIMD"
#endif

/* ---- Built from the above: the same on every target. ---- */

#define QK_FLT_MIN 1.17549435e-38f /* smallest normal float */
#define QK_SIMD_LIMIT 1e12f        /* = QK_LIMIT (activation.h) */

/* PORTS.md's sane(): NaN -> 0, clamp to [-1e12, 1e12], |x| < FLT_MIN -> 0.
 * Five instructions: one ordered compare of |x| against FLT_MIN is false for
 * NaN and for denormals alike, and min/max clamp (a NaN that min/max let
 * through as -1e12 is then masked). Exact: every kept value is x itself or
 * +-1e12. */
static inline qk_v
qk_v_sane(qk_v x)
{
	const qk_v abs_mask = qk_v_as_float(qk_vi_set1(0x7fffffff));
#if defined(QK_SANE_INT) && QK_SIMD == 2
	const qk_vi m = _mm256_add_epi32(qk_v_as_int(qk_v_and(x, abs_mask)), qk_vi_set1(0x7f800000));
	const qk_v keep = qk_v_as_float(_mm256_cmpgt_epi32(qk_vi_set1((int32_t)0xff000001u), m));
#else
	const qk_v keep = qk_v_ge(qk_v_and(x, abs_mask), qk_v_set1(QK_FLT_MIN));
#endif
	const qk_v y = qk_v_min(qk_v_max(x, qk_v_set1(-QK_SIMD_LIMIT)), qk_v_set1(QK_SIMD_LIMIT));
	return qk_v_and(y, keep);
}

/* sane() of a value known to be finite and |x| <= 1e12 already: the flush. */
static inline qk_v
qk_v_flush(qk_v x)
{
	const qk_v abs_mask = qk_v_as_float(qk_vi_set1(0x7fffffff));
	return qk_v_and(x, qk_v_ge(qk_v_and(x, abs_mask), qk_v_set1(QK_FLT_MIN)));
}

/* e^x = scale * (1 + poly) for x in [-87, 88]: qk_exp_core of activation.h,
 * lane by lane, with the two parts kept apart so that e^x - 1 keeps its
 * relative precision near 0 (tanh below). */
static inline qk_v
qk_v_exp_parts(qk_v x, qk_v *scale)
{
	const qk_v round = qk_v_set1(12582912.0f); /* 1.5 * 2^23 */
	const qk_v t = qk_v_fma(x, qk_v_set1(1.44269504088896341f), round);
	const qk_v n = qk_v_sub(t, round);
	const qk_v r = qk_v_sub(qk_v_sub(x, qk_v_mul(n, qk_v_set1(0.693145751953125f))),
	                        qk_v_mul(n, qk_v_set1(1.42860682030941723e-6f)));
	const qk_v r2 = qk_v_mul(r, r);
	const qk_v low = qk_v_fma(qk_v_set1(1.6666521132e-01f), r, qk_v_set1(4.9999994040e-01f));
	const qk_v high = qk_v_fma(qk_v_set1(8.3686849102e-03f), r, qk_v_set1(4.1668385267e-02f));
	const qk_v p = qk_v_fma(r2, qk_v_fma(r2, qk_v_set1(1.3814498670e-03f), high), low);
	*scale = qk_v_as_float(qk_vi_shl(qk_vi_add(qk_v_as_int(t), qk_vi_set1(127)), 23));
	return qk_v_fma(r2, p, r); /* e^r - 1 */
}

static inline qk_v
qk_v_exp_core(qk_v x)
{
	qk_v scale;
	const qk_v poly = qk_v_exp_parts(x, &scale);
	return qk_v_fma(scale, poly, scale);
}

/* tanh x = (e^2x - 1) / (e^2x + 1), with e^2x - 1 = (scale - 1) + scale *
 * poly: scale - 1 is exact, so the relative error stays ~1e-7 near 0 as
 * well (1 - 2/(e^2x + 1) only keeps the absolute one), which matters when a
 * huge stream is gated by a small tanh gate. Beyond |x| = 9 tanh is within
 * 3e-8 of +-1. */
static inline qk_v
qk_v_tanh(qk_v x)
{
	x = qk_v_min(qk_v_max(x, qk_v_set1(-9.0f)), qk_v_set1(9.0f));
	qk_v scale;
	const qk_v poly = qk_v_exp_parts(qk_v_add(x, x), &scale);
	const qk_v em1 = qk_v_fma(scale, poly, qk_v_sub(scale, qk_v_set1(1.0f)));
	return qk_v_div(em1, qk_v_add(em1, qk_v_set1(2.0f)));
}

static inline qk_v
qk_v_sigmoid(qk_v x)
{
	x = qk_v_min(qk_v_max(x, qk_v_set1(-87.0f)), qk_v_set1(87.0f));
	const qk_v one = qk_v_set1(1.0f);
	return qk_v_div(one, qk_v_add(one, qk_v_exp_core(qk_v_sub(qk_v_set1(0.0f), x))));
}

static inline qk_v
qk_v_step(qk_v x)
{
	return qk_v_and(qk_v_ge(x, qk_v_set1(0.0f)), qk_v_set1(1.0f));
}

static inline qk_v
qk_v_sign(qk_v x)
{
	/* 1.0 with the sign bit set where x < 0 */
	const qk_v neg = qk_v_and(qk_v_lt(x, qk_v_set1(0.0f)), qk_v_set1(-0.0f));
	return qk_v_or(qk_v_set1(1.0f), neg);
}

static inline qk_v
qk_v_relu(qk_v x)
{
	return qk_v_max(x, qk_v_set1(0.0f)); /* x > 0 ? x : +0 */
}

#endif
