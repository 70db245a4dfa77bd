/* SPDX-License-Identifier: ISC */
/* What additive-synapse and synaptic-gate share: a unit with one gate stream
 * per synapse. Both have the same ports at the same indices (a patch of one
 * becomes the other by a change of URI) and the same run() around their own
 * kernel; they differ in what a gate does to its weight (adds to it or
 * multiplies it), so in the gate ports' text and in what an unconnected gate
 * reads. */
#ifndef QK_GATED_SYNAPSE_H
#define QK_GATED_SYNAPSE_H

#include "glue.h"

enum {
	QK_GS_X1 = 0,
	QK_GS_G1 = QK_GS_X1 + QK_INPUTS,
	QK_GS_OUT = QK_GS_G1 + QK_INPUTS,
	QK_GS_W1,
	QK_GS_BIAS = QK_GS_W1 + QK_INPUTS,
	QK_GS_SLOPE,
	QK_GS_ACT,
	QK_GS_N_PORTS
};

/* The port table; gate(i) is the entry of gate stream i. */
#define QK_GATED_SYNAPSE_PORTS(gate)                                                              \
	{                                                                                         \
		QK_UNIT_INPUTS(QK_GS_X1),                                                         \
		        [QK_GS_G1] = gate(1), [QK_GS_G1 + 1] = gate(2), [QK_GS_G1 + 2] = gate(3), \
		        [QK_GS_G1 + 3] = gate(4), [QK_GS_OUT] = QK_UNIT_OUTPUT,                   \
		        QK_UNIT_WEIGHTS(QK_GS_W1), [QK_GS_BIAS] = QK_UNIT_BIAS,                   \
		        [QK_GS_SLOPE] = QK_UNIT_SLOPE, [QK_GS_ACT] = QK_UNIT_ACT(QK_LINEAR),      \
	}

/* The kernel of either (dsp/additive_synapse.h, dsp/synaptic_gate.h). */
typedef void qk_gated_synapse_kernel(const qk_unit *u, const float *const x[QK_INPUTS],
                                     const float *const g[QK_INPUTS], float *out, uint32_t n);

/* run(): inline, so that the kernel is a direct call. */
static inline void
qk_gated_synapse_run(LV2_Handle instance, qk_gated_synapse_kernel *kernel, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	qk_unit_inputs in;
	qk_read_unit_inputs(p, QK_GS_X1, QK_GS_W1, QK_GS_BIAS, QK_GS_SLOPE, QK_GS_ACT, &in);
	const float *g[QK_INPUTS];
	qk_read_streams(p, QK_GS_G1, g);
	kernel(&in.unit, in.x, g, p->port[QK_GS_OUT], n);
}

#endif
