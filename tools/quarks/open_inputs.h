/* SPDX-License-Identifier: ISC */
/* What an unconnected audio input of one of the bundle's plugins reads, from the plugins' own
 * port tables (plugins/describe.h): the renderer passes NULL and the plugin applies the
 * identity of what the input enters (1 for a gate, 0 for a sum; a softmax score takes no
 * part), while hosts such as Carla give every input a buffer and clear the open ones, so
 * there it reads 0. The Carla exporter holds open gates open with a constant 1. */
#ifndef QK_OPEN_INPUTS_H
#define QK_OPEN_INPUTS_H

typedef enum {
	QK_OPEN_ZERO,    /* reads 0, as in a host: nothing to do */
	QK_OPEN_ONE,     /* a gate: reads 1 */
	QK_OPEN_NO_PART, /* a softmax score: left out */
} qk_open_input;

/* For the port with this symbol of the plugin with this URI; QK_OPEN_ZERO for ports and
 * plugins outside the bundle. */
qk_open_input qk_open_input_of(const char *plugin_uri, const char *symbol);

#endif
