/* additive-output: out = in + k * gate. */
#include "glue.h"

#include "additive_output.h"
#include "denormal.h"
#include "unit.h"

enum { IN, GATE, OUT, K };

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();

	const float k = qk_control(qk_control_value(p, K), -QK_WEIGHT_MAX,
	                           QK_WEIGHT_MAX, 1.0f);

	qk_additive_output(k, p->port[IN], p->port[GATE], p->port[OUT], n);
	qk_denormals_restore(mode);
}

const LV2_Descriptor *
qk_additive_output_descriptor(void)
{
	static const LV2_Descriptor descriptor = {
		QK_URI "additive-output", qk_instantiate, qk_connect_port, NULL, run,
		NULL, qk_cleanup, qk_extension_data,
	};
	return &descriptor;
}
