/* SPDX-License-Identifier: ISC */
/* The kernels' clean fast path (kernels.h) gives the same bits as the full,
 * sanitizing path: on random clean data (with +-0, the smallest normals and
 * values up to +-1e12), with streams unconnected, all zero or all denormal,
 * and with one dirty sample (NaN, +-Inf, beyond 1e12, a denormal) at every
 * position of a block; at several block sizes, separate and in place, for
 * every kernel, every activation and every kernel table this CPU runs.
 * qk_clean_path = 0 forces the full path for the reference run. */
#include "activation.h"
#include "additive_output.h"
#include "additive_synapse.h"
#include "activation_gate.h"
#include "attention_head.h"
#include "dispatch.h"
#include "neuron.h"
#include "output_gate.h"
#include "quadratic.h"
#include "softmax.h"
#include "synaptic_gate.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_N 2600
#define MAX_IO 8

enum {
	K_ACTIVATE,
	K_NEURON,
	K_SYNAPTIC,
	K_ACTGATE,
	K_ADDSYN,
	K_QUADRATIC,
	K_OUTGATE,
	K_ADDOUT,
	K_SOFTMAX,
	K_HEAD,
	N_KERNELS
};
static const char *const names[N_KERNELS] = {
        "activate",  "neuron",      "synaptic-gate",   "activation-gate", "additive-synapse",
        "quadratic", "output-gate", "additive-output", "softmax",         "attention-head"};
static const int n_in[N_KERNELS] = {1, 5, 8, 5, 8, 4, 2, 2, 4, 8};
static const int n_out[N_KERNELS] = {1, 1, 1, 1, 1, 1, 1, 1, 4, 8};
static const int per_act[N_KERNELS] = {1, 1, 1, 1, 1, 1, 1, 0, 0, 0};

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}
static float
uni(float lo, float hi)
{
	return lo + (hi - lo) * (float)(rnd() & 0xffffff) / 16777216.0f;
}

/* A clean sample: mostly [-1, 1], with +-0, tiny normals, large values. */
static float
clean_sample(void)
{
	const uint32_t r = rnd() % 20;
	const float sign = (rnd() & 1) ? -1.0f : 1.0f;
	switch (r) {
	case 0: return sign * 0.0f;
	case 1: return sign * FLT_MIN * uni(1.0f, 4.0f);
	case 2: return sign * uni(1e6f, 1e12f);
	case 3: return sign * 1e12f;
	case 4: return sign * 0.5f;
	default: return uni(-1.0f, 1.0f);
	}
}

static const float dirty[] = {NAN,     INFINITY, -INFINITY, 3e12f, -1e30f,
                              FLT_MAX, 1e-40f,   -1.4e-45f, -NAN};
#define N_DIRTY (sizeof dirty / sizeof dirty[0])

typedef struct {
	qk_unit u;
	qk_quadratic_unit q;
	qk_head h;
	float v, a, c, k, temp, slope;
} controls;

static void
random_controls(controls *c, int act)
{
	const float big = (rnd() & 3) == 0 ? 100.0f : 2.0f;
	qk_unit_set(&c->u, uni(-big, big), uni(-2, 2), uni(-2, 2), uni(-2, 2), uni(-1, 1),
	            uni(-3, 3), (float)act);
	c->q.linear = c->u;
	for (int j = 0; j < QK_QUADRATIC_TERMS; ++j) {
		c->q.w2[j] = uni(-1, 1);
	}
	for (int r = 0; r < 2; ++r) {
		for (int d = 0; d < 2; ++d) {
			c->h.wq[r][d] = uni(-2, 2);
			c->h.wk[r][d] = uni(-2, 2);
			c->h.wv[r][d] = uni(-2, 2);
		}
	}
	c->h.temp = uni(0.2f, 3.0f);
	c->v = uni(-2, 2);
	c->a = uni(-big, big);
	c->c = uni(-1, 1);
	if ((rnd() & 3) == 0) {
		c->a = 1.0f; /* the output gate's defaults: its pure product path */
		c->c = 0.0f;
	}
	c->k = uni(-big, big);
	c->temp = uni(0.1f, 4.0f);
	c->slope = uni(-3, 3);
}

static void
run(int k, int act, const controls *c, const float *const in[MAX_IO], float *const out[MAX_IO],
    uint32_t n)
{
	switch (k) {
	case K_ACTIVATE: qk_activate((qk_activation)act, c->slope, in[0], out[0], n); break;
	case K_NEURON: qk_neuron(&c->u, c->v, in, in[4], out[0], n); break;
	case K_SYNAPTIC: qk_synaptic_gate(&c->u, in, in + 4, out[0], n); break;
	case K_ACTGATE: qk_activation_gate(&c->u, in, in[4], out[0], n); break;
	case K_ADDSYN: qk_additive_synapse(&c->u, in, in + 4, out[0], n); break;
	case K_QUADRATIC: qk_quadratic(&c->q, in, out[0], n); break;
	case K_OUTGATE:
		qk_output_gate(c->a, c->c, (qk_activation)act, in[0], in[1], out[0], n);
		break;
	case K_ADDOUT: qk_additive_output(c->k, in[0], in[1], out[0], n); break;
	case K_SOFTMAX: qk_softmax(c->temp, in, out, n); break;
	case K_HEAD: {
		const float *x[4][2];
		float *o[4][2];
		for (int t = 0; t < 4; ++t) {
			for (int d = 0; d < 2; ++d) {
				x[t][d] = in[2 * t + d];
				o[t][d] = out[2 * t + d];
			}
		}
		qk_attention_head(&c->h, x, o, n);
		break;
	}
	}
}

static float data[MAX_IO][MAX_N];
static float work[2][MAX_IO][MAX_N]; /* inputs copied: in place overwrites them */
static float outs[2][MAX_IO][MAX_N];
static long n_cases, n_failed;

/* Runs k on data (streams with connected[j] == 0 unconnected) by both
 * paths and compares every output bit for bit. */
static void
compare(const char *what, int k, int act, const controls *c, const int connected[MAX_IO],
        uint32_t n, int in_place)
{
	for (int path = 0; path < 2; ++path) {
		const float *in[MAX_IO] = {NULL};
		float *out[MAX_IO] = {NULL};
		for (int j = 0; j < n_in[k]; ++j) {
			memcpy(work[path][j], data[j], n * sizeof(float));
			in[j] = connected[j] ? work[path][j] : NULL;
		}
		for (int j = 0; j < n_out[k]; ++j) {
			memset(outs[path][j], 0xa5, n * sizeof(float));
			/* in place: output j over input j (connected ones only) */
			out[j] = (in_place && j < n_in[k] && connected[j]) ? work[path][j]
			                                                   : outs[path][j];
		}
		qk_clean_path = path;
		run(k, act, c, in, out, n);
		if (in_place) {
			for (int j = 0; j < n_out[k]; ++j) {
				if (out[j] != outs[path][j]) {
					memcpy(outs[path][j], out[j], n * sizeof(float));
				}
			}
		}
	}
	qk_clean_path = 1;
	++n_cases;
	for (int j = 0; j < n_out[k]; ++j) {
		if (memcmp(outs[0][j], outs[1][j], n * sizeof(float))) {
			uint32_t i = 0;
			while (!memcmp(&outs[0][j][i], &outs[1][j][i], sizeof(float))) {
				++i;
			}
			if (n_failed++ < 20) {
				printf("FAIL [%s] %s %s act %d n %u%s output %d frame %u: full "
				       "%.9g fast %.9g\n",
				       qk_kernels_name(), names[k], what, act, n,
				       in_place ? " in place" : "", j, i, outs[0][j][i],
				       outs[1][j][i]);
			}
			return;
		}
	}
}

static void
fill_clean(int k, uint32_t n)
{
	for (int j = 0; j < n_in[k]; ++j) {
		for (uint32_t i = 0; i < n; ++i) {
			data[j][i] = clean_sample();
		}
	}
}

int
main(void)
{
	static const char *const tables[] = {"avx2", "sse2", "c"};
	static const uint32_t sizes[] = {1, 7, 31, 32, 33, 64, 100, 512, 1023, 1024, 1025, 2500};
	static const uint32_t dirty_sizes[] = {32, 41, 64, 512};
	const int all[MAX_IO] = {1, 1, 1, 1, 1, 1, 1, 1};
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; ++t) {
		if (qk_kernels_select(tables[t]) != 0) {
			printf("kernels %s: not run by this CPU, skipped\n", tables[t]);
			continue;
		}
		const long before = n_failed;
		for (int k = 0; k < N_KERNELS; ++k) {
			for (int act = 0; act < (per_act[k] ? QK_N_ACTIVATIONS : 1); ++act) {
				controls c;
				for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; ++s) {
					const uint32_t n = sizes[s];
					for (int ip = 0; ip < 2; ++ip) {
						random_controls(&c, act);
						fill_clean(k, n);
						compare("clean", k, act, &c, all, n, ip);
						/* some streams unconnected, one all zero, one all
						 * denormal */
						int some[MAX_IO];
						for (int j = 0; j < MAX_IO; ++j) {
							some[j] = (rnd() % 3) != 0;
						}
						compare("clean, some unconnected", k, act, &c, some,
						        n, ip);
						const int z = (int)(rnd() % (uint32_t)n_in[k]);
						const int d = (int)(rnd() % (uint32_t)n_in[k]);
						for (uint32_t i = 0; i < n; ++i) {
							data[z][i] = (rnd() & 1) ? 0.0f : -0.0f;
						}
						compare("clean, one stream zeros", k, act, &c, all,
						        n, ip);
						for (uint32_t i = 0; i < n; ++i) {
							data[d][i] = (rnd() & 1) ? 1e-39f : -3e-42f;
						}
						compare("one stream denormal", k, act, &c, all, n,
						        ip);
						for (int j = 0; j < n_in[k]; ++j) {
							for (uint32_t i = 0; i < n; ++i) {
								data[j][i] =
								        (rnd() & 1) ? 1e-39f : 0.0f;
							}
						}
						compare("all denormal or zero", k, act, &c, all, n,
						        ip);
						compare("all denormal or zero, some unconnected", k,
						        act, &c, some, n, ip);
					}
				}
				/* one dirty sample at every position */
				for (size_t s = 0; s < sizeof dirty_sizes / sizeof dirty_sizes[0];
				     ++s) {
					const uint32_t n = dirty_sizes[s];
					random_controls(&c, act);
					fill_clean(k, n);
					for (uint32_t pos = 0; pos < n; ++pos) {
						const int j = (int)(rnd() % (uint32_t)n_in[k]);
						const float keep = data[j][pos];
						data[j][pos] = dirty[rnd() % N_DIRTY];
						compare("one dirty sample", k, act, &c, all, n,
						        (int)(pos & 1));
						data[j][pos] = keep;
					}
				}
			}
		}
		printf("kernels %s: %ld failures\n", qk_kernels_name(), n_failed - before);
	}
	printf("%ld cases: %ld passed, %ld failed\n", n_cases, n_cases - n_failed, n_failed);
	return n_failed != 0;
}
