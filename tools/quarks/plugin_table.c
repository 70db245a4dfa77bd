/* SPDX-License-Identifier: ISC */
#include "plugin_table.h"

#include "describe.h"

#include <string.h>

int
qk_table_range(const char *plugin_uri, const char *symbol, float *lo, float *hi, float *def)
{
	for (uint32_t i = 0; i < qk_n_plugins; i++) {
		const qk_plugin *p = qk_plugins[i];
		if (strcmp(p->descriptor.URI, plugin_uri) != 0)
			continue;
		for (uint32_t k = 0; k < p->n_ports; k++)
			if (p->ports[k].type == QK_CONTROL_IN &&
			    strcmp(p->ports[k].symbol, symbol) == 0) {
				/* as qk_table_control converts them (plugins/glue.h) */
				*lo = (float)p->ports[k].min;
				*hi = (float)p->ports[k].max;
				*def = (float)p->ports[k].def;
				return 0;
			}
	}
	return -1;
}
