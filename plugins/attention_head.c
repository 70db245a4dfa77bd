/* SPDX-License-Identifier: ISC */
/* attention-head: a self-attention head over 4 tokens of dimension 2, fused. */
#include "glue.h"

#include "attention_head.h"
#include "unit.h"

enum {
	X1_1,
	X1_2,
	X2_1,
	X2_2,
	X3_1,
	X3_2,
	X4_1,
	X4_2,
	O1_1,
	O1_2,
	O2_1,
	O2_2,
	O3_1,
	O3_2,
	O4_1,
	O4_2,
	WQ11,
	WQ12,
	WQ21,
	WQ22,
	WK11,
	WK12,
	WK21,
	WK22,
	WV11,
	WV12,
	WV21,
	WV22,
	TEMP,
	N_PORTS
};

#define TOKEN(i, d)                                           \
	QK_AUDIO_INPUT("x" #i "_" #d, "Token " #i " dim " #d, \
	               "Component " #d " of token " #i ". Unconnected: reads 0.")
#define OUTPUT(i, d)                                            \
	QK_AUDIO_OUTPUT("o" #i "_" #d, "Output " #i " dim " #d, \
	                "Component " #d " of the head's output for token " #i ".")
/* Entry (r, c) of projection W_<M>; the identity by default. */
#define ENTRY(m, M, what, r, c)                                              \
	QK_COEF("w" #m #r #c, "W_" #M " " #r " " #c,                         \
	        "Row " #r ", column " #c " of the " what " projection W_" #M \
	        " (identity by default).",                                   \
	        (r) == (c) ? 1.0 : 0.0)
#define MATRIX(first, m, M, what)                                                 \
	[first] = ENTRY(m, M, what, 1, 1), [first + 1] = ENTRY(m, M, what, 1, 2), \
	[first + 2] = ENTRY(m, M, what, 2, 1), [first + 3] = ENTRY(m, M, what, 2, 2)

static const qk_port ports[N_PORTS] = {
        [X1_1] = TOKEN(1, 1),
        [X1_2] = TOKEN(1, 2),
        [X2_1] = TOKEN(2, 1),
        [X2_2] = TOKEN(2, 2),
        [X3_1] = TOKEN(3, 1),
        [X3_2] = TOKEN(3, 2),
        [X4_1] = TOKEN(4, 1),
        [X4_2] = TOKEN(4, 2),
        [O1_1] = OUTPUT(1, 1),
        [O1_2] = OUTPUT(1, 2),
        [O2_1] = OUTPUT(2, 1),
        [O2_2] = OUTPUT(2, 2),
        [O3_1] = OUTPUT(3, 1),
        [O3_2] = OUTPUT(3, 2),
        [O4_1] = OUTPUT(4, 1),
        [O4_2] = OUTPUT(4, 2),
        MATRIX(WQ11, q, Q, "query"),
        MATRIX(WK11, k, K, "key"),
        MATRIX(WV11, v, V, "value"),
        [TEMP] = QK_TEMPERATURE("Softmax temperature T; a standard transformer head uses T = "
                                "sqrt(2) for dimension 2."),
};

/* A projection matrix from its four control ports. */
static void
read_matrix(const qk_ports *p, uint32_t first, float w[QK_HEAD_DIM][QK_HEAD_DIM])
{
	for (uint32_t l = 0; l < QK_HEAD_DIM; ++l) {
		for (uint32_t d = 0; d < QK_HEAD_DIM; ++d) {
			w[l][d] = qk_port_control(p, ports, first + l * QK_HEAD_DIM + d);
		}
	}
}

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;

	qk_head h;
	read_matrix(p, WQ11, h.wq);
	read_matrix(p, WK11, h.wk);
	read_matrix(p, WV11, h.wv);
	h.temp = qk_port_control(p, ports, TEMP);

	const float *x[QK_HEAD_TOKENS][QK_HEAD_DIM];
	float *o[QK_HEAD_TOKENS][QK_HEAD_DIM];
	for (int i = 0; i < QK_HEAD_TOKENS; ++i) {
		for (int d = 0; d < QK_HEAD_DIM; ++d) {
			x[i][d] = p->port[X1_1 + i * QK_HEAD_DIM + d];
			o[i][d] = p->port[O1_1 + i * QK_HEAD_DIM + d];
		}
	}
	qk_attention_head(&h, (const float *const(*)[QK_HEAD_DIM])x,
	                  (float *const(*)[QK_HEAD_DIM])o, n);
}

const qk_plugin qk_plugin_attention_head = {
        .descriptor = QK_MEMORYLESS(attention_head, run),
        .slug = QK_SLUG_attention_head,
        .name = "Quark Attention Head",
        .shortdesc = "A self-attention head over 4 tokens of dimension 2, fused",
        .comment =
                "A transformer self-attention head, fused: q_i = W_Q x_i, k_j = W_K x_j, v_j = W_V "
                "x_j, a_ij = softmax_j(q_i . k_j / T), o_i = sum_j a_ij v_j. In quarks it is m n^2 "
                "= 32 output-gating products, a softmax per query and n^2 = 16 synaptic-gating "
                "coefficients; tools/attention writes that circuit as a patch. Token i is the pair "
                "of streams (xi_1, xi_2). Permuting the tokens permutes the outputs.",
        .formula = "`q_i = W_Q x_i, k_j = W_K x_j, v_j = W_V x_j`; `a_ij = softmax_j(sane(q_i . "
                   "k_j) / T)`; `o_i = sane(sum_j a_ij v_j)`",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
