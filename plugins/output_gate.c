/* output-gate: out = in * g(a * gate + c). */
#include "glue.h"

#include "denormal.h"
#include "output_gate.h"
#include "unit.h"

enum { IN, GATE, OUT, A, C, ACT };

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();

	const float a = qk_control(qk_control_value(p, A), -QK_WEIGHT_MAX,
	                           QK_WEIGHT_MAX, 1.0f);
	const float c = qk_control(qk_control_value(p, C), -QK_WEIGHT_MAX,
	                           QK_WEIGHT_MAX, 0.0f);
	const qk_activation g = qk_activation_from_control(qk_control_value(p, ACT));

	qk_output_gate(a, c, g, p->port[IN], p->port[GATE], p->port[OUT], n);
	qk_denormals_restore(mode);
}

const LV2_Descriptor *
qk_output_gate_descriptor(void)
{
	static const LV2_Descriptor descriptor = {
		QK_URI "output-gate", qk_instantiate, qk_connect_port, NULL, run, NULL,
		qk_cleanup, qk_extension_data,
	};
	return &descriptor;
}
