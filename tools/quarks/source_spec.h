/* SPDX-License-Identifier: ISC */
/* The settings of a `source` or `input` line (kind and key=value pairs) turned into a built-in
 * source or a file to read. */
#ifndef QK_SOURCE_SPEC_H
#define QK_SOURCE_SPEC_H

#include "diag.h"
#include "graph.h"
#include "source.h"

typedef struct {
	int is_file;
	qk_source source; /* when !is_file */
	char *path;       /* when is_file: resolved against the graph's folder; owned */
	int channel;      /* when is_file: 1-based */
	int loop;         /* when is_file: 1 to start again at the end, else 0 past the end */
} qk_source_spec;

/* Parses decl's kind and settings at the given sample rate. On error out->path is NULL (nothing
 * to free); on success the caller frees out->path. */
int qk_source_spec_parse(const qk_graph *g, const qk_decl *decl, double rate, qk_source_spec *out,
                         qk_diag *d);

#endif
