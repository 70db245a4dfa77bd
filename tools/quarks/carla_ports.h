/* SPDX-License-Identifier: ISC */
/* Carla names a plugin's ports by lv2:name (the display name) where graphs use lv2:symbol, and
 * its patchbay has fixed system ports. These helpers translate between the two namings. */
#ifndef QK_CARLA_PORTS_H
#define QK_CARLA_PORTS_H

#include "plugin_lookup.h"

#include <stddef.h>

/* Patchbay system groups (carla-patchbay with two inputs and two outputs). */
#define QK_CARLA_IN "Audio Input"
#define QK_CARLA_OUT "Audio Output"

/* Port names of the system groups by channel, and the graph names the importer gives them. */
extern const char *const qk_carla_channel[2];  /* "Left", "Right" */
extern const char *const qk_carla_in_name[2];  /* "in_left", "in_right" */
extern const char *const qk_carla_out_name[2]; /* "out_left", "out_right" */

/* Writes port's lv2:name into out; 0 on success, -1 if it has none or it does not fit. */
int qk_carla_port_name(const LilvPlugin *p, const LilvPort *port, char *out, size_t cap);

/* The port whose lv2:name is name, or NULL. */
const LilvPort *qk_carla_port_by_name(const LilvPlugin *p, const char *name);

/* Comma-separated lv2:names of p's ports of one kind, for messages. */
void qk_carla_list_names(const qk_uris *u, const LilvPlugin *p, qk_port_kind kind, char *out,
                         size_t cap);

#endif
