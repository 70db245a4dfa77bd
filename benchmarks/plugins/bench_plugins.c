/* SPDX-License-Identifier: ISC */
/* Plugin benchmark: the quark plugins side by side with Debian peers and a
 * plain C loop, hosted through lilv exactly as a host does (LV2_PATH, TTL,
 * then the binary), so what is timed is what a host pays.
 *
 * Method (see README.md): every audio port gets its own buffer of random
 * data; a measurement runs one subject for about --samples frames at one
 * block size and gives ns per frame; each repetition measures every subject
 * at every block size (in a rotated order, so machine noise hits all alike)
 * and the table shows the median over the repetitions.
 *
 * Every plugin of the bundle (every plugin lilv lists under the base URI) is
 * timed: one without a row in the table below gets a row of its own, with its
 * default settings, labelled so ("(defaults)"), rather than being left out. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, setenv */

#include "base_uri.h"
#include "faust_peers.h"

#include <lilv/lilv.h>
#include <lv2/atom/atom.h>
#include <lv2/core/lv2.h>
#include <lv2/morph/morph.h>
#include <lv2/options/options.h>
#include <lv2/urid/urid.h>

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

#define QK QK_TEST_BASE_URI
#define BLOP "http://drobilla.net/plugins/blop/"
#define SWH "http://plugin.org.uk/swh-plugins/"

#define MAX_PORTS 256 /* the 16x4 attention head has 177 */
#define MAX_SUBJECTS 128
#define MAX_BLOCK 4096u
#define N_BLOCKS 3
static const uint32_t blocks[N_BLOCKS] = {64, 512, 4096};
#define REF_BLOCK 1 /* index of 512, where the targets apply */

enum { NORMAL, DENORMAL, N_DATA };
enum { CHECK_NONE, CHECK_PRODUCT, CHECK_SUM, CHECK_GATE };
enum { TARGET_NONE, TARGET_NS, TARGET_VS_PRODUCT };

typedef struct {
	const char *label;
	const char *uri;        /* NULL: the C floor loop below */
	const char *control[2]; /* symbols set to value[] (NULL: leave default) */
	float value[2];
	bool morph_cv; /* switch morph ports to CV through the options interface */
	bool in_place; /* first audio output shares the first input's buffer */
	bool gate_pm1; /* second input is +-1, so in-place data neither grows nor decays */
	int check;     /* what the output must equal, verified before timing */
	bool quark;    /* ours: fixed-cost and denormal targets apply */
	int target;
	float target_value;
	const char *faust; /* a Faust peer (faust_peers.c) instead of a URI */
	const char *vs;    /* quark rows: the Faust peer of the same formula */

	/* filled at run time */
	const LilvPlugin *plugin;
	LilvInstance *instance;
	const LV2_Descriptor *desc;
	LV2_Handle handle;
	uint32_t audio_in[MAX_PORTS], audio_out[MAX_PORTS];
	int n_in, n_out;
	float control_value[MAX_PORTS];
	float *in[N_DATA][MAX_PORTS];
	float *out[MAX_PORTS];
	bool present;
	const char *verdict;          /* NULL: verified or nothing to verify */
	double *ns[N_DATA][N_BLOCKS]; /* per repetition */
	double *ns_call1;             /* ns per run(n = 1) call, per repetition */
} subject;

/* The floor: out = a * b, compiled with the project's flags, behind the same
 * descriptor interface so that it pays the same call overhead as a plugin. */
typedef struct {
	const float *a, *b;
	float *out;
} floor_ports;

static void
floor_connect(LV2_Handle h, uint32_t port, void *data)
{
	floor_ports *p = (floor_ports *)h;
	if (port == 0) {
		p->a = (const float *)data;
	} else if (port == 1) {
		p->b = (const float *)data;
	} else {
		p->out = (float *)data;
	}
}

static void
floor_run(LV2_Handle h, uint32_t n)
{
	const floor_ports *p = (const floor_ports *)h;
	const float *a = p->a, *b = p->b;
	float *out = p->out;
	for (uint32_t i = 0; i < n; ++i) {
		out[i] = a[i] * b[i];
	}
}

/* The same floor built as the quark kernels are: baseline x86-64 and
 * x86-64-v3, picked at load time (GCC's target_clones). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
static void
floor_run_dispatched(LV2_Handle h, uint32_t n)
{
	const floor_ports *p = (const floor_ports *)h;
	const float *a = p->a, *b = p->b;
	float *out = p->out;
	for (uint32_t i = 0; i < n; ++i) {
		out[i] = a[i] * b[i];
	}
}

static const LV2_Descriptor floor_dispatched_descriptor = {
        "urn:quarks-bench:floor-dispatched",
        NULL,
        floor_connect,
        NULL,
        floor_run_dispatched,
        NULL,
        NULL,
        NULL,
};
static floor_ports floor_dispatched_instance;

static const LV2_Descriptor floor_descriptor = {
        "urn:quarks-bench:floor", NULL, floor_connect, NULL, floor_run, NULL, NULL, NULL,
};
static floor_ports floor_instance;

/* The subjects, in table order (quarks first, then their peers). Controls not
 * named keep their defaults. Room is left for the bundle's other plugins. */
static subject subjects[MAX_SUBJECTS] = {
        {"neuron linear",
         QK "neuron",
         {"act"},
         {0},
         .quark = true,
         .vs = "faust neuron linear",
         .target = TARGET_NS,
         .target_value = 0.3f},
        {"neuron tanh",
         QK "neuron",
         {"act"},
         {4},
         .quark = true,
         .vs = "faust neuron tanh",
         .target = TARGET_NS,
         .target_value = 1.7f},
        {"output-gate linear",
         QK "output-gate",
         {"act"},
         {0},
         .quark = true,
         .vs = "faust output-gate linear",
         .check = CHECK_GATE,
         .target = TARGET_VS_PRODUCT,
         .target_value = 0.25f},
        {"output-gate sigmoid",
         QK "output-gate",
         {"act"},
         {3},
         .quark = true,
         .vs = "faust output-gate sigmoid"},
        {"output-gate lin, separate +-1",
         QK "output-gate",
         {"act"},
         {0},
         .quark = true,
         .gate_pm1 = true,
         .check = CHECK_GATE},
        {"output-gate lin, in place +-1",
         QK "output-gate",
         {"act"},
         {0},
         .quark = true,
         .gate_pm1 = true,
         .in_place = true,
         .check = CHECK_GATE},
        {"synaptic-gate tanh",
         QK "synaptic-gate",
         {"act"},
         {4},
         .quark = true,
         .vs = "faust synaptic-gate tanh",
         .target = TARGET_NS,
         .target_value = 1.5f},
        {"activation-gate linear",
         QK "activation-gate",
         {"act"},
         {0},
         .quark = true,
         .vs = "faust activation-gate linear"},
        {"additive-output",
         QK "additive-output",
         {NULL},
         {0},
         .quark = true,
         .vs = "faust additive-output"},
        {"additive-synapse linear",
         QK "additive-synapse",
         {"act"},
         {0},
         .quark = true,
         .vs = "faust additive-synapse linear"},
        {"softmax over 4",
         QK "softmax",
         {NULL},
         {0},
         .quark = true,
         .vs = "faust softmax over 4",
         .target = TARGET_NS,
         .target_value = 5.5f},
        {"blop Signal Product (CV)",
         BLOP "product",
         {NULL},
         {0},
         .morph_cv = true,
         .check = CHECK_PRODUCT},
        {"blop Signal Sum (CV)", BLOP "sum", {NULL}, {0}, .morph_cv = true, .check = CHECK_SUM},
        /* depth 2 is ring modulation: out = input * modulator */
        {"swh ringmod_2i1o depth 2", SWH "ringmod_2i1o", {"depth"}, {2}, .check = CHECK_PRODUCT},
        {"C floor out=a*b", NULL, {NULL}, {0}, .check = CHECK_PRODUCT},
        {"C floor out=a*b, dispatched", NULL, {NULL}, {0}, .check = CHECK_PRODUCT},
        /* Faust builds of the same formulas (benchmarks/faust), plain and fast-math */
        {"faust output-gate linear", .faust = "output_gate", .check = CHECK_GATE},
        {"faust output-gate linear fm", .faust = "output_gate_fast", .check = CHECK_GATE},
        {"faust output-gate sigmoid", .faust = "output_gate_sigmoid"},
        {"faust output-gate sigmoid fm", .faust = "output_gate_sigmoid_fast"},
        {"faust additive-output", .faust = "additive_output", .check = CHECK_SUM},
        {"faust additive-output fm", .faust = "additive_output_fast", .check = CHECK_SUM},
        {"faust neuron linear", .faust = "neuron_linear"},
        {"faust neuron linear fm", .faust = "neuron_linear_fast"},
        {"faust neuron tanh", .faust = "neuron_tanh"},
        {"faust neuron tanh fm", .faust = "neuron_tanh_fast"},
        {"faust softmax over 4", .faust = "softmax"},
        {"faust softmax over 4 fm", .faust = "softmax_fast"},
        /* no check for these: CHECK_* compares with a*b or a+b of the first two
         * inputs, and their outputs sum four products of 8 (or 5) streams */
        {"faust synaptic-gate tanh", .faust = "synaptic_gate_tanh"},
        {"faust synaptic-gate tanh fm", .faust = "synaptic_gate_tanh_fast"},
        {"faust activation-gate linear", .faust = "activation_gate_linear"},
        {"faust activation-gate linear fm", .faust = "activation_gate_linear_fast"},
        {"faust additive-synapse linear", .faust = "additive_synapse_linear"},
        {"faust additive-synapse linear fm", .faust = "additive_synapse_linear_fast"},
};
static int n_subjects;             /* rows in use */
#define PRODUCT_URI BLOP "product" /* blop Signal Product: the reference of the ratios */

/* The bundle's plugins that have no row get one, with default settings, after
 * the last quark row. */
static void
add_bundle_rows(const LilvPlugins *plugins)
{
	static char labels[MAX_SUBJECTS][80];
	const size_t base = strlen(QK);
	while (n_subjects < MAX_SUBJECTS && subjects[n_subjects].label) {
		++n_subjects;
	}
	LILV_FOREACH (plugins, i, plugins) {
		const char *uri =
		        lilv_node_as_uri(lilv_plugin_get_uri(lilv_plugins_get(plugins, i)));
		bool listed = strncmp(uri, QK, base) != 0;
		int after = 0; /* one past the last quark row */
		for (int j = 0; j < n_subjects; ++j) {
			listed |= subjects[j].uri && !strcmp(subjects[j].uri, uri);
			after = subjects[j].quark ? j + 1 : after;
		}
		if (listed) {
			continue;
		}
		if (n_subjects == MAX_SUBJECTS) {
			fprintf(stderr, "%s: no room for a row (MAX_SUBJECTS)\n", uri);
			continue;
		}
		memmove(&subjects[after + 1], &subjects[after],
		        (size_t)(n_subjects - after) * sizeof subjects[0]);
		snprintf(labels[n_subjects], sizeof labels[0], "%s (defaults)", uri + base);
		subjects[after] = (subject){.label = labels[n_subjects], .uri = uri, .quark = true};
		++n_subjects;
		fprintf(stderr, "%s: no row in the benchmark's table, timed with its defaults\n",
		        uri + base);
	}
}

/* ---- a minimal urid:map, needed by blop (and any real host has one) ---- */

#define MAX_URIS 64
static char *uris[MAX_URIS];
static uint32_t n_uris;

static LV2_URID
map_uri(LV2_URID_Map_Handle h, const char *uri)
{
	(void)h;
	for (uint32_t i = 0; i < n_uris; ++i) {
		if (!strcmp(uris[i], uri)) {
			return i + 1;
		}
	}
	if (n_uris == MAX_URIS) {
		return 0; /* "could not map", as the spec allows */
	}
	const size_t len = strlen(uri) + 1;
	uris[n_uris] = malloc(len);
	if (!uris[n_uris]) {
		return 0;
	}
	memcpy(uris[n_uris], uri, len);
	return ++n_uris;
}

static LV2_URID_Map map = {NULL, map_uri};
static const LV2_Feature map_feature = {LV2_URID__map, &map};
static const LV2_Feature *const features[] = {&map_feature, NULL};

/* ---- data ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

/* Uniform in [-1, 1), never exactly 0 (a zero would not be denormal). */
static float
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	const float u = (float)(rng_state >> 40) / (float)(1u << 24); /* [0, 1) */
	const float v = 2.0f * u - 1.0f;
	return v != 0.0f ? v : 0.5f;
}

/* A port's buffer, 64-byte aligned as hosts' buffers usually are, at a place fixed by its
 * slot (its order among the subject's buffers), not wherever the heap puts it. A load whose
 * address matches an earlier store's in the low 12 bits waits for that store (4K aliasing),
 * so where the buffers sit modulo 4096 decides how fast even `out = a*b` runs: the same
 * floor code measured 0.048 to 0.097 ns a frame in runs that differed only in what the heap
 * had handed out before. Each slot starts 192 bytes lower modulo 4096 than the one before,
 * so the outputs, after the inputs, sit a little below them, where a frame's loads come
 * before its store; 21 slots fit before the offsets repeat. */
static float *
new_buffer(int slot)
{
	const size_t page = 4096, offset = (page - 192u * (size_t)(slot % 21)) % page;
	char *raw = aligned_alloc(page, MAX_BLOCK * sizeof(float) + page);
	if (!raw) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return (float *)(raw + offset); /* never freed: the subjects live as long as the run */
}

static void
fill(float *b, int kind, bool pm1)
{
	for (uint32_t i = 0; i < MAX_BLOCK; ++i) {
		const float r = rnd();
		if (pm1) {
			b[i] = r < 0.0f ? -1.0f : 1.0f;
		} else if (kind == DENORMAL) {
			b[i] = r * 1e-39f; /* below FLT_MIN (1.18e-38): subnormal */
		} else {
			b[i] = r;
		}
	}
}

/* The machine is shared: by default time is this thread's CPU time, so the
 * periods when the scheduler runs someone else are not charged to a plugin
 * (--wall uses the monotonic clock instead). Caches and the sibling
 * hyperthread remain shared: hence the repetitions and medians. */
static clockid_t clock_id = CLOCK_THREAD_CPUTIME_ID;

static double
now_ns(void)
{
	struct timespec t;
	clock_gettime(clock_id, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* ---- hosting ---- */

typedef struct {
	LilvWorld *world;
	LilvNode *audio, *control, *cv, *input, *output, *morph, *automorph;
} world_nodes;

/* Switch every morph input port to CV through the options interface; blop's
 * auto-morph output then becomes CV too. Without this the ports stay control
 * ports and the plugin multiplies constants, which is no benchmark at all. */
static bool
morph_to_cv(subject *s, const world_nodes *w)
{
	const LV2_Options_Interface *opts =
	        (const LV2_Options_Interface *)lilv_instance_get_extension_data(
	                s->instance, LV2_OPTIONS__interface);
	if (!opts || !opts->set) {
		s->verdict = "no options interface: morph ports not switched";
		return false;
	}
	const LV2_URID key = map_uri(NULL, LV2_MORPH__currentType);
	const LV2_URID type = map_uri(NULL, LV2_ATOM__URID);
	const LV2_URID cv_type = map_uri(NULL, LV2_CORE__CVPort);

	LV2_Options_Option o[MAX_PORTS + 1];
	memset(o, 0, sizeof o); /* the list ends with a zeroed option */
	int k = 0;
	const uint32_t n = lilv_plugin_get_num_ports(s->plugin);
	for (uint32_t i = 0; i < n; ++i) {
		const LilvPort *port = lilv_plugin_get_port_by_index(s->plugin, i);
		if (lilv_port_is_a(s->plugin, port, w->morph) &&
		    lilv_port_is_a(s->plugin, port, w->input)) {
			o[k++] = (LV2_Options_Option){LV2_OPTIONS_PORT, i,    key,
			                              sizeof cv_type,   type, &cv_type};
		}
	}
	if (k == 0 || opts->set(s->handle, o) != LV2_OPTIONS_SUCCESS) {
		s->verdict = "options set refused: morph ports not switched";
		return false;
	}
	return true;
}

static bool
setup(subject *s, const world_nodes *w, const LilvPlugins *plugins)
{
	if (s->faust) {
		if (!qk_faust_peer(s->faust, &s->desc, &s->handle, &s->n_in, &s->n_out,
		                   &s->verdict)) {
			return false;
		}
		for (int k = 0; k < s->n_in; ++k) {
			s->audio_in[k] = (uint32_t)k;
		}
		for (int k = 0; k < s->n_out; ++k) {
			s->audio_out[k] = (uint32_t)(s->n_in + k);
		}
	} else if (!s->uri) {
		const bool dispatched = strstr(s->label, "dispatched") != NULL;
		s->desc = dispatched ? &floor_dispatched_descriptor : &floor_descriptor;
		s->handle = dispatched ? (LV2_Handle)&floor_dispatched_instance : &floor_instance;
		s->n_in = 2;
		s->n_out = 1;
		s->audio_in[0] = 0;
		s->audio_in[1] = 1;
		s->audio_out[0] = 2;
	} else {
		LilvNode *node = lilv_new_uri(w->world, s->uri);
		s->plugin = lilv_plugins_get_by_uri(plugins, node);
		lilv_node_free(node);
		if (!s->plugin) {
			s->verdict = "not found on LV2_PATH";
			return false;
		}
		const uint32_t n = lilv_plugin_get_num_ports(s->plugin);
		if (n > MAX_PORTS) {
			s->verdict = "too many ports";
			return false;
		}
		float def[MAX_PORTS];
		lilv_plugin_get_port_ranges_float(s->plugin, NULL, NULL, def);
		s->instance = lilv_plugin_instantiate(s->plugin, 48000.0, features);
		if (!s->instance) {
			s->verdict = "instantiate failed";
			return false;
		}
		s->desc = lilv_instance_get_descriptor(s->instance);
		s->handle = lilv_instance_get_handle(s->instance);
		if (s->morph_cv && !morph_to_cv(s, w)) {
			return false;
		}
		for (uint32_t i = 0; i < n; ++i) {
			const LilvPort *port = lilv_plugin_get_port_by_index(s->plugin, i);
			const bool in = lilv_port_is_a(s->plugin, port, w->input);
			const bool morphed =
			        s->morph_cv && (lilv_port_is_a(s->plugin, port, w->morph) ||
			                        lilv_port_is_a(s->plugin, port, w->automorph));
			if (lilv_port_is_a(s->plugin, port, w->audio) || morphed) {
				if (in) {
					s->audio_in[s->n_in++] = i;
				} else {
					s->audio_out[s->n_out++] = i;
				}
			} else if (lilv_port_is_a(s->plugin, port, w->control)) {
				const char *sym =
				        lilv_node_as_string(lilv_port_get_symbol(s->plugin, port));
				s->control_value[i] = isnan(def[i]) ? 0.0f : def[i];
				for (int c = 0; c < 2 && s->control[c]; ++c) {
					if (!strcmp(sym, s->control[c])) {
						s->control_value[i] = s->value[c];
					}
				}
				lilv_instance_connect_port(s->instance, i, &s->control_value[i]);
			} else {
				s->verdict = "port of a kind this benchmark does not host";
				return false;
			}
		}
	}
	if (s->n_out == 0 || (s->in_place && s->n_in == 0)) {
		s->verdict = "no audio output, or in place without an input";
		return false;
	}
	for (int k = 0; k < s->n_in; ++k) {
		for (int d = 0; d < N_DATA; ++d) {
			s->in[d][k] = new_buffer(N_DATA * k + d);
			fill(s->in[d][k], d, s->gate_pm1 && k == 1);
		}
	}
	for (int k = 0; k < s->n_out; ++k) {
		s->out[k] = (s->in_place && k == 0) ? NULL : new_buffer(N_DATA * s->n_in + k);
	}
	if (s->instance) {
		lilv_instance_activate(s->instance);
	}
	s->present = true;
	return true;
}

static void
connect(subject *s, int data)
{
	for (int k = 0; k < s->n_in; ++k) {
		s->desc->connect_port(s->handle, s->audio_in[k], s->in[data][k]);
	}
	for (int k = 0; k < s->n_out; ++k) {
		float *b = (s->in_place && k == 0) ? s->in[data][0] : s->out[k];
		s->desc->connect_port(s->handle, s->audio_out[k], b);
	}
}

/* Run one block of normal data and check the output: for the peers this is
 * what proves the morph ports carry the streams (else the time is that of a
 * constant product and meaningless); for the quarks, that nothing is NaN. */
static void
verify(subject *s)
{
	enum { N = 512 };
	float a[N], b[N];
	connect(s, NORMAL);
	if (s->n_in > 0) {
		memcpy(a, s->in[NORMAL][0], sizeof a); /* before an in-place run overwrites it */
		memcpy(b, s->n_in > 1 ? s->in[NORMAL][1] : a, sizeof b);
	}
	s->desc->run(s->handle, N);
	const float *y = s->in_place ? s->in[NORMAL][0] : s->out[0];
	if (s->n_in == 0) {
		memset(a, 0, sizeof a); /* a source: only finiteness is checked */
		memset(b, 0, sizeof b);
	}
	for (int i = 0; i < N; ++i) {
		float want = y[i];
		if (s->check == CHECK_PRODUCT || s->check == CHECK_GATE) {
			want = a[i] * b[i];
		} else if (s->check == CHECK_SUM) {
			want = a[i] + b[i];
		}
		if (!isfinite(y[i]) || fabsf(y[i] - want) > 1e-6f * (1.0f + fabsf(want))) {
			s->verdict = s->check == CHECK_SUM ? "output != a+b: NOT VERIFIED"
			             : s->check            ? "output != a*b: NOT VERIFIED"
			                                   : "non-finite output";
			return;
		}
	}
}

/* ns per frame of one subject at block n over about `samples` frames. */
static double
measure(subject *s, int data, uint32_t n, uint64_t samples)
{
	connect(s, data);
	const uint64_t calls = samples / n ? samples / n : 1;
	void (*const run)(LV2_Handle, uint32_t) = s->desc->run;
	LV2_Handle h = s->handle;
	const double t0 = now_ns();
	for (uint64_t c = 0; c < calls; ++c) {
		run(h, n);
	}
	return (now_ns() - t0) / (double)(calls * n);
}

/* ---- statistics and output ---- */

static int
cmp_double(const void *a, const void *b)
{
	const double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The q-quantile (0.5: median) of v[0..n), NaNs left out; NaN if none. */
static double
quantile(const double *v, int n, double q)
{
	double t[n > 0 ? n : 1];
	int m = 0;
	for (int i = 0; i < n; ++i) {
		if (!isnan(v[i])) {
			t[m++] = v[i];
		}
	}
	if (m == 0) {
		return NAN;
	}
	qsort(t, (size_t)m, sizeof t[0], cmp_double);
	const double pos = q * (m - 1);
	const int lo = (int)pos;
	const int hi = lo + 1 < m ? lo + 1 : lo;
	return t[lo] + (pos - lo) * (t[hi] - t[lo]);
}

static double
median(const double *v, int n)
{
	return quantile(v, n, 0.5);
}

typedef struct {
	double ns[N_BLOCKS];
	double spread; /* interquartile range / median at 512, in % */
	double vs_product;
	double denormal;
	double call1;
	double fixed;
	double intercept;
} row;

static int reps = 21;
static uint64_t samples = 1u << 19;

static row
summarize(const subject *s, const subject *product)
{
	row r;
	double tmp[reps];
	for (int b = 0; b < N_BLOCKS; ++b) {
		r.ns[b] = median(s->ns[NORMAL][b], reps);
	}
	const double *ref = s->ns[NORMAL][REF_BLOCK];
	r.spread =
	        100.0 * (quantile(ref, reps, 0.75) - quantile(ref, reps, 0.25)) / r.ns[REF_BLOCK];
	/* Ratios are taken within each repetition, then the median: both sides
	 * of a ratio were measured moments apart, under the same noise. */
	for (int i = 0; i < reps; ++i) {
		/* an unverified product (constant ports) is no reference at all */
		tmp[i] = product->present && !product->verdict
		                 ? ref[i] / product->ns[NORMAL][REF_BLOCK][i]
		                 : NAN;
	}
	r.vs_product = median(tmp, reps);
	for (int i = 0; i < reps; ++i) {
		tmp[i] = s->ns[DENORMAL][REF_BLOCK][i] / ref[i];
	}
	r.denormal = median(tmp, reps);
	r.call1 = median(s->ns_call1, reps);
	/* Fixed cost of a call: run(1) minus one frame at the streaming rate. */
	for (int i = 0; i < reps; ++i) {
		tmp[i] = s->ns_call1[i] - s->ns[NORMAL][N_BLOCKS - 1][i];
	}
	r.fixed = median(tmp, reps);
	/* The other estimate: the intercept of the line through the call times
	 * at 64 and 512. It leaves out the latency of one lone sample (which
	 * run(1) pays in full: a scalar tanh is a long dependency chain), but
	 * amplifies noise: read it as a cross-check. */
	for (int i = 0; i < reps; ++i) {
		const double c64 = s->ns[NORMAL][0][i] * blocks[0];
		const double c512 = s->ns[NORMAL][1][i] * blocks[1];
		tmp[i] = c64 - blocks[0] * (c512 - c64) / (blocks[1] - blocks[0]);
	}
	r.intercept = median(tmp, reps);
	return r;
}

static const char *
cpu_model(char *buf, size_t size)
{
	snprintf(buf, size, "unknown CPU");
	FILE *f = fopen("/proc/cpuinfo", "r");
	if (!f) {
		return buf;
	}
	char line[256];
	while (fgets(line, sizeof line, f)) {
		const char *colon = strchr(line, ':');
		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(buf, size, "%s", colon + 2);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
	return buf;
}

static void
fmt(char *buf, size_t size, double v, const char *f)
{
	if (isnan(v)) {
		snprintf(buf, size, "-");
	} else {
		snprintf(buf, size, f, v);
	}
}

/* "met" or "MISSED by x%" for value <= limit. */
static const char *
status(char *buf, size_t size, double value, double limit)
{
	if (isnan(value)) {
		snprintf(buf, size, "n/a");
	} else if (value <= limit) {
		snprintf(buf, size, "met (%.0f%% margin)", 100.0 * (1.0 - value / limit));
	} else {
		snprintf(buf, size, "MISSED by %.0f%%", 100.0 * (value / limit - 1.0));
	}
	return buf;
}

static void
print_table(const row *rows, bool md)
{
	static const char *head[] = {"plugin",      "ns@64",    "ns@512",    "ns@4096",  "IQR@512",
	                             "x blop prod", "denorm x", "run(1) ns", "fixed ns", "icpt ns"};
	if (md) {
		printf("|");
		for (int c = 0; c < 10; ++c) {
			printf(" %s |", head[c]);
		}
		printf("\n|---|");
		for (int c = 1; c < 10; ++c) {
			printf("---:|");
		}
		printf("\n");
	} else {
		printf("%-30s %7s %7s %7s %7s %11s %8s %9s %8s %7s\n", head[0], head[1], head[2],
		       head[3], head[4], head[5], head[6], head[7], head[8], head[9]);
	}
	for (int j = 0; j < n_subjects; ++j) {
		const subject *s = &subjects[j];
		const row *r = &rows[j];
		char c[9][32];
		if (!s->present) {
			if (md) {
				printf("| %s | %s ||||||||| \n", s->label, s->verdict);
			} else {
				printf("%-30s (%s)\n", s->label, s->verdict);
			}
			continue;
		}
		for (int b = 0; b < N_BLOCKS; ++b) {
			fmt(c[b], sizeof c[b], r->ns[b], "%.3f");
		}
		fmt(c[3], sizeof c[3], r->spread, "%.0f%%");
		fmt(c[4], sizeof c[4], r->vs_product, "%.3f");
		fmt(c[5], sizeof c[5], r->denormal, "%.2f");
		fmt(c[6], sizeof c[6], r->call1, "%.1f");
		fmt(c[7], sizeof c[7], r->fixed, "%.1f");
		fmt(c[8], sizeof c[8], r->intercept, "%.1f");
		if (md) {
			printf("| %s%s |", s->label, s->verdict ? " **(unverified)**" : "");
			for (int k = 0; k < 9; ++k) {
				printf(" %s |", c[k]);
			}
			printf("\n");
		} else {
			printf("%-30s %7s %7s %7s %7s %11s %8s %9s %8s %7s%s%s\n", s->label, c[0],
			       c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8],
			       s->verdict ? "  !! " : "", s->verdict ? s->verdict : "");
		}
	}
}

static void
print_targets(const row *rows, bool md)
{
	char buf[64];
	const char *fmt_line = md ? "| %s | %s | %s | %s |\n" : "  %-54s %10s %10s  %s\n";
	printf(md ? "\n| target (block 512) | measured | limit | status |\n|---|---:|---:|---|\n"
	          : "\nTargets of issue 7 at block 512:\n");
	for (int j = 0; j < n_subjects; ++j) {
		const subject *s = &subjects[j];
		const row *r = &rows[j];
		char what[96], got[32], lim[32];
		if (s->target == TARGET_NS) {
			snprintf(what, sizeof what, "%s, ns/sample", s->label);
			fmt(got, sizeof got, s->present ? r->ns[REF_BLOCK] : NAN, "%.3f");
			snprintf(lim, sizeof lim, "%.2f", s->target_value);
			printf(fmt_line, what, got, lim,
			       status(buf, sizeof buf, s->present ? r->ns[REF_BLOCK] : NAN,
			              s->target_value));
		} else if (s->target == TARGET_VS_PRODUCT) {
			static const double limits[2] = {0.25, 0.125};
			for (int k = 0; k < 2; ++k) {
				snprintf(what, sizeof what, "%s / blop product%s", s->label,
				         k ? " (with CPU dispatch)" : "");
				fmt(got, sizeof got, s->present ? r->vs_product : NAN, "%.3f");
				snprintf(lim, sizeof lim, "%.3f", limits[k]);
				printf(fmt_line, what, got, lim,
				       status(buf, sizeof buf, s->present ? r->vs_product : NAN,
				              limits[k]));
			}
		}
	}
	/* The per-call and denormal targets hold for every quark: show the worst. */
	int wf = -1, wd = -1;
	for (int j = 0; j < n_subjects; ++j) {
		if (!subjects[j].quark || !subjects[j].present) {
			continue;
		}
		if (wf < 0 || rows[j].fixed > rows[wf].fixed) {
			wf = j;
		}
		if (!isnan(rows[j].denormal) && (wd < 0 || rows[j].denormal > rows[wd].denormal)) {
			wd = j;
		}
	}
	if (wf >= 0) {
		char what[96], got[32];
		snprintf(what, sizeof what, "fixed cost of run(), worst: %s", subjects[wf].label);
		snprintf(got, sizeof got, "%.1f ns", rows[wf].fixed);
		printf(fmt_line, what, got, "5 ns", status(buf, sizeof buf, rows[wf].fixed, 5.0));
	}
	if (wd >= 0) {
		char what[96], got[32];
		snprintf(what, sizeof what, "denormal/normal, worst: %s", subjects[wd].label);
		snprintf(got, sizeof got, "%.2fx", rows[wd].denormal);
		printf(fmt_line, what, got, "1.5x",
		       status(buf, sizeof buf, rows[wd].denormal, 1.5));
	}
}

/* ---- quarks against the floors and their Faust peers (issue 15) ---- */

static const subject *
find_subject(const char *label)
{
	for (int j = 0; j < n_subjects; ++j) {
		if (!strcmp(subjects[j].label, label)) {
			return &subjects[j];
		}
	}
	return NULL;
}

/* Median over the repetitions of a's time / b's time at block 512. */
static double
ratio_512(const subject *a, const subject *b)
{
	if (!a || !b || !a->present || !b->present || b->verdict) {
		return NAN;
	}
	double tmp[reps];
	for (int i = 0; i < reps; ++i) {
		tmp[i] = a->ns[NORMAL][REF_BLOCK][i] / b->ns[NORMAL][REF_BLOCK][i];
	}
	return median(tmp, reps);
}

static void
print_versus(bool md)
{
	static const char *head[] = {"quark (block 512)", "x C floor", "x C floor disp.", "x faust",
	                             "x faust fast-math"};
	if (md) {
		printf("\n| %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|\n", head[0],
		       head[1], head[2], head[3], head[4]);
	} else {
		printf("\nRatios of time at block 512, medians of the per-repetition ratios:\n"
		       "  %-28s %10s %16s %8s %18s\n",
		       head[0], head[1], head[2], head[3], head[4]);
	}
	const subject *floor_sse = find_subject("C floor out=a*b");
	const subject *floor_disp = find_subject("C floor out=a*b, dispatched");
	for (int j = 0; j < n_subjects; ++j) {
		const subject *s = &subjects[j];
		if (!s->vs || !s->present) {
			continue;
		}
		char fast[96], c[4][32];
		snprintf(fast, sizeof fast, "%s fm", s->vs);
		const double r[4] = {ratio_512(s, floor_sse), ratio_512(s, floor_disp),
		                     ratio_512(s, find_subject(s->vs)),
		                     ratio_512(s, find_subject(fast))};
		for (int k = 0; k < 4; ++k) {
			fmt(c[k], sizeof c[k], r[k], "%.2f");
		}
		if (md) {
			printf("| %s | %s | %s | %s | %s |\n", s->label, c[0], c[1], c[2], c[3]);
		} else {
			printf("  %-28s %10s %16s %8s %18s\n", s->label, c[0], c[1], c[2], c[3]);
		}
	}
}

static void
usage(const char *argv0)
{
	printf("usage: %s [--reps N] [--samples N] [--wall] [--ftz] [--markdown]\n"
	       "  --reps N     repetitions, median taken (default 21, at least 7)\n"
	       "  --samples N  frames per measurement (default %llu)\n"
	       "  --wall       time with the wall clock, not the thread's CPU time\n"
	       "  --ftz        run as a host that already set FTZ|DAZ (x86 MXCSR)\n"
	       "  --markdown   print the tables as Markdown (for the README)\n"
	       "LV2_PATH, if unset, is the build tree's bundle plus /usr/lib/lv2.\n",
	       argv0, (unsigned long long)samples);
}

int
main(int argc, char **argv)
{
	bool md = false, ftz = false;
	for (int i = 1; i < argc; ++i) {
		if (!strcmp(argv[i], "--markdown")) {
			md = true;
		} else if (!strcmp(argv[i], "--ftz")) {
			ftz = true;
		} else if (!strcmp(argv[i], "--wall")) {
			clock_id = CLOCK_MONOTONIC;
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--samples") && i + 1 < argc) {
			samples = strtoull(argv[++i], NULL, 10);
		} else {
			usage(argv[0]);
			return strcmp(argv[i], "--help") ? 2 : 0;
		}
	}
	if (reps < 7 || samples < MAX_BLOCK) {
		fprintf(stderr, "need --reps >= 7 and --samples >= %u\n", MAX_BLOCK);
		return 2;
	}
#ifdef HAVE_MXCSR
	/* Some hosts (Ardour, for one) run plugins with FTZ|DAZ already set;
	 * --ftz measures that case: plugins that skip their own MXCSR switch
	 * when it is not needed then show it in their fixed cost. */
	if (ftz) {
		_mm_setcsr(_mm_getcsr() | 0x8040u);
	}
#else
	if (ftz) {
		fprintf(stderr, "--ftz: not an x86 build, ignored\n");
		ftz = false;
	}
#endif
	/* A host searches LV2_PATH; default to this build's bundle, as the tests do. */
	setenv("LV2_PATH", QK_BENCH_LV2_PATH, 0);

	world_nodes w;
	w.world = lilv_world_new();
	lilv_world_load_all(w.world);
	w.audio = lilv_new_uri(w.world, LILV_URI_AUDIO_PORT);
	w.control = lilv_new_uri(w.world, LILV_URI_CONTROL_PORT);
	w.cv = lilv_new_uri(w.world, LILV_URI_CV_PORT);
	w.input = lilv_new_uri(w.world, LILV_URI_INPUT_PORT);
	w.output = lilv_new_uri(w.world, LILV_URI_OUTPUT_PORT);
	w.morph = lilv_new_uri(w.world, LV2_MORPH__MorphPort);
	w.automorph = lilv_new_uri(w.world, LV2_MORPH__AutoMorphPort);
	const LilvPlugins *plugins = lilv_world_get_all_plugins(w.world);
	add_bundle_rows(plugins);

	int failures = 0;
	for (int j = 0; j < n_subjects; ++j) {
		subject *s = &subjects[j];
		if (setup(s, &w, plugins)) {
			verify(s);
		}
		if (s->verdict && (s->quark || s->present)) {
			fprintf(stderr, "%s: %s\n", s->label, s->verdict);
			++failures; /* a missing peer is only reported; a wrong one fails */
		} else if (s->verdict) {
			fprintf(stderr, "%s: %s (left out)\n", s->label, s->verdict);
		}
		for (int d = 0; d < N_DATA; ++d) {
			for (int b = 0; b < N_BLOCKS; ++b) {
				s->ns[d][b] = calloc((size_t)reps, sizeof(double));
			}
		}
		s->ns_call1 = calloc((size_t)reps, sizeof(double));
	}

	const double t_start = now_ns();
	/* Repetition -1 warms caches and clocks and is thrown away. Within a
	 * repetition every subject is measured at one block size before the next
	 * size, starting each repetition one subject further along. */
	for (int r = -1; r < reps; ++r) {
		for (int b = 0; b <= N_BLOCKS; ++b) {
			for (int j = 0; j < n_subjects; ++j) {
				subject *s = &subjects[(j + (r < 0 ? 0 : r)) % n_subjects];
				if (!s->present) {
					continue;
				}
				if (b == N_BLOCKS) {
					/* run(1): mostly the per-call cost; fewer frames as each is
					 * a call */
					const double t = measure(s, NORMAL, 1, samples / 8);
					if (r >= 0) {
						s->ns_call1[r] = t;
					}
					continue;
				}
				for (int k = 0; k < N_DATA; ++k) {
					const int d =
					        (r & 1) ? N_DATA - 1 - k : k; /* alternate order */
					/* +-1 gates keep in-place data bounded; denormals there
					 * would be flushed to 0 by the first call: not measured. */
					const bool skip = d == DENORMAL && s->gate_pm1;
					const double t =
					        skip ? NAN : measure(s, d, blocks[b], samples);
					if (r >= 0) {
						s->ns[d][b][r] = t;
					}
				}
			}
		}
	}
	const double seconds = (now_ns() - t_start) * 1e-9;

	static const subject absent; /* not present: ratios to it are NaN */
	const subject *product = &absent;
	for (int j = 0; j < n_subjects; ++j) {
		if (subjects[j].uri && !strcmp(subjects[j].uri, PRODUCT_URI)) {
			product = &subjects[j];
		}
	}
	row rows[MAX_SUBJECTS];
	for (int j = 0; j < n_subjects; ++j) {
		if (subjects[j].present) {
			rows[j] = summarize(&subjects[j], product);
		}
	}

	char cpu[128];
	const char *clock_name = clock_id == CLOCK_MONOTONIC ? "wall clock" : "thread CPU time";
	/* QUARKS_KERNELS picks the plugins' kernels (dsp/dispatch.c) and the Faust peers'
	 * build (faust_peers.c) */
	const char *kernels =
	        getenv("QUARKS_KERNELS") ? getenv("QUARKS_KERNELS") : "the CPU's best";
	if (md) {
		printf("%s; %d interleaved repetitions of %llu frames per measurement, "
		       "medians; %s; host FTZ|DAZ %s; kernels: %s; %.0f s.\n\n",
		       cpu_model(cpu, sizeof cpu), reps, (unsigned long long)samples, clock_name,
		       ftz ? "set" : "not set", kernels, seconds);
	} else {
		printf("quarks.lv2 plugin benchmark: %s\n"
		       "%d interleaved repetitions, %llu frames per measurement, medians "
		       "(%.0f s)\n"
		       "LV2_PATH=%s; clock: %s; host FTZ|DAZ: %s; kernels: %s\n"
		       "ns@N: ns per frame at block N; IQR: spread of the repetitions; "
		       "x blop prod: time / blop Signal Product's at 512;\n"
		       "denorm x: subnormal inputs / normal ones at 512; fixed: run(1) - one "
		       "frame at 4096;\nicpt: intercept of the call time through blocks 64 "
		       "and 512\n\n",
		       cpu_model(cpu, sizeof cpu), reps, (unsigned long long)samples, seconds,
		       getenv("LV2_PATH"), clock_name, ftz ? "set" : "not set", kernels);
	}
	print_table(rows, md);
	print_targets(rows, md);
	print_versus(md);

	for (int j = 0; j < n_subjects; ++j) {
		subject *s = &subjects[j];
		if (s->instance) {
			if (s->present) {
				lilv_instance_deactivate(s->instance);
			}
			lilv_instance_free(s->instance);
		}
	}
	lilv_node_free(w.audio);
	lilv_node_free(w.control);
	lilv_node_free(w.cv);
	lilv_node_free(w.input);
	lilv_node_free(w.output);
	lilv_node_free(w.morph);
	lilv_node_free(w.automorph);
	lilv_world_free(w.world);
	return failures ? 1 : 0;
}
