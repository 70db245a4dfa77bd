/* SPDX-License-Identifier: ISC */
/* The identities of QUARKS.md, computed by chaining the real plugins through
 * lilv the way a patch would: gating a linear unit by a step unit on the same
 * S is relu (exactly), f gated by g is f*g, OR gated by NAND is XOR, the sign
 * convention turns the product into XNOR, and a large negative attend weight
 * suppresses a threshold unit whatever its inputs. */
#include "host.h"
#include "ref.h"
#include "rng.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define N 4096
#define PRESET HOST_URI "preset/"

static int failures;

static void
check(bool ok, const char *what)
{
	printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
	failures += !ok;
}

/* Same static weights on every unit, so all see the same S. */
static void
set_unit(host_unit *u, const host *h, const float w[4], float bias, float act)
{
	static const char *const sym[] = {"w1", "w2", "w3", "w4"};
	for (int i = 0; i < 4; ++i) {
		host_set(u, h, sym[i], w[i]);
	}
	host_set(u, h, "bias", bias);
	host_set(u, h, "act", act);
}

/* out = f(S) gated by g(S): neuron f and neuron g on the same inputs, their
 * outputs into an output gate (linear: the plain product). */
static void
gated_pair(const host *h, float *const x[5], const float w[4], float bias, int f, int g, float *out)
{
	static float fo[N], go[N];
	host_unit uf, ug, gate;
	host_unit_new(&uf, h, "neuron", 48000);
	host_unit_new(&ug, h, "neuron", 48000);
	host_unit_new(&gate, h, "output-gate", 48000);
	set_unit(&uf, h, w, bias, (float)f);
	set_unit(&ug, h, w, bias, (float)g);
	float *fo_p[] = {fo}, *go_p[] = {go}, *out_p[] = {out};
	host_unit_run(&uf, x, fo_p, N);
	host_unit_run(&ug, x, go_p, N);
	float *gate_in[] = {fo, go};
	host_unit_run(&gate, gate_in, out_p, N);
	host_unit_free(&uf);
	host_unit_free(&ug);
	host_unit_free(&gate);
}

static void
test_shaping(const host *h)
{
	static float in[4][N], relu_gated[N], relu_unit[N], shaped[N];
	float *x[5] = {in[0], in[1], in[2], in[3], NULL};
	const float w[4] = {0.75f, -1.25f, 0.5f, 2.0f};
	const float bias = 0.125f;
	rng r = {42};
	for (int k = 0; k < 4; ++k) {
		for (int i = 0; i < N; ++i) {
			in[k][i] = (float)rng_uniform(&r, -1, 1);
		}
	}
	/* S * H(S) = relu(S): linear gated by step, against the relu unit. */
	gated_pair(h, x, w, bias, 0, 1, relu_gated);
	host_unit relu;
	host_unit_new(&relu, h, "neuron", 48000);
	set_unit(&relu, h, w, bias, 5);
	float *relu_p[] = {relu_unit};
	host_unit_run(&relu, x, relu_p, N);
	host_unit_free(&relu);
	int exact = 0, near = 0, negative = 0;
	for (int i = 0; i < N; ++i) {
		const double s = w[0] * (double)in[0][i] + w[1] * (double)in[1][i] +
		                 w[2] * (double)in[2][i] + w[3] * (double)in[3][i] + bias;
		exact += relu_gated[i] == relu_unit[i];
		near += fabs(relu_gated[i] - (s > 0 ? s : 0)) < 1e-6;
		negative += s < 0;
	}
	check(exact == N, "linear gated by step equals the relu unit exactly");
	check(near == N, "linear gated by step equals relu(S) of the double reference");
	check(negative > N / 10 && negative < N * 9 / 10, "the relu test covers both signs of S");

	/* f*g shaping: tanh gated by sigmoid is tanh(S) * sigmoid(S). */
	gated_pair(h, x, w, bias, 4, 3, shaped);
	double worst = 0;
	for (int i = 0; i < N; ++i) {
		const double s = w[0] * (double)in[0][i] + w[1] * (double)in[1][i] +
		                 w[2] * (double)in[2][i] + w[3] * (double)in[3][i] + bias;
		const double want = tanh(s) / (1.0 + exp(-s));
		worst = fmax(worst, fabs(shaped[i] - want));
	}
	printf("      tanh*sigmoid shaping: max error %.3g\n", worst);
	check(worst < 2e-6, "tanh gated by sigmoid equals tanh(S)*sigmoid(S)");
}

/* The four patterns of (x1, x2) in {0,1}^2, one per frame. */
static float x1_pat[4] = {0, 0, 1, 1}, x2_pat[4] = {0, 1, 0, 1};

static void
run_preset(const host *h, const char *preset, float act, float *out)
{
	host_unit u;
	host_unit_new(&u, h, "neuron", 44100);
	check(host_apply_preset(&u, h, preset), preset);
	if (act >= 0) {
		host_set(&u, h, "act", act);
	}
	float *x[5] = {x1_pat, x2_pat, NULL, NULL, NULL}, *o[] = {out};
	host_unit_run(&u, x, o, 4);
	host_unit_free(&u);
}

static void
test_logic(const host *h)
{
	float or [4], nand[4], and[4], nor[4], xor[4];
	run_preset(h, PRESET "or", -1, or);
	run_preset(h, PRESET "nand", -1, nand);
	run_preset(h, PRESET "and", -1, and);
	run_preset(h, PRESET "nor", -1, nor);
	bool tables = true;
	for (int i = 0; i < 4; ++i) {
		const int a = (int)x1_pat[i], b = (int)x2_pat[i];
		tables &= or [i] == (float)(a | b) && nand[i] == (float)!(a & b) &&
		                     and[i] == (float)(a & b) && nor[i] == (float)!(a | b);
	}
	check(tables, "OR, NAND, AND, NOR presets give their truth tables");

	host_unit gate;
	host_unit_new(&gate, h, "output-gate", 44100);
	float *gin[] = { or, nand}, *gout[] = {xor};
	host_unit_run(&gate, gin, gout, 4);
	bool is_xor = true;
	for (int i = 0; i < 4; ++i) {
		is_xor &= xor[i] == (float)((int)x1_pat[i] ^ (int)x2_pat[i]);
	}
	check(is_xor, "OR output-gated by NAND is XOR on all four inputs");

	/* (-1,+1) convention: the product of two sign gates is their XNOR. */
	run_preset(h, PRESET "or", 2, or);
	run_preset(h, PRESET "nand", 2, nand);
	host_unit_run(&gate, gin, gout, 4);
	bool is_xnor = true;
	for (int i = 0; i < 4; ++i) {
		is_xnor &= xor[i] == (or [i] == nand[i] ? 1.0f : -1.0f);
	}
	check(is_xnor, "with sign gates the product is the XNOR of the two gates");
	host_unit_free(&gate);
}

static void
test_suppression(const host *h)
{
	static float in[4][N], attend[N], out[N];
	rng r = {7};
	for (int i = 0; i < N; ++i) {
		for (int k = 0; k < 4; ++k) {
			in[k][i] = (float)rng_uniform(&r, -1, 1);
		}
		attend[i] = (float)(i % 2); /* a (0,1) attending unit, on every other frame */
	}
	host_unit u;
	host_unit_new(&u, h, "neuron", 96000);
	const float w[4] = {1, 1, 1, 1};
	set_unit(&u, h, w, 0.5f, 1);
	host_set(&u, h, "v", -100);
	float *x[5] = {in[0], in[1], in[2], in[3], attend}, *o[] = {out};
	host_unit_run(&u, x, o, N);
	host_unit_free(&u);
	int suppressed = 0, free_running = 0;
	for (int i = 0; i < N; ++i) {
		const double s = (double)in[0][i] + in[1][i] + in[2][i] + in[3][i] + 0.5;
		if (i % 2) {
			suppressed += out[i] == 0.0f;
		} else {
			free_running += out[i] == (s >= 0 ? 1.0f : 0.0f);
		}
	}
	check(suppressed == N / 2, "attend = 1 with v = -100 forces the step unit to 0");
	check(free_running == N / 2, "attend = 0 leaves the step unit to its inputs");
}

int
main(void)
{
	host h;
	if (!host_open(&h)) {
		return 1;
	}
	test_shaping(&h);
	test_logic(&h);
	test_suppression(&h);
	host_close(&h);
	return failures ? 1 : 0;
}
