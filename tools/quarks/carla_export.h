/* SPDX-License-Identifier: ISC */
/* Writing a graph as a Carla patchbay project (.carxp; facts in ../shared/carla/FORMAT.md). */
#ifndef QK_CARLA_EXPORT_H
#define QK_CARLA_EXPORT_H

#include "diag.h"
#include "engine.h"
#include "graph.h"

#include <stdio.h>

typedef struct {
	/* Also wire the graph's `plot` signals into x42 oscilloscopes (sisco, Debian package
	 * x42-plugins), four a scope, so the project shows them when opened in Carla. */
	int scope;
} qk_carla_export_options;

/* Writes g as a .carxp to out, so that it runs in Carla with nothing connected from outside:
 * built-in sources become instances of the bundle's source plugins (files: Carla's audio file
 * player), a constant 1 feeds every gate the graph leaves open (Carla clears open inputs), bare
 * inputs and the outputs take the system ports. Control values are read from e, an engine
 * built from g, so presets and labels resolve exactly as a render would. Each decision a user
 * should know about is written as one line to notes. */
int qk_carla_export_with(const qk_graph *g, qk_engine *e, const qk_carla_export_options *opts,
                         FILE *out, FILE *notes, qk_diag *d);

/* The same with the default options (no scopes). */
int qk_carla_export(const qk_graph *g, qk_engine *e, FILE *out, FILE *notes, qk_diag *d);

#endif
