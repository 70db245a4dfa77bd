/* SPDX-License-Identifier: ISC */
/* softmax-16: a_i = exp(s_i / T) / sum_j exp(s_j / T) over up to 16 connected
 * scores: the normalisation of one query over the keys of a head wider than
 * four tokens (tools/attention/gen_head.py patches it for n > 4). */
#include "glue.h"

#include "denormal.h"
#include "softmax_wide.h"
#include "unit.h"

#define WIDTH 16

enum { S0 = 0, A0 = S0 + WIDTH, TEMP = A0 + WIDTH, N_PORTS };

#define SCORE(i)                                                                                 \
	{                                                                                        \
		.type = QK_AUDIO_IN, .symbol = "s" #i, .name = "Score " #i,                      \
		.comment = "Score s" #i                                                          \
		           ". Unconnected: left out of the softmax, and Attention " #i " is 0.", \
		.props = QK_OPTIONAL, .group = "scores"                                          \
	}
#define WEIGHT(i)                                                                    \
	{                                                                            \
		.type = QK_AUDIO_OUT, .symbol = "a" #i, .name = "Attention " #i,     \
		.comment = "Softmax weight a" #i                                     \
		           ", in [0, 1]; the weights of connected scores sum to 1.", \
		.group = "weights"                                                   \
	}
#define PAIR(i) [S0 + (i)-1] = SCORE(i), [A0 + (i)-1] = WEIGHT(i)

static const qk_port ports[N_PORTS] = {
        PAIR(1),
        PAIR(2),
        PAIR(3),
        PAIR(4),
        PAIR(5),
        PAIR(6),
        PAIR(7),
        PAIR(8),
        PAIR(9),
        PAIR(10),
        PAIR(11),
        PAIR(12),
        PAIR(13),
        PAIR(14),
        PAIR(15),
        PAIR(16),
        [TEMP] = QK_TEMPERATURE(
                "Temperature T: low values sharpen the softmax towards the largest score."),
};

static const qk_port_group groups[] = {
        {"scores", "Scores", QK_GROUP_IN},
        {"weights", "Attention weights", QK_GROUP_OUT},
};

_Static_assert(WIDTH <= QK_SOFTMAX_WIDE_MAX, "the kernel is that wide");

static void
run(LV2_Handle instance, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)instance;
	const qk_fp_mode mode = qk_denormals_off();

	const float temp = qk_port_control(p, ports, TEMP);
	const float *s[WIDTH];
	float *a[WIDTH];
	for (uint32_t j = 0; j < WIDTH; ++j) {
		s[j] = p->port[S0 + j];
		a[j] = p->port[A0 + j];
	}
	qk_softmax_wide(temp, s, a, WIDTH, n);
	qk_denormals_restore(mode);
}

const qk_plugin qk_plugin_softmax_16 = {
        .descriptor = QK_MEMORYLESS(softmax_16, run),
        .slug = QK_SLUG_softmax_16,
        .name = "Quark Softmax 16",
        .shortdesc = "Softmax across sixteen streams",
        .comment = "Softmax across units: a_i = exp(s_i / T) / sum_j exp(s_j / T), computed stably "
                   "(largest score subtracted first), over up to 16 scores: one query's "
                   "normalisation in an attention head of up to 16 tokens. An unconnected score "
                   "takes no part and its output is 0. With four scores connected it computes "
                   "exactly what softmax does.",
        .formula = "`a_i = exp(s_i/T) / sum_j exp(s_j/T)` over connected scores (up to 16)",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
        .groups = groups,
        .n_groups = QK_COUNT(groups),
};
