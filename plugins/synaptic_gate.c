/* SPDX-License-Identifier: ISC */
/* synaptic-gate: synaptic gating, out = f(slope * (sum w_i g_i x_i + bias)); an
 * unconnected g_i leaves synapse i at its static weight. */
#include "glue.h"

#include "synaptic_gate.h"

enum { X1, X2, X3, X4, G1, G2, G3, G4, OUT, W1, W2, W3, W4, BIAS, SLOPE, ACT, N_PORTS };

#define GATE(i)                                                 \
	QK_GATE_INPUT("g" #i, "Gate " #i,                       \
	              "Gate stream that multiplies weight w" #i \
	              ". Unconnected: reads 1, so synapse " #i " keeps its static weight.")

static const qk_port ports[N_PORTS] = {
        QK_UNIT_INPUTS(X1),      [G1] = GATE(1),
        [G2] = GATE(2),          [G3] = GATE(3),
        [G4] = GATE(4),          [OUT] = QK_UNIT_OUTPUT,
        QK_UNIT_WEIGHTS(W1),     [BIAS] = QK_UNIT_BIAS,
        [SLOPE] = QK_UNIT_SLOPE, [ACT] = QK_UNIT_ACT(QK_LINEAR),
};

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;

	qk_unit u;
	qk_read_unit(p, W1, BIAS, SLOPE, ACT, &u);
	const float *x[QK_INPUTS];
	qk_read_streams(p, X1, x);
	const float *g[QK_INPUTS];
	qk_read_streams(p, G1, g);

	qk_synaptic_gate(&u, x, g, p->port[OUT], n);
}

const qk_plugin qk_plugin_synaptic_gate = {
        .descriptor = QK_MEMORYLESS(synaptic_gate, run),
        .slug = QK_SLUG_synaptic_gate,
        .name = "Quark Synaptic Gate",
        .shortdesc = "Synaptic gating: gate streams scale individual weights",
        .comment = "Synaptic gating, the multiplicative synaptic quark: out = f(slope * (w1 g1 x1 "
                   "+ w2 g2 x2 + w3 g3 x3 + w4 g4 x4 + bias)). Each gate stream changes one "
                   "synapse only: a fast weight, set at signal rate by the attending network.",
        .formula = "`out = f(slope*(sum_i w_i g_i x_i + bias))`",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
