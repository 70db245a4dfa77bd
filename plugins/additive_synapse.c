/* SPDX-License-Identifier: ISC */
/* additive-synapse: out = f(slope * (sum (w_i + g_i) x_i + bias)). */
#include "gated_synapse.h"

#include "additive_synapse.h"

#define GATE(i)                            \
	QK_AUDIO_INPUT("g" #i, "Gate " #i, \
	               "Gate stream added to weight w" #i ". Unconnected: reads 0.")

static const qk_port ports[QK_GS_N_PORTS] = QK_GATED_SYNAPSE_PORTS(GATE);

static void
run(LV2_Handle instance, uint32_t n)
{
	qk_gated_synapse_run(instance, qk_additive_synapse, n);
}

const qk_plugin qk_plugin_additive_synapse = {
        .descriptor = QK_MEMORYLESS(additive_synapse, run),
        .slug = QK_SLUG_additive_synapse,
        .name = "Quark Additive Synapse",
        .shortdesc = "Additive synaptic attention: gate streams add to weights",
        .comment = "The additive synaptic quark: out = f(slope * ((w1 + g1) x1 + (w2 + g2) x2 + "
                   "(w3 + g3) x3 + (w4 + g4) x4 + bias)). Each gate stream adds the quadratic term "
                   "g_i x_i to the activation.",
        .formula = "`out = f(slope*(sum_i (w_i + g_i) x_i + bias))`",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = QK_GS_N_PORTS,
};
