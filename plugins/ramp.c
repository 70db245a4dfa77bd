/* SPDX-License-Identifier: ISC */
/* ramp: a sawtooth from `from` towards `to` once a period (the graph's `ramp`). */
#include "source_plugin.h"

enum { OUT, PERIOD, FROM, TO, PHASE, N_PORTS };

static const qk_port ports[N_PORTS] = {
        [OUT] = QK_SOURCE_OUTPUT("from + (to - from) * frac(n / P + phase); n counts samples from "
                                 "activation, P = period * sample rate."),
        [PERIOD] = QK_SOURCE_PERIOD,
        [FROM] = QK_SOURCE_LEVEL("from", "From", "Value at the start of each cycle.", 0.0),
        [TO] = QK_SOURCE_LEVEL("to", "To", "Value approached at the end of each cycle.", 1.0),
        [PHASE] = QK_SOURCE_PHASE,
};

static void
run(LV2_Handle instance, uint32_t n)
{
	qk_source_instance *s = (qk_source_instance *)instance;
	s->source.kind = QK_SRC_RAMP;
	s->source.period = qk_source_period(s, PERIOD);
	s->source.from = qk_source_setting(s, FROM);
	s->source.to = qk_source_setting(s, TO);
	s->source.phase = qk_source_setting(s, PHASE);
	qk_source_write(s, n);
}

const qk_plugin qk_plugin_ramp = {
        .descriptor = QK_SOURCE_DESCRIPTOR(ramp, run),
        .slug = QK_SLUG_ramp,
        .name = "Quark Ramp",
        .shortdesc = "A sawtooth ramp counted from activation",
        .comment = "The renderer's ramp source as a plugin: out = from + (to - from) * frac(n / P "
                   "+ phase), with n the samples since activation and P = period * sample rate, "
                   "computed in double and rounded once to float, as quarks render computes "
                   "`source x = ramp period=... from=... to=... phase=...`.",
        .formula = "`out = from + (to - from)*frac(n/P + phase)`, `P = period*rate`",
        .klass = "OscillatorPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
