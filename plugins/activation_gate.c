/* activation-gate: out = f(slope * gate * (sum w_i x_i + bias)). */
#include "glue.h"

#include "activation_gate.h"
#include "denormal.h"

enum { X1, X2, X3, X4, GATE, OUT, W1, W2, W3, W4, BIAS, SLOPE, ACT };

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();

	qk_unit u;
	qk_read_unit(p, W1, BIAS, SLOPE, ACT, &u);
	const float *x[QK_INPUTS];
	qk_read_streams(p, X1, x);

	qk_activation_gate(&u, x, p->port[GATE], p->port[OUT], n);
	qk_denormals_restore(mode);
}

const LV2_Descriptor *
qk_activation_gate_descriptor(void)
{
	static const LV2_Descriptor descriptor = {
		QK_URI "activation-gate", qk_instantiate, qk_connect_port, NULL, run,
		NULL, qk_cleanup, qk_extension_data,
	};
	return &descriptor;
}
