#include "glue.h"

#include <stdlib.h>

/* What an unconnected control port reads (never written: controls are inputs). */
static const float qk_unconnected_control = 0.0f;

LV2_Handle
qk_instantiate(const LV2_Descriptor *descriptor, double rate,
               const char *bundle_path, const LV2_Feature *const *features)
{
	/* Memoryless quarks: the sample rate does not enter the math. Every
	 * descriptor is the first member of its qk_plugin, which knows the ports. */
	(void)rate;
	(void)bundle_path;
	(void)features;
	const qk_plugin *plugin = (const qk_plugin *)descriptor;
	qk_ports *p = calloc(1, sizeof *p + plugin->n_ports * sizeof p->port[0]);
	if (p) {
		p->plugin = plugin;
		p->n_ports = plugin->n_ports;
		for (uint32_t i = 0; i < p->n_ports; ++i) {
			if (plugin->ports[i].type == QK_CONTROL_IN) {
				p->port[i] = (float *)&qk_unconnected_control;
			}
		}
	}
	return p;
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
