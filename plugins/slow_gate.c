/* SPDX-License-Identifier: ISC */
/* slow-gate: an output gate whose gate builds up with one time constant and
 * fades with another: out = in * G, G the gate smoothed (QUARKS.md). */
#include "glue.h"

#include "denormal.h"
#include "slow_gate.h"

enum { IN, GATE, OUT, LEVEL, ATTACK, RELEASE, N_PORTS };

/* Both outputs: a synth user wants the gated input (a VCA whose control has
 * an attack and a release), an attention researcher the smoothed gate G
 * itself, to patch as the slow attending signal into any other quark (the
 * gate of an output gate, a synaptic gate's g_i, a neuron's attend). */
static const qk_port ports[N_PORTS] = {
        [IN] = QK_AUDIO_INPUT("in", "Input", "Attended stream O_i. Unconnected: reads 0."),
        [GATE] = QK_AUDIO_INPUT("gate", "Gate",
                                "Attending stream O_k, the gate g before smoothing. Unconnected: "
                                "reads 1 (G rises to 1 with the attack time)."),
        [OUT] = QK_AUDIO_OUTPUT("out", "Output", "Gated stream in * G."),
        [LEVEL] = QK_AUDIO_OUTPUT(
                "level", "Smoothed gate",
                "The smoothed gate G itself, to gate other quarks with the same slow attention."),
        [ATTACK] = QK_CONTROL("attack", "Attack",
                              "Time constant in seconds while the gate rises above G: G gets to 1 "
                              "- 1/e of a step up in this time. 0 follows at once.",
                              0.01, 0.0, 100.0, "s"),
        [RELEASE] = QK_CONTROL(
                "release", "Release",
                "Time constant in seconds while the gate is at or below G: attention stays this "
                "long after its cue is gone (down to 1/e). 0 follows at once.",
                0.5, 0.0, 100.0, "s"),
};

typedef struct {
	qk_decay_cache attack, release;
	double state; /* G[n-1] */
} plugin_state;

/* A zeroed state set up, at instantiate and at activate (glue.h). */
static void
init(void *state, double rate)
{
	(void)rate;
	plugin_state *g = state;
	qk_decay_cache_init(&g->attack);
	qk_decay_cache_init(&g->release);
}

static const qk_state_kind kind = {sizeof(plugin_state), init};

static void
run(LV2_Handle h, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)h;
	plugin_state *g = qk_state(h);
	const qk_fp_mode mode = qk_denormals_off();

	const qk_decay attack = qk_decay_cached(
	        &g->attack, qk_table_control(p->port[ATTACK], &ports[ATTACK]), p->rate);
	const qk_decay release = qk_decay_cached(
	        &g->release, qk_table_control(p->port[RELEASE], &ports[RELEASE]), p->rate);
	qk_slow_gate(attack, release, &g->state, p->port[IN], p->port[GATE], p->port[OUT],
	             p->port[LEVEL], n);
	qk_denormals_restore(mode);
}

const qk_plugin qk_plugin_slow_gate = {
        .descriptor = QK_STATEFUL(slow_gate, run),
        .slug = QK_SLUG_slow_gate,
        .name = "Quark Slow Gate",
        .shortdesc =
                "Output gating with an attack and a release: attention that builds up and fades",
        .comment =
                "The gate g is smoothed, G[n] = b G[n-1] + (1 - b) g[n], with b = exp(-1 / (attack "
                "* rate)) while g > G (rising) and exp(-1 / (release * rate)) otherwise, and out = "
                "in * G. A cue on the gate is attended within the attack time and stays attended "
                "after it is gone, fading with the release time: the same times at every sample "
                "rate, the same output at every block size. Two outputs, for both uses: the gated "
                "input (a VCA whose control has an attack and a release, as a synth user expects) "
                "and G itself (the slow attending signal, to gate other quarks: an output gate's "
                "gate, a synaptic gate's g_i, a neuron's attend). G starts at 0 (activate resets "
                "it); a NaN gate reads 0 at once, and G below 1.2e-38 is 0.",
        .formula = "`G[n] = b*G[n-1] + (1-b)*gate`, b = alpha(attack) if gate > G else "
                   "alpha(release); `out = in*G`, `level = G`",
        .klass = "EnvelopePlugin",
        .ports = ports,
        .n_ports = N_PORTS,
        .state = &kind,
};
