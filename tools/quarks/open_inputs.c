/* SPDX-License-Identifier: ISC */
#include "open_inputs.h"

#include "describe.h"

#include <string.h>

qk_open_input
qk_open_input_of(const char *plugin_uri, const char *symbol)
{
	for (uint32_t i = 0; i < qk_n_plugins; i++) {
		const qk_plugin *p = qk_plugins[i];
		if (strcmp(p->descriptor.URI, plugin_uri) != 0)
			continue;
		for (uint32_t k = 0; k < p->n_ports; k++)
			if (p->ports[k].type == QK_AUDIO_IN &&
			    strcmp(p->ports[k].symbol, symbol) == 0)
				return p->ports[k].props & QK_OPEN_READS_ONE  ? QK_OPEN_ONE
				       : p->ports[k].props & QK_OPEN_LEFT_OUT ? QK_OPEN_NO_PART
				                                              : QK_OPEN_ZERO;
	}
	return QK_OPEN_ZERO;
}
