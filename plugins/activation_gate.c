/* SPDX-License-Identifier: ISC */
/* activation-gate: out = f(slope * gate * (sum w_i x_i + bias)). */
#include "glue.h"

#include "activation_gate.h"

enum { X1, X2, X3, X4, GATE, OUT, W1, W2, W3, W4, BIAS, SLOPE, ACT, N_PORTS };

static const qk_port ports[N_PORTS] = {
        QK_UNIT_INPUTS(X1),
        [GATE] = QK_GATE_INPUT(
                "gate", "Gate",
                "Attending stream that multiplies the activation. Unconnected: reads 1."),
        [OUT] = QK_UNIT_OUTPUT,
        QK_UNIT_WEIGHTS(W1),
        [BIAS] = QK_UNIT_BIAS,
        [SLOPE] = QK_UNIT_SLOPE,
        [ACT] = QK_UNIT_ACT(QK_LINEAR),
};

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;

	qk_unit_inputs in;
	qk_read_unit_inputs(p, X1, W1, BIAS, SLOPE, ACT, &in);
	qk_activation_gate(&in.unit, in.x, p->port[GATE], p->port[OUT], n);
}

const qk_plugin qk_plugin_activation_gate = {
        .descriptor = QK_MEMORYLESS(activation_gate, run),
        .slug = QK_SLUG_activation_gate,
        .name = "Quark Activation Gate",
        .shortdesc = "Activation gating: a stream multiplies the activation",
        .comment = "Activation gating, the multiplicative activation quark: out = f(slope * gate * "
                   "(w1 x1 + w2 x2 + w3 x3 + w4 x4 + bias)). For linear or relu and a non-negative "
                   "gate it equals output gating.",
        .formula = "`out = f(slope*gate*(sum_i w_i x_i + bias))`",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
