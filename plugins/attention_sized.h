/* SPDX-License-Identifier: ISC */
/* A fused attention head of a larger size (attention-head-8x4,
 * attention-head-16x4), whole: its port enum, port table, port groups,
 * instantiate, run() over the general kernel (dsp/attention.h), and the
 * qk_plugin's text. A plugin file defines the size and includes this once:
 *
 *     #define QK_ATT_TOKENS 8        (n, the number of tokens)
 *     #define QK_ATT_PRODUCTS 256    (m n^2, written out for the comment)
 *     #define QK_ATT_COEFFICIENTS 64 (n^2, the same)
 *     #include "attention_sized.h"
 *     const qk_plugin qk_plugin_attention_head_8x4 = QK_ATT_HEAD_PLUGIN(attention_head_8x4);
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

#if !defined(QK_ATT_TOKENS) || !defined(QK_ATT_PRODUCTS) || !defined(QK_ATT_COEFFICIENTS)
#error "define QK_ATT_TOKENS, QK_ATT_PRODUCTS and QK_ATT_COEFFICIENTS first"
#endif

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

/* m(1), m(2), ..., m(n) for the sizes there are. */
#define QK_ATT_UP_TO_8(m) m(1), m(2), m(3), m(4), m(5), m(6), m(7), m(8)
#define QK_ATT_UP_TO_16(m) QK_ATT_UP_TO_8(m), m(9), m(10), m(11), m(12), m(13), m(14), m(15), m(16)
#define QK_ATT_EACH_TOKEN_(n, m) QK_ATT_UP_TO_##n(m)
#define QK_ATT_EACH_TOKEN(n, m) QK_ATT_EACH_TOKEN_(n, m)
#define QK_ATT_STRING_(x) #x
#define QK_ATT_STRING(x) QK_ATT_STRING_(x)

enum {
	X0 = 0,
	O0 = X0 + QK_ATT_TOKENS * QK_ATT_DIM,
	WQ0 = O0 + QK_ATT_TOKENS * QK_ATT_DIM,
	WK0 = WQ0 + QK_ATT_DIM * QK_ATT_DIM,
	WV0 = WK0 + QK_ATT_DIM * QK_ATT_DIM,
	TEMP = WV0 + QK_ATT_DIM * QK_ATT_DIM,
	N_PORTS
};

static const qk_port ports[N_PORTS] = {
        QK_ATT_EACH_TOKEN(QK_ATT_TOKENS, QK_ATT_TOKEN4),
        QK_ATT_EACH_TOKEN(QK_ATT_TOKENS, QK_ATT_OUTPUT4),
        QK_ATT_MATRICES,
        [TEMP] = QK_ATT_TEMPERATURE,
};

static const qk_port_group groups[] = {
        QK_ATT_EACH_TOKEN(QK_ATT_TOKENS, QK_ATT_TOKEN_GROUP),
        QK_ATT_EACH_TOKEN(QK_ATT_TOKENS, QK_ATT_OUTPUT_GROUP),
        QK_ATT_MATRIX_GROUPS,
};

static const qk_attention_size size = {QK_ATT_TOKENS, QK_ATT_DIM, QK_ATT_DIM, QK_ATT_DIM};
_Static_assert(QK_ATT_TOKENS <= QK_ATTENTION_MAX_TOKENS, "the kernel's softmax is that wide");
_Static_assert(QK_ATT_PRODUCTS == QK_ATT_DIM * QK_ATT_TOKENS * QK_ATT_TOKENS, "m n^2");
_Static_assert(QK_ATT_COEFFICIENTS == QK_ATT_TOKENS * QK_ATT_TOKENS, "n^2");

static LV2_Handle
instantiate(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
            const LV2_Feature *const *features)
{
	(void)bundle_path;
	(void)features;
	return qk_instantiate_scratch(descriptor, rate, qk_attention_scratch(&size));
}

/* The matrices from their controls (clamped, NaN reads as the identity's
 * entry), the streams, the kernel. */
static void
run(LV2_Handle instance, uint32_t n)
{
	enum { D = QK_ATT_DIM };
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();
	float wq[D * D], wk[D * D], wv[D * D];
	for (uint32_t e = 0; e < D * D; ++e) {
		wq[e] = qk_port_control(p, ports, WQ0 + e);
		wk[e] = qk_port_control(p, ports, WK0 + e);
		wv[e] = qk_port_control(p, ports, WV0 + e);
	}
	const qk_attention a = {size, wq, wk, wv, qk_port_control(p, ports, TEMP)};
	const float *x[QK_ATT_TOKENS * D];
	float *o[QK_ATT_TOKENS * D];
	for (uint32_t s = 0; s < QK_ATT_TOKENS * D; ++s) {
		x[s] = p->port[X0 + s];
		o[s] = p->port[O0 + s];
	}
	qk_attention_run(&a, x, o, qk_scratch(p), n);
	qk_denormals_restore(mode);
}

/* The qk_plugin of plugin id (attention_head_<n>x4). */
#define QK_ATT_N QK_ATT_STRING(QK_ATT_TOKENS)
#define QK_ATT_HEAD_PLUGIN(id)                                                                    \
	{                                                                                         \
		.descriptor = {QK_URI_##id, instantiate, qk_connect_port, NULL,                   \
		               run,         NULL,        qk_cleanup,      qk_extension_data},     \
		.slug = QK_SLUG_##id, .name = "Quark Attention Head " QK_ATT_N "x4",              \
		.shortdesc =                                                                      \
		        "A self-attention head over " QK_ATT_N " tokens of dimension 4, fused",   \
		.comment =                                                                        \
		        "A transformer self-attention head, fused: q_i = W_Q x_i, k_j = W_K "     \
		        "x_j, v_j = W_V x_j, a_ij = softmax_j(q_i . k_j / T), o_i = sum_j "       \
		        "a_ij v_j, for n = " QK_ATT_N " tokens of dimension m = 4. In quarks "    \
		        "it is m n^2 = " QK_ATT_STRING(                                           \
		                QK_ATT_PRODUCTS) " output-gating "                                \
		                                 "products, a softmax per query and n^2 "         \
		                                 "= " QK_ATT_STRING(                              \
		                                         QK_ATT_COEFFICIENTS) " synaptic-gating " \
		                                                              "coefficients; "    \
		                                                              "tools/attention/"  \
		                                                              "gen_head.py "      \
		                                                              "writes that "      \
		                                                              "circuit as a "     \
		                                                              "patch. Token i "   \
		                                                              "is the group of "  \
		                                                              "streams xi_1 .. "  \
		                                                              "xi_4. Permuting "  \
		                                                              "the tokens "       \
		                                                              "permutes "         \
		                                                              "the outputs.",     \
		.formula = "n = " QK_ATT_N ", m = 4: `q_i = W_Q x_i, k_j = W_K x_j, v_j = W_V "   \
		           "x_j`; `a_ij = softmax_j(sane(q_i . k_j) / T)`; `o_i = sane(sum_j "    \
		           "a_ij v_j)`",                                                          \
		.klass = "FunctionPlugin", .ports = ports, .n_ports = N_PORTS, .groups = groups,  \
		.n_groups = QK_COUNT(groups),                                                     \
	}

#endif
