/* attention-head: a self-attention head over 4 tokens of dimension 2, fused. */
#include "glue.h"

#include "attention_head.h"
#include "denormal.h"
#include "unit.h"

enum {
	X1_1, X1_2, X2_1, X2_2, X3_1, X3_2, X4_1, X4_2,
	O1_1, O1_2, O2_1, O2_2, O3_1, O3_2, O4_1, O4_2,
	WQ11, WQ12, WQ21, WQ22, WK11, WK12, WK21, WK22, WV11, WV12, WV21, WV22,
	TEMP
};

/* A projection matrix from its four control ports; identity is the default. */
static void
read_matrix(const qk_ports *p, uint32_t first, float w[QK_HEAD_DIM][QK_HEAD_DIM])
{
	for (uint32_t l = 0; l < QK_HEAD_DIM; ++l) {
		for (uint32_t d = 0; d < QK_HEAD_DIM; ++d) {
			w[l][d] = qk_control(qk_control_value(p, first + l * QK_HEAD_DIM + d),
			                     -QK_WEIGHT_MAX, QK_WEIGHT_MAX, l == d ? 1.0f : 0.0f);
		}
	}
}

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();

	qk_head h;
	read_matrix(p, WQ11, h.wq);
	read_matrix(p, WK11, h.wk);
	read_matrix(p, WV11, h.wv);
	h.temp = qk_control(qk_control_value(p, TEMP), QK_TEMP_MIN, QK_TEMP_MAX, 1.0f);

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
	qk_denormals_restore(mode);
}

const LV2_Descriptor *
qk_attention_head_descriptor(void)
{
	static const LV2_Descriptor descriptor = {
		QK_URI "attention-head", qk_instantiate, qk_connect_port, NULL, run,
		NULL, qk_cleanup, qk_extension_data,
	};
	return &descriptor;
}
