/* SPDX-License-Identifier: ISC */
#include "glue.h"

#include <stdlib.h>
#include <string.h>

/* What an unconnected control port reads (never written: controls are inputs). */
static const float qk_unconnected_control = 0.0f;

/* Every control port reads the constant 0 until the host connects it, so that
 * run() reads a control in one load, without a NULL test. */
static qk_ports *
qk_ports_init(qk_ports *p, const qk_plugin *plugin, double rate)
{
	if (p) {
		p->plugin = plugin;
		p->rate = rate;
		p->n_ports = plugin->n_ports;
		for (uint32_t i = 0; i < p->n_ports; ++i) {
			if (plugin->ports[i].type == QK_CONTROL_IN) {
				p->port[i] = (float *)&qk_unconnected_control;
			}
		}
	}
	return p;
}

LV2_Handle
qk_instantiate(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
               const LV2_Feature *const *features)
{
	/* Memoryless quarks: the sample rate, kept as every instance keeps it,
	 * does not enter the math. Every descriptor is the first member of its
	 * qk_plugin, which knows the ports. */
	(void)bundle_path;
	(void)features;
	const qk_plugin *plugin = (const qk_plugin *)descriptor;
	return qk_ports_init(calloc(1, sizeof(qk_ports) + plugin->n_ports * sizeof(float *)),
	                     plugin, rate);
}

/* An instance with `bytes` of zeroed memory after its port pointers, where
 * qk_scratch finds it. */
static LV2_Handle
qk_instantiate_with(const LV2_Descriptor *descriptor, double rate, size_t bytes)
{
	const qk_plugin *plugin = (const qk_plugin *)descriptor;
	/* 31 bytes of slack for qk_scratch's alignment */
	qk_ports *p = qk_ports_init(
	        calloc(1, sizeof(qk_ports) + plugin->n_ports * sizeof(float *) + 31u + bytes),
	        plugin, rate);
	if (p) {
		p->state_bytes = bytes;
	}
	return p;
}

LV2_Handle
qk_instantiate_scratch(const LV2_Descriptor *descriptor, double rate, size_t floats)
{
	return qk_instantiate_with(descriptor, rate, floats * sizeof(float));
}

LV2_Handle
qk_instantiate_state_bytes(const LV2_Descriptor *descriptor, double rate, size_t bytes)
{
	if (!(rate > 0.0)) {
		return NULL;
	}
	LV2_Handle h = qk_instantiate_with(descriptor, rate, bytes);
	if (h) {
		((const qk_plugin *)descriptor)->state->init(qk_state(h), rate);
	}
	return h;
}

LV2_Handle
qk_instantiate_state(const LV2_Descriptor *descriptor, double rate, const char *bundle_path,
                     const LV2_Feature *const *features)
{
	(void)bundle_path;
	(void)features;
	return qk_instantiate_state_bytes(descriptor, rate,
	                                  ((const qk_plugin *)descriptor)->state->bytes);
}

void
qk_activate_state(LV2_Handle instance)
{
	const qk_ports *p = (const qk_ports *)instance;
	memset(qk_state(instance), 0, p->state_bytes);
	p->plugin->state->init(qk_state(instance), p->rate);
}

void
qk_connect_port(LV2_Handle instance, uint32_t port, void *data)
{
	qk_ports *p = (qk_ports *)instance;
	if (port < p->n_ports) {
		if (!data && p->plugin->ports[port].type == QK_CONTROL_IN) {
			data = (void *)&qk_unconnected_control;
		}
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
