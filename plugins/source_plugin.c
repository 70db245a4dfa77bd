/* SPDX-License-Identifier: ISC */
#include "source_plugin.h"

#include "decimal.h"
#include "unit.h"

#include <math.h>
#include <stdlib.h>

LV2_Handle
qk_source_instantiate(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
                      const LV2_Feature *const *features)
{
	(void)bundle_path;
	(void)features;
	/* A rate the period and frequency conversions cannot use. */
	if (!(rate >= 1.0 && rate <= 1e7)) {
		return NULL;
	}
	const qk_plugin *plugin = (const qk_plugin *)descriptor;
	qk_source_instance *s = calloc(1, sizeof *s);
	if (s) {
		s->plugin = plugin;
		s->rate = rate;
		s->source = qk_source_make(QK_SRC_CONSTANT);
	}
	return s;
}

void
qk_source_connect_port(LV2_Handle instance, uint32_t port, void *data)
{
	qk_source_instance *s = (qk_source_instance *)instance;
	if (port < s->plugin->n_ports && port < QK_SOURCE_MAX_PORTS) {
		s->port[port] = (float *)data;
	}
}

void
qk_source_activate(LV2_Handle instance)
{
	qk_source_seek(&((qk_source_instance *)instance)->source, 0);
}

void
qk_source_cleanup(LV2_Handle instance)
{
	free(instance);
}

double
qk_source_setting(const qk_source_instance *s, uint32_t port)
{
	const qk_port *p = &s->plugin->ports[port];
	const float raw = s->port[port] ? *s->port[port] : (float)p->def;
	return qk_decimal(qk_control(raw, (float)p->min, (float)p->max, (float)p->def));
}

double
qk_source_period(const qk_source_instance *s, uint32_t port)
{
	return qk_source_setting(s, port) * s->rate;
}

double
qk_source_freq(const qk_source_instance *s, uint32_t port)
{
	return qk_source_setting(s, port) / s->rate;
}

void
qk_source_write(qk_source_instance *s, uint32_t n)
{
	if (s->port[0]) {
		qk_source_process(&s->source, s->port[0], n);
	} else {
		qk_source_seek(&s->source, s->source.pos + n);
	}
}
