/* neuron: multiplexing, out = f(slope * (sum w_i x_i + bias + v * attend)). */
#include "glue.h"

#include "denormal.h"
#include "neuron.h"

enum { X1, X2, X3, X4, ATTEND, OUT, W1, W2, W3, W4, BIAS, V, SLOPE, ACT };

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();

	qk_unit u;
	qk_read_unit(p, W1, BIAS, SLOPE, ACT, &u);
	const float v = qk_control(qk_control_value(p, V), -QK_WEIGHT_MAX,
	                           QK_WEIGHT_MAX, 1.0f);
	const float *x[QK_INPUTS];
	qk_read_streams(p, X1, x);

	qk_neuron(&u, v, x, p->port[ATTEND], p->port[OUT], n);
	qk_denormals_restore(mode);
}

const LV2_Descriptor *
qk_neuron_descriptor(void)
{
	static const LV2_Descriptor descriptor = {
		QK_URI "neuron", qk_instantiate, qk_connect_port, NULL, run, NULL,
		qk_cleanup, qk_extension_data,
	};
	return &descriptor;
}
