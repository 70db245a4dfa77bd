/* SPDX-License-Identifier: ISC */
/* Carla's audio file player (the internal plugin "audiofile") in a project, as the renderer
 * reads it: a `file` source per output it feeds from, looping as its Loop Mode says, smoothed
 * as Carla smooths its Volume (carla_settings.h). It plays without Carla's transport only with
 * Host Sync off, which is what quarks export writes; with Host Sync on, or the four-channel
 * mode, the render refuses it. A relative path is taken from the project's folder (Carla takes
 * it from the folder it runs in). */
#ifndef QK_CARLA_AUDIOFILE_H
#define QK_CARLA_AUDIOFILE_H

#include "diag.h"

struct _xmlNode;

typedef struct {
	char *name; /* the instance */
	char *path; /* the file, as written */
	int loop, host_sync, enabled, quad;
	float volume; /* percent */
	int channels; /* of the file: 1 or 2 (output_2 plays channel 1 of a mono file) */
	double rate;  /* of the file */
	int line;
} qk_carla_audiofile;

/* Reads the <Plugin> of an audio file player named name (taken over) in the project at
 * path, whose folder is dir; opens the file for its channels and rate. */
int qk_carla_audiofile_read(const char *path, const char *dir, const struct _xmlNode *plugin,
                            char *name, qk_carla_audiofile *out, qk_diag *d);

void qk_carla_audiofile_free(qk_carla_audiofile *a);

#endif
