/* SPDX-License-Identifier: ISC */
/* Enumeration of the box of integer realisations; sort and deduplicate the tables. */
#include "cap_ltg.h"

#include <stdint.h>
#include <stdlib.h>

int
cap_ltg_bound(unsigned n)
{
	/* Largest B with (2^n B)^2 <= (n+1)^(n+1): integer arithmetic, no rounding doubt. */
	uint64_t rhs = 1;
	for (unsigned i = 0; i <= n; ++i)
		rhs *= n + 1u;
	int b = 0;
	for (;;) {
		uint64_t lhs = ((uint64_t)(b + 1) << n);
		if (lhs * lhs > rhs)
			return b;
		++b;
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Weights of box point c: base-(2B+1) digits, digit d -> d - B; the last digit is the bias. */
static void
decode(uint64_t c, unsigned n, int bound, int *w)
{
	uint64_t base = (uint64_t)(2 * bound + 1);
	for (unsigned i = 0; i <= n; ++i) {
		w[i] = (int)(c % base) - bound;
		c /= base;
	}
}

int
cap_ltg_enumerate(cap_ltg_list *l, unsigned n)
{
	l->n = n;
	l->count = 0;
	l->tt = NULL;
	l->w = NULL;
	int bound = cap_ltg_bound(n);
	uint64_t base = (uint64_t)(2 * bound + 1), total = 1;
	for (unsigned i = 0; i <= n; ++i)
		total *= base;
	/* Key = table << 32 | box index: sorting groups each table and keeps its first point. */
	uint64_t *key = malloc(total * sizeof *key);
	if (!key)
		return -1;
	int w[CAP_MAX_N + 1];
	for (uint64_t c = 0; c < total; ++c) {
		decode(c, n, bound, w);
		key[c] = (uint64_t)cap_tt_ltg_pm(n, w, w[n]) << 32 | c;
	}
	qsort(key, total, sizeof *key, cmp_u64);
	size_t distinct = 0;
	for (uint64_t c = 0; c < total; ++c)
		if (c == 0 || key[c] >> 32 != key[c - 1] >> 32)
			++distinct;
	l->tt = malloc(distinct * sizeof *l->tt);
	l->w = malloc(distinct * (n + 1) * sizeof *l->w);
	if (!l->tt || !l->w) {
		free(key);
		cap_ltg_free(l);
		return -1;
	}
	for (uint64_t c = 0; c < total; ++c) {
		if (c > 0 && key[c] >> 32 == key[c - 1] >> 32)
			continue;
		l->tt[l->count] = (cap_tt)(key[c] >> 32);
		decode(key[c] & UINT32_MAX, n, bound, l->w + l->count * (n + 1));
		++l->count;
	}
	free(key);
	return 0;
}

long
cap_ltg_find(const cap_ltg_list *l, cap_tt f)
{
	size_t lo = 0, hi = l->count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->tt[mid] < f)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->count && l->tt[lo] == f ? (long)lo : -1;
}

void
cap_ltg_free(cap_ltg_list *l)
{
	free(l->tt);
	free(l->w);
	l->tt = NULL;
	l->w = NULL;
	l->count = 0;
}
