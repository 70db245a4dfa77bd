/* synaptic-gate: synaptic gating, out = f(slope * (sum w_i g_i x_i + bias)); an unconnected g_i leaves synapse i at its static weight. */
#include "glue.h"

#include "denormal.h"
#include "synaptic_gate.h"

enum { X1, X2, X3, X4, G1, G2, G3, G4, OUT, W1, W2, W3, W4, BIAS, SLOPE, ACT };

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();

	qk_unit u;
	qk_read_unit(p, W1, BIAS, SLOPE, ACT, &u);
	const float *x[QK_INPUTS];
	qk_read_streams(p, X1, x);
	const float *g[QK_INPUTS];
	qk_read_streams(p, G1, g);

	qk_synaptic_gate(&u, x, g, p->port[OUT], n);
	qk_denormals_restore(mode);
}

const LV2_Descriptor *
qk_synaptic_gate_descriptor(void)
{
	static const LV2_Descriptor descriptor = {
		QK_URI "synaptic-gate", qk_instantiate, qk_connect_port, NULL, run, NULL,
		qk_cleanup, qk_extension_data,
	};
	return &descriptor;
}
