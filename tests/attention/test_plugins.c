/* SPDX-License-Identifier: ISC */
/* The new plugins of issue 16 (attention-head-8x4, attention-head-16x4, softmax-16) hosted
 * through lilv, as a host would (the generic sweeps in tests/host and tests/rt are written for
 * at most 32 ports):
 * - on ordinary data they give the bits of their kernel called directly (dsp/attention.c,
 *   dsp/softmax_wide.c), with controls clamped to their ranges and NaN read as the default;
 * - on hostile streams (NaN, +-Inf, +-FLT_MAX, denormals) and wild controls every output is
 *   finite, at every block size 1..64 and some up to 8192;
 * - in place (each output over an input) gives the bits of separate buffers, and an
 *   unconnected stream is what the kernel makes of NULL;
 * - when the realtime interposer of tests/rt is preloaded, run() makes no allocator, lock or
 *   I/O call. */
#include "attention.h"
#include "denormal.h"
#include "softmax_wide.h"

#include <lilv/lilv.h>
#include <lv2/core/lv2.h>

#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#define BASE QK_URI /* written once, in meson.build */
#define FRAMES 8192u
#define MAX_PORTS 200

static int failures;

static void
check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL %s\n", what);
		++failures;
	}
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
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

static float
hostile(void)
{
	static const float v[] = {NAN,     INFINITY, -INFINITY, FLT_MAX, -FLT_MAX, 1e-40f,
	                          -1e-45f, FLT_MIN,  1e20f,     -1e20f,  0.0f,     1.0f};
	return v[rng() % (sizeof v / sizeof v[0])];
}

static float
wild(void)
{
	static const float v[] = {NAN,  INFINITY, -INFINITY, FLT_MAX, -FLT_MAX, 1e-40f,
	                          0.0f, -0.0f,    1e9f,      -1e9f,   0.5f,     2.5f};
	return v[rng() % (sizeof v / sizeof v[0])];
}

typedef struct {
	const LilvPlugin *plugin;
	uint32_t n_ports, n_in, n_out, n_ctl;
	uint32_t in[MAX_PORTS], out[MAX_PORTS], ctl[MAX_PORTS];
	float lo[MAX_PORTS], hi[MAX_PORTS], def[MAX_PORTS];
} plugin_info;

static int
describe(LilvWorld *w, const char *uri, plugin_info *pi)
{
	LilvNode *u = lilv_new_uri(w, uri);
	pi->plugin = lilv_plugins_get_by_uri(lilv_world_get_all_plugins(w), u);
	lilv_node_free(u);
	if (!pi->plugin) {
		return -1;
	}
	LilvNode *audio = lilv_new_uri(w, LV2_CORE__AudioPort);
	LilvNode *input = lilv_new_uri(w, LV2_CORE__InputPort);
	pi->n_ports = lilv_plugin_get_num_ports(pi->plugin);
	pi->n_in = pi->n_out = pi->n_ctl = 0;
	for (uint32_t i = 0; i < pi->n_ports && i < MAX_PORTS; ++i) {
		const LilvPort *p = lilv_plugin_get_port_by_index(pi->plugin, i);
		const int is_audio = lilv_port_is_a(pi->plugin, p, audio);
		const int is_in = lilv_port_is_a(pi->plugin, p, input);
		if (is_audio && is_in) {
			pi->in[pi->n_in++] = i;
		} else if (is_audio) {
			pi->out[pi->n_out++] = i;
		} else {
			LilvNode *d, *lo, *hi;
			lilv_port_get_range(pi->plugin, p, &d, &lo, &hi);
			pi->def[pi->n_ctl] = lilv_node_as_float(d);
			pi->lo[pi->n_ctl] = lilv_node_as_float(lo);
			pi->hi[pi->n_ctl] = lilv_node_as_float(hi);
			lilv_node_free(d);
			lilv_node_free(lo);
			lilv_node_free(hi);
			pi->ctl[pi->n_ctl++] = i;
		}
	}
	lilv_node_free(audio);
	lilv_node_free(input);
	return 0;
}

static float in_buf[MAX_PORTS][FRAMES], out_buf[MAX_PORTS][FRAMES], ref_buf[MAX_PORTS][FRAMES];
static float ctl_val[MAX_PORTS];

typedef void (*watch_fn)(int);
typedef unsigned long (*count_fn)(void);

/* Runs the plugin over FRAMES frames in blocks of `block` (0: random sizes 1..64). Inputs from
 * in_buf (NULL where `unconnected` says), outputs to out_buf, or over the inputs in place. */
static unsigned long
run_plugin(const plugin_info *pi, uint32_t block, const int *unconnected, int in_place,
           watch_fn watch, count_fn count)
{
	LilvInstance *inst = lilv_plugin_instantiate(pi->plugin, 48000.0, NULL);
	if (!inst) {
		check(0, "instantiate");
		return 0;
	}
	for (uint32_t k = 0; k < pi->n_ctl; ++k) {
		lilv_instance_connect_port(inst, pi->ctl[k], &ctl_val[k]);
	}
	lilv_instance_activate(inst);
	unsigned long calls = 0;
	for (uint32_t off = 0; off < FRAMES;) {
		uint32_t len = block ? block : 1 + rng() % 64;
		len = FRAMES - off < len ? FRAMES - off : len;
		for (uint32_t k = 0; k < pi->n_in; ++k) {
			lilv_instance_connect_port(inst, pi->in[k],
			                           unconnected && unconnected[k] ? NULL
			                                                         : in_buf[k] + off);
		}
		for (uint32_t k = 0; k < pi->n_out; ++k) {
			float *o = in_place && k < pi->n_in && !(unconnected && unconnected[k])
			                   ? in_buf[k] + off
			                   : out_buf[k] + off;
			lilv_instance_connect_port(inst, pi->out[k], o);
		}
		if (watch) {
			watch(1);
		}
		lilv_instance_run(inst, len);
		if (watch) {
			watch(0);
			calls += count();
		}
		off += len;
	}
	lilv_instance_deactivate(inst);
	lilv_instance_free(inst);
	return calls;
}

/* The kernel on in_buf with the controls as the plugin reads them, into ref_buf. */
static void
run_kernel(const plugin_info *pi, int is_softmax, uint32_t n_tokens, const int *unconnected)
{
	float c[MAX_PORTS];
	for (uint32_t k = 0; k < pi->n_ctl; ++k) {
		const float v = ctl_val[k];
		c[k] = v != v ? pi->def[k]
		              : (v < pi->lo[k] ? pi->lo[k] : (v > pi->hi[k] ? pi->hi[k] : v));
	}
	const float *x[MAX_PORTS];
	float *o[MAX_PORTS];
	for (uint32_t k = 0; k < pi->n_in; ++k) {
		x[k] = unconnected && unconnected[k] ? NULL : in_buf[k];
	}
	for (uint32_t k = 0; k < pi->n_out; ++k) {
		o[k] = ref_buf[k];
	}
	const qk_fp_mode mode = qk_denormals_off();
	if (is_softmax) {
		qk_softmax_wide(c[0], x, o, pi->n_in, FRAMES);
	} else {
		/* controls: W_Q, W_K, W_V (4 x 4 each, row-major), then temp */
		const qk_attention a = {{n_tokens, 4, 4, 4}, c, c + 16, c + 32, c[48]};
		float *scratch = malloc(qk_attention_scratch(&a.size) * sizeof *scratch);
		qk_attention_run(&a, x, o, scratch, FRAMES);
		free(scratch);
	}
	qk_denormals_restore(mode);
}

static int
same(const plugin_info *pi, float (*a)[FRAMES], float (*b)[FRAMES])
{
	for (uint32_t k = 0; k < pi->n_out; ++k) {
		if (memcmp(a[k], b[k], FRAMES * sizeof(float)) != 0) {
			return 0;
		}
	}
	return 1;
}

static void
test_plugin(LilvWorld *w, const char *slug, int is_softmax, uint32_t n_tokens, watch_fn watch,
            count_fn count)
{
	char uri[256], what[256];
	snprintf(uri, sizeof uri, BASE "%s", slug);
	plugin_info pi;
	if (describe(w, uri, &pi) != 0) {
		snprintf(what, sizeof what, "%s: lilv finds it", slug);
		check(0, what);
		return;
	}
	const uint32_t want_ports = is_softmax ? 33 : 2 * 4 * n_tokens + 49;
	snprintf(what, sizeof what, "%s: %u ports", slug, pi.n_ports);
	check(pi.n_ports == want_ports && pi.n_ctl == (is_softmax ? 1 : 49), what);

	for (int round = 0; round < 6; ++round) {
		/* rounds 0-2 ordinary data, 3 NaN controls (defaults), 4-5 hostile */
		for (uint32_t k = 0; k < pi.n_in; ++k) {
			for (uint32_t f = 0; f < FRAMES; ++f) {
				in_buf[k][f] =
				        round >= 4 ? (rng() % 4 ? uniform(-3, 3) : hostile())
				                   : uniform(-2, 2) * (is_softmax ? 10.0f : 1.0f);
			}
		}
		for (uint32_t k = 0; k < pi.n_ctl; ++k) {
			ctl_val[k] = round >= 4 ? (rng() % 3 ? uniform(-2, 2) : wild())
			             : round == 3 && rng() % 2 ? NAN
			             : k + 1 == pi.n_ctl       ? uniform(0.3f, 3.0f)
			                                       : uniform(-1.5f, 1.5f);
		}
		int unconnected[MAX_PORTS] = {0};
		for (uint32_t k = 0; round == 2 && k < pi.n_in; ++k) {
			unconnected[k] = rng() % 4 == 0;
		}
		static const uint32_t blocks[] = {1, 7, 64, 255, 256, 257, 4095, 8192, 0};
		const uint32_t block =
		        blocks[(uint32_t)round * 3 % (sizeof blocks / sizeof blocks[0])];
		const unsigned long calls = run_plugin(&pi, block, unconnected, 0, watch, count);
		run_kernel(&pi, is_softmax, n_tokens, unconnected);
		int finite = 1;
		for (uint32_t k = 0; k < pi.n_out; ++k) {
			for (uint32_t f = 0; f < FRAMES; ++f) {
				finite &= isfinite(out_buf[k][f]);
			}
		}
		snprintf(what, sizeof what, "%s round %d (block %u): outputs finite", slug, round,
		         block);
		check(finite, what);
		snprintf(what, sizeof what, "%s round %d (block %u): the kernel's bits", slug,
		         round, block);
		check(same(&pi, out_buf, ref_buf), what);
		if (watch) {
			snprintf(what, sizeof what,
			         "%s round %d: run() made %lu allocator/lock/I/O calls", slug,
			         round, calls);
			check(calls == 0, what);
		}
		/* every block size 1..64 on the hostile data: finite and the same bits */
		for (uint32_t b = 1; round == 5 && b <= 64; ++b) {
			run_plugin(&pi, b, NULL, 0, NULL, NULL);
			memcpy(ref_buf, out_buf, sizeof ref_buf);
			run_plugin(&pi, 0, NULL, 0, NULL, NULL);
			snprintf(what, sizeof what, "%s: block %u = random blocks", slug, b);
			check(same(&pi, out_buf, ref_buf), what);
		}
		/* in place: each output over the input of the same index */
		if (round == 1 || round == 5) {
			run_plugin(&pi, 256, NULL, 0, NULL, NULL);
			memcpy(ref_buf, out_buf, sizeof ref_buf);
			run_plugin(&pi, 256, NULL, 1, NULL, NULL);
			for (uint32_t k = 0; k < pi.n_out && k < pi.n_in; ++k) {
				memcpy(out_buf[k], in_buf[k], sizeof in_buf[k]);
			}
			snprintf(what, sizeof what, "%s round %d: in place = separate buffers",
			         slug, round);
			check(same(&pi, out_buf, ref_buf), what);
		}
	}
	printf("%s: checked\n", slug);
}

int
main(void)
{
	LilvWorld *w = lilv_world_new();
	lilv_world_load_all(w);
	watch_fn watch = (watch_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "qk_rt_watch");
	count_fn count = (count_fn)(uintptr_t)dlsym(RTLD_DEFAULT, "qk_rt_count");
	if (!watch || !count) {
		watch = NULL;
		count = NULL;
		printf("realtime interposer not preloaded: allocation in run() not watched\n");
	}
	test_plugin(w, "softmax-16", 1, 0, watch, count);
	test_plugin(w, "attention-head-8x4", 0, 8, watch, count);
	test_plugin(w, "attention-head-16x4", 0, 16, watch, count);
	lilv_world_free(w);
	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
