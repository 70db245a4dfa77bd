/* SPDX-License-Identifier: ISC */
/* sine: offset + amp * sin(2 pi frac(n * freq / rate + phase)) (the graph's `sine`). */
#include "source_plugin.h"

enum { OUT, FREQ, AMP, OFFSET, PHASE, N_PORTS };

static const qk_port ports[N_PORTS] = {
        [OUT] = QK_SOURCE_OUTPUT("offset + amp * sin(2 pi frac(n * freq / rate + phase)); n counts "
                                 "samples from activation."),
        [FREQ] = {.type = QK_CONTROL_IN,
                  .symbol = "freq",
                  .name = "Frequency",
                  .comment = "Cycles per second.",
                  .def = 1.0,
                  .min = 0.001,
                  .max = 20000.0,
                  .unit = "hz",
                  .props = QK_LOGARITHMIC},
        [AMP] = QK_SOURCE_LEVEL("amp", "Amplitude", "Amplitude of the sine.", 1.0),
        [OFFSET] = QK_SOURCE_LEVEL("offset", "Offset", "Value added to the sine.", 0.0),
        [PHASE] = QK_SOURCE_PHASE,
};

static void
run(LV2_Handle instance, uint32_t n)
{
	qk_source_instance *s = (qk_source_instance *)instance;
	s->source.kind = QK_SRC_SINE;
	s->source.freq = qk_source_freq(s, FREQ);
	s->source.amp = qk_source_setting(s, AMP);
	s->source.offset = qk_source_setting(s, OFFSET);
	s->source.phase = qk_source_setting(s, PHASE);
	qk_source_write(s, n);
}

const qk_plugin qk_plugin_sine = {
        .descriptor = QK_SOURCE_DESCRIPTOR(sine, run),
        .slug = QK_SLUG_sine,
        .name = "Quark Sine",
        .shortdesc = "A sine wave counted from activation",
        .comment = "The renderer's sine source as a plugin: out = offset + amp * sin(2 pi frac(n * "
                   "freq / rate + phase)), with n the samples since activation, computed in double "
                   "and rounded once to float, as quarks render computes `source x = sine freq=... "
                   "amp=... offset=... phase=...`.",
        .formula = "`out = offset + amp*sin(2 pi frac(n*freq/rate + phase))`",
        .klass = "OscillatorPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
