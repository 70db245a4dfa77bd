/* SPDX-License-Identifier: ISC */
/* Reading a Carla patchbay project (.carxp) built from LV2 plugins as a graph, so a circuit
 * patched by hand in Carla renders offline. */
#ifndef QK_CARLA_IMPORT_H
#define QK_CARLA_IMPORT_H

#include "diag.h"
#include "graph.h"

/* The largest Carla project read: its XML takes about 1 KB a plugin, so this is about as many
 * plugins as QK_GRAPH_MAX_BYTES of graph text holds nodes. */
#define QK_CARLA_MAX_BYTES ((size_t)1 << 30)

/* 1 if path names a Carla project (by its extension). */
int qk_is_carla_path(const char *path);

/* Loads the project at path into g: each <Plugin> becomes a node named by its <Name> with its
 * parameters (by <Symbol>, else by <Index>) as settings; `Audio Input:Left/Right` become the
 * bare graph inputs in_left/in_right (fed with --input), `Audio Output:Left/Right` the graph
 * outputs out_left/out_right; connections are translated from lv2:name to lv2:symbol. Errors
 * are "file:line: message". A project larger than max_bytes is an error. */
int qk_carla_load(const char *path, size_t max_bytes, qk_graph *g, qk_diag *d);

#endif
