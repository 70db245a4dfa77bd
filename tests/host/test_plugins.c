/* Every quark plugin, loaded through lilv, against the independent double
 * reference (tests/reference): three sample rates, block sizes 1 to 8192,
 * separate and in-place buffers, unconnected optional inputs, out-of-range
 * controls, and NaN/Inf/denormal/huge inputs. */
#include "host.h"
#include "ref.h"
#include "rng.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES (2 * 8192 + 37) /* two of the largest blocks and a ragged end */

static const char *const plugins[] = {
	"neuron", "output-gate", "synaptic-gate", "activation-gate",
	"additive-output", "additive-synapse", "softmax",
};
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
	float out[HOST_MAX_PORTS][FRAMES];
	float work[HOST_MAX_PORTS][FRAMES]; /* inputs as the plugin sees them */
} config;

static bool
is_symbol(const host *h, const host_unit *u, int k, const char *symbol)
{
	return host_control_index(u, h, symbol) == k;
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
make_config(config *c, const host *h, const host_unit *u, config_kind kind,
            int act_choice, bool all_connected, rng *r)
{
	for (int k = 0; k < u->n_audio_in; ++k) {
		c->connected[k] = all_connected || rng_next(r) % 4 != 0;
		for (int i = 0; i < FRAMES; ++i) {
			c->in[k][i] = (float)(kind == DYADIC || kind == OUT_OF_RANGE
			                          ? rng_dyadic(r, -2, 2, 64)
			                          : rng_uniform(r, -1.5, 1.5));
		}
	}
	if (kind == HOSTILE) {
		/* one bad value in one input every few frames, so every bad value
		 * meets every kind of input */
		for (int i = 0; i < FRAMES; i += 3) {
			c->in[rng_next(r) % (uint64_t)u->n_audio_in][i] = (float)bad_value(r);
		}
	}
	/* Out-of-range runs stay on exact data: clamped weights of 100 and slopes
	 * of 100 make float rounding of continuous data visible. */
	const bool exact = kind == DYADIC || kind == OUT_OF_RANGE;
	for (int k = 0; k < u->n_control_in; ++k) {
		double v;
		if (is_symbol(h, u, k, "act")) {
			v = act_choice;
		} else if (is_symbol(h, u, k, "temp")) {
			v = exact ? rng_dyadic(r, 0.25, 4, 4) : rng_uniform(r, 0.05, 5);
		} else if (is_symbol(h, u, k, "slope")) {
			v = exact ? rng_dyadic(r, 0.25, 4, 4) : rng_uniform(r, -4, 4);
		} else {
			v = exact ? rng_dyadic(r, -4, 4, 8) : rng_uniform(r, -2, 2);
		}
		if (kind == OUT_OF_RANGE) {
			/* far outside the declared range, either side, or NaN */
			static const double wild[] = {1e6, -1e6, 1e30, -1e30, 1000.5, NAN};
			if (rng_next(r) % 2) {
				v = wild[rng_next(r) % (sizeof wild / sizeof wild[0])];
			}
			if (is_symbol(h, u, k, "act")) {
				v = (act_choice % 2) ? 17.0 : -3.0;
			}
		}
		c->control[k] = v;
	}
}

static void
compute_expected(config *c, const char *name, const host_unit *u)
{
	double in[HOST_MAX_PORTS], out[HOST_MAX_PORTS];
	for (int i = 0; i < FRAMES; ++i) {
		for (int k = 0; k < u->n_audio_in; ++k) {
			in[k] = c->in[k][i];
		}
		ref_sample(name, in, c->connected, c->control, out);
		for (int o = 0; o < u->n_audio_out; ++o) {
			c->expected[o][i] = out[o];
		}
	}
}

/* Run the instance over the config in blocks, reconnecting every block as
 * hosts do. In place: output o writes into the buffer of connected input o
 * (or of the first connected input). Returns the number of mismatches. */
static int
run_config(config *c, host_unit *u, uint32_t block, bool in_place, const char *label)
{
	float *out_buf[HOST_MAX_PORTS];
	int first_connected = -1;
	for (int k = 0; k < u->n_audio_in; ++k) {
		memcpy(c->work[k], c->in[k], sizeof c->work[k]);
		if (c->connected[k] && first_connected < 0) {
			first_connected = k;
		}
	}
	for (int o = 0; o < u->n_audio_out; ++o) {
		out_buf[o] = c->out[o];
		if (in_place && o < u->n_audio_in && c->connected[o]) {
			out_buf[o] = c->work[o];
		} else if (in_place && o == 0 && first_connected >= 0) {
			out_buf[o] = c->work[first_connected];
		}
	}
	for (int k = 0; k < u->n_control_in; ++k) {
		u->control[k] = (float)c->control[k];
	}
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
			const double tol = 1e-5 + 1e-5 * fabs(want);
			if (!isfinite(got) || !(fabs(got - want) <= tol)) {
				if (bad < 3) {
					fprintf(stderr, "%s: output %d frame %d: got %.9g, want %.9g\n",
					        label, o, i, got, want);
				}
				++bad;
			}
		}
	}
	return bad;
}

static int
test_plugin(const host *h, const char *name, config *c, rng *r)
{
	int failures = 0, runs = 0;
	for (size_t ri = 0; ri < sizeof rates / sizeof rates[0]; ++ri) {
		host_unit u;
		if (!host_unit_new(&u, h, name, rates[ri])) {
			return 1;
		}
		const bool has_act = host_control_index(&u, h, "act") >= 0;
		for (int kind = 0; kind < N_KINDS; ++kind) {
			for (int act = 0; act < (has_act ? 6 : 1); ++act) {
				/* step and sign jump at S = 0: compare them on exact data only */
				if (kind == CONTINUOUS && (act == 1 || act == 2)) {
					continue;
				}
				make_config(c, h, &u, (config_kind)kind, act, act == 0, r);
				compute_expected(c, name, &u);
				for (size_t bi = 0; bi < sizeof blocks / sizeof blocks[0]; ++bi) {
					for (int in_place = 0; in_place < 2; ++in_place) {
						char label[160];
						snprintf(label, sizeof label,
						         "%s rate %g block %u %s %s act %d", name, rates[ri],
						         blocks[bi], in_place ? "in-place" : "separate",
						         kind_names[kind], act);
						const int bad = run_config(c, &u, blocks[bi], in_place, label);
						failures += bad != 0;
						++runs;
					}
				}
			}
		}
		host_unit_free(&u);
	}
	printf("%-17s %4d runs of %d frames, %d failed\n", name, runs, FRAMES, failures);
	return failures;
}

int
main(void)
{
	host h;
	if (!host_open(&h)) {
		return 1;
	}
	config *c = calloc(1, sizeof *c);
	rng r = {0x9e3779b97f4a7c15ull};
	int failures = 0;
	for (size_t p = 0; p < sizeof plugins / sizeof plugins[0]; ++p) {
		failures += test_plugin(&h, plugins[p], c, &r);
	}
	free(c);
	host_close(&h);
	return failures ? 1 : 0;
}
