/* SPDX-License-Identifier: ISC */
/* The Carla exporter's internals, shared by carla_export.c (nodes, connections, the project)
 * and carla_export_sources.c (sources, open gates and scopes as Carla instances). */
#ifndef QK_CARLA_EXPORT_IMPL_H
#define QK_CARLA_EXPORT_IMPL_H

#include "carla_export.h"
#include "open_inputs.h"
#include "plugin_lookup.h"

#include <stdio.h>

/* What a graph declaration becomes in Carla. */
typedef enum {
	QK_CX_NONE,      /* a node (written as its plugin) or nothing */
	QK_CX_SYSTEM,    /* a bare input or an output: a system port, if one is left */
	QK_CX_SOURCE,    /* a built-in source: an instance of the bundle's source plugin */
	QK_CX_AUDIOFILE, /* a file: an instance of Carla's audio file player */
} qk_cx_role;

typedef struct {
	const qk_graph *g;
	qk_engine *e;
	const qk_carla_export_options *opts;
	qk_uris u;
	qk_plugins *plugins; /* ports, ranges and lv2:names, read once per plugin */
	struct qk_cx_seen {
		const qk_plugin_info *info;
		char *name; /* lv2:name, for the comment above each <Plugin> */
		qk_open_input
		        *open; /* per port: what an open audio input reads (NULL until asked) */
	} * seen;              /* what the exporter asked of each plugin, once per plugin */
	size_t n_seen;
	FILE *out, *notes;
	qk_diag *d;
	double rate;      /* the graph's sample rate: periods in samples become seconds at it */
	int *channel;     /* per declaration: system channel 0/1 of a bare input or output, or -1 */
	qk_cx_role *role; /* per declaration */
	char one[64];     /* the constant 1 that holds open gates open; "" if none is needed */
	/* The connections into declaration i are g->conns[into[into_start[i] .. into_start[i +
	 * 1])], in the file's order: open gates and scopes find what feeds a declaration without
	 * scanning every connection. */
	size_t *into, *into_start;
} qk_exporter;

/* XML text with the five special characters escaped; a comment (no "--" inside); an element
 * with text. */
void qk_cx_text(FILE *f, const char *s);
void qk_cx_comment(FILE *f, const char *s);
void qk_cx_element(FILE *f, const char *indent, const char *tag, const char *text);

/* A control value as Carla should read it back: the shortest decimal that gives the float. */
void qk_cx_number(char *out, size_t cap, float v);

/* The plugin's lv2:name (the comment above its <Plugin>), asked of lilv once per plugin; NULL
 * when out of memory. */
const char *qk_cx_plugin_name(qk_exporter *x, const qk_plugin_info *p);

/* Per port of p: what the port reads when nothing feeds it (open_inputs.h), asked once per
 * plugin; NULL when out of memory. */
const qk_open_input *qk_cx_open_inputs(qk_exporter *x, const qk_plugin_info *p);

/* The role of a source or input declaration. */
qk_cx_role qk_cx_role_of(const qk_decl *dc);

/* Writes the <Plugin> of a source or file declaration (role SOURCE or AUDIOFILE). */
int qk_cx_put_source(qk_exporter *x, const qk_decl *dc);

/* "GROUP:PORT" of the output of a source or file declaration. */
void qk_cx_source_end(const qk_exporter *x, const qk_decl *dc, char *out, size_t cap);

/* Picks the name of the constant 1 for the open gates of the graph's nodes (x->one, "" if no
 * gate is open) and writes its <Plugin>; notes which gates it holds and which softmax scores
 * will take part in Carla. */
int qk_cx_put_open_gates(qk_exporter *x);

/* Writes the <Connection>s from the constant 1 to every open gate. */
int qk_cx_connect_open_gates(qk_exporter *x);

/* With opts->scope: writes x42 scope instances for the graph's `plot` signals, and their
 * connections (connections = 1), 4 signals a scope. */
int qk_cx_put_scopes(qk_exporter *x, int connections);

/* "GROUP:PORT" of a node's audio port (an output when is_source), for a connection. */
int qk_cx_node_end(qk_exporter *x, const qk_decl *dc, const char *port, int is_source, int line,
                   char *out, size_t cap);

#endif
