/* SPDX-License-Identifier: ISC */
/* additive-synapse: out = f(slope * (sum (w_i + g_i) x_i + bias)). */
#include "glue.h"

#include "additive_synapse.h"

enum { X1, X2, X3, X4, G1, G2, G3, G4, OUT, W1, W2, W3, W4, BIAS, SLOPE, ACT, N_PORTS };

#define GATE(i)                            \
	QK_AUDIO_INPUT("g" #i, "Gate " #i, \
	               "Gate stream added to weight w" #i ". Unconnected: reads 0.")

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

	qk_additive_synapse(&u, x, g, p->port[OUT], n);
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
        .n_ports = N_PORTS,
};
