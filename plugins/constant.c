/* SPDX-License-Identifier: ISC */
/* constant: out = value, every sample (the graph's `source x = constant value=V`). */
#include "source_plugin.h"

enum { OUT, VALUE, N_PORTS };

static const qk_port ports[N_PORTS] = {
        [OUT] = QK_SOURCE_OUTPUT("The value, every sample."),
        [VALUE] = QK_SOURCE_LEVEL(
                "value", "Value",
                "The constant. 1 holds a gate open in a host whose open inputs read 0.", 1.0),
};

static void
run(LV2_Handle instance, uint32_t n)
{
	qk_source_instance *s = (qk_source_instance *)instance;
	s->source.kind = QK_SRC_CONSTANT;
	s->source.value = qk_source_setting(s, VALUE);
	qk_source_write(s, n);
}

const qk_plugin qk_plugin_constant = {
        .descriptor = QK_SOURCE_DESCRIPTOR(constant, run),
        .slug = QK_SLUG_constant,
        .name = "Quark Constant",
        .shortdesc = "A constant stream",
        .comment = "The renderer's constant source as a plugin: out = value. Hosts such as Carla, "
                   "jalv and Ardour feed an unconnected audio input with silence, so a gate left "
                   "open there reads 0, not the 1 it reads in quarks render; a constant 1 into the "
                   "gate holds it open in every host (quarks export --carla adds one).",
        .formula = "`out = value`",
        .klass = "GeneratorPlugin",
        .ports = ports,
        .n_ports = N_PORTS,
};
