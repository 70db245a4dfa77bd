/* SPDX-License-Identifier: ISC */
/* The renderer's built-in sources (dsp/source.c, docs/graph.md "Sources") as plugins, so a
 * circuit runs on its own in a host that has no sources of its own (Carla, jalv, Ardour).
 *
 * Unlike the quarks a source has state: the sample index n, counted from activate() (n = 0 in
 * the first sample after it). Each source plugin therefore has its own instance, shared here,
 * and its own descriptor functions. Each plugins/<kind>.c gives its port table (output first,
 * then the settings) and how the settings become a qk_source. Periods are in seconds and
 * frequencies in Hz; the plugin knows the sample rate and converts them as the graph format
 * does (period * rate, Hz / rate), from the decimal the float control came from
 * (dsp/decimal.h), so a source plugin gives the same samples as the graph's source. */
#ifndef QK_SOURCE_PLUGIN_H
#define QK_SOURCE_PLUGIN_H

#include "describe.h"
#include "glue.h"
#include "source.h"

#include <stdint.h>

enum { QK_SOURCE_MAX_PORTS = 6 };

typedef struct {
	float *port[QK_SOURCE_MAX_PORTS]; /* the port pointers, by the plugin's port enum */
	const qk_plugin *plugin;
	double rate;
	qk_source
	        source; /* settings refreshed from the controls each run(); pos since activate() */
} qk_source_instance;

LV2_Handle qk_source_instantiate(const LV2_Descriptor *descriptor, double rate,
                                 const char *bundle_path, const LV2_Feature *const *features);
void qk_source_connect_port(LV2_Handle instance, uint32_t port, void *data);
void qk_source_activate(LV2_Handle instance);
void qk_source_cleanup(LV2_Handle instance);

/* A setting: the control clamped to its table range (NaN reads as the default), as the
 * decimal it was written as. */
double qk_source_setting(const qk_source_instance *s, uint32_t port);

/* A period setting in seconds as samples, and a frequency in Hz as cycles per sample. */
double qk_source_period(const qk_source_instance *s, uint32_t port);
double qk_source_freq(const qk_source_instance *s, uint32_t port);

/* Writes n samples of s->source to the output port (index 0) and advances the count; an
 * unconnected output still advances it, so n stays the samples since activate(). */
void qk_source_write(qk_source_instance *s, uint32_t n);

/* A descriptor of a source plugin: run_fn sets the source's settings, then writes. */
#define QK_SOURCE_DESCRIPTOR(id, run_fn)                                                        \
	{                                                                                       \
		QK_URI_##id, qk_source_instantiate, qk_source_connect_port, qk_source_activate, \
		        run_fn, NULL, qk_source_cleanup, qk_extension_data                      \
	}

/* Port blocks of the source plugins. */
#define QK_SOURCE_OUTPUT(what) QK_AUDIO_OUTPUT("out", "Output", what)
#define QK_SOURCE_LEVEL(sym, nm, cmt, d) \
	QK_CONTROL(sym, nm, cmt, d, -QK_WEIGHT_MAX, QK_WEIGHT_MAX, "coef")
#define QK_SOURCE_PERIOD                                                                           \
	{                                                                                          \
		.type = QK_CONTROL_IN, .symbol = "period", .name = "Period",                       \
		.comment = "Length of one cycle in seconds (the graph's period, times the sample " \
		           "rate in samples).",                                                    \
		.def = 1.0, .min = 0.0001, .max = 3600.0, .unit = "s", .props = QK_LOGARITHMIC     \
	}
#define QK_SOURCE_PHASE                                                                           \
	QK_CONTROL("phase", "Phase", "Cycles added to the position: 0.5 starts half a cycle in.", \
	           0.0, 0.0, 1.0, "coef")

#endif
