/* SPDX-License-Identifier: ISC */
/* Group tables and the threaded search for orbit representatives. */
#include "cap_orbit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Next permutation in lexicographic order; false after the last. */
static int
next_perm(unsigned *p, unsigned n)
{
	int i = (int)n - 2;
	while (i >= 0 && p[i] > p[i + 1])
		--i;
	if (i < 0)
		return 0;
	int j = (int)n - 1;
	while (p[j] < p[i])
		--j;
	unsigned t = p[i];
	p[i] = p[j];
	p[j] = t;
	for (unsigned a = (unsigned)i + 1, b = n - 1; a < b; ++a, --b) {
		t = p[a];
		p[a] = p[b];
		p[b] = t;
	}
	return 1;
}

/* Elements that move little come first: a table that is not the smallest of its orbit is
 * usually beaten by a single negation or swap, so the search stops early. */
typedef struct elem {
	unsigned moved;
	unsigned sigma[32];
} elem;

static int
cmp_elem(const void *a, const void *b)
{
	const elem *x = a, *y = b;
	if (x->moved != y->moved)
		return x->moved < y->moved ? -1 : 1;
	return memcmp(x->sigma, y->sigma, sizeof x->sigma);
}

int
cap_group_init(cap_group *g, unsigned n)
{
	unsigned fact = 1, pts = 1u << n;
	for (unsigned i = 2; i <= n; ++i)
		fact *= i;
	g->n = n;
	g->size = fact << n;
	g->nbytes = pts >= 8 ? pts / 8 : 1;
	elem *el = malloc(g->size * sizeof *el);
	g->tab = calloc((size_t)g->size * g->nbytes * 256u, sizeof *g->tab);
	if (!el || !g->tab) {
		free(el);
		free(g->tab);
		g->tab = NULL;
		return -1;
	}
	unsigned perm[CAP_MAX_N], e = 0;
	for (unsigned i = 0; i < n; ++i)
		perm[i] = i;
	do {
		for (unsigned neg = 0; neg < pts; ++neg, ++e) {
			el[e].moved = (unsigned)__builtin_popcount(neg);
			for (unsigned i = 0; i < n; ++i)
				el[e].moved += perm[i] != i;
			memset(el[e].sigma, 0, sizeof el[e].sigma);
			/* sigma(k): input i of k, negated if bit i of neg, goes to position
			 * perm[i]. */
			for (unsigned k = 0; k < pts; ++k) {
				unsigned s = 0;
				for (unsigned i = 0; i < n; ++i)
					s |= (((k >> i) ^ (neg >> i)) & 1u) << perm[i];
				el[e].sigma[k] = s;
			}
		}
	} while (next_perm(perm, n));
	qsort(el, g->size, sizeof *el, cmp_elem);
	for (e = 0; e < g->size; ++e) {
		uint32_t *t = g->tab + (size_t)e * g->nbytes * 256u;
		/* Image bit k is f's bit sigma(k); group the sources by byte of f. */
		for (unsigned k = 0; k < pts; ++k) {
			unsigned src = el[e].sigma[k], b = src / 8, bit = src % 8;
			for (unsigned v = 0; v < 256; ++v)
				if ((v >> bit) & 1u)
					t[b * 256u + v] |= (uint32_t)1u << k;
		}
	}
	free(el);
	return 0;
}

void
cap_group_free(cap_group *g)
{
	free(g->tab);
	g->tab = NULL;
}

typedef struct list {
	size_t count, cap;
	cap_tt *rep;
	uint32_t *size;
} list;

static int
push(list *l, cap_tt f, uint32_t s)
{
	if (l->count == l->cap) {
		size_t c = l->cap ? 2 * l->cap : 1024;
		cap_tt *r = realloc(l->rep, c * sizeof *r);
		if (!r)
			return -1;
		l->rep = r;
		uint32_t *z = realloc(l->size, c * sizeof *z);
		if (!z)
			return -1;
		l->size = z;
		l->cap = c;
	}
	l->rep[l->count] = f;
	l->size[l->count++] = s;
	return 0;
}

typedef struct search {
	const cap_group *g;
	uint64_t end; /* number of tables, 2^(2^n) */
	atomic_uint_fast64_t next;
	atomic_int failed;
	list part[64];
	unsigned threads;
} search;

/* Orbit size if f is the smallest table of its orbit, else 0. */
static uint32_t
rep_size(const cap_group *g, cap_tt f, cap_tt full)
{
	unsigned stab = 0;
	for (unsigned e = 0; e < g->size; ++e) {
		cap_tt a = cap_group_apply(g, e, f), b = ~a & full;
		if (a < f || b < f)
			return 0;
		stab += (a == f) + (b == f);
	}
	return (uint32_t)(2u * g->size / stab);
}

static void *
worker_body(search *s, list *l)
{
	const uint64_t chunk = 1u << 16;
	cap_tt full = cap_tt_full(s->g->n);
	for (;;) {
		uint64_t a = atomic_fetch_add(&s->next, chunk);
		if (a >= s->end)
			break;
		uint64_t b = a + chunk < s->end ? a + chunk : s->end;
		for (uint64_t f = a; f < b; ++f) {
			uint32_t z = rep_size(s->g, (cap_tt)f, full);
			if (z && push(l, (cap_tt)f, z)) {
				atomic_store(&s->failed, 1);
				return NULL;
			}
		}
	}
	return NULL;
}

typedef struct arg {
	search *s;
	unsigned id;
} arg;

static void *
worker(void *p)
{
	arg *a = p;
	return worker_body(a->s, &a->s->part[a->id]);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

int
cap_orbits_find(cap_orbits *o, unsigned n, unsigned threads)
{
	memset(o, 0, sizeof *o);
	cap_group g;
	if (cap_group_init(&g, n))
		return -1;
	search *s = calloc(1, sizeof *s);
	if (!s) {
		cap_group_free(&g);
		return -1;
	}
	s->g = &g;
	s->end = (uint64_t)1 << (1u << n);
	s->threads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
	atomic_init(&s->next, 0);
	atomic_init(&s->failed, 0);
	pthread_t tid[64];
	arg args[64];
	unsigned started = 0;
	for (; started < s->threads; ++started) {
		args[started] = (arg){s, started};
		if (pthread_create(&tid[started], NULL, worker, &args[started]))
			break;
	}
	if (started == 0)
		worker_body(s, &s->part[0]);
	for (unsigned i = 0; i < started; ++i)
		pthread_join(tid[i], NULL);
	int rc = atomic_load(&s->failed) ? -1 : 0;
	size_t total = 0;
	for (unsigned i = 0; i < 64; ++i)
		total += s->part[i].count;
	/* Merge the threads' lists in table order (key = table << 32 | orbit size). */
	uint64_t *key = rc ? NULL : malloc((total ? total : 1) * sizeof *key);
	if (!rc && key) {
		size_t m = 0;
		for (unsigned i = 0; i < 64; ++i)
			for (size_t j = 0; j < s->part[i].count; ++j)
				key[m++] = (uint64_t)s->part[i].rep[j] << 32 | s->part[i].size[j];
		qsort(key, total, sizeof *key, cmp_u64);
		o->rep = malloc((total ? total : 1) * sizeof *o->rep);
		o->size = malloc((total ? total : 1) * sizeof *o->size);
		if (o->rep && o->size) {
			for (size_t j = 0; j < total; ++j) {
				o->rep[j] = (cap_tt)(key[j] >> 32);
				o->size[j] = (uint32_t)key[j];
			}
			o->count = total;
		} else {
			rc = -1;
		}
	} else {
		rc = -1;
	}
	free(key);
	for (unsigned i = 0; i < 64; ++i) {
		free(s->part[i].rep);
		free(s->part[i].size);
	}
	free(s);
	cap_group_free(&g);
	if (rc)
		cap_orbits_free(o);
	return rc;
}

void
cap_orbits_free(cap_orbits *o)
{
	free(o->rep);
	free(o->size);
	o->rep = NULL;
	o->size = NULL;
	o->count = 0;
}
