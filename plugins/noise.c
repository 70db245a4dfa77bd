/* SPDX-License-Identifier: ISC */
/* noise: offset + amp * u(seed, n), SplitMix64 white noise (the graph's `noise`). */
#include "source_plugin.h"

#include "unit.h"

#include <math.h>

enum { OUT, SEED, AMP, OFFSET, N_PORTS };

/* Seeds are whole numbers a float control holds exactly (2^24 - 1 at most). */
#define SEED_MAX 16777215.0

static const qk_port ports[N_PORTS] = {
        [OUT] = QK_SOURCE_OUTPUT("offset + amp * u(seed, n), u uniform on [-1, 1); n counts "
                                 "samples from activation."),
        [SEED] = {.type = QK_CONTROL_IN,
                  .symbol = "seed",
                  .name = "Seed",
                  .comment = "Seed of the generator: the same seed gives the same noise in every "
                             "host and at every block size.",
                  .def = 0.0,
                  .min = 0.0,
                  .max = SEED_MAX,
                  .props = QK_INTEGER},
        [AMP] = QK_SOURCE_LEVEL("amp", "Amplitude", "Amplitude of the noise.", 1.0),
        [OFFSET] = QK_SOURCE_LEVEL("offset", "Offset", "Value added to the noise.", 0.0),
};

static void
run(LV2_Handle instance, uint32_t n)
{
	qk_source_instance *s = (qk_source_instance *)instance;
	s->source.kind = QK_SRC_NOISE;
	/* An integer port: the nearest whole number, in range. */
	s->source.seed = (uint64_t)nearbyint(qk_source_setting(s, SEED));
	s->source.amp = qk_source_setting(s, AMP);
	s->source.offset = qk_source_setting(s, OFFSET);
	qk_source_write(s, n);
}

const qk_plugin qk_plugin_noise = {
        .descriptor = QK_SOURCE_DESCRIPTOR(noise, run),
        .slug = QK_SLUG_noise,
        .name = "Quark Noise",
        .shortdesc = "Seeded white noise counted from activation",
        .comment = "The renderer's noise source as a plugin: out = offset + amp * u(seed, n), with "
                   "u the SplitMix64 generator at counter n + 1 mapped to [-1, 1) in steps of "
                   "2^-23 (docs/graph.md) and n the samples since activation, as quarks render "
                   "computes `source x = noise seed=... amp=... offset=...`.",
        .formula = "`out = offset + amp*u(seed, n)`, u = SplitMix64 at n+1 on [-1, 1)",
        .klass = "GeneratorPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
