/* SPDX-License-Identifier: ISC */
/* Fuzz target: the graph parser and everything that reads a graph's words without plugins:
 * tokenizer, statements, name resolution, topological order and cycle messages, numbers,
 * times and frequencies, every source's settings, and the built-in sources run with whatever
 * settings survived the checks (they must stay finite-safe and never crash). The same bytes
 * are also read from a file by qk_graph_load_max(): NUL bytes (stopping the read), a byte
 * order mark, and the size limit, which is half the input's size when its first byte is odd
 * (so that half the inputs meet it) and the real one otherwise.
 *
 * Input: the text of a graph file. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include "graph.h"
#include "number.h"
#include "source_spec.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64], path[96];

static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (dir[0])
		return 0;
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(dir, sizeof dir, "%s/qkfuzz-XXXXXX", base);
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof path, "%s/g.graph", dir);
	atexit(cleanup);
	return 0;
}

/* The input as a file, read through the bounded reader. */
static void
load(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return;
	size_t done = 0;
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	if (done != size)
		return;
	size_t max = size > 0 && (data[0] & 1) ? size / 2 : QK_GRAPH_MAX_BYTES;
	qk_graph g;
	qk_diag d;
	if (qk_graph_load_max(path, max, &g, &d) == 0)
		qk_graph_free(&g);
}

static void
run_source(qk_source *s)
{
	float out[64];
	qk_source_process(s, out, 64);
	qk_source_seek(s, UINT64_MAX - 16);
	qk_source_process(s, out, 32); /* wraps around the counter */
	qk_source_seek(s, (uint64_t)1 << 53);
	qk_source_process(s, out, 8);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	LLVMFuzzerInitialize(NULL, NULL);
	load(data, size);
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	qk_graph g;
	qk_diag d;
	if (qk_graph_parse("fuzz/g.graph", text, &g, &d) == 0) {
		size_t *order = malloc((g.n_decls ? g.n_decls : 1) * sizeof *order);
		if (order)
			(void)qk_graph_order(&g, order, &d);
		free(order);
		double rate = 48000.0, v;
		if (g.rate.text && qk_parse_number(g.rate.text, &v) == 0 && v >= 1.0 && v <= 1e7)
			rate = v;
		if (g.duration.text)
			(void)qk_parse_time(g.duration.text, rate, &v);
		for (size_t i = 0; i < g.n_decls; i++) {
			const qk_decl *decl = &g.decls[i];
			(void)qk_graph_find(&g, decl->name);
			for (size_t k = 0; k < decl->n_settings;
			     k++) { /* node settings are numbers or labels */
				(void)qk_parse_number(decl->settings[k].value, &v);
				(void)qk_parse_freq(decl->settings[k].value, &v);
			}
			if ((decl->kind != QK_DECL_SOURCE && decl->kind != QK_DECL_INPUT) ||
			    !decl->type)
				continue;
			qk_source_spec spec;
			if (qk_source_spec_parse(&g, decl, rate, &spec, &d) == 0) {
				if (!spec.is_file)
					run_source(&spec.source);
				free(spec.path);
			}
		}
		qk_graph_free(&g);
	}
	free(text);
	return 0;
}
