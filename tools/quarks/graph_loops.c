/* SPDX-License-Identifier: ISC */
/* The schedule of a graph with feedback loops (docs/graph.md, "Feedback loops").
 *
 * A loop is a strongly connected component with a cycle (Tarjan's algorithm finds them all in
 * linear time). Its delays are where it is cut: a delay's output for the next N samples is its
 * input of earlier ones, so with the connections leaving its delays left out a loop must be
 * acyclic, and its declarations are ordered by the same earliest-first Kahn's algorithm as a
 * graph without loops. The components themselves are ordered that way too (each by its
 * earliest declaration), so a graph without loops gets qk_graph_order()'s order exactly. */
#define _POSIX_C_SOURCE 200809L
#include "graph_order_impl.h"

#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)

/* Strongly connected components, with an explicit call stack (a chain of 100,000 nodes would
 * overflow the C one). comp[v] is v's component; they are numbered from the sinks up. */
static int
tarjan(const qk_graph *g, const qk_adjacency *a, size_t *comp, size_t *n_comps)
{
	size_t n = g->n_decls ? g->n_decls : 1;
	size_t *index = malloc(n * sizeof *index), *low = malloc(n * sizeof *low);
	size_t *stack = malloc(n * sizeof *stack), *calls = malloc(n * sizeof *calls);
	size_t *next = malloc(n * sizeof *next);
	char *on = calloc(n, 1);
	int rc = -1;
	if (!index || !low || !stack || !calls || !next || !on)
		goto out;
	for (size_t v = 0; v < g->n_decls; v++)
		index[v] = NONE;
	size_t counter = 0, sp = 0, c = 0;
	for (size_t r = 0; r < g->n_decls; r++) {
		if (index[r] != NONE)
			continue;
		size_t cp = 0;
		index[r] = low[r] = counter++;
		stack[sp++] = r;
		on[r] = 1;
		next[r] = a->start[r];
		calls[cp++] = r;
		while (cp > 0) {
			size_t u = calls[cp - 1];
			if (next[u] < a->start[u + 1]) {
				size_t w = g->conns[a->out[next[u]++]].to;
				if (index[w] == NONE) {
					index[w] = low[w] = counter++;
					stack[sp++] = w;
					on[w] = 1;
					next[w] = a->start[w];
					calls[cp++] = w;
				} else if (on[w] && index[w] < low[u]) {
					low[u] = index[w];
				}
				continue;
			}
			cp--;
			if (cp > 0 && low[u] < low[calls[cp - 1]])
				low[calls[cp - 1]] = low[u];
			if (low[u] == index[u]) {
				size_t w;
				do {
					w = stack[--sp];
					on[w] = 0;
					comp[w] = c;
				} while (w != u);
				c++;
			}
		}
	}
	*n_comps = c;
	rc = 0;
out:
	free(index);
	free(low);
	free(stack);
	free(calls);
	free(next);
	free(on);
	return rc;
}

/* Appends s to out without overflowing it. */
static void
append(char *out, size_t cap, const char *s)
{
	size_t len = strlen(out);
	if (len + 1 < cap)
		strncat(out, s, cap - len - 1);
}

typedef struct {
	const qk_graph *g;
	const unsigned char *cut;
	qk_adjacency a;
	size_t *comp;             /* per declaration */
	size_t *members, *mstart; /* component c: members[mstart[c] .. mstart[c + 1]), ascending */
	size_t n_comps;
	size_t *indeg;      /* per declaration: connections from inside its loop, cuts' left out */
	size_t *comp_indeg; /* per component: connections from other components */
	size_t *ready, *inner; /* heaps: components by their earliest declaration; a loop's own */
	size_t *parent;        /* naming a loop: the search's tree */
	char *mark;            /* per declaration: scratch, all 0 between uses */
	qk_graph_loop *loops;
	size_t n_loops;
} scheduler;

/* One cycle of component c through its earliest cut, the shortest (a breadth-first search
 * from the cut back to it): "d1 -> u1 -> d1", and the line of the connection that closes it. */
static int
name_loop(scheduler *s, size_t c, qk_graph_loop *l)
{
	const qk_graph *g = s->g;
	size_t from = s->mstart[c], to = s->mstart[c + 1], start = NONE;
	for (size_t k = from; k < to && start == NONE; k++)
		if (s->cut[s->members[k]])
			start = s->members[k];
	size_t *queue = s->inner, head = 0, tail = 0, last = NONE;
	queue[tail++] = start;
	s->mark[start] = 1;
	while (head < tail && last == NONE) {
		size_t u = queue[head++];
		for (size_t k = s->a.start[u]; k < s->a.start[u + 1]; k++) {
			const qk_conn *e = &g->conns[s->a.out[k]];
			if (e->to == start) {
				last = u;
				l->line = e->line;
				break;
			}
			if (s->comp[e->to] == c && !s->mark[e->to]) {
				s->mark[e->to] = 1;
				s->parent[e->to] = u;
				queue[tail++] = e->to;
			}
		}
	}
	for (size_t k = from; k < to; k++)
		s->mark[s->members[k]] = 0;
	if (last == NONE) /* cannot happen: every member of a loop is on a cycle of it */
		last = start;
	/* The path back from the last declaration to the cut, written out from the cut. */
	size_t len = 0;
	for (size_t v = last; v != start; v = s->parent[v])
		queue[len++] = v;
	/* A long cycle is cut short in the middle, keeping its end: "d -> n0 -> ... -> d". */
	char text[600] = "";
	const char *name = g->decls[start].name;
	size_t room = sizeof text - strlen(" -> ... -> ") - strlen(name) - 1;
	append(text, sizeof text, name);
	for (size_t i = len; i-- > 0;) {
		const char *next = g->decls[queue[i]].name;
		if (strlen(text) + strlen(" -> ") + strlen(next) > room) {
			append(text, sizeof text, " -> ...");
			break;
		}
		append(text, sizeof text, " -> ");
		append(text, sizeof text, next);
	}
	append(text, sizeof text, " -> ");
	append(text, sizeof text, name);
	return (l->cycle = strdup(text)) ? 0 : -1;
}

/* Fails naming a cycle among the members of c not yet in order[0 .. done). */
static int
report(scheduler *s, size_t c, const size_t *order, size_t first, size_t done, const char *why,
       qk_diag *d)
{
	for (size_t k = s->mstart[c]; k < s->mstart[c + 1]; k++)
		s->mark[s->members[k]] = 1;
	for (size_t k = first; k < done; k++)
		s->mark[order[k]] = 0;
	return qk_report_cycle(s->g, &s->a, s->mark, s->cut, why, d);
}

/* Orders the members of loop c into order[*done ..): Kahn's algorithm without the connections
 * leaving its cuts. */
static int
order_loop(scheduler *s, size_t c, size_t *order, size_t *done, qk_diag *d)
{
	const qk_graph *g = s->g;
	size_t first = *done, n_inner = 0;
	if (!s->cut)
		return report(s, c, order, first, first,
		              "Carla's patchbay does not compute feedback: it feeds the connection "
		              "that closes a loop from silence",
		              d);
	for (size_t k = s->mstart[c]; k < s->mstart[c + 1]; k++)
		if (s->indeg[s->members[k]] == 0)
			qk_heap_push(s->inner, &n_inner, s->members[k]);
	while (n_inner > 0) {
		size_t v = qk_heap_pop(s->inner, &n_inner);
		order[(*done)++] = v;
		if (s->cut[v])
			continue;
		for (size_t k = s->a.start[v]; k < s->a.start[v + 1]; k++) {
			size_t w = g->conns[s->a.out[k]].to;
			if (s->comp[w] == c && --s->indeg[w] == 0)
				qk_heap_push(s->inner, &n_inner, w);
		}
	}
	if (*done - first < s->mstart[c + 1] - s->mstart[c])
		return report(s, c, order, first, *done,
		              "no delay in it: a loop is computed only through a delay node, whose "
		              "output comes from earlier samples",
		              d);
	qk_graph_loop *l = &s->loops[s->n_loops++];
	l->first = first;
	l->count = *done - first;
	return name_loop(s, c, l) == 0 ? 0 : qk_fail(d, g->path, 0, "out of memory");
}

/* Components, their members, which are loops, and the in-degrees Kahn's algorithm needs. */
static int
prepare(scheduler *s)
{
	const qk_graph *g = s->g;
	size_t n = g->n_decls ? g->n_decls : 1;
	s->comp = malloc(n * sizeof *s->comp);
	s->members = malloc(n * sizeof *s->members);
	s->indeg = calloc(n, sizeof *s->indeg);
	s->ready = malloc(n * sizeof *s->ready);
	s->inner = malloc(n * sizeof *s->inner);
	s->parent = malloc(n * sizeof *s->parent);
	s->mark = calloc(n, 1);
	if (!s->comp || !s->members || !s->indeg || !s->ready || !s->inner || !s->parent ||
	    !s->mark || qk_adjacency_new(g, &s->a) != 0 || tarjan(g, &s->a, s->comp, &s->n_comps))
		return -1;
	s->mstart = calloc(s->n_comps + 1, sizeof *s->mstart);
	s->comp_indeg = calloc(s->n_comps ? s->n_comps : 1, sizeof *s->comp_indeg);
	size_t *fill = malloc((s->n_comps ? s->n_comps : 1) * sizeof *fill);
	if (!s->mstart || !s->comp_indeg || !fill) {
		free(fill);
		return -1;
	}
	for (size_t v = 0; v < g->n_decls; v++)
		s->mstart[s->comp[v] + 1]++;
	for (size_t c = 0; c < s->n_comps; c++)
		s->mstart[c + 1] += s->mstart[c];
	memcpy(fill, s->mstart, s->n_comps * sizeof *fill);
	for (size_t v = 0; v < g->n_decls; v++)
		s->members[fill[s->comp[v]]++] = v;
	free(fill);
	size_t loops = 0;
	for (size_t c = 0; c < s->n_comps; c++)
		loops += s->mstart[c + 1] - s->mstart[c] > 1;
	for (size_t i = 0; i < g->n_conns; i++) {
		const qk_conn *e = &g->conns[i];
		if (s->comp[e->from] != s->comp[e->to])
			s->comp_indeg[s->comp[e->to]]++;
		else if (!s->cut || !s->cut[e->from])
			s->indeg[e->to]++;
		if (e->from == e->to &&
		    s->mstart[s->comp[e->to] + 1] - s->mstart[s->comp[e->to]] == 1)
			loops++; /* a declaration feeding itself (counted once per connection:
			            enough) */
	}
	s->loops = calloc(loops ? loops : 1, sizeof *s->loops);
	return s->loops ? 0 : -1;
}

/* A component is a loop when it has more than one member or a member feeds itself. */
static int
is_loop(const scheduler *s, size_t c)
{
	size_t v = s->members[s->mstart[c]];
	if (s->mstart[c + 1] - s->mstart[c] > 1)
		return 1;
	for (size_t k = s->a.start[v]; k < s->a.start[v + 1]; k++)
		if (s->g->conns[s->a.out[k]].to == v)
			return 1;
	return 0;
}

int
qk_graph_schedule(const qk_graph *g, const unsigned char *cut, size_t *order, qk_graph_loop **loops,
                  size_t *n_loops, qk_diag *d)
{
	scheduler s;
	memset(&s, 0, sizeof s);
	s.g = g;
	s.cut = cut;
	*loops = NULL;
	*n_loops = 0;
	int rc = prepare(&s) != 0 ? qk_fail(d, g->path, 0, "out of memory") : 0;
	size_t done = 0, n_ready = 0;
	for (size_t c = 0; rc == 0 && c < s.n_comps; c++)
		if (s.comp_indeg[c] == 0)
			qk_heap_push(s.ready, &n_ready, s.members[s.mstart[c]]);
	while (rc == 0 && n_ready > 0) {
		size_t c = s.comp[qk_heap_pop(s.ready, &n_ready)], first = done;
		if (is_loop(&s, c)) {
			if ((rc = order_loop(&s, c, order, &done, d)) != 0)
				break;
		} else {
			order[done++] = s.members[s.mstart[c]];
		}
		for (size_t k = first; k < done; k++) {
			size_t v = order[k];
			for (size_t j = s.a.start[v]; j < s.a.start[v + 1]; j++) {
				size_t w = s.comp[g->conns[s.a.out[j]].to];
				if (w != c && --s.comp_indeg[w] == 0)
					qk_heap_push(s.ready, &n_ready, s.members[s.mstart[w]]);
			}
		}
	}
	if (rc == 0) {
		*loops = s.n_loops ? s.loops : NULL;
		*n_loops = s.n_loops;
	} else {
		qk_graph_loops_free(s.loops, s.n_loops);
	}
	if (rc == 0 && !s.n_loops)
		free(s.loops);
	qk_adjacency_free(&s.a);
	free(s.comp);
	free(s.members);
	free(s.mstart);
	free(s.indeg);
	free(s.comp_indeg);
	free(s.ready);
	free(s.inner);
	free(s.parent);
	free(s.mark);
	return rc;
}

void
qk_graph_loops_free(qk_graph_loop *loops, size_t n_loops)
{
	for (size_t i = 0; loops && i < n_loops; i++)
		free(loops[i].cycle);
	free(loops);
}
