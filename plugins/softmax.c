/* SPDX-License-Identifier: ISC */
/* softmax: a_i = exp(s_i / T) / sum_j exp(s_j / T) over the connected scores. */
#include "glue.h"

#include "softmax.h"
#include "unit.h"

enum { S1, S2, S3, S4, A1, A2, A3, A4, TEMP, N_PORTS };

#define SCORE(i)                                                                                 \
	{                                                                                        \
		.type = QK_AUDIO_IN, .symbol = "s" #i, .name = "Score " #i,                      \
		.comment =                                                                       \
		        "Score s" #i ". Unconnected: left out of the softmax, and Attention " #i \
		        " is 0. In a host that feeds an open input with silence (Carla, jalv, "  \
		        "Ardour) it reads 0 and takes part.",                                    \
		.props = QK_OPTIONAL | QK_OPEN_LEFT_OUT                                          \
	}
#define WEIGHT(i)                                \
	QK_AUDIO_OUTPUT("a" #i, "Attention " #i, \
	                "Softmax weight a" #i    \
	                ", in [0, 1]; the weights of connected scores sum to 1.")

static const qk_port ports[N_PORTS] = {
        [S1] = SCORE(1),
        [S2] = SCORE(2),
        [S3] = SCORE(3),
        [S4] = SCORE(4),
        [A1] = WEIGHT(1),
        [A2] = WEIGHT(2),
        [A3] = WEIGHT(3),
        [A4] = WEIGHT(4),
        [TEMP] = QK_TEMPERATURE(
                "Temperature T: low values sharpen the softmax towards the largest score."),
};

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;

	const float temp = qk_port_control(p, ports, TEMP);
	const float *const s[QK_SOFTMAX_WIDTH] = {p->port[S1], p->port[S2], p->port[S3],
	                                          p->port[S4]};
	float *const a[QK_SOFTMAX_WIDTH] = {p->port[A1], p->port[A2], p->port[A3], p->port[A4]};

	qk_softmax(temp, s, a, n);
}

const qk_plugin qk_plugin_softmax = {
        .descriptor = QK_MEMORYLESS(softmax, run),
        .slug = QK_SLUG_softmax,
        .name = "Quark Softmax",
        .shortdesc = "Softmax across four streams",
        .comment = "Softmax across units: a_i = exp(s_i / T) / sum_j exp(s_j / T), computed stably "
                   "(largest score subtracted first). An unconnected score takes no part and its "
                   "output is 0.",
        .formula = "`a_i = exp(s_i/T) / sum_j exp(s_j/T)` over connected scores",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
