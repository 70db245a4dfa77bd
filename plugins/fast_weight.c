/* SPDX-License-Identifier: ISC */
/* fast-weight: a unit whose synapses are a memory the attending network
 * writes, A_j[n] = lambda A_j[n-1] + (eta / rate) u[n] k_j[n] (QUARKS.md). */
#include "glue.h"

#include "denormal.h"
#include "fast_weight.h"

enum {
	X1,
	X2,
	X3,
	X4,
	K1,
	K2,
	K3,
	K4,
	WRITE,
	OUT,
	A1,
	A2,
	A3,
	A4,
	W1,
	W2,
	W3,
	W4,
	BIAS,
	SLOPE,
	ACT,
	DECAY,
	ETA,
	N_PORTS
};

#define KEY(i)                                                                             \
	QK_AUDIO_INPUT("k" #i, "Key " #i,                                                  \
	               "Write key k" #i ": how much of each write goes to fast weight " #i \
	               ". Unconnected: reads 0 (never written).")
#define FAST(i)                                                \
	QK_AUDIO_OUTPUT("a" #i, "Fast weight " #i,             \
	                "The fast weight A" #i " of input " #i \
	                ", to watch the memory or patch it on.")
/* Static weights default to 0, unlike the other units: a memory starts
 * empty, and the output is what has been written (linear attention is w = 0). */
#define WEIGHT(i)                     \
	QK_COEF("w" #i, "Weight " #i, \
	        "Static weight w" #i " of input " #i "; its fast weight adds to it.", 0.0)

static const qk_port ports[N_PORTS] = {
        QK_UNIT_INPUTS(X1),
        [K1] = KEY(1),
        [K2] = KEY(2),
        [K3] = KEY(3),
        [K4] = KEY(4),
        [WRITE] = QK_AUDIO_INPUT("write", "Write",
                                 "Write stream u: what is written, to fast weight j in proportion "
                                 "to key j. Unconnected: reads 0 (nothing is learnt)."),
        [OUT] = QK_UNIT_OUTPUT,
        [A1] = FAST(1),
        [A2] = FAST(2),
        [A3] = FAST(3),
        [A4] = FAST(4),
        [W1] = WEIGHT(1),
        [W2] = WEIGHT(2),
        [W3] = WEIGHT(3),
        [W4] = WEIGHT(4),
        [BIAS] = QK_UNIT_BIAS,
        [SLOPE] = QK_UNIT_SLOPE,
        [ACT] = QK_UNIT_ACT(QK_LINEAR),
        [DECAY] = QK_CONTROL(
                "decay", "Decay time",
                "Time constant in seconds of the memory: a fast weight falls to 1/e of its value "
                "in this time. 0 forgets at once (A = eta / rate * u * k at each sample).",
                10.0, 0.0, 3600.0, "s"),
        [ETA] = QK_CONTROL(
                "eta", "Write rate",
                "Write rate eta per second: writing u * k_j = 1 for a time t adds eta * t to fast "
                "weight j (eta / rate per sample), so a write means the same at every sample rate. "
                "Fast weights saturate at +-100, the range of a static weight.",
                100.0, -100000.0, 100000.0, "hz"),
};

typedef struct {
	qk_decay_cache decay;
	double a[QK_INPUTS]; /* A_j[n-1] */
} plugin_state;

/* A zeroed state set up, at instantiate and at activate (glue.h). */
static void
init(void *state, double rate)
{
	(void)rate;
	qk_decay_cache_init(&((plugin_state *)state)->decay);
}

static const qk_state_kind kind = {sizeof(plugin_state), init};

static void
run(LV2_Handle h, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)h;
	plugin_state *f = qk_state(h);
	const qk_fp_mode mode = qk_denormals_off();

	qk_unit u;
	qk_table_unit(p->port, ports, W1, BIAS, SLOPE, ACT, &u);
	const qk_decay k = qk_decay_cached(
	        &f->decay, qk_table_control(p->port[DECAY], &ports[DECAY]), p->rate);
	const double c = (double)qk_table_control(p->port[ETA], &ports[ETA]) / p->rate;
	const float *x[QK_INPUTS], *key[QK_INPUTS];
	qk_read_streams(p, X1, x);
	qk_read_streams(p, K1, key);
	float *fast[QK_INPUTS] = {p->port[A1], p->port[A2], p->port[A3], p->port[A4]};

	qk_fast_weight(&u, k.alpha, c, f->a, x, key, p->port[WRITE], p->port[OUT], fast, n);
	qk_denormals_restore(mode);
}

const qk_plugin qk_plugin_fast_weight = {
        .descriptor = QK_STATEFUL(fast_weight, run),
        .slug = QK_SLUG_fast_weight,
        .name = "Quark Fast-Weight Synapse",
        .shortdesc = "A unit whose synaptic weights are a memory written by streams",
        .comment =
                "Synaptic gating as a memory: each input x_j has a fast weight A_j on top of its "
                "static weight w_j, written by the streams u (what) and k_j (where) and fading "
                "with the decay time: A_j[n] = lambda A_j[n-1] + (eta / rate) u[n] k_j[n], lambda "
                "= exp(-1 / (decay * rate)), saturated at +-100; out = f(slope * (sum_j (w_j + "
                "A_j) x_j + bias)). Write a value once with its key, read it back later by "
                "presenting the key on the inputs. One synapse per value channel with u = v, k = "
                "phi(key), x = phi(query) and w = 0 is causal linear attention over the whole past "
                "of the stream, at a constant cost per sample. Hebbian learning: feed the unit's "
                "output into u and its inputs into k, each through a one-sample delay. The fast "
                "weights start at 0 (activate clears them); NaN inputs read 0 at once.",
        .formula = "`A_j[n] = lambda*A_j[n-1] + (eta/rate)*write*k_j`, clamped to +-100, lambda = "
                   "exp(-1/(decay*rate)); `out = f(slope*(sum_j (w_j + A_j) x_j + bias))`, `a_j = "
                   "A_j`",
        .klass = "FunctionPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
        .state = &kind,
};
