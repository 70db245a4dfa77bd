/* SPDX-License-Identifier: ISC */
/* The stateful kernels give the same output, bit for bit, whether or not the FPU flushes
 * denormals (valgrind, non-x86 hosts and tools calling dsp/ directly do not), while a state
 * decays through the smallest floats and while inputs are denormal; and no output is ever a
 * denormal. The plugins' run() sets FTZ|DAZ itself; this calls the kernels directly, once
 * with the flags clear and once with them set. */
#include "delay.h"
#include "fast_weight.h"
#include "leaky.h"
#include "slow_gate.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#define HAVE_MXCSR 1
#endif

#define BLOCK 512u
#define FRAMES (80u * BLOCK)

typedef struct {
	float in[4][FRAMES];  /* x (or in) streams */
	float aux[5][FRAMES]; /* keys and the write (fast weight), the gate (slow gate) */
	float out[6][FRAMES]; /* leaky, A_1, fast weight, slow gate out and level, delay */
} bufs;

static bufs flushed, kept;
static int failures;

static void
set_ftz(bool on)
{
#ifdef HAVE_MXCSR
	const unsigned int csr = _mm_getcsr();
	_mm_setcsr(on ? (csr | 0x8040u) : (csr & ~0x8040u));
#else
	(void)on;
#endif
}

/* A burst of tiny values, then silence: the states decay through FLT_MIN. The streams that
 * only feed a state (keys, write, gate, the delay's input) also carry denormals, which the
 * kernels sanitise. The x streams do not: a denormal x next to a normal term of the same sum
 * changes its last bits unless the FPU treats it as 0, which is why run() sets DAZ (that
 * denormal inputs read 0 through run() is tested through lilv, test_stateful.c). */
static void
tiny_inputs(bufs *b)
{
	memset(b, 0, sizeof *b);
	for (uint32_t i = 0; i < FRAMES; ++i) {
		const float burst = i < 16 ? 3e-36f : 0.0f;
		for (int k = 0; k < 4; ++k) {
			b->in[k][i] = burst;
			b->aux[k][i] = burst + (i % 7 == 0 ? 1e-40f : 0.0f);
		}
		b->in[1][i] =
		        1.0f; /* a full-size stream times a tiny state: out = in * G, A_2 x_2 */
		b->aux[4][i] = i < 16 ? 1.0f : (i % 5 == 0 ? -1e-41f : 0.0f); /* A_j += 3e-36 */
	}
}

static void
run_kernels(bufs *b)
{
	float ring[64];
	qk_delay_line line = {ring, 64, 0};
	qk_delay_clear(&line);
	const qk_unit linear = qk_unit_from_controls((const float[4]){1, 0, 1, 1}, 0, 1, 0);
	const qk_decay slow = {0.9995, 0.0005}, none = {0.0, 1.0};
	double s = 0.0, g = 0.0, a[4] = {0};
	for (uint32_t off = 0; off < FRAMES; off += BLOCK) {
		const float *x[4] = {b->in[0] + off, b->in[1] + off, b->in[2] + off,
		                     b->in[3] + off};
		const float *k[4] = {b->aux[0] + off, b->aux[1] + off, b->aux[2] + off,
		                     b->aux[3] + off};
		float *fast[4] = {b->out[1] + off, NULL, NULL, NULL};
		qk_leaky(&linear, 1.0f, slow, &s, x, NULL, b->out[0] + off, BLOCK);
		qk_fast_weight(&linear, slow.alpha, 1.0, a, x, k, b->aux[4] + off, b->out[2] + off,
		               fast, BLOCK);
		qk_slow_gate(none, slow, &g, b->in[1] + off, b->aux[0] + off, b->out[3] + off,
		             b->out[4] + off, BLOCK);
		qk_delay(&line, 37, b->aux[1] + off, b->out[5] + off, BLOCK);
	}
}

static void
check(bool ok, const char *what)
{
	printf("%s %s\n", ok ? "ok  " : "FAIL", what);
	failures += !ok;
}

int
main(void)
{
#ifndef HAVE_MXCSR
	printf("not x86: the FPU's denormal mode cannot be switched here; nothing to compare\n");
	return 0;
#else
	tiny_inputs(&flushed);
	tiny_inputs(&kept);
	set_ftz(true);
	run_kernels(&flushed);
	set_ftz(false);
	run_kernels(&kept);
	check(memcmp(flushed.out, kept.out, sizeof kept.out) == 0,
	      "leaky, fast-weight, slow-gate and delay: the same bits with FTZ|DAZ on and off");
	for (int k = 0; k < 6; ++k) {
		for (uint32_t i = 0; i < FRAMES; ++i) {
			if (memcmp(&flushed.out[k][i], &kept.out[k][i], sizeof(float))) {
				printf("  output %d differs first at frame %u: %g (FTZ) vs %g\n", k,
				       i, flushed.out[k][i], kept.out[k][i]);
				break;
			}
		}
	}
	bool normal = true, moved = false;
	for (int k = 0; k < 6; ++k) {
		for (uint32_t i = 0; i < FRAMES; ++i) {
			const float v = kept.out[k][i];
			normal &= v == 0.0f || fabsf(v) >= FLT_MIN;
			moved |= v != 0.0f && fabsf(v) < 1e-37f; /* the decay reached the bottom */
		}
	}
	check(normal, "no output is ever a denormal, with FTZ|DAZ off");
	check(moved, "the states did decay to within a factor 10 of FLT_MIN (the test means it)");
	bool zero_at_end = true;
	for (int k = 0; k < 6; ++k) {
		zero_at_end &= kept.out[k][FRAMES - 1] == 0.0f;
	}
	check(zero_at_end, "every decaying state has reached exactly 0");
	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
#endif
}
