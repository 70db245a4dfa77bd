/* SPDX-License-Identifier: ISC */
/* Refusing an output path that would overwrite an input or another output of the same
 * command: `quarks render x.graph -p x.graph` must not put a PNG where the graph was. Paths
 * are compared as files, not as strings, so `./x.graph`, a symbolic or a hard link to it all
 * count as x.graph. */
#ifndef QK_PATHS_H
#define QK_PATHS_H

#include <stddef.h>

typedef struct {
	const char *path;
	const char *what; /* for the message: "the graph", "output 'y'", "the plot" */
} qk_path_role;

/* 0 when every output is a file of its own; else -1 with a message into err naming the two
 * paths (no command name). Existing files are compared by device and inode; a path that does
 * not exist yet by the real path of its folder (or of the nearest folder that exists) and the
 * rest of its name. */
int qk_check_outputs(const qk_path_role *inputs, size_t n_inputs, const qk_path_role *outputs,
                     size_t n_outputs, char *err, size_t err_len);

/* 1 when a and b name the same file (by the rules above), else 0. */
int qk_same_file(const char *a, const char *b);

#endif
