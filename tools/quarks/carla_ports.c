/* SPDX-License-Identifier: ISC */
#include "carla_ports.h"

#include <stdio.h>
#include <string.h>

const char *const qk_carla_channel[2] = {"Left", "Right"};
const char *const qk_carla_in_name[2] = {"in_left", "in_right"};
const char *const qk_carla_out_name[2] = {"out_left", "out_right"};

int
qk_carla_port_name(const LilvPlugin *p, const LilvPort *port, char *out, size_t cap)
{
	LilvNode *n = lilv_port_get_name(p, port);
	if (!n)
		return -1;
	int w = snprintf(out, cap, "%s", lilv_node_as_string(n));
	lilv_node_free(n);
	return w < 0 || (size_t)w >= cap ? -1 : 0;
}

const LilvPort *
qk_carla_port_by_name(const LilvPlugin *p, const char *name)
{
	uint32_t np = lilv_plugin_get_num_ports(p);
	for (uint32_t i = 0; i < np; i++) {
		const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
		char have[256];
		if (qk_carla_port_name(p, port, have, sizeof have) == 0 && strcmp(have, name) == 0)
			return port;
	}
	return NULL;
}

void
qk_carla_list_names(const qk_uris *u, const LilvPlugin *p, qk_port_kind kind, char *out, size_t cap)
{
	out[0] = '\0';
	uint32_t np = lilv_plugin_get_num_ports(p);
	for (uint32_t i = 0; i < np; i++) {
		const LilvPort *port = lilv_plugin_get_port_by_index(p, i);
		char name[256];
		if (qk_port_kind_of(u, p, port) != kind ||
		    qk_carla_port_name(p, port, name, sizeof name))
			continue;
		if (out[0])
			strncat(out, ", ", cap - strlen(out) - 1);
		strncat(out, name, cap - strlen(out) - 1);
	}
}
