/* SPDX-License-Identifier: ISC */
/* A transformer self-attention head over QK_HEAD_TOKENS tokens of dimension
 * QK_HEAD_DIM, computed in one pass: the fused form of the quark circuit
 * QUARKS.md describes (output gating for the m n^2 products of Q K, a softmax
 * per query, synaptic gating of V by the n^2 attention coefficients).
 *
 *   q_i = W_Q x_i,  k_j = W_K x_j,  v_j = W_V x_j
 *   s_ij = sane(q_i . k_j)
 *   a_ij = exp(s_ij / T) / sum_j' exp(s_ij' / T)
 *   o_i = sane(sum_j a_ij v_j)
 *
 * Permuting the tokens permutes the outputs: every token goes through the
 * same weights. */
#ifndef QK_ATTENTION_HEAD_H
#define QK_ATTENTION_HEAD_H

#include <stdint.h>

#define QK_HEAD_TOKENS 4
#define QK_HEAD_DIM 2

typedef struct {
	float wq[QK_HEAD_DIM][QK_HEAD_DIM]; /* row l gives component l of q */
	float wk[QK_HEAD_DIM][QK_HEAD_DIM];
	float wv[QK_HEAD_DIM][QK_HEAD_DIM];
	float temp; /* T > 0 */
} qk_head;

/* x[i][d]: component d of token i (NULL reads 0); o[i][d] likewise for the
 * outputs. Any output may alias any input. */
void qk_attention_head(const qk_head *h, const float *const x[QK_HEAD_TOKENS][QK_HEAD_DIM],
                       float *const o[QK_HEAD_TOKENS][QK_HEAD_DIM], uint32_t n);

#endif
