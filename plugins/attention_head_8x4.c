/* SPDX-License-Identifier: ISC */
/* attention-head-8x4: a self-attention head over 8 tokens of dimension 4, fused. */
#include "attention_sized.h"

#define TOKENS 8

enum {
	X0 = 0,
	O0 = X0 + TOKENS * QK_ATT_DIM,
	WQ0 = O0 + TOKENS * QK_ATT_DIM,
	WK0 = WQ0 + QK_ATT_DIM * QK_ATT_DIM,
	WV0 = WK0 + QK_ATT_DIM * QK_ATT_DIM,
	TEMP = WV0 + QK_ATT_DIM * QK_ATT_DIM,
	N_PORTS
};

static const qk_port ports[N_PORTS] = {
        QK_ATT_TOKEN4(1),  QK_ATT_TOKEN4(2),  QK_ATT_TOKEN4(3),
        QK_ATT_TOKEN4(4),  QK_ATT_TOKEN4(5),  QK_ATT_TOKEN4(6),
        QK_ATT_TOKEN4(7),  QK_ATT_TOKEN4(8),  QK_ATT_OUTPUT4(1),
        QK_ATT_OUTPUT4(2), QK_ATT_OUTPUT4(3), QK_ATT_OUTPUT4(4),
        QK_ATT_OUTPUT4(5), QK_ATT_OUTPUT4(6), QK_ATT_OUTPUT4(7),
        QK_ATT_OUTPUT4(8), QK_ATT_MATRICES,   [TEMP] = QK_ATT_TEMPERATURE,
};

static const qk_port_group groups[] = {
        QK_ATT_TOKEN_GROUP(1),  QK_ATT_TOKEN_GROUP(2),  QK_ATT_TOKEN_GROUP(3),
        QK_ATT_TOKEN_GROUP(4),  QK_ATT_TOKEN_GROUP(5),  QK_ATT_TOKEN_GROUP(6),
        QK_ATT_TOKEN_GROUP(7),  QK_ATT_TOKEN_GROUP(8),  QK_ATT_OUTPUT_GROUP(1),
        QK_ATT_OUTPUT_GROUP(2), QK_ATT_OUTPUT_GROUP(3), QK_ATT_OUTPUT_GROUP(4),
        QK_ATT_OUTPUT_GROUP(5), QK_ATT_OUTPUT_GROUP(6), QK_ATT_OUTPUT_GROUP(7),
        QK_ATT_OUTPUT_GROUP(8), QK_ATT_MATRIX_GROUPS,
};

static const qk_attention_size size = {TOKENS, QK_ATT_DIM, QK_ATT_DIM, QK_ATT_DIM};
_Static_assert(TOKENS <= QK_ATTENTION_MAX_TOKENS, "the kernel's softmax is that wide");

static LV2_Handle
instantiate(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
            const LV2_Feature *const *features)
{
	(void)rate; /* memoryless */
	(void)bundle_path;
	(void)features;
	return qk_instantiate_scratch(descriptor, qk_attention_scratch(&size));
}

static void
run(LV2_Handle instance, uint32_t n)
{
	qk_att_run((const qk_ports *)instance, ports, TOKENS, X0, O0, WQ0, WK0, WV0, TEMP, n);
}

const qk_plugin qk_plugin_attention_head_8x4 = {
        .descriptor = {QK_URI_attention_head_8x4, instantiate, qk_connect_port, NULL, run, NULL,
                       qk_cleanup, qk_extension_data},
        .slug = QK_SLUG_attention_head_8x4,
        .name = "Quark Attention Head 8x4",
        .shortdesc = "A self-attention head over 8 tokens of dimension 4, fused",
        .comment = "A transformer self-attention head, fused: q_i = W_Q x_i, k_j = W_K x_j, v_j = "
                   "W_V x_j, a_ij = softmax_j(q_i . k_j / T), o_i = sum_j a_ij v_j, for n = 8 "
                   "tokens of dimension m = 4. In quarks it is m n^2 = 256 output-gating products, "
                   "a softmax per query and n^2 = 64 synaptic-gating coefficients; "
                   "tools/attention/gen_head.py writes that circuit as a patch. Token i is the "
                   "group of streams xi_1 .. xi_4. Permuting the tokens permutes the outputs.",
        .formula = "n = 8, m = 4: `q_i = W_Q x_i, k_j = W_K x_j, v_j = W_V x_j`; `a_ij = "
                   "softmax_j(sane(q_i . k_j) / T)`; `o_i = sane(sum_j a_ij v_j)`",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
        .groups = groups,
        .n_groups = QK_COUNT(groups),
};
