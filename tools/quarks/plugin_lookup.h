/* SPDX-License-Identifier: ISC */
/* Finding plugins, ports, presets and scale points in lilv's world by the names a graph uses. */
#ifndef QK_PLUGIN_LOOKUP_H
#define QK_PLUGIN_LOOKUP_H

#include "names.h"

#include <lilv/lilv.h>
#include <stddef.h>

/* The bundle's base URI (docs/PORTS.md): a short name `neuron` means QK_BASE_URI "neuron". */
#include "config.h"
#define QK_BASE_URI QK_URI /* written once, in meson.build */

typedef enum {
	QK_PORT_AUDIO_IN,
	QK_PORT_AUDIO_OUT,
	QK_PORT_CONTROL_IN,
	QK_PORT_CONTROL_OUT,
	QK_PORT_OTHER, /* CV, atom, ...: not driven by quarks */
} qk_port_kind;

typedef struct {
	LilvWorld *world;
	LilvNode *audio, *control, *input, *output, *optional;
	LilvNode *preset, *port, *symbol, *value, *label;
} qk_uris;

/* lilv_world_load_all(), with relative LV2_PATH folders made absolute first: lilv 0.24.14
 * dereferences NULL in lilv_world_load_bundle() for a relative one (LV2_PATH=build/lv2). */
void qk_world_load(LilvWorld *world);

void qk_uris_init(qk_uris *u, LilvWorld *world);
void qk_uris_free(qk_uris *u);

/* A plugin by short name (QK_BASE_URI + name) or full URI; NULL if not found. */
const LilvPlugin *qk_find_plugin(const qk_uris *u, const char *name);

/* Space-separated short names of the bundle's plugins that lilv can see, for messages. */
void qk_list_plugins(const qk_uris *u, char *out, size_t cap);

qk_port_kind qk_port_kind_of(const qk_uris *u, const LilvPlugin *p, const LilvPort *port);
int qk_port_optional(const qk_uris *u, const LilvPlugin *p, const LilvPort *port);

/* The port with this symbol, or NULL. */
const LilvPort *qk_find_port(const qk_uris *u, const LilvPlugin *p, const char *symbol);

/* Comma-separated symbols of p's ports of one kind, for messages. */
void qk_list_ports(const qk_uris *u, const LilvPlugin *p, qk_port_kind kind, char *out, size_t cap);

/* A control value: a number, or the label of one of the port's scale points ("tanh" for
 * `act`), compared without case. 0 on success. */
int qk_control_value(const qk_uris *u, const LilvPlugin *p, const LilvPort *port, const char *text,
                     float *out);

/* Applies preset `name` (a URI, QK_BASE_URI "preset/" name, or the URI's last segment or the
 * label of one of p's presets) to controls (indexed by port). On error writes a message into
 * err and returns -1. */
int qk_apply_preset(const qk_uris *u, const LilvPlugin *p, const char *name, float *controls,
                    char *err, size_t err_len);

/* What a graph needs to know of one plugin, read from lilv once per plugin rather than once
 * per instance: lilv answers port and preset questions by querying its RDF model, which costs
 * more than the rest of building a node. The engine, the Carla exporter and the importer each
 * keep one qk_plugins cache for their lilv world. */
typedef struct qk_plugins qk_plugins;

typedef struct {
	const LilvPlugin *plugin;
	const char *uri; /* owned by lilv */
	uint32_t n_ports;
	qk_port_kind *kind; /* per port */
	unsigned char *optional;
	const char **symbol;            /* per port, owned by lilv */
	float *initial;                 /* per port: the default, else the minimum, else 0 */
	float *minimum, *maximum, *def; /* per port: lilv's range (NaN where it has none) */
	char *feature;                  /* the first required host feature, or NULL */
	qk_names *by_symbol;            /* symbol -> port index */
	/* Loaded on first use (see plugin_lookup.c): scale points, presets, lv2:name of ports. */
	struct qk_scale *scale;
	struct qk_preset *presets;
	size_t n_presets;
	int presets_loaded;
	char **name;
	qk_names *by_name;
	int names_loaded;
} qk_plugin_info;

/* A cache for the plugins of u's world; u must outlive it. NULL when out of memory. */
qk_plugins *qk_plugins_new(const qk_uris *u);
void qk_plugins_free(qk_plugins *c);

/* The plugin a graph names (short name or URI): 0 and *out set; 1 when lilv has no such
 * plugin; -1 when out of memory. */
int qk_plugins_get(qk_plugins *c, const char *name, qk_plugin_info **out);

/* The index of the port with this symbol, or -1. */
long qk_info_port(const qk_plugin_info *pi, const char *symbol);

/* Comma-separated symbols of the ports of one kind, for messages ("none" if none). */
void qk_info_list_ports(const qk_plugin_info *pi, qk_port_kind kind, char *out, size_t cap);

/* As qk_control_value(): a number or one of the port's scale-point labels. 0 on success, -1 for
 * neither, -2 when out of memory. */
int qk_info_control_value(qk_plugins *c, qk_plugin_info *pi, uint32_t port, const char *text,
                          float *out);

/* The labels a control takes, as a graph writes them ("linear, step, sign, ..."), or "" when
 * it has none. */
void qk_info_list_labels(qk_plugins *c, qk_plugin_info *pi, uint32_t port, char *out, size_t cap);

/* As qk_apply_preset(). */
int qk_info_apply_preset(qk_plugins *c, qk_plugin_info *pi, const char *name, float *controls,
                         char *err, size_t err_len);

/* The port whose lv2:name is name (Carla addresses ports so), or -1; -2 when out of memory.
 * qk_info_port_name() gives a port's lv2:name, or NULL. */
long qk_info_port_by_name(qk_plugins *c, qk_plugin_info *pi, const char *name);
const char *qk_info_port_name(qk_plugins *c, qk_plugin_info *pi, uint32_t port);

#endif
