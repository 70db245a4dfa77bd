/* Finding plugins, ports, presets and scale points in lilv's world by the names a graph uses. */
#ifndef QK_PLUGIN_LOOKUP_H
#define QK_PLUGIN_LOOKUP_H

#include <lilv/lilv.h>
#include <stddef.h>

/* The bundle's base URI (docs/PORTS.md): a short name `neuron` means QK_BASE_URI "neuron". */
#define QK_BASE_URI "https://quarks-lv2.github.io/lv2/"

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
void qk_list_ports(const qk_uris *u, const LilvPlugin *p, qk_port_kind kind, char *out,
                   size_t cap);

/* A control value: a number, or the label of one of the port's scale points ("tanh" for
 * `act`), compared without case. 0 on success. */
int qk_control_value(const qk_uris *u, const LilvPlugin *p, const LilvPort *port,
                     const char *text, float *out);

/* Applies preset `name` (a URI, QK_BASE_URI "preset/" name, or the URI's last segment or the
 * label of one of p's presets) to controls (indexed by port). On error writes a message into
 * err and returns -1. */
int qk_apply_preset(const qk_uris *u, const LilvPlugin *p, const char *name, float *controls,
                    char *err, size_t err_len);

#endif
