/* SPDX-License-Identifier: ISC */
/* Feedback loops (docs/graph.md, "Feedback loops"): the schedule (qk_graph_schedule) keeps each
 * loop together, after what feeds it and before what it feeds, orders a graph without loops as
 * qk_graph_order does, names a cycle without a delay, and stays linear for a loop of 100,000
 * nodes; the engine computes a delay that closes a loop with the same bits as the delay plugin
 * itself, also when its controls change between blocks and at any block size. */
#include "check.h"
#include "engine.h"
#include "graph.h"
#include "neuron_chain.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* cut[v]: the declaration is a delay, as the engine decides it from the plugin. */
static unsigned char *
delays(const qk_graph *g)
{
	unsigned char *cut = calloc(g->n_decls ? g->n_decls : 1, 1);
	for (size_t i = 0; cut && i < g->n_decls; i++)
		cut[i] = g->decls[i].kind == QK_DECL_NODE && strcmp(g->decls[i].type, "delay") == 0;
	return cut;
}

/* Schedules text; returns 0 with the order and loops, or -1 with d filled. */
static int
schedule(const char *text, qk_graph *g, size_t **order, qk_graph_loop **loops, size_t *n_loops,
         qk_diag *d)
{
	*order = NULL;
	*loops = NULL;
	*n_loops = 0;
	if (qk_graph_parse("loops.graph", text, g, d) != 0)
		return -2;
	unsigned char *cut = delays(g);
	*order = malloc((g->n_decls ? g->n_decls : 1) * sizeof **order);
	int rc = cut && *order ? qk_graph_schedule(g, cut, *order, loops, n_loops, d) : -2;
	free(cut);
	return rc;
}

/* The place of the declaration called name in order. */
static size_t
place(const qk_graph *g, const size_t *order, const char *name)
{
	long v = qk_graph_find(g, name);
	for (size_t k = 0; k < g->n_decls; k++)
		if ((long)order[k] == v)
			return k;
	return SIZE_MAX;
}

static void
schedule_order(void)
{
	/* Two loops: a (through da) and the self-loop of s; pre feeds the first, post reads it. */
	static const char text[] = "source x = constant value=1\n"
	                           "node post = neuron\n"
	                           "node a = neuron\n"
	                           "node b = neuron\n"
	                           "node da = delay\n"
	                           "node pre = neuron\n"
	                           "node s = delay\n"
	                           "x -> pre.x1\n"
	                           "pre -> a.x1\n"
	                           "a -> b.x1\n"
	                           "b -> da.in\n"
	                           "da -> a.x2\n"
	                           "b -> post.x1\n"
	                           "s -> s.in\n"
	                           "output y = post\n"
	                           "output z = s\n";
	qk_graph g;
	qk_diag d;
	size_t *order, n;
	qk_graph_loop *loops;
	CHECK(schedule(text, &g, &order, &loops, &n, &d) == 0, "schedule: %s", d.msg);
	CHECK(n == 2, "%zu loops, expected 2", n);
	if (n == 2) {
		CHECK(loops[0].count == 3 && strcmp(loops[0].cycle, "da -> a -> b -> da") == 0 &&
		              loops[0].line == 11,
		      "loop 1: %zu members, '%s' at line %d", loops[0].count, loops[0].cycle,
		      loops[0].line);
		CHECK(loops[1].count == 1 && strcmp(loops[1].cycle, "s -> s") == 0 &&
		              loops[1].line == 14,
		      "loop 2: %zu members, '%s' at line %d", loops[1].count, loops[1].cycle,
		      loops[1].line);
		/* Together; within the loop, da (its connection out left aside) after b. */
		size_t at = loops[0].first;
		CHECK(place(&g, order, "a") == at && place(&g, order, "b") == at + 1 &&
		              place(&g, order, "da") == at + 2,
		      "loop 1 in order a, b, da from %zu", at);
		CHECK(place(&g, order, "pre") < at && place(&g, order, "post") > at + 2,
		      "pre before the loop, post after it");
	}
	qk_graph_loops_free(loops, n);
	free(order);
	qk_graph_free(&g);
}

/* A graph without loops: exactly qk_graph_order()'s order. */
static void
schedule_acyclic(void)
{
	static const char text[] = "source x = constant value=1\n"
	                           "node c = neuron\n"
	                           "node b = neuron\n"
	                           "node a = delay\n"
	                           "node e = neuron\n"
	                           "x -> b.x1, e.x1\n"
	                           "b -> a.in\n"
	                           "a -> c.x1\n"
	                           "e -> c.x2\n"
	                           "output y = c\n";
	qk_graph g;
	qk_diag d;
	size_t *order, n;
	qk_graph_loop *loops;
	CHECK(schedule(text, &g, &order, &loops, &n, &d) == 0 && n == 0 && !loops, "schedule: %s",
	      d.msg);
	size_t plain[16];
	CHECK(qk_graph_order(&g, plain, &d) == 0, "order: %s", d.msg);
	CHECK(memcmp(plain, order, g.n_decls * sizeof *order) == 0, "the same order");
	free(order);
	qk_graph_free(&g);
}

/* A cycle without a delay is an error naming that cycle, also inside a loop that has one. */
static void
schedule_errors(void)
{
	static const char inner[] = "node a = neuron\n"
	                            "node b = neuron\n"
	                            "node d = delay\n"
	                            "a -> d.in\n"
	                            "d -> b.x1\n"
	                            "b -> a.x1\n"
	                            "a -> b.x2\n"
	                            "output y = a\n";
	qk_graph g;
	qk_diag d;
	size_t *order, n;
	qk_graph_loop *loops;
	CHECK(schedule(inner, &g, &order, &loops, &n, &d) == -1 &&
	              strstr(d.msg, "loops.graph:6: cycle: a -> b -> a (no delay in it"),
	      "inner cycle: %s", d.msg);
	free(order);
	qk_graph_free(&g);
	/* No declaration cuts (a host's project): a loop through a delay is an error too. */
	CHECK(qk_graph_parse("loops.graph", "node d = delay\nd -> d.in\noutput y = d\n", &g, &d) ==
	              0,
	      "parse: %s", d.msg);
	size_t one[1];
	CHECK(qk_graph_schedule(&g, NULL, one, &loops, &n, &d) == -1 &&
	              strstr(d.msg, "cycle: d -> d (Carla's patchbay does not compute feedback"),
	      "no cuts: %s", d.msg);
	qk_graph_free(&g);
}

/* A loop of 100,000 nodes closed by one delay: scheduled in linear time (well under a second
 * here; the quadratic alternative would take minutes). */
static void
schedule_big(void)
{
	enum { N = 100000 };
	size_t len, cap;
	char *text = neuron_chain(N, "node d = delay\n", "d -> n0.x1\n", &len, &cap);
	CHECK(text != NULL, "malloc");
	if (!text)
		return;
	snprintf(text + len, cap - len, "n%d -> d.in\noutput y = d\n", N - 1);
	qk_graph g;
	qk_diag d;
	size_t *order, n;
	qk_graph_loop *loops;
	clock_t t0 = clock();
	int rc = schedule(text, &g, &order, &loops, &n, &d);
	double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK(rc == 0 && n == 1 && loops[0].count == N + 1 && order[N] == 0 &&
	              strncmp(loops[0].cycle, "d -> n0 -> n1 -> ", 17) == 0,
	      "big loop: %s", rc ? d.msg : "wrong schedule");
	size_t cl = rc == 0 && n == 1 ? strlen(loops[0].cycle) : 0;
	CHECK(cl > 100 && cl < 600 && strcmp(loops[0].cycle + cl - 12, " -> ... -> d") == 0,
	      "a long cycle's name is cut short: '...%s'", cl > 40 ? loops[0].cycle + cl - 40 : "");
	CHECK(s < 5.0, "parse and schedule of 100,000 nodes took %.2f s", s);
	printf("parse and schedule of a loop of %d nodes: %.3f s\n", N + 1, s);
	qk_graph_loops_free(loops, n);
	free(order);
	qk_graph_free(&g);
	free(text);
}

/* The same delay twice, fed the same noise: d0 as a plugin, d1 closing a loop (through z,
 * whose weight 0 adds nothing), so the engine computes it. Run in blocks of varying size, with
 * the delay's controls changed between blocks; the outputs must be equal bit for bit. The
 * noise is huge, so the sanitising of stored inputs shows too. */
static void
cut_equals_plugin(void)
{
	static const char text[] = "source x = noise seed=5 amp=1e30\n"
	                           "node d0 = delay delay=2 time=0.37\n"
	                           "node d1 = delay delay=2 time=0.37\n"
	                           "node z = neuron w1=0\n"
	                           "x -> d0.in, d1.in\n"
	                           "z -> d1.in\n"
	                           "d1 -> z.x1\n"
	                           "output plain = d0\n"
	                           "output cut = d1\n";
	static const uint32_t blocks[] = {1, 7, 64, 17, 3, 64, 40, 1, 2, 64};
	/* delay, time for each block (NaN reads as the default, a huge value as the maximum) */
	static const float settings[][2] = {{2, 0.37f}, {2, 0.37f}, {0, 0},   {1, 0},    {5, 0.1f},
	                                    {0, 0.9f},  {3, 0},     {NAN, 0}, {1e9f, 0}, {-4, 1}};
	qk_graph g;
	qk_diag d;
	qk_engine *e = NULL;
	qk_engine_config cfg = {.rate = 44100, .max_block = 64};
	CHECK(qk_graph_parse("cut.graph", text, &g, &d) == 0, "%s", d.msg);
	CHECK(qk_engine_new(&g, &cfg, &e, &d) == 0, "%s", d.msg);
	if (!e) {
		qk_graph_free(&g);
		return;
	}
	int line;
	CHECK(qk_engine_n_loops(e) == 1 &&
	              strcmp(qk_engine_loop(e, 0, &line), "d1 -> z -> d1") == 0 && line == 6,
	      "the loop");
	float *c[2][2] = {
	        {qk_engine_control(e, "d0.delay", &d), qk_engine_control(e, "d0.time", &d)},
	        {qk_engine_control(e, "d1.delay", &d), qk_engine_control(e, "d1.time", &d)}};
	size_t differ = 0, frames = 0;
	for (int round = 0; round < 40; round++)
		for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
			const float *set = settings[(b + (size_t)round) % 10];
			for (int k = 0; k < 2; k++) {
				qk_engine_set_control(c[k][0], set[0]);
				qk_engine_set_control(c[k][1], set[1]);
			}
			qk_engine_process(e, blocks[b]);
			const float *p = qk_engine_output(e, 0), *q = qk_engine_output(e, 1);
			differ += memcmp(p, q, blocks[b] * sizeof *p) != 0;
			frames += blocks[b];
		}
	CHECK(differ == 0, "the engine's delay differs from the plugin's in %zu blocks", differ);
	printf("engine's delay = the plugin's over %zu frames, 400 blocks of 1..64, controls "
	       "changed every block\n",
	       frames);
	qk_engine_free(e);
	qk_graph_free(&g);
}

int
main(void)
{
	schedule_order();
	schedule_acyclic();
	schedule_errors();
	schedule_big();
	cut_equals_plugin();
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	return failures != 0;
}
