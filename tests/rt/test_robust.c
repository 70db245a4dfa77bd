/* SPDX-License-Identifier: ISC */
/* Robustness sweep of every plugin of the bundle (every plugin lilv lists
 * under the base URI), with no knowledge of any plugin beyond what lilv says:
 * hostile inputs (NaN, +-Inf, 1e30, denormals, +-FLT_MAX), control values
 * anywhere in and outside their lilv ranges and non-finite ones, every block
 * size 1..64 and random ones up to 8192, sample rates 8 kHz..384 kHz, in place
 * and unconnected, activate/deactivate/run in any order, many instances at
 * once. Plugins without audio inputs (sources) go through the same. Every
 * output sample must be finite; the exact values are checked against the
 * reference in tests/host/test_plugins.c. */
#include "host.h"
#include "rng.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 8192
#define INSTANCES 64

static const double rates[] = {8000, 22050, 44100, 192000, 384000};

static float
hostile(rng *r)
{
	static const float values[] = {NAN,   INFINITY, -INFINITY, FLT_MAX, -FLT_MAX,
	                               1e30f, -1e30f,   1e-40f,    -1e-45f, FLT_MIN,
	                               1e20f, -1e20f,   0.0f,      1.0f};
	return values[rng_next(r) % (sizeof values / sizeof values[0])];
}

/* A value for control k: one of the wild ones, or anywhere in its lilv range
 * (its ends included), or just outside it, or far outside it. */
static float
control_value(const host_unit *u, int k, rng *r)
{
	static const float wild[] = {NAN,  INFINITY, -INFINITY, FLT_MAX, -FLT_MAX, 1e-40f,
	                             0.0f, -0.0f,    1e9f,      -1e9f,   0.5f,     2.5f};
	const double lo = u->minimum[k], hi = u->maximum[k];
	const bool ranged = isfinite(lo) && isfinite(hi) && lo <= hi;
	const double span = ranged ? hi - lo : 1.0;
	switch (ranged ? rng_next(r) % 6 : 0) {
	case 0: return wild[rng_next(r) % (sizeof wild / sizeof wild[0])];
	case 1: return (float)lo;
	case 2: return (float)hi;
	case 3: return (float)rng_uniform(r, lo, hi);
	case 4:
		return (float)(rng_next(r) % 2 ? lo - rng_uniform(r, 0, span)
		                               : hi + rng_uniform(r, 0, span));
	default: return (float)(rng_next(r) % 2 ? lo - 1e3 * span : hi + 1e3 * span);
	}
}

static int
check_finite(const char *what, float *const *out, int n_out, uint32_t n, int failed_so_far)
{
	for (int o = 0; o < n_out; ++o) {
		for (uint32_t i = 0; i < n; ++i) {
			if (!isfinite(out[o][i])) {
				if (failed_so_far <
				    3) { /* the first few say what; the count says how often */
					fprintf(stderr, "%s: output %d frame %u is %g\n", what, o,
					        i, out[o][i]);
				}
				return 1;
			}
		}
	}
	return 0;
}

static int
sweep_plugin(const host *h, const char *name, rng *r)
{
	static float buf[HOST_MAX_PORTS][FRAMES];
	int failures = 0;
	for (size_t ri = 0; ri < sizeof rates / sizeof rates[0]; ++ri) {
		host_unit u;
		if (!host_unit_new(&u, h, name, rates[ri])) {
			return 1;
		}
		for (int pass = 0; pass < 8; ++pass) {
			for (int k = 0; k < u.n_control_in; ++k) {
				u.control[k] = control_value(&u, k, r);
			}
			for (int k = 0; k < u.n_audio_in; ++k) {
				for (int i = 0; i < FRAMES; ++i) {
					buf[k][i] = rng_next(r) % 2 ? hostile(r)
					                            : (float)rng_uniform(r, -3, 3);
				}
			}
			float *in[HOST_MAX_PORTS], *out[HOST_MAX_PORTS];
			for (int k = 0; k < u.n_audio_in; ++k) {
				in[k] = rng_next(r) % 4 ? buf[k] : NULL;
			}
			for (int o = 0; o < u.n_audio_out; ++o) {
				/* odd passes run in place on input o's buffer */
				out[o] = (pass % 2 && o < u.n_audio_in) ? buf[o]
				                                        : buf[u.n_audio_in + o];
			}
			char what[128];
			/* every block size 1..64 on the first frames, then random sizes up to
			 * 8192 over the rest (a ragged last block), then the whole buffer as
			 * one block of 8192 */
			uint32_t off = 0, block = 1;
			while (off < FRAMES) {
				const uint32_t n = FRAMES - off < block ? FRAMES - off : block;
				float *in_at[HOST_MAX_PORTS], *out_at[HOST_MAX_PORTS];
				for (int k = 0; k < u.n_audio_in; ++k) {
					in_at[k] = in[k] ? in[k] + off : NULL;
				}
				for (int o = 0; o < u.n_audio_out; ++o) {
					out_at[o] = out[o] + off;
				}
				host_unit_run(&u, in_at, out_at, n);
				snprintf(what, sizeof what, "%s rate %g pass %d block %u at %u",
				         name, rates[ri], pass, n, off);
				failures += check_finite(what, out_at, u.n_audio_out, n, failures);
				off += n;
				block = block < 64 ? block + 1
				                   : 1 + (uint32_t)(rng_next(r) % FRAMES);
			}
			host_unit_run(&u, in, out, FRAMES);
			snprintf(what, sizeof what, "%s rate %g pass %d block %d", name, rates[ri],
			         pass, FRAMES);
			failures += check_finite(what, out, u.n_audio_out, FRAMES, failures);
		}
		/* deactivate, run anyway, reactivate twice, run: no crash, finite */
		lilv_instance_deactivate(u.instance);
		float *in[HOST_MAX_PORTS] = {0}, *out[HOST_MAX_PORTS];
		for (int o = 0; o < u.n_audio_out; ++o) {
			out[o] = buf[u.n_audio_in + o];
		}
		host_unit_run(&u, in, out, 100);
		lilv_instance_activate(u.instance);
		lilv_instance_activate(u.instance);
		host_unit_run(&u, in, out, 100);
		failures += check_finite(name, out, u.n_audio_out, 100, failures);
		host_unit_free(&u);
	}
	return failures;
}

/* Every block size from 1 to 8192 once, at a random place in hostile buffers
 * (in place for odd sizes), with new controls every 256 sizes. */
static int
every_block_size(const host *h, const char *name, rng *r)
{
	static float buf[HOST_MAX_PORTS][FRAMES];
	host_unit u;
	if (!host_unit_new(&u, h, name, 48000)) {
		return 1;
	}
	int failures = 0;
	for (int k = 0; k < u.n_audio_in + u.n_audio_out; ++k) {
		for (int i = 0; i < FRAMES; ++i) {
			buf[k][i] = rng_next(r) % 2 ? hostile(r) : (float)rng_uniform(r, -3, 3);
		}
	}
	float *in[HOST_MAX_PORTS], *out[HOST_MAX_PORTS];
	for (uint32_t n = 1; n <= FRAMES && !failures; ++n) {
		if (n % 256 == 1) {
			for (int k = 0; k < u.n_control_in; ++k) {
				u.control[k] = control_value(&u, k, r);
			}
		}
		const uint32_t off = (uint32_t)(rng_next(r) % (FRAMES - n + 1));
		for (int k = 0; k < u.n_audio_in; ++k) {
			in[k] = rng_next(r) % 4 ? buf[k] + off : NULL;
		}
		for (int o = 0; o < u.n_audio_out; ++o) {
			out[o] = (n % 2 && o < u.n_audio_in && in[o] ? buf[o]
			                                             : buf[u.n_audio_in + o]) +
			         off;
		}
		host_unit_run(&u, in, out, n);
		char what[128];
		snprintf(what, sizeof what, "%s block %u (every size)", name, n);
		failures += check_finite(what, out, u.n_audio_out, n, failures);
		/* in place overwrote an input: hostile again where it was written */
		for (int o = 0; o < u.n_audio_out && n % 2; ++o) {
			for (uint32_t i = 0; o < u.n_audio_in && in[o] && i < n; ++i) {
				buf[o][off + i] =
				        rng_next(r) % 2 ? hostile(r) : (float)rng_uniform(r, -3, 3);
			}
		}
	}
	host_unit_free(&u);
	return failures;
}

/* Many instances alive at once, each run with its own buffers: no shared
 * state between instances may leak from one to another. Each comparison starts
 * instance 0 afresh (deactivate, activate), so a plugin with state (a delay,
 * an oscillator's phase) is held to the same thing: equal from activation. */
static int
many_instances(const host *h, const char *name)
{
	static host_unit units[INSTANCES];
	static float in_buf[INSTANCES][256], out_buf[INSTANCES][HOST_MAX_PORTS][256];
	int failures = 0;
	for (int n = 0; n < INSTANCES; ++n) {
		if (!host_unit_new(&units[n], h, name, 48000)) {
			return 1;
		}
		for (int i = 0; i < 256; ++i) {
			in_buf[n][i] = (float)n; /* each instance sees its own constant */
		}
	}
	for (int n = 0; n < INSTANCES; ++n) {
		float *in[HOST_MAX_PORTS], *out[HOST_MAX_PORTS];
		for (int k = 0; k < units[n].n_audio_in; ++k) {
			in[k] = in_buf[n];
		}
		for (int o = 0; o < units[n].n_audio_out; ++o) {
			out[o] = out_buf[n][o];
		}
		host_unit_run(&units[n], in, out, 256);
	}
	/* Instance 0, run again on instance n's input with the same controls,
	 * must give exactly instance n's output, bit for bit (so a NaN equals a
	 * NaN here: finiteness is the sweep's business). */
	for (int n = 1; n < INSTANCES; ++n) {
		float check[HOST_MAX_PORTS][256];
		float *in[HOST_MAX_PORTS], *out[HOST_MAX_PORTS];
		for (int k = 0; k < units[0].n_audio_in; ++k) {
			in[k] = in_buf[n];
		}
		for (int o = 0; o < units[0].n_audio_out; ++o) {
			out[o] = check[o];
		}
		host_unit_reset(&units[0]);
		host_unit_run(&units[0], in, out, 256);
		for (int o = 0; o < units[0].n_audio_out; ++o) {
			if (memcmp(check[o], out_buf[n][o], sizeof check[o]) != 0) {
				if (failures < 3) {
					fprintf(stderr,
					        "%s: instance %d output %d differs from instance "
					        "0's\n",
					        name, n, o);
				}
				++failures;
				break;
			}
		}
	}
	for (int n = 0; n < INSTANCES; ++n) {
		host_unit_free(&units[n]);
	}
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
	rng r = {2024};
	int failures = n == 0;
	for (int p = 0; p < n; ++p) {
		const int f = sweep_plugin(&h, names[p], &r) + every_block_size(&h, names[p], &r) +
		              many_instances(&h, names[p]);
		if (f) {
			printf("%-17s FAILED: %d runs with a non-finite output or instances that "
			       "differ\n",
			       names[p], f);
		} else {
			printf("%-17s finite everywhere, instances independent\n", names[p]);
		}
		failures += f;
	}
	host_close(&h);
	return failures ? 1 : 0;
}
