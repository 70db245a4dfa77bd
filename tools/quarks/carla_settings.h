/* SPDX-License-Identifier: ISC */
/* Carla's per-plugin settings: what Carla 2.6 does to an instance besides running it, read from
 * a project's <Data> and applied to the render so that the render of a .carxp predicts Carla.
 *
 * Carla (CarlaPluginLV2::process, "Post-processing") works on copies: the plugin reads its
 * inputs from buffers of Carla's own and writes its outputs into others, which Carla then mixes
 * into the graph for each output i in port order: Dry/Wet (out_i = out_i * dw + in_c * (1 - dw),
 * c = 0 for a one-input plugin, else i), then Balance on pairs (0, 1), (2, 3), ... (with
 * bl = (left + 1) / 2, br = (right + 1) / 2: out_even = old_even * (1 - bl) + out_odd * (1 - br)
 * and out_odd = out_odd * br + old_even * bl, old_even being out_even before its balance; as
 * Carla does it, the even output takes the odd one before the odd one's Dry/Wet), then Volume
 * (out_i *= volume). All in float, in that order. Carla offers Dry/Wet only to plugins with
 * outputs whose inputs pair up (n_out > 0 and n_in == n_out or n_in == 1) and Balance only to
 * an even number of outputs (at least 2); on other plugins it keeps the values and applies
 * nothing, and so does the render. An inactive plugin (<Active>No</Active>, or no <Active> at
 * all) does not run and its outputs are 0. <Panning> is read and, as in Carla 2.6 (no plugin
 * type gets PLUGIN_CAN_PANNING), changes nothing. */
#ifndef QK_CARLA_SETTINGS_H
#define QK_CARLA_SETTINGS_H

#include "diag.h"
#include "graph.h"

#include <stdint.h>
#include <stdio.h>

struct qk_host_settings {
	int active;          /* <Active>Yes</Active> */
	float volume;        /* <Volume>, clamped to [0, 1.27]; 1 without one */
	float dry_wet;       /* <DryWet>, [0, 1]; 1 (all processed) without one */
	float balance_left;  /* <Balance-Left>, [-1, 1]; -1 without one */
	float balance_right; /* <Balance-Right>, [-1, 1]; 1 without one */
	float panning;       /* <Panning>, [-1, 1]; 0 without one */
	unsigned options;    /* <Options>, hexadecimal */
	/* A source read from Carla's audio file player: Carla multiplies what it plays by its
	 * Volume (file_gain = Volume / 100) through a one-pole smoother from 0 (30 Hz, in float:
	 * b1 = expf(-2 pi 30 / rate), z = gain (1 - b1) + z b1 each sample, out = sample * z). */
	int audiofile;
	float file_gain;
};

/* Carla's PLUGIN_OPTION_FORCE_STEREO: a second instance for a plugin with at most one audio
 * input and output. Not rendered (the render refuses it). */
#define QK_CARLA_FORCE_STEREO 0x2u

struct _xmlNode;

/* Reads the settings of one <Plugin> from its <Data> element (NULL: none) into *out, malloc'd.
 * Numbers are read as Carla reads them: a float, clamped to the setting's range. A malformed
 * number is an error at its line. */
int qk_carla_settings_read(const char *path, const struct _xmlNode *data, qk_host_settings **out,
                           qk_diag *d);

/* Writes one note for each setting of an instance with n_in audio inputs and n_out audio
 * outputs that Carla keeps but does not apply (Dry/Wet or Balance it does not offer that
 * plugin, Panning), so the user knows the render ignores it too. */
void qk_carla_settings_notes(const qk_host_settings *s, const char *instance, uint32_t n_in,
                             uint32_t n_out, FILE *notes);

/* The post-processing of one instance. */
typedef struct qk_host_post qk_host_post;

/* Builds the post-processing of an instance with the given audio inputs (as the plugin reads
 * them: the zero buffer for open ones) and outputs, in port order. *out is NULL when the
 * settings leave every output as the plugin wrote it (active, and nothing that Carla applies
 * differs from its default). Returns -1 if out of memory. */
int qk_host_post_new(const qk_host_settings *s, const float *const *ins, uint32_t n_in,
                     float *const *outs, uint32_t n_out, uint32_t max_block, qk_host_post **out);

/* The smoother of an audio file player's source (s->audiofile) on its buffer. */
int qk_host_post_new_file(const qk_host_settings *s, float *out, double rate, qk_host_post **post);

/* 0 if the plugin must not run (inactive): qk_host_post_run() then writes its silence. */
int qk_host_post_runs_plugin(const qk_host_post *p);

/* Applies the settings to n <= max_block frames of the outputs, after the plugin ran (or
 * instead of it). Real-time safe. */
void qk_host_post_run(qk_host_post *p, uint32_t n);

void qk_host_post_free(qk_host_post *p);

#endif
