/* SPDX-License-Identifier: ISC */
/* The engine API that the JACK runner will use: controls changed between blocks by
 * "node.symbol", blocks of any size up to the maximum, fan-in sums, unconnected gates, signals by
 * name. Runs the real plugins from LV2_PATH; expected values are worked out by hand from
 * docs/PORTS.md. */
#include "check.h"
#include "engine.h"
#include "graph.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char graph_text[] = "source half = constant value=0.5\n"
                                 "source quarter = constant value=0.25\n"
                                 "source p = pulse period=4smp duty=0.5\n" /* 1 1 0 0 1 1 0 0 ... */
                                 "node n = neuron w1=2\n"                  /* linear: 2 * x1 */
                                 "node g = output-gate\n" /* gate unconnected: reads 1 */
                                 "node sum = neuron\n"
                                 "half -> n.x1, g.in\n"
                                 "half -> sum.x1\n"
                                 "quarter -> sum.x1\n" /* fan-in: x1 = 0.75 */
                                 "p -> sum.x2\n"
                                 "output y = n.out\n"
                                 "output open = g\n"
                                 "output s = sum\n";

/* Every sample of output i equals want. */
static void
expect_all(const qk_engine *e, size_t i, uint32_t n, float want, const char *what)
{
	const float *y = qk_engine_output(e, i);
	for (uint32_t k = 0; k < n; k++)
		if (fabsf(y[k] - want) > 1e-6f) {
			CHECK(0, "%s: sample %u is %g, expected %g", what, k, y[k], want);
			return;
		}
}

/* A host's own input streams (JACK): with external_inputs, a graph input is a buffer the host
 * fills before each block, and its default source in the graph is not used. */
static void
external_inputs(void)
{
	static const char text[] = "input a = constant value=100\n"
	                           "input b\n"
	                           "node n = neuron w1=2 w2=-1\n"
	                           "a -> n.x1\n"
	                           "b -> n.x2\n"
	                           "output y = n\n";
	qk_graph g;
	qk_diag d;
	qk_engine *e = NULL;
	qk_engine_config cfg = {.rate = 44100, .max_block = 16, .external_inputs = 1};
	CHECK(qk_graph_parse("ext.graph", text, &g, &d) == 0, "%s", d.msg);
	CHECK(qk_engine_new(&g, &cfg, &e, &d) == 0, "%s", d.msg);
	if (e) {
		float *a = qk_engine_input(e, "a"), *b = qk_engine_input(e, "b");
		CHECK(a && b && !qk_engine_input(e, "n") && !qk_engine_input(e, "y"),
		      "input buffers");
		if (a && b) {
			for (int k = 0; k < 16; k++) {
				a[k] = (float)k;
				b[k] = 0.5f;
			}
			qk_engine_process(e, 16);
			const float *y = qk_engine_output(e, 0);
			for (int k = 0; k < 16; k++)
				CHECK(fabsf(y[k] - (2.0f * (float)k - 0.5f)) < 1e-6f, "y[%d] = %g",
				      k, y[k]);
		}
		qk_engine_free(e);
	}
	qk_graph_free(&g);
}

int
main(void)
{
	external_inputs();
	qk_graph g;
	qk_diag d;
	if (qk_graph_parse("engine.graph", graph_text, &g, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		return 1;
	}
	qk_engine_config cfg = {.rate = 48000, .max_block = 64};
	qk_engine *e;
	if (qk_engine_new(&g, &cfg, &e, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		qk_graph_free(&g);
		return 1;
	}
	CHECK(qk_engine_n_outputs(e) == 3, "%zu outputs", qk_engine_n_outputs(e));
	CHECK(strcmp(qk_engine_output_name(e, 0), "y") == 0, "first output");

	qk_engine_process(e, 64);
	expect_all(e, 0, 64, 1.0f, "2 * 0.5");
	expect_all(e, 1, 64, 0.5f, "0.5 * unconnected gate (1)");
	const float *s = qk_engine_output(e, 2);
	for (int k = 0; k < 8; k++) /* 0.5 + 0.25 summed, plus the pulse on x2 */
		CHECK(fabsf(s[k] - (k % 4 < 2 ? 1.75f : 0.75f)) < 1e-6f, "fan-in sample %d: %g", k,
		      s[k]);

	/* Controls change between blocks, by node.symbol; blocks may be shorter than the maximum.
	 */
	float *w1 = qk_engine_control(e, "n.w1", &d);
	CHECK(w1 != NULL, "n.w1: %s", d.msg);
	if (w1) {
		qk_engine_set_control(w1, -3.0f);
		qk_engine_process(e, 10);
		expect_all(e, 0, 10, -1.5f, "-3 * 0.5 after set");
	}
	float *act = qk_engine_control(e, "n.act", &d);
	float *bias = qk_engine_control(e, "n.bias", &d);
	if (act && bias) {
		qk_engine_set_control(act, 1.0f); /* step */
		qk_engine_set_control(bias, 1.0f);
		qk_engine_process(e, 1);
		expect_all(e, 0, 1, 0.0f, "step(-1.5 + 1)");
		qk_engine_set_control(bias, 2.0f);
		qk_engine_process(e, 1);
		expect_all(e, 0, 1, 1.0f, "step(-1.5 + 2)");
	}
	/* The pulse keeps its position across blocks: 64 + 10 + 1 + 1 = 76 frames so far, and
	 * frame 76 is at 76 mod 4 = 0, high. */
	qk_engine_process(e, 4);
	CHECK(fabsf(s[0] - 1.75f) < 1e-6f && fabsf(s[2] - 0.75f) < 1e-6f, "pulse position %g %g",
	      s[0], s[2]);

	/* After a seek back to frame 1 the pulse reads as it did there: 1 0 0 1. */
	qk_engine_seek(e, 1);
	qk_engine_process(e, 4);
	CHECK(fabsf(s[0] - 1.75f) < 1e-6f && fabsf(s[1] - 0.75f) < 1e-6f &&
	              fabsf(s[2] - 0.75f) < 1e-6f && fabsf(s[3] - 1.75f) < 1e-6f,
	      "after seek: %g %g %g %g", s[0], s[1], s[2], s[3]);

	CHECK(qk_engine_control(e, "n.x1", &d) == NULL && strstr(d.msg, "no control input 'x1'"),
	      "an audio port is not a control: %s", d.msg);
	CHECK(qk_engine_control(e, "zz.w1", &d) == NULL && strstr(d.msg, "no plugin instance"),
	      "unknown node: %s", d.msg);
	CHECK(qk_engine_control(e, "n", &d) == NULL, "a name without a symbol");
	CHECK(qk_engine_signal(e, "half") != NULL && qk_engine_signal(e, "n.out") != NULL &&
	              qk_engine_signal(e, "n") == qk_engine_signal(e, "n.out") &&
	              qk_engine_signal(e, "y") != NULL && qk_engine_signal(e, "n.x1") == NULL,
	      "signals by name");
	/* --set takes a control's labels as a node line does. */
	float v = -1;
	CHECK(qk_engine_control_parse(e, "n.act", "relu", &v, &d) == 0 && v == 5.0f,
	      "act=relu: %s (%g)", d.msg, v);
	CHECK(qk_engine_control_parse(e, "n.act", "TANH", &v, &d) == 0 && v == 4.0f, "act=TANH");
	CHECK(qk_engine_control_parse(e, "n.w1", "0.25", &v, &d) == 0 && v == 0.25f, "w1=0.25");
	CHECK(qk_engine_control_parse(e, "n.act", "softplus", &v, &d) != 0 &&
	              strstr(d.msg, "(labels: linear, step, sign, sigmoid, tanh, relu)"),
	      "unknown label: %s", d.msg);
	CHECK(qk_engine_control_parse(e, "n.w1", "1.5x", &v, &d) != 0 &&
	              strstr(d.msg, "malformed number '1.5x'"),
	      "bad number: %s", d.msg);
	qk_engine_free(e);
	qk_graph_free(&g);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures != 0;
}
