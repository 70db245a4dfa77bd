/* SPDX-License-Identifier: ISC */
/* pulse: a pulse (square) wave, high while frac(n / P + phase) < duty (the graph's `pulse`). */
#include "source_plugin.h"

enum { OUT, PERIOD, DUTY, PHASE, LOW, HIGH, N_PORTS };

static const qk_port ports[N_PORTS] = {
        [OUT] = QK_SOURCE_OUTPUT("high while frac(n / P + phase) < duty, else low; n counts "
                                 "samples from activation, P = period * sample rate."),
        [PERIOD] = QK_SOURCE_PERIOD,
        [DUTY] = QK_CONTROL("duty", "Duty cycle", "Fraction of each cycle at the high level.", 0.5,
                            0.0, 1.0, "coef"),
        [PHASE] = QK_SOURCE_PHASE,
        [LOW] = QK_SOURCE_LEVEL("low", "Low", "Level for the rest of the cycle.", 0.0),
        [HIGH] = QK_SOURCE_LEVEL("high", "High",
                                 "Level at the start of each cycle, for duty of it.", 1.0),
};

static void
run(LV2_Handle instance, uint32_t n)
{
	qk_source_instance *s = (qk_source_instance *)instance;
	s->source.kind = QK_SRC_PULSE;
	s->source.period = qk_source_period(s, PERIOD);
	s->source.duty = qk_source_setting(s, DUTY);
	s->source.phase = qk_source_setting(s, PHASE);
	s->source.low = qk_source_setting(s, LOW);
	s->source.high = qk_source_setting(s, HIGH);
	qk_source_write(s, n);
}

const qk_plugin qk_plugin_pulse = {
        .descriptor = QK_SOURCE_DESCRIPTOR(pulse, run),
        .slug = QK_SLUG_pulse,
        .name = "Quark Pulse",
        .shortdesc = "A pulse (square) wave counted from activation",
        .comment = "The renderer's pulse (square) source as a plugin: out = high if frac(n / P + "
                   "phase) < duty, else low, with n the samples since activation and P = period * "
                   "sample rate, computed in double and rounded once to float, as quarks render "
                   "computes `source x = pulse period=... duty=... phase=... low=... high=...`.",
        .formula = "`out = high if frac(n/P + phase) < duty else low`, `P = period*rate`",
        .klass = "OscillatorPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
