/* SPDX-License-Identifier: ISC */
/* Self-test of the reference: facts that can be checked by hand, each derived in a comment.
 * Exit 0 on pass; otherwise every failed check is named on stderr and the exit code is 1. */
#include "ref.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int failures;

static void
check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "FAIL: %s\n", what);
		failures++;
	}
}

static void
check_eq(double got, double want, const char *what)
{
	if (!(got == want)) {
		fprintf(stderr, "FAIL: %s: got %.17g, want %.17g\n", what, got, want);
		failures++;
	}
}

static const bool ALL[8] = {true, true, true, true, true, true, true, true};

/* neuron on two inputs (x3, x4, attend unconnected), slope 1. */
static double
neuron2(double x1, double x2, double w1, double w2, double bias, double act)
{
	const double in[5] = {x1, x2, 0, 0, 0};
	const bool con[5] = {true, true, false, false, false};
	const double ctl[8] = {w1, w2, 1, 1, bias, 1, 1, act};
	double out;
	ref_sample("neuron", in, con, ctl, &out);
	return out;
}

/* output-gate: in * g(a*gate + c). */
static double
ogate(double in, double gate, double a, double c, double act)
{
	const double x[2] = {in, gate};
	const double ctl[3] = {a, c, act};
	double out;
	ref_sample("output-gate", x, ALL, ctl, &out);
	return out;
}

static void
test_logic(void)
{
	for (int x1 = 0; x1 <= 1; x1++)
		for (int x2 = 0; x2 <= 1; x2++) {
			/* OR = H(x1 + x2 - 0.5): sum 0 -> -0.5 -> 0; sum 1 or 2 -> >= 0.5 -> 1. */
			double or_ = neuron2(x1, x2, 1, 1, -0.5, 1);
			/* AND = H(x1 + x2 - 1.5): only sum 2 reaches 0.5 >= 0. */
			double and_ = neuron2(x1, x2, 1, 1, -1.5, 1);
			/* NAND = H(1.5 - x1 - x2): only sum 2 gives -0.5 < 0. */
			double nand = neuron2(x1, x2, -1, -1, 1.5, 1);
			/* XOR = OR * NAND (output gating, linear gate a=1 c=0 passes NAND
			 * unchanged): 00 -> 0*1, 01/10 -> 1*1, 11 -> 1*0. */
			double xor_ = ogate(or_, nand, 1, 0, 0);
			check_eq(or_, x1 | x2, "OR truth table (step, w=1,1 bias -0.5)");
			check_eq(and_, x1 & x2, "AND truth table (step, w=1,1 bias -1.5)");
			check_eq(nand, !(x1 & x2), "NAND truth table (step, w=-1,-1 bias 1.5)");
			check_eq(xor_, x1 ^ x2, "XOR = OR * NAND via output-gate");
			/* (0,1) gates: the product of two LTGs is their AND. OR * NAND with a step
			 * gate on NAND's output: H(nand) = nand since nand is 0 or 1 (H(0) = 1 only
			 * matters for nand = 0 -> gate 1, so use offset -0.5: H(nand - 0.5) =
			 * nand). */
			check_eq(ogate(or_, nand, 1, -0.5, 1), x1 ^ x2,
			         "XOR via step-gated output-gate");
		}
}

static void
test_relu_from_gating(void)
{
	/* Linear unit output-gated by a step unit on the same S: S * H(S) = relu(S).
	 * S >= 0: S * 1 = S; S < 0: S * 0 = 0 (a -0.0 compares equal to 0). */
	const double ss[] = {-7.25, -1, -1e-3, 0, 1e-3, 0.5, 3, 99.5};
	for (unsigned i = 0; i < sizeof ss / sizeof ss[0]; i++) {
		double s = ss[i];
		double lin = neuron2(s, 0, 1, 1, 0, 0);
		double gated = ogate(lin, s, 1, 0, 1);
		check_eq(gated, ref_activation(5, s), "relu = linear * step (output-gate)");
		check_eq(neuron2(s, 0, 1, 1, 0, 5), ref_activation(5, s), "neuron relu = max(0,S)");
	}
}

static void
softmax4(const double *s, const bool *con, double temp, double *a)
{
	ref_sample("softmax", s, con, &temp, a);
}

static void
test_softmax(void)
{
	double a[4];
	/* Equal scores: each exp term is exp(0) = 1 after subtracting the max, so 1/4 exactly. */
	const double eq[4] = {3, 3, 3, 3};
	softmax4(eq, ALL, 1, a);
	for (int i = 0; i < 4; i++)
		check_eq(a[i], 0.25, "softmax of equal scores = 0.25");
	/* One connected score: exp(0) / exp(0) = 1; the others are left out and read 0,
	 * whatever their (even NaN) value. */
	const double one[4] = {NAN, -5, NAN, NAN};
	const bool con1[4] = {false, true, false, false};
	softmax4(one, con1, 0.7, a);
	check(a[0] == 0 && a[1] == 1 && a[2] == 0 && a[3] == 0, "softmax with one score connected");
	/* None connected: all outputs 0. */
	const bool none[4] = {false, false, false, false};
	softmax4(eq, none, 1, a);
	check(a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0, "softmax with nothing connected");
	/* Two scores differing by T*ln 3: weights 3:1 -> 0.75, 0.25 (up to rounding of log). */
	const double two[4] = {2 * log(3.0), 0, 0, 0};
	const bool con2[4] = {true, true, false, false};
	softmax4(two, con2, 2, a);
	check(fabs(a[0] - 0.75) < 1e-15 && fabs(a[1] - 0.25) < 1e-15, "softmax 3:1 with T=2");
	/* Huge and infinite scores: sane() makes +Inf 1e12, -Inf -1e12, NaN 0; the max term wins
	 * with weight 1, the others underflow to 0. Stable: no NaN. */
	const double inf[4] = {INFINITY, 1e300, NAN, -INFINITY};
	softmax4(inf, ALL, 0.01, a);
	check(a[0] == 0.5 && a[1] == 0.5 && a[2] == 0 && a[3] == 0,
	      "softmax with +Inf and 1e300 scores: both saturate to 1e12 and share 0.5");
}

static void
test_threshold_at_zero(void)
{
	/* H(0) = 1 and sign(0) = +1 (the ">= 0" convention), for -0.0 as well. */
	check_eq(ref_activation(1, 0.0), 1, "step(0) = 1");
	check_eq(ref_activation(1, -0.0), 1, "step(-0) = 1");
	check_eq(ref_activation(2, 0.0), 1, "sign(0) = +1");
	check_eq(ref_activation(2, -0.0), 1, "sign(-0) = +1");
	check_eq(ref_activation(2, -1e-300), -1, "sign(tiny negative) = -1");
	check_eq(ref_activation(3, 0.0), 0.5, "sigmoid(0) = 1/2");
	check_eq(ref_activation(4, 0.0), 0.0, "tanh(0) = 0");
	/* Through a plugin: x1 = 1, w1 = 1, bias = -1 gives S = 0 exactly. */
	check_eq(neuron2(1, 0, 1, 1, -1, 1), 1, "neuron step at S=0");
	check_eq(neuron2(1, 0, 1, 1, -1, 2), 1, "neuron sign at S=0");
}

static void
test_clamping(void)
{
	/* w1 = 1000 clamps to 100: S = 100 * 1 = 100. */
	check_eq(neuron2(1, 0, 1000, 1, 0, 0), 100, "weight clamped to 100");
	/* bias = -1e9 clamps to -100. */
	check_eq(neuron2(0, 0, 1, 1, -1e9, 0), -100, "bias clamped to -100");
	/* act 7.3 -> 7 -> clamped to 5 (relu): relu(-2) = 0, relu(2) = 2. */
	check_eq(neuron2(-2, 0, 1, 1, 0, 7.3), 0, "act 7.3 -> relu (negative S)");
	check_eq(neuron2(2, 0, 1, 1, 0, 7.3), 2, "act 7.3 -> relu (positive S)");
	/* act -3 -> 0 (linear): S = -2 passes. */
	check_eq(neuron2(-2, 0, 1, 1, 0, -3), -2, "act -3 -> linear");
	/* act 2.6 rounds to 3 (sigmoid), 2.4 to 2 (sign): at S = 0, 0.5 and 1. */
	check_eq(neuron2(0, 0, 1, 1, 0, 2.6), 0.5, "act 2.6 rounds to sigmoid");
	check_eq(neuron2(0, 0, 1, 1, 0, 2.4), 1, "act 2.4 rounds to sign");
	/* NaN control reads its default: w1 NaN -> 1, so S = x1 = 3. */
	check_eq(neuron2(3, 0, NAN, 1, 0, 0), 3, "NaN weight reads default 1");
	/* Slope -1e9 clamps to -100: linear out = -100 * 0.5 = -50. */
	{
		const double in[5] = {0.5, 0, 0, 0, 0};
		const double ctl[8] = {1, 1, 1, 1, 0, 1, -1e9, 0};
		double out;
		ref_sample("neuron", in, ALL, ctl, &out);
		check_eq(out, -50, "slope clamped to -100");
	}
	/* Temperature 0 clamps to 0.01: scores 0 and 0.01 -> z = 0, 1 -> a1 = 1/(1+e). */
	{
		const double s[4] = {0, 0.01, 0, 0};
		const bool con[4] = {true, true, false, false};
		double a[4];
		softmax4(s, con, 0, a);
		check(fabs(a[0] - 1 / (1 + exp(1.0))) < 1e-15, "temperature 0 clamped to 0.01");
	}
	/* Output gate a = 500 -> 100, c = -500 -> -100: linear gate = 100*1 - 100 = 0. */
	check_eq(ogate(7, 1, 500, -500, 0), 0, "output-gate a and c clamped");
}

static void
test_non_finite(void)
{
	/* PORTS.md: every input is made sane before it is weighted, so a NaN input reads 0
	 * and the other input still counts: S = w2 x2 = 1, the output is f(1) for each act. */
	const double f1[6] = {1, 1, 1, 1 / (1 + exp(-1.0)), tanh(1.0), 1};
	for (int act = 0; act <= 5; act++)
		check_eq(neuron2(NAN, 1, 1, 1, 0, act), f1[act],
		         "a NaN input reads 0, the other counts");
	/* +Inf at an input with weight 0 acts as 1e12 * 0 = 0 (not 0 * Inf = NaN, which would
	 * wipe out the whole sum): the neuron still outputs w2 x2 = 0.5. */
	check_eq(neuron2(INFINITY, 0.5, 0, 1, 0, 0), 0.5, "+Inf at weight 0 leaves the sum alone");
	/* Output gate: in NaN -> NaN * g -> 0. Gate NaN: sane() wraps the whole a*gate + c, and
	 * NaN + c is NaN, so the gate sees 0 (not c): step gives H(0) = 1 -> out = in = 3. */
	check_eq(ogate(NAN, 1, 1, 0, 0), 0, "output-gate NaN input -> 0");
	check_eq(ogate(3, NAN, 1, 2, 1), 3, "output-gate NaN gate -> g(sane(NaN + c)) = H(0)");
	/* +Inf input: S = +Inf -> sane -> 1e12; linear gives 1e12, weight -1 gives -1e12. */
	check_eq(neuron2(INFINITY, 0, 1, 1, 0, 0), 1e12, "+Inf input saturates to 1e12");
	check_eq(neuron2(INFINITY, 0, -1, 1, 0, 0), -1e12, "+Inf input, w=-1, gives -1e12");
	for (int act = 0; act <= 5; act++)
		check(isfinite(neuron2(INFINITY, -INFINITY, 1, 1, 0, act)), "+Inf - Inf finite");
	/* Output gate: Inf * g(sane(Inf)) = Inf * 1e12 -> 1e12. Additive output: Inf - Inf = NaN ->
	 * 0. */
	check_eq(ogate(INFINITY, INFINITY, 1, 0, 0), 1e12, "output-gate Inf*Inf saturates");
	{
		const double x[2] = {INFINITY, INFINITY};
		const double k = -1;
		double out;
		ref_sample("additive-output", x, ALL, &k, &out);
		check_eq(out, 0, "additive-output Inf + (-1)*Inf -> NaN -> 0");
	}
	/* Activation gate with gate = Inf and S = 0: Inf * 0 = NaN -> f(0). Step: 1. */
	{
		const double x[5] = {0, 0, 0, 0, INFINITY};
		const double ctl[7] = {1, 1, 1, 1, 0, 1, 1};
		double out;
		ref_sample("activation-gate", x, ALL, ctl, &out);
		check_eq(out, 1, "activation-gate Inf*0 -> step(0) = 1");
	}
	/* A float denormal reads as 0: x1 = -1e-40 gives S = 0, step 1 (not 0). */
	check_eq(neuron2(-1e-40, 0, 1, 1, 0, 1), 1, "denormal input reads 0");
}

static void
test_identities(void)
{
	double out;
	/* Output gate with gate unconnected: gate reads 1, linear g(1*1 + 0) = 1 -> in. */
	{
		const double x[2] = {2.5, 0};
		const bool con[2] = {true, false};
		const double ctl[3] = {1, 0, 0};
		ref_sample("output-gate", x, con, ctl, &out);
		check_eq(out, 2.5, "output-gate unconnected gate reads 1");
		const bool none[2] = {false, false};
		ref_sample("output-gate", x, none, ctl, &out);
		check_eq(out, 0, "output-gate unconnected input reads 0");
	}
	/* Synaptic gate with g unconnected (g = 1) equals w.x + b; with g_i = 0 the synapse is cut.
	 * x = (1,2,3,4), w = (1,-1,2,0.5), b = 0.25: 1 - 2 + 6 + 2 + 0.25 = 7.25. */
	const double ctl[7] = {1, -1, 2, 0.5, 0.25, 1, 0};
	const bool xonly[8] = {true, true, true, true, false, false, false, false};
	double x[8] = {1, 2, 3, 4, 9, 9, 9, 9};
	ref_sample("synaptic-gate", x, xonly, ctl, &out);
	check_eq(out, 7.25, "synaptic-gate unconnected gates read 1");
	x[4 + 2] = 0; /* gate synapse 3 off: 7.25 - 6 = 1.25 */
	ref_sample("synaptic-gate", x, ALL, ctl, &out);
	check_eq(out, 9 * 1 - 9 * 2 + 0 + 9 * 2 + 0.25, "synaptic-gate g=(9,9,0,9)");
	/* Additive synapse with g unconnected (g = 0) is the same 7.25; g = (1,0,0,0) adds x1 = 1.
	 */
	ref_sample("additive-synapse", x, xonly, ctl, &out);
	check_eq(out, 7.25, "additive-synapse unconnected gates read 0");
	const double g1[8] = {1, 2, 3, 4, 1, 0, 0, 0};
	ref_sample("additive-synapse", g1, ALL, ctl, &out);
	check_eq(out, 8.25, "additive-synapse w1 -> w1 + g1");
	/* Activation gate, gate = 0: f(0 * S) = f(0); gate unconnected (1) gives f(S). */
	const double ag[5] = {1, 2, 3, 4, 0};
	ref_sample("activation-gate", ag, ALL, ctl, &out);
	check_eq(out, 0, "activation-gate gate 0 -> f(0)");
	ref_sample("activation-gate", ag, xonly, ctl, &out);
	check_eq(out, 7.25, "activation-gate unconnected gate reads 1");
	/* Neuron multiplexing: attend 1 with v = -100 pushes a step unit off: S = 7.25 - 100 < 0.
	 */
	const double nin[5] = {1, 2, 3, 4, 1};
	const double nctl[8] = {1, -1, 2, 0.5, 0.25, -100, 1, 1};
	ref_sample("neuron", nin, ALL, nctl, &out);
	check_eq(out, 0, "neuron attention by suppression");
	ref_sample("neuron", nin, xonly, nctl, &out);
	check_eq(out, 1, "neuron unconnected attend reads 0");
	/* Additive output: in + k*gate = 1 + 3*2 = 7; unconnected gate reads 0. */
	const double ao[2] = {1, 2};
	const double k = 3;
	const bool in_only[2] = {true, false};
	ref_sample("additive-output", ao, ALL, &k, &out);
	check_eq(out, 7, "additive-output in + k*gate");
	ref_sample("additive-output", ao, in_only, &k, &out);
	check_eq(out, 1, "additive-output unconnected gate reads 0");
}

static void
test_shapes(void)
{
	static const struct {
		const char *name;
		int in, ctl, out;
	} shapes[] = {
	        {"neuron", 5, 8, 1},
	        {"output-gate", 2, 3, 1},
	        {"synaptic-gate", 8, 7, 1},
	        {"activation-gate", 5, 7, 1},
	        {"additive-output", 2, 1, 1},
	        {"additive-synapse", 8, 7, 1},
	        {"softmax", 4, 1, 4},
	        {"attention-head", 8, 13, 8},
	        {"quadratic", 4, 17, 1},
	        {"delay", 1, 2, 1},
	        {"leaky", 5, 9, 1},
	        {"slow-gate", 2, 2, 2},
	        {"fast-weight", 9, 9, 5},
	        {"constant", 0, 1, 1},
	        {"pulse", 0, 5, 1},
	        {"sine", 0, 4, 1},
	        {"ramp", 0, 4, 1},
	        {"noise", 0, 3, 1},
	        {"softmax-16", 16, 1, 16},
	        {"attention-head-8x4", 32, 49, 32},
	        {"attention-head-16x4", 64, 49, 64},
	};
	const int n_shapes = (int)(sizeof shapes / sizeof shapes[0]);
	check(ref_plugin_count() == n_shapes, "the reference has one entry per documented plugin");
	for (int i = 0; i < n_shapes; i++) {
		int a = 0, c = 0, o = 0;
		check(ref_shape(shapes[i].name, &a, &c, &o) == 0 && a == shapes[i].in &&
		              c == shapes[i].ctl && o == shapes[i].out,
		      shapes[i].name);
	}
	int a, c, o;
	double out;
	check(ref_shape("nope", &a, &c, &o) == -1, "ref_shape of unknown plugin returns -1");
	check(ref_sample("nope", &out, ALL, &out, &out) == -1,
	      "ref_sample of unknown plugin returns -1");
	check(ref_plugin_find("nope") == NULL, "ref_plugin_find of unknown plugin is NULL");
}

/* The port lists: indices and symbols of docs/PORTS.md, looked up both ways. */
static void
test_ports(void)
{
	static const struct {
		const char *plugin, *symbol;
		int index;
		ref_port_kind kind;
	} at[] = {
	        {"neuron", "x1", 0, REF_AUDIO_IN},
	        {"neuron", "attend", 4, REF_AUDIO_IN},
	        {"neuron", "out", 5, REF_AUDIO_OUT},
	        {"neuron", "v", 11, REF_CONTROL_IN},
	        {"neuron", "act", 13, REF_CONTROL_IN},
	        {"output-gate", "c", 4, REF_CONTROL_IN},
	        {"synaptic-gate", "g4", 7, REF_AUDIO_IN},
	        {"softmax", "a4", 7, REF_AUDIO_OUT},
	        {"softmax", "temp", 8, REF_CONTROL_IN},
	        {"attention-head", "x4_2", 7, REF_AUDIO_IN},
	        {"attention-head", "o1_1", 8, REF_AUDIO_OUT},
	        {"attention-head", "wq11", 16, REF_CONTROL_IN},
	        {"attention-head", "wk21", 22, REF_CONTROL_IN},
	        {"attention-head", "temp", 28, REF_CONTROL_IN},
	        {"quadratic", "out", 4, REF_AUDIO_OUT},
	        {"quadratic", "w11", 9, REF_CONTROL_IN},
	        {"quadratic", "w44", 18, REF_CONTROL_IN},
	        {"quadratic", "act", 21, REF_CONTROL_IN},
	};
	for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++) {
		const ref_plugin *p = ref_plugin_find(at[i].plugin);
		const ref_port *port = p ? ref_port_at(p, at[i].index) : NULL;
		check(p && ref_port_index(p, at[i].symbol) == at[i].index && port &&
		              !strcmp(port->symbol, at[i].symbol) && port->kind == at[i].kind,
		      at[i].symbol);
	}
	/* Every list: symbols unique, found at their own index; controls min <= def <= max. */
	for (int i = 0; i < ref_plugin_count(); i++) {
		const ref_plugin *p = ref_plugin_at(i);
		check(ref_plugin_find(ref_plugin_name(p)) == p,
		      "ref_plugin_find(ref_plugin_name(p))");
		const char *name = ref_plugin_name(p);
		/* the sources count n since activate(); constant's value does not depend on it */
		check(ref_plugin_stateful(p) == (!strcmp(name, "delay") || !strcmp(name, "leaky") ||
		                                 !strcmp(name, "slow-gate") ||
		                                 !strcmp(name, "fast-weight") ||
		                                 !strcmp(name, "pulse") || !strcmp(name, "sine") ||
		                                 !strcmp(name, "ramp") || !strcmp(name, "noise")),
		      "stateful: the four of PORTS.md's \"Time scales\" and the sources but "
		      "constant");
		check(ref_port_count(p) <= REF_MAX_PORTS, "port count within REF_MAX_PORTS");
		for (int k = 0; k < ref_port_count(p); k++) {
			const ref_port *port = ref_port_at(p, k);
			check(ref_port_index(p, port->symbol) == k,
			      "symbol found at its own index");
			check(port->kind != REF_CONTROL_IN ||
			              (port->min <= port->def && port->def <= port->max),
			      "control min <= default <= max");
		}
		check(ref_port_at(p, ref_port_count(p)) == NULL && ref_port_at(p, -1) == NULL,
		      "ref_port_at out of range is NULL");
	}
	const ref_plugin *q = ref_plugin_find("quadratic");
	check(q && ref_port_at(q, 21)->def == 1, "quadratic act defaults to step");
	const ref_plugin *h = ref_plugin_find("attention-head");
	check(h && ref_port_at(h, ref_port_index(h, "wv22"))->def == 1 &&
	              ref_port_at(h, ref_port_index(h, "wv21"))->def == 0,
	      "head matrices default to the identity");
}

/* The instance API on a memoryless plugin: the same as ref_sample, before and after
 * activate, whatever ran before. */
static void
test_instance(void)
{
	const ref_plugin *p = ref_plugin_find("neuron");
	ref_instance *r = ref_instantiate(p, 48000);
	check(r != NULL, "ref_instantiate");
	if (!r)
		return;
	double port[14] = {1, 2, 0, 0, 0, 99, 1, -1, 1, 1, 0.5, 1, 2, 0};
	bool con[14] = {true, true, false, false, false};
	double bound[14] = {0};
	bound[5] = -1;
	ref_step(r, port, con, bound);
	/* S = 0.5 + 1*1 - 1*2 = -0.5, slope 2: -1 (linear) */
	check_eq(port[5], -1, "ref_step writes the output at its port index");
	check_eq(bound[5], 0, "bound 0 for a neuron");
	check_eq(port[6], 1, "ref_step leaves inputs as they were (raw, unclamped)");
	ref_activate(r);
	port[5] = 99;
	ref_step(r, port, con, NULL);
	check_eq(port[5], -1, "memoryless: the same after activate");
	ref_free(r);
}

static double head_bound[29];

/* The head on tokens x[i][d] (NULL con: all connected), W_Q = W_K = W_V = identity unless
 * set in ctl (NAN: default), temperature t; outputs o[i][d]. */
static void
head(const double x[4][2], const bool *con, const double ctl[13], double o[4][2])
{
	const ref_plugin *p = ref_plugin_find("attention-head");
	ref_instance *r = ref_instantiate(p, 48000);
	double port[29];
	bool connected[29];
	for (int i = 0; i < 29; i++) {
		connected[i] = i < 8 ? (con ? con[i] : true) : false;
		port[i] = i < 8 ? x[i / 2][i % 2] : i >= 16 ? ctl[i - 16] : 0;
	}
	ref_step(r, port, connected, head_bound);
	for (int i = 0; i < 8; i++)
		o[i / 2][i % 2] = port[8 + i];
	ref_free(r);
}

#define IDENTITY3 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1 /* W_Q, W_K, W_V */

static void
test_attention_head(void)
{
	double o[4][2];
	const double id[13] = {IDENTITY3, 1};
	/* Equal tokens: every score is equal, every weight 1/4, o_i = mean of v_j = x. */
	const double same[4][2] = {{0.5, -2}, {0.5, -2}, {0.5, -2}, {0.5, -2}};
	head(same, NULL, id, o);
	for (int i = 0; i < 4; i++)
		check(o[i][0] == 0.5 && o[i][1] == -2, "head of equal tokens returns the token");
	/* One loud token x1 = (10, 0), the rest 0: query 1 scores 100, 0, 0, 0, so it attends
	 * to itself (weight 1 - 3e-44 or so: (10, 0) to double precision); every other query
	 * is 0 and scores all keys 0: weights 1/4, o = (10 + 0 + 0 + 0) / 4 = 2.5. */
	const double loud[4][2] = {{10, 0}, {0, 0}, {0, 0}, {0, 0}};
	head(loud, NULL, id, o);
	check(fabs(o[0][0] - 10) < 1e-12 && o[0][1] == 0, "loud token attends to itself");
	for (int i = 1; i < 4; i++)
		check(o[i][0] == 2.5 && o[i][1] == 0, "zero query attends uniformly");
	/* Score gap T ln 3 for query 1: x1 = (sqrt(ln 3), 0), T = 1: scores ln 3, 0, 0, 0, so
	 * weights 3/6, 1/6, 1/6, 1/6 and o_1 = x1 / 2. Unconnected tokens read 0 and still
	 * take part in the softmax (unlike the softmax plugin's unconnected scores). */
	const double gap[4][2] = {{sqrt(log(3.0)), 0}, {7, 7}, {7, 7}, {7, 7}};
	const bool first[8] = {true, true, false, false, false, false, false, false};
	head(gap, first, id, o);
	check(fabs(o[0][0] - sqrt(log(3.0)) / 2) < 1e-15 && o[0][1] == 0,
	      "score gap T ln 3 gives weight 1/2; unconnected tokens read 0");
	/* Permuting the tokens permutes the outputs (3, 1, 4, 2). */
	const double x[4][2] = {{0.3, -1}, {1.2, 0.4}, {-0.7, 0.9}, {0.1, 1.5}};
	const double w[13] = {0.9, 0.3, -0.2, 1.1, 1, -0.5, 0.25, 0.75, 0.5, 1, -1, 0.5, 0.7};
	const int perm[4] = {2, 0, 3, 1};
	double xp[4][2], op[4][2];
	for (int i = 0; i < 4; i++)
		for (int d = 0; d < 2; d++)
			xp[i][d] = x[perm[i]][d];
	head(x, NULL, w, o);
	head(xp, NULL, w, op);
	double worst = 0;
	for (int i = 0; i < 4; i++)
		for (int d = 0; d < 2; d++)
			worst = fmax(worst, fabs(op[i][d] - o[perm[i]][d]));
	check(worst < 1e-15, "permuting the tokens permutes the outputs");
	/* A well-conditioned case gets a small float bound: scores of about 1, T = 0.7. */
	double widest = 0;
	for (int i = 8; i < 16; i++)
		widest = fmax(widest, head_bound[i]);
	check(widest > 0 && widest < 1e-5, "head float bound small when scores are small");
	/* W_Q row 1 = (0, 0): q_i1 = 0; W_Q NaN entries read the identity's. */
	double nan_w[13] = {IDENTITY3, 1}, o2[4][2];
	nan_w[0] = NAN;
	nan_w[1] = NAN;
	head(x, NULL, nan_w, o);
	head(x, NULL, id, o2);
	check(!memcmp(o, o2, sizeof o), "NaN matrix entries read the identity's entries");
	/* Temperature 0 clamps to 0.01, NaN reads 1. */
	double t0[13] = {IDENTITY3, 0}, t001[13] = {IDENTITY3, 0.01}, tnan[13] = {IDENTITY3, NAN};
	head(x, NULL, t0, o);
	head(x, NULL, t001, o2);
	check(!memcmp(o, o2, sizeof o), "head temperature 0 clamps to 0.01");
	head(x, NULL, tnan, o);
	head(x, NULL, id, o2);
	check(!memcmp(o, o2, sizeof o), "head temperature NaN reads 1");
	/* A NaN token component reads 0 (every input is made sane before it is used): the head
	 * gives what it gives with 0 there, bit for bit. */
	double xn[4][2], xz[4][2];
	memcpy(xn, x, sizeof xn);
	memcpy(xz, x, sizeof xz);
	xn[2][1] = NAN;
	xz[2][1] = 0;
	head(xn, NULL, w, o);
	head(xz, NULL, w, o2);
	check(!memcmp(o, o2, sizeof o), "a NaN token component reads 0");
	/* 1e30 in token 3 acts as 1e12, before any product: what 1e12 there gives, bit for bit,
	 * and finite everywhere. */
	xn[2][1] = 1e30;
	xz[2][1] = 1e12;
	head(xn, NULL, w, o);
	head(xz, NULL, w, o2);
	bool finite = true;
	for (int i = 0; i < 8; i++)
		finite &= isfinite(o[i / 2][i % 2]);
	check(finite && !memcmp(o, o2, sizeof o), "1e30 in token 3 acts as 1e12, finite outputs");
	/* Huge weights and a low temperature make near-ties ill-conditioned: a wide bound. */
	const double hot[13] = {100, 0, 0, 100, 100, 0, 0, 100, 1, 0, 0, 1, 0.01};
	head(x, NULL, hot, o);
	widest = 0;
	for (int i = 8; i < 16; i++)
		widest = fmax(widest, head_bound[i]);
	check(widest > 1e-3, "head float bound wide for scores of 1e4 / 0.01");
}

static double quad_bound[22];

/* The quadratic unit: x1..x4 (all connected), controls w1..w4, w11..w44, bias, slope, act. */
static double
quad(const double x[4], const double c[17])
{
	const ref_plugin *p = ref_plugin_find("quadratic");
	ref_instance *r = ref_instantiate(p, 44100);
	double port[22];
	bool con[22] = {true, true, true, true};
	for (int i = 0; i < 22; i++)
		port[i] = i < 4 ? x[i] : i >= 5 ? c[i - 5] : 0;
	ref_step(r, port, con, quad_bound);
	ref_free(r);
	return port[4];
}

static void
test_quadratic(void)
{
	/* XOR from one product term: p = x1 + x2 - 2 x1 x2 - 0.5, step. 00: -0.5 -> 0; 01, 10:
	 * 0.5 -> 1; 11: 1 + 1 - 2 - 0.5 = -0.5 -> 0. act NaN reads its default, step. */
	for (int a = 0; a <= 1; a++)
		for (int b = 0; b <= 1; b++) {
			const double x[4] = {a, b, 0, 0};
			const double c[17] = {1, 1, 0, 0, 0, -2,   0, 0,  0,
			                      0, 0, 0, 0, 0, -0.5, 1, NAN};
			check_eq(quad(x, c), a ^ b,
			         "quadratic XOR with w12 = -2, default act step");
			check_eq(quad_bound[4], 0, "quadratic XOR: exact");
		}
	/* w11 weighs x1 * x1 (not 2 x1 x1), w34 weighs x3 * x4: linear, 3*3 + 0.5*2*(-4) = 5. */
	{
		const double x[4] = {3, 0, 2, -4};
		const double c[17] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0.5, 0, 0, 1, 0};
		check_eq(quad(x, c), 5, "quadratic w11 x1^2 + w34 x3 x4");
	}
	/* Every term 0: S = 0 exactly in float too, so H(0) = 1 is determined. */
	{
		const double x[4] = {0, 0, 0, 0};
		const double c[17] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1};
		check_eq(quad(x, c), 1, "quadratic step at S = 0");
		check_eq(quad_bound[4], 0, "quadratic step at exact S = 0: bound 0");
	}
	/* NaN input reads 0 before any product: what x1 = 0 gives, here sigmoid(x2^2 w22 = 1). */
	{
		const double x[4] = {NAN, 1, 0, 0}, x0[4] = {0, 1, 0, 0};
		const double c[17] = {1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3};
		const double want = quad(x0, c);
		check_eq(quad(x, c), want, "quadratic NaN input reads 0");
	}
	/* +Inf acts as 1e12 before any product: what 1e12 gives, and finite. */
	{
		const double x[4] = {INFINITY, 1, 0, 0}, x12[4] = {1e12, 1, 0, 0};
		const double c[17] = {1, 1, 1, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
		const double want = quad(x12, c);
		const double got = quad(x, c);
		check(isfinite(got) && got == want, "quadratic +Inf input acts as 1e12");
	}
	/* Continuous data: S = 2.94 with terms of about 8 in all: a bound near 20 ulps of 8,
	 * which slope 100 scales. */
	{
		const double x[4] = {0.3, -0.7, 0.1, 0.9};
		const double c[17] = {1, 2, 3, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.2, 100, 0};
		quad(x, c);
		check(quad_bound[4] > 1e-4 && quad_bound[4] < 2e-3,
		      "quadratic linear bound, slope 100");
	}
}

/* ---- the stateful plugins ------------------------------------------------------------- */

/* An instance driven by port symbol: controls at their defaults, audio inputs unconnected
 * until set. */
typedef struct {
	const ref_plugin *p;
	ref_instance *r;
	double port[REF_MAX_PORTS], bound[REF_MAX_PORTS];
	bool con[REF_MAX_PORTS];
} unit;

static bool
unit_open(unit *u, const char *name, double rate)
{
	memset(u, 0, sizeof *u);
	u->p = ref_plugin_find(name);
	u->r = u->p ? ref_instantiate(u->p, rate) : NULL;
	for (int i = 0; u->r && i < ref_port_count(u->p); i++)
		u->port[i] = ref_port_at(u->p, i)->def;
	check(u->r != NULL, name);
	return u->r != NULL;
}

static int
unit_port(const unit *u, const char *symbol)
{
	const int i = ref_port_index(u->p, symbol);
	if (i < 0) {
		fprintf(stderr, "FAIL: %s has no port %s\n", ref_plugin_name(u->p), symbol);
		failures++;
		return 0;
	}
	return i;
}

/* Set a control, or an audio input (which connects it). */
static void
unit_set(unit *u, const char *symbol, double v)
{
	const int i = unit_port(u, symbol);
	u->port[i] = v;
	u->con[i] = ref_port_at(u->p, i)->kind == REF_AUDIO_IN;
}

static void
unit_unplug(unit *u, const char *symbol)
{
	u->con[unit_port(u, symbol)] = false;
}

static void
unit_step(unit *u)
{
	ref_step(u->r, u->port, u->con, u->bound);
}

static double
unit_out(const unit *u, const char *symbol)
{
	return u->port[ref_port_index(u->p, symbol)];
}

static double
unit_bound(const unit *u, const char *symbol)
{
	return u->bound[ref_port_index(u->p, symbol)];
}

static void
check_near(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol)) {
		fprintf(stderr, "FAIL: %s: got %.17g, want %.17g (within %g)\n", what, got, want,
		        tol);
		failures++;
	}
}

/* Feed a delay in[n] = n + 1 (never 0) and check it outputs zeros for n < N, then in[n - N];
 * the bound is 0 throughout (the output is an input, passed on). */
static void
check_delay(double rate, double delay, double time, long n_taps, const char *what)
{
	unit u;
	if (!unit_open(&u, "delay", rate))
		return;
	unit_set(&u, "delay", delay);
	unit_set(&u, "time", time);
	bool ok = true, exact = true;
	for (long n = 0; n < n_taps + 50; n++) {
		unit_set(&u, "in", (double)(n + 1));
		unit_step(&u);
		ok &= unit_out(&u, "out") == (n < n_taps ? 0.0 : (double)(n - n_taps + 1));
		exact &= unit_bound(&u, "out") == 0.0;
	}
	check(ok, what);
	check(exact, "delay: bound 0");
	ref_free(u.r);
}

static void
test_delay(void)
{
	/* N = max(1, round(delay) + floor(time*rate/1000 + 0.5)) */
	check_delay(48000, 1, 0, 1, "delay default: one sample");
	check_delay(48000, 0, 0, 1, "delay 0, time 0: N = max(1, 0) = 1");
	check_delay(48000, 3, 1, 51, "delay 3 + 1 ms at 48 kHz = 3 + 48");
	check_delay(96000, 0, 1, 96, "1 ms at 96 kHz: 96 samples");
	check_delay(44100, 0, 5, 221, "5 ms at 44.1 kHz: 220.5 rounds up to 221");
	check_delay(44100, 0, 0.01, 1, "0.01 ms at 44.1 kHz: 0.441 rounds to 0, N = 1");
	check_delay(48000, 2.6, 0, 3, "delay is an integer control: 2.6 rounds to 3");
	check_delay(48000, -5, -5, 1, "delay and time below range clamp to 0: N = 1");
	/* the longest: 65536 + 1000 ms, every sample of it, delay and time clamped from above */
	check_delay(44100, 65536, 1000, 65536 + 44100, "longest delay: 65536 + rate");
	check_delay(44100, 1e9, 1e9, 65536 + 44100, "delay and time clamped to 65536, 1000 ms");
	check_delay(48000, NAN, NAN, 1, "NaN controls read their defaults: delay 1, time 0");

	unit u;
	if (!unit_open(&u, "delay", 48000))
		return;
	/* N = 2. sane() at the output: NaN reads 0, Inf 1e12, a denormal 0; unconnected 0. */
	unit_set(&u, "delay", 2);
	const double in[6] = {NAN, INFINITY, -1e-40, -INFINITY, 1e300, 7};
	const double want[8] = {0, 0, 0, 1e12, 0, -1e12, 1e12, 7};
	bool ok = true;
	for (int n = 0; n < 8; n++) {
		unit_set(&u, "in", n < 6 ? in[n] : 0.0);
		if (n >= 6)
			unit_unplug(&u, "in");
		unit_step(&u);
		ok &= unit_out(&u, "out") == want[n];
	}
	check(ok, "delay: sane() of the input N samples back; NaN reads 0, Inf 1e12");
	/* activate clears the line: ones in, activate, then N zeros. */
	for (int n = 0; n < 5; n++) {
		unit_set(&u, "in", 1);
		unit_step(&u);
	}
	ref_activate(u.r);
	unit_step(&u);
	check_eq(unit_out(&u, "out"), 0, "delay: activate clears the line (1)");
	unit_step(&u);
	check_eq(unit_out(&u, "out"), 0, "delay: activate clears the line (2)");
	unit_step(&u);
	check_eq(unit_out(&u, "out"), 1, "delay: after activate, the input N = 2 back");
	/* A change of N jumps to the new tap: in[n] = n + 1, N = 10 until n = 99, then 3: out
	 * at n = 100 is in[97] = 98, and at n = 99 still in[89] = 90. */
	ref_activate(u.r);
	unit_set(&u, "delay", 10);
	for (int n = 0; n <= 100; n++) {
		if (n == 100)
			unit_set(&u, "delay", 3);
		unit_set(&u, "in", n + 1);
		unit_step(&u);
		if (n == 99)
			check_eq(unit_out(&u, "out"), 90, "delay 10 at n = 99: in[89]");
	}
	check_eq(unit_out(&u, "out"), 98, "delay 10 -> 3 at n = 100: jumps to in[97]");
	/* Back from 3 to 100 at n = 150: in[50] = 51; to 200: before the start, 0. */
	for (int n = 101; n <= 150; n++) {
		unit_set(&u, "in", n + 1);
		unit_step(&u);
	}
	unit_set(&u, "delay", 100);
	unit_set(&u, "in", 152);
	unit_step(&u); /* n = 151: in[51] = 52 */
	check_eq(unit_out(&u, "out"), 52, "delay 3 -> 100: jumps back to in[n - 100]");
	unit_set(&u, "delay", 200);
	unit_step(&u); /* n = 152 < 200: before the start */
	check_eq(unit_out(&u, "out"), 0, "delay past the start reads 0");
	ref_free(u.r);
}

/* leaky with x1 = step and everything else unconnected, w1 = 1. */
static void
test_leaky(void)
{
	unit u;
	if (!unit_open(&u, "leaky", 48000))
		return;
	/* Step response: S[n] = a S[n-1] + (1 - a), S[-1] = 0, so S[k-1] = 1 - a^k after k
	 * samples; a = exp(-1/(tau*rate)) = exp(-1/48) for tau = 1 ms at 48 kHz. */
	const double a = exp(-1.0 / 48.0);
	unit_set(&u, "tau", 0.001);
	unit_set(&u, "x1", 1);
	double worst = 0, widest = 0;
	for (int k = 1; k <= 2000; k++) {
		unit_step(&u);
		worst = fmax(worst, fabs(unit_out(&u, "out") - (1 - pow(a, k))));
		widest = fmax(widest, unit_bound(&u, "out"));
	}
	check(worst < 1e-14, "leaky step response after k samples: 1 - alpha^k");
	/* exact drive (x1 = 1, w1 = 1): only the double drift of a correct plugin, a few ulps */
	check(widest > 0 && widest < 1e-13, "leaky on exact data: bound of a few double ulps");
	/* Release: the drive cut to 0 (x1 unconnected) from S = 1 - a^2000 (1 to 1e-18): S decays
	 * as S a^m, and is flushed to exactly 0 once below FLT_MIN, never a denormal: it gets
	 * there after about ln(FLT_MIN)/ln(a) = 87.3 * 48 = 4191 samples. */
	unit_unplug(&u, "x1");
	const double s0 = unit_out(&u, "out");
	double last = s0;
	int zero_at = -1;
	bool decays = true, no_denormal = true;
	for (int m = 1; m <= 5000; m++) {
		unit_step(&u);
		const double s = unit_out(&u, "out");
		if (m <= 100)
			decays &= fabs(s - s0 * pow(a, m)) < 1e-14;
		no_denormal &= s == 0.0 || s >= FLT_MIN;
		if (s == 0.0 && zero_at < 0) {
			zero_at = m;
			check(last >= FLT_MIN && last * a < FLT_MIN,
			      "leaky: flushed right below FLT_MIN");
		}
		if (zero_at > 0)
			check(s == 0.0 && unit_bound(&u, "out") == 0.0,
			      "leaky: 0 stays 0 once flushed, exactly (bound 0)");
		last = s;
	}
	check(decays, "leaky release: S a^m");
	check(no_denormal && zero_at > 4100 && zero_at < 4300, "leaky: flushed to 0 near 4191");
	/* activate clears S: the step response starts over. */
	unit_set(&u, "x1", 1);
	unit_step(&u);
	ref_activate(u.r);
	unit_step(&u);
	check_near(unit_out(&u, "out"), 1 - a, 1e-16, "leaky: activate clears S");
	ref_free(u.r);

	/* After tau seconds the step response is 1 - 1/e at every rate: k = tau*rate samples. */
	const double rates[3] = {44100, 48000, 96000};
	for (int i = 0; i < 3; i++) {
		if (!unit_open(&u, "leaky", rates[i]))
			return;
		unit_set(&u, "x1", 1);
		for (int k = 0; k < (int)(0.01 * rates[i] + 0.5); k++) /* 441, 480, 960 */
			unit_step(&u);
		check_near(unit_out(&u, "out"), 1 - exp(-1.0), 1e-12,
		           "leaky: 1 - 1/e after tau (10 ms default) at every rate");
		ref_free(u.r);
	}

	/* slope scales the drive before it is integrated: slope 3 and tanh give tanh(3 S), not
	 * 3 tanh(S); the drive is sane(slope*(...)), so slope 0 gives 0 whatever x1. */
	if (!unit_open(&u, "leaky", 48000))
		return;
	unit_set(&u, "tau", 0.001);
	unit_set(&u, "slope", 3);
	unit_set(&u, "act", 4);
	unit_set(&u, "x1", 1);
	for (int k = 1; k <= 10; k++)
		unit_step(&u);
	check_near(unit_out(&u, "out"), tanh(3 * (1 - pow(a, 10))), 1e-15,
	           "leaky: f(S), S of slope*x");
	ref_free(u.r);

	/* A NaN input reads 0 at its sample and leaves no trace: x1 = 1 throughout, x2 = NaN
	 * at sample 5 only, against x2 = 0 at sample 5, sample for sample. */
	unit v;
	if (!unit_open(&u, "leaky", 48000) || !unit_open(&v, "leaky", 48000))
		return;
	unit_set(&u, "tau", 0.001);
	unit_set(&v, "tau", 0.001);
	bool same = true;
	for (int n = 0; n < 50; n++) {
		unit_set(&u, "x1", 1);
		unit_set(&u, "x2", n == 5 ? NAN : 0.5);
		unit_set(&v, "x1", 1);
		unit_set(&v, "x2", n == 5 ? 0 : 0.5);
		unit_step(&u);
		unit_step(&v);
		same &= unit_out(&u, "out") == unit_out(&v, "out");
	}
	check(same, "leaky: a NaN input reads 0 at its sample, no trace after");
	/* +Inf reads 1e12 and decays like any value: S[0] = (1 - a) 1e12, S[m] = a^m S[0]. */
	ref_activate(u.r);
	unit_set(&u, "x2", 0);
	unit_set(&u, "x1", INFINITY);
	unit_step(&u);
	check_near(unit_out(&u, "out"), (1 - a) * 1e12, 1e-3, "leaky: Inf drive reads 1e12");
	unit_set(&u, "x1", 0);
	for (int m = 1; m <= 48; m++)
		unit_step(&u);
	check_near(unit_out(&u, "out"), (1 - a) * 1e12 * exp(-1.0), 1e-3, "leaky: and decays");
	ref_free(u.r);
	ref_free(v.r);
}

/* tau = 0 is the neuron, bit for bit (alpha = 0): the same outputs for the same inputs and
 * controls, every activation, NaN, Inf, denormals and clamped controls included. */
static void
test_leaky_tau0(void)
{
	static const double xs[] = {0.75,  -1.25, 3, NAN,  INFINITY, -INFINITY,
	                            1e-40, 1e30,  0, -0.5, 1e-20,    2};
	static const double ws[] = {1, -2, 0.125, 100, 1e9, NAN, -3.5, 1e-20};
	unit u;
	if (!unit_open(&u, "leaky", 44100))
		return;
	unit_set(&u, "tau", 0);
	bool same = true;
	int n = 0;
	for (int act = 0; act <= 5; act++)
		for (int i = 0; i < 200; i++, n++) {
			double in[5], ctl[8], out;
			for (int k = 0; k < 5; k++)
				in[k] = xs[(n * 7 + k * 5 + i / 3) % 12];
			for (int k = 0; k < 7; k++)
				ctl[k] = ws[(n * 3 + k * 11 + i / 5) % 8];
			ctl[7] = act;
			ref_sample("neuron", in, ALL, ctl, &out);
			for (int k = 0; k < 5; k++)
				u.port[k] = in[k], u.con[k] = true;
			for (int k = 0; k < 8; k++)
				u.port[6 + k] = ctl[k];
			unit_step(&u);
			same &= !memcmp(&u.port[5], &out, sizeof out);
		}
	check(same, "leaky tau = 0 equals the neuron, bit for bit");
	/* Dyadic data: 0.75 * 100 - 1.25 * 3.5 + ... needs few bits, exact in float in any
	 * order: bound 0. With x1 = (float)0.1 (what a float port holds), 100 x1 needs 31 bits:
	 * a bound, of the order of float ulps of the terms (4 * 7 * 2^-24 * 20 = 3e-5). */
	const double dy[5] = {0.75, -1.25, 3, 0.5, 2};
	const double dw[8] = {100, -3.5, 0.125, 1, 0.25, -2, 4, 0};
	for (int k = 0; k < 5; k++)
		u.port[k] = dy[k];
	for (int k = 0; k < 8; k++)
		u.port[6 + k] = dw[k];
	unit_step(&u);
	check(u.bound[5] == 0.0, "leaky tau = 0 on dyadic data: exact, bound 0");
	u.port[0] = (float)0.1;
	unit_step(&u);
	check(u.bound[5] > 0.0 && u.bound[5] < 1e-4, "leaky tau = 0, x1 = 0.1: a float rounding");
	/* 1e-20 * 1e-20 = 1e-40: below FLT_MIN, so sane() flushes it (PORTS.md) and the step
	 * reads H(0) = 1, not H(-1e-40) = 0, in the neuron as in the leaky unit. */
	const double in[5] = {1e-20, 0, 0, 0, 0}, ctl[8] = {-1e-20, 1, 1, 1, 0, 1, 1, 1};
	double out;
	ref_sample("neuron", in, ALL, ctl, &out);
	check_eq(out, 1, "sane() flushes a drive below FLT_MIN: step gives H(0) = 1");
	ref_free(u.r);
}

static void
test_slow_gate(void)
{
	unit u;
	if (!unit_open(&u, "slow-gate", 48000))
		return;
	/* Gate unconnected reads 1 > G: attack. G[k-1] = 1 - a^k, a = exp(-1/(0.01*48000)) for
	 * the default attack of 10 ms; out = in * G, level = G. After 480 samples: 1 - 1/e. */
	const double aa = exp(-1.0 / 480.0), ar = exp(-1.0 / 24000.0);
	unit_set(&u, "in", 0.5);
	double worst = 0;
	for (int k = 1; k <= 480; k++) {
		unit_step(&u);
		worst = fmax(worst, fabs(unit_out(&u, "level") - (1 - pow(aa, k))));
		worst = fmax(worst, fabs(unit_out(&u, "out") - 0.5 * unit_out(&u, "level")));
	}
	check(worst < 1e-14, "slow gate attack: 1 - alpha_attack^k; out = in * level");
	check_near(unit_out(&u, "level"), 1 - exp(-1.0), 1e-13, "slow gate: 1 - 1/e after attack");
	/* Gate 0 < G: release, with the default 0.5 s: G a_r^m. After 0.5 s, G/e: the gate fades
	 * 50 times slower than it built up. */
	const double g = unit_out(&u, "level");
	unit_set(&u, "gate", 0);
	for (int m = 1; m <= 24000; m++)
		unit_step(&u);
	check_near(unit_out(&u, "level"), g * exp(-1.0), 1e-12,
	           "slow gate: release G/e after 0.5 s");
	check(fabs(unit_out(&u, "level") - g * pow(ar, 24000)) < 1e-12,
	      "slow gate release: G a_r^m");
	/* g == G is not g > G: release. With attack 0 and release 0.5 s: gate 1 gives G = 1 at
	 * once (attack 0: memoryless on the way up), then gate 0.25 < 1 releases slowly. */
	ref_activate(u.r);
	unit_set(&u, "attack", 0);
	unit_set(&u, "gate", 1);
	unit_step(&u);
	check_eq(unit_out(&u, "level"), 1, "slow gate attack 0: G = g at once");
	unit_set(&u, "gate", 0.25);
	unit_step(&u);
	check_near(unit_out(&u, "level"), ar + (1 - ar) * 0.25, 1e-16, "slow gate: then release");
	/* A negative gate is below G: release, also from G = 0. */
	ref_activate(u.r);
	unit_set(&u, "gate", -1);
	unit_step(&u);
	check_near(unit_out(&u, "level"), -(1 - ar), 1e-16, "slow gate: negative gate releases");
	/* Both 0: G = g, out = in * gate: the output gate with a linear gate, memoryless. */
	unit_set(&u, "release", 0);
	unit_set(&u, "gate", 0.75);
	unit_set(&u, "in", -2);
	unit_step(&u);
	check(unit_out(&u, "level") == 0.75 && unit_out(&u, "out") == -1.5,
	      "slow gate attack = release = 0: out = in * gate");
	check(unit_bound(&u, "level") == 0 && unit_bound(&u, "out") == 0,
	      "slow gate attack = release = 0: exact");
	/* sane(gate): NaN reads 0 (G = 0 at once here), Inf 1e12. out = sane(in * G): Inf * 0 is
	 * NaN, so 0; Inf * 1e12 saturates. */
	unit_set(&u, "gate", NAN);
	unit_set(&u, "in", INFINITY);
	unit_step(&u);
	check(unit_out(&u, "level") == 0 && unit_out(&u, "out") == 0,
	      "slow gate: NaN gate, Inf * 0");
	unit_set(&u, "gate", INFINITY);
	unit_step(&u);
	check(unit_out(&u, "level") == 1e12 && unit_out(&u, "out") == 1e12,
	      "slow gate: Inf gate reads 1e12, Inf in saturates");
	/* Unconnected in reads 0. */
	unit_unplug(&u, "in");
	unit_step(&u);
	check_eq(unit_out(&u, "out"), 0, "slow gate: unconnected in reads 0");
	ref_free(u.r);
}

static void
test_fast_weight(void)
{
	unit u;
	if (!unit_open(&u, "fast-weight", 48000))
		return;
	/* Nothing connected: write and k read 0, nothing is learnt; out = f(slope*(w.x + bias))
	 * with the static weights, exactly (w = 0 by default: 0). */
	unit_set(&u, "x1", 2);
	unit_set(&u, "w1", 0.5);
	unit_set(&u, "bias", 0.25);
	unit_step(&u);
	check(unit_out(&u, "out") == 1.25 && unit_out(&u, "a1") == 0 && unit_bound(&u, "out") == 0,
	      "fast weight: nothing connected, nothing learnt: the static synapse, exact");
	/* One write sample: A_1 = (eta/rate) * write * k_1, eta = 100 per second by default;
	 * A_2..4 stay 0 (k unconnected); out = (w1 + A_1) * x1 + bias. */
	ref_activate(u.r);
	unit_set(&u, "write", 0.5);
	unit_set(&u, "k1", 0.25);
	unit_step(&u);
	const double a1 = (100.0 / 48000) * 0.5 * 0.25;
	check_eq(unit_out(&u, "a1"), a1, "fast weight after one write: (eta/rate) write k");
	check(unit_out(&u, "a2") == 0 && unit_out(&u, "a4") == 0, "fast weight: k = 0 learns 0");
	check_near(unit_out(&u, "out"), (0.5 + a1) * 2 + 0.25, 1e-15, "fast weight: w1 + A_1");
	/* Write 0: A_1 decays, lambda = exp(-1/(decay*rate)), default decay 10 s. */
	unit_set(&u, "write", 0);
	for (int m = 1; m <= 1000; m++)
		unit_step(&u);
	check_near(unit_out(&u, "a1"), a1 * pow(exp(-1.0 / 480000), 1000), 1e-18,
	           "fast weight: A decays by lambda^m");
	ref_free(u.r);

	/* eta is per second: write * k = 1 for t seconds adds eta * t at any rate (decay 3600 s:
	 * the sum c (1 - l^n)/(1 - l), n = t * rate, is eta t to 1e-6). */
	const double rates[3] = {44100, 48000, 96000};
	for (int i = 0; i < 3; i++) {
		if (!unit_open(&u, "fast-weight", rates[i]))
			return;
		unit_set(&u, "decay", 3600);
		unit_set(&u, "eta", 50);
		unit_set(&u, "write", 1);
		unit_set(&u, "k2", -1);
		const int n = (int)(0.01 * rates[i] + 0.5);
		for (int k = 0; k < n; k++)
			unit_step(&u);
		/* c (1 - l^n)/(1 - l) with l^n = exp(-n/(3600 rate)), by expm1: 1 - l^n is 3e-6 */
		const double x = -1 / (3600 * rates[i]);
		check_near(unit_out(&u, "a2"), -50 / rates[i] * expm1(n * x) / expm1(x), 1e-13,
		           "fast weight: the geometric sum");
		check_near(unit_out(&u, "a2"), -50 * 0.01, 1e-6,
		           "fast weight: eta t whatever the rate");
		ref_free(u.r);
	}

	/* Saturation at +-100: eta 1e5 at 48 kHz writes 2.083 per sample, so 48 samples reach
	 * 100 (47 reach 97.9) and it stays there; k = -1 goes to -100. Clamped for certain: the
	 * bound is 0. A write of Inf reads 1e12: 100 in one sample. */
	if (!unit_open(&u, "fast-weight", 48000))
		return;
	unit_set(&u, "eta", 1e5);
	unit_set(&u, "decay", 3600);
	unit_set(&u, "write", 1);
	unit_set(&u, "k1", 1);
	unit_set(&u, "k3", -1);
	for (int k = 1; k <= 60; k++) {
		unit_step(&u);
		if (k == 47)
			check(unit_out(&u, "a1") < 100 && unit_out(&u, "a1") > 97,
			      "fast weight: 47 writes of 2.08");
	}
	check(unit_out(&u, "a1") == 100 && unit_out(&u, "a3") == -100,
	      "fast weight saturates at +-100");
	check(unit_bound(&u, "a1") == 0 && unit_bound(&u, "a3") == 0,
	      "saturated for certain: exact");
	ref_activate(u.r);
	unit_set(&u, "write", INFINITY);
	unit_step(&u);
	check_eq(unit_out(&u, "a1"), 100, "fast weight: an Inf write reads 1e12, saturates");
	/* decay 0: lambda = 0, memoryless: A = clamp(c u k) each sample. */
	unit_set(&u, "decay", 0);
	unit_set(&u, "eta", 4800);
	unit_set(&u, "write", 0.5);
	unit_step(&u);
	check_eq(unit_out(&u, "a1"), (4800.0 / 48000) * 0.5 * 1, "fast weight decay 0: memoryless");
	/* A NaN write reads 0: nothing written, the weight only decays (here to 0 at once). */
	unit_set(&u, "write", NAN);
	unit_step(&u);
	check_eq(unit_out(&u, "a1"), 0, "fast weight: NaN write reads 0");
	/* A NaN x makes the drive NaN: f(0), exactly (sigmoid: 1/2). */
	unit_set(&u, "act", 3);
	unit_set(&u, "x1", NAN);
	unit_step(&u);
	check(unit_out(&u, "out") == 0.5 && unit_bound(&u, "out") == 0, "fast weight: NaN x, f(0)");
	/* An Inf x where w + A = 0 exactly (nothing written, w = 0): 0 * Inf = NaN, f(0). */
	unit_set(&u, "x1", INFINITY);
	unit_step(&u);
	check(unit_out(&u, "out") == 0.5 && unit_bound(&u, "out") == 0,
	      "fast weight: 0 * Inf, f(0)");
	ref_free(u.r);

	/* Causal linear attention is a fast-weight memory (QUARKS.md): u = v, k_j = key_j,
	 * x_j = query_j, w = 0, linear f: out[n] = sum_{s <= n} l^(n-s) c v[s] (key[s].query[n]),
	 * computed here directly, in double. */
	if (!unit_open(&u, "fast-weight", 48000))
		return;
	unit_set(&u, "eta", 4800); /* c = 0.1 */
	unit_set(&u, "decay", 0.001);
	const double l = exp(-1.0 / 48), c = 4800.0 / 48000;
	double v[40], key[40][4], q[4], worst = 0;
	for (int n = 0; n < 40; n++) {
		v[n] = sin(0.7 * n);
		for (int j = 0; j < 4; j++) {
			key[n][j] = cos(0.3 * n + j);
			q[j] = sin(0.2 * n - j);
		}
		unit_set(&u, "write", v[n]);
		static const char *const ks[4] = {"k1", "k2", "k3", "k4"};
		static const char *const xs[4] = {"x1", "x2", "x3", "x4"};
		for (int j = 0; j < 4; j++) {
			unit_set(&u, ks[j], key[n][j]);
			unit_set(&u, xs[j], q[j]);
		}
		unit_step(&u);
		double o = 0;
		for (int s = 0; s <= n; s++) {
			double dot = 0;
			for (int j = 0; j < 4; j++)
				dot += key[s][j] * q[j];
			o += pow(l, n - s) * c * v[s] * dot;
		}
		worst = fmax(worst, fabs(unit_out(&u, "out") - o));
	}
	check(worst < 1e-14, "fast weight = causal linear attention");
	ref_free(u.r);
}

/* ---- the sources ------------------------------------------------------------------------ */

/* Step a source k times (n = 0 .. k-1) and return the last output; *b its bound. */
static double
source_at(unit *u, long k, double *b)
{
	ref_activate(u->r);
	for (long n = 0; n < k; n++)
		unit_step(u);
	if (b)
		*b = unit_bound(u, "out");
	return unit_out(u, "out");
}

static void
test_sources(void)
{
	unit u;
	double b;
	/* constant: value, exactly; the float 0.1f reads back as the decimal 0.1 (the double
	 * nearest 0.1, not 0.100000001490116); out of range clamps, NaN reads the default 1. */
	if (!unit_open(&u, "constant", 48000))
		return;
	unit_step(&u);
	check_eq(unit_out(&u, "out"), 1, "constant default 1");
	unit_set(&u, "value", (double)0.1f);
	unit_step(&u);
	check_eq(unit_out(&u, "out"), 0.1, "constant: a float control reads as its decimal");
	unit_set(&u, "value", (double)-37.25f);
	unit_step(&u);
	check_eq(unit_out(&u, "out"), -37.25, "constant -37.25");
	unit_set(&u, "value", 1000);
	unit_step(&u);
	check_eq(unit_out(&u, "out"), 100, "constant clamps to 100");
	unit_set(&u, "value", NAN);
	unit_step(&u);
	check(unit_out(&u, "out") == 1 && unit_bound(&u, "out") == 0, "constant NaN reads 1");
	ref_free(u.r);

	/* pulse, period 0.1 s (the float 0.1f: decimal 0.1) at 48 kHz: P = 4800 samples exactly;
	 * duty 0.5: n/P + 0 < 0.5 for n < 2400: high (1) for n = 0..2399, low (0) from 2400 (frac
	 * = 0.5 is not < 0.5) to 4799, high again at 4800 (frac 0). With P from the float itself
	 * (4800.0000715) frac(2400/P) would be just below 0.5: high. The bound is the jump (1)
	 * at the two edges, 0 elsewhere. */
	if (!unit_open(&u, "pulse", 48000))
		return;
	unit_set(&u, "period", (double)0.1f);
	check(source_at(&u, 1, &b) == 1 && b == 1, "pulse n = 0: high, at the wrap");
	check(source_at(&u, 1001, &b) == 1 && b == 0, "pulse n = 1000: high, exact");
	check(source_at(&u, 2400, &b) == 1 && b == 0, "pulse n = 2399: high");
	check(source_at(&u, 2401, &b) == 0 && b == 1, "pulse n = 2400: frac = duty is low (edge)");
	check(source_at(&u, 4800, &b) == 0 && b == 0, "pulse n = 4799: low (1/4800 from the wrap)");
	check(source_at(&u, 4801, &b) == 1 && b == 1, "pulse n = 4800: high again");
	/* phase 0.25: frac(n/P + 0.25); n = 1200 is at 0.5, low; n = 1199 high. */
	unit_set(&u, "phase", 0.25);
	check(source_at(&u, 1200, NULL) == 1 && source_at(&u, 1201, NULL) == 0,
	      "pulse phase 0.25 moves the edge to n = 1200");
	/* duty 0 is never high, duty 1 always (frac < 1), with no edge to be near */
	unit_set(&u, "low", -3);
	unit_set(&u, "high", 5);
	unit_set(&u, "duty", 0);
	bool low = true, high = true;
	ref_activate(u.r);
	for (int n = 0; n < 5000; n++) {
		unit_step(&u);
		low &= unit_out(&u, "out") == -3 && unit_bound(&u, "out") == 0;
	}
	unit_set(&u, "duty", 1);
	ref_activate(u.r);
	for (int n = 0; n < 5000; n++) {
		unit_step(&u);
		high &= unit_out(&u, "out") == 5 && unit_bound(&u, "out") == 0;
	}
	check(low && high, "pulse duty 0: always low; duty 1: always high; both exact");
	/* period below the range clamps to 0.0001 s: P = 4.8 at 48 kHz, duty 0.5: frac(n/4.8)
	 * for n = 0..4: 0, 0.208, 0.417, 0.625, 0.833: high high high low low */
	unit_set(&u, "period", 0);
	unit_set(&u, "duty", 0.5);
	unit_set(&u, "phase", 0);
	const double want[5] = {5, 5, 5, -3, -3};
	bool ok = true;
	for (int n = 0; n < 5; n++)
		ok &= source_at(&u, n + 1, NULL) == want[n];
	check(ok, "pulse period 0 clamps to 0.0001 s");
	ref_free(u.r);

	/* ramp, period 0.01 s at 48 kHz: P = 480; from -2 to 3: -2 + 5 frac(n/480): n = 0 -> -2,
	 * 120 -> -0.75, 240 -> 0.5, 480 -> -2 again; bound 5 (the tooth) at the wrap only. */
	if (!unit_open(&u, "ramp", 48000))
		return;
	unit_set(&u, "period", (double)0.01f);
	unit_set(&u, "from", -2);
	unit_set(&u, "to", 3);
	check(source_at(&u, 1, &b) == -2 && b == 5, "ramp starts at from, at the wrap");
	check(source_at(&u, 121, &b) == -0.75 && b < 1e-12, "ramp quarter period");
	check(source_at(&u, 241, &b) == 0.5 && b < 1e-12, "ramp half period");
	check(source_at(&u, 481, &b) == -2 && b == 5, "ramp wraps to from after P");
	check(fabs(source_at(&u, 480, NULL) - (-2 + 5 * 479.0 / 480)) < 1e-14,
	      "ramp just below to");
	unit_set(&u, "phase", 0.5);
	check_eq(source_at(&u, 1, NULL), 0.5, "ramp phase 0.5 starts halfway");
	unit_set(&u, "from", 7); /* from = to: flat, no tooth */
	unit_set(&u, "to", 7);
	check(source_at(&u, 241, &b) == 7 && b == 0, "ramp from = to is flat, exact");
	ref_free(u.r);

	/* sine, freq 1 Hz at 48 kHz, amp 2, offset 0.5: n = 12000 is a quarter period, sin(pi/2)
	 * = 1 in double: 2.5; n = 0: 0.5; n = 36000: three quarters, -1.5. freq 0.1f reads as 0.1:
	 * n = 120000 is x = 120000 * 0.1 / 48000 = 0.25 exactly (12000.000000000001 rounds to
	 * 12000), so 2.5 again (from the float 0.100000001490116, x = 0.2500000037, not 1). */
	if (!unit_open(&u, "sine", 48000))
		return;
	unit_set(&u, "amp", 2);
	unit_set(&u, "offset", 0.5);
	check_eq(source_at(&u, 1, NULL), 0.5, "sine n = 0 is the offset");
	check_eq(source_at(&u, 12001, &b), 2.5, "sine quarter period: offset + amp");
	check(b < 1e-10, "sine bound: the phase's double rounding only");
	check_eq(source_at(&u, 36001, NULL), -1.5, "sine three quarters: offset - amp");
	unit_set(&u, "phase", 0.25);
	check_eq(source_at(&u, 1, NULL), 2.5, "sine phase 0.25 starts at the top");
	unit_set(&u, "phase", 0);
	unit_set(&u, "freq", (double)0.1f);
	check_eq(source_at(&u, 120001, NULL), 2.5, "sine 0.1 Hz: freq read as the decimal");
	ref_free(u.r);

	/* noise, seed 0: graph.md gives SplitMix64's first 64-bit values for seed 0,
	 * e220a8397b1dcdaf (counter 1, n = 0) and 6e789e6aa1b965f4 (n = 1); u keeps the top 24
	 * bits: 0xe220a8 = 14*16^5 + 2*16^4 + 2*16^3 + 10*16 + 8 = 14819496, so u = 14819496/2^23 -
	 * 1 = 6430888/8388608; 0x6e789e = 7239838, u = -1148770/8388608. amp 2, offset 1: 1 + 2u.
	 */
	if (!unit_open(&u, "noise", 48000))
		return;
	check_eq(source_at(&u, 1, &b), 6430888.0 / 8388608, "noise seed 0, n = 0 (e220a8...)");
	check(b == 0, "noise exact");
	check_eq(source_at(&u, 2, NULL), -1148770.0 / 8388608, "noise seed 0, n = 1 (6e789e...)");
	unit_set(&u, "amp", 2);
	unit_set(&u, "offset", 1);
	check_eq(source_at(&u, 1, NULL), 1 + 2 * 6430888.0 / 8388608, "noise offset + amp*u");
	/* every value on the grid of 2^-23 in [-1, 1) */
	unit_set(&u, "amp", 1);
	unit_set(&u, "offset", 0);
	unit_set(&u, "seed", 12345);
	bool grid = true;
	double lo = 1, hi = -1;
	ref_activate(u.r);
	for (int n = 0; n < 20000; n++) {
		unit_step(&u);
		const double v = unit_out(&u, "out") * 8388608;
		grid &= v == floor(v) && v >= -8388608 && v < 8388608;
		lo = fmin(lo, unit_out(&u, "out"));
		hi = fmax(hi, unit_out(&u, "out"));
	}
	check(grid && lo < -0.99 && hi > 0.99, "noise on [-1, 1) in steps of 2^-23");
	/* the seed is a whole number: 12345.4 reads 12345 (same noise, exact); 1000.5 is as
	 * near to 1000 as to 1001 (PORTS.md has no tie rule): the bound spans both */
	const double n12345 = source_at(&u, 3, NULL);
	unit_set(&u, "seed", 12345.4);
	check(source_at(&u, 3, &b) == n12345 && b == 0, "noise seed 12345.4 reads 12345");
	unit_set(&u, "seed", 1000);
	const double n1000 = source_at(&u, 3, NULL);
	unit_set(&u, "seed", 1001);
	const double n1001 = source_at(&u, 3, NULL);
	unit_set(&u, "seed", 1000.5);
	const double tie = source_at(&u, 3, &b);
	check((tie == n1000 || tie == n1001) && b == fabs(n1000 - n1001) && b > 0,
	      "noise seed 1000.5: either neighbour, the bound their distance");
	unit_set(&u, "seed", NAN);
	check_eq(source_at(&u, 1, NULL), 6430888.0 / 8388608, "noise seed NaN reads 0");
	unit_set(&u, "seed", 1e30);
	const double top = source_at(&u, 1, NULL);
	unit_set(&u, "seed", 16777215);
	check_eq(source_at(&u, 1, NULL), top, "noise seed clamps to 16777215");
	/* activate restarts n */
	unit_set(&u, "seed", 0);
	ref_activate(u.r);
	unit_step(&u);
	unit_step(&u);
	ref_activate(u.r);
	unit_step(&u);
	check_eq(unit_out(&u, "out"), 6430888.0 / 8388608, "noise: activate restarts at n = 0");
	ref_free(u.r);
}

/* ---- softmax-16 and the general heads --------------------------------------------------- */

static void
test_softmax_16(void)
{
	unit u;
	static const char *const s[16] = {"s1", "s2",  "s3",  "s4",  "s5",  "s6",  "s7",  "s8",
	                                  "s9", "s10", "s11", "s12", "s13", "s14", "s15", "s16"};
	static const char *const a[16] = {"a1", "a2",  "a3",  "a4",  "a5",  "a6",  "a7",  "a8",
	                                  "a9", "a10", "a11", "a12", "a13", "a14", "a15", "a16"};
	/* k equal connected scores: every exp term exp(0) = 1, so 1/k; the rest read 0. */
	for (int k = 1; k <= 16; k++) {
		if (!unit_open(&u, "softmax-16", 48000))
			return;
		for (int j = 0; j < k; j++)
			unit_set(&u, s[j], 0.75);
		for (int j = k; j < 16; j++)
			u.port[ref_port_index(u.p, s[j])] = NAN; /* unconnected: ignored */
		unit_step(&u);
		bool ok = true, tight = true;
		for (int j = 0; j < 16; j++) {
			ok &= unit_out(&u, a[j]) == (j < k ? 1.0 / k : 0.0);
			tight &= j < k ? unit_bound(&u, a[j]) < 3e-6 : unit_bound(&u, a[j]) == 0;
		}
		check(ok, "softmax-16 of k equal scores = 1/k, unconnected 0");
		check(tight, "softmax-16 equal scores: bound from exp's accuracy only");
		ref_free(u.r);
	}
	/* s1..s4 only: the bits of softmax */
	if (!unit_open(&u, "softmax-16", 48000))
		return;
	const double x[4] = {0.3, -1.25, 2.5, 0.1};
	double want[4];
	const double temp = 0.7;
	ref_sample("softmax", x, ALL, &temp, want);
	unit_set(&u, "temp", temp);
	for (int j = 0; j < 4; j++)
		unit_set(&u, s[j], x[j]);
	unit_step(&u);
	bool same = true;
	for (int j = 0; j < 4; j++)
		same &= unit_out(&u, a[j]) == want[j];
	check(same, "softmax-16 on s1..s4 gives softmax's bits");
	/* two scores a gap T ln 3 apart (T = 2): 3:1 */
	ref_free(u.r);
	if (!unit_open(&u, "softmax-16", 48000))
		return;
	unit_set(&u, "temp", 2);
	unit_set(&u, "s9", 2 * log(3.0));
	unit_set(&u, "s16", 0);
	unit_step(&u);
	check(fabs(unit_out(&u, "a9") - 0.75) < 1e-15 && fabs(unit_out(&u, "a16") - 0.25) < 1e-15,
	      "softmax-16 3:1 with T = 2 on s9, s16");
	/* +Inf and 1e30 both saturate to 1e12 and tie: 0.5 each, exactly the same float in any
	 * evaluation, so a bound of exp's accuracy, not of the score's ulp (1e5 at T = 0.01);
	 * the others, 1e12 / 0.01 below, are 0 with bound 0 */
	unit_set(&u, "temp", 0.01);
	unit_set(&u, "s1", INFINITY);
	unit_set(&u, "s2", 1e30);
	unit_set(&u, "s3", NAN);
	unit_set(&u, "s4", -INFINITY);
	unit_step(&u);
	check(unit_out(&u, "a1") == 0.5 && unit_out(&u, "a2") == 0.5 &&
	              unit_bound(&u, "a1") < 3e-6 && unit_bound(&u, "a2") < 3e-6,
	      "softmax-16: saturated ties share 0.5, tightly");
	check(unit_out(&u, "a3") == 0 && unit_out(&u, "a4") == 0 && unit_out(&u, "a9") == 0 &&
	              unit_bound(&u, "a3") == 0 && unit_bound(&u, "a4") == 0,
	      "softmax-16: scores 1e14 below the max weigh 0, exactly");
	/* a score of 30 / T = 0.05 is z = 600, whose float ulp (6e-5) moves the weights of a
	 * near tie by about that: the bound says so */
	unit_set(&u, "temp", 0.05);
	unit_set(&u, "s1", 30);
	unit_set(&u, "s2", 29.9);
	unit_unplug(&u, "s3");
	unit_unplug(&u, "s4");
	unit_unplug(&u, "s9");
	unit_unplug(&u, "s16");
	unit_step(&u);
	const double a1 = 1 / (1 + exp(-2.0)); /* (30 - 29.9) / 0.05 = 2 */
	check(fabs(unit_out(&u, "a1") - a1) < 1e-12 && unit_bound(&u, "a1") > 1e-5 &&
	              unit_bound(&u, "a1") < 1e-3,
	      "softmax-16 bound for scores of 600 after T");
	ref_free(u.r);
}

/* A general head (n tokens of dimension 4) by port index: x[i][d] into xi_d, o[i][l] out of
 * oi_l; ctl: W_Q, W_K, W_V (16 each, row-major), temp; con NULL: all connected. */
static double gen_bound[177];

static void
head4(const char *name, int n, const double (*x)[4], const bool *con, const double ctl[49],
      double (*o)[4])
{
	const ref_plugin *p = ref_plugin_find(name);
	ref_instance *r = ref_instantiate(p, 48000);
	double port[177] = {0};
	bool c[177] = {false};
	for (int i = 0; i < n; i++)
		for (int d = 0; d < 4; d++) {
			port[4 * i + d] = x[i][d];
			c[4 * i + d] = con ? con[i] : true;
		}
	for (int k = 0; k < 49; k++)
		port[8 * n + k] = ctl[k];
	ref_step(r, port, c, gen_bound);
	for (int i = 0; i < n; i++)
		for (int l = 0; l < 4; l++)
			o[i][l] = port[4 * n + 4 * i + l];
	ref_free(r);
}

#define ID4 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1

static void
test_general_heads(void)
{
	static const struct {
		const char *plugin, *symbol;
		int index;
		ref_port_kind kind;
	} at[] = {
	        {"attention-head-8x4", "x8_4", 31, REF_AUDIO_IN},
	        {"attention-head-8x4", "o1_1", 32, REF_AUDIO_OUT},
	        {"attention-head-8x4", "wq11", 64, REF_CONTROL_IN},
	        {"attention-head-8x4", "wv44", 111, REF_CONTROL_IN},
	        {"attention-head-8x4", "temp", 112, REF_CONTROL_IN},
	        {"attention-head-16x4", "x16_4", 63, REF_AUDIO_IN},
	        {"attention-head-16x4", "o16_4", 127, REF_AUDIO_OUT},
	        {"attention-head-16x4", "wk23", 150, REF_CONTROL_IN},
	        {"attention-head-16x4", "temp", 176, REF_CONTROL_IN},
	        {"softmax-16", "s16", 15, REF_AUDIO_IN},
	        {"softmax-16", "a1", 16, REF_AUDIO_OUT},
	        {"softmax-16", "temp", 32, REF_CONTROL_IN},
	        {"pulse", "high", 5, REF_CONTROL_IN},
	        {"noise", "seed", 1, REF_CONTROL_IN},
	        {"ramp", "to", 3, REF_CONTROL_IN},
	};
	for (unsigned i = 0; i < sizeof at / sizeof at[0]; i++) {
		const ref_plugin *p = ref_plugin_find(at[i].plugin);
		const ref_port *port = p ? ref_port_at(p, at[i].index) : NULL;
		check(p && ref_port_index(p, at[i].symbol) == at[i].index && port &&
		              !strcmp(port->symbol, at[i].symbol) && port->kind == at[i].kind,
		      at[i].symbol);
	}
	const ref_plugin *h16 = ref_plugin_find("attention-head-16x4");
	check(h16 && ref_port_count(h16) == 177, "attention-head-16x4 has 177 ports");
	check(h16 && ref_port_at(h16, ref_port_index(h16, "wv33"))->def == 1 &&
	              ref_port_at(h16, ref_port_index(h16, "wv34"))->def == 0,
	      "4x4 matrices default to the identity");
	check(ref_port_at(ref_plugin_find("noise"), 1)->integer, "noise seed is an integer");

	/* Identical tokens: every score q . k is the same whatever W_Q, W_K, so every weight is
	 * 1/n and o_i = sum_j v / n = W_V x (dyadic: exact), for every query. */
	static const double w[49] = {0.9,  0.3,  -0.2, 1.1, 1,   -0.5,  0.25,  0.75,
	                             0.5,  1,    -1,   0.5, 0.7, 0.1,   0.2,   -0.3, /* W_Q */
	                             1,    0.5,  0,    -1,  0.2, 0.4,   0.6,   0.8,
	                             -0.9, 0.1,  0.3,  0.5, 1.5, -0.25, 0.5,   1, /* W_K */
	                             0.5,  0.25, 0,    0,   0,   1,     -1,    0,
	                             2,    0,    0,    0.5, 0,   0,     -0.75, 1, /* W_V */
	                             0.7};
	const double tok[4] = {0.5, -2, 1.25, 3};
	/* W_V tok = (0.5*0.5 - 2*0.25, -2 - 1.25, 2*0.5 + 3*0.5, -0.75*1.25 + 3) */
	const double vx[4] = {-0.25, -3.25, 2.5, 2.0625};
	double x[16][4], o[16][4], o8[8][4];
	for (int i = 0; i < 16; i++)
		memcpy(x[i], tok, sizeof tok);
	for (int sz = 8; sz <= 16; sz += 8) {
		const char *name = sz == 8 ? "attention-head-8x4" : "attention-head-16x4";
		head4(name, sz, x, NULL, w, o);
		bool ok = true, finite = true;
		for (int i = 0; i < sz; i++)
			for (int l = 0; l < 4; l++) {
				ok &= o[i][l] == vx[l];
				finite &= gen_bound[4 * sz + 4 * i + l] < 1e-5;
			}
		check(ok, "general head: identical tokens give each output W_V x");
		check(finite, "general head: identical tokens, a small bound");
	}
	/* Score gap ln 7 (identity matrices, T = 1): token 1 = (sqrt(ln 7), 0, 0, 0), the rest
	 * 0: query 1 scores ln 7 on itself and 0 on the 7 others: weights 7/14 and 1/14, so
	 * o_1 = x_1 / 2; every other query is 0 and weighs all 8 tokens 1/8: o_i = x_1 / 8. */
	static const double id[49] = {ID4, ID4, ID4, 1};
	memset(x, 0, sizeof x);
	x[0][0] = sqrt(log(7.0));
	head4("attention-head-8x4", 8, x, NULL, id, o);
	bool rest = true;
	for (int i = 1; i < 8; i++)
		rest &= o[i][0] == x[0][0] / 8 && o[i][1] == 0 && o[i][2] == 0 && o[i][3] == 0;
	check(fabs(o[0][0] - x[0][0] / 2) < 1e-15 && o[0][1] == 0,
	      "8x4 score gap ln 7: weight 1/2");
	check(rest, "8x4 zero queries attend uniformly: x_1 / 8");
	/* Unconnected tokens read 0 and still take part: the same, with tokens 2..8 set but
	 * unconnected. */
	bool con[16] = {true};
	double y[16][4];
	for (int i = 0; i < 16; i++)
		for (int d = 0; d < 4; d++)
			y[i][d] = i ? 5.0 : x[0][d];
	head4("attention-head-8x4", 8, y, con, id, o8);
	check(!memcmp(o, o8, sizeof o8), "8x4: unconnected tokens read 0 and take part");
	/* Every key twice: softmax over 16 keys where each of 8 appears twice splits each weight
	 * of the 8-key softmax in two, so 16x4 on (x_1..x_8, x_1..x_8) gives the 8x4 outputs,
	 * twice. */
	for (int i = 0; i < 8; i++)
		for (int d = 0; d < 4; d++)
			x[i][d] = x[i + 8][d] = sin(1.0 + i + 0.37 * d);
	head4("attention-head-8x4", 8, x, NULL, w, o8);
	head4("attention-head-16x4", 16, x, NULL, w, o);
	double worst = 0;
	for (int i = 0; i < 16; i++)
		for (int l = 0; l < 4; l++)
			worst = fmax(worst, fabs(o[i][l] - o8[i % 8][l]));
	check(worst < 1e-14, "16x4 on every token twice = 8x4");
	/* Permuting the tokens permutes the outputs. */
	double xp[16][4], op[16][4];
	for (int i = 0; i < 16; i++)
		for (int d = 0; d < 4; d++)
			x[i][d] = cos(0.3 * i - 0.7 * d);
	for (int i = 0; i < 16; i++)
		memcpy(xp[i], x[(5 * i + 3) % 16], sizeof xp[i]);
	head4("attention-head-16x4", 16, x, NULL, w, o);
	head4("attention-head-16x4", 16, xp, NULL, w, op);
	worst = 0;
	for (int i = 0; i < 16; i++)
		for (int l = 0; l < 4; l++)
			worst = fmax(worst, fabs(op[i][l] - o[(5 * i + 3) % 16][l]));
	check(worst < 1e-14, "16x4: permuting the tokens permutes the outputs");
	/* A NaN token component reads 0: what 0 there gives, bit for bit. */
	x[3][2] = 0;
	head4("attention-head-16x4", 16, x, NULL, w, op);
	x[3][2] = NAN;
	head4("attention-head-16x4", 16, x, NULL, w, o);
	check(!memcmp(o, op, sizeof o), "16x4: a NaN token component reads 0");
}

/* The instance API on the stateful plugins. */
static void
test_stateful_api(void)
{
	double x = 1, out;
	const double ctl[2] = {1, 0};
	check(ref_sample("delay", &x, ALL, ctl, &out) == -1,
	      "ref_sample refuses a stateful plugin");
	/* two instances keep their own state */
	unit a, b;
	if (!unit_open(&a, "leaky", 48000) || !unit_open(&b, "leaky", 48000))
		return;
	unit_set(&a, "x1", 1);
	unit_set(&b, "x1", 1);
	unit_step(&a);
	unit_step(&a);
	unit_step(&b);
	check(unit_out(&a, "out") > unit_out(&b, "out"), "instances keep their own states");
	ref_free(a.r);
	ref_free(b.r);
}

int
main(void)
{
	test_logic();
	test_relu_from_gating();
	test_softmax();
	test_threshold_at_zero();
	test_clamping();
	test_non_finite();
	test_identities();
	test_shapes();
	test_ports();
	test_instance();
	test_attention_head();
	test_quadratic();
	test_delay();
	test_leaky();
	test_leaky_tau0();
	test_slow_gate();
	test_fast_weight();
	test_stateful_api();
	test_sources();
	test_softmax_16();
	test_general_heads();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("reference self-test: all checks passed\n");
	return 0;
}
