/* SPDX-License-Identifier: ISC */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include "host.h"

#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/urid/urid.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
host_open(host *h)
{
	h->world = lilv_world_new();
	lilv_world_load_all(h->world); /* honours LV2_PATH, like every lilv host */
	h->plugins = lilv_world_get_all_plugins(h->world);
	h->audio_port = lilv_new_uri(h->world, LILV_URI_AUDIO_PORT);
	h->control_port = lilv_new_uri(h->world, LILV_URI_CONTROL_PORT);
	h->input_port = lilv_new_uri(h->world, LILV_URI_INPUT_PORT);
	h->output_port = lilv_new_uri(h->world, LILV_URI_OUTPUT_PORT);
	return h->plugins != NULL;
}

void
host_close(host *h)
{
	lilv_node_free(h->audio_port);
	lilv_node_free(h->control_port);
	lilv_node_free(h->input_port);
	lilv_node_free(h->output_port);
	lilv_world_free(h->world);
}

int
host_bundle(const host *h, const char **names, int max)
{
	const size_t base = strlen(HOST_URI);
	/* QK_HOST_MAX_PORTS (set by .ci/run for its valgrind stage): leave out the plugins
	 * with more ports, the large attention heads, which valgrind takes a quarter of an
	 * hour over; the native and sanitizer runs of the same tests cover them. */
	const char *limit_env = getenv("QK_HOST_MAX_PORTS");
	const long limit = limit_env ? strtol(limit_env, NULL, 10) : 0;
	int n = 0;
	LILV_FOREACH (plugins, i, h->plugins) {
		const LilvPlugin *plugin = lilv_plugins_get(h->plugins, i);
		const char *uri = lilv_node_as_uri(lilv_plugin_get_uri(plugin));
		if (strncmp(uri, HOST_URI, base) != 0 || !uri[base]) {
			continue;
		}
		if (limit > 0 && lilv_plugin_get_num_ports(plugin) > (uint32_t)limit) {
			printf("left out %s: %u ports, more than QK_HOST_MAX_PORTS=%ld\n",
			       uri + base, lilv_plugin_get_num_ports(plugin), limit);
			continue;
		}
		if (n == max) {
			fprintf(stderr, "more than %d plugins under %s\n", max, HOST_URI);
			return 0;
		}
		/* lilv lists plugins in URI order; keep it (insertion) whatever it does */
		int k = n++;
		for (; k > 0 && strcmp(names[k - 1], uri + base) > 0; --k) {
			names[k] = names[k - 1];
		}
		names[k] = uri + base;
	}
	if (n == 0) {
		fprintf(stderr, "no plugin under %s on LV2_PATH=%s\n", HOST_URI,
		        getenv("LV2_PATH") ? getenv("LV2_PATH") : "(unset)");
	}
	return n;
}

const LilvPlugin *
host_plugin(const host *h, const char *name)
{
	char uri[256];
	snprintf(uri, sizeof uri, "%s%s", HOST_URI, name);
	LilvNode *node = lilv_new_uri(h->world, uri);
	const LilvPlugin *p = lilv_plugins_get_by_uri(h->plugins, node);
	lilv_node_free(node);
	if (!p) {
		fprintf(stderr, "plugin %s not found on LV2_PATH=%s\n", uri,
		        getenv("LV2_PATH") ? getenv("LV2_PATH") : "(unset)");
	}
	return p;
}

bool
host_unit_new(host_unit *u, const host *h, const char *name, double rate)
{
	memset(u, 0, sizeof *u);
	u->plugin = host_plugin(h, name);
	if (!u->plugin) {
		return false;
	}
	const uint32_t n_ports = lilv_plugin_get_num_ports(u->plugin);
	if (n_ports > HOST_MAX_PORTS) {
		fprintf(stderr, "%s: %u ports, more than this host handles\n", name, n_ports);
		return false;
	}
	float defaults[HOST_MAX_PORTS], minimum[HOST_MAX_PORTS], maximum[HOST_MAX_PORTS];
	lilv_plugin_get_port_ranges_float(u->plugin, minimum, maximum, defaults);

	u->instance = lilv_plugin_instantiate(u->plugin, rate, NULL);
	if (!u->instance) {
		fprintf(stderr, "%s: instantiate failed\n", name);
		return false;
	}
	for (uint32_t i = 0; i < n_ports; ++i) {
		const LilvPort *port = lilv_plugin_get_port_by_index(u->plugin, i);
		const bool in = lilv_port_is_a(u->plugin, port, h->input_port);
		if (lilv_port_is_a(u->plugin, port, h->control_port) && in) {
			const int k = u->n_control_in++;
			u->control_in[k] = i;
			u->control[k] = defaults[i];
			u->minimum[k] = minimum[i];
			u->maximum[k] = maximum[i];
			lilv_instance_connect_port(u->instance, i, &u->control[k]);
		} else if (lilv_port_is_a(u->plugin, port, h->audio_port)) {
			if (in) {
				u->audio_in[u->n_audio_in++] = i;
			} else {
				u->audio_out[u->n_audio_out++] = i;
			}
		} else {
			fprintf(stderr, "%s: port %u is neither audio nor control input\n", name,
			        i);
			return false;
		}
	}
	lilv_instance_activate(u->instance);
	return true;
}

void
host_unit_free(host_unit *u)
{
	if (u->instance) {
		lilv_instance_deactivate(u->instance);
		lilv_instance_free(u->instance);
	}
	u->instance = NULL;
}

void
host_unit_reset(host_unit *u)
{
	lilv_instance_deactivate(u->instance);
	lilv_instance_activate(u->instance);
}

int
host_control_index(const host_unit *u, const host *h, const char *symbol)
{
	LilvNode *sym = lilv_new_string(h->world, symbol);
	const LilvPort *port = lilv_plugin_get_port_by_symbol(u->plugin, sym);
	lilv_node_free(sym);
	if (!port) {
		return -1;
	}
	const uint32_t index = lilv_port_get_index(u->plugin, port);
	for (int k = 0; k < u->n_control_in; ++k) {
		if (u->control_in[k] == index) {
			return k;
		}
	}
	return -1;
}

void
host_unit_run(host_unit *u, float *const *in, float *const *out, uint32_t n)
{
	for (int k = 0; k < u->n_audio_in; ++k) {
		lilv_instance_connect_port(u->instance, u->audio_in[k], in[k]);
	}
	for (int o = 0; o < u->n_audio_out; ++o) {
		lilv_instance_connect_port(u->instance, u->audio_out[o], out[o]);
	}
	lilv_instance_run(u->instance, n);
}

bool
host_set(host_unit *u, const host *h, const char *symbol, float value)
{
	const int k = host_control_index(u, h, symbol);
	if (k < 0) {
		fprintf(stderr, "no control port '%s'\n", symbol);
		return false;
	}
	u->control[k] = value;
	return true;
}

/* Presets store plain floats; a URID map is still required by the state API. */
typedef struct {
	char *uris[64];
	uint32_t n;
} uri_table;

static LV2_URID
map_uri(LV2_URID_Map_Handle handle, const char *uri)
{
	uri_table *t = (uri_table *)handle;
	for (uint32_t i = 0; i < t->n; ++i) {
		if (!strcmp(t->uris[i], uri)) {
			return i + 1;
		}
	}
	if (t->n == 64) {
		return 0;
	}
	t->uris[t->n] = strdup(uri);
	return ++t->n;
}

typedef struct {
	host_unit *unit;
	const host *host;
	LV2_URID atom_float, atom_double, atom_int;
	int applied;
	bool ok;
} preset_target;

static void
set_port_value(const char *symbol, void *data, const void *value, uint32_t size, uint32_t type)
{
	preset_target *t = (preset_target *)data;
	const int k = host_control_index(t->unit, t->host, symbol);
	if (k < 0) {
		fprintf(stderr, "preset sets unknown port '%s'\n", symbol);
		t->ok = false;
		return;
	}
	/* Like jalv: take the value in whichever numeric type the literal had. */
	if (type == t->atom_float && size == sizeof(float)) {
		memcpy(&t->unit->control[k], value, sizeof(float));
	} else if (type == t->atom_double && size == sizeof(double)) {
		double d;
		memcpy(&d, value, sizeof d);
		t->unit->control[k] = (float)d;
	} else if (type == t->atom_int && size == sizeof(int32_t)) {
		int32_t i;
		memcpy(&i, value, sizeof i);
		t->unit->control[k] = (float)i;
	} else {
		fprintf(stderr, "preset value of '%s' has an unknown type\n", symbol);
		t->ok = false;
		return;
	}
	++t->applied;
}

bool
host_apply_preset(host_unit *u, const host *h, const char *preset_uri)
{
	uri_table table = {0};
	LV2_URID_Map map = {&table, map_uri};
	LilvNode *uri = lilv_new_uri(h->world, preset_uri);
	lilv_world_load_resource(h->world, uri);
	LilvState *state = lilv_state_new_from_world(h->world, &map, uri);
	lilv_node_free(uri);
	preset_target target = {u,
	                        h,
	                        map_uri(&table, LV2_ATOM__Float),
	                        map_uri(&table, LV2_ATOM__Double),
	                        map_uri(&table, LV2_ATOM__Int),
	                        0,
	                        true};
	if (state) {
		lilv_state_restore(state, u->instance, set_port_value, &target, 0, NULL);
		lilv_state_free(state);
	} else {
		fprintf(stderr, "preset %s not found\n", preset_uri);
	}
	for (uint32_t i = 0; i < table.n; ++i) {
		free(table.uris[i]);
	}
	return state && target.ok && target.applied > 0;
}
