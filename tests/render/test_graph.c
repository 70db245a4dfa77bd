/* SPDX-License-Identifier: ISC */
/* The graph parser, topological order, cycle messages and number syntax (tools/quarks), without
 * plugins: what each text must give is written out by hand from docs/graph.md. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include "check.h"
#include "graph.h"
#include "neuron_chain.h"
#include "number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *
setting(const qk_decl *d, const char *key)
{
	for (size_t i = 0; i < d->n_settings; i++)
		if (strcmp(d->settings[i].key, key) == 0)
			return d->settings[i].value;
	return NULL;
}

static void
full_example(void)
{
	const char *text = "# a comment line\n"
	                   "rate 44100\n"
	                   "duration 250ms   # trailing comment\n"
	                   "\n"
	                   "source x = pulse period=0.5 duty=0.25\n"
	                   "input s = file path=\"my input.wav\" channel=2\n"
	                   "node g=output-gate a=2\n"
	                   "node u = <http://example.org/plugins#amp> gain=0.5\n"
	                   "node n = http://example.org/p#x w1=1\n"
	                   "x -> n.x1, g.in\n"
	                   "s.out->g.gate\n"
	                   "output y = g.out\n"
	                   "output z\n"
	                   "n -> z\n"
	                   "n.out -> z\n"
	                   "plot x g.out y\n";
	qk_graph g;
	qk_diag d;
	int rc = qk_graph_parse("t.graph", text, &g, &d);
	CHECK(rc == 0, "parse failed: %s", d.msg);
	if (rc != 0)
		return;
	CHECK(g.n_decls == 7, "%zu declarations", g.n_decls);
	CHECK(g.rate.text && strcmp(g.rate.text, "44100") == 0 && g.rate.line == 2, "rate");
	CHECK(g.duration.text && strcmp(g.duration.text, "250ms") == 0, "duration");
	const qk_decl *x = &g.decls[0], *s = &g.decls[1], *gate = &g.decls[2], *u = &g.decls[3];
	const qk_decl *n = &g.decls[4];
	CHECK(x->kind == QK_DECL_SOURCE && strcmp(x->type, "pulse") == 0 && x->line == 5, "x");
	CHECK(setting(x, "duty") && strcmp(setting(x, "duty"), "0.25") == 0, "x duty");
	CHECK(s->kind == QK_DECL_INPUT && strcmp(setting(s, "path"), "my input.wav") == 0,
	      "s path");
	CHECK(gate->kind == QK_DECL_NODE && strcmp(gate->type, "output-gate") == 0, "g type");
	CHECK(strcmp(setting(gate, "a"), "2") == 0, "g a");
	CHECK(strcmp(u->type, "http://example.org/plugins#amp") == 0, "<URI> type '%s'", u->type);
	CHECK(strcmp(n->type, "http://example.org/p#x") == 0, "bare URI with '#': '%s'", n->type);
	CHECK(strcmp(setting(n, "w1"), "1") == 0, "n w1 after a URI with '#'");
	CHECK(g.decls[5].kind == QK_DECL_OUTPUT && g.decls[6].kind == QK_DECL_OUTPUT, "outputs");
	/* x -> n.x1, x -> g.in, s.out -> g.gate, n -> z, n.out -> z, then output y = g.out. */
	CHECK(g.n_conns == 6, "%zu connections", g.n_conns);
	if (g.n_conns == 6) {
		const qk_conn *c = g.conns;
		CHECK(c[0].from == 0 && c[0].to == 4 && !c[0].from_port &&
		              !strcmp(c[0].to_port, "x1"),
		      "fan-out 1");
		CHECK(c[1].from == 0 && c[1].to == 2 && !strcmp(c[1].to_port, "in") &&
		              c[1].line == 10,
		      "fan-out 2");
		CHECK(c[2].from == 1 && !strcmp(c[2].from_port, "out") &&
		              !strcmp(c[2].to_port, "gate"),
		      "no spaces around ->");
		CHECK(c[3].to == 6 && !c[3].to_port && c[4].to == 6, "fan-in to z");
		CHECK(c[5].from == 2 && !strcmp(c[5].from_port, "out") && c[5].to == 5 &&
		              c[5].line == 12,
		      "output sugar");
	}
	CHECK(g.n_plot == 3 && strcmp(g.plot[1].text, "g.out") == 0, "plot");
	size_t order[7];
	CHECK(qk_graph_order(&g, order, &d) == 0, "order: %s", d.msg);
	/* Earliest ready declaration first: x, s; then g (fed by both), u, n; then y, z. */
	static const size_t want[7] = {0, 1, 2, 3, 4, 5, 6};
	CHECK(memcmp(order, want, sizeof want) == 0, "order %zu %zu %zu %zu %zu %zu %zu", order[0],
	      order[1], order[2], order[3], order[4], order[5], order[6]);
	qk_graph_free(&g);
}

/* Declared against the flow: the order follows the connections, not the file. */
static void
reverse_order(void)
{
	const char *text = "output y = c.out\n"
	                   "node c = neuron\n"
	                   "node b = neuron\n"
	                   "node a = neuron\n"
	                   "b.out -> c.x1\n"
	                   "a.out -> b.x1\n"
	                   "a.out -> c.x2\n";
	qk_graph g;
	qk_diag d;
	CHECK(qk_graph_parse("r.graph", text, &g, &d) == 0, "parse: %s", d.msg);
	size_t order[4];
	CHECK(qk_graph_order(&g, order, &d) == 0, "order: %s", d.msg);
	static const size_t want[4] = {3, 2, 1, 0}; /* a, b, c, y */
	CHECK(memcmp(order, want, sizeof want) == 0, "order %zu %zu %zu %zu", order[0], order[1],
	      order[2], order[3]);
	qk_graph_free(&g);
}

static void
cycles(void)
{
	const char *text = "source s = constant value=1\n"
	                   "node a = neuron\n"
	                   "node b = neuron\n"
	                   "node c = neuron\n"
	                   "node d = neuron\n"
	                   "s -> a.x1\n"
	                   "a.out -> b.x1\n"
	                   "b.out -> c.x1\n"
	                   "c.out -> d.x1\n"
	                   "d.out -> b.x2\n";
	qk_graph g;
	qk_diag d;
	CHECK(qk_graph_parse("c.graph", text, &g, &d) == 0, "parse: %s", d.msg);
	size_t order[5];
	CHECK(qk_graph_order(&g, order, &d) != 0, "cycle not found");
	CHECK(strstr(d.msg, "c.graph:10: cycle: b -> c -> d -> b") == d.msg, "message: %s", d.msg);
	qk_graph_free(&g);
}

static void
errors(void)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
	        {"node\n", "t.graph:1: 'node' needs a name"},
	        {"\nnode n neuron\n", "t.graph:2: expected '= PLUGIN'"},
	        {"node n =\n", "t.graph:1: expected '= PLUGIN'"},
	        {"node 1n = neuron\n", "t.graph:1: '1n' is not a valid node name"},
	        {"node rate = neuron\n", "t.graph:1: 'rate' is a keyword"},
	        {"node n = neuron w1=1 w1=2\n", "t.graph:1: 'w1' is set twice"},
	        {"node n = neuron w1\n", "t.graph:1: expected a setting KEY=VALUE, found 'w1'"},
	        {"node n = neuron\nnode m = neuron\nn -> m.x1 m.x2\n",
	         "t.graph:3: expected ',' between destinations"},
	        {"node n = neuron\nn ->\n", "t.graph:2: expected a destination after '->'"},
	        {"node n = neuron\nn -> m.x1\n", "t.graph:2: unknown name 'm'"},
	        {"output y\nnode n = neuron\ny -> n.x1\n", "t.graph:3: 'y' is a graph output"},
	        {"source s = sine freq=1\nnode n = neuron\nn.out -> s\n",
	         "t.graph:3: 's' is a source"},
	        {"rate 1\nrate 2\n", "t.graph:2: 'rate' is set twice (line 1)"},
	        {"plot\n", "t.graph:1: expected 'plot SIGNAL...'"},
	        {"node n = <http://x\n", "t.graph:1: unterminated <URI>"},
	        {"node n = neuron\nn.a.b -> n.x1\n", "t.graph:2: 'n.a.b' is not an endpoint"},
	        {"bogus line\n", "t.graph:1: unknown statement 'bogus'"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		qk_graph g;
		qk_diag d;
		int rc = qk_graph_parse("t.graph", cases[i].text, &g, &d);
		CHECK(rc != 0, "accepted: %s", cases[i].text);
		if (rc != 0)
			CHECK(strncmp(d.msg, cases[i].msg, strlen(cases[i].msg)) == 0,
			      "got '%s', expected '%s'", d.msg, cases[i].msg);
		else
			qk_graph_free(&g);
	}
	qk_graph g;
	qk_diag d;
	CHECK(qk_graph_load("/nonexistent/x.graph", &g, &d) != 0 &&
	              strstr(d.msg, "/nonexistent/x.graph: cannot read the graph") == d.msg,
	      "missing file: %s", d.msg);
}

/* A byte order mark (as Windows editors write) is no part of line 1. */
static void
byte_order_mark(void)
{
	qk_graph g;
	qk_diag d;
	int rc = qk_graph_parse("b.graph", "\xEF\xBB\xBF# comment\nnode n = neuron\n", &g, &d);
	CHECK(rc == 0, "BOM: %s", d.msg);
	if (rc == 0) {
		CHECK(g.n_decls == 1 && g.decls[0].line == 2, "BOM: declarations");
		qk_graph_free(&g);
	}
	rc = qk_graph_parse("b.graph", "\xEF\xBB\xBFnode n = neuron\n", &g, &d);
	CHECK(rc == 0, "BOM before a statement: %s", d.msg);
	if (rc == 0)
		qk_graph_free(&g);
}

static void
write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(data, 1, n, f) == n, "cannot write %s", path);
	if (f)
		fclose(f);
}

/* Graph files are read to a limit, and a NUL stops the read where it is. */
static void
reading(void)
{
	char dir[] = "/tmp/qk-test-graph-XXXXXX", path[64];
	CHECK(mkdtemp(dir) != NULL, "mkdtemp");
	snprintf(path, sizeof path, "%s/g.graph", dir);
	static char text[5000];
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = i % 50 == 49 ? '\n' : '#';
	write_file(path, text, sizeof text);
	qk_graph g;
	qk_diag d;
	CHECK(qk_graph_load_max(path, 4096, &g, &d) != 0 &&
	              strstr(d.msg, "the file is larger than 4096 bytes, the limit for a graph"),
	      "limit: %s", d.msg);
	int rc = qk_graph_load_max(path, sizeof text, &g, &d);
	CHECK(rc == 0, "exactly at the limit: %s", d.msg);
	if (rc == 0)
		qk_graph_free(&g);
	write_file(path, "rate 48000\n\n# a\0b\n", 19);
	CHECK(qk_graph_load(path, &g, &d) != 0 && strstr(d.msg, ":3: a NUL byte"), "NUL: %s",
	      d.msg);
	CHECK(qk_graph_load("/dev/zero", &g, &d) != 0 &&
	              strcmp(d.msg, "/dev/zero:1: a NUL byte in the line (is this a text file?)") ==
	                      0,
	      "/dev/zero: %s", d.msg);
	unlink(path);
	rmdir(dir);
}

/* 100,000 declarations in a chain: parsed, ordered, and a cycle through all of them found
 * (the recursive search overflowed the stack; the quadratic one took minutes). */
static void
big_chain(void)
{
	enum { N = 100000 };
	size_t before_cycle, cap;
	char *text = neuron_chain(N, "", "", &before_cycle, &cap);
	CHECK(text != NULL, "malloc");
	if (!text)
		return;
	snprintf(text + before_cycle, cap - before_cycle, "n%d -> n0.x1\n", N - 1);
	qk_graph g;
	qk_diag d;
	size_t *order = malloc(N * sizeof *order);
	CHECK(qk_graph_parse("big.graph", text, &g, &d) == 0, "parse: %s", d.msg);
	CHECK(qk_graph_order(&g, order, &d) != 0 && strstr(d.msg, "cycle: n0 -> n1 -> n2 -> "),
	      "big cycle: %s", d.msg);
	qk_graph_free(&g);
	text[before_cycle] = '\0';
	CHECK(qk_graph_parse("big.graph", text, &g, &d) == 0, "parse: %s", d.msg);
	CHECK(qk_graph_order(&g, order, &d) == 0 && order[0] == 0 && order[N - 1] == N - 1,
	      "big order: %s", d.msg);
	CHECK(qk_graph_find(&g, "n99999") == N - 1 && qk_graph_find(&g, "n100000") == -1, "find");
	qk_graph_free(&g);
	free(order);
	free(text);
}

static void
numbers(void)
{
	static const char *good[] = {"1", "-2.5", "+0.5", "1e3", "1.5E-2", ".5"};
	static const double good_v[] = {1, -2.5, 0.5, 1000, 0.015, 0.5};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		double v = -99;
		CHECK(qk_parse_number(good[i], &v) == 0 && v == good_v[i], "'%s' -> %g", good[i],
		      v);
	}
	static const char *bad[] = {"",     " 1",    "1 ",  "1.5x", "nan", "inf", "-inf",
	                            "0x10", "1e999", "--1", "1,5",  "e",   "."};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double v;
		CHECK(qk_parse_number(bad[i], &v) != 0, "accepted '%s'", bad[i]);
	}
	double s;
	CHECK(qk_parse_time("0.5", 48000, &s) == 0 && s == 24000, "0.5 s");
	CHECK(qk_parse_time("2s", 44100, &s) == 0 && s == 88200, "2s");
	CHECK(qk_parse_time("250ms", 48000, &s) == 0 && s == 12000, "250ms");
	CHECK(qk_parse_time("100smp", 48000, &s) == 0 && s == 100, "100smp");
	CHECK(qk_parse_time("2min", 48000, &s) != 0, "2min");
	CHECK(qk_parse_time("ms", 48000, &s) != 0, "ms alone");
	CHECK(qk_parse_freq("440Hz", &s) == 0 && s == 440, "440Hz");
	CHECK(qk_parse_freq("440", &s) == 0 && s == 440, "440");
	CHECK(qk_parse_freq("440kHz", &s) != 0, "440kHz");
}

int
main(void)
{
	full_example();
	reverse_order();
	cycles();
	errors();
	byte_order_mark();
	reading();
	big_chain();
	numbers();
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures != 0;
}
