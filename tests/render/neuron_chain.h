/* SPDX-License-Identifier: ISC */
/* The text of a long graph for the renderer's scale tests (test_graph.c, test_loops.c): n
 * neurons n0 .. n(n-1), each into the next's x1. */
#ifndef QK_TEST_NEURON_CHAIN_H
#define QK_TEST_NEURON_CHAIN_H

#include <stdio.h>
#include <stdlib.h>

/* The chain's declarations after the lines `nodes`, its links after the lines `links`; its
 * length in *len and the buffer's size in *cap, with room for 64 more bytes (a closing line
 * or two). NULL if out of memory. */
static char *
neuron_chain(int n, const char *nodes, const char *links, size_t *len, size_t *cap)
{
	*cap = (size_t)n * 48 + 64;
	*len = 0;
	char *text = malloc(*cap);
	if (!text)
		return NULL;
	*len += (size_t)snprintf(text + *len, *cap - *len, "%s", nodes);
	for (int i = 0; i < n; i++)
		*len += (size_t)snprintf(text + *len, *cap - *len, "node n%d = neuron\n", i);
	*len += (size_t)snprintf(text + *len, *cap - *len, "%s", links);
	for (int i = 1; i < n; i++)
		*len += (size_t)snprintf(text + *len, *cap - *len, "n%d -> n%d.x1\n", i - 1, i);
	return text;
}

#endif
