/* SPDX-License-Identifier: ISC */
/* Spans are computed modulo the prime p = 2^31 - 1, which gives the rational rank: every
 * minor of a matrix of +-1 points is the determinant of a square +-1 matrix of size k <= 16,
 * which is divisible by 2^(k-1) (subtract the first row from the others: the other rows
 * become 0/+-2) and at most k^(k/2) in absolute value (Hadamard). A nonzero minor is thus
 * 2^(k-1) times a nonzero integer of size <= 2^17 < p, and does not vanish mod p. So the
 * rank (largest nonzero minor) and span membership (rank unchanged) are the rational ones. */
#include "cap_nbc.h"

#include <stdlib.h>
#include <string.h>

#include "cap_lp.h"

#define P 2147483647u

typedef struct map {
	uint64_t cap, used;
	uint32_t *key; /* flat as a point mask; UINT32_MAX marks an empty slot */
	uint64_t *val;
} map;

static int
map_init(map *h, uint64_t cap)
{
	h->cap = cap;
	h->used = 0;
	h->key = malloc(cap * sizeof *h->key);
	h->val = malloc(cap * sizeof *h->val);
	if (!h->key || !h->val)
		return -1;
	memset(h->key, 0xff, cap * sizeof *h->key);
	return 0;
}

static void
map_free(map *h)
{
	free(h->key);
	free(h->val);
	h->key = NULL;
	h->val = NULL;
}

static uint64_t
slot(const map *h, uint32_t k)
{
	uint64_t i = ((uint64_t)k * 0x9E3779B97F4A7C15ull) >> 20;
	for (i &= h->cap - 1;; i = (i + 1) & (h->cap - 1))
		if (h->key[i] == k || h->key[i] == UINT32_MAX)
			return i;
}

static int map_add(map *h, uint32_t k, uint64_t v);

static int
grow(map *h)
{
	map g;
	if (map_init(&g, h->cap * 2))
		return -1;
	for (uint64_t i = 0; i < h->cap; ++i)
		if (h->key[i] != UINT32_MAX)
			map_add(&g, h->key[i], h->val[i]);
	map_free(h);
	*h = g;
	return 0;
}

static int
map_add(map *h, uint32_t k, uint64_t v)
{
	/* The full mask (m = 32) never reaches a map: see the main loop. */
	uint64_t i = slot(h, k);
	if (h->key[i] == UINT32_MAX) {
		if (2 * (h->used + 1) > h->cap) {
			if (grow(h))
				return -1;
			i = slot(h, k);
		}
		h->key[i] = k;
		h->val[i] = 0;
		++h->used;
	}
	h->val[i] += v;
	return 0;
}

static uint32_t
modp(int64_t x)
{
	int64_t r = x % (int64_t)P;
	return (uint32_t)(r < 0 ? r + (int64_t)P : r);
}

static uint32_t
inv(uint32_t a)
{
	/* Fermat: a^(p-2). */
	uint64_t r = 1, b = a;
	for (uint32_t e = P - 2; e; e >>= 1) {
		if (e & 1u)
			r = r * b % P;
		b = b * b % P;
	}
	return (uint32_t)r;
}

typedef struct basis {
	unsigned d, rank;
	int piv[16];
	uint32_t row[16][16]; /* reduced rows, row[i][piv[i]] = 1 */
} basis;

/* Reduces v against the basis; returns the first nonzero coordinate, or -1 if v is in the span. */
static int
reduce(const basis *b, uint32_t *v)
{
	for (unsigned i = 0; i < b->rank; ++i) {
		uint32_t c = v[b->piv[i]];
		if (!c)
			continue;
		for (unsigned t = 0; t < b->d; ++t)
			v[t] = (uint32_t)((v[t] + (uint64_t)(P - c) * b->row[i][t]) % P);
	}
	for (unsigned t = 0; t < b->d; ++t)
		if (v[t])
			return (int)t;
	return -1;
}

static void
insert(basis *b, uint32_t *v, int p)
{
	uint64_t s = inv(v[p]);
	for (unsigned t = 0; t < b->d; ++t)
		v[t] = (uint32_t)(v[t] * s % P);
	memcpy(b->row[b->rank], v, sizeof b->row[0]);
	b->piv[b->rank++] = p;
}

/* Closure of the points in mask plus point k: every point in their span. */
static uint32_t
closure(unsigned m, unsigned d, const uint32_t (*pt)[16], uint32_t mask, unsigned k)
{
	basis b = {.d = d, .rank = 0};
	uint32_t v[16];
	mask |= 1u << k;
	for (unsigned i = 0; i < m && b.rank < d; ++i) {
		if (!((mask >> i) & 1u))
			continue;
		memcpy(v, pt[i], sizeof v);
		int p = reduce(&b, v);
		if (p >= 0)
			insert(&b, v, p);
	}
	uint32_t out = mask;
	for (unsigned i = 0; i < m; ++i) {
		if ((out >> i) & 1u)
			continue;
		memcpy(v, pt[i], sizeof v);
		if (reduce(&b, v) < 0)
			out |= 1u << i;
	}
	return out;
}

uint64_t
cap_nbc_regions(unsigned m, unsigned d, const int *pts, uint64_t *states)
{
	uint32_t pt[32][16] = {{0}};
	for (unsigned i = 0; i < m; ++i)
		for (unsigned t = 0; t < d; ++t)
			pt[i][t] = modp(pts[i * d + t]);
	map cur, nxt;
	if (map_init(&cur, 1024))
		return 0;
	uint64_t peak = 1, total = 0;
	/* The empty set spans {0}; no point is zero (they have a nonzero entry), so mask 0. */
	map_add(&cur, 0, 1);
	for (unsigned k = 0; k < m; ++k) {
		if (map_init(&nxt, cur.cap)) {
			map_free(&cur);
			return 0;
		}
		for (uint64_t i = 0; i < cur.cap; ++i) {
			uint32_t f = cur.key[i];
			if (f == UINT32_MAX || ((f >> k) & 1u))
				continue; /* point k in the span: this state's terms cancel */
			if (k + 1 == m) {
				/* Both choices for the last point survive: count them, store
				 * nothing. */
				total += 2 * cur.val[i];
				continue;
			}
			uint32_t g = closure(m, d, (const uint32_t(*)[16])pt, f, k);
			/* A span holding every point dies at the next point (k + 1 < m). */
			int bad = map_add(&nxt, f, cur.val[i]);
			if (!bad && g != (m == 32 ? UINT32_MAX : (1u << m) - 1u))
				bad = map_add(&nxt, g, cur.val[i]);
			if (bad) {
				map_free(&cur);
				map_free(&nxt);
				return 0;
			}
		}
		map_free(&cur);
		cur = nxt;
		if (cur.used > peak)
			peak = cur.used;
	}
	map_free(&cur);
	if (states)
		*states = peak;
	return total;
}

uint64_t
cap_nbc_ptf_count(unsigned n, unsigned degree, uint64_t *states)
{
	int pts[32 * 16];
	unsigned d = 1 + n + (degree >= 2 ? n * (n - 1) / 2 : 0);
	for (unsigned k = 0; k < (1u << n); ++k)
		cap_lp_features(n, degree, k, pts + k * d);
	return cap_nbc_regions(1u << n, d, pts, states);
}
