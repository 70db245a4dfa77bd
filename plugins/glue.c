/* SPDX-License-Identifier: ISC */
#include "glue.h"

#include <stdlib.h>

LV2_Handle
qk_instantiate(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
               const LV2_Feature *const *features)
{
	/* Memoryless quarks: the sample rate does not enter the math. Every
	 * descriptor is the first member of its qk_plugin, which knows the ports. */
	(void)rate;
	(void)bundle_path;
	(void)features;
	const qk_plugin *plugin = (const qk_plugin *)descriptor;
	qk_ports *p = calloc(1, sizeof *p + plugin->n_ports * sizeof p->port[0]);
	if (p) {
		p->n_ports = plugin->n_ports;
	}
	return p;
}

LV2_Handle
qk_instantiate_scratch(const LV2_Descriptor *descriptor, size_t floats)
{
	const qk_plugin *plugin = (const qk_plugin *)descriptor;
	/* 31 bytes of slack for qk_scratch's alignment */
	qk_ports *p = calloc(1, sizeof *p + plugin->n_ports * sizeof p->port[0] + 31u +
	                                floats * sizeof(float));
	if (p) {
		p->n_ports = plugin->n_ports;
	}
	return p;
}

void
qk_connect_port(LV2_Handle instance, uint32_t port, void *data)
{
	qk_ports *p = (qk_ports *)instance;
	if (port < p->n_ports) {
		p->port[port] = (float *)data;
	}
}

void
qk_cleanup(LV2_Handle instance)
{
	free(instance);
}

const void *
qk_extension_data(const char *uri)
{
	(void)uri;
	return NULL;
}

void
qk_read_unit(const qk_ports *p, uint32_t w1, uint32_t bias, uint32_t slope, uint32_t act,
             qk_unit *u)
{
	qk_unit_set(u, qk_control_value(p, w1), qk_control_value(p, w1 + 1),
	            qk_control_value(p, w1 + 2), qk_control_value(p, w1 + 3),
	            qk_control_value(p, bias), qk_control_value(p, slope),
	            qk_control_value(p, act));
}

void
qk_table_unit(float *const port[], const qk_port *ports, uint32_t w1, uint32_t bias, uint32_t slope,
              uint32_t act, qk_unit *u)
{
	for (uint32_t i = 0; i < QK_INPUTS; ++i) {
		u->w[i] = qk_table_control(port[w1 + i], &ports[w1 + i]);
	}
	u->bias = qk_table_control(port[bias], &ports[bias]);
	u->slope = qk_table_control(port[slope], &ports[slope]);
	u->act = qk_activation_from_control(port[act] ? *port[act] : 0.0f);
}
