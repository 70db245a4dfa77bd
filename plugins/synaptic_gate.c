/* SPDX-License-Identifier: ISC */
/* synaptic-gate: synaptic gating, out = f(slope * (sum w_i g_i x_i + bias)); an
 * unconnected g_i leaves synapse i at its static weight. */
#include "gated_synapse.h"

#include "synaptic_gate.h"

#define GATE(i)                                                 \
	QK_GATE_INPUT("g" #i, "Gate " #i,                       \
	              "Gate stream that multiplies weight w" #i \
	              ". Unconnected: reads 1, so synapse " #i " keeps its static weight.")

static const qk_port ports[QK_GS_N_PORTS] = QK_GATED_SYNAPSE_PORTS(GATE);

static void
run(LV2_Handle instance, uint32_t n)
{
	qk_gated_synapse_run(instance, qk_synaptic_gate, n);
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
        .n_ports = QK_GS_N_PORTS,
};
