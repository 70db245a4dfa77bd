/* SPDX-License-Identifier: ISC */
/* Topological order of a graph's declarations, and the cycle that prevents one. Within a block
 * a plugin's output comes from its input of the same block, so a loop has no defined value
 * unless a delay breaks it; graph_loops.c schedules the loops that pass through delays, and
 * any other cycle is an error naming it, never a one-block delay that would make the output
 * depend on the block size.
 *
 * Both take time O((n + m) log n) for n declarations and m connections: each declaration keeps
 * the list of connections leaving it, and the declarations that are ready wait in a heap. */
#include "graph_order_impl.h"

#include <stdlib.h>
#include <string.h>

/* Appends "name -> " pieces to out without overflowing it. */
static void
append(char *out, size_t cap, const char *s)
{
	size_t len = strlen(out);
	if (len + 1 < cap)
		strncat(out, s, cap - len - 1);
}

int
qk_adjacency_new(const qk_graph *g, qk_adjacency *a)
{
	size_t n = g->n_decls, m = g->n_conns;
	a->start = calloc(n + 1, sizeof *a->start);
	a->out = malloc((m ? m : 1) * sizeof *a->out);
	size_t *fill = malloc((n ? n : 1) * sizeof *fill);
	if (!a->start || !a->out || !fill) {
		free(fill);
		return -1;
	}
	for (size_t c = 0; c < m; c++)
		a->start[g->conns[c].from + 1]++;
	for (size_t v = 0; v < n; v++)
		a->start[v + 1] += a->start[v];
	memcpy(fill, a->start, (n ? n : 1) * sizeof *fill);
	for (size_t c = 0; c < m; c++)
		a->out[fill[g->conns[c].from]++] = c;
	free(fill);
	return 0;
}

void
qk_adjacency_free(qk_adjacency *a)
{
	free(a->start);
	free(a->out);
}

/* Depth-first search, with an explicit stack (a chain of 100,000 nodes would overflow the C
 * one), among the declarations not yet ordered (left[v] != 0) for a path that returns to a
 * declaration on the stack, not leaving a cut declaration. state: 0 unseen, 1 on the stack, 2
 * done. Returns where the cycle closes, or -1; stack[0..*depth) holds the path. */
static long
find_cycle(const qk_graph *g, const qk_adjacency *a, const char *left, const unsigned char *cut,
           char *state, size_t v, size_t *stack, size_t *next, size_t *depth)
{
	*depth = 0;
	state[v] = 1;
	stack[(*depth)++] = v;
	next[v] = a->start[v];
	while (*depth > 0) {
		size_t u = stack[*depth - 1];
		if (next[u] == a->start[u + 1] || (cut && cut[u])) {
			state[u] = 2;
			(*depth)--;
			continue;
		}
		size_t to = g->conns[a->out[next[u]++]].to;
		if (!left[to])
			continue;
		if (state[to] == 1)
			return (long)to;
		if (state[to] == 0) {
			state[to] = 1;
			next[to] = a->start[to];
			stack[(*depth)++] = to;
		}
	}
	return -1;
}

int
qk_report_cycle(const qk_graph *g, const qk_adjacency *a, const char *left,
                const unsigned char *cut, const char *why, qk_diag *d)
{
	size_t n = g->n_decls;
	char *state = calloc(n, 1);
	size_t *stack = calloc(n, sizeof *stack), *next = calloc(n, sizeof *next);
	if (!state || !stack || !next) {
		free(state);
		free(stack);
		free(next);
		return qk_fail(d, g->path, 0, "out of memory");
	}
	char path[600] = "";
	int line = 0;
	for (size_t start = 0; start < n && line == 0; start++) {
		if (!left[start] || state[start])
			continue;
		size_t depth = 0;
		long at = find_cycle(g, a, left, cut, state, start, stack, next, &depth);
		if (at < 0)
			continue;
		size_t first = 0;
		while (stack[first] != (size_t)at)
			first++;
		for (size_t i = first; i < depth; i++) {
			append(path, sizeof path, g->decls[stack[i]].name);
			append(path, sizeof path, " -> ");
		}
		append(path, sizeof path, g->decls[at].name);
		/* Point at the connection that closes the loop. */
		for (size_t c = 0; c < g->n_conns; c++)
			if (g->conns[c].from == stack[depth - 1] && g->conns[c].to == (size_t)at) {
				line = g->conns[c].line;
				break;
			}
	}
	free(state);
	free(stack);
	free(next);
	return qk_fail(d, g->path, line, "cycle: %s (%s)", path, why);
}

void
qk_heap_push(size_t *h, size_t *n, size_t v)
{
	size_t i = (*n)++;
	while (i > 0 && h[(i - 1) / 2] > v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

size_t
qk_heap_pop(size_t *h, size_t *n)
{
	size_t top = h[0], v = h[--*n], i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (h[c] >= v)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = v;
	return top;
}

int
qk_graph_order(const qk_graph *g, size_t *order, qk_diag *d)
{
	size_t n = g->n_decls;
	char *left = malloc(n ? n : 1);
	size_t *indeg = calloc(n ? n : 1, sizeof *indeg);
	size_t *ready = malloc((n ? n : 1) * sizeof *ready);
	qk_adjacency a = {NULL, NULL};
	if (!left || !indeg || !ready || qk_adjacency_new(g, &a) != 0) {
		free(left);
		free(indeg);
		free(ready);
		qk_adjacency_free(&a);
		return qk_fail(d, g->path, 0, "out of memory");
	}
	memset(left, 1, n);
	for (size_t c = 0; c < g->n_conns; c++)
		indeg[g->conns[c].to]++;
	size_t done = 0, n_ready = 0;
	for (size_t v = 0; v < n; v++)
		if (indeg[v] == 0)
			qk_heap_push(ready, &n_ready, v);
	/* Kahn's algorithm, always taking the earliest declaration that is ready, so the order (and
	 * with it the summing order of fan-in) depends only on the file. */
	while (n_ready > 0) {
		size_t v = qk_heap_pop(ready, &n_ready);
		left[v] = 0;
		order[done++] = v;
		for (size_t k = a.start[v]; k < a.start[v + 1]; k++) {
			size_t to = g->conns[a.out[k]].to;
			if (--indeg[to] == 0)
				qk_heap_push(ready, &n_ready, to);
		}
	}
	int rc = done == n ? 0
	                   : qk_report_cycle(g, &a, left, NULL,
	                                     "every loop needs a delay node in it", d);
	free(left);
	free(indeg);
	free(ready);
	qk_adjacency_free(&a);
	return rc;
}
