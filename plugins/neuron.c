/* SPDX-License-Identifier: ISC */
/* neuron: multiplexing, out = f(slope * (sum w_i x_i + bias + v * attend)). */
#include "glue.h"

#include "neuron.h"

enum { X1, X2, X3, X4, ATTEND, OUT, W1, W2, W3, W4, BIAS, V, SLOPE, ACT, N_PORTS };

static const qk_port ports[N_PORTS] = {
        QK_UNIT_INPUTS(X1),
        [ATTEND] = QK_AUDIO_INPUT("attend", "Attend",
                                  "Attending signal O_k, added to the activation as v * attend. "
                                  "Unconnected: reads 0."),
        [OUT] = QK_UNIT_OUTPUT,
        QK_UNIT_WEIGHTS(W1),
        [BIAS] = QK_UNIT_BIAS,
        [V] = QK_COEF("v", "Attend weight", "Weight v of the attending signal in the activation.",
                      1.0),
        [SLOPE] = QK_UNIT_SLOPE,
        [ACT] = QK_UNIT_ACT(QK_LINEAR),
};

/* Linear threshold gates on x1, x2 in {0, 1}: step(w1 x1 + w2 x2 + bias). The
 * bias sits halfway between the sums that must give 0 and give 1. Each preset
 * sets every control, so loading one gives the same unit whatever came before. */
#define QK_GATE_PRESET(w, b)                                                             \
	{                                                                                \
		{"w1", w}, {"w2", w}, {"w3", 0.0}, {"w4", 0.0}, {"bias", b}, {"v", 0.0}, \
		        {"slope", 1.0},                                                  \
		{                                                                        \
			"act", QK_STEP                                                   \
		}                                                                        \
	}
static const qk_preset_value or_gate[] = QK_GATE_PRESET(1.0, -0.5);
static const qk_preset_value and_gate[] = QK_GATE_PRESET(1.0, -1.5);
static const qk_preset_value nand_gate[] = QK_GATE_PRESET(-1.0, 1.5);
static const qk_preset_value nor_gate[] = QK_GATE_PRESET(-1.0, 0.5);
static const qk_preset presets[] = {
        {"or", "OR", "OR of x1 and x2: step(x1 + x2 - 0.5).", or_gate, QK_COUNT(or_gate)},
        {"and", "AND", "AND of x1 and x2: step(x1 + x2 - 1.5).", and_gate, QK_COUNT(and_gate)},
        {"nand", "NAND", "NAND of x1 and x2: step(1.5 - x1 - x2). Gating OR by NAND gives XOR.",
         nand_gate, QK_COUNT(nand_gate)},
        {"nor", "NOR", "NOR of x1 and x2: step(0.5 - x1 - x2).", nor_gate, QK_COUNT(nor_gate)},
};

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;

	qk_unit_inputs in;
	qk_read_unit_inputs(p, X1, W1, BIAS, SLOPE, ACT, &in);
	const float v = qk_port_control(p, ports, V);
	qk_neuron(&in.unit, v, in.x, p->port[ATTEND], p->port[OUT], n);
}

const qk_plugin qk_plugin_neuron = {
        .descriptor = QK_MEMORYLESS(neuron, run),
        .slug = QK_SLUG_neuron,
        .name = "Quark Neuron",
        .shortdesc = "Standard Model neuron with an additive attending input",
        .comment =
                "Multiplexing, the additive activation quark: out = f(slope * (w1 x1 + w2 x2 + w3 "
                "x3 + w4 x4 + bias + v * attend)). A large negative attend weight v with a (0,1) "
                "attending signal forces a step or sigmoid unit off whatever its inputs (attention "
                "by suppression); a large positive v forces it on. With two inputs and the step "
                "activation it is a linear threshold gate (presets OR, AND, NAND, NOR).",
        .formula = "`out = f(slope*(sum_i w_i x_i + bias + v*attend))`",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
        .presets = presets,
        .n_presets = QK_COUNT(presets),
};
