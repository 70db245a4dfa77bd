/* SPDX-License-Identifier: ISC */
/* Denormal benchmark of the stateful plugins: the time of run() while a state decays through
 * the smallest floats (about 1e-38), against the time with normal data, at block 512, hosted
 * through lilv as a host does; the memoryless neuron in the same run for scale.
 *
 * An IIR filter whose state decays towards 0 spends its tail in denormal floats, where x86
 * cores take a microcode assist (~100 cycles) per operation unless FTZ|DAZ are set: the
 * classic 10x-100x stall of a reverb or a one-pole going quiet. A plain float one-pole,
 * compiled here, shows it on this machine (rows "naive ..."); the plugins avoid it twice, by
 * setting FTZ|DAZ in run() and by flushing their double state to 0 below FLT_MIN (so it
 * reaches 0 instead of sitting in denormals, with or without FTZ: valgrind ignores it).
 *
 * "decaying": the state is primed to 1.5e-38 (untimed: one block with tau = 0 and the input at
 * that value), then decays with tau = 10 s while every input that feeds it is 0; at 48 kHz it
 * crosses FLT_MIN after ~115000 samples of the 524288 timed, and the naive filter sits in
 * denormals from there on. Other inputs (the slow gate's `in`, the fast weight's x) stay
 * normal random data. The delay has no decaying state: its row compares denormal inputs
 * (~1e-39) with normal ones, as does the neuron's.
 *
 * Usage: bench-time [--reps N] [--samples N]   (LV2_PATH: default the build tree's bundle) */
#define _POSIX_C_SOURCE 200809L

#include <lilv/lilv.h>
#include <lv2/core/lv2.h>

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define HAVE_MXCSR 1
#endif

#ifndef QK_BENCH_LV2_PATH
#define QK_BENCH_LV2_PATH "/usr/lib/lv2"
#endif

#include "config.h"
#define QK QK_URI /* written once, in meson.build */
#define MAX_PORTS 32
#define BLOCK 512u
#define TINY 1.5e-38f /* just above FLT_MIN (1.18e-38): the decay crosses it */

enum { NORMAL, DECAYING, N_DATA };
#define CALL1 N_DATA /* ns[CALL1]: ns per run(1) call, normal data */

typedef struct {
	const char *symbol;
	float value;
} setting;

typedef struct {
	const char *label;
	const char *slug;     /* NULL: the naive float one-pole below */
	setting run[4];       /* controls while timed */
	setting prime_ctl[4]; /* controls for the priming block */
	setting prime_in[6];  /* audio inputs for the priming block (others 0) */
	const char *keep[5];  /* inputs that stay normal random data while decaying */
	bool denormal_inputs; /* no state to prime: DECAYING means denormal inputs */
	bool host_ftz;        /* naive filter only: run as a host that has set FTZ|DAZ */

	const LilvPlugin *plugin;
	LilvInstance *instance;
	uint32_t n_ports;
	bool is_control[MAX_PORTS], is_audio_in[MAX_PORTS];
	const char *symbol[MAX_PORTS];
	float control[MAX_PORTS], def[MAX_PORTS];
	float *buf[N_DATA + 1][MAX_PORTS]; /* normal, decaying, priming */
	float *out[MAX_PORTS];
	double *ns[N_DATA + 1];
} subject;

static subject subjects[] = {
        {.label = "neuron linear (memoryless)", .slug = "neuron", .denormal_inputs = true},
        {.label = "delay 1 sample",
         .slug = "delay",
         .run = {{"delay", 1}},
         .denormal_inputs = true},
        {.label = "delay 4800 samples",
         .slug = "delay",
         .run = {{"delay", 4800}},
         .denormal_inputs = true},
        {.label = "leaky linear, tau 10 s",
         .slug = "leaky",
         .run = {{"tau", 10}},
         .prime_ctl = {{"tau", 0}},
         .prime_in = {{"x1", TINY}}},
        {.label = "leaky tanh, tau 10 s",
         .slug = "leaky",
         .run = {{"tau", 10}, {"act", 4}},
         .prime_ctl = {{"tau", 0}, {"act", 4}},
         .prime_in = {{"x1", TINY}}},
        {.label = "slow-gate, release 10 s",
         .slug = "slow-gate",
         .run = {{"release", 10}},
         .prime_ctl = {{"attack", 0}},
         .prime_in = {{"gate", TINY}},
         .keep = {"in"}},
        {.label = "fast-weight linear, decay 10 s",
         .slug = "fast-weight",
         .run = {{"decay", 10}},
         .prime_ctl = {{"decay", 0}, {"eta", 48000}},
         .prime_in = {{"write", TINY}, {"k1", 1}, {"k2", 1}, {"k3", 1}, {"k4", 1}},
         .keep = {"x1", "x2", "x3", "x4"}},
        {.label = "naive float one-pole, no FTZ"},
        {.label = "naive float one-pole, host FTZ", .host_ftz = true},
};
#define N_SUBJECTS ((int)(sizeof subjects / sizeof subjects[0]))

/* The control experiment: s = a s + (1 - a) x in float, no flush, nothing set. */
typedef struct {
	const float *in;
	float *out;
	float s, a;
} naive;

static naive naive_state;

static void
naive_run(naive *f, uint32_t n)
{
	float s = f->s;
	for (uint32_t i = 0; i < n; ++i) {
		s = f->a * s + (1.0f - f->a) * f->in[i];
		f->out[i] = s;
	}
	f->s = s;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static float
uniform(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (float)(rng_state >> 40) / (float)(1u << 23) - 1.0f;
}

static float *
new_buffer(void)
{
	float *b = aligned_alloc(64, BLOCK * sizeof(float));
	if (!b) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return b;
}

static double
now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static bool
listed(const char *const list[], int n, const char *symbol)
{
	for (int i = 0; i < n && list[i]; ++i) {
		if (!strcmp(list[i], symbol)) {
			return true;
		}
	}
	return false;
}

static void
apply(subject *s, const setting *set, int n)
{
	for (uint32_t i = 0; i < s->n_ports; ++i) {
		if (!s->is_control[i]) {
			continue;
		}
		for (int k = 0; k < n && set[k].symbol; ++k) {
			if (!strcmp(set[k].symbol, s->symbol[i])) {
				s->control[i] = set[k].value;
			}
		}
	}
}

static bool
setup(subject *s, LilvWorld *world, const LilvPlugins *all)
{
	if (!s->slug) {
		naive_state.a = (float)exp(-1.0 / (10.0 * 48000.0));
		float *in = new_buffer(), *out = new_buffer();
		memset(in, 0, BLOCK * sizeof(float));
		naive_state.in = in;
		naive_state.out = out;
		return true;
	}
	char uri[256];
	snprintf(uri, sizeof uri, QK "%s", s->slug);
	LilvNode *u = lilv_new_uri(world, uri);
	s->plugin = lilv_plugins_get_by_uri(all, u);
	lilv_node_free(u);
	if (!s->plugin) {
		fprintf(stderr, "%s: not found on LV2_PATH\n", uri);
		return false;
	}
	LilvNode *audio = lilv_new_uri(world, LILV_URI_AUDIO_PORT);
	LilvNode *control = lilv_new_uri(world, LILV_URI_CONTROL_PORT);
	LilvNode *input = lilv_new_uri(world, LILV_URI_INPUT_PORT);
	s->n_ports = lilv_plugin_get_num_ports(s->plugin);
	lilv_plugin_get_port_ranges_float(s->plugin, NULL, NULL, s->def);
	s->instance = lilv_plugin_instantiate(s->plugin, 48000.0, NULL);
	for (uint32_t i = 0; i < s->n_ports; ++i) {
		const LilvPort *p = lilv_plugin_get_port_by_index(s->plugin, i);
		s->symbol[i] = lilv_node_as_string(lilv_port_get_symbol(s->plugin, p));
		s->is_control[i] = lilv_port_is_a(s->plugin, p, control);
		const bool is_audio = lilv_port_is_a(s->plugin, p, audio);
		s->is_audio_in[i] = is_audio && lilv_port_is_a(s->plugin, p, input);
		if (s->is_control[i]) {
			s->control[i] = s->def[i];
			lilv_instance_connect_port(s->instance, i, &s->control[i]);
		} else if (s->is_audio_in[i]) {
			for (int d = 0; d <= N_DATA; ++d) {
				float *b = s->buf[d][i] = new_buffer();
				for (uint32_t k = 0; k < BLOCK; ++k) {
					const float r = uniform();
					if (d == NORMAL) {
						b[k] = r;
					} else if (d == DECAYING) {
						b[k] = s->denormal_inputs ? r * 1e-39f
						       : listed(s->keep, 5, s->symbol[i]) ? r
						                                          : 0.0f;
					} else {
						b[k] = 0.0f;
						for (int j = 0; j < 6 && s->prime_in[j].symbol;
						     ++j) {
							if (!strcmp(s->prime_in[j].symbol,
							            s->symbol[i])) {
								b[k] = s->prime_in[j].value;
							}
						}
					}
				}
			}
		} else if (is_audio) {
			s->out[i] = new_buffer();
			lilv_instance_connect_port(s->instance, i, s->out[i]);
		}
	}
	lilv_node_free(audio);
	lilv_node_free(control);
	lilv_node_free(input);
	lilv_instance_activate(s->instance);
	return true;
}

static void
connect(subject *s, int d)
{
	for (uint32_t i = 0; i < s->n_ports; ++i) {
		if (s->is_audio_in[i]) {
			lilv_instance_connect_port(s->instance, i, s->buf[d][i]);
		}
	}
}

/* Untimed: put the state at TINY (or, for NORMAL, anywhere normal). */
static void
prime(subject *s, int d)
{
	if (!s->slug) {
		naive_state.s = d == DECAYING ? TINY : 0.5f;
		return;
	}
	if (d == DECAYING && !s->denormal_inputs) {
		for (uint32_t i = 0; i < s->n_ports; ++i) {
			s->control[i] = s->def[i];
		}
		apply(s, s->prime_ctl, 4);
		connect(s, N_DATA);
		lilv_instance_run(s->instance, BLOCK);
	}
	for (uint32_t i = 0; i < s->n_ports; ++i) {
		s->control[i] = s->def[i];
	}
	apply(s, s->run, 4);
	connect(s, d);
	if (d == NORMAL) {
		lilv_instance_run(s->instance, BLOCK); /* a normal state */
	}
}

static double
measure(subject *s, int d, uint32_t block, uint64_t samples)
{
	prime(s, d);
	const uint64_t calls = samples / block;
	double t0, t1;
	if (!s->slug) {
#ifdef HAVE_MXCSR
		const unsigned int csr = _mm_getcsr();
		_mm_setcsr(s->host_ftz ? (csr | 0x8040u) : (csr & ~0x8040u));
#endif
		t0 = now_ns();
		for (uint64_t c = 0; c < calls; ++c) {
			naive_run(&naive_state, block);
		}
		t1 = now_ns();
#ifdef HAVE_MXCSR
		_mm_setcsr(csr);
#endif
	} else {
		const LV2_Descriptor *desc = lilv_instance_get_descriptor(s->instance);
		LV2_Handle h = lilv_instance_get_handle(s->instance);
		t0 = now_ns();
		for (uint64_t c = 0; c < calls; ++c) {
			desc->run(h, block);
		}
		t1 = now_ns();
	}
	return (t1 - t0) / (double)(calls * block);
}

static int
cmp(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
median(const double *v, int n)
{
	double t[n];
	memcpy(t, v, sizeof t);
	qsort(t, (size_t)n, sizeof t[0], cmp);
	return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

int
main(int argc, char **argv)
{
	int reps = 11;
	uint64_t samples = 1u << 19;
	for (int i = 1; i < argc; ++i) {
		if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
			samples = strtoull(argv[++i], NULL, 10);
		} else {
			printf("usage: %s [--reps N (default 11, >= 3)] [--samples N (default "
			       "%llu)]\n",
			       argv[0], (unsigned long long)samples);
			return strcmp(argv[i], "--help") ? 2 : 0;
		}
	}
	if (reps < 3 || samples < BLOCK) {
		fprintf(stderr, "need --reps >= 3 and --samples >= %u\n", BLOCK);
		return 2;
	}
	setenv("LV2_PATH", QK_BENCH_LV2_PATH, 0);
	LilvWorld *world = lilv_world_new();
	lilv_world_load_all(world);
	const LilvPlugins *all = lilv_world_get_all_plugins(world);
	for (int j = 0; j < N_SUBJECTS; ++j) {
		if (!setup(&subjects[j], world, all)) {
			return 1;
		}
		for (int d = 0; d <= N_DATA; ++d) {
			subjects[j].ns[d] = calloc((size_t)reps, sizeof(double));
		}
	}
	/* Interleaved repetitions, the first thrown away, so machine noise hits every row. */
	for (int r = -1; r < reps; ++r) {
		for (int j = 0; j < N_SUBJECTS; ++j) {
			for (int d = 0; d < N_DATA; ++d) {
				const int dd = (r & 1) ? N_DATA - 1 - d : d;
				const double t = measure(&subjects[j], dd, BLOCK, samples);
				if (r >= 0) {
					subjects[j].ns[dd][r] = t;
				}
			}
			/* run(1): what a call costs beyond its sample (fewer frames: each is a
			 * call) */
			const double t = measure(&subjects[j], NORMAL, 1, samples / 8);
			if (r >= 0) {
				subjects[j].ns[CALL1][r] = t;
			}
		}
	}
	printf("bench-time: ns per sample at block %u, 48 kHz, median of %d x %llu samples "
	       "(thread CPU time)\n",
	       BLOCK, reps, (unsigned long long)samples);
	printf("decaying: state from 1.5e-38 through FLT_MIN with its inputs at 0 "
	       "(neuron, delay: denormal inputs)\n\n");
	printf("%-34s %10s %10s %8s %10s\n", "", "normal", "decaying", "ratio", "run(1) ns");
	for (int j = 0; j < N_SUBJECTS; ++j) {
		subject *s = &subjects[j];
		double ratio[reps];
		for (int r = 0; r < reps; ++r) {
			ratio[r] = s->ns[DECAYING][r] / s->ns[NORMAL][r];
		}
		printf("%-34s %10.3f %10.3f %7.2fx %10.1f\n", s->label, median(s->ns[NORMAL], reps),
		       median(s->ns[DECAYING], reps), median(ratio, reps),
		       median(s->ns[CALL1], reps));
	}
	for (int j = 0; j < N_SUBJECTS; ++j) {
		if (subjects[j].instance) {
			lilv_instance_deactivate(subjects[j].instance);
			lilv_instance_free(subjects[j].instance);
		}
	}
	lilv_world_free(world);
	return 0;
}
