/* SPDX-License-Identifier: ISC */
/* Independent double-precision reference for the quarks.lv2 plugins.
 * Derived only from docs/PORTS.md and the paper notes (QUARKS.md), never from dsp/:
 * the tests compare the plugins against this oracle.
 *
 * A reference plugin is described by its ports, in port-index order, each with its
 * symbol, kind and documented range, so a test can hold that list against the port
 * list a host reads from the bundle (symbol for symbol, index for index). It runs
 * like an LV2 instance: ref_instantiate at a sample rate, ref_activate (reset the
 * state, as activate() does), then ref_step once per sample, which advances the
 * state. Memoryless plugins simply have none; the stateful ones (delay, leaky, slow-gate,
 * fast-weight: PORTS.md "Time scales") keep theirs in double, as the plugins must. */
#ifndef QUARKS_REF_H
#define QUARKS_REF_H

#include <stdbool.h>

/* Saturation bound of the sanitize rule (PORTS.md: QK_LIMIT). */
#define REF_LIMIT 1e12

/* More ports than any reference plugin has (attention-head-16x4 has 177). */
#define REF_MAX_PORTS 256

typedef enum { REF_AUDIO_IN, REF_AUDIO_OUT, REF_CONTROL_IN } ref_port_kind;

typedef struct {
	const char *symbol;
	ref_port_kind kind;
	double min, def, max; /* control inputs: documented range and default */
	bool integer;         /* control inputs: rounded to the nearest integer, then clamped */
	double identity;      /* audio inputs: what an unconnected input reads (1 for gates) */
} ref_port;

typedef struct ref_plugin ref_plugin;

/* The documented plugins, in a fixed order; i in 0..ref_plugin_count()-1. */
int ref_plugin_count(void);
const ref_plugin *ref_plugin_at(int i);
/* By short name (the plugin URI without the bundle's base URI, e.g. "neuron"); NULL if
 * the reference has no entry for it. */
const ref_plugin *ref_plugin_find(const char *name);
const char *ref_plugin_name(const ref_plugin *p);
/* Whether the plugin keeps state from one sample to the next (ref_sample refuses those). */
bool ref_plugin_stateful(const ref_plugin *p);

int ref_port_count(const ref_plugin *p);
/* The port with this index (0..ref_port_count()-1), or NULL. */
const ref_port *ref_port_at(const ref_plugin *p, int index);
/* The index of the port with this symbol, or -1. */
int ref_port_index(const ref_plugin *p, const char *symbol);

typedef struct ref_instance ref_instance;

/* A running reference plugin at a sample rate (Hz), already activated; NULL if out of
 * memory. Free with ref_free. */
ref_instance *ref_instantiate(const ref_plugin *p, double rate);
/* Reset the state to that of a freshly activated plugin (LV2 activate()). */
void ref_activate(ref_instance *r);
void ref_free(ref_instance *r);

/* One sample. port[i] is the value at port index i: audio and control inputs are read
 * (controls raw, as a host sets them: the reference clamps them to the documented range,
 * rounds integer ones, and reads NaN as the default), audio outputs are written.
 * connected[i] says whether audio input i is connected; an unconnected one reads its
 * identity and its port[] value is ignored. Other entries of connected[] are ignored.
 * Inputs whose magnitude is a float denormal (0 < |x| < FLT_MIN) read as 0, mirroring
 * the plugins' denormals-are-zero.
 * bound (NULL: not wanted) receives, at each output index, how far a correct
 * single-precision implementation may be from port[i] beyond the plain rounding of a
 * short sum: the forward error of the documented formula evaluated in float, which is
 * 0 for the plugins whose outputs are a few well-scaled terms, and INFINITY where
 * PORTS.md leaves the float result open (an intermediate beyond float range, an
 * infinity meeting a factor whose sign float rounding can flip); the output must then
 * only be finite. For a stateful plugin it also covers how far a correct plugin's double
 * state may have drifted from this one's since activation, and the float error of the
 * drive it integrates (an average of drives is no longer as large as their terms). */
void ref_step(ref_instance *r, double *port, const bool *connected, double *bound);

/* Convenience for memoryless plugins, with the ports grouped by kind: in[k] and
 * connected[k] for the k-th AUDIO INPUT in port-index order, ctl[k] for the k-th CONTROL
 * INPUT, out[k] for the k-th AUDIO OUTPUT; otherwise as ref_step. Returns 0, or -1 for
 * an unknown or stateful plugin. */
int ref_sample(const char *plugin, const double *in, const bool *connected, const double *ctl,
               double *out);

/* Counts of audio inputs, control inputs, audio outputs for a plugin; -1 if unknown. */
int ref_shape(const char *plugin, int *n_audio_in, int *n_control_in, int *n_audio_out);

/* f(S) for activation enum value act (0 linear .. 5 relu), in double.
 * act outside 0..5 is clamped to it. No sanitizing here: that is ref_step's job. */
double ref_activation(int act, double s);

/* The sanitize rule sane(x): NaN -> 0, then clamp to [-REF_LIMIT, REF_LIMIT], then
 * |x| < FLT_MIN -> 0 (PORTS.md). */
double ref_sane(double x);

#endif
