/* SPDX-License-Identifier: ISC */
/* Self-attention over n tokens at any size, fused: one head with query and key
 * dimension m and value dimension m_v, on tokens of d components. The general
 * form of attention_head.h (n = 4, d = m = m_v = 2), and per frame the same
 * arithmetic in the same order, so at that size the two give the same bits:
 *
 *   q_i = W_Q x_i,  k_j = W_K x_j,  v_j = W_V x_j      (W_Q, W_K: m x d; W_V: m_v x d)
 *   s_ij = sane(q_i . k_j)                             (m n^2 products: output gating)
 *   a_ij = exp(s_ij / T) / sum_j' exp(s_ij' / T)       (a softmax per query)
 *   o_i = sane(sum_j a_ij v_j)                         (n^2 coefficients: synaptic gating)
 *
 * Permuting the tokens permutes the outputs: every token goes through the same
 * weights. No allocation: the caller passes scratch memory, sized once by
 * qk_attention_scratch(), so that a plugin can allocate it in instantiate. */
#ifndef QK_ATTENTION_H
#define QK_ATTENTION_H

#include <stddef.h>
#include <stdint.h>

/* The widest softmax a query needs is n: the kernel uses qk_softmax_wide. */
#define QK_ATTENTION_MAX_TOKENS 16
/* Components of a token (d) the kernel reads. */
#define QK_ATTENTION_MAX_DIM 16

typedef struct {
	uint32_t n;  /* tokens, 1..QK_ATTENTION_MAX_TOKENS */
	uint32_t d;  /* components of a token, 1..QK_ATTENTION_MAX_DIM */
	uint32_t m;  /* query and key dimension, >= 1 */
	uint32_t mv; /* value dimension: components of an output, >= 1 */
} qk_attention_size;

typedef struct {
	qk_attention_size size;
	const float *wq; /* m x d, row-major: q_il = sum_c wq[l d + c] x_ic */
	const float *wk; /* m x d */
	const float *wv; /* mv x d */
	float temp;      /* T > 0 (callers clamp it) */
} qk_attention;

/* Floats of scratch that qk_attention_run() needs for this size. */
size_t qk_attention_scratch(const qk_attention_size *size);

/* x[i d + c]: component c of token i (NULL reads 0); o[i mv + l]: component l
 * of output i. Any output may alias any input. scratch: at least
 * qk_attention_scratch() floats, 32-byte aligned for speed (any float
 * alignment is correct). A size outside the limits above is a caller's bug:
 * nothing is written (the plugins check theirs at compile time). */
void qk_attention_run(const qk_attention *a, const float *const *x, float *const *o, float *scratch,
                      uint32_t n);

#endif
