/* Writing a graph as a Carla patchbay project (.carxp; facts in ../shared/carla/FORMAT.md). */
#ifndef QK_CARLA_EXPORT_H
#define QK_CARLA_EXPORT_H

#include "diag.h"
#include "engine.h"
#include "graph.h"

#include <stdio.h>

/* Writes g as a .carxp to out. Control values are read from e, an engine built from g, so
 * presets and labels resolve exactly as a render would. Each decision a user should know about
 * (a source turned into a system input, an input or output with no system port left) is
 * written as one line to notes. */
int qk_carla_export(const qk_graph *g, qk_engine *e, FILE *out, FILE *notes, qk_diag *d);

#endif
