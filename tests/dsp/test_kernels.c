/* SPDX-License-Identifier: ISC */
/* Every DSP kernel against the independent double reference, on random blocks,
 * for every plugin the reference documents (tests/host/test_plugins.c holds that
 * list equal to the bundle's and covers every plugin through lilv; this test
 * calls the kernels it knows directly): unconnected (NULL) streams, the output aliasing each input
 * (in place), block sizes around the kernels' 256-frame chunk, and non-finite,
 * huge and denormal inputs.
 *
 * Three kinds of data:
 * - dyadic: inputs and gates are multiples of 1/64 in [-1, 1], weights, bias,
 *   v, slope, a, c, k multiples of 1/8 in [-2, 2]. Every product and sum a
 *   kernel forms then needs at most 23 significant bits (worst: slope * w * g
 *   * x, resolution 2^-18, magnitude < 2^5), so float arithmetic is exact in
 *   any order and linear, step, sign and relu must equal the reference
 *   exactly (this is what pins H(0) = 1 and sign(0) = +1);
 * - continuous: uniform floats, activations linear, sigmoid, tanh, relu,
 *   compared with |got - ref| <= 1e-5 + 1e-6 |ref|;
 * - bad: NaN, +-Inf, denormals and +-1e30 mixed into the streams (at most one
 *   Inf or 1e30 per frame, so that float and double agree on which term
 *   dominates), each input sanitized for the reference as the kernels do
 *   (PORTS.md: NaN reads 0 and +-Inf acts as +-1e12, input by input),
 *   plus out-of-range and NaN unit controls; outputs must be finite and match
 *   the reference (PORTS.md's sane rule) within the same tolerance.
 * The attention head and the quadratic unit are held to the reference's float error
 * bound on top of that tolerance (ref.h), and only to finiteness where it is open.
 * Like the plugins' run(), the kernels run with flush-to-zero and
 * denormals-are-zero set (dsp/denormal.h); the reference reads denormals as 0. */
#include "activation_gate.h"
#include "additive_output.h"
#include "additive_synapse.h"
#include "attention_head.h"
#include "denormal.h"
#include "dispatch.h"
#include "neuron.h"
#include "output_gate.h"
#include "quadratic.h"
#include "ref.h"
#include "softmax.h"
#include "synaptic_gate.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_N 1000u
#define GUARD 8u /* frames past n that a kernel must leave alone */
#define MAX_IN 8
#define MAX_CTL 17 /* the quadratic unit */
#define MAX_OUT 8  /* the attention head */
#define MAX_PLUGINS 64
#define N_ROUNDS 6 /* random cases per plugin, size, data kind */

enum { DYADIC, CONTINUOUS, BAD };
static const char *const kinds[] = {"dyadic", "continuous", "bad"};

static const uint32_t sizes[] = {0, 1, 7, 255, 256, 257, 1000};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static unsigned long long n_checked, n_failed, n_ambiguous;
static unsigned long long fails_by[MAX_PLUGINS][3]; /* plugin, kind */
static bool host_ftz; /* run the kernels with FTZ|DAZ set, as some hosts do */

/* xorshift64*: reproducible without libc's rand. */
static uint32_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}

static float
uniform(float lo, float hi)
{
	return lo + (hi - lo) * (float)(rng() >> 8) * (1.0f / 16777216.0f);
}

/* k / den for a random integer k with |k / den| <= max. */
static float
dyadic(int den, int max)
{
	const int span = 2 * den * max + 1;
	return (float)((int)(rng() % (uint32_t)span) - den * max) / (float)den;
}

/* A stream sample of the bad kind: mostly ordinary, often special. */
static float
bad_sample(bool *huge_used)
{
	switch (rng() % 9) {
	case 0: return NAN;
	case 1:
	case 2:
	case 5:
		/* +-Inf and +-1e30 all act as +-1e12 (PORTS.md), so at most one of
		 * them per frame: with two, float and double sums of terms near
		 * 1e12 cancel differently, which says nothing of the rule */
		if (!*huge_used) {
			static const float huge[] = {INFINITY, -INFINITY, 1e30f, -1e30f};
			*huge_used = true;
			return huge[rng() % 4];
		}
		return 0.5f;
	case 3: return FLT_MIN / 4.0f; /* denormal */
	case 4: return -FLT_TRUE_MIN;
	default: return uniform(-1.0f, 1.0f);
	}
}

/* A weight-like control (w, bias, v, slope, a, c, k) of the given kind. */
static float
control(int kind)
{
	if (kind == DYADIC) {
		return dyadic(8, 2);
	}
	return uniform(-1.5f, 1.5f);
}

/* Controls for a plugin, in port order, as floats (the reference gets the
 * same values widened to double). */
static void
make_controls(const char *p, int kind, int n_ctl, float *c)
{
	for (int i = 0; i < n_ctl; ++i) {
		c[i] = control(kind);
	}
	const int cont_acts[] = {0, 3, 4, 5}; /* step/sign only on exact data */
	const float act = kind == CONTINUOUS ? (float)cont_acts[rng() % 4] : (float)(rng() % 6);
	if (!strcmp(p, "softmax") || !strcmp(p, "attention-head")) {
		c[n_ctl - 1] =
		        kind == DYADIC ? (float)(1 + rng() % 16) / 8.0f : uniform(0.05f, 4.0f);
	} else if (!strcmp(p, "output-gate")) {
		c[2] = act;
		if (rng() % 4 == 0) {
			c[0] = 1.0f; /* a = 1, c = 0, the defaults: the pure product path */
			c[1] = 0.0f;
		}
	} else if (strcmp(p, "additive-output")) {
		c[n_ctl - 1] = act; /* unit plugins: act is the last control */
		if (kind == BAD && rng() % 2) {
			/* Raw host values: out of range, NaN, fractional act. The
			 * unit's controls go through qk_unit_from_controls. */
			const float raw[] = {NAN, 1e3f, -1e3f, 250.0f, -0.3f, 7.0f, 2.5f, 3.49f};
			uint32_t at = rng() % (uint32_t)n_ctl;
			if (!strcmp(p, "neuron") && at == 5) {
				at = 6; /* v is clamped by the glue, not the kernel */
			}
			c[at] = raw[rng() % 8];
			c[n_ctl - 1] = raw[rng() % 8];
		}
	}
}

/* A control clamped as the plugin's glue does (the kernels take clamped
 * values), to the reference's documented range of control k of plugin rp. */
static float
glue_control(const ref_plugin *rp, int k, float v)
{
	int seen = 0;
	for (int i = 0; i < ref_port_count(rp); ++i) {
		const ref_port *port = ref_port_at(rp, i);
		if (port->kind == REF_CONTROL_IN && seen++ == k) {
			return qk_control(v, (float)port->min, (float)port->max, (float)port->def);
		}
	}
	return v;
}

/* Run the kernel of plugin p on n frames. in[k] NULL: unconnected. False if
 * this test has no call for p's kernel. */
static bool
run_kernel(const ref_plugin *rp, const float *const *in, const float *c, float *const *out,
           uint32_t n)
{
	const char *p = ref_plugin_name(rp);
	if (!strcmp(p, "output-gate")) {
		qk_output_gate(c[0], c[1], qk_activation_from_control(c[2]), in[0], in[1], out[0],
		               n);
		return true;
	}
	if (!strcmp(p, "additive-output")) {
		qk_additive_output(c[0], in[0], in[1], out[0], n);
		return true;
	}
	if (!strcmp(p, "softmax")) {
		qk_softmax(c[0], in, out, n);
		return true;
	}
	if (!strcmp(p, "attention-head")) {
		/* controls wq11 wq12 wq21 wq22, wk.., wv.., temp; streams token by token */
		qk_head h;
		for (int l = 0; l < QK_HEAD_DIM; ++l) {
			for (int d = 0; d < QK_HEAD_DIM; ++d) {
				h.wq[l][d] = glue_control(rp, 2 * l + d, c[2 * l + d]);
				h.wk[l][d] = glue_control(rp, 4 + 2 * l + d, c[4 + 2 * l + d]);
				h.wv[l][d] = glue_control(rp, 8 + 2 * l + d, c[8 + 2 * l + d]);
			}
		}
		h.temp = glue_control(rp, 12, c[12]);
		const float *x[QK_HEAD_TOKENS][QK_HEAD_DIM];
		float *o[QK_HEAD_TOKENS][QK_HEAD_DIM];
		for (int i = 0; i < QK_HEAD_TOKENS * QK_HEAD_DIM; ++i) {
			x[i / QK_HEAD_DIM][i % QK_HEAD_DIM] = in[i];
			o[i / QK_HEAD_DIM][i % QK_HEAD_DIM] = out[i];
		}
		qk_attention_head(&h, (const float *const(*)[QK_HEAD_DIM])x,
		                  (float *const(*)[QK_HEAD_DIM])o, n);
		return true;
	}
	if (!strcmp(p, "quadratic")) {
		/* controls w1..w4, w11 w12 w13 w14 w22 w23 w24 w33 w34 w44, bias, slope, act */
		qk_quadratic_unit u;
		u.linear = qk_unit_from_controls(c, c[14], c[15], c[16]);
		if (c[16] != c[16]) {
			u.linear.act = QK_STEP; /* the glue's default for a NaN act */
		}
		for (int t = 0; t < QK_QUADRATIC_TERMS; ++t) {
			u.w2[t] = glue_control(rp, 4 + t, c[4 + t]);
		}
		qk_quadratic(&u, in, out[0], n);
		return true;
	}
	/* The unit plugins: w1..w4, bias, [v,] slope, act. */
	if (strcmp(p, "neuron") && strcmp(p, "synaptic-gate") && strcmp(p, "activation-gate") &&
	    strcmp(p, "additive-synapse")) {
		return false;
	}
	const bool neuron = !strcmp(p, "neuron");
	const int sl = neuron ? 6 : 5;
	const qk_unit u = qk_unit_from_controls(c, c[4], c[sl], c[sl + 1]);
	if (neuron) {
		qk_neuron(&u, c[5], in, in[4], out[0], n);
	} else if (!strcmp(p, "synaptic-gate")) {
		qk_synaptic_gate(&u, in, in + 4, out[0], n);
	} else if (!strcmp(p, "activation-gate")) {
		qk_activation_gate(&u, in, in[4], out[0], n);
	} else {
		qk_additive_synapse(&u, in, in + 4, out[0], n);
	}
	return true;
}

/* Whether a result must equal the reference exactly. */
static bool
exact_case(const char *p, int kind, const float *c, int n_ctl)
{
	if (kind != DYADIC || !strcmp(p, "softmax") || !strcmp(p, "attention-head")) {
		return false;
	}
	if (!strcmp(p, "additive-output")) {
		return true;
	}
	const float act = !strcmp(p, "output-gate") ? c[2] : c[n_ctl - 1];
	return act != QK_SIGMOID && act != QK_TANH;
}

/* Output gate, sigmoid gate, in = +-Inf, reference 0: the reference's double
 * exp underflowed, so it computed Inf * 0 (NaN, read as 0), while the exact
 * gate sigmoid(-1e12) is positive and Inf times it saturates at +-1e12.
 * PORTS.md does not settle this, so such frames are counted, not judged. */
static bool
underflow_ambiguous(const char *p, const float *c, const bool *connected, const double *x,
                    double ref)
{
	return !strcmp(p, "output-gate") && qk_activation_from_control(c[2]) == QK_SIGMOID &&
	       connected[0] && isinf(x[0]) && ref == 0.0;
}

/* The reference for one frame, its ports grouped by kind as in run_case, with
 * its float error bound per output. */
static void
reference(const ref_plugin *rp, ref_instance *ri, const double *x, const bool *connected,
          const double *ctl, double *ref, double *bound)
{
	double port[REF_MAX_PORTS], b[REF_MAX_PORTS];
	bool con[REF_MAX_PORTS];
	int k[3] = {0, 0, 0};
	for (int i = 0; i < ref_port_count(rp); ++i) {
		const ref_port_kind kind = ref_port_at(rp, i)->kind;
		const int j = k[kind]++;
		con[i] = kind == REF_AUDIO_IN && connected[j];
		port[i] = kind == REF_AUDIO_IN ? x[j] : kind == REF_CONTROL_IN ? ctl[j] : 0.0;
	}
	ref_step(ri, port, con, b);
	for (int i = 0, j = 0; i < ref_port_count(rp); ++i) {
		if (ref_port_at(rp, i)->kind == REF_AUDIO_OUT) {
			ref[j] = port[i];
			bound[j++] = b[i];
		}
	}
}

/* One case: fresh random streams, connection mask and aliasing. alias: -1 for
 * separate buffers, else output 0 (softmax: output alias % 4) shares the
 * buffer of input alias. False if this test has no call for the kernel. */
static bool
run_case(size_t pi, int kind, uint32_t n, int alias, unsigned conn_mask)
{
	const ref_plugin *rp = ref_plugin_at((int)pi);
	const char *p = ref_plugin_name(rp);
	static float buf[MAX_IN][MAX_N + GUARD];
	static float obuf[MAX_OUT][MAX_N + GUARD];
	static double in_copy[MAX_IN][MAX_N];
	int n_in, n_ctl, n_out;
	ref_shape(p, &n_in, &n_ctl, &n_out);

	float c[MAX_CTL];
	make_controls(p, kind, n_ctl, c);

	bool connected[MAX_IN];
	const float *in[MAX_IN];
	for (int k = 0; k < n_in; ++k) {
		connected[k] = (conn_mask >> k) & 1u;
		in[k] = connected[k] ? buf[k] : NULL;
	}
	for (uint32_t i = 0; i < n + GUARD; ++i) {
		bool huge_used = false;
		for (int k = 0; k < n_in; ++k) {
			buf[k][i] = kind == DYADIC       ? dyadic(64, 1)
			            : kind == CONTINUOUS ? uniform(-1.0f, 1.0f)
			                                 : bad_sample(&huge_used);
			if (i < n) {
				in_copy[k][i] = buf[k][i];
			}
		}
		for (int j = 0; j < n_out; ++j) {
			obuf[j][i] = 12345.0f; /* sentinel: must survive past n */
		}
	}
	float *out[MAX_OUT];
	for (int j = 0; j < n_out; ++j) {
		out[j] = obuf[j];
	}
	const int aliased_out = alias < 0 ? -1 : (n_out == 1 ? 0 : (alias + 1) % n_out);
	if (alias >= 0) {
		out[aliased_out] = buf[alias];
		for (uint32_t i = n; i < n + GUARD; ++i) {
			buf[alias][i] = 12345.0f;
		}
	}

	/* The kernels owe nothing to MXCSR: run them as the host left it, and
	 * once as a host that flushes (Ardour). */
	qk_fp_mode mode = 0;
	if (host_ftz) {
		mode = qk_denormals_off();
	}
	const bool known = run_kernel(rp, in, c, out, n);
	if (host_ftz) {
		qk_denormals_restore(mode);
	}
	if (!known) {
		return false;
	}
	ref_instance *ri = ref_instantiate(rp, 48000); /* memoryless so far: no rate in it */

	const bool exact = exact_case(p, kind, c, n_ctl);
	double ctl[MAX_CTL];
	for (int k = 0; k < n_ctl; ++k) {
		ctl[k] = c[k];
	}
	for (uint32_t i = 0; i < n + GUARD; ++i) {
		double x[MAX_IN], ref[MAX_OUT], bound[MAX_OUT];
		for (int k = 0; k < n_in; ++k) {
			/* PORTS.md: every input is made sane before it is weighted, so
			 * +-Inf acts as +-1e12 and NaN as 0 for that input alone (the
			 * reference is handed the sanitized inputs) */
			x[k] = i < n ? ref_sane(in_copy[k][i]) : 0.0;
		}
		reference(rp, ri, x, connected, ctl, ref, bound);
		/* An input at 1e12 (from Inf or 1e30) scales the float rounding of
		 * everything it multiplies, and the activations' absolute error
		 * (1e-7): allow 1e-5 of the largest input's magnitude on top. A wrong
		 * rule (Inf read as NaN, or saturated only after weighting) is off
		 * by far more, up to 1e12. */
		double big = 0.0;
		for (int k = 0; k < n_in; ++k) {
			if (connected[k] && fabs(x[k]) > big) {
				big = fabs(x[k]);
			}
		}
		const double tol_big = big > 1e6 ? 1e-5 * big : 0.0;
		for (int j = 0; j < n_out; ++j) {
			const double got = out[j][i];
			bool ok;
			if (i >= n) {
				ok = got == 12345.0;
			} else if (exact) {
				ok = got == ref[j];
			} else if (isinf(bound[j])) {
				ok = isfinite(got); /* PORTS.md leaves the float result open */
			} else {
				ok = isfinite(got) &&
				     fabs(got - ref[j]) <=
				             1e-5 + 1e-6 * fabs(ref[j]) + bound[j] + tol_big;
			}
			if (!ok && underflow_ambiguous(p, c, connected, x, ref[j])) {
				n_ambiguous++;
				continue;
			}
			n_checked++;
			fails_by[pi][kind] += !ok;
			if (!ok && n_failed++ < 12) {
				printf("FAIL %s %s n=%u alias=%d conn=0x%x frame %u out %d: got "
				       "%.9g, "
				       "reference %.9g; in:",
				       p, kinds[kind], n, alias, conn_mask, i, j, got, ref[j]);
				for (int k = 0; k < n_in; ++k) {
					printf(" %.9g", connected[k] ? x[k] : NAN);
				}
				printf("; ctl:");
				for (int k = 0; k < n_ctl; ++k) {
					printf(" %.9g", ctl[k]);
				}
				printf("\n");
			}
		}
	}
	ref_free(ri);
	return true;
}

/* Every case, with the kernel table in use. */
static void
run_all(void)
{
	for (int pi = 0; pi < ref_plugin_count() && pi < MAX_PLUGINS; ++pi) {
		const char *p = ref_plugin_name(ref_plugin_at(pi));
		int n_in = 0, n_ctl = 0, n_out = 0;
		/* A stateful plugin has no ref_shape, and one larger than this test's
		 * buffers has no direct kernel call here either. */
		const bool fits = ref_shape(p, &n_in, &n_ctl, &n_out) == 0 && n_in <= MAX_IN &&
		                  n_ctl <= MAX_CTL && n_out <= MAX_OUT;
		const unsigned all = fits ? (1u << n_in) - 1u : 0u;
		if (!fits || !run_case((size_t)pi, DYADIC, 0, -1, all)) {
			/* Every plugin is held to the reference through lilv by
			 * tests/host/test_plugins.c, which fails one without an entry; this
			 * test adds the kernels called directly, where it has a call. */
			printf("note %s: no direct kernel call here (covered through lilv)\n", p);
			continue;
		}
		for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; ++si) {
			for (int kind = DYADIC; kind <= BAD; ++kind) {
				for (int r = 0; r < N_ROUNDS; ++r) {
					/* all connected, none, then random masks */
					const unsigned mask = r == 0   ? all
					                      : r == 1 ? 0u
					                               : rng() & all;
					run_case((size_t)pi, kind, sizes[si], -1, mask);
					for (int a = 0; a < n_in; ++a) {
						if ((mask >> a) & 1u) {
							run_case((size_t)pi, kind, sizes[si], a,
							         mask);
						}
					}
				}
			}
		}
	}
}

int
main(void)
{
	/* every instruction set this CPU runs, and the plain C kernels; the
	 * best one twice, as a host that sets FTZ|DAZ would run it */
	static const char *const tables[] = {"c", "sse2", "avx2"};
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; ++t) {
		if (qk_kernels_select(tables[t]) != 0) {
			printf("kernels %s: not run by this CPU, skipped\n", tables[t]);
			continue;
		}
		const unsigned long long before = n_failed;
		run_all();
		printf("kernels %s: %llu failures\n", qk_kernels_name(), n_failed - before);
	}
	host_ftz = true;
	run_all();
	printf("kernels %s with FTZ|DAZ set: done\n", qk_kernels_name());
	for (int pi = 0; pi < ref_plugin_count() && pi < MAX_PLUGINS; ++pi) {
		for (int kind = DYADIC; kind <= BAD; ++kind) {
			if (fails_by[pi][kind]) {
				printf("%s, %s data: %llu failures\n",
				       ref_plugin_name(ref_plugin_at(pi)), kinds[kind],
				       fails_by[pi][kind]);
			}
		}
	}
	printf("%llu samples checked, %llu failures (%llu output-gate frames of Inf "
	       "times an underflowed sigmoid gate not judged)\n",
	       n_checked, n_failed, n_ambiguous);
	return n_failed ? 1 : 0;
}
