/* SPDX-License-Identifier: ISC */
/* Every kernel of the bundle, written once over the vector operations of
 * simd.h and compiled once per instruction set (kernels_sse2.c,
 * kernels_avx2.c, kernels_c.c); dispatch.c picks one table of them when the
 * library loads, so a run() makes one indirect call and the rest inlines.
 *
 * One fused pass per block: each vector of frames is loaded from every
 * stream, every input is sanitized first (PORTS.md: NaN reads 0, +-Inf and
 * anything beyond acts as +-1e12, denormals read 0), the formula and the
 * activation are computed in registers, and the result, made sane, is stored.
 * Inputs of a frame are all read before its outputs are written, so any
 * output may share its buffer with any input (in place). The last n % W
 * frames go through the same code with partial loads and stores, so a frame
 * gives the same bits whatever the block size and its place in the block.
 *
 * An unconnected stream reads its identity from a constant block.
 *
 * The clean fast path: a span of QK_SCAN_MIN frames or more is first scanned
 * (qk_scan, simd.h: read-only, four integer instructions per vector and
 * stream). When every input stream of the span is clean (no NaN, nothing
 * beyond 1e12, no denormal: sane() would leave every sample as it is, -0
 * aside) the formula runs on the samples as they are, followed by the same
 * sane() of its results and intermediate values as on the full path; a
 * stream whose samples all flush to 0 reads from the zero block instead. Any
 * other span takes the full path, which makes every input sane first. Both
 * give the same bits on clean data (tests/dsp/test_clean.c), as sane(x) = x
 * there and a -0 only ever changes the sign of a zero that the sane() of
 * the output, or tanh, sigmoid and exp, turn into the same value. */
#include "activation.h"
#include "activation_gate.h"
#include "additive_output.h"
#include "additive_synapse.h"
#include "attention_head.h"
#include "dispatch.h"
#include "neuron.h"
#include "output_gate.h"
#include "quadratic.h"
#include "simd.h"
#include "softmax.h"
#include "synaptic_gate.h"

#include <stddef.h>
#include <stdint.h>

#define QK_INLINE static inline __attribute__((always_inline))

/* Frames per pass: an unconnected stream reads from one of these identity
 * blocks, so that inside a pass every stream is a plain pointer. */
#define QK_SPAN 1024u
static const float qk_k_zeros[QK_SPAN] __attribute__((aligned(64))) = {0.0f};
#define QK_ONES16                                                                                 \
	1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, \
	        1.0f
#define QK_ONES128 \
	QK_ONES16, QK_ONES16, QK_ONES16, QK_ONES16, QK_ONES16, QK_ONES16, QK_ONES16, QK_ONES16
static const float qk_k_ones[QK_SPAN]
        __attribute__((aligned(64))) = {QK_ONES128, QK_ONES128, QK_ONES128, QK_ONES128,
                                        QK_ONES128, QK_ONES128, QK_ONES128, QK_ONES128};
_Static_assert(sizeof qk_k_ones == QK_SPAN * sizeof(float), "1024 ones");

/* A stream: the host's buffer, or NULL for the identity block. */
typedef struct {
	const float *s;
	const float *identity;
} qk_stream_in;

QK_INLINE qk_stream_in
qk_in(const float *s, const float *identity)
{
	return (qk_stream_in){s, identity};
}

/* The pointer of stream s for the pass starting at frame off. */
QK_INLINE const float *
qk_at(qk_stream_in s, uint32_t off)
{
	return s.s ? s.s + off : s.identity;
}

/* Frames i .. i+rem-1 from p (rem <= QK_W; lanes past rem read 0, and
 * nothing past them is read: a tail never reads beyond the host's buffer). */
QK_INLINE qk_v
qk_ld(const float *p, uint32_t i, uint32_t rem)
{
	return rem == QK_W ? qk_v_load(p + i) : qk_v_load_part(p + i, rem);
}

/* A sanitized input. */
QK_INLINE qk_v
qk_lds(const float *p, uint32_t i, uint32_t rem)
{
	return qk_v_sane(qk_ld(p, i, rem));
}

QK_INLINE void
qk_st(float *p, uint32_t i, uint32_t rem, qk_v v)
{
	if (rem == QK_W) {
		qk_v_store(p + i, v);
	} else {
		qk_v_store_part(p + i, v, rem);
	}
}

QK_INLINE int
qk_identity(const float *p)
{
	return p == qk_k_zeros || p == qk_k_ones;
}

/* A span of stream *p is clean (an identity block always is); one that
 * reads as all zeros is pointed at the zero block; *varying is set if the
 * stream is neither. */
QK_INLINE int
qk_clean(const float **p, uint32_t len, int *varying)
{
	if (qk_identity(*p)) {
		return 1;
	}
	const int v = qk_scan(*p, len);
	if (v == QK_SPAN_SILENT) {
		*p = qk_k_zeros;
	} else if (v == QK_SPAN_CLEAN) {
		*varying = 1;
	}
	return v != QK_SPAN_DIRTY;
}
#define QK_AND_CLEAN(p) &&qk_clean(&(p), len, &varying)
#if QK_SIMD == 2
#define QK_AND_SILENT(p) &&(qk_identity(p) || qk_scan_silent(p, len))
#define QK_TO_ZEROS(p)            \
	if (!qk_identity(p)) {    \
		(p) = qk_k_zeros; \
	}
#endif

/* Spans shorter than this skip the scan: the full path costs less than it. */
#define QK_SCAN_MIN 32u

/* The body (the rest), using i and rem, on the full vectors of [0, len), then on one
 * partial vector. */
#define QK_LOOP(len, ...)                              \
	{                                              \
		uint32_t i = 0;                        \
		for (; i + QK_W <= (len); i += QK_W) { \
			const uint32_t rem = QK_W;     \
			__VA_ARGS__;                   \
		}                                      \
		if (i < (len)) {                       \
			const uint32_t rem = (len)-i;  \
			__VA_ARGS__;                   \
		}                                      \
	}

/* The whole block in passes of QK_SPAN frames, every one on the full path:
 * softmax and the attention head, whose exps and divisions cost so much
 * more than the sanitizing of their inputs that a scan first does not pay
 * (measured: 2-5% slower with it on this Zen 3). */
#define QK_BLOCK_FULL(n, setup, full)                                               \
	if ((n) < QK_W) {                                                           \
		if ((n) == 0) {                                                     \
			return;                                                     \
		}                                                                   \
		const uint32_t off = 0, len = (n);                                  \
		setup;                                                              \
		(void)len;                                                          \
		const uint32_t i = 0, rem = (n);                                    \
		full;                                                               \
	} else                                                                      \
		for (uint32_t off = 0; off < (n); off += QK_SPAN) {                 \
			const uint32_t len = (n)-off < QK_SPAN ? (n)-off : QK_SPAN; \
			setup;                                                      \
			QK_LOOP(len, full)                                          \
		}

#if QK_SIMD == 2
/* AVX2: when the first vector of every input is clean (a probe), the scan
 * rides along in the fast pass itself (qk_ldc loads a vector and adds it to
 * the scan), where its integer instructions fill the slots that the
 * formula's chain of dependent operations leaves idle. The inputs stay as
 * they were, so a span found dirty at its end is simply computed again by
 * the full path. A span whose probe is not clean is scanned first instead
 * (the arithmetic units are slow on denormals): when every input flushes to
 * 0 throughout, or stream by stream, where a stream that flushes to 0 reads
 * the zero block; when every input is then constant the span is one vector
 * of the fast path, repeated. A span whose output shares an input's buffer
 * (aliased) takes the full path: a dirty span could not be computed again,
 * and a scan first (or a scratch span and a copy) cost more than they save
 * there (measured). One output (o, set by setup) only. */
#define qk_ldc(p, i, rem) qk_scan_acc(qk_ld(p, i, rem), &sc_top, &sc_low)
#define QK_PROBE(p)                                          \
	if (!qk_identity(p)) {                               \
		qk_scan_acc(qk_v_load(p), &sc_top, &sc_low); \
	}
#define QK_LAUNDER(p) __asm__("" : "+r"(p));
#define QK_BLOCK(n, setup, STREAMS, aliased, full, fast, fused)                              \
	if ((n) < QK_W) {                                                                    \
		/* shorter than a vector: one partial vector of the full path, with          \
		 * nothing of the span loop around it (the fixed cost of a run());           \
		 * n = 0 writes nothing (plain C: W = 1, so n = 0 lands here) */             \
		if ((n) == 0) {                                                              \
			return;                                                              \
		}                                                                            \
		const uint32_t off = 0, len = (n);                                           \
		setup;                                                                       \
		(void)len;                                                                   \
		const uint32_t i = 0, rem = (n);                                             \
		full;                                                                        \
	} else                                                                               \
		for (uint32_t off = 0; off < (n); off += QK_SPAN) {                          \
			const uint32_t len = (n)-off < QK_SPAN ? (n)-off : QK_SPAN;          \
			setup;                                                               \
			if (len < QK_SCAN_MIN || !qk_clean_path || (aliased)) {              \
				QK_LOOP(len, full)                                           \
				continue;                                                    \
			}                                                                    \
			qk_vi sc_top = QK_SCAN_TOP0, sc_low = QK_SCAN_LOW0;                  \
			STREAMS(QK_PROBE)                                                    \
			if (qk_scan_ok(sc_top, sc_low)) {                                    \
				QK_LOOP(len, fused)                                          \
				if (!qk_scan_ok(sc_top, sc_low)) {                           \
					QK_LOOP(len, full)                                   \
				}                                                            \
				continue;                                                    \
			}                                                                    \
			int varying = 0, ok_ = 1;                                            \
			if (1 STREAMS(QK_AND_SILENT)) {                                      \
				/* the cheap test first: everything flushes to 0 (a block of \
				 * denormals, or silence) */                                 \
				STREAMS(QK_TO_ZEROS)                                         \
			} else {                                                             \
				ok_ = 1 STREAMS(QK_AND_CLEAN);                               \
			}                                                                    \
			if (!ok_) {                                                          \
				QK_LOOP(len, full)                                           \
			} else if (varying) {                                                \
				QK_LOOP(len, fast)                                           \
			} else {                                                             \
				float t_[QK_W];                                              \
				/* opaque: else GCC folds the loads from the constant blocks \
				 * and computes the one value in scalar instructions, which  \
				 * tests/vectorize rejects */                                \
				STREAMS(QK_LAUNDER)                                          \
				{                                                            \
					float *o = t_;                                       \
					const uint32_t i = 0, rem = QK_W;                    \
					fast;                                                \
				}                                                            \
				qk_fill(o, qk_v_load(t_), len);                              \
			}                                                                    \
		}
#else
/* SSE2 and plain C: the scan would cost more than the sanitizing it saves
 * (no unsigned 32-bit min/max before SSE4.1), so every span takes the full
 * path. */
#define QK_BLOCK(n, setup, clean, aliased, full, fast, fused)               \
	for (uint32_t off = 0; off < (n); off += QK_SPAN) {                 \
		const uint32_t len = (n)-off < QK_SPAN ? (n)-off : QK_SPAN; \
		(void)(aliased);                                            \
		setup;                                                      \
		QK_LOOP(len, full)                                          \
	}
#endif

/* o[0 .. len) from the lanes of x, all alike (every lane is the same
 * constant, so any lane may land on any frame). */
QK_INLINE void
qk_fill(float *o, qk_v x, uint32_t len)
{
	QK_LOOP(len, qk_st(o, i, rem, x))
}

/* Without inputs to scan. */
#define QK_BLOCK1(n, setup, body)                                           \
	for (uint32_t off = 0; off < (n); off += QK_SPAN) {                 \
		const uint32_t len = (n)-off < QK_SPAN ? (n)-off : QK_SPAN; \
		setup;                                                      \
		QK_LOOP(len, body)                                          \
	}

/* f(sane(slope * s)) for the units, s finite by construction (sanitized
 * inputs, bounded controls: |slope * s| < 1e30). tanh and the sigmoid clamp
 * far inside 1e12 and a denormal argument gives f(0) to the last bit anyway,
 * so they skip the sane(). */
QK_INLINE qk_v
qk_act(int act, qk_v slope, qk_v s)
{
	const qk_v y = qk_v_mul(slope, s);
	switch (act) {
	case QK_STEP: return qk_v_step(qk_v_sane(y));
	case QK_SIGN: return qk_v_sign(qk_v_sane(y));
	case QK_SIGMOID: return qk_v_sigmoid(y);
	case QK_TANH: return qk_v_tanh(y);
	case QK_RELU: return qk_v_relu(qk_v_sane(y));
	default: return qk_v_sane(y);
	}
}

/* Expands the loop once per activation, so each is a straight line. */
#define QK_PER_ACT(act, LOOP)                     \
	switch (act) {                            \
	case QK_STEP: LOOP(QK_STEP); break;       \
	case QK_SIGN: LOOP(QK_SIGN); break;       \
	case QK_SIGMOID: LOOP(QK_SIGMOID); break; \
	case QK_TANH: LOOP(QK_TANH); break;       \
	case QK_RELU: LOOP(QK_RELU); break;       \
	default: LOOP(QK_LINEAR); break;          \
	}

/* Each kernel is two functions: NAME_long, for blocks of a vector or more,
 * holds the loops (and the registers they need) in a function of its own,
 * and NAME calls it or does a short block itself, so that a short run()
 * pays none of the long one's set-up. The kernel's statements are written
 * once, as the macro body (KERNEL below, with the SETUP, BODY ... it uses),
 * and expanded in both. params: the parameter list, which names the block's
 * length n; args: the same names, as the arguments of the call. */
#define QK_LONG_AND_SHORT(name, params, args, body)                     \
	__attribute__((noinline)) static void QK_FN(name##_long) params \
	{                                                               \
		body                                                    \
	}                                                               \
	static void QK_FN(name) params                                  \
	{                                                               \
		if (n >= QK_W) {                                        \
			QK_FN(name##_long) args;                        \
			return;                                         \
		}                                                       \
		body                                                    \
	}

/* ---- activation: out = f(sane(slope * sane(s))) ---- */

#define SETUP                           \
	const float *x = qk_at(X, off); \
	float *o = out + off
#define BODY(A, L) qk_st(o, i, rem, qk_act(A, sl, L(x, i, rem)))
#define STREAMS(F) F(x)
#define LOOP(A) \
	QK_BLOCK(n, SETUP, STREAMS, s == out, BODY(A, qk_lds), BODY(A, qk_ld), BODY(A, qk_ldc))
#define KERNEL                                       \
	const qk_stream_in X = qk_in(s, qk_k_zeros); \
	const qk_v sl = qk_v_set1(slope);            \
	QK_PER_ACT(f, LOOP)
QK_LONG_AND_SHORT(activate, (qk_activation f, float slope, const float *s, float *out, uint32_t n),
                  (f, slope, s, out, n), KERNEL)
#undef KERNEL
#undef LOOP
#undef STREAMS
#undef BODY
#undef SETUP

/* The four input streams of a unit, x1..x4, pointed for the pass. */
#define QK_UNIT_STREAMS(S, prefix, identity)                                                       \
	const qk_stream_in prefix##1_ = qk_in(S[0], identity), prefix##2_ = qk_in(S[1], identity), \
	                   prefix##3_ = qk_in(S[2], identity), prefix##4_ = qk_in(S[3], identity)
#define QK_UNIT_AT(prefix)                                                                    \
	const float *prefix##1 = qk_at(prefix##1_, off), *prefix##2 = qk_at(prefix##2_, off), \
	            *prefix##3 = qk_at(prefix##3_, off), *prefix##4 = qk_at(prefix##4_, off)
#define QK_UNIT_ALIASES(S, out) \
	((S)[0] == (out) || (S)[1] == (out) || (S)[2] == (out) || (S)[3] == (out))
#define QK_UNIT_EACH(prefix, F) F(prefix##1) F(prefix##2) F(prefix##3) F(prefix##4)
#define QK_UNIT_STREAMS1(F) QK_UNIT_EACH(x, F)
#define QK_UNIT_CONTROLS(u)                                                                        \
	const qk_v w1 = qk_v_set1((u)->w[0]), w2 = qk_v_set1((u)->w[1]),                           \
	           w3 = qk_v_set1((u)->w[2]), w4 = qk_v_set1((u)->w[3]), b = qk_v_set1((u)->bias), \
	           sl = qk_v_set1((u)->slope)

/* ---- neuron: f(slope * (sum w_i x_i + bias + v * attend)) ---- */

#define ALIASED (QK_UNIT_ALIASES(x, out) || attend == out)
#define SETUP                              \
	QK_UNIT_AT(x);                     \
	const float *at = qk_at(at_, off); \
	float *o = out + off
#define BODY(A, L)                               \
	qk_v s = qk_v_fma(wv, L(at, i, rem), b); \
	s = qk_v_fma(w1, L(x1, i, rem), s);      \
	s = qk_v_fma(w2, L(x2, i, rem), s);      \
	s = qk_v_fma(w3, L(x3, i, rem), s);      \
	s = qk_v_fma(w4, L(x4, i, rem), s);      \
	qk_st(o, i, rem, qk_act(A, sl, s))
#define STREAMS(F) QK_UNIT_EACH(x, F) F(at)
#define LOOP(A) \
	QK_BLOCK(n, SETUP, STREAMS, ALIASED, BODY(A, qk_lds), BODY(A, qk_ld), BODY(A, qk_ldc))
#define KERNEL                                              \
	QK_UNIT_STREAMS(x, x, qk_k_zeros);                  \
	const qk_stream_in at_ = qk_in(attend, qk_k_zeros); \
	QK_UNIT_CONTROLS(u);                                \
	const qk_v wv = qk_v_set1(v);                       \
	QK_PER_ACT(u->act, LOOP)
QK_LONG_AND_SHORT(neuron,
                  (const qk_unit *u, float v, const float *const x[QK_INPUTS], const float *attend,
                   float *out, uint32_t n),
                  (u, v, x, attend, out, n), KERNEL)
#undef KERNEL
#undef LOOP
#undef STREAMS
#undef BODY
#undef SETUP
#undef ALIASED

/* ---- synaptic gate: f(slope * (sum w_i g_i x_i + bias)) ---- */

#define ALIASED (QK_UNIT_ALIASES(x, out) || QK_UNIT_ALIASES(g, out))
#define SETUP          \
	QK_UNIT_AT(x); \
	QK_UNIT_AT(g); \
	float *o = out + off
#define TERM(w, g, x, L) qk_v_mul(qk_v_mul(w, L(g, i, rem)), L(x, i, rem))
#define BODY(A, L)                                                   \
	qk_v s = qk_v_add(TERM(w1, g1, x1, L), TERM(w2, g2, x2, L)); \
	s = qk_v_add(s, TERM(w3, g3, x3, L));                        \
	s = qk_v_add(qk_v_add(s, TERM(w4, g4, x4, L)), b);           \
	qk_st(o, i, rem, qk_act(A, sl, s))
#define STREAMS(F) QK_UNIT_EACH(x, F) QK_UNIT_EACH(g, F)
#define LOOP(A) \
	QK_BLOCK(n, SETUP, STREAMS, ALIASED, BODY(A, qk_lds), BODY(A, qk_ld), BODY(A, qk_ldc))
#define KERNEL                             \
	QK_UNIT_STREAMS(x, x, qk_k_zeros); \
	QK_UNIT_STREAMS(g, g, qk_k_ones);  \
	QK_UNIT_CONTROLS(u);               \
	QK_PER_ACT(u->act, LOOP)
QK_LONG_AND_SHORT(synaptic_gate,
                  (const qk_unit *u, const float *const x[QK_INPUTS],
                   const float *const g[QK_INPUTS], float *out, uint32_t n),
                  (u, x, g, out, n), KERNEL)
#undef KERNEL
#undef LOOP
#undef STREAMS
#undef BODY
#undef TERM
#undef SETUP
#undef ALIASED

/* ---- activation gate: f(slope * gate * (sum w_i x_i + bias)) ---- */

#define ALIASED (QK_UNIT_ALIASES(x, out) || gate == out)
#define SETUP                              \
	QK_UNIT_AT(x);                     \
	const float *gt = qk_at(gt_, off); \
	float *o = out + off
#define BODY(A, L)                               \
	qk_v s = qk_v_fma(w1, L(x1, i, rem), b); \
	s = qk_v_fma(w2, L(x2, i, rem), s);      \
	s = qk_v_fma(w3, L(x3, i, rem), s);      \
	s = qk_v_fma(w4, L(x4, i, rem), s);      \
	qk_st(o, i, rem, qk_act(A, sl, qk_v_mul(L(gt, i, rem), s)))
#define STREAMS(F) QK_UNIT_EACH(x, F) F(gt)
#define LOOP(A) \
	QK_BLOCK(n, SETUP, STREAMS, ALIASED, BODY(A, qk_lds), BODY(A, qk_ld), BODY(A, qk_ldc))
#define KERNEL                                           \
	QK_UNIT_STREAMS(x, x, qk_k_zeros);               \
	const qk_stream_in gt_ = qk_in(gate, qk_k_ones); \
	QK_UNIT_CONTROLS(u);                             \
	QK_PER_ACT(u->act, LOOP)
QK_LONG_AND_SHORT(activation_gate,
                  (const qk_unit *u, const float *const x[QK_INPUTS], const float *gate, float *out,
                   uint32_t n),
                  (u, x, gate, out, n), KERNEL)
#undef KERNEL
#undef LOOP
#undef STREAMS
#undef BODY
#undef SETUP
#undef ALIASED

/* ---- additive synapse: f(slope * (sum (w_i + g_i) x_i + bias)) ---- */

#define ALIASED (QK_UNIT_ALIASES(x, out) || QK_UNIT_ALIASES(g, out))
#define SETUP          \
	QK_UNIT_AT(x); \
	QK_UNIT_AT(g); \
	float *o = out + off
#define TERM(w, g, x, acc, L) qk_v_fma(qk_v_add(w, L(g, i, rem)), L(x, i, rem), acc)
#define BODY(A, L)                       \
	qk_v s = TERM(w1, g1, x1, b, L); \
	s = TERM(w2, g2, x2, s, L);      \
	s = TERM(w3, g3, x3, s, L);      \
	s = TERM(w4, g4, x4, s, L);      \
	qk_st(o, i, rem, qk_act(A, sl, s))
#define STREAMS(F) QK_UNIT_EACH(x, F) QK_UNIT_EACH(g, F)
#define LOOP(A) \
	QK_BLOCK(n, SETUP, STREAMS, ALIASED, BODY(A, qk_lds), BODY(A, qk_ld), BODY(A, qk_ldc))
#define KERNEL                             \
	QK_UNIT_STREAMS(x, x, qk_k_zeros); \
	QK_UNIT_STREAMS(g, g, qk_k_zeros); \
	QK_UNIT_CONTROLS(u);               \
	QK_PER_ACT(u->act, LOOP)
QK_LONG_AND_SHORT(additive_synapse,
                  (const qk_unit *u, const float *const x[QK_INPUTS],
                   const float *const g[QK_INPUTS], float *out, uint32_t n),
                  (u, x, g, out, n), KERNEL)
#undef KERNEL
#undef LOOP
#undef STREAMS
#undef BODY
#undef TERM
#undef SETUP
#undef ALIASED

/* ---- quadratic: f(slope * (sum w_i x_i + sum_{i<=j} w_ij x_i x_j + bias)) ---- */

#define ALIASED (QK_UNIT_ALIASES(x, out))
#define SETUP          \
	QK_UNIT_AT(x); \
	float *o = out + off
#define BODY(A, L)                                                                                 \
	const qk_v a_ = L(x1, i, rem), b_ = L(x2, i, rem), c_ = L(x3, i, rem), d_ = L(x4, i, rem); \
	/* each input's row of the triangle, Horner-like */                                        \
	const qk_v r1 =                                                                            \
	        qk_v_fma(w14, d_, qk_v_fma(w13, c_, qk_v_fma(w12, b_, qk_v_fma(w11, a_, w1))));    \
	const qk_v r2 = qk_v_fma(w24, d_, qk_v_fma(w23, c_, qk_v_fma(w22, b_, w2)));               \
	const qk_v r3 = qk_v_fma(w34, d_, qk_v_fma(w33, c_, w3));                                  \
	const qk_v r4 = qk_v_fma(w44, d_, w4);                                                     \
	const qk_v s = qk_v_fma(a_, r1, qk_v_fma(b_, r2, qk_v_fma(c_, r3, qk_v_fma(d_, r4, b))));  \
	qk_st(o, i, rem, qk_act(A, sl, s))
#define LOOP(A)                                                                        \
	QK_BLOCK(n, SETUP, QK_UNIT_STREAMS1, ALIASED, BODY(A, qk_lds), BODY(A, qk_ld), \
	         BODY(A, qk_ldc))
#define KERNEL                                                           \
	QK_UNIT_STREAMS(x, x, qk_k_zeros);                               \
	QK_UNIT_CONTROLS(&u->linear);                                    \
	const qk_v w11 = qk_v_set1(u->w2[0]), w12 = qk_v_set1(u->w2[1]), \
	           w13 = qk_v_set1(u->w2[2]), w14 = qk_v_set1(u->w2[3]), \
	           w22 = qk_v_set1(u->w2[4]), w23 = qk_v_set1(u->w2[5]), \
	           w24 = qk_v_set1(u->w2[6]), w33 = qk_v_set1(u->w2[7]), \
	           w34 = qk_v_set1(u->w2[8]), w44 = qk_v_set1(u->w2[9]); \
	QK_PER_ACT(u->linear.act, LOOP)
QK_LONG_AND_SHORT(quadratic,
                  (const qk_quadratic_unit *u, const float *const x[QK_INPUTS], float *out,
                   uint32_t n),
                  (u, x, out, n), KERNEL)
#undef KERNEL
#undef LOOP
#undef BODY
#undef SETUP
#undef ALIASED

/* ---- output gate: sane(in * g(sane(a * gate + c))) ---- */

QK_INLINE qk_v
qk_gate_fn(int g, qk_v z)
{
	switch (g) {
	case QK_STEP: return qk_v_step(qk_v_sane(z));
	case QK_SIGN: return qk_v_sign(qk_v_sane(z));
	case QK_SIGMOID: return qk_v_sigmoid(z); /* z finite: |z| <= 100 * 1e12 + 100 */
	case QK_TANH: return qk_v_tanh(z);
	case QK_RELU: return qk_v_relu(qk_v_sane(z));
	default: return qk_v_sane(z);
	}
}

#define SETUP                                                 \
	const float *x = qk_at(x_, off), *k = qk_at(k_, off); \
	float *o = out + off
/* A sigmoid gate divides: in / (1 + e^-z), one rounding and one operation
 * fewer on the chain than in * (1 / (1 + e^-z)); |in| <= 1e12 and the
 * divisor >= 1, so of sane() only the flush can change the result. */
#define BODY(A, L)                                                                           \
	const qk_v z = qk_v_fma(va, L(k, i, rem), vc);                                       \
	if ((A) == QK_SIGMOID) {                                                             \
		qk_st(o, i, rem, qk_v_flush(qk_v_div(L(x, i, rem), qk_v_sigmoid_denom(z)))); \
	} else {                                                                             \
		qk_st(o, i, rem, qk_v_sane(qk_v_mul(L(x, i, rem), qk_gate_fn(A, z))));       \
	}
/* The pure output gate, linear with a = 1 and c = 0 (the defaults): the gate
 * is its own sane() (z = 1 * sane(gate) + 0 = sane(gate), zeros aside), so
 * out = sane(sane(in) * sane(gate)), with no multiply-add and no sane() of z
 * between: the same bits as BODY (a zero's sign is lost in the last sane()). */
#define PRODUCT(L) qk_st(o, i, rem, qk_v_sane(qk_v_mul(L(x, i, rem), L(k, i, rem))))
#define STREAMS(F) F(x) F(k)
#define ALIASED (in == out || gate == out)
#define LOOP(A) \
	QK_BLOCK(n, SETUP, STREAMS, ALIASED, BODY(A, qk_lds), BODY(A, qk_ld), BODY(A, qk_ldc))
#define KERNEL                                                                        \
	const qk_stream_in x_ = qk_in(in, qk_k_zeros), k_ = qk_in(gate, qk_k_ones);   \
	if (g == QK_LINEAR && a == 1.0f && c == 0.0f) {                               \
		QK_BLOCK(n, SETUP, STREAMS, ALIASED, PRODUCT(qk_lds), PRODUCT(qk_ld), \
		         PRODUCT(qk_ldc))                                             \
		return;                                                               \
	}                                                                             \
	const qk_v va = qk_v_set1(a), vc = qk_v_set1(c);                              \
	QK_PER_ACT(g, LOOP)
QK_LONG_AND_SHORT(output_gate,
                  (float a, float c, qk_activation g, const float *in, const float *gate,
                   float *out, uint32_t n),
                  (a, c, g, in, gate, out, n), KERNEL)
#undef KERNEL
#undef LOOP
#undef ALIASED
#undef STREAMS
#undef PRODUCT
#undef BODY
#undef SETUP

/* ---- additive output: sane(in + k * gate) ---- */

#define SETUP                                                 \
	const float *x = qk_at(x_, off), *g = qk_at(g_, off); \
	float *o = out + off
#define BODY(L) qk_st(o, i, rem, qk_v_sane(qk_v_fma(vk, L(g, i, rem), L(x, i, rem))))
#define STREAMS(F) F(x) F(g)
#define KERNEL                                                                           \
	const qk_stream_in x_ = qk_in(in, qk_k_zeros), g_ = qk_in(gate, qk_k_zeros);     \
	const qk_v vk = qk_v_set1(k);                                                    \
	QK_BLOCK(n, SETUP, STREAMS, in == out || gate == out, BODY(qk_lds), BODY(qk_ld), \
	         BODY(qk_ldc))
QK_LONG_AND_SHORT(additive_output,
                  (float k, const float *in, const float *gate, float *out, uint32_t n),
                  (k, in, gate, out, n), KERNEL)
#undef KERNEL
#undef STREAMS
#undef BODY
#undef SETUP

/* ---- softmax over 4 ---- */

/* a_j = exp(z_j / T) / sum exp(z_k / T) over the scores z_j (already sane)
 * where live_j is all-ones; the others give 0. The largest score is
 * subtracted first, so every exponent is <= 0 and the largest term is 1:
 * sum >= 1, one division per frame. all: every score is live (no masks). */
QK_INLINE void
qk_softmax4(qk_v z[4], const qk_v live[4], qk_v inv_temp, int all)
{
	const qk_v lo = qk_v_set1(-QK_LIMIT);
	qk_v zj[4];
	for (int j = 0; j < 4; ++j) {
		/* a dead score reads -1e12: it never raises top (a live one, sane,
		 * is >= -1e12, and one at least is live) */
		zj[j] = all ? z[j]
		            : qk_v_or(qk_v_and(live[j], z[j]),
		                      qk_v_and(qk_v_xor(live[j], qk_v_as_float(qk_vi_set1(-1))),
		                               lo));
	}
	/* pairwise: the chain that every output waits on stays short */
	const qk_v top = qk_v_max(qk_v_max(zj[0], zj[1]), qk_v_max(zj[2], zj[3]));
	for (int j = 0; j < 4; ++j) {
		const qk_v e = qk_v_max(qk_v_mul(qk_v_sub(z[j], top), inv_temp), qk_v_set1(-80.0f));
		z[j] = qk_v_exp_core(e);
		if (!all) {
			z[j] = qk_v_and(z[j], live[j]);
		}
	}
	const qk_v sum = qk_v_add(qk_v_add(z[0], z[1]), qk_v_add(z[2], z[3]));
	const qk_v r = qk_v_div(qk_v_set1(1.0f), sum);
	for (int j = 0; j < 4; ++j) {
		z[j] = qk_v_mul(z[j], r);
	}
}

QK_INLINE void
qk_softmax_loop(float temp, const float *const s[4], float *const a[4], uint32_t n, int all)
{
	qk_stream_in in[4];
	qk_v live[4];
	for (int j = 0; j < 4; ++j) {
		in[j] = qk_in(s[j], qk_k_zeros);
		live[j] = qk_v_as_float(qk_vi_set1(s[j] ? -1 : 0));
	}
	const qk_v it = qk_v_set1(1.0f / temp);
	const int store_all = a[0] && a[1] && a[2] && a[3];
#define SETUP                                                                                  \
	const float *s0 = qk_at(in[0], off), *s1 = qk_at(in[1], off), *s2 = qk_at(in[2], off), \
	            *s3 = qk_at(in[3], off)
#define BODY(L)                                                                   \
	qk_v z[4] = {L(s0, i, rem), L(s1, i, rem), L(s2, i, rem), L(s3, i, rem)}; \
	qk_softmax4(z, live, it, all);                                            \
	if (store_all) {                                                          \
		qk_st(a[0] + off, i, rem, z[0]);                                  \
		qk_st(a[1] + off, i, rem, z[1]);                                  \
		qk_st(a[2] + off, i, rem, z[2]);                                  \
		qk_st(a[3] + off, i, rem, z[3]);                                  \
	} else {                                                                  \
		for (int j = 0; j < 4; ++j) {                                     \
			if (a[j]) {                                               \
				qk_st(a[j] + off, i, rem, z[j]);                  \
			}                                                         \
		}                                                                 \
	}
	QK_BLOCK_FULL(n, SETUP, BODY(qk_lds))
#undef STREAMS
#undef ALIASED
#undef BODY
#undef SETUP
}

static void
QK_FN(softmax)(float temp, const float *const s[QK_SOFTMAX_WIDTH], float *const a[QK_SOFTMAX_WIDTH],
               uint32_t n)
{
	if (s[0] && s[1] && s[2] && s[3]) {
		qk_softmax_loop(temp, s, a, n, 1);
	} else if (s[0] || s[1] || s[2] || s[3]) {
		qk_softmax_loop(temp, s, a, n, 0);
	} else {
		/* no score: every output is 0 */
		for (int j = 0; j < 4; ++j) {
			if (a[j]) {
				QK_BLOCK1(n, float *o = a[j] + off,
				          qk_st(o, i, rem, qk_v_set1(0.0f)))
			}
		}
	}
}

/* ---- attention head: 4 tokens of dimension 2 ---- */

#define SETUP                                    \
	const float *xp[4][2];                   \
	for (int t = 0; t < 4; ++t) {            \
		xp[t][0] = qk_at(in[t][0], off); \
		xp[t][1] = qk_at(in[t][1], off); \
	}
#define BODY(L)                                                                                   \
	qk_v q[4][2], k[4][2], v[4][2];                                                           \
	for (int t = 0; t < 4; ++t) {                                                             \
		const qk_v x0 = L(xp[t][0], i, rem), x1 = L(xp[t][1], i, rem);                    \
		q[t][0] = qk_v_fma(q01, x1, qk_v_mul(q00, x0));                                   \
		q[t][1] = qk_v_fma(q11, x1, qk_v_mul(q10, x0));                                   \
		k[t][0] = qk_v_fma(k01, x1, qk_v_mul(k00, x0));                                   \
		k[t][1] = qk_v_fma(k11, x1, qk_v_mul(k10, x0));                                   \
		v[t][0] = qk_v_fma(v01, x1, qk_v_mul(v00, x0));                                   \
		v[t][1] = qk_v_fma(v11, x1, qk_v_mul(v10, x0));                                   \
	}                                                                                         \
	qk_v y[4][2];                                                                             \
	for (int t = 0; t < 4; ++t) {                                                             \
		qk_v z[4];                                                                        \
		for (int j = 0; j < 4; ++j) {                                                     \
			z[j] = qk_v_sane(qk_v_fma(q[t][1], k[j][1], qk_v_mul(q[t][0], k[j][0]))); \
		}                                                                                 \
		qk_softmax4(z, all_live, it, 1);                                                  \
		for (int d = 0; d < 2; ++d) {                                                     \
			qk_v acc = qk_v_mul(z[0], v[0][d]);                                       \
			acc = qk_v_fma(z[1], v[1][d], acc);                                       \
			acc = qk_v_fma(z[2], v[2][d], acc);                                       \
			acc = qk_v_fma(z[3], v[3][d], acc);                                       \
			y[t][d] = qk_v_sane(acc);                                                 \
		}                                                                                 \
	}                                                                                         \
	for (int t = 0; t < 4; ++t) {                                                             \
		for (int d = 0; d < 2; ++d) {                                                     \
			qk_st(o[t][d] + off, i, rem, y[t][d]);                                    \
		}                                                                                 \
	}
#define KERNEL                                                                      \
	_Static_assert(QK_HEAD_DIM == 2, "written out for m = 2");                  \
	_Static_assert(QK_HEAD_TOKENS == 4, "one softmax over 4 keys");             \
	qk_stream_in in[4][2];                                                      \
	for (int t = 0; t < 4; ++t) {                                               \
		for (int d = 0; d < 2; ++d) {                                       \
			in[t][d] = qk_in(x[t][d], qk_k_zeros);                      \
		}                                                                   \
	}                                                                           \
	const qk_v q00 = qk_v_set1(h->wq[0][0]), q01 = qk_v_set1(h->wq[0][1]),      \
	           q10 = qk_v_set1(h->wq[1][0]), q11 = qk_v_set1(h->wq[1][1]);      \
	const qk_v k00 = qk_v_set1(h->wk[0][0]), k01 = qk_v_set1(h->wk[0][1]),      \
	           k10 = qk_v_set1(h->wk[1][0]), k11 = qk_v_set1(h->wk[1][1]);      \
	const qk_v v00 = qk_v_set1(h->wv[0][0]), v01 = qk_v_set1(h->wv[0][1]),      \
	           v10 = qk_v_set1(h->wv[1][0]), v11 = qk_v_set1(h->wv[1][1]);      \
	const qk_v it = qk_v_set1(1.0f / h->temp);                                  \
	const qk_v all_live[4] = {qk_v_set1(0.0f)}; /* unused: every key is live */ \
	QK_BLOCK_FULL(n, SETUP, BODY(qk_lds))
QK_LONG_AND_SHORT(attention_head,
                  (const qk_head *h, const float *const x[QK_HEAD_TOKENS][QK_HEAD_DIM],
                   float *const o[QK_HEAD_TOKENS][QK_HEAD_DIM], uint32_t n),
                  (h, x, o, n), KERNEL)
#undef KERNEL
#undef BODY
#undef SETUP

const qk_kernels QK_FN(kernels) = {
        .name = QK_KERNELS_NAME,
        .activate = QK_FN(activate),
        .neuron = QK_FN(neuron),
        .output_gate = QK_FN(output_gate),
        .synaptic_gate = QK_FN(synaptic_gate),
        .activation_gate = QK_FN(activation_gate),
        .additive_output = QK_FN(additive_output),
        .additive_synapse = QK_FN(additive_synapse),
        .softmax = QK_FN(softmax),
        .attention_head = QK_FN(attention_head),
        .quadratic = QK_FN(quadratic),
};
