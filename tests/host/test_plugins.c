/* SPDX-License-Identifier: ISC */
/* Every plugin of the bundle, as lilv lists it, loaded through lilv, against
 * the independent double reference (tests/reference): three sample rates,
 * block sizes 1 to 8192, separate and in-place buffers, unconnected optional
 * inputs, out-of-range controls, and NaN/Inf/denormal/huge inputs.
 * A plugin of the bundle with no reference entry fails, and so does one whose
 * ports (index, symbol, kind, range) differ from its reference entry; so does a
 * reference entry with no plugin in the bundle (lilv dropped it). */
#include "host.h"
#include "ref.h"
#include "rng.h"

#include <lv2/core/lv2.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES (2 * 8192 + 37) /* two of the largest blocks and a ragged end */

static const double rates[] = {44100.0, 48000.0, 96000.0};
static const uint32_t blocks[] = {1, 7, 64, 4096, 8192};

typedef enum { DYADIC, CONTINUOUS, OUT_OF_RANGE, HOSTILE, N_KINDS } config_kind;
static const char *const kind_names[] = {"dyadic", "continuous", "out-of-range", "hostile"};

/* One test case: inputs, which are connected, controls, expected outputs. */
typedef struct {
	float in[HOST_MAX_PORTS][FRAMES];
	bool connected[HOST_MAX_PORTS];
	double control[HOST_MAX_PORTS];
	double expected[HOST_MAX_PORTS][FRAMES];
	double bound[HOST_MAX_PORTS][FRAMES]; /* the reference's float error bound */
	float out[HOST_MAX_PORTS][FRAMES];
	float work[HOST_MAX_PORTS][FRAMES]; /* inputs as the plugin sees them */
} config;

/* How the reference's float bounds were used, per plugin. */
typedef struct {
	long frames, open, loose;
	double widest;
} bound_stats;

/* The symbol of control input k (lilv's, which same_ports held equal to the
 * reference's). */
static const char *
control_symbol(const ref_plugin *rp, const host_unit *u, int k)
{
	return ref_port_at(rp, (int)u->control_in[k])->symbol;
}

static double
bad_value(rng *r)
{
	static const double bad[] = {NAN, INFINITY, -INFINITY, 1e30, -1e30, 1e-40, -1e-42};
	return bad[rng_next(r) % (sizeof bad / sizeof bad[0])];
}

/* Fill a config of the given kind; act_choice is the activation for plugins
 * that have one. */
static void
make_config(config *c, const ref_plugin *rp, const host_unit *u, config_kind kind, int act_choice,
            bool all_connected, rng *r)
{
	for (int k = 0; k < u->n_audio_in; ++k) {
		c->connected[k] = all_connected || rng_next(r) % 4 != 0;
		for (int i = 0; i < FRAMES; ++i) {
			c->in[k][i] = (float)(kind == DYADIC || kind == OUT_OF_RANGE
			                              ? rng_dyadic(r, -2, 2, 64)
			                              : rng_uniform(r, -1.5, 1.5));
		}
	}
	if (kind == HOSTILE && u->n_audio_in > 0) {
		/* one bad value in one input every few frames, so every bad value
		 * meets every kind of input */
		for (int i = 0; i < FRAMES; i += 3) {
			c->in[rng_next(r) % (uint64_t)u->n_audio_in][i] = (float)bad_value(r);
		}
	}
	/* Out-of-range runs stay on exact data: clamped weights of 100 and slopes
	 * of 100 make float rounding of continuous data visible. */
	const bool exact = kind == DYADIC || kind == OUT_OF_RANGE;
	const bool defaults = rng_next(r) % 3 == 0;
	for (int k = 0; k < u->n_control_in; ++k) {
		const char *sym = control_symbol(rp, u, k);
		const ref_port *port = ref_port_at(rp, (int)u->control_in[k]);
		double v;
		if (!strcmp(sym, "act")) {
			v = act_choice;
		} else if (!strcmp(sym, "temp")) {
			v = exact ? rng_dyadic(r, 0.25, 4, 4) : rng_uniform(r, 0.05, 5);
		} else if (!strcmp(sym, "slope")) {
			v = exact ? rng_dyadic(r, 0.25, 4, 4) : rng_uniform(r, -4, 4);
		} else if (!strcmp(sym, "period")) {
			/* a source's period (s): short enough that a run (0.17 to 0.37 s) crosses
			 * many edges and wraps, which periods of up to an hour would not */
			v = exact ? rng_dyadic(r, 1.0 / 1024, 0.25, 1024)
			          : rng_uniform(r, 0.0001, 0.25);
		} else if (port->min <= -4 && port->max >= 4) {
			/* weight-like: w, bias, v, a, c, k, matrix entries; in one config in
			 * three all at their defaults, as a host first loads a plugin (the
			 * output gate's a = 1, c = 0 take a path of their own) */
			v = defaults ? port->def
			    : exact  ? rng_dyadic(r, -4, 4, 8)
			             : rng_uniform(r, -2, 2);
		} else if (port->integer) {
			v = port->min +
			    (double)(rng_next(r) % (uint64_t)(port->max - port->min + 1));
		} else {
			/* any other documented range: anywhere in it, on a 1/8 grid for exact data
			 */
			const double lo = ceil(port->min * 8) / 8, hi = floor(port->max * 8) / 8;
			v = exact && lo <= hi ? rng_dyadic(r, lo, hi, 8)
			                      : rng_uniform(r, port->min, port->max);
		}
		if (kind == OUT_OF_RANGE) {
			/* far outside the declared range, either side, or NaN */
			static const double wild[] = {1e6, -1e6, 1e30, -1e30, 1000.5, NAN};
			if (rng_next(r) % 2) {
				v = wild[rng_next(r) % (sizeof wild / sizeof wild[0])];
			}
			if (!strcmp(sym, "act")) {
				v = (act_choice % 2) ? 17.0 : -3.0;
			}
		}
		c->control[k] = (float)v; /* what the plugin's float port holds */
	}
}

/* The reference over the whole config, from activation, at the instance's
 * ports (same indices as the plugin's: checked by same_ports). */
static void
compute_expected(config *c, ref_instance *ri, const host_unit *u, bound_stats *st)
{
	double port[REF_MAX_PORTS] = {0}, bound[REF_MAX_PORTS] = {0};
	bool connected[REF_MAX_PORTS] = {0};
	for (int k = 0; k < u->n_audio_in; ++k) {
		connected[u->audio_in[k]] = c->connected[k];
	}
	for (int k = 0; k < u->n_control_in; ++k) {
		port[u->control_in[k]] = c->control[k];
	}
	ref_activate(ri);
	for (int i = 0; i < FRAMES; ++i) {
		for (int k = 0; k < u->n_audio_in; ++k) {
			port[u->audio_in[k]] = c->in[k][i];
		}
		ref_step(ri, port, connected, bound);
		for (int o = 0; o < u->n_audio_out; ++o) {
			const double want = port[u->audio_out[o]], b = bound[u->audio_out[o]];
			c->expected[o][i] = want;
			c->bound[o][i] = b;
			st->frames++;
			if (isinf(b)) {
				st->open++;
			} else if (b > 1e-5 + 1e-5 * fabs(want)) {
				st->loose++;
			}
			st->widest = isinf(b) ? st->widest : fmax(st->widest, b);
		}
	}
}

/* Run the instance over the config in blocks, reconnecting every block as
 * hosts do, from activation (a stateful plugin starts where the reference
 * did). In place: output o writes into the buffer of connected input o, or,
 * if that one is unconnected, of the first connected input no other output
 * writes (two outputs on one buffer would be the test's mistake). Within the
 * reference's float bound of an output it is right; where the bound is
 * infinite (PORTS.md leaves the float result open) it must still be finite.
 * Returns the number of mismatches. */
static int
run_config(config *c, host_unit *u, uint32_t block, bool in_place, const char *label)
{
	float *out_buf[HOST_MAX_PORTS];
	bool taken[HOST_MAX_PORTS] = {false};
	for (int k = 0; k < u->n_audio_in; ++k) {
		memcpy(c->work[k], c->in[k], sizeof c->work[k]);
	}
	for (int o = 0; o < u->n_audio_out; ++o) {
		out_buf[o] = c->out[o];
		if (in_place && o < u->n_audio_in && c->connected[o]) {
			out_buf[o] = c->work[o];
			taken[o] = true;
		}
	}
	for (int o = 0; in_place && o < u->n_audio_out; ++o) {
		if (o < u->n_audio_in && c->connected[o]) {
			continue;
		}
		for (int k = 0; k < u->n_audio_in; ++k) {
			if (c->connected[k] && !taken[k]) {
				out_buf[o] = c->work[k];
				taken[k] = true;
				break;
			}
		}
	}
	for (int k = 0; k < u->n_control_in; ++k) {
		u->control[k] = (float)c->control[k];
	}
	host_unit_reset(u);
	for (uint32_t off = 0; off < FRAMES; off += block) {
		const uint32_t n = FRAMES - off < block ? FRAMES - off : block;
		for (int k = 0; k < u->n_audio_in; ++k) {
			lilv_instance_connect_port(u->instance, u->audio_in[k],
			                           c->connected[k] ? c->work[k] + off : NULL);
		}
		for (int o = 0; o < u->n_audio_out; ++o) {
			lilv_instance_connect_port(u->instance, u->audio_out[o], out_buf[o] + off);
		}
		lilv_instance_run(u->instance, n);
	}

	int bad = 0;
	for (int o = 0; o < u->n_audio_out; ++o) {
		for (int i = 0; i < FRAMES; ++i) {
			const double got = out_buf[o][i];
			const double want = c->expected[o][i];
			const double tol = 1e-5 + 1e-5 * fabs(want) + c->bound[o][i];
			if (!isfinite(got) || !(isinf(tol) || fabs(got - want) <= tol)) {
				if (bad < 3) {
					fprintf(stderr,
					        "%s: output %d frame %d: got %.9g, want %.9g\n",
					        label, o, i, got, want);
				}
				++bad;
			}
		}
	}
	return bad;
}

/* The plugin's ports as lilv reads them from the bundle must be the
 * reference's: same count, and index for index the same symbol, kind and, for
 * controls, range, default and integer property. */
static bool
same_ports(const host *h, const char *name, const ref_plugin *rp)
{
	const LilvPlugin *p = host_plugin(h, name);
	if (!p) {
		return false;
	}
	LilvNode *integer = lilv_new_uri(h->world, LV2_CORE__integer);
	const int n = (int)lilv_plugin_get_num_ports(p);
	bool same = true;
	if (n != ref_port_count(rp)) {
		fprintf(stderr, "FAIL %s: %d ports in the bundle, %d in the reference\n", name, n,
		        ref_port_count(rp));
		same = false;
	}
	for (int i = 0; i < n && i < ref_port_count(rp); ++i) {
		const LilvPort *port = lilv_plugin_get_port_by_index(p, (uint32_t)i);
		const ref_port *want = ref_port_at(rp, i);
		const char *sym = lilv_node_as_string(lilv_port_get_symbol(p, port));
		const bool in = lilv_port_is_a(p, port, h->input_port);
		const bool audio = lilv_port_is_a(p, port, h->audio_port);
		const bool control = lilv_port_is_a(p, port, h->control_port);
		const ref_port_kind kind = audio && in     ? REF_AUDIO_IN
		                           : audio         ? REF_AUDIO_OUT
		                           : control && in ? REF_CONTROL_IN
		                                           : (ref_port_kind)-1;
		if (strcmp(sym, want->symbol) || kind != want->kind) {
			fprintf(stderr,
			        "FAIL %s port %d: '%s' (kind %d) in the bundle, '%s' (kind %d) "
			        "in the reference\n",
			        name, i, sym, (int)kind, want->symbol, (int)want->kind);
			same = false;
			continue;
		}
		if (kind != REF_CONTROL_IN) {
			continue;
		}
		LilvNode *def = NULL, *min = NULL, *max = NULL;
		lilv_port_get_range(p, port, &def, &min, &max);
		const bool is_int = lilv_port_has_property(p, port, integer);
		if (!def || !min || !max || lilv_node_as_float(min) != (float)want->min ||
		    lilv_node_as_float(def) != (float)want->def ||
		    lilv_node_as_float(max) != (float)want->max || is_int != want->integer) {
			fprintf(stderr,
			        "FAIL %s port %s: range [%g, %g] default %g%s in the bundle, "
			        "[%g, %g] default %g%s in the reference\n",
			        name, sym, min ? lilv_node_as_float(min) : NAN,
			        max ? lilv_node_as_float(max) : NAN,
			        def ? lilv_node_as_float(def) : NAN, is_int ? " integer" : "",
			        want->min, want->max, want->def, want->integer ? " integer" : "");
			same = false;
		}
		lilv_node_free(def);
		lilv_node_free(min);
		lilv_node_free(max);
	}
	lilv_node_free(integer);
	return same;
}

static int
test_plugin(const host *h, const char *name, const ref_plugin *rp, config *c, rng *r)
{
	int failures = 0, runs = 0;
	bound_stats st = {0, 0, 0, 0.0};
	for (size_t ri = 0; ri < sizeof rates / sizeof rates[0]; ++ri) {
		host_unit u;
		if (!host_unit_new(&u, h, name, rates[ri])) {
			fprintf(stderr, "FAIL %s: cannot host it at %g Hz\n", name, rates[ri]);
			return 1;
		}
		ref_instance *ref = ref_instantiate(rp, rates[ri]);
		if (!ref) {
			fprintf(stderr, "FAIL %s: cannot instantiate the reference\n", name);
			host_unit_free(&u);
			return 1;
		}
		const bool has_act = ref_port_index(rp, "act") >= 0;
		/* Variant 0 connects every input; the others leave some unconnected (and
		 * with an act control, each takes the next activation). */
		const int variants = has_act ? 6 : 2;
		for (int kind = 0; kind < N_KINDS; ++kind) {
			for (int variant = 0; variant < variants; ++variant) {
				const int act = has_act ? variant : 0;
				/* step and sign jump at S = 0: compare them on exact data only */
				if (kind == CONTINUOUS && has_act && (act == 1 || act == 2)) {
					continue;
				}
				make_config(c, rp, &u, (config_kind)kind, act, variant == 0, r);
				compute_expected(c, ref, &u, &st);
				for (size_t bi = 0; bi < sizeof blocks / sizeof blocks[0]; ++bi) {
					for (int in_place = 0; in_place < 2; ++in_place) {
						char label[160];
						snprintf(label, sizeof label,
						         "%s rate %g block %u %s %s act %d %s",
						         name, rates[ri], blocks[bi],
						         in_place ? "in-place" : "separate",
						         kind_names[kind], act,
						         variant == 0 ? "all connected"
						                      : "some unconnected");
						const int bad = run_config(c, &u, blocks[bi],
						                           in_place, label);
						failures += bad != 0;
						++runs;
					}
				}
			}
		}
		ref_free(ref);
		host_unit_free(&u);
	}
	printf("%-17s %4d runs of %d frames, %d failed; float bound: %.2g%% of output frames "
	       "open, %.2g%% wider than the tolerance, widest %.3g\n",
	       name, runs, FRAMES, failures, 100.0 * (double)st.open / (double)st.frames,
	       100.0 * (double)st.loose / (double)st.frames, st.widest);
	return failures;
}

int
main(void)
{
	host h;
	if (!host_open(&h)) {
		return 1;
	}
	const char *names[HOST_MAX_PLUGINS];
	const int n = host_bundle(&h, names, HOST_MAX_PLUGINS);
	if (n == 0) {
		host_close(&h);
		return 1;
	}
	config *c = calloc(1, sizeof *c);
	rng r = {0x9e3779b97f4a7c15ull};
	int failures = 0;
	for (int p = 0; p < n; ++p) {
		const ref_plugin *rp = ref_plugin_find(names[p]);
		if (!rp) {
			fprintf(stderr,
			        "FAIL %s: in the bundle but not in the reference: add its "
			        "entry to tests/reference/ref.c from docs/PORTS.md\n",
			        names[p]);
			printf("%-17s FAILED: no reference entry\n", names[p]);
			++failures;
		} else if (!same_ports(&h, names[p], rp)) {
			printf("%-17s FAILED: ports differ from the reference\n", names[p]);
			++failures;
		} else {
			failures += test_plugin(&h, names[p], rp, c, &r);
		}
	}
	/* The other way round: a documented plugin lilv did not list was dropped
	 * (a TTL mistake) or never built, and would otherwise go untested. */
	for (int i = 0; i < ref_plugin_count(); ++i) {
		const char *name = ref_plugin_name(ref_plugin_at(i));
		bool found = false;
		for (int p = 0; p < n; ++p) {
			found |= !strcmp(names[p], name);
		}
		/* (unless left out on purpose: host_bundle says so) */
		if (!found &&
		    !(getenv("QK_HOST_MAX_PORTS") &&
		      ref_port_count(ref_plugin_at(i)) > atoi(getenv("QK_HOST_MAX_PORTS")))) {
			fprintf(stderr, "FAIL %s: in the reference but not in the bundle\n", name);
			++failures;
		}
	}
	free(c);
	host_close(&h);
	return failures ? 1 : 0;
}
