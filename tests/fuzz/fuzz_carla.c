/* SPDX-License-Identifier: ISC */
/* Fuzz target: `quarks render` of a Carla project (.carxp): libxml2 reads the XML (no network,
 * no entities), the importer turns plugins, parameters and connections into a graph through
 * lilv, and the graph is ordered as the engine would. The project is streamed, one element at
 * a time, under a size limit. Input: the bytes of the project file. */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"

#include "carla_import.h"
#include "graph.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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
	snprintf(path, sizeof path, "%s/p.carxp", dir);
	atexit(cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	LLVMFuzzerInitialize(NULL, NULL);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return 0;
	size_t done = 0;
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	if (done != size)
		return 0;
	qk_graph g;
	qk_diag d;
	if (!qk_is_carla_path(path))
		abort();
	/* The size limit is half the input's size when its first byte is odd (so that half the
	 * inputs meet it while libxml2 reads), the real one otherwise. */
	size_t max = size > 0 && (data[0] & 1) ? size / 2 : QK_CARLA_MAX_BYTES;
	if (qk_carla_load(path, max, &g, &d) == 0) {
		size_t *order = malloc((g.n_decls ? g.n_decls : 1) * sizeof *order);
		if (order)
			(void)qk_graph_order(&g, order, &d);
		free(order);
		qk_graph_free(&g);
	}
	return 0;
}
