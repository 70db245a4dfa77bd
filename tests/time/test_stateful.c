/* SPDX-License-Identifier: ISC */
/* The stateful plugins (delay, leaky, slow-gate, fast-weight) hosted through lilv, as a host
 * runs them, against themselves: the same output bit for bit at every block size from 1 to
 * 8192 and in place; state cleared by activate(); a NaN input reads 0 at once and a denormal
 * reads 0; nothing but finite output for any input; NaN controls read their default; an
 * unconnected input reads its identity; every rate from 8 kHz to 384 kHz. The values
 * themselves are checked against the numpy reference by test_render.py. */
#include <lilv/lilv.h>
#include <lv2/core/lv2.h>

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#define BASE QK_URI /* written once, in meson.build */
#define MAX_PORTS 32
#define MAX_BLOCK 8192u
#define FRAMES (3u * MAX_BLOCK + 123u)

typedef struct {
	const char *slug;
	/* settings by symbol: time constants short enough that the state moves in FRAMES */
	const char *symbol[6];
	float value[6];
	bool has_act; /* also run with every activation */
} spec;

static const spec specs[] = {
        {"delay", {"delay", "time"}, {37, 0.5f}, false},
        {"leaky", {"tau", "slope", "w2", "bias", "v"}, {0.001f, 2.0f, -0.5f, 0.1f, 0.7f}, true},
        {"slow-gate", {"attack", "release"}, {0.001f, 0.004f}, false},
        {"fast-weight",
         {"decay", "eta", "w1", "w3", "bias", "slope"},
         {0.01f, 5000.0f, 0.5f, -0.3f, 0.1f, 1.5f},
         true},
};
static const double rates[] = {44100, 48000, 96000};
static const double odd_rates[] = {8000, 22050, 88200, 192000, 384000};

typedef struct {
	LilvWorld *world;
	const LilvPlugins *all;
	LilvNode *audio, *control, *input;
} host;

typedef struct {
	const LilvPlugin *plugin;
	uint32_t n_ports;
	int n_in, n_out;
	uint32_t in[MAX_PORTS], out[MAX_PORTS]; /* port indices of the audio ports */
	float identity[MAX_PORTS];              /* what an unconnected input reads */
	bool is_control[MAX_PORTS];
	float control[MAX_PORTS];
} shape;

static int failures;

static void
fail(const char *what, const char *slug, double rate, int act)
{
	fprintf(stderr, "FAIL %s: %s at %.0f Hz, act %d\n", slug, what, rate, act);
	++failures;
}

static uint64_t rng = 0x2545F4914F6CDD1Du;

static float
uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (float)(rng >> 40) / (float)(1u << 23) - 1.0f; /* [-1, 1) */
}

static bool
get_shape(host *h, const char *slug, shape *s)
{
	char uri[256];
	snprintf(uri, sizeof uri, BASE "%s", slug);
	LilvNode *u = lilv_new_uri(h->world, uri);
	s->plugin = lilv_plugins_get_by_uri(h->all, u);
	lilv_node_free(u);
	if (!s->plugin) {
		return false;
	}
	s->n_ports = lilv_plugin_get_num_ports(s->plugin);
	s->n_in = s->n_out = 0;
	float def[MAX_PORTS];
	lilv_plugin_get_port_ranges_float(s->plugin, NULL, NULL, def);
	for (uint32_t i = 0; i < s->n_ports; ++i) {
		const LilvPort *p = lilv_plugin_get_port_by_index(s->plugin, i);
		const char *sym = lilv_node_as_string(lilv_port_get_symbol(s->plugin, p));
		s->is_control[i] = lilv_port_is_a(s->plugin, p, h->control);
		s->control[i] = def[i];
		if (lilv_port_is_a(s->plugin, p, h->audio)) {
			if (lilv_port_is_a(s->plugin, p, h->input)) {
				s->identity[s->n_in] = strcmp(sym, "gate") == 0 ? 1.0f : 0.0f;
				s->in[s->n_in++] = i;
			} else {
				s->out[s->n_out++] = i;
			}
		}
	}
	return true;
}

static void
set_control(shape *s, const char *symbol, float value)
{
	for (uint32_t i = 0; i < s->n_ports; ++i) {
		const LilvPort *p = lilv_plugin_get_port_by_index(s->plugin, i);
		if (s->is_control[i] &&
		    !strcmp(lilv_node_as_string(lilv_port_get_symbol(s->plugin, p)), symbol)) {
			s->control[i] = value;
		}
	}
}

/* How to run FRAMES frames: in blocks given by `blocks` (cycled, with a run(0) between
 * blocks, which must change nothing). in_place: each output shares the buffer of input k,
 * filled with the input first, as a host that processes in place does. reactivate: run once,
 * deactivate, activate, and keep the second run. */
typedef struct {
	const uint32_t *blocks;
	int n_blocks;
	bool in_place;
	bool reactivate;
	const float *controls; /* NULL: the shape's */
} how;

static void
run_blocks(LilvInstance *li, const shape *s, float *const in[], const how *w, float work[][FRAMES],
           float scratch[][FRAMES])
{
	for (int k = 0; k < s->n_in; ++k) {
		if (in[k]) {
			memcpy(work[k], in[k], FRAMES * sizeof(float));
		}
	}
	uint32_t pos = 0;
	for (int b = 0; pos < FRAMES; b = (b + 1) % w->n_blocks) {
		uint32_t n = w->blocks[b];
		n = n > FRAMES - pos ? FRAMES - pos : n;
		for (int k = 0; k < s->n_in; ++k) {
			lilv_instance_connect_port(li, s->in[k], in[k] ? work[k] + pos : NULL);
		}
		for (int k = 0; k < s->n_out; ++k) {
			float *o = w->in_place && k < s->n_in && in[k] ? work[k] : scratch[k];
			lilv_instance_connect_port(li, s->out[k], o + pos);
		}
		lilv_instance_run(li, n);
		lilv_instance_run(li, 0);
		pos += n;
	}
}

/* One instance, activated, run as w says; out[k] gets audio output k. */
static bool
run(const shape *s, double rate, float *const in[], float *out[], const how *w)
{
	static float work[MAX_PORTS][FRAMES];
	static float scratch[MAX_PORTS][FRAMES];
	float ctl[MAX_PORTS];
	memcpy(ctl, w->controls ? w->controls : s->control, sizeof ctl);
	LilvInstance *li = lilv_plugin_instantiate(s->plugin, rate, NULL);
	if (!li) {
		return false;
	}
	for (uint32_t i = 0; i < s->n_ports; ++i) {
		if (s->is_control[i]) {
			lilv_instance_connect_port(li, i, &ctl[i]);
		}
	}
	if (w->reactivate) {
		lilv_instance_activate(li);
		run_blocks(li, s, in, w, work, scratch);
		lilv_instance_deactivate(li);
	}
	lilv_instance_activate(li);
	run_blocks(li, s, in, w, work, scratch);
	lilv_instance_deactivate(li);
	lilv_instance_free(li);
	for (int k = 0; k < s->n_out; ++k) {
		memcpy(out[k], w->in_place && k < s->n_in && in[k] ? work[k] : scratch[k],
		       FRAMES * sizeof(float));
	}
	return true;
}

static bool
same(const shape *s, float *const a[], float *const b[])
{
	for (int k = 0; k < s->n_out; ++k) {
		if (memcmp(a[k], b[k], FRAMES * sizeof(float)) != 0) {
			return false;
		}
	}
	return true;
}

static bool
finite(const shape *s, float *const a[])
{
	for (int k = 0; k < s->n_out; ++k) {
		for (uint32_t i = 0; i < FRAMES; ++i) {
			if (!isfinite(a[k][i]) || (a[k][i] != 0.0f && fabsf(a[k][i]) < FLT_MIN)) {
				return false;
			}
		}
	}
	return true;
}

static void
one_run(const shape *s, double rate, float *const in[], float *out[], const how *w)
{
	if (!run(s, rate, in, out, w)) {
		fail("cannot instantiate", lilv_node_as_uri(lilv_plugin_get_uri(s->plugin)), rate,
		     -1);
	}
}

typedef struct {
	float *in[MAX_PORTS], *out[MAX_PORTS], *ref[MAX_PORTS];
} buffers;

static void
test_one(const shape *s0, const spec *sp, double rate, int act)
{
	shape s = *s0;
	for (int c = 0; c < 6 && sp->symbol[c]; ++c) {
		set_control(&s, sp->symbol[c], sp->value[c]);
	}
	if (act >= 0) {
		set_control(&s, "act", (float)act);
	}
	buffers b;
	for (int k = 0; k < MAX_PORTS; ++k) {
		b.in[k] = calloc(FRAMES, sizeof(float));
		b.out[k] = calloc(FRAMES, sizeof(float));
		b.ref[k] = calloc(FRAMES, sizeof(float));
	}
	for (int k = 0; k < s.n_in; ++k) {
		for (uint32_t i = 0; i < FRAMES; ++i) {
			/* a gate in [0, 1] held for 64 frames, so it rises and falls (attack,
			 * release) */
			const bool gate = s.identity[k] == 1.0f;
			b.in[k][i] = !gate    ? uniform()
			             : i % 64 ? b.in[k][i - 1]
			                      : 0.5f + 0.5f * uniform();
		}
	}
	static const uint32_t big[] = {MAX_BLOCK};
	const how ref = {big, 1, false, false, NULL};
	one_run(&s, rate, b.in, b.ref, &ref);
	if (!finite(&s, b.ref)) {
		fail("non-finite or denormal output", sp->slug, rate, act);
	}

	/* every block size, separate and in place */
	static const uint32_t sizes[] = {1, 7, 256, 4096, 8192};
	uint32_t mixed[64];
	for (int i = 0; i < 64; ++i) {
		mixed[i] = 1u + (uint32_t)((uniform() + 1.0f) * 0.5f * (MAX_BLOCK - 1));
		mixed[i] = i % 3 ? mixed[i] % 97 + 1 : mixed[i];
	}
	for (int k = 0; k <= 5; ++k) {
		for (int ip = 0; ip < 2; ++ip) {
			const how w = {k < 5 ? &sizes[k] : mixed, k < 5 ? 1 : 64, ip, false, NULL};
			one_run(&s, rate, b.in, b.out, &w);
			if (!same(&s, b.out, b.ref)) {
				char what[96];
				if (k < 5) {
					snprintf(what, sizeof what,
					         "block %u%s differs from block 8192", sizes[k],
					         ip ? " in place" : "");
				} else {
					snprintf(what, sizeof what,
					         "mixed blocks 1..8192%s differ from block 8192",
					         ip ? " in place" : "");
				}
				fail(what, sp->slug, rate, act);
			}
		}
	}

	/* activate() clears the state */
	const how re = {big, 1, false, true, NULL};
	one_run(&s, rate, b.in, b.out, &re);
	if (!same(&s, b.out, b.ref)) {
		fail("a run after deactivate/activate differs from a fresh one", sp->slug, rate,
		     act);
	}

	/* NaN and denormal inputs read 0 at once; nothing non-finite ever comes out. A unit's
	 * rule is that of the neuron: a NaN anywhere in the drive makes the drive 0 (PORTS.md),
	 * so every input is hostile at the same frames, and the bias is 0, so the run to compare
	 * with is the one with every input 0 at those frames. */
	shape z = s;
	set_control(&z, "bias", 0.0f);
	static float *hostile[MAX_PORTS], *zeroed[MAX_PORTS];
	static const float bad[] = {NAN, 1e-40f, -1e-45f, NAN};
	for (int k = 0; k < s.n_in; ++k) {
		hostile[k] = calloc(FRAMES, sizeof(float));
		zeroed[k] = calloc(FRAMES, sizeof(float));
		memcpy(hostile[k], b.in[k], FRAMES * sizeof(float));
		memcpy(zeroed[k], b.in[k], FRAMES * sizeof(float));
		for (uint32_t i = 3; i < FRAMES; i += 97) {
			hostile[k][i] = bad[(i / 97 + k) % 4];
			zeroed[k][i] = 0.0f;
		}
	}
	one_run(&z, rate, hostile, b.out, &ref);
	one_run(&z, rate, zeroed, b.ref, &ref);
	if (!same(&s, b.out, b.ref)) {
		fail("NaN or denormal inputs do not read as 0", sp->slug, rate, act);
	}
	for (int k = 0; k < s.n_in; ++k) {
		for (uint32_t i = k; i < FRAMES; i += 89) {
			hostile[k][i] = (i / 89) % 2 ? INFINITY : -FLT_MAX;
		}
	}
	one_run(&s, rate, hostile, b.out, &ref);
	if (!finite(&s, b.out)) {
		fail("non-finite output for +-Inf and FLT_MAX inputs", sp->slug, rate, act);
	}
	/* one NaN in every input: the state recovers the same sample */
	for (int k = 0; k < s.n_in; ++k) {
		memcpy(hostile[k], b.in[k], FRAMES * sizeof(float));
		memcpy(zeroed[k], b.in[k], FRAMES * sizeof(float));
		hostile[k][5000] = NAN;
		zeroed[k][5000] = 0.0f;
	}
	one_run(&z, rate, hostile, b.out, &ref);
	one_run(&z, rate, zeroed, b.ref, &ref);
	if (!same(&s, b.out, b.ref)) {
		fail("a NaN input leaves a trace after its sample", sp->slug, rate, act);
	}

	/* NaN controls read their default */
	float nan_ctl[MAX_PORTS], def_ctl[MAX_PORTS];
	shape d = *s0;
	for (uint32_t i = 0; i < s.n_ports; ++i) {
		nan_ctl[i] = s.is_control[i] ? NAN : 0.0f;
		def_ctl[i] = d.control[i];
	}
	const how wn = {big, 1, false, false, nan_ctl};
	const how wd = {big, 1, false, false, def_ctl};
	one_run(&s, rate, b.in, b.out, &wn);
	one_run(&s, rate, b.in, b.ref, &wd);
	if (!same(&s, b.out, b.ref)) {
		fail("NaN controls do not read as their defaults", sp->slug, rate, act);
	}

	/* an unconnected input reads its identity (0, or 1 for a gate) */
	for (int k = 0; k < s.n_in; ++k) {
		float *keep = b.in[k];
		for (uint32_t i = 0; i < FRAMES; ++i) {
			zeroed[k][i] = s.identity[k];
		}
		b.in[k] = zeroed[k];
		one_run(&s, rate, b.in, b.ref, &ref);
		b.in[k] = NULL;
		one_run(&s, rate, b.in, b.out, &ref);
		b.in[k] = keep;
		if (!same(&s, b.out, b.ref)) {
			fail("an unconnected input does not read as its identity", sp->slug, rate,
			     act);
		}
	}
	for (int k = 0; k < s.n_in; ++k) {
		free(hostile[k]);
		free(zeroed[k]);
	}
	for (int k = 0; k < MAX_PORTS; ++k) {
		free(b.in[k]);
		free(b.out[k]);
		free(b.ref[k]);
	}
}

int
main(void)
{
	host h;
	h.world = lilv_world_new();
	lilv_world_load_all(h.world);
	h.all = lilv_world_get_all_plugins(h.world);
	h.audio = lilv_new_uri(h.world, LILV_URI_AUDIO_PORT);
	h.control = lilv_new_uri(h.world, LILV_URI_CONTROL_PORT);
	h.input = lilv_new_uri(h.world, LILV_URI_INPUT_PORT);

	for (size_t p = 0; p < sizeof specs / sizeof specs[0]; ++p) {
		shape s;
		if (!get_shape(&h, specs[p].slug, &s)) {
			fail("not found on LV2_PATH", specs[p].slug, 0, -1);
			continue;
		}
		const int before = failures;
		for (size_t r = 0; r < sizeof rates / sizeof rates[0]; ++r) {
			for (int act = specs[p].has_act ? 0 : -1;
			     act <= (specs[p].has_act ? 5 : -1); ++act) {
				test_one(&s, &specs[p], rates[r], act);
			}
		}
		/* other rates: instantiates, runs and stays finite */
		for (size_t r = 0; r < sizeof odd_rates / sizeof odd_rates[0]; ++r) {
			static float *in[MAX_PORTS], *out[MAX_PORTS];
			for (int k = 0; k < MAX_PORTS; ++k) {
				in[k] = in[k] ? in[k] : calloc(FRAMES, sizeof(float));
				out[k] = out[k] ? out[k] : calloc(FRAMES, sizeof(float));
				for (uint32_t i = 0; i < FRAMES; ++i) {
					in[k][i] = uniform();
				}
			}
			static const uint32_t blocks[] = {1000};
			const how w = {blocks, 1, false, false, NULL};
			if (!run(&s, odd_rates[r], in, out, &w)) {
				fail("cannot instantiate", specs[p].slug, odd_rates[r], -1);
			} else if (!finite(&s, out)) {
				fail("non-finite output", specs[p].slug, odd_rates[r], -1);
			}
		}
		printf("%s %s: blocks 1..8192 and in place bit-identical, activate clears, NaN and "
		       "denormal inputs read 0, finite at 8 kHz..384 kHz\n",
		       failures == before ? "ok  " : "FAIL", specs[p].slug);
	}
	lilv_node_free(h.audio);
	lilv_node_free(h.control);
	lilv_node_free(h.input);
	lilv_world_free(h.world);
	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
