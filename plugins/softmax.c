/* softmax: a_i = exp(s_i / T) / sum_j exp(s_j / T) over the connected scores. */
#include "glue.h"

#include "denormal.h"
#include "softmax.h"
#include "unit.h"

enum { S1, S2, S3, S4, A1, A2, A3, A4, TEMP };

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();

	const float temp = qk_control(qk_control_value(p, TEMP), QK_TEMP_MIN,
	                              QK_TEMP_MAX, 1.0f);
	const float *const s[QK_SOFTMAX_WIDTH] = { p->port[S1], p->port[S2],
	                                           p->port[S3], p->port[S4] };
	float *const a[QK_SOFTMAX_WIDTH] = { p->port[A1], p->port[A2], p->port[A3],
	                                     p->port[A4] };

	qk_softmax(temp, s, a, n);
	qk_denormals_restore(mode);
}

const LV2_Descriptor *
qk_softmax_descriptor(void)
{
	static const LV2_Descriptor descriptor = {
		QK_URI "softmax", qk_instantiate, qk_connect_port, NULL, run, NULL,
		qk_cleanup, qk_extension_data,
	};
	return &descriptor;
}
