/* SPDX-License-Identifier: ISC */
/* A small lilv host for the tests: it loads the bundle the way jalv, Carla or
 * Ardour do (LV2_PATH, manifest, TTL, then the binary), so a TTL mistake fails
 * the tests just as it would fail in a real host. */
#ifndef QK_TEST_HOST_H
#define QK_TEST_HOST_H

#include "base_uri.h"

#include <lilv/lilv.h>

#include <stdbool.h>
#include <stdint.h>

#define HOST_URI QK_TEST_BASE_URI
#define HOST_MAX_PORTS 256 /* the 16x4 attention head has 177 */
#define HOST_MAX_PLUGINS 64

typedef struct {
	LilvWorld *world;
	const LilvPlugins *plugins;
	LilvNode *audio_port;
	LilvNode *control_port;
	LilvNode *input_port;
	LilvNode *output_port;
} host;

/* One instance with its ports sorted by kind, each list in index order. */
typedef struct {
	const LilvPlugin *plugin;
	LilvInstance *instance;
	uint32_t audio_in[HOST_MAX_PORTS], control_in[HOST_MAX_PORTS], audio_out[HOST_MAX_PORTS];
	int n_audio_in, n_control_in, n_audio_out;
	float control[HOST_MAX_PORTS]; /* values of control_in, connected once */
	float minimum[HOST_MAX_PORTS], maximum[HOST_MAX_PORTS];
} host_unit;

/* Load every bundle on LV2_PATH; false (with a message) if it fails. */
bool host_open(host *h);
void host_close(host *h);

/* The bundle as a host lists it: the short names (URI minus HOST_URI) of every plugin
 * on LV2_PATH whose URI starts with HOST_URI, in URI order, valid while h is open.
 * Returns how many, or 0 with a message if there are none or more than max: a bundle
 * that failed to load must not pass as a bundle with nothing to test. */
int host_bundle(const host *h, const char **names, int max);

/* The quark plugin with this short name, or NULL with a message. */
const LilvPlugin *host_plugin(const host *h, const char *name);

/* Instantiate, set every control to its default, activate. */
bool host_unit_new(host_unit *u, const host *h, const char *name, double rate);
void host_unit_free(host_unit *u);

/* Deactivate and activate again: a stateful plugin starts over, as after instantiate. */
void host_unit_reset(host_unit *u);

/* The index of the control input with this symbol among control_in, or -1. */
int host_control_index(const host_unit *u, const host *h, const char *symbol);

/* Run n frames: in[k] feeds audio input k (NULL: leave it unconnected),
 * out[o] receives audio output o. Buffers may be shared (in place). */
void host_unit_run(host_unit *u, float *const *in, float *const *out, uint32_t n);

/* Set the control with this symbol; false if there is none. */
bool host_set(host_unit *u, const host *h, const char *symbol, float value);

/* Apply a preset's port values through lilv's state API, as hosts do. */
bool host_apply_preset(host_unit *u, const host *h, const char *preset_uri);

#endif
