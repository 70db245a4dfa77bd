/* SPDX-License-Identifier: ISC */
/* Threaded table-algebra fill of the four gated classes, and the pattern-by-pattern reference.
 *
 * Table algebra used by cap_class_fill (derivations in docs/capacity.md):
 *   pair01: h & g;  pairpm: ~(h ^ g);
 *   syn01:  g ? h : h0, h0 = h with x_j = 0, so f = h0 ^ (g & D), D = h ^ h0. D lies in the
 *           half x_j = 1, where g ranges over exactly the threshold functions of the other
 *           n - 1 inputs: the inner loop runs over T(n-1), not T(n);
 *   synpm:  g ? h : hf, hf = h with x_j negated, f = hf ^ (g & D), D = h ^ hf. The pair
 *           (hf, h) gives the same functions as (h, hf) with g complemented, so one of each
 *           pair is enough. */
#include "cap_class.h"

#include <stdatomic.h>
#include <stdlib.h>

const char *
cap_comp_name(cap_comp c)
{
	static const char *const name[CAP_NCOMP] = {"pair01", "pairpm", "syn01", "synpm"};
	return c < CAP_NCOMP ? name[c] : "?";
}

typedef struct job {
	const cap_ltg_list *t;
	cap_comp comp;
	cap_fset *out;
	cap_tt *upper[CAP_MAX_N]; /* syn01: T(n-1) placed in the half x_j = 1, per j */
	size_t nupper;
	size_t rows;
	atomic_size_t next;
	atomic_int failed;
} job;

static void
row(const job *jb, size_t r, cap_sink *k)
{
	const cap_ltg_list *t = jb->t;
	unsigned n = t->n;
	cap_tt full = cap_tt_full(n);
	size_t m = t->count;
	switch (jb->comp) {
	case CAP_PAIR01: {
		cap_tt h = t->tt[r];
		for (size_t i = r; i < m; ++i)
			cap_sink_put(k, h & t->tt[i]);
		break;
	}
	case CAP_PAIRPM: {
		cap_tt h = t->tt[r];
		for (size_t i = r; i < m; ++i)
			cap_sink_put(k, ~(h ^ t->tt[i]) & full);
		break;
	}
	case CAP_SYN01: {
		unsigned j = (unsigned)(r / m);
		cap_tt h = t->tt[r % m], h0 = cap_tt_fix0(n, h, j), d = h ^ h0;
		if (!d) {
			cap_sink_put(k, h);
			break;
		}
		const cap_tt *e = jb->upper[j];
		for (size_t i = 0; i < jb->nupper; ++i)
			cap_sink_put(k, h0 ^ (e[i] & d));
		break;
	}
	case CAP_SYNPM: {
		unsigned j = (unsigned)(r / m);
		cap_tt h = t->tt[r % m], hf = cap_tt_flip(n, h, j), d = h ^ hf;
		if (!d) {
			cap_sink_put(k, h);
			break;
		}
		if (h > hf)
			break;
		for (size_t i = 0; i < m; ++i)
			cap_sink_put(k, hf ^ (t->tt[i] & d));
		break;
	}
	default: break;
	}
}

static void *
worker(void *arg)
{
	job *jb = arg;
	cap_sink k;
	if (cap_sink_init(&k, jb->out)) {
		atomic_store(&jb->failed, 1);
		return NULL;
	}
	/* Small chunks: the pair rows shrink with r, so static splitting would be unbalanced. */
	const size_t chunk = 8;
	for (;;) {
		size_t r0 = atomic_fetch_add(&jb->next, chunk);
		if (r0 >= jb->rows)
			break;
		size_t r1 = r0 + chunk < jb->rows ? r0 + chunk : jb->rows;
		for (size_t r = r0; r < r1; ++r)
			row(jb, r, &k);
	}
	cap_sink_flush(&k);
	cap_sink_free(&k);
	return NULL;
}

int
cap_class_fill(cap_fset *out, const cap_ltg_list *t, const cap_ltg_list *tprev, cap_comp c,
               unsigned threads)
{
	unsigned n = t->n;
	job jb = {.t = t, .comp = c, .out = out, .nupper = 0};
	atomic_init(&jb.next, 0);
	atomic_init(&jb.failed, 0);
	int rc = 0;
	jb.rows = (c == CAP_SYN01 || c == CAP_SYNPM) ? n * t->count : t->count;
	if (c == CAP_SYN01) {
		jb.nupper = tprev->count;
		for (unsigned j = 0; j < n; ++j) {
			jb.upper[j] = malloc(jb.nupper * sizeof *jb.upper[j]);
			if (!jb.upper[j]) {
				rc = -1;
				goto done;
			}
			for (size_t i = 0; i < jb.nupper; ++i)
				jb.upper[j][i] = cap_tt_mux(n, j, tprev->tt[i], 0);
		}
	}
	if (threads < 1)
		threads = 1;
	if (threads > 64)
		threads = 64;
	pthread_t tid[64];
	unsigned started = 0;
	for (; started < threads; ++started)
		if (pthread_create(&tid[started], NULL, worker, &jb))
			break;
	if (started == 0)
		worker(&jb);
	for (unsigned i = 0; i < started; ++i)
		pthread_join(tid[i], NULL);
	if (atomic_load(&jb.failed))
		rc = -1;
done:
	for (unsigned j = 0; j < CAP_MAX_N; ++j)
		free(jb.upper[j]); /* NULL unless CAP_SYN01 */
	return rc;
}

cap_tt
cap_class_eval(unsigned n, cap_comp c, cap_tt h, cap_tt g, unsigned j)
{
	cap_tt f = 0;
	for (unsigned k = 0; k < (1u << n); ++k) {
		unsigned hb = (h >> k) & 1u, gb = (g >> k) & 1u, out = 0;
		unsigned xj = (k >> j) & 1u, kk;
		switch (c) {
		case CAP_PAIR01: out = hb * gb; break;
		case CAP_PAIRPM:
			/* (+1/-1 values) product >= 0 */
			out = ((2 * (int)hb - 1) * (2 * (int)gb - 1)) > 0;
			break;
		case CAP_SYN01:
			/* input j of h receives x_j * g(x) */
			kk = (k & ~(1u << j)) | ((xj * gb) << j);
			out = (h >> kk) & 1u;
			break;
		case CAP_SYNPM:
			/* input j of h receives s_j * g(x) in (-1,+1) values; back to a bit */
			kk = (k & ~(1u << j)) |
			     ((unsigned)(((2 * (int)xj - 1) * (2 * (int)gb - 1)) > 0) << j);
			out = (h >> kk) & 1u;
			break;
		default: break;
		}
		f |= (cap_tt)out << k;
	}
	return f;
}

void
cap_class_direct(cap_fset *out, cap_witness *wit, const cap_ltg_list *t, cap_comp c)
{
	unsigned n = t->n;
	if (wit)
		for (uint64_t f = 0; f < out->nbits; ++f)
			wit[f] = (cap_witness){-1, -1, -1};
	unsigned js = (c == CAP_SYN01 || c == CAP_SYNPM) ? n : 1;
	for (unsigned j = 0; j < js; ++j)
		for (size_t a = 0; a < t->count; ++a)
			for (size_t b = 0; b < t->count; ++b) {
				cap_tt f = cap_class_eval(n, c, t->tt[a], t->tt[b], j);
				if (cap_fset_has(out, f))
					continue;
				cap_fset_add(out, f);
				if (wit)
					wit[f] = (cap_witness){(int32_t)a, (int32_t)b,
					                       js > 1 ? (int32_t)j : -1};
			}
}
