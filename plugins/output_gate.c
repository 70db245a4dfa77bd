/* SPDX-License-Identifier: ISC */
/* output-gate: out = in * g(a * gate + c). */
#include "glue.h"

#include "output_gate.h"
#include "unit.h"

enum { IN, GATE, OUT, A, C, ACT, N_PORTS };

static const qk_port ports[N_PORTS] = {
        [IN] = QK_AUDIO_INPUT("in", "Input", "Attended stream O_i. Unconnected: reads 0."),
        [GATE] = QK_GATE_INPUT("gate", "Gate",
                               "Attending stream O_k that multiplies the input. Unconnected: reads "
                               "1 (the input passes through g(a + c))."),
        [OUT] = QK_AUDIO_OUTPUT("out", "Output", "Gated stream in * g(a * gate + c)."),
        [A] = QK_COEF("a", "Gate gain", "Gain a applied to the gate before g.", 1.0),
        [C] = QK_COEF("c", "Gate offset", "Offset c added to the scaled gate before g.", 0.0),
        [ACT] = QK_ACT_PORT("Gate function", "Function g applied to a * gate + c.", QK_LINEAR),
};

static const qk_preset_value soft[] = {{"a", 10.0}, {"c", -5.0}, {"act", QK_SIGMOID}};
static const qk_preset_value step[] = {{"a", 1.0}, {"c", -0.5}, {"act", QK_STEP}};
static const qk_preset_value sign[] = {{"a", 1.0}, {"c", 0.0}, {"act", QK_SIGN}};
static const qk_preset presets[] = {
        {"soft", "Soft gate",
         "Sigmoid gate: g = sigmoid(10 gate - 5) opens smoothly as the gate goes from 0 to 1.",
         soft, QK_COUNT(soft)},
        {"step", "Step gate (0,1)", "Hard (0,1) gate: passes the input while gate >= 0.5, else 0.",
         step, QK_COUNT(step)},
        {"sign", "Sign gate (-1,+1)",
         "Hard (-1,+1) gate: passes the input while gate >= 0, else inverts it.", sign,
         QK_COUNT(sign)},
};

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;

	const float a = qk_port_control(p, ports, A);
	const float c = qk_port_control(p, ports, C);
	const qk_activation g = qk_activation_from_control(qk_control_value(p, ACT));

	qk_output_gate(a, c, g, p->port[IN], p->port[GATE], p->port[OUT], n);
}

const qk_plugin qk_plugin_output_gate = {
        .descriptor = QK_MEMORYLESS(output_gate, run),
        .slug = QK_SLUG_output_gate,
        .name = "Quark Output Gate",
        .shortdesc = "Output gating: one stream multiplies another",
        .comment =
                "Output gating, the multiplicative output quark: out = in * g(a * gate + c). With "
                "g linear, a = 1 and c = 0 (the default) it is the plain product of the two "
                "streams. Gate function step gives a (0,1) gate, sign a (-1,+1) gate; the "
                "convention decides what a product of two threshold gates computes (AND or XNOR).",
        .formula = "`out = in * g(a*gate + c)`, g = act",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
        .presets = presets,
        .n_presets = QK_COUNT(presets),
};
