/* SPDX-License-Identifier: ISC */
/* What the topological order (graph_order.c) and the schedule of loops (graph_loops.c) share. */
#ifndef QK_GRAPH_ORDER_IMPL_H
#define QK_GRAPH_ORDER_IMPL_H

#include "graph.h"

/* The connections leaving each declaration: out[start[v] .. start[v + 1]) are indices into
 * g->conns, in the file's order. */
typedef struct {
	size_t *start, *out;
} qk_adjacency;

/* 0, or -1 when out of memory (free it all the same). */
int qk_adjacency_new(const qk_graph *g, qk_adjacency *a);
void qk_adjacency_free(qk_adjacency *a);

/* A binary min-heap of declaration indices: the earliest ready declaration comes first. */
void qk_heap_push(size_t *h, size_t *n, size_t v);
size_t qk_heap_pop(size_t *h, size_t *n);

/* Fails with "cycle: a -> b -> a (why)" at the connection that closes a cycle among the
 * declarations with left[v] != 0, following no connection out of a declaration with cut[v]
 * != 0 (cut may be NULL). */
int qk_report_cycle(const qk_graph *g, const qk_adjacency *a, const char *left,
                    const unsigned char *cut, const char *why, qk_diag *d);

#endif
