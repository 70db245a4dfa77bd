/* SPDX-License-Identifier: ISC */
/* Independent double-precision reference for the quarks.lv2 plugins (see ref.h).
 * Every formula below is the "computes" column of docs/PORTS.md (docs/attention.md for the
 * head's layout), with sane() applied exactly where PORTS.md says and nowhere else.
 *
 * Each plugin's ports are one list, written once as an X-macro in port-index order: it
 * gives both the table a test holds against the bundle and, inside the kernel, an enum of
 * the same symbols, so a kernel reads p[w1] or p[temp] and cannot drift from the table. */
#include "ref.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ACT_LINEAR, ACT_STEP, ACT_SIGN, ACT_SIGMOID, ACT_TANH, ACT_RELU };

/* What a kernel sees for one sample. */
typedef struct {
	double *p; /* by port index: inputs prepared (identities, clamps), outputs out */
	const bool *connected; /* by port index, audio inputs */
	double *bound;         /* by port index, outputs: 0 unless the kernel widens it */
	double rate;           /* Hz */
	double *state;         /* n_state values, zero after activate unless reset sets them */
	const double *raw;     /* by port index: the values as the caller set them */
} ref_ctx;

struct ref_plugin {
	const char *name;
	const ref_port *ports;
	int n_ports;
	void (*run)(ref_ctx *f);
	/* Stateful plugins only (0 and NULL otherwise): how many state values at a rate, and
	 * what activate() sets them to (NULL: all zero). */
	size_t (*state_size)(double rate);
	void (*reset)(double *state, double rate);
};

#define U (FLT_EPSILON / 2)      /* unit roundoff of float */
#define FLOAT_BIG (FLT_MAX / 16) /* past this a float sum of a few such terms may overflow */

struct ref_instance {
	const ref_plugin *plugin;
	double rate;
	double *state;
	size_t n_state;
	double work[REF_MAX_PORTS];
	double bound[REF_MAX_PORTS];
};

/* ---- the rules every plugin shares ------------------------------------ */

/* PORTS.md: NaN -> 0, then clamp to [-1e12, 1e12], then |x| < FLT_MIN -> 0. The flush
 * matters where a product of normal floats falls below FLT_MIN (1e-20 * 1e-20): a plugin
 * under flush-to-zero reads 0 there, and H(-1e-40) = 0 but H(0) = 1. */
double
ref_sane(double x)
{
	if (isnan(x) || fabs(x) < FLT_MIN)
		return 0.0;
	return x > REF_LIMIT ? REF_LIMIT : x < -REF_LIMIT ? -REF_LIMIT : x;
}

double
ref_activation(int act, double s)
{
	switch (act < ACT_LINEAR ? ACT_LINEAR : act > ACT_RELU ? ACT_RELU : act) {
	case ACT_STEP: return s >= 0.0 ? 1.0 : 0.0; /* H(0) = 1: -0.0 >= 0 too */
	case ACT_SIGN: return s >= 0.0 ? 1.0 : -1.0;
	case ACT_SIGMOID: return 1.0 / (1.0 + exp(-s)); /* exp overflow -> 1/inf = 0, fine */
	case ACT_TANH: return tanh(s);
	case ACT_RELU: return s > 0.0 ? s : 0.0;
	default: return s;
	}
}

/* Plugins run with denormals-are-zero: a float denormal reads as 0. */
static double
daz(double x)
{
	return (x != 0.0 && fabs(x) < FLT_MIN) ? 0.0 : x;
}

static double
clamp_control(double v, const ref_port *r)
{
	if (isnan(v))
		return r->def; /* PORTS.md: a NaN matrix entry / act reads its default; so do all */
	v = daz(v);
	if (r->integer)
		v = round(v); /* nearest, halves away from zero; same as floor(v+0.5) on [0,5] */
	return v < r->min ? r->min : v > r->max ? r->max : v;
}

static double act_bound(int act, double y, double d);
static double unit_drive(const double *t, const double *dt, int n, double slope, double *dy);
static bool is_float(double x);

/* How far a float product of two floats may be from p, their exact product (held exactly in a
 * double): 0 when p is itself a float. */
static double
product_rounding(double p)
{
	return is_float(p) ? 0.0 : U * fabs(p);
}

/* Output of a memoryless unit plugin, f(sane(slope * S)), S the sum of the n terms t, with
 * in f->bound[out] how far a float plugin's may be (unit_drive: 0 where every order of the
 * float sum is exact, else the roundings of the terms and the partial sums). dt: each
 * term's own rounding beyond one (a product of three floats), NULL: none. It matters where
 * a term is huge (an input of +-1e12, from Inf or 1e30), and a term of weight 0 is 0 and
 * adds nothing: the bound stays tight where a wrong Inf rule (0 * Inf = NaN, read 0) would
 * wipe out the whole sum. */
static double
unit_out_bounded(ref_ctx *f, int out, const double *t, const double *dt, int n, double slope,
                 double act)
{
	double dy;
	const double y = ref_sane(unit_drive(t, dt, n, slope, &dy));
	f->bound[out] = act_bound((int)act, y, dy);
	return ref_activation((int)act, y);
}

/* ---- port lists --------------------------------------------------------- */

/* Row fields: kind, min, def, max, integer, identity. */
/* The port lists, one row a port: laid out by hand (clang-format cannot settle on them). */
/* clang-format off */
#define AIN0 REF_AUDIO_IN, 0.0, 0.0, 0.0, false, 0.0 /* a stream: unconnected reads 0 */
#define AIN1 REF_AUDIO_IN, 0.0, 0.0, 0.0, false, 1.0 /* a gate: unconnected reads 1 */
#define AOUT REF_AUDIO_OUT, 0.0, 0.0, 0.0, false, 0.0
#define CTL(lo, d, hi) REF_CONTROL_IN, lo, d, hi, false, 0.0
#define W CTL(-100.0, 1.0, 100.0) /* w1..w4, v, slope, a, k; diagonal of a matrix */
#define Z CTL(-100.0, 0.0, 100.0) /* bias, c, w_ij; off-diagonal of a matrix */
#define TEMP CTL(0.01, 1.0, 100.0)
#define ACT(d) REF_CONTROL_IN, 0.0, d, 5.0, true, 0.0

#define ROW(sym, desc) {#sym, desc},
#define ENUM(sym, desc) sym,

#define X4(P) P(x1, AIN0) P(x2, AIN0) P(x3, AIN0) P(x4, AIN0)
#define W4(P) P(w1, W) P(w2, W) P(w3, W) P(w4, W)

#define NEURON(P) \
	X4(P) P(attend, AIN0) P(out, AOUT) W4(P) P(bias, Z) P(v, W) P(slope, W) P(act, ACT(0.0))
#define OUTPUT_GATE(P) P(in, AIN0) P(gate, AIN1) P(out, AOUT) P(a, W) P(c, Z) P(act, ACT(0.0))
#define SYNAPTIC_GATE(P) \
	X4(P)            \
	P(g1, AIN1)      \
	P(g2, AIN1)      \
	P(g3, AIN1) P(g4, AIN1) P(out, AOUT) W4(P) P(bias, Z) P(slope, W) P(act, ACT(0.0))
#define ACTIVATION_GATE(P) \
	X4(P) P(gate, AIN1) P(out, AOUT) W4(P) P(bias, Z) P(slope, W) P(act, ACT(0.0))
#define ADDITIVE_OUTPUT(P) P(in, AIN0) P(gate, AIN0) P(out, AOUT) P(k, W)
#define ADDITIVE_SYNAPSE(P) \
	X4(P)               \
	P(g1, AIN0)         \
	P(g2, AIN0)         \
	P(g3, AIN0) P(g4, AIN0) P(out, AOUT) W4(P) P(bias, Z) P(slope, W) P(act, ACT(0.0))
#define SOFTMAX(P)  \
	P(s1, AIN0) \
	P(s2, AIN0) \
	P(s3, AIN0) P(s4, AIN0) P(a1, AOUT) P(a2, AOUT) P(a3, AOUT) P(a4, AOUT) P(temp, TEMP)
/* Token i is (xi_1, xi_2); matrix control wqld is row l, column d (identity by default). */
#define MATRIX(P, m) P(m##11, W) P(m##12, Z) P(m##21, Z) P(m##22, W)
#define ATTENTION_HEAD(P)                                                                   \
	P(x1_1, AIN0)                                                                       \
	P(x1_2, AIN0)                                                                       \
	P(x2_1, AIN0)                                                                       \
	P(x2_2, AIN0)                                                                       \
	P(x3_1, AIN0) P(x3_2, AIN0) P(x4_1, AIN0) P(x4_2, AIN0) P(o1_1, AOUT) P(o1_2, AOUT) \
	        P(o2_1, AOUT) P(o2_2, AOUT) P(o3_1, AOUT) P(o3_2, AOUT) P(o4_1, AOUT)       \
	                P(o4_2, AOUT) MATRIX(P, wq) MATRIX(P, wk) MATRIX(P, wv) P(temp, TEMP)
/* The quadratic unit's act defaults to step: it is a threshold unit. */
#define QUADRATIC(P)                                                                              \
	X4(P)                                                                                     \
	P(out, AOUT)                                                                              \
	W4(P)                                                                                     \
	P(w11, Z)                                                                                 \
	P(w12, Z) P(w13, Z) P(w14, Z) P(w22, Z) P(w23, Z) P(w24, Z) P(w33, Z) P(w34, Z) P(w44, Z) \
	        P(bias, Z) P(slope, W) P(act, ACT(1.0))

/* The stateful plugins (PORTS.md, "Time scales"). Time constants are in seconds, the delay
 * time in ms; delay is an integer control (a count of frames), printed without decimals in
 * the generated table as act is. The fast weight's static weights default to 0. */
#define INT(lo, d, hi) REF_CONTROL_IN, lo, d, hi, true, 0.0
#define DELAY(P) \
	P(in, AIN0) P(out, AOUT) P(delay, INT(0.0, 1.0, 65536.0)) P(time, CTL(0.0, 0.0, 1000.0))
#define LEAKY(P) NEURON(P) P(tau, CTL(0.0, 0.01, 100.0))
#define SLOW_GATE(P)  \
	P(in, AIN0)   \
	P(gate, AIN1) \
	P(out, AOUT)  \
	P(level, AOUT) P(attack, CTL(0.0, 0.01, 100.0)) P(release, CTL(0.0, 0.5, 100.0))
#define FAST_WEIGHT(P)                                                                          \
	X4(P)                                                                                   \
	P(k1, AIN0)                                                                             \
	P(k2, AIN0)                                                                             \
	P(k3, AIN0)                                                                             \
	P(k4, AIN0) P(write, AIN0) P(out, AOUT) P(a1, AOUT) P(a2, AOUT) P(a3, AOUT) P(a4, AOUT) \
	        P(w1, Z) P(w2, Z) P(w3, Z) P(w4, Z) P(bias, Z) P(slope, W) P(act, ACT(0.0))     \
	                P(decay, CTL(0.0, 10.0, 3600.0)) P(eta, CTL(-100000.0, 100.0, 100000.0))

/* The sources (PORTS.md "Sources"): one output, no inputs. Periods in seconds, freq in Hz,
 * phase in cycles; the seed is a whole number (integer, printed without decimals). */
#define PHASE CTL(0.0, 0.0, 1.0)
#define PERIOD CTL(0.0001, 1.0, 3600.0)
#define CONSTANT(P) P(out, AOUT) P(value, W)
#define PULSE(P)     \
	P(out, AOUT) \
	P(period, PERIOD) P(duty, CTL(0.0, 0.5, 1.0)) P(phase, PHASE) P(low, Z) P(high, W)
#define SINE(P) \
	P(out, AOUT) P(freq, CTL(0.001, 1.0, 20000.0)) P(amp, W) P(offset, Z) P(phase, PHASE)
#define RAMP(P) P(out, AOUT) P(period, PERIOD) P(from, Z) P(to, W) P(phase, PHASE)
#define NOISE(P) P(out, AOUT) P(seed, INT(0.0, 0.0, 16777215.0)) P(amp, W) P(offset, Z)

/* softmax-16: softmax over up to 16 scores. */
#define FOR8(M, P) M(P, 1) M(P, 2) M(P, 3) M(P, 4) M(P, 5) M(P, 6) M(P, 7) M(P, 8)
#define FOR16(M, P) \
	FOR8(M, P) M(P, 9) M(P, 10) M(P, 11) M(P, 12) M(P, 13) M(P, 14) M(P, 15) M(P, 16)
#define SCORE(P, i) P(s##i, AIN0)
#define WEIGHT(P, i) P(a##i, AOUT)
#define SOFTMAX_16(P) FOR16(SCORE, P) FOR16(WEIGHT, P) P(temp, TEMP)

/* The general heads (PORTS.md, docs/attention.md): n tokens of dimension 4, token i the
 * streams xi_1 .. xi_4, output i oi_1 .. oi_4, then W_Q, W_K, W_V (4x4, row l column d,
 * identity by default) and temp. */
#define TOKEN4(P, i) P(x##i##_1, AIN0) P(x##i##_2, AIN0) P(x##i##_3, AIN0) P(x##i##_4, AIN0)
#define OUT4(P, i) P(o##i##_1, AOUT) P(o##i##_2, AOUT) P(o##i##_3, AOUT) P(o##i##_4, AOUT)
#define MATRIX4(P, m)                                                                       \
	P(m##11, W)                                                                         \
	P(m##12, Z)                                                                         \
	P(m##13, Z)                                                                         \
	P(m##14, Z)                                                                         \
	P(m##21, Z) P(m##22, W) P(m##23, Z) P(m##24, Z) P(m##31, Z) P(m##32, Z) P(m##33, W) \
	        P(m##34, Z) P(m##41, Z) P(m##42, Z) P(m##43, Z) P(m##44, W)
#define HEAD_TAIL(P) MATRIX4(P, wq) MATRIX4(P, wk) MATRIX4(P, wv) P(temp, TEMP)
#define HEAD_8X4(P) FOR8(TOKEN4, P) FOR8(OUT4, P) HEAD_TAIL(P)
#define HEAD_16X4(P) FOR16(TOKEN4, P) FOR16(OUT4, P) HEAD_TAIL(P)

/* clang-format on */
static const ref_port neuron_ports[] = {NEURON(ROW)};
static const ref_port output_gate_ports[] = {OUTPUT_GATE(ROW)};
static const ref_port synaptic_gate_ports[] = {SYNAPTIC_GATE(ROW)};
static const ref_port activation_gate_ports[] = {ACTIVATION_GATE(ROW)};
static const ref_port additive_output_ports[] = {ADDITIVE_OUTPUT(ROW)};
static const ref_port additive_synapse_ports[] = {ADDITIVE_SYNAPSE(ROW)};
static const ref_port softmax_ports[] = {SOFTMAX(ROW)};
static const ref_port attention_head_ports[] = {ATTENTION_HEAD(ROW)};
static const ref_port quadratic_ports[] = {QUADRATIC(ROW)};
static const ref_port delay_ports[] = {DELAY(ROW)};
static const ref_port leaky_ports[] = {LEAKY(ROW)};
static const ref_port slow_gate_ports[] = {SLOW_GATE(ROW)};
static const ref_port fast_weight_ports[] = {FAST_WEIGHT(ROW)};
static const ref_port constant_ports[] = {CONSTANT(ROW)};
static const ref_port pulse_ports[] = {PULSE(ROW)};
static const ref_port sine_ports[] = {SINE(ROW)};
static const ref_port ramp_ports[] = {RAMP(ROW)};
static const ref_port noise_ports[] = {NOISE(ROW)};
static const ref_port softmax_16_ports[] = {SOFTMAX_16(ROW)};
static const ref_port head_8x4_ports[] = {HEAD_8X4(ROW)};
static const ref_port head_16x4_ports[] = {HEAD_16X4(ROW)};

/* ---- the seven quarks: memoryless, outputs a few well-scaled terms ---- */

/* neuron: out = f(slope*(sum_i w_i x_i + bias + v*attend)). */
static void
run_neuron(ref_ctx *f)
{
	enum { NEURON(ENUM) };
	double *p = f->p;
	double t[6] = {p[bias], p[v] * p[attend]};
	for (int i = 0; i < 4; i++)
		t[2 + i] = p[w1 + i] * p[x1 + i];
	p[out] = unit_out_bounded(f, out, t, NULL, 6, p[slope], p[act]);
}

/* synaptic gating: w_i -> w_i * g_i. */
static void
run_synaptic_gate(ref_ctx *f)
{
	enum { SYNAPTIC_GATE(ENUM) };
	double *p = f->p;
	double t[5] = {p[bias]}, dt[5] = {0};
	for (int i = 0; i < 4; i++) {
		t[1 + i] = p[w1 + i] * p[g1 + i] * p[x1 + i];
		dt[1 + i] = U * fabs(t[1 + i]); /* w_i g_i rounds too */
	}
	p[out] = unit_out_bounded(f, out, t, dt, 5, p[slope], p[act]);
}

/* additive synaptic: w_i -> w_i + g_i. */
static void
run_additive_synapse(ref_ctx *f)
{
	enum { ADDITIVE_SYNAPSE(ENUM) };
	double *p = f->p;
	double t[5] = {p[bias]}, dt[5] = {0};
	for (int i = 0; i < 4; i++) {
		t[1 + i] = (p[w1 + i] + p[g1 + i]) * p[x1 + i];
		dt[1 + i] =
		        U * fabs(p[w1 + i] + p[g1 + i]) * fabs(p[x1 + i]); /* w_i + g_i rounds */
	}
	p[out] = unit_out_bounded(f, out, t, dt, 5, p[slope], p[act]);
}

/* activation gating: S = gate * (sum w_i x_i + bias). */
static void
run_activation_gate(ref_ctx *f)
{
	enum { ACTIVATION_GATE(ENUM) };
	double *p = f->p;
	/* gate * S: the gate scales every term, and its product rounds once more */
	double t[5] = {p[gate] * p[bias]}, dt[5] = {U * fabs(p[gate] * p[bias])};
	for (int i = 0; i < 4; i++) {
		t[1 + i] = p[gate] * p[w1 + i] * p[x1 + i];
		dt[1 + i] = U * fabs(t[1 + i]);
	}
	p[out] = unit_out_bounded(f, out, t, dt, 5, p[slope], p[act]);
}

/* output gating: out = sane(in * g(sane(a*gate + c))). */
static void
run_output_gate(ref_ctx *f)
{
	enum { OUTPUT_GATE(ENUM) };
	double *p = f->p;
	/* a*gate + c is one fused multiply-add on AVX2 but a product and a sum on the
	 * baseline build (SSE2, plain C): its rounding (dt) counts, which matters where c
	 * cancels a*gate and in is large */
	const double t[2] = {p[a] * p[gate], p[c]}, dt[2] = {product_rounding(t[0]), 0.0};
	double dz;
	const double z = ref_sane(unit_drive(t, dt, 2, 1.0, &dz));
	const double g = ref_activation((int)p[act], z), dg = act_bound((int)p[act], z, dz);
	p[out] = ref_sane(p[in] * g);
	f->bound[out] = (p[in] == 0.0 || dg == 0.0) ? 0.0 : fabs(p[in]) * dg;
}

/* additive output: out = sane(in + k*gate). */
static void
run_additive_output(ref_ctx *f)
{
	enum { ADDITIVE_OUTPUT(ENUM) };
	double *p = f->p;
	/* one fused multiply-add on AVX2, a product and a sum elsewhere (see the output gate) */
	const double t[2] = {p[in], p[k] * p[gate]}, dt[2] = {0.0, product_rounding(t[1])};
	double dy;
	p[out] = ref_sane(unit_drive(t, dt, 2, 1.0, &dy));
	f->bound[out] = dy;
}

/* softmax over connected scores of sane(s_i)/T; max subtracted so exp never overflows and the
 * largest term is exactly 1 (the sum is >= 1, never 0). Unconnected scores give 0. */
static void
run_softmax(ref_ctx *f)
{
	enum { SOFTMAX(ENUM) };
	double *p = f->p;
	double z[4], e[4], max = -INFINITY, sum = 0.0;
	for (int i = 0; i < 4; i++) {
		z[i] = ref_sane(p[s1 + i]) / p[temp];
		if (f->connected[s1 + i] && z[i] > max)
			max = z[i];
	}
	for (int i = 0; i < 4; i++) {
		e[i] = f->connected[s1 + i] ? exp(z[i] - max) : 0.0;
		sum += e[i];
	}
	for (int i = 0; i < 4; i++)
		p[a1 + i] = sum > 0.0 ? ref_sane(e[i] / sum) : 0.0;
}

/* ---- single-precision error bounds ---------------------------------------
 * The attention head and the quadratic unit chain products and exponentials: a float
 * evaluation of their formulas can be far from the double one for well-defined reasons
 * (a score of 500 has an ulp of 3e-5, which the softmax divides by T and multiplies by the
 * values), so they report, per output, a bound on that distance. An fv is a double value
 * with a bound on how far any float evaluation of the same expression can be from it;
 * err = INFINITY means the float result is not determined at all. */

typedef struct {
	double v, err;
} fv;

static fv
fv_exact(double v)
{
	return (fv){v, 0.0};
}

/* Rounding of one operation; flush-to-zero can lose up to FLT_MIN, except on an exact 0. */
static fv
fv_rounded(double v, double err)
{
	fv r = {v, err};
	if (isinf(err))
		return r;
	if (isfinite(v)) {
		if (v != 0.0 || err > 0.0)
			r.err += U * fabs(v) + FLT_MIN;
		if (fabs(v) > FLOAT_BIG)
			r.err = INFINITY; /* finite in double, maybe infinite in float */
	}
	return r;
}

/* Whether x's sign and zero-ness are certain under its error. */
static bool
fv_sign_certain(fv x)
{
	return x.err == 0.0 || fabs(x.v) > x.err;
}

static fv
fv_mul(fv a, fv b)
{
	if (isinf(a.err) || isinf(b.err))
		return (fv){a.v * b.v, INFINITY};
	if (!isfinite(a.v) || !isfinite(b.v)) {
		/* Inf * x and NaN * x: the result follows x's sign and whether x is 0 */
		const bool ok = (!isfinite(a.v) || fv_sign_certain(a)) &&
		                (!isfinite(b.v) || fv_sign_certain(b));
		return (fv){a.v * b.v, ok ? 0.0 : INFINITY};
	}
	return fv_rounded(a.v * b.v, fabs(a.v) * b.err + fabs(b.v) * a.err + a.err * b.err);
}

static fv
fv_add(fv a, fv b)
{
	if (isinf(a.err) || isinf(b.err))
		return (fv){a.v + b.v, INFINITY};
	if (!isfinite(a.v) || !isfinite(b.v))
		return (fv){a.v + b.v, 0.0}; /* Inf + finite, Inf - Inf = NaN: same in float */
	return fv_rounded(a.v + b.v, a.err + b.err);
}

/* sane() of an fv: NaN -> 0 and saturation are exact; clamping never widens the error, and
 * both results lie in [-REF_LIMIT, REF_LIMIT]. */
static fv
fv_sane(fv a)
{
	const double v = ref_sane(a.v);
	if (isinf(a.err))
		return (fv){v, INFINITY};
	if (!isfinite(a.v) || fabs(a.v) - a.err >= REF_LIMIT)
		return fv_exact(v);
	return (fv){v, fmin(a.err, REF_LIMIT + fabs(v))};
}

/* A single-precision exp is taken to be within this relative error (the accuracy the
 * project asks of its float exp); with the normalising division, twice that. */
#define EXP_REL 1e-6

/* ---- attention head: 4 tokens of dimension 2 ---------------------------- */

/* y = w0 * x0 + w1 * x1 (one row of a projection). */
static fv
dot2(double w0, double w1, fv x0, fv x1)
{
	return fv_add(fv_mul(fv_exact(w0), x0), fv_mul(fv_exact(w1), x1));
}

/* q_i = W_Q x_i, k_j = W_K x_j, v_j = W_V x_j; a_ij = softmax_j(sane(q_i . k_j) / T) over
 * all four keys (an unconnected token reads 0 and still takes part); o_i = sane(sum_j a_ij
 * v_j). */
static void
run_attention_head(ref_ctx *f)
{
	enum { ATTENTION_HEAD(ENUM) };
	double *p = f->p;
	fv q[4][2], k[4][2], v[4][2];
	for (int i = 0; i < 4; i++) {
		const fv x0 = fv_exact(p[x1_1 + 2 * i]), x1 = fv_exact(p[x1_1 + 2 * i + 1]);
		for (int l = 0; l < 2; l++) {
			q[i][l] = dot2(p[wq11 + 2 * l], p[wq11 + 2 * l + 1], x0, x1);
			k[i][l] = dot2(p[wk11 + 2 * l], p[wk11 + 2 * l + 1], x0, x1);
			v[i][l] = dot2(p[wv11 + 2 * l], p[wv11 + 2 * l + 1], x0, x1);
		}
	}
	const double t = p[temp];
	for (int i = 0; i < 4; i++) {
		fv s[4];
		bool open = false; /* some score undetermined in float */
		for (int j = 0; j < 4; j++) {
			s[j] = fv_sane(fv_add(fv_mul(q[i][0], k[j][0]), fv_mul(q[i][1], k[j][1])));
			open |= isinf(s[j].err);
		}
		double z[4], max = -INFINITY, sum = 0.0;
		for (int j = 0; j < 4; j++) {
			z[j] = s[j].v / t;
			max = z[j] > max ? z[j] : max;
		}
		/* An error d_j in each z_j scales a_j by between exp(-2D) and exp(2D), D = max d_j:
		 * the numerator by exp(d_j), the sum by a mean of them. */
		double d = 0.0;
		for (int j = 0; j < 4; j++) {
			const double dj = s[j].err / t + 2 * U * (fabs(z[j]) + fabs(max));
			d = dj > d ? dj : d;
		}
		double e[4];
		for (int j = 0; j < 4; j++) {
			e[j] = exp(z[j] - max);
			sum += e[j];
		}
		fv a[4];
		for (int j = 0; j < 4; j++) {
			a[j].v = e[j] / sum;
			a[j].err = 2 * d > 30 ? 1.0 : a[j].v * (exp(2 * d) * (1 + 2 * EXP_REL) - 1);
			if (a[j].err > 1.0)
				a[j].err = 1.0;
			/* Below about FLT_MIN a float weight may be 0, flushed or clamped up:
			 * whether it is exactly 0 (0 * Inf = NaN) is open. */
			if (a[j].v < 1e-30 && a[j].err < 1e-30)
				a[j].err = 1e-30;
			if (open)
				a[j].err = INFINITY;
		}
		for (int l = 0; l < 2; l++) {
			fv o = fv_mul(a[0], v[0][l]);
			for (int j = 1; j < 4; j++)
				o = fv_add(o, fv_mul(a[j], v[j][l]));
			o = fv_sane(o);
			p[o1_1 + 2 * i + l] = o.v;
			f->bound[o1_1 + 2 * i + l] = o.err;
		}
	}
}

/* ---- quadratic unit ----------------------------------------------------- */

/* out = f(slope*(sum_i w_i x_i + sum_{i<=j} w_ij x_i x_j + bias)), w_ij in the order w11 w12
 * w13 w14 w22 w23 w24 w33 w34 w44. */
static void
run_quadratic(ref_ctx *f)
{
	enum { QUADRATIC(ENUM) };
	double *p = f->p;
	double s = p[bias], mag = fabs(p[bias]);
	bool has_nan = false, has_inf = false, big = false;
	for (int i = 0; i < 4; i++) {
		const double xi = p[x1 + i];
		s += p[w1 + i] * xi;
		mag += fabs(p[w1 + i] * xi);
		has_nan |= isnan(xi);
		has_inf |= isinf(xi);
	}
	int term = w11;
	for (int i = 0; i < 4; i++)
		for (int j = i; j < 4; j++) {
			const double xx = p[x1 + i] * p[x1 + j], wxx = p[term++] * xx;
			s += wxx;
			mag += fabs(wxx);
			big |= fabs(xx) > FLOAT_BIG || fabs(wxx) > FLOAT_BIG;
		}
	const double y = ref_sane(p[slope] * s);
	const int act_ = (int)p[act];
	p[out] = ref_activation(act_, y);

	/* The bound. NaN anywhere gives NaN in any evaluation: f(0), exact. An infinite input
	 * is open: PORTS.md gives the polynomial, not its evaluation, and a factored form
	 * (x1 * (w1 + w11 x1 + ..)) meets Inf - Inf where the sum of monomials does not, or
	 * the other way round. So is a product past float range. */
	double b;
	if (has_nan)
		b = 0.0;
	else if (has_inf || big)
		b = INFINITY;
	else {
		/* a sum of 15 terms of up to 3 factors, in any order: under 20 roundings of each;
		 * every term exactly 0 is 0 in float too */
		const double ds = mag > 0.0 ? 20 * U * mag + 16 * FLT_MIN : 0.0;
		double dy = fabs(p[slope]) * ds + U * fabs(p[slope] * s);
		if (fabs(p[slope] * s) - dy >= REF_LIMIT)
			dy = 0.0; /* saturated either way */
		switch (act_) {
		case ACT_STEP:
		case ACT_SIGN:
			/* exact unless the sign of the argument is in doubt */
			b = (dy == 0.0 || fabs(y) > dy) ? 0.0 : act_ == ACT_STEP ? 1.0 : 2.0;
			break;
		case ACT_SIGMOID: b = dy / 4; break; /* slope of the sigmoid <= 1/4 */
		default: b = dy; break;              /* linear, tanh, relu: slope <= 1 */
		}
	}
	f->bound[out] = b;
}

/* ---- the stateful plugins --------------------------------------------------
 * PORTS.md "Time scales": each state is a double, updated once per sample from inputs read
 * as for the memoryless plugins; what is float is the units' drive (the neuron's sum for the
 * leaky unit, the additive synapse's for the fast weight) and, where saturated, an input.
 *
 * Their bounds. A correct plugin keeps double states too and evaluates the documented
 * update in the documented order (alpha*S + (1-alpha)*u: at most 3 roundings of its two
 * terms, 1 - alpha being exact for alpha >= 1/2), but takes alpha from its own exp and
 * division, or 1 - alpha from expm1: within da of this one's. So every state carries a
 * bound E on how far a correct plugin's may be:
 *     E[n] = (alpha + da) E[n-1] + 3 eps (|alpha S[n-1]| + |(1-alpha) u[n]|)
 *            + da (|S[n-1]| + |u[n]|) + (1 - alpha + da) du[n],
 * du the error of the float input or drive. The update is Lipschitz in the old state with
 * constant alpha (the slow gate's: the larger of its two alphas, its map being continuous
 * where it switches, at G = g, so the branch a plugin takes near there costs nothing more)
 * and 1 in the clamp to +-100. The flush at FLT_MIN adds FLT_MIN where the two may flush
 * differently; where both flush for certain both are exactly 0, and E is reset (so is it
 * where both clamp for certain). The leaky unit, the one whose state is not bounded by
 * +-100 or by its input, tracks its da part and its saturated drives with their signs
 * instead (see there).
 *
 * The float drive's error is in the bound too, unlike the neuron's or the additive
 * synapse's, whose outputs are their drives: a leaky state averages drives, so their
 * rounding, relative to the drives' terms (1e4 with weights and slope of 100), is no longer
 * relative to the output (drives of +-1e4 average to 1); the fast weight's A_j are decayed
 * states, never on the dyadic grid that keeps the other units' exact runs exact. Where the
 * data are exact in any order of evaluation, so is the drive, and only the double drift
 * remains. */

#define D_EPS (DBL_EPSILON / 2)                          /* unit roundoff of double */
#define FLOAT_GAP (REF_LIMIT - (double)(float)REF_LIMIT) /* 4096 */

/* alpha = exp(-1/(tau*rate)), and tau = 0 gives 0 (PORTS.md). *da: the absolute error of a
 * correct double evaluation: 1/(tau*rate) within 3 roundings (a product, one or two
 * divisions), which exp turns into a relative error of 3 eps * arg, and 2 ulps of exp. */
static double
time_alpha(double tau, double rate, double *da)
{
	if (!(tau > 0.0)) {
		*da = 0.0;
		return 0.0;
	}
	const double arg = 1.0 / (tau * rate), a = exp(-arg);
	*da = a * D_EPS * (2.0 + 3.0 * arg);
	return a;
}

/* flush(s) = 0 if |s| < FLT_MIN, for a state s within *e of a correct plugin's. */
static double
flush_state(double s, double *e)
{
	if (fabs(s) + *e < FLT_MIN) { /* both flush: both exactly 0 */
		*e = 0.0;
		return 0.0;
	}
	if (fabs(s) - *e < FLT_MIN) /* one may flush and the other not */
		*e += FLT_MIN;
	return fabs(s) < FLT_MIN ? 0.0 : s;
}

/* The bound of f(y) for y within d of a correct plugin's: a step or sign is exact where the
 * sign of y is certain; a monotone f moves by the larger of its changes at y +- d (sigmoid
 * and tanh: flat where saturated). */
static double
act_bound(int act, double y, double d)
{
	if (isinf(d))
		return INFINITY;
	switch (act) {
	case ACT_STEP:
	case ACT_SIGN: return (d == 0.0 || fabs(y) > d) ? 0.0 : act == ACT_STEP ? 1.0 : 2.0;
	case ACT_LINEAR: return d;
	default: {
		const double fy = ref_activation(act, y);
		return fmax(fabs(ref_activation(act, y + d) - fy),
		            fabs(ref_activation(act, y - d) - fy));
	}
	}
}

/* Whether x is a float number that flush to zero leaves alone (0 or normal): a float
 * operation on floats whose exact result, rounded to double, is such a number gives that
 * number (the nearest double, a float, is the nearest float). */
static bool
is_float(double x)
{
	return x == 0.0 || (fabs(x) >= FLT_MIN && fabs(x) <= FLT_MAX && (double)(float)x == x);
}

/* Whether a float sum of these n terms (float numbers) is exact in every order and
 * grouping: all are multiples of one power of two q >= FLT_MIN, and their magnitudes sum
 * to less than 2^24 q, so that every partial sum is a float. PORTS.md gives the drives as
 * formulas, not orders: an order in which a sum happens to be exact proves nothing (2^30 +
 * (-2^30) + 1 is exact, 2^30 + 1 + (-2^30) is not). */
static bool
sum_exact(const double *t, int n)
{
	double mag = 0.0;
	for (int i = 0; i < n; i++)
		mag += fabs(t[i]);
	if (mag == 0.0)
		return true;
	int e;
	frexp(mag, &e);                      /* mag < 2^e */
	const double q = ldexp(1.0, e - 23); /* 2^24 q = 2^(e+1): room for mag's own rounding */
	if (q < FLT_MIN)
		return false;
	for (int i = 0; i < n; i++)
		if (t[i] / q != floor(t[i] / q))
			return false;
	return true;
}

/* y = slope * sum of n terms t (finite, each within dt[i] of a float plugin's, NULL: float
 * numbers), the drive of a unit before sane(), and in *dy how far a float evaluation of the
 * sum in any order, then of the product, may be from it: the terms' roundings, within U *
 * sum |t| together, and the n - 1 partial sums', each within U * sum |t| (n + 1 of those for
 * the second order), and 2 flushes of FLT_MIN per operation; 0 where it is exact. A float
 * sum of magnitude past FLOAT_BIG may overflow: INFINITY. */
static double
unit_drive(const double *t, const double *dt, int n, double slope, double *dy)
{
	double s = 0.0, mag = 0.0, dts = 0.0;
	bool floats = true;
	for (int i = 0; i < n; i++) {
		s += t[i];
		mag += fabs(t[i]);
		dts += dt ? dt[i] : 0.0;
		floats &= is_float(t[i]) && (!dt || dt[i] == 0.0);
	}
	const double y = slope * s;
	if (mag > FLOAT_BIG)
		*dy = INFINITY;
	else if (floats && sum_exact(t, n) && is_float(y))
		*dy = 0.0;
	else
		*dy = fabs(slope) * (dts + (n + 1) * U * mag + 2 * n * FLT_MIN) + U * fabs(y) +
		      FLT_MIN;
	return y;
}

/* x * (v within err) before sane(): x an input, exact; v a state. An infinite x gives an
 * infinity of v's sign, or NaN for v = 0: determined where that sign is certain. */
static fv
times_state(double x, double v, double err)
{
	if (isnan(x))
		return fv_exact(x);
	if (isinf(x))
		return (fv){x * v, (v == 0.0 && err == 0.0) || fabs(v) > err ? 0.0 : INFINITY};
	return (fv){x * v, fabs(x) * err};
}

/* ---- delay ---------------------------------------------------------------- */

/* N = max(1, round(delay) + floor(time*rate/1000 + 0.5)), evaluated as written, in double
 * (time*rate is exact for a float time and an integer rate); delay arrives rounded. */
static double
delay_taps(double delay, double time, double rate)
{
	const double n = delay + floor(time * rate / 1000.0 + 0.5);
	return n < 1.0 ? 1.0 : n;
}

/* The state: the write position, then a line of the last L inputs, L = N_max + 1 with
 * N_max = N(65536, 1000 ms) (PORTS.md: 65536 + rate), so that the input N_max samples back
 * is still there once the current one is written. Zero after activate: 0 before the start. */
static size_t
delay_line(double rate)
{
	return (size_t)delay_taps(65536.0, 1000.0, rate) + 1;
}

static size_t
delay_state_size(double rate)
{
	return 1 + delay_line(rate);
}

/* out[n] = sane(in[n-N]); exact (a float input, passed on): bound 0. */
static void
run_delay(ref_ctx *f)
{
	enum { DELAY(ENUM) };
	double *p = f->p, *line = f->state + 1;
	const size_t len = delay_line(f->rate), pos = (size_t)f->state[0];
	const size_t n = (size_t)delay_taps(p[delay], p[time], f->rate);
	line[pos] = ref_sane(p[in]);
	p[out] = line[(pos + len - n) % len]; /* 1 <= n < len: an older slot, a jump if N moved */
	f->state[0] = (double)((pos + 1) % len);
}

/* ---- leaky integrator unit ------------------------------------------------ */

/* S, and what its bound is made of. Two of a correct plugin's deviations are systematic,
 * the same at every sample, so they are tracked with their signs rather than summed:
 * hostile drives of +-1e12 that cancel in S would otherwise pile up a bound far beyond
 * the deviation (and grow with the length of the run). Its alpha and its gain 1 - alpha
 * are each within da of this one's: to first order (the second is below 1e-20 relative)
 * its S is off by da times the derivatives of S with respect to them, LEAKY_DA and
 * LEAKY_DU. A float sane() scales every saturated drive by exactly 1 - FLOAT_GAP/1e12: its
 * S is off by that fraction of LEAKY_P, the saturated drives' share of S. LEAKY_E bounds
 * the rest, roundings and a float drive's error, summed. */
enum { LEAKY_S, LEAKY_E, LEAKY_DA, LEAKY_DU, LEAKY_P, LEAKY_STATE };

static size_t
leaky_state_size(double rate)
{
	(void)rate;
	return LEAKY_STATE;
}

/* u[n] = sane(slope*(sum_i w_i x_i + bias + v*attend)) (the neuron's drive, in float),
 * S[n] = flush(alpha*S[n-1] + (1-alpha)*u[n]), out = f(S[n]). */
static void
run_leaky(ref_ctx *f)
{
	enum { LEAKY(ENUM) };
	double *p = f->p, *st = f->state;
	/* The drive's terms: products of floats (exact in double) and the bias. A NaN makes it
	 * NaN in every order, as do Inf - Inf and 0 * Inf; an Inf otherwise makes it that
	 * infinity: determined, sane() reads 0 or +-1e12. */
	double t[6] = {p[bias], p[v] * p[attend]}, y = 0.0, du = 0.0;
	for (int i = 0; i < 4; i++)
		t[2 + i] = p[w1 + i] * p[x1 + i];
	bool finite = true;
	for (int i = 0; i < 6; i++) {
		y += t[i];
		finite &= isfinite(t[i]);
	}
	y = finite ? unit_drive(t, NULL, 6, p[slope], &du) : p[slope] * y;
	const double u = ref_sane(y);
	/* saturated for certain (tracked in LEAKY_P), or within du, capped: both drives are
	 * within +-1e12; and a float sane() may saturate at (float)1e12 */
	const bool sat = isinf(y) || (isfinite(y) && fabs(y) - du >= REF_LIMIT);
	if (sat || isnan(y))
		du = 0.0;
	else if (fabs(y) + du >= REF_LIMIT - FLOAT_GAP)
		du = fmin(du, REF_LIMIT + fabs(u)) + FLOAT_GAP;
	double da;
	const double a = time_alpha(p[tau], f->rate, &da), s0 = st[LEAKY_S];
	if (a > 0.0) { /* u enters with weight 1 - alpha; 3 roundings of the two terms */
		st[LEAKY_E] = (a + da) * st[LEAKY_E] + (1.0 - a + da) * du +
		              3 * D_EPS * (a * fabs(s0) + (1.0 - a) * fabs(u));
		st[LEAKY_DA] = a * st[LEAKY_DA] + s0;
		st[LEAKY_DU] = a * st[LEAKY_DU] + u;
		st[LEAKY_P] = a * st[LEAKY_P] + (1.0 - a) * (sat ? u : 0.0);
	} else { /* tau = 0: S = u, "the neuron, bit for bit" (PORTS.md) */
		st[LEAKY_E] = du;
		st[LEAKY_DA] = st[LEAKY_DU] = 0.0; /* alpha = 0 and 1 - alpha = 1, exactly */
		st[LEAKY_P] = sat ? u : 0.0;
	}
	const double sys = da * (fabs(st[LEAKY_DA]) + fabs(st[LEAKY_DU])) +
	                   (FLOAT_GAP / REF_LIMIT) * fabs(st[LEAKY_P]);
	double e = st[LEAKY_E] + sys;
	const double sn = flush_state(a * s0 + (1.0 - a) * u, &e);
	if (e == 0.0) /* both flushed: exactly 0 in both (or all parts were 0 already) */
		st[LEAKY_E] = st[LEAKY_DA] = st[LEAKY_DU] = st[LEAKY_P] = 0.0;
	else
		st[LEAKY_E] = e - sys; /* with FLT_MIN where one may flush */
	st[LEAKY_S] = sn;
	p[out] = ref_activation((int)p[act], sn);
	f->bound[out] = act_bound((int)p[act], sn, e);
}

/* ---- slow gate -------------------------------------------------------------- */

enum { SLOW_G, SLOW_E, SLOW_STATE };

static size_t
slow_gate_state_size(double rate)
{
	(void)rate;
	return SLOW_STATE;
}

/* g = sane(gate); b = alpha(attack) if g > G[n-1], else alpha(release);
 * G[n] = flush(b*G[n-1] + (1-b)*g); out = sane(in*G[n]), level = G[n]. */
static void
run_slow_gate(ref_ctx *f)
{
	enum { SLOW_GATE(ENUM) };
	double *p = f->p, *st = f->state;
	const double g = ref_sane(p[gate]), g0 = st[SLOW_G];
	double da_att, da_rel;
	const double a_att = time_alpha(p[attack], f->rate, &da_att);
	const double a_rel = time_alpha(p[release], f->rate, &da_rel);
	const double b = g > g0 ? a_att : a_rel;
	/* a plugin may take the other branch near G = g: the larger b and 1 - b bound both */
	const double da = fmax(da_att, da_rel), b_max = fmax(a_att, a_rel);
	const double g_max = 1.0 - fmin(a_att, a_rel) + da;        /* g's weight 1 - b, at most */
	double e = fabs(g) >= REF_LIMIT ? g_max * FLOAT_GAP : 0.0; /* g exact but saturated */
	if (b_max > 0.0) /* both alphas 0: G = g exactly */
		e += (b_max + da) * st[SLOW_E] + 3 * D_EPS * (b_max * fabs(g0) + g_max * fabs(g)) +
		     da * (fabs(g0) + fabs(g));
	const double gn = flush_state(b * g0 + (1.0 - b) * g, &e);
	st[SLOW_G] = gn;
	st[SLOW_E] = e;
	const fv o = fv_sane(times_state(p[in], gn, e));
	p[out] = o.v;
	f->bound[out] = o.err;
	p[level] = gn;
	f->bound[level] = e;
}

/* ---- fast-weight synapse ---------------------------------------------------- */

enum { FAST_A, FAST_E = FAST_A + 4, FAST_STATE = FAST_E + 4 }; /* A_1..A_4, their bounds */

static size_t
fast_weight_state_size(double rate)
{
	(void)rate;
	return FAST_STATE;
}

/* lambda = alpha(decay), c = eta/rate, u = sane(write), k_j = sane(k_j);
 * A_j[n] = flush(clamp(lambda*A_j[n-1] + c*u*k_j, -100, 100)), a_j = A_j;
 * out = f(sane(slope*(sum_j (w_j + A_j)*x_j + bias))), the sum in float. */
static void
run_fast_weight(ref_ctx *f)
{
	enum { FAST_WEIGHT(ENUM) };
	double *p = f->p, *st = f->state;
	double dl;
	const double lambda = time_alpha(p[decay], f->rate, &dl), c = p[eta] / f->rate;
	const double u = ref_sane(p[write]);
	for (int j = 0; j < 4; j++) {
		const double k = ref_sane(p[k1 + j]), inc = c * u * k, a0 = st[FAST_A + j];
		const int saturated = (fabs(u) >= REF_LIMIT) + (fabs(k) >= REF_LIMIT);
		/* lambda*A, then c = eta/rate, c*u, *k (inc within 3 eps), then the sum */
		double e = (lambda + dl) * st[FAST_E + j] + 2 * D_EPS * lambda * fabs(a0) +
		           4 * D_EPS * fabs(inc) + dl * fabs(a0) +
		           fabs(inc) * saturated * (FLOAT_GAP / REF_LIMIT);
		const double raw = lambda * a0 + inc;
		double a = raw > 100.0 ? 100.0 : raw < -100.0 ? -100.0 : raw;
		if (fabs(raw) - e >= 100.0)
			e = 0.0; /* clamped for certain: exactly +-100 in both */
		a = flush_state(a, &e);
		st[FAST_A + j] = a;
		st[FAST_E + j] = e;
		p[a1 + j] = a;
		f->bound[a1 + j] = e;
	}
	/* The output is the additive synapse's float sum with g_j = A_j, the terms
	 * (w_j + A_j) * x_j, each off by x_j times the error of w_j + A_j in float (A_j's bound,
	 * its rounding to float, the sum's). A NaN x_j makes the drive NaN in every order; an
	 * infinite one makes it an infinity of the sign of w_j + A_j, or NaN where that is 0:
	 * determined only where that sign, or that 0, is certain. */
	double t[5] = {0, 0, 0, 0, p[bias]}, dt[5] = {0}, y = p[bias], dy = 0.0;
	bool nan_x = false, open = false, finite = true;
	for (int j = 0; j < 4; j++) {
		const double x = p[x1 + j], a = st[FAST_A + j], e = st[FAST_E + j];
		const double wa = p[w1 + j] + a;
		const double dwa = e == 0.0 && is_float(a) && is_float(wa)
		                           ? 0.0
		                           : e + U * (fabs(a) + fabs(wa)) + 2 * FLT_MIN;
		t[j] = wa * x;
		y += t[j];
		nan_x |= isnan(x);
		if (isinf(x)) {
			finite = false;
			open |= !(dwa == 0.0 || fabs(wa) > dwa);
		} else {
			dt[j] = fabs(x) * dwa;
		}
	}
	if (nan_x)
		y = NAN; /* sane(): 0, whatever the rest */
	else if (finite)
		y = unit_drive(t, dt, 5, p[slope], &dy);
	else {
		y = p[slope] * y;
		dy = open ? INFINITY : 0.0;
	}
	const double drive = ref_sane(y);
	if (isnan(y) || (isfinite(dy) && (isinf(y) || fabs(y) - dy >= REF_LIMIT)))
		dy = 0.0; /* NaN, or saturated for certain */
	else if (isfinite(dy))
		dy = fmin(dy, REF_LIMIT + fabs(drive));
	p[out] = ref_activation((int)p[act], drive);
	f->bound[out] = act_bound((int)p[act], drive, dy);
}

/* ---- sources ----------------------------------------------------------------
 * PORTS.md "Sources" (graph.md "Sources" for the formulas): one output, no inputs; n counts
 * the samples since activate(), every sample is a function of n alone, computed in double and
 * rounded once to a float. A control is first taken back to the decimal its float came from.
 *
 * Choices where the docs leave room:
 * - the decimal rule is applied to every control of a source (PORTS.md gives it for "a
 *   setting"), after the clamp to the documented range (the range ends are decimals, so the
 *   two orders agree);
 * - a seed that is not a whole number (out of range: 1000.5) rounds to the nearest, halves
 *   away from zero, as act does; NaN reads the default 0;
 * - constant keeps no state (value does not depend on n), so it is memoryless here;
 * - sine's argument is evaluated as (n*freq)/rate + phase, as written.
 *
 * Bounds: exact but for the double roundings of the phase x = n/P + phase, which another
 * correct evaluation (n*(1/P), (n + phase*P)/P, its own decimal conversion an ulp away) may
 * do otherwise. They matter only where the output jumps: pulse at frac(x) = duty and at the
 * wrap, ramp at the wrap; there the bound is the jump. Elsewhere they are 1e-12 at most. */

#define TWO_PI 6.28318530717958647692528676655900577 /* C11 has no M_PI */

enum { SRC_N, SRC_STATE };

static size_t
source_state_size(double rate)
{
	(void)rate;
	return SRC_STATE;
}

/* The decimal a control float came from: the shortest decimal of at most 9 significant
 * digits that rounds to it, as a double (%.*e gives the nearest d-digit decimal, which is
 * one that rounds to the float whenever any d-digit decimal does). */
static double
source_decimal(double v)
{
	if (!isfinite(v) || v == 0.0)
		return v;
	const float f = (float)v;
	char buf[40];
	for (int d = 1; d <= 9; d++) {
		snprintf(buf, sizeof buf, "%.*e", d - 1, v);
		const double x = strtod(buf, NULL);
		if ((float)x == f)
			return x;
	}
	return v; /* not reached for a float: 9 digits always round-trip */
}

/* n of this sample, and on to the next. */
static double
source_tick(ref_ctx *f)
{
	const double n = f->state[SRC_N];
	f->state[SRC_N] = n + 1.0;
	return n;
}

static double
frac(double x)
{
	return x - floor(x); /* in [0, 1) for x >= 0 */
}

/* How far another correct double evaluation of the phase x >= 0 may be: a handful of
 * roundings of terms no larger than x + 1, generously 16 ulps. */
static double
phase_err(double x)
{
	return 16 * DBL_EPSILON * (fabs(x) + 1.0);
}

static bool
near_wrap(double fr, double dx)
{
	return fr <= dx || fr >= 1.0 - dx;
}

/* out = value. */
static void
run_constant(ref_ctx *f)
{
	enum { CONSTANT(ENUM) };
	double *p = f->p;
	p[out] = source_decimal(p[value]);
}

/* out = high if frac(n/P + phase) < duty else low, P = period*rate. */
static void
run_pulse(ref_ctx *f)
{
	enum { PULSE(ENUM) };
	double *p = f->p;
	const double n = source_tick(f), P = source_decimal(p[period]) * f->rate;
	const double dy = source_decimal(p[duty]), hi = source_decimal(p[high]);
	const double lo = source_decimal(p[low]);
	const double x = n / P + source_decimal(p[phase]), fr = frac(x), dx = phase_err(x);
	p[out] = fr < dy ? hi : lo;
	/* duty 0 is always low and duty 1 always high (frac < 1): no edge to be near; else
	 * frac = duty and the wrap (frac 0 is high, frac 1 - eps low) are edges */
	const bool edge = dy > 0.0 && dy < 1.0 && (fabs(fr - dy) <= dx || near_wrap(fr, dx));
	f->bound[out] = edge ? fabs(hi - lo) : 0.0;
}

/* out = offset + amp*sin(2 pi frac(n*freq/rate + phase)). */
static void
run_sine(ref_ctx *f)
{
	enum { SINE(ENUM) };
	double *p = f->p;
	const double n = source_tick(f), amp_ = source_decimal(p[amp]);
	const double x = n * source_decimal(p[freq]) / f->rate + source_decimal(p[phase]);
	p[out] = source_decimal(p[offset]) + amp_ * sin(TWO_PI * frac(x));
	/* sin is continuous across the wrap: the phase's error, 2 pi |amp| dx, and sin's ulps */
	f->bound[out] = fabs(amp_) * (TWO_PI * phase_err(x) + 4 * DBL_EPSILON);
}

/* out = from + (to - from)*frac(n/P + phase), P = period*rate. */
static void
run_ramp(ref_ctx *f)
{
	enum { RAMP(ENUM) };
	double *p = f->p;
	const double n = source_tick(f), P = source_decimal(p[period]) * f->rate;
	const double a = source_decimal(p[from]), b = source_decimal(p[to]);
	const double x = n / P + source_decimal(p[phase]), fr = frac(x), dx = phase_err(x);
	p[out] = a + (b - a) * fr;
	/* at the wrap a correct plugin may be at either end of the tooth */
	f->bound[out] = fabs(b - a) * (near_wrap(fr, dx) ? 1.0 : dx);
}

/* SplitMix64 at counter n + 1 (graph.md): u on [-1, 1) in steps of 2^-23. */
static double
splitmix_u(uint64_t seed, uint64_t n)
{
	uint64_t z = seed + (n + 1) * UINT64_C(0x9E3779B97F4A7C15);
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	z ^= z >> 31;
	return (double)(z >> 40) / 8388608.0 - 1.0;
}

/* out = offset + amp*u(seed, n); exact (24 bits of u, one product and sum in double).
 * A seed halfway between two whole numbers (1000.5, out of range as seeds go) is as near
 * to either: PORTS.md does not say which (act's "nearest integer" has no tie rule either),
 * so either noise is right there, and the bound is their distance. */
static void
run_noise(ref_ctx *f)
{
	enum { NOISE(ENUM) };
	double *p = f->p;
	const double n = source_tick(f), off = source_decimal(p[offset]);
	const double a = source_decimal(p[amp]);
	p[out] = off + a * splitmix_u((uint64_t)p[seed], (uint64_t)n);
	const double raw = f->raw[seed];
	if (raw - floor(raw) == 0.5 && raw > 0.0 && raw < 16777215.0) { /* NaN fails too */
		const double other = p[seed] == floor(raw) ? p[seed] + 1.0 : p[seed] - 1.0;
		f->bound[out] = fabs(p[out] - (off + a * splitmix_u((uint64_t)other, (uint64_t)n)));
	}
}

/* ---- softmax over up to 16 scores, and the general head ----------------------
 * Both use one bound for the softmax weights a_j = e_j / sum_i e_i, e_j = exp(z_j - max). A
 * float evaluation's z_j - max is within d_j of this one's: then its e_j lies in
 * [exp(z_j - max - d_j), exp(z_j - max + d_j)] widened by EXP_REL (0 where that is below
 * FLT_MIN: flushed), and its a_j between the smallest and the largest ratio those allow,
 * widened by the k + 1 roundings of the sum and the division. Shifting every z by one
 * amount leaves the weights alone, but the max a float picks may not be this one's, so the
 * max's own error is in every d_j. A score equal to the max with both exact is the same
 * float, and its z_j - max exactly 0: d_j = 0 (saturated scores then share their weight
 * exactly, as in the 4-score softmax, instead of a bound of exp(1e6)). */

/* z[j] = s[j] / t of the scores in use (s[j] within serr[j], sat[j]: saturated at
 * +-1e12, which a float sane() puts FLOAT_GAP nearer 0); a[j] the weights and their bounds,
 * exactly 0 for scores not in use. */
static void
softmax_fv(const double *s, const double *serr, const bool *use, int k, double t, fv *a)
{
	double z[16], d[16], e[16], lo[16], hi[16], max = -INFINITY;
	int m = -1;
	for (int j = 0; j < k; j++) {
		z[j] = s[j] / t;
		if (use[j] && z[j] > max) {
			max = z[j];
			m = j;
		}
	}
	for (int j = 0; j < k; j++)
		a[j] = fv_exact(0.0);
	if (m < 0)
		return; /* nothing in use */
	const double gap_m = fabs(s[m]) >= REF_LIMIT ? FLOAT_GAP : 0.0;
	for (int j = 0; j < k; j++) {
		if (!use[j]) {
			e[j] = lo[j] = hi[j] = 0.0;
			continue;
		}
		const bool same = s[j] == s[m] && serr[j] == 0.0 && serr[m] == 0.0;
		const double gap_j = fabs(s[j]) >= REF_LIMIT ? FLOAT_GAP : 0.0;
		/* z = s/T (or s*(1/T): two roundings), the max's, and the difference's */
		d[j] = same ? 0.0
		            : (serr[j] + serr[m] + gap_j + gap_m) / t +
		                       U * (2 * fabs(z[j]) + 2 * fabs(max) + fabs(z[j] - max));
		e[j] = exp(z[j] - max);
		lo[j] = exp(z[j] - max - d[j]) * (1 - EXP_REL);
		hi[j] = exp(z[j] - max + d[j]) * (1 + EXP_REL);
		if (lo[j] < FLT_MIN)
			lo[j] = 0.0;
	}
	double sum = 0.0;
	for (int j = 0; j < k; j++)
		sum += e[j]; /* >= 1: the max's term is exp(0) */
	for (int j = 0; j < k; j++) {
		if (!use[j])
			continue;
		double lo_rest = 0.0, hi_rest = 0.0;
		for (int i = 0; i < k; i++)
			if (i != j) {
				lo_rest += lo[i];
				hi_rest += hi[i];
			}
		double a_lo = lo[j] / (lo[j] + hi_rest) * (1 - (k + 1) * U);
		double a_hi = hi[j] / (hi[j] + lo_rest) * (1 + (k + 1) * U);
		if (!(a_lo >= 0.0))
			a_lo = 0.0; /* 0/0, or Inf/Inf */
		if (!(a_hi <= 1.0))
			a_hi = 1.0;
		a[j].v = e[j] / sum;
		a[j].err = fmax(0.0, fmax(a[j].v - a_lo, a_hi - a[j].v));
	}
}

/* a_i = softmax of sane(s_i)/T over the connected scores, sane(a_i); 0 for the others. */
static void
run_softmax_16(ref_ctx *f)
{
	enum { SOFTMAX_16(ENUM) };
	double *p = f->p, s[16], serr[16] = {0};
	bool use[16];
	fv a[16];
	for (int j = 0; j < 16; j++) {
		s[j] = ref_sane(p[s1 + j]);
		use[j] = f->connected[s1 + j];
	}
	softmax_fv(s, serr, use, 16, p[temp], a);
	for (int j = 0; j < 16; j++) {
		p[a1 + j] = ref_sane(a[j].v); /* in [0, 1]: only the flush acts */
		f->bound[a1 + j] = a[j].err > 0.0 ? a[j].err + FLT_MIN : 0.0;
	}
}

/* A float sum of k terms, in any order: each term's error, and k - 1 partial sums each
 * within U of the sum of magnitudes (and a flush); 0 where every order is exact. */
static fv
fv_sum(const fv *t, int k)
{
	double v = 0.0, mag = 0.0, err = 0.0, vals[16];
	bool finite = true, exact = true;
	for (int i = 0; i < k; i++) {
		v += t[i].v;
		if (isinf(t[i].err))
			return (fv){v, INFINITY};
		if (isfinite(t[i].v))
			mag += fabs(t[i].v) + t[i].err;
		else
			finite = false;
		err += t[i].err;
		exact &= t[i].err == 0.0;
		vals[i] = t[i].v;
	}
	if (mag > FLOAT_BIG)
		return (fv){v, INFINITY}; /* partial sums may overflow */
	if (!finite) /* Inf + finite, Inf - Inf, NaN: the same in float, in any order */
		return (fv){v, 0.0};
	if (exact && sum_exact(vals, k))
		return fv_exact(v);
	return (fv){v, err + (k - 1) * (U * mag + FLT_MIN)};
}

/* The head with n tokens of dimension 4 (docs/attention.md): q_i = W_Q x_i, k_j = W_K x_j,
 * v_j = W_V x_j; a_ij = softmax_j(sane(q_i . k_j) / T) over all n keys (an unconnected token
 * reads 0 and takes part); o_i = sane(sum_j a_ij v_j). Ports: tokens from x, outputs from o,
 * matrices from wq, wk, wv (row l, column d at + 4l + d), then temp; the layout is the
 * 4x2 head's with 4 streams a token. Each sum (4 products in a projection and a score, n in
 * an output) is bounded in any order; the softmax as above. */
/* A second bound on o = sum_j a_j v_j, for finite values (else INFINITY): a float plugin's
 * weights sum to 1 within its roundings (n + 2 of them: the sum, a reciprocal, a product;
 * and n flushes), so their errors move o only against the spread of the values: for any c,
 * sum_j (a'_j - a_j) v_j = sum_j (a'_j - a_j)(v_j - c) + c (sum_j a'_j - 1). With c the
 * middle of the v_j, equal values (identical tokens) owe nothing to the weights' errors,
 * which the term-by-term bound charges |v| each. Then the values' own errors and the float
 * products' and sum's roundings. */
static double
weights_err(const fv *a, fv (*v)[4], int l, int n)
{
	double lo = INFINITY, hi = -INFINITY;
	for (int j = 0; j < n; j++) {
		if (!isfinite(v[j][l].v) || isinf(v[j][l].err) || isinf(a[j].err))
			return INFINITY;
		lo = fmin(lo, v[j][l].v);
		hi = fmax(hi, v[j][l].v);
	}
	const double c = lo + (hi - lo) / 2;
	double e = fabs(c) * ((n + 2) * U + n * DBL_EPSILON) + n * FLT_MIN * fabs(c), mag = 0.0;
	for (int j = 0; j < n; j++) {
		const double aj = a[j].v + a[j].err, vj = fabs(v[j][l].v) + v[j][l].err;
		e += a[j].err * fabs(v[j][l].v - c) + aj * v[j][l].err;
		mag += aj * vj;
	}
	if (mag > FLOAT_BIG)
		return INFINITY;
	return e + n * U * mag + 2 * n * FLT_MIN;
}

static void
run_head(ref_ctx *f, int n, int x, int o, int wq, int wk, int wv, int temp)
{
	double *p = f->p;
	fv q[16][4], k[16][4], v[16][4], t[16];
	for (int i = 0; i < n; i++)
		for (int l = 0; l < 4; l++) {
			fv tq[4], tk[4], tv[4];
			for (int d = 0; d < 4; d++) {
				const fv xd = fv_exact(p[x + 4 * i + d]);
				tq[d] = fv_mul(fv_exact(p[wq + 4 * l + d]), xd);
				tk[d] = fv_mul(fv_exact(p[wk + 4 * l + d]), xd);
				tv[d] = fv_mul(fv_exact(p[wv + 4 * l + d]), xd);
			}
			q[i][l] = fv_sum(tq, 4);
			k[i][l] = fv_sum(tk, 4);
			v[i][l] = fv_sum(tv, 4);
		}
	const bool all[16] = {true, true, true, true, true, true, true, true,
	                      true, true, true, true, true, true, true, true};
	for (int i = 0; i < n; i++) {
		double s[16], serr[16];
		bool open = false; /* some score undetermined in float */
		for (int j = 0; j < n; j++) {
			fv prod[4];
			for (int l = 0; l < 4; l++)
				prod[l] = fv_mul(q[i][l], k[j][l]);
			const fv sc = fv_sane(fv_sum(prod, 4));
			s[j] = sc.v;
			serr[j] = sc.err;
			open |= isinf(sc.err);
		}
		fv a[16];
		softmax_fv(s, serr, all, n, p[temp], a);
		for (int j = 0; j < n; j++) {
			/* Below about FLT_MIN a float weight may be 0, flushed or clamped up:
			 * whether it is exactly 0 (0 * Inf = NaN) is open. */
			if (a[j].v < 1e-30 && a[j].err < 1e-30)
				a[j].err = 1e-30;
			if (open)
				a[j].err = INFINITY;
		}
		for (int l = 0; l < 4; l++) {
			for (int j = 0; j < n; j++)
				t[j] = fv_mul(a[j], v[j][l]);
			fv ol = fv_sum(t, n);
			ol.err = fmin(ol.err, weights_err(a, v, l, n));
			ol = fv_sane(ol);
			p[o + 4 * i + l] = ol.v;
			f->bound[o + 4 * i + l] = ol.err;
		}
	}
}

static void
run_head_8x4(ref_ctx *f)
{
	enum { HEAD_8X4(ENUM) };
	run_head(f, 8, x1_1, o1_1, wq11, wk11, wv11, temp);
}

static void
run_head_16x4(ref_ctx *f)
{
	enum { HEAD_16X4(ENUM) };
	run_head(f, 16, x1_1, o1_1, wq11, wk11, wv11, temp);
}

/* ---- the table ------------------------------------------------------------ */

#define PORTS(list) list, (int)(sizeof list / sizeof list[0])

static const ref_plugin plugins[] = {
        {"neuron", PORTS(neuron_ports), run_neuron, NULL, NULL},
        {"output-gate", PORTS(output_gate_ports), run_output_gate, NULL, NULL},
        {"synaptic-gate", PORTS(synaptic_gate_ports), run_synaptic_gate, NULL, NULL},
        {"activation-gate", PORTS(activation_gate_ports), run_activation_gate, NULL, NULL},
        {"additive-output", PORTS(additive_output_ports), run_additive_output, NULL, NULL},
        {"additive-synapse", PORTS(additive_synapse_ports), run_additive_synapse, NULL, NULL},
        {"softmax", PORTS(softmax_ports), run_softmax, NULL, NULL},
        {"attention-head", PORTS(attention_head_ports), run_attention_head, NULL, NULL},
        {"quadratic", PORTS(quadratic_ports), run_quadratic, NULL, NULL},
        {"delay", PORTS(delay_ports), run_delay, delay_state_size, NULL},
        {"leaky", PORTS(leaky_ports), run_leaky, leaky_state_size, NULL},
        {"slow-gate", PORTS(slow_gate_ports), run_slow_gate, slow_gate_state_size, NULL},
        {"fast-weight", PORTS(fast_weight_ports), run_fast_weight, fast_weight_state_size, NULL},
        {"constant", PORTS(constant_ports), run_constant, NULL, NULL},
        {"pulse", PORTS(pulse_ports), run_pulse, source_state_size, NULL},
        {"sine", PORTS(sine_ports), run_sine, source_state_size, NULL},
        {"ramp", PORTS(ramp_ports), run_ramp, source_state_size, NULL},
        {"noise", PORTS(noise_ports), run_noise, source_state_size, NULL},
        {"softmax-16", PORTS(softmax_16_ports), run_softmax_16, NULL, NULL},
        {"attention-head-8x4", PORTS(head_8x4_ports), run_head_8x4, NULL, NULL},
        {"attention-head-16x4", PORTS(head_16x4_ports), run_head_16x4, NULL, NULL},
};
#define N_PLUGINS (int)(sizeof plugins / sizeof plugins[0])
_Static_assert(sizeof head_16x4_ports / sizeof head_16x4_ports[0] <= REF_MAX_PORTS,
               "REF_MAX_PORTS too small");

int
ref_plugin_count(void)
{
	return N_PLUGINS;
}

const ref_plugin *
ref_plugin_at(int i)
{
	return i >= 0 && i < N_PLUGINS ? &plugins[i] : NULL;
}

const ref_plugin *
ref_plugin_find(const char *name)
{
	for (int i = 0; name && i < N_PLUGINS; i++)
		if (strcmp(plugins[i].name, name) == 0)
			return &plugins[i];
	return NULL;
}

const char *
ref_plugin_name(const ref_plugin *p)
{
	return p->name;
}

bool
ref_plugin_stateful(const ref_plugin *p)
{
	return p->state_size != NULL;
}

int
ref_port_count(const ref_plugin *p)
{
	return p->n_ports;
}

const ref_port *
ref_port_at(const ref_plugin *p, int index)
{
	return index >= 0 && index < p->n_ports ? &p->ports[index] : NULL;
}

int
ref_port_index(const ref_plugin *p, const char *symbol)
{
	for (int i = 0; symbol && i < p->n_ports; i++)
		if (strcmp(p->ports[i].symbol, symbol) == 0)
			return i;
	return -1;
}

/* ---- instances ------------------------------------------------------------ */

ref_instance *
ref_instantiate(const ref_plugin *p, double rate)
{
	ref_instance *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->plugin = p;
	r->rate = rate;
	r->n_state = p->state_size ? p->state_size(rate) : 0;
	if (r->n_state) {
		r->state = calloc(r->n_state, sizeof *r->state);
		if (!r->state) {
			free(r);
			return NULL;
		}
	}
	ref_activate(r);
	return r;
}

void
ref_activate(ref_instance *r)
{
	if (r->n_state)
		memset(r->state, 0, r->n_state * sizeof *r->state);
	if (r->plugin->reset)
		r->plugin->reset(r->state, r->rate);
}

void
ref_free(ref_instance *r)
{
	if (r) {
		free(r->state);
		free(r);
	}
}

void
ref_step(ref_instance *r, double *port, const bool *connected, double *bound)
{
	const ref_plugin *p = r->plugin;
	for (int i = 0; i < p->n_ports; i++) {
		const ref_port *d = &p->ports[i];
		r->bound[i] = 0.0;
		switch (d->kind) {
		case REF_AUDIO_IN:
			r->work[i] = connected[i] ? ref_sane(port[i]) : d->identity;
			break;
		case REF_CONTROL_IN: r->work[i] = clamp_control(port[i], d); break;
		case REF_AUDIO_OUT: r->work[i] = 0.0; break;
		}
	}
	ref_ctx f = {r->work, connected, r->bound, r->rate, r->state, port};
	p->run(&f);
	for (int i = 0; i < p->n_ports; i++) {
		if (p->ports[i].kind == REF_AUDIO_OUT) {
			port[i] = r->work[i];
			if (bound)
				bound[i] = r->bound[i];
		}
	}
}

/* ---- grouped-by-kind convenience ------------------------------------------ */

int
ref_shape(const char *plugin, int *n_audio_in, int *n_control_in, int *n_audio_out)
{
	const ref_plugin *p = ref_plugin_find(plugin);
	if (!p)
		return -1;
	int n[3] = {0, 0, 0};
	for (int i = 0; i < p->n_ports; i++)
		n[p->ports[i].kind]++;
	if (n_audio_in)
		*n_audio_in = n[REF_AUDIO_IN];
	if (n_control_in)
		*n_control_in = n[REF_CONTROL_IN];
	if (n_audio_out)
		*n_audio_out = n[REF_AUDIO_OUT];
	return 0;
}

int
ref_sample(const char *plugin, const double *in, const bool *connected, const double *ctl,
           double *out)
{
	const ref_plugin *p = ref_plugin_find(plugin);
	if (!p || ref_plugin_stateful(p))
		return -1;
	/* a memoryless instance needs no allocation: it lives on the stack */
	ref_instance r = {.plugin = p};
	double port[REF_MAX_PORTS];
	bool con[REF_MAX_PORTS];
	int k[3] = {0, 0, 0};
	for (int i = 0; i < p->n_ports; i++) {
		const int kind = p->ports[i].kind, j = k[kind]++;
		con[i] = kind == REF_AUDIO_IN && connected[j];
		port[i] = kind == REF_AUDIO_IN ? in[j] : kind == REF_CONTROL_IN ? ctl[j] : 0.0;
	}
	ref_step(&r, port, con, NULL);
	for (int i = 0, j = 0; i < p->n_ports; i++)
		if (p->ports[i].kind == REF_AUDIO_OUT)
			out[j++] = port[i];
	return 0;
}
