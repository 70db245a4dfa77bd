/* SPDX-License-Identifier: ISC */
/* Faust builds of the quarks' formulas (the .dsp files of benchmarks/faust/), hosted
 * behind an LV2_Descriptor like the plugins, for bench_plugins.c. */
#ifndef QK_FAUST_PEERS_H
#define QK_FAUST_PEERS_H

#include <lv2/core/lv2.h>

#include <stdbool.h>

/* Instantiates the Faust peer `name` ("output_gate", ... ; "_fast" appended:
 * the -ffast-math build) at 48 kHz with its sliders at their defaults.
 * Returns false with *why set when it is not there (faust was not installed
 * when the benchmark was built). Audio inputs are ports 0..n_in-1, outputs
 * n_in..n_in+n_out-1. */
bool qk_faust_peer(const char *name, const LV2_Descriptor **desc, LV2_Handle *handle, int *n_in,
                   int *n_out, const char **why);

#endif
