/* SPDX-License-Identifier: ISC */
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
#define qk_v_fma(a, b, c) _mm256_fmadd_ps((a), (b), (c))   /* a*b + c, rounded once */
#define qk_v_fnma(a, b, c) _mm256_fnmadd_ps((a), (b), (c)) /* c - a*b, rounded once */
#define qk_v_fms(a, b, c) _mm256_fmsub_ps((a), (b), (c))   /* a*b - c, rounded once */
#define qk_v_min(a, b) _mm256_min_ps((a), (b))             /* a < b ? a : b (b if NaN) */
#define qk_v_max(a, b) _mm256_max_ps((a), (b))             /* a > b ? a : b (b if NaN) */
#define qk_v_and(a, b) _mm256_and_ps((a), (b))
#define qk_v_or(a, b) _mm256_or_ps((a), (b))
#define qk_v_xor(a, b) _mm256_xor_ps((a), (b))
#define qk_v_ge(a, b)                                                              \
	_mm256_cmp_ps((a), (b), _CMP_GE_OQ) /* all-ones where a >= b, false on NaN \
	                                     */
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
 * cycles). Nor a copy through the stack, which GCC turns into a call to
 * memcpy: m = 4 + 2 + 1 lanes, at most three stores. */
static inline void
qk_v_store_part(float *p, qk_v v, uint32_t m)
{
	__m128 x = _mm256_castps256_ps128(v);
	if (m & 4) {
		_mm_storeu_ps(p, x);
		x = _mm256_extractf128_ps(v, 1);
		p += 4;
	}
	if (m & 2) {
		_mm_storel_pi((__m64 *)p, x);
		x = _mm_movehl_ps(x, x);
		p += 2;
	}
	if (m & 1) {
		_mm_store_ss(p, x);
	}
}

/* The integer ops of the clean-block scan (qk_scan below). */
#define qk_vi_and(a, b) _mm256_and_si256((a), (b))
#define qk_vi_max_u32(a, b) _mm256_max_epu32((a), (b))
#define qk_vi_min_u32(a, b) _mm256_min_epu32((a), (b))
#define qk_vi_load(p) _mm256_loadu_si256((const __m256i *)(p))

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
#define qk_v_fnma(a, b, c) _mm_sub_ps((c), _mm_mul_ps((a), (b)))
#define qk_v_fms(a, b, c) _mm_sub_ps(_mm_mul_ps((a), (b)), (c))
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

/* m = 2 + 1 lanes: one or two loads, never past p[m - 1]. */
static inline qk_v
qk_v_load_part(const float *p, uint32_t m)
{
	if (m & 2) {
		/* movlps, not _mm_load_sd: GCC's _mm_load_sd dereferences a double *, undefined
		 * (and flagged by UBSan) where p is only float-aligned */
		const __m128 lo = _mm_loadl_pi(_mm_setzero_ps(), (const __m64 *)p);
		return (m & 1) ? _mm_movelh_ps(lo, _mm_load_ss(p + 2)) : lo;
	}
	return _mm_load_ss(p);
}
static inline void
qk_v_store_part(float *p, qk_v v, uint32_t m)
{
	if (m & 2) {
		_mm_storel_pi((__m64 *)p, v);
		v = _mm_movehl_ps(v, v);
		p += 2;
	}
	if (m & 1) {
		_mm_store_ss(p, v);
	}
}

#elif QK_SIMD == 0
/* One lane of plain C, with the same semantics as the x86 instructions. */
#define QK_W 1
typedef float qk_v;
typedef uint32_t qk_vi;
static inline float
qk_f_(uint32_t b)
{
	float f;
	memcpy(&f, &b, sizeof f);
	return f;
}
static inline uint32_t
qk_b_(float f)
{
	uint32_t b;
	memcpy(&b, &f, sizeof b);
	return b;
}
#define qk_v_load(p) (*(p))
#define qk_v_store(p, v) (*(p) = (v))
#define qk_v_set1(x) (x)
#define qk_v_add(a, b) ((a) + (b))
#define qk_v_sub(a, b) ((a) - (b))
#define qk_v_mul(a, b) ((a) * (b))
#define qk_v_div(a, b) ((a) / (b))
#define qk_v_fma(a, b, c) ((a) * (b) + (c))
#define qk_v_fnma(a, b, c) ((c) - (a) * (b))
#define qk_v_fms(a, b, c) ((a) * (b) - (c))
static inline float
qk_v_min(float a, float b)
{
	return a < b ? a : b;
}
static inline float
qk_v_max(float a, float b)
{
	return a > b ? a : b;
}
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
	const qk_vi m =
	        _mm256_add_epi32(qk_v_as_int(qk_v_and(x, abs_mask)), qk_vi_set1(0x7f800000));
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
	/* x - n ln2 in two FMAs (two products and two subtractions without FMA) */
	const qk_v r = qk_v_fnma(n, qk_v_set1(1.42860682030941723e-6f),
	                         qk_v_fnma(n, qk_v_set1(0.693145751953125f), x));
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

/* 1 + e^-x, x clamped to [-87, 87] (the sigmoid is 1 over it). The exp of qk_v_exp_parts with
 * its dependent chain cut short, as a gate waits on it: e^-x is reduced as
 * q = x + n ln2 = -r (two FMAs, no negation of x first), the polynomial
 * takes -q with its odd coefficients negated (fnmadd), and the 1 is added
 * as scale + 1 beside the polynomial, 1 + e^-x = scale * (e^r - 1) + (scale
 * + 1) in the last FMA. Same polynomial, same accuracy (tests/dsp). */
static inline qk_v
qk_v_sigmoid_denom(qk_v x)
{
	x = qk_v_min(qk_v_max(x, qk_v_set1(-87.0f)), qk_v_set1(87.0f));
	const qk_v round = qk_v_set1(12582912.0f); /* 1.5 * 2^23 */
	const qk_v t =
	        qk_v_fma(x, qk_v_set1(-1.44269504088896341f), round); /* n = round(-x log2 e) */
	const qk_v n = qk_v_sub(t, round);
	qk_v q = qk_v_fma(n, qk_v_set1(0.693145751953125f), x);
	q = qk_v_fma(n, qk_v_set1(1.42860682030941723e-6f), q);
	const qk_v q2 = qk_v_mul(q, q);
	const qk_v low = qk_v_fnma(qk_v_set1(1.6666521132e-01f), q, qk_v_set1(4.9999994040e-01f));
	const qk_v high = qk_v_fnma(qk_v_set1(8.3686849102e-03f), q, qk_v_set1(4.1668385267e-02f));
	const qk_v p = qk_v_fma(q2, qk_v_fma(q2, qk_v_set1(1.3814498670e-03f), high), low);
	const qk_v scale = qk_v_as_float(qk_vi_shl(qk_vi_add(qk_v_as_int(t), qk_vi_set1(127)), 23));
	const qk_v em1 = qk_v_fms(q2, p, q); /* e^r - 1 = r + r^2 p(r), r = -q */
	return qk_v_fma(scale, em1, qk_v_add(scale, qk_v_set1(1.0f)));
}

static inline qk_v
qk_v_sigmoid(qk_v x)
{
	return qk_v_div(qk_v_set1(1.0f), qk_v_sigmoid_denom(x));
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

/* ---- The clean-block scan ---- */

/* What a span of an input stream holds, for the clean fast path of the
 * kernels: every sample clean (0, -0, or FLT_MIN <= |x| <= 1e12: sane(x)
 * is x, but for -0, which no formula tells from +0 once its output is made
 * sane), every sample flushing to 0 (|x| < FLT_MIN: the stream reads as
 * zeros), or anything else (NaN, |x| > 1e12, a denormal among normals).
 * Read-only, on the bits: b = |x| as an integer orders like |x| (NaN above
 * Inf above 1e12), and b - 1 wraps 0 to the top, so the largest b says NaN,
 * Inf or huge and the smallest b - 1 says a denormal: four integer
 * instructions per vector, which run on any of the vector pipes, where the
 * five of sane() need the two that also add and compare. */
enum { QK_SPAN_DIRTY = 0, QK_SPAN_CLEAN = 1, QK_SPAN_SILENT = 2 };

#define QK_FLT_MIN_BITS 0x00800000u
#define QK_LIMIT_BITS_ 0x5368d4a5u /* bits of 1e12f = QK_LIMIT_BITS (activation.h) */

static inline int
qk_scan_verdict(uint32_t top, uint32_t low)
{
	if (top < QK_FLT_MIN_BITS) {
		return QK_SPAN_SILENT;
	}
	return (top <= QK_LIMIT_BITS_ && low >= QK_FLT_MIN_BITS - 1u) ? QK_SPAN_CLEAN
	                                                              : QK_SPAN_DIRTY;
}

#if QK_SIMD == 2
/* One vector into the scan's two accumulators (top: the largest |x| bits,
 * low: the smallest |x| bits - 1); lanes read as 0 past a tail change
 * neither. */
static inline qk_v
qk_scan_acc(qk_v x, qk_vi *top, qk_vi *low)
{
	const qk_vi b = qk_vi_and(qk_v_as_int(x), qk_vi_set1(0x7fffffff));
	*top = qk_vi_max_u32(*top, b);
	*low = qk_vi_min_u32(*low, qk_vi_add(b, qk_vi_set1(-1)));
	return x;
}
#define QK_SCAN_TOP0 _mm256_setzero_si256()
#define QK_SCAN_LOW0 _mm256_set1_epi32(-1)

static inline int
qk_scan_end(qk_vi top, qk_vi low)
{
	__m128i t = _mm_max_epu32(_mm256_castsi256_si128(top), _mm256_extracti128_si256(top, 1));
	__m128i l = _mm_min_epu32(_mm256_castsi256_si128(low), _mm256_extracti128_si256(low, 1));
	t = _mm_max_epu32(t, _mm_shuffle_epi32(t, 0x4e));
	l = _mm_min_epu32(l, _mm_shuffle_epi32(l, 0x4e));
	t = _mm_max_epu32(t, _mm_shuffle_epi32(t, 0xb1));
	l = _mm_min_epu32(l, _mm_shuffle_epi32(l, 0xb1));
	return qk_scan_verdict((uint32_t)_mm_cvtsi128_si32(t), (uint32_t)_mm_cvtsi128_si32(l));
}

/* Whether the accumulators hold only clean values or zeros. */
static inline int
qk_scan_ok(qk_vi top, qk_vi low)
{
	/* top <= 1e12 bits and low >= FLT_MIN bits - 1, in every lane */
	const qk_vi t = _mm256_cmpgt_epi32(top, qk_vi_set1((int32_t)QK_LIMIT_BITS_));
	const qk_vi l = _mm256_cmpeq_epi32(
	        _mm256_max_epu32(low, qk_vi_set1((int32_t)QK_FLT_MIN_BITS - 1)), low);
	return _mm256_testc_si256(_mm256_andnot_si256(t, l), _mm256_set1_epi32(-1));
}

/* Whether every sample of p[0 .. len) flushes to 0 (|x| < FLT_MIN): the
 * largest |x| bits only, two instructions a vector. */
__attribute__((noinline)) static int
qk_scan_silent(const float *p, uint32_t len)
{
	const qk_vi abs = qk_vi_set1(0x7fffffff);
	qk_vi t0 = QK_SCAN_TOP0, t1 = t0, t2 = t0, t3 = t0;
	uint32_t i = 0;
	for (; i + 32 <= len; i += 32) {
		t0 = qk_vi_max_u32(t0, qk_vi_and(qk_vi_load(p + i), abs));
		t1 = qk_vi_max_u32(t1, qk_vi_and(qk_vi_load(p + i + 8), abs));
		t2 = qk_vi_max_u32(t2, qk_vi_and(qk_vi_load(p + i + 16), abs));
		t3 = qk_vi_max_u32(t3, qk_vi_and(qk_vi_load(p + i + 24), abs));
	}
	for (; i < len; i += 8) {
		const uint32_t m = len - i;
		t0 = qk_vi_max_u32(t0, qk_vi_and(qk_v_as_int(m >= 8 ? qk_v_load(p + i)
		                                                    : qk_v_load_part(p + i, m)),
		                                 abs));
	}
	const qk_vi t = qk_vi_max_u32(qk_vi_max_u32(t0, t1), qk_vi_max_u32(t2, t3));
	/* every lane < FLT_MIN bits */
	return _mm256_testz_si256(_mm256_cmpgt_epi32(t, qk_vi_set1((int32_t)QK_FLT_MIN_BITS - 1)),
	                          _mm256_set1_epi32(-1));
}

__attribute__((noinline)) static int
qk_scan(const float *p, uint32_t len)
{
	const qk_vi abs = qk_vi_set1(0x7fffffff), m1 = qk_vi_set1(-1);
	qk_vi t0 = QK_SCAN_TOP0, t1 = t0, l0 = QK_SCAN_LOW0, l1 = l0;
	uint32_t i = 0;
	for (; i + 16 <= len; i += 16) {
		const qk_vi b0 = qk_vi_and(qk_vi_load(p + i), abs);
		const qk_vi b1 = qk_vi_and(qk_vi_load(p + i + 8), abs);
		t0 = qk_vi_max_u32(t0, b0);
		t1 = qk_vi_max_u32(t1, b1);
		l0 = qk_vi_min_u32(l0, qk_vi_add(b0, m1));
		l1 = qk_vi_min_u32(l1, qk_vi_add(b1, m1));
	}
	for (; i < len; i += 8) {
		/* lanes past len read 0, which raises neither */
		const uint32_t m = len - i;
		const qk_vi b = qk_vi_and(
		        qk_v_as_int(m >= 8 ? qk_v_load(p + i) : qk_v_load_part(p + i, m)), abs);
		t1 = qk_vi_max_u32(t1, b);
		l1 = qk_vi_min_u32(l1, qk_vi_add(b, m1));
	}
	return qk_scan_end(qk_vi_max_u32(t0, t1), qk_vi_min_u32(l0, l1));
}
#elif QK_SIMD == 1
/* SSE2 has no unsigned 32-bit min/max: signed compares into masks. */
__attribute__((noinline)) static int
qk_scan(const float *p, uint32_t len)
{
	const __m128i abs = _mm_set1_epi32(0x7fffffff);
	const __m128i lim = _mm_set1_epi32((int32_t)QK_LIMIT_BITS_);
	const __m128i flt = _mm_set1_epi32((int32_t)QK_FLT_MIN_BITS - 1);
	/* b + 0x7fffffff: 0 goes to INT_MAX, a denormal below INT_MIN + FLT_MIN_BITS - 1 */
	const __m128i rot = _mm_set1_epi32(0x7fffffff);
	const __m128i den = _mm_set1_epi32((int32_t)(0x80000000u + QK_FLT_MIN_BITS - 1u));
	__m128i hi = _mm_setzero_si128(), lo = hi, nz = hi;
	for (uint32_t i = 0; i < len; i += 4) {
		const uint32_t m = len - i;
		const __m128i b = _mm_and_si128(m >= 4 ? _mm_loadu_si128((const __m128i *)(p + i))
		                                       : _mm_castps_si128(qk_v_load_part(p + i, m)),
		                                abs);
		hi = _mm_or_si128(hi, _mm_cmpgt_epi32(b, lim));
		nz = _mm_or_si128(nz, _mm_cmpgt_epi32(b, flt));
		lo = _mm_or_si128(lo, _mm_cmpgt_epi32(den, _mm_add_epi32(b, rot)));
	}
	if (!_mm_movemask_epi8(nz)) {
		return QK_SPAN_SILENT;
	}
	return _mm_movemask_epi8(_mm_or_si128(hi, lo)) ? QK_SPAN_DIRTY : QK_SPAN_CLEAN;
}
#else
static int
qk_scan(const float *p, uint32_t len)
{
	uint32_t top = 0, low = 0xffffffffu;
	for (uint32_t i = 0; i < len; ++i) {
		const uint32_t b = qk_b_(p[i]) & 0x7fffffffu;
		top = b > top ? b : top;
		low = b - 1u < low ? b - 1u : low;
	}
	return qk_scan_verdict(top, low);
}
#endif

#endif
