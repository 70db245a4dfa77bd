/* SPDX-License-Identifier: ISC */
/* leaky: the neuron with a membrane time constant,
 * S[n] = alpha S[n-1] + (1 - alpha) u[n], out = f(S), u the neuron's drive. */
#include "glue.h"

#include "denormal.h"
#include "leaky.h"

enum { X1, X2, X3, X4, ATTEND, OUT, W1, W2, W3, W4, BIAS, V, SLOPE, ACT, TAU, N_PORTS };

/* The neuron's ports at the neuron's indices, and the time constant last: a
 * patch of neurons becomes a patch of leaky units by a change of URI. */
static const qk_port ports[N_PORTS] = {
        QK_UNIT_INPUTS(X1),
        [ATTEND] = QK_AUDIO_INPUT(
                "attend", "Attend",
                "Attending signal O_k, added to the drive as v * attend. Unconnected: reads 0."),
        [OUT] = QK_AUDIO_OUTPUT("out", "Output", "Output O = f(S) of the unit, S its leaky state."),
        QK_UNIT_WEIGHTS(W1),
        [BIAS] = QK_UNIT_BIAS,
        [V] = QK_COEF("v", "Attend weight", "Weight v of the attending signal in the drive.", 1.0),
        [SLOPE] = QK_COEF("slope", "Slope",
                          "Gain on the drive before it is integrated: large values turn sigmoid or "
                          "tanh into hard gates.",
                          1.0),
        [ACT] = QK_ACT_PORT("Activation", "Activation function f applied to the state S.",
                            QK_LINEAR),
        [TAU] = QK_CONTROL("tau", "Time constant",
                           "Membrane time constant tau in seconds: S follows a step of the drive "
                           "to 1 - 1/e in tau. 0 is the memoryless neuron.",
                           0.01, 0.0, 100.0, "s"),
};

typedef struct {
	qk_decay_cache tau;
	double state; /* S[n-1] */
} plugin_state;

/* A zeroed state set up, at instantiate and at activate (glue.h). */
static void
init(void *state, double rate)
{
	(void)rate;
	qk_decay_cache_init(&((plugin_state *)state)->tau);
}

static const qk_state_kind kind = {sizeof(plugin_state), init};

static void
run(LV2_Handle h, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)h;
	plugin_state *l = qk_state(h);
	const qk_fp_mode mode = qk_denormals_off();

	qk_unit u;
	qk_table_unit(p->port, ports, W1, BIAS, SLOPE, ACT, &u);
	const float v = qk_table_control(p->port[V], &ports[V]);
	const qk_decay k =
	        qk_decay_cached(&l->tau, qk_table_control(p->port[TAU], &ports[TAU]), p->rate);
	const float *x[QK_INPUTS];
	qk_read_streams(p, X1, x);

	qk_leaky(&u, v, k, &l->state, x, p->port[ATTEND], p->port[OUT], n);
	qk_denormals_restore(mode);
}

const qk_plugin qk_plugin_leaky = {
        .descriptor = QK_STATEFUL(leaky, run),
        .slug = QK_SLUG_leaky,
        .name = "Quark Leaky Unit",
        .shortdesc = "A neuron with a membrane time constant (leaky integrator)",
        .comment = "The neuron's drive u = slope * (w1 x1 + w2 x2 + w3 x3 + w4 x4 + bias + v * "
                   "attend) is integrated with time constant tau, S[n] = alpha S[n-1] + (1 - "
                   "alpha) u[n] with alpha = exp(-1 / (tau * rate)), and out = f(S): the exact "
                   "sampled solution of tau dS/dt = -S + u, so tau means the same at every sample "
                   "rate and the output is the same at every block size. tau = 0 is the neuron, "
                   "sample for sample. The state starts at 0 (activate resets it); a NaN input "
                   "reads 0 at once, and a state below 1.2e-38 is 0.",
        .formula = "`S[n] = alpha*S[n-1] + (1-alpha)*slope*(sum_i w_i x_i + bias + v*attend)`, "
                   "`out = f(S)`, alpha = exp(-1/(tau*rate))",
        .klass = "FilterPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
        .state = &kind,
};
