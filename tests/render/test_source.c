/* SPDX-License-Identifier: ISC */
/* The built-in sources (dsp/source.c) against values worked out by hand from docs/graph.md, the
 * published SplitMix64 sequence, and block-size independence. */
#include "check.h"
#include "source.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void
expect(const char *what, qk_source s, const float *want, int n)
{
	float got[16];
	qk_source_process(&s, got, (uint32_t)n);
	for (int i = 0; i < n; i++)
		CHECK(fabsf(got[i] - want[i]) <= 1e-6f, "%s[%d] = %.9g, expected %.9g", what, i,
		      got[i], want[i]);
}

static void
hand_values(void)
{
	qk_source s = qk_source_make(QK_SRC_PULSE);
	s.period = 4;
	expect("pulse", s, (const float[]){1, 1, 0, 0, 1, 1, 0, 0}, 8);
	s.phase = 0.25; /* position n/4 + 1/4: high while the fraction is below 0.5 */
	expect("pulse phase", s, (const float[]){1, 0, 0, 1, 1, 0, 0, 1}, 8);
	s.phase = 0;
	s.duty = 0.25;
	s.low = -1;
	s.high = 2;
	expect("pulse duty", s, (const float[]){2, -1, -1, -1, 2, -1}, 6);

	qk_source r = qk_source_make(QK_SRC_RAMP);
	r.period = 4;
	r.from = -1;
	r.to = 1;
	expect("ramp", r, (const float[]){-1, -0.5f, 0, 0.5f, -1, -0.5f}, 6);

	qk_source w = qk_source_make(QK_SRC_SINE);
	w.freq = 0.25; /* a quarter cycle per sample */
	w.amp = 2;
	w.offset = 0.5;
	expect("sine", w, (const float[]){0.5f, 2.5f, 0.5f, -1.5f, 0.5f}, 5);
	w.phase = 0.25;
	expect("sine phase", w, (const float[]){2.5f, 0.5f, -1.5f, 0.5f}, 4);

	qk_source c = qk_source_make(QK_SRC_CONSTANT);
	c.value = -0.75;
	expect("constant", c, (const float[]){-0.75f, -0.75f, -0.75f}, 3);
}

/* SplitMix64 from seed 0 starts e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f (the
 * reference implementation's published output); the noise keeps the top 24 bits. */
static void
noise_sequence(void)
{
	static const uint64_t published[] = {UINT64_C(0xe220a8397b1dcdaf),
	                                     UINT64_C(0x6e789e6aa1b965f4),
	                                     UINT64_C(0x06c45d188009454f)};
	for (uint64_t i = 0; i < 3; i++) {
		double want = (double)(published[i] >> 40) / 8388608.0 - 1.0;
		CHECK(qk_noise_at(0, i) == want, "noise_at(0, %d) = %.17g, expected %.17g", (int)i,
		      qk_noise_at(0, i), want);
	}
	double lo = 1, hi = -1, sum = 0;
	for (uint64_t i = 0; i < 100000; i++) {
		double v = qk_noise_at(42, i);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
	}
	CHECK(lo >= -1.0 && hi < 1.0 && lo < -0.999 && hi > 0.999, "noise range [%g, %g]", lo, hi);
	CHECK(fabs(sum / 100000) < 0.01, "noise mean %g", sum / 100000);
	CHECK(qk_noise_at(1, 0) != qk_noise_at(2, 0), "seeds give the same noise");
}

/* Any block size and any seek give the same samples as one long block. */
static void
blocks_and_seek(void)
{
	enum { N = 1000 };
	qk_source kinds[5];
	for (int k = 0; k < 5; k++) {
		kinds[k] = qk_source_make((qk_source_kind)k);
		kinds[k].period = 37.3;
		kinds[k].phase = 0.2;
		kinds[k].freq = 0.0123;
		kinds[k].value = 0.5;
		kinds[k].seed = 9;
	}
	static const uint32_t sizes[] = {1, 7, 64, 333};
	for (int k = 0; k < 5; k++) {
		float whole[N], pieces[N];
		qk_source s = kinds[k];
		qk_source_process(&s, whole, N);
		CHECK(s.pos == N, "position %llu after %d frames", (unsigned long long)s.pos, N);
		for (size_t b = 0; b < sizeof sizes / sizeof sizes[0]; b++) {
			qk_source t = kinds[k];
			for (uint32_t at = 0; at < N; at += sizes[b])
				qk_source_process(&t, pieces + at,
				                  at + sizes[b] <= N ? sizes[b] : N - at);
			CHECK(memcmp(whole, pieces, sizeof whole) == 0,
			      "kind %d differs at block %u", k, sizes[b]);
		}
		qk_source u = kinds[k];
		float part[10];
		qk_source_seek(&u, 500);
		qk_source_process(&u, part, 10);
		CHECK(memcmp(part, whole + 500, sizeof part) == 0, "kind %d differs after a seek",
		      k);
	}
}

int
main(void)
{
	hand_values();
	noise_sequence();
	blocks_and_seek();
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures != 0;
}
