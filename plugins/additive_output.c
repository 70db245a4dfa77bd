/* SPDX-License-Identifier: ISC */
/* additive-output: out = in + k * gate. */
#include "glue.h"

#include "additive_output.h"
#include "unit.h"

enum { IN, GATE, OUT, K, N_PORTS };

static const qk_port ports[N_PORTS] = {
        [IN] = QK_AUDIO_INPUT("in", "Input", "Attended stream O_i. Unconnected: reads 0."),
        [GATE] = QK_AUDIO_INPUT("gate", "Gate",
                                "Attending stream O_k added to the input. Unconnected: reads 0."),
        [OUT] = QK_AUDIO_OUTPUT("out", "Output", "Sum in + k * gate."),
        [K] = QK_COEF("k", "Gate weight", "Weight k of the attending stream.", 1.0),
};

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;

	const float k = qk_port_control(p, ports, K);
	qk_additive_output(k, p->port[IN], p->port[GATE], p->port[OUT], n);
}

const qk_plugin qk_plugin_additive_output = {
        .descriptor = QK_MEMORYLESS(additive_output, run),
        .slug = QK_SLUG_additive_output,
        .name = "Quark Additive Output",
        .shortdesc = "Additive output attention: a stream added to an output",
        .comment = "The additive output quark (inside the Standard Model): out = in + k * gate.",
        .formula = "`out = in + k*gate`",
        .klass = "MixerPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
