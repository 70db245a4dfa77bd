/* SPDX-License-Identifier: ISC */
/* What the fused attention heads of the larger sizes share (attention-head-8x4,
 * attention-head-16x4): port blocks for tokens of dimension 4, their port
 * groups, and run() over the general kernel (dsp/attention.h). A plugin file
 * defines its port enum with X0 (first token stream), O0 (first output), WQ0,
 * WK0, WV0 (first entry of each matrix) and TEMP, then uses these blocks.
 *
 * Names follow the shipped attention-head (4x2): stream c of token i is
 * `xi_c` "Token i dim c", output `oi_c` "Output i dim c", matrix entry
 * `wqrc` "W_Q r c". Each token and each output is a port group, as is each
 * matrix, so that hosts (Carla) show 177 ports as 35 readable groups. */
#ifndef QK_ATTENTION_SIZED_H
#define QK_ATTENTION_SIZED_H

#include "glue.h"

#include "attention.h"
#include "denormal.h"
#include "unit.h"

#define QK_ATT_DIM 4 /* d = m = m_v of the sized heads */

#define QK_ATT_TOKEN(i, c)                                                                    \
	{                                                                                     \
		.type = QK_AUDIO_IN, .symbol = "x" #i "_" #c, .name = "Token " #i " dim " #c, \
		.comment = "Component " #c " of token " #i ". Unconnected: reads 0.",         \
		.props = QK_OPTIONAL, .group = "token" #i                                     \
	}
#define QK_ATT_OUTPUT(i, c)                                                                     \
	{                                                                                       \
		.type = QK_AUDIO_OUT, .symbol = "o" #i "_" #c, .name = "Output " #i " dim " #c, \
		.comment = "Component " #c " of the head's output for token " #i ".",           \
		.group = "out" #i                                                               \
	}
/* The four streams of token i, and of output i. */
#define QK_ATT_TOKEN4(i)                                                                      \
	[X0 + 4 * ((i)-1)] = QK_ATT_TOKEN(i, 1), [X0 + 4 * ((i)-1) + 1] = QK_ATT_TOKEN(i, 2), \
	          [X0 + 4 * ((i)-1) + 2] = QK_ATT_TOKEN(i, 3),                                \
	          [X0 + 4 * ((i)-1) + 3] = QK_ATT_TOKEN(i, 4)
#define QK_ATT_OUTPUT4(i)                                                                       \
	[O0 + 4 * ((i)-1)] = QK_ATT_OUTPUT(i, 1), [O0 + 4 * ((i)-1) + 1] = QK_ATT_OUTPUT(i, 2), \
	          [O0 + 4 * ((i)-1) + 2] = QK_ATT_OUTPUT(i, 3),                                 \
	          [O0 + 4 * ((i)-1) + 3] = QK_ATT_OUTPUT(i, 4)

/* Entry (r, c) of projection W_<M>, the identity by default. */
#define QK_ATT_ENTRY(m, M, what, r, c)                                                        \
	{                                                                                     \
		.type = QK_CONTROL_IN, .symbol = "w" #m #r #c, .name = "W_" #M " " #r " " #c, \
		.comment = "Row " #r ", column " #c " of the " what " projection W_" #M       \
		           " (identity by default).",                                         \
		.def = (r) == (c) ? 1.0 : 0.0, .min = -QK_WEIGHT_MAX, .max = QK_WEIGHT_MAX,   \
		.unit = "coef", .group = "w" #m                                               \
	}
#define QK_ATT_ROW(first, m, M, what, r)                                         \
	[first + 4 * ((r)-1)] = QK_ATT_ENTRY(m, M, what, r, 1),                  \
	             [first + 4 * ((r)-1) + 1] = QK_ATT_ENTRY(m, M, what, r, 2), \
	             [first + 4 * ((r)-1) + 2] = QK_ATT_ENTRY(m, M, what, r, 3), \
	             [first + 4 * ((r)-1) + 3] = QK_ATT_ENTRY(m, M, what, r, 4)
#define QK_ATT_MATRIX(first, m, M, what)                                    \
	QK_ATT_ROW(first, m, M, what, 1), QK_ATT_ROW(first, m, M, what, 2), \
	        QK_ATT_ROW(first, m, M, what, 3), QK_ATT_ROW(first, m, M, what, 4)
#define QK_ATT_MATRICES                                                     \
	QK_ATT_MATRIX(WQ0, q, Q, "query"), QK_ATT_MATRIX(WK0, k, K, "key"), \
	        QK_ATT_MATRIX(WV0, v, V, "value")

#define QK_ATT_TEMPERATURE                                                                        \
	QK_TEMPERATURE("Softmax temperature T; a standard transformer head uses T = sqrt(4) = 2 " \
	               "for dimension 4.")

/* Groups: one per token, one per output, one per matrix. */
#define QK_ATT_TOKEN_GROUP(i)                        \
	{                                            \
		"token" #i, "Token " #i, QK_GROUP_IN \
	}
#define QK_ATT_OUTPUT_GROUP(i)                       \
	{                                            \
		"out" #i, "Output " #i, QK_GROUP_OUT \
	}
#define QK_ATT_MATRIX_GROUPS                                                     \
	{"wq", "W_Q (queries)", QK_GROUP_IN}, {"wk", "W_K (keys)", QK_GROUP_IN}, \
	{                                                                        \
		"wv", "W_V (values)", QK_GROUP_IN                                \
	}

/* run() of a head of n tokens: the matrices from their controls (clamped, NaN
 * reads as the identity's entry), the streams, the kernel. */
static inline void
qk_att_run(const qk_ports *p, const qk_port *ports, uint32_t n_tokens, uint32_t x0, uint32_t o0,
           uint32_t wq0, uint32_t wk0, uint32_t wv0, uint32_t temp, uint32_t n)
{
	enum { D = QK_ATT_DIM };
	const qk_fp_mode mode = qk_denormals_off();
	float wq[D * D], wk[D * D], wv[D * D];
	for (uint32_t e = 0; e < D * D; ++e) {
		wq[e] = qk_port_control(p, ports, wq0 + e);
		wk[e] = qk_port_control(p, ports, wk0 + e);
		wv[e] = qk_port_control(p, ports, wv0 + e);
	}
	const qk_attention a = {{n_tokens, D, D, D}, wq, wk, wv, qk_port_control(p, ports, temp)};
	const float *x[QK_ATTENTION_MAX_TOKENS * D];
	float *o[QK_ATTENTION_MAX_TOKENS * D];
	for (uint32_t s = 0; s < n_tokens * D; ++s) {
		x[s] = p->port[x0 + s];
		o[s] = p->port[o0 + s];
	}
	qk_attention_run(&a, x, o, qk_scratch(p), n);
	qk_denormals_restore(mode);
}

#endif
