/* SPDX-License-Identifier: ISC */
/* delay: out[n] = in[n - N], N >= 1 samples; what closes a loop of quarks. */
#include "glue.h"

#include "delay.h"
#include "denormal.h"

enum { IN, OUT, DELAY, TIME, N_PORTS };

#define QK_DELAY_MAX_SAMPLES 65536
#define QK_DELAY_MAX_MS 1000

static const qk_port ports[N_PORTS] = {
        [IN] = QK_AUDIO_INPUT("in", "Input", "Stream to delay. Unconnected: reads 0."),
        [OUT] = QK_AUDIO_OUTPUT("out", "Output",
                                "The input N samples ago, N = delay + time * rate / 1000 "
                                "(rounded), at least 1; 0 before the start."),
        /* Samples first: a loop means one time step, whatever the rate. */
        [DELAY] = {.type = QK_CONTROL_IN,
                   .symbol = "delay",
                   .name = "Delay",
                   .comment = "Delay in samples (time steps), added to the delay time. The total "
                              "is at least 1 sample, so a delay always closes a loop; 1 (the "
                              "default) is the shortest loop.",
                   .def = 1,
                   .min = 0,
                   .max = QK_DELAY_MAX_SAMPLES,
                   .unit = "frame",
                   .props = QK_INTEGER},
        /* ...and milliseconds, for a delay that means the same at every rate. */
        [TIME] = QK_CONTROL("time", "Delay time",
                            "Delay in milliseconds, rounded to whole samples at the sample rate "
                            "and added to the delay in samples.",
                            0.0, 0.0, QK_DELAY_MAX_MS, "ms"),
};

typedef struct {
	qk_delay_line line;
	float ring[]; /* line.ring: the longest delay at this rate */
} plugin_state;

/* The longest delay at a rate: both controls at their maximum. */
static uint32_t
longest_delay(double rate)
{
	return qk_delay_samples(rate, QK_DELAY_MAX_SAMPLES, QK_DELAY_MAX_MS);
}

/* A zeroed state set up, at instantiate and at activate (glue.h): the line
 * empty. */
static void
init(void *state, double rate)
{
	plugin_state *d = state;
	d->line = (qk_delay_line){d->ring, longest_delay(rate), 0};
}

/* bytes without the ring, which instantiate adds */
static const qk_state_kind kind = {sizeof(plugin_state), init};

static LV2_Handle
instantiate(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
            const LV2_Feature *const *features)
{
	(void)bundle_path;
	(void)features;
	if (!(rate > 0.0 && rate <= 1e8)) {
		return NULL;
	}
	/* All the memory run() will ever use, now. */
	return qk_instantiate_state_bytes(descriptor, rate,
	                                  sizeof(plugin_state) +
	                                          (size_t)longest_delay(rate) * sizeof(float));
}

static void
run(LV2_Handle h, uint32_t n)
{
	const qk_ports *p = (const qk_ports *)h;
	const qk_fp_mode mode = qk_denormals_off();
	const uint32_t delay =
	        qk_delay_samples(p->rate, qk_table_control(p->port[DELAY], &ports[DELAY]),
	                         qk_table_control(p->port[TIME], &ports[TIME]));
	qk_delay(&((plugin_state *)qk_state(h))->line, delay, p->port[IN], p->port[OUT], n);
	qk_denormals_restore(mode);
}

const qk_plugin qk_plugin_delay = {
        /* stateful, with its own instantiate: the line's length depends on the rate */
        .descriptor = {QK_URI_delay, instantiate, qk_connect_port, qk_activate_state, run, NULL,
                       qk_cleanup, qk_extension_data},
        .slug = QK_SLUG_delay,
        .name = "Quark Delay",
        .shortdesc = "A delay of N >= 1 samples, to close loops of quarks",
        .comment = "out[n] = in[n - N], 0 before the start. N = delay + round(time * rate / 1000) "
                   "samples, at least 1, at most 65536 samples plus one second. Every feedback "
                   "loop of quarks passes through one: with a delay in the loop each sample is "
                   "defined from earlier ones, so the loop computes the same at every block size. "
                   "The input is stored sanitised (NaN comes out as 0, +-Inf as +-1e12, denormals "
                   "as 0); activate empties the line. A change of delay jumps to the new tap at "
                   "once (no crossfade).",
        .formula =
                "`out[n] = in[n - N]`, N = delay + round(time*rate/1000) >= 1; 0 before the start",
        .klass = "DelayPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
        .state = &kind,
};
