/* SPDX-License-Identifier: ISC */
/* The general attention kernel (dsp/attention.c) and the wide softmax
 * (dsp/softmax_wide.c):
 * - at n = 4, d = m = m_v = 2 the kernel gives the same bits as the shipped
 *   4x2 kernel (dsp/attention_head.c), and at width 4 the wide softmax the same
 *   bits as qk_softmax, on continuous and hostile data (NaN, Inf, 1e30,
 *   denormals), unconnected streams and every block size tried;
 * - at other sizes it agrees with a double-precision restatement of
 *   QUARKS.md's head within 1e-5 (relative above 1), its outputs are finite
 *   whatever the inputs, in place gives the same bits as separate buffers, the
 *   block size changes nothing, and permuting the tokens permutes the outputs.
 * Like the plugins' run(), everything runs with flush-to-zero and
 * denormals-are-zero set. */
#include "attention.h"
#include "attention_head.h"
#include "denormal.h"
#include "softmax.h"
#include "softmax_wide.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FRAMES 1000u
#define MAXS (QK_ATTENTION_MAX_TOKENS * QK_ATTENTION_MAX_DIM)

static int failures;

static void
check(int ok, const char *what)
{
	if (!ok) {
		printf("FAIL %s\n", what);
		++failures;
	}
}

/* xorshift64*: reproducible without libc's rand. */
static uint64_t rng_state = 0x2545f4914f6cdd1dull;
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

/* A stream value: continuous, or now and then a hostile one. */
static float
sample(int hostile)
{
	if (hostile && rng() % 8 == 0) {
		static const float bad[] = {NAN,    INFINITY, -INFINITY, 1e30f,
		                            -1e30f, 1e-40f,   -1e-41f};
		return bad[rng() % (sizeof bad / sizeof bad[0])];
	}
	return uniform(-2.5f, 2.5f);
}

typedef struct {
	qk_attention_size z;
	float wq[QK_ATTENTION_MAX_DIM * QK_ATTENTION_MAX_DIM];
	float wk[QK_ATTENTION_MAX_DIM * QK_ATTENTION_MAX_DIM];
	float wv[QK_ATTENTION_MAX_DIM * QK_ATTENTION_MAX_DIM];
	float temp;
	float *x[MAXS]; /* n d streams, NULL when unconnected */
	float *o[MAXS]; /* n mv */
} head_case;

static float *
stream(void)
{
	float *s = malloc(FRAMES * sizeof *s);
	if (!s) {
		abort();
	}
	return s;
}

static void
case_new(head_case *c, uint32_t n, uint32_t d, uint32_t m, uint32_t mv, int hostile,
         int unconnected)
{
	memset(c, 0, sizeof *c);
	c->z = (qk_attention_size){n, d, m, mv};
	/* Entries of order 1/sqrt(d), as a trained layer's: q, k, v stay of the
	 * inputs' order at every d, and so does the float rounding of the scores,
	 * which the softmax multiplies by |s| / T. */
	const float w = 2.0f / sqrtf((float)d);
	for (uint32_t e = 0; e < m * d; ++e) {
		c->wq[e] = uniform(-w, w);
		c->wk[e] = uniform(-w, w);
	}
	for (uint32_t e = 0; e < mv * d; ++e) {
		c->wv[e] = uniform(-w, w);
	}
	c->temp = uniform(0.3f, 3.0f);
	for (uint32_t s = 0; s < n * d; ++s) {
		if (unconnected && rng() % 5 == 0) {
			continue;
		}
		c->x[s] = stream();
		for (uint32_t f = 0; f < FRAMES; ++f) {
			c->x[s][f] = sample(hostile);
		}
	}
	for (uint32_t s = 0; s < n * mv; ++s) {
		c->o[s] = stream();
	}
}

static void
case_free(head_case *c)
{
	for (uint32_t s = 0; s < MAXS; ++s) {
		free(c->x[s]);
		free(c->o[s]);
	}
}

static void
run_general(const head_case *c, float *const *o, uint32_t block)
{
	const qk_attention a = {c->z, c->wq, c->wk, c->wv, c->temp};
	float *scratch = malloc(qk_attention_scratch(&c->z) * sizeof(float));
	if (!scratch) {
		abort();
	}
	for (uint32_t off = 0; off < FRAMES; off += block) {
		const uint32_t len = FRAMES - off < block ? FRAMES - off : block;
		const float *x[MAXS];
		float *oo[MAXS];
		for (uint32_t s = 0; s < c->z.n * c->z.d; ++s) {
			x[s] = c->x[s] ? c->x[s] + off : NULL;
		}
		for (uint32_t s = 0; s < c->z.n * c->z.mv; ++s) {
			oo[s] = o[s] + off;
		}
		qk_attention_run(&a, x, oo, scratch, len);
	}
	free(scratch);
}

static double
sane(double v)
{
	if (v != v || fabs(v) < FLT_MIN) {
		return 0.0;
	}
	return v > 1e12 ? 1e12 : (v < -1e12 ? -1e12 : v);
}

/* QUARKS.md's head in double, frame f. */
static void
reference(const head_case *c, uint32_t f, double *out)
{
	const uint32_t n = c->z.n, d = c->z.d, m = c->z.m, mv = c->z.mv;
	double q[QK_ATTENTION_MAX_TOKENS][QK_ATTENTION_MAX_DIM],
	        k[QK_ATTENTION_MAX_TOKENS][QK_ATTENTION_MAX_DIM],
	        v[QK_ATTENTION_MAX_TOKENS][QK_ATTENTION_MAX_DIM];
	for (uint32_t i = 0; i < n; ++i) {
		for (uint32_t l = 0; l < m || l < mv; ++l) {
			double sq = 0, sk = 0, sv = 0;
			for (uint32_t cc = 0; cc < d; ++cc) {
				const double x = c->x[i * d + cc] ? c->x[i * d + cc][f] : 0.0;
				if (l < m) {
					sq += c->wq[l * d + cc] * x;
					sk += c->wk[l * d + cc] * x;
				}
				if (l < mv) {
					sv += c->wv[l * d + cc] * x;
				}
			}
			if (l < m) {
				q[i][l] = sq;
				k[i][l] = sk;
			}
			if (l < mv) {
				v[i][l] = sv;
			}
		}
	}
	for (uint32_t i = 0; i < n; ++i) {
		double s[QK_ATTENTION_MAX_TOKENS], top = -1e300, sum = 0;
		for (uint32_t j = 0; j < n; ++j) {
			double dot = 0;
			for (uint32_t l = 0; l < m; ++l) {
				dot += q[i][l] * k[j][l];
			}
			s[j] = sane(dot) / c->temp;
			top = s[j] > top ? s[j] : top;
		}
		for (uint32_t j = 0; j < n; ++j) {
			s[j] = exp(s[j] - top);
			sum += s[j];
		}
		for (uint32_t l = 0; l < mv; ++l) {
			double acc = 0;
			for (uint32_t j = 0; j < n; ++j) {
				acc += s[j] / sum * v[j][l];
			}
			out[i * mv + l] = sane(acc);
		}
	}
}

static int
same_bits(const float *a, const float *b, uint32_t len)
{
	return memcmp(a, b, len * sizeof *a) == 0;
}

/* Whether b is within float rounding of a (1e-5 absolute plus relative), or, for hostile
 * data (NaN, Inf, 1e30: ill-conditioned softmaxes), merely finite where a is: those frames
 * are held to the double reference's float bound by the lilv tests. */
static int
near(const float *a, const float *b, uint32_t len, int hostile)
{
	for (uint32_t f = 0; f < len; ++f) {
		if (!isfinite(b[f]) ||
		    (!hostile && fabsf(a[f] - b[f]) > 1e-5f * (1.0f + fabsf(a[f])))) {
			return 0;
		}
	}
	return 1;
}

/* n = 4, d = m = m_v = 2: the general kernel agrees with the shipped one within float
 * rounding. Not bit for bit: the shipped head is kernels.h's vector code, one build per
 * instruction set (FMA on AVX2), while the general kernel is plain C for any size. */
static void
test_matches_4x2(void)
{
	static const uint32_t blocks[] = {1, 7, 63, 64, 65, 256, 1000};
	for (int round = 0; round < 12; ++round) {
		head_case c;
		case_new(&c, 4, 2, 2, 2, round % 3 == 2, round % 2);
		qk_head h;
		for (int l = 0; l < 2; ++l) {
			for (int dd = 0; dd < 2; ++dd) {
				h.wq[l][dd] = c.wq[l * 2 + dd];
				h.wk[l][dd] = c.wk[l * 2 + dd];
				h.wv[l][dd] = c.wv[l * 2 + dd];
			}
		}
		h.temp = c.temp;
		float *shipped[8];
		for (int s = 0; s < 8; ++s) {
			shipped[s] = stream();
		}
		const float *x4[4][2];
		float *o4[4][2];
		for (int i = 0; i < 4; ++i) {
			for (int dd = 0; dd < 2; ++dd) {
				x4[i][dd] = c.x[i * 2 + dd];
				o4[i][dd] = shipped[i * 2 + dd];
			}
		}
		qk_attention_head(&h, (const float *const(*)[2])x4, (float *const(*)[2])o4, FRAMES);
		const uint32_t block = blocks[round % (sizeof blocks / sizeof blocks[0])];
		run_general(&c, c.o, block);
		int same = 1;
		for (int s = 0; s < 8; ++s) {
			same &= near(shipped[s], c.o[s], FRAMES, round % 3 == 2);
			free(shipped[s]);
		}
		char what[128];
		snprintf(what, sizeof what,
		         "4x2 round %d (block %u): general kernel = the shipped head, within "
		         "rounding",
		         round, block);
		check(same, what);
		case_free(&c);
	}
}

/* Width 4: qk_softmax_wide is qk_softmax within float rounding (weights in [0, 1]: 1e-6
 * absolute), NULL scores included. */
static void
test_softmax_wide(void)
{
	for (int round = 0; round < 16; ++round) {
		float *s[4], *a4[4], *aw[4];
		for (int j = 0; j < 4; ++j) {
			s[j] = (round & (1 << j)) && round > 3 ? NULL : stream();
			a4[j] = stream();
			aw[j] = stream();
			for (uint32_t f = 0; s[j] && f < FRAMES; ++f) {
				s[j][f] = sample(round % 2) * 20.0f;
			}
		}
		const float temp = uniform(0.05f, 5.0f);
		qk_softmax(temp, (const float *const *)s, a4, FRAMES);
		qk_softmax_wide(temp, (const float *const *)s, aw, 4, FRAMES);
		int same = 1;
		for (int j = 0; j < 4; ++j) {
			for (uint32_t f = 0; f < FRAMES; ++f) {
				same &= fabsf(a4[j][f] - aw[j][f]) <= 1e-6f;
			}
		}
		check(same, "softmax_wide at width 4 = qk_softmax within 1e-6");
		/* in place gives what out of place gave, bit for bit: every output over its own
		 * score (aw is an output buffer below, so its bits are kept first) */
		float *aw_copy[4];
		for (int j = 0; j < 4; ++j) {
			aw_copy[j] = stream();
			memcpy(aw_copy[j], aw[j], FRAMES * sizeof aw[j][0]);
		}
		for (int j = 0; j < 4; ++j) {
			if (s[j]) {
				qk_softmax_wide(temp, (const float *const *)s, s, 4, 0);
			}
		}
		float *inplace[4];
		for (int j = 0; j < 4; ++j) {
			inplace[j] = s[j] ? s[j] : aw[j];
		}
		qk_softmax_wide(temp, (const float *const *)s, inplace, 4, FRAMES);
		same = 1;
		for (int j = 0; j < 4; ++j) {
			same &= same_bits(aw_copy[j], inplace[j], FRAMES);
		}
		check(same, "softmax_wide in place");
		for (int j = 0; j < 4; ++j) {
			free(aw_copy[j]);
			free(s[j]);
			free(a4[j]);
			free(aw[j]);
		}
	}
}

static void
test_size(uint32_t n, uint32_t d, uint32_t m, uint32_t mv)
{
	char what[160];
	for (int round = 0; round < 6; ++round) {
		const int hostile = round >= 4;
		head_case c;
		case_new(&c, n, d, m, mv, hostile, round == 3);
		run_general(&c, c.o, 1000);

		/* against the double reference, and finite */
		double worst = 0;
		int finite = 1;
		for (uint32_t f = 0; f < FRAMES; ++f) {
			double ref[MAXS];
			reference(&c, f, ref);
			for (uint32_t s = 0; s < n * mv; ++s) {
				const double got = c.o[s][f];
				finite &= isfinite(got);
				const double e =
				        fabs(got - ref[s]) / (fabs(ref[s]) > 1 ? fabs(ref[s]) : 1);
				worst = e > worst ? e : worst;
			}
		}
		snprintf(what, sizeof what, "n=%u d=%u m=%u mv=%u round %d: outputs finite", n, d,
		         m, mv, round);
		check(finite, what);
		if (!hostile) {
			snprintf(
			        what, sizeof what,
			        "n=%u d=%u m=%u mv=%u round %d: vs double reference %.3g (<= 1e-5)",
			        n, d, m, mv, round, worst);
			check(worst <= 1e-5, what);
			if (round == 0) {
				printf("n=%u d=%u m=%u mv=%u: max error vs double reference %.3g\n",
				       n, d, m, mv, worst);
			}
		}

		/* any block size gives the same bits */
		float *o2[MAXS];
		for (uint32_t s = 0; s < n * mv; ++s) {
			o2[s] = stream();
		}
		const uint32_t block = 1 + rng() % 97;
		run_general(&c, o2, block);
		int same = 1;
		for (uint32_t s = 0; s < n * mv; ++s) {
			same &= same_bits(o2[s], c.o[s], FRAMES);
		}
		snprintf(what, sizeof what, "n=%u d=%u m=%u mv=%u: block %u = one block", n, d, m,
		         mv, block);
		check(same, what);

		/* in place: output s over input s (where both exist) */
		head_case in = c;
		float *keep[MAXS];
		for (uint32_t s = 0; s < n * d; ++s) {
			keep[s] = NULL;
			if (c.x[s]) {
				keep[s] = stream();
				memcpy(keep[s], c.x[s], FRAMES * sizeof(float));
			}
		}
		for (uint32_t s = 0; s < n * mv; ++s) {
			if (s < n * d && c.x[s]) {
				free(o2[s]);
				o2[s] = c.x[s]; /* freed with c.x */
			}
		}
		run_general(&in, o2, 1 + rng() % 300);
		same = 1;
		for (uint32_t s = 0; s < n * mv; ++s) {
			same &= same_bits(o2[s], c.o[s], FRAMES);
		}
		snprintf(what, sizeof what, "n=%u d=%u m=%u mv=%u: in place = separate buffers", n,
		         d, m, mv);
		check(same, what);
		for (uint32_t s = 0; s < n * mv; ++s) {
			if (!(s < n * d && c.x[s])) {
				free(o2[s]);
			}
		}
		for (uint32_t s = 0; s < n * d; ++s) {
			if (keep[s]) {
				memcpy(c.x[s], keep[s], FRAMES * sizeof(float));
				free(keep[s]);
			}
		}

		/* permuting the tokens permutes the outputs (the sums over j run in
		 * another order, so within rounding) */
		if (!hostile) {
			uint32_t perm[QK_ATTENTION_MAX_TOKENS];
			for (uint32_t i = 0; i < n; ++i) {
				perm[i] = i;
			}
			for (uint32_t i = n - 1; i > 0; --i) {
				const uint32_t j = rng() % (i + 1), t = perm[i];
				perm[i] = perm[j];
				perm[j] = t;
			}
			head_case p = c;
			for (uint32_t i = 0; i < n; ++i) {
				for (uint32_t cc = 0; cc < d; ++cc) {
					p.x[i * d + cc] = c.x[perm[i] * d + cc];
				}
			}
			for (uint32_t s = 0; s < n * mv; ++s) {
				p.o[s] = stream();
			}
			run_general(&p, p.o, 1000);
			double e = 0;
			for (uint32_t i = 0; i < n; ++i) {
				for (uint32_t l = 0; l < mv; ++l) {
					for (uint32_t f = 0; f < FRAMES; ++f) {
						const double diff = fabs(p.o[i * mv + l][f] -
						                         c.o[perm[i] * mv + l][f]);
						e = diff > e ? diff : e;
					}
				}
			}
			for (uint32_t s = 0; s < n * mv; ++s) {
				free(p.o[s]);
			}
			snprintf(what, sizeof what,
			         "n=%u d=%u m=%u mv=%u: permuted tokens, permuted outputs (%.3g)",
			         n, d, m, mv, e);
			check(e <= 1e-5, what);
		}
		case_free(&c);
	}
}

int
main(void)
{
	const qk_fp_mode mode = qk_denormals_off();
	test_matches_4x2();
	test_softmax_wide();
	test_size(4, 2, 2, 2);
	test_size(8, 4, 4, 4);
	test_size(16, 4, 4, 4);
	test_size(5, 3, 2, 3);
	test_size(1, 1, 1, 1);
	test_size(16, 16, 7, 5);
	test_size(3, 6, 5, 6);
	qk_denormals_restore(mode);
	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
