/* SPDX-License-Identifier: ISC */
/* Truth-table algebra by whole-table bit operations (no loop over patterns where avoidable). */
#include "cap_tt.h"

cap_tt
cap_tt_full(unsigned n)
{
	return n >= CAP_MAX_N ? UINT32_MAX : (cap_tt)((1u << (1u << n)) - 1u);
}

cap_tt
cap_tt_var(unsigned n, unsigned j)
{
	cap_tt m = 0;
	for (unsigned k = 0; k < (1u << n); ++k)
		if ((k >> j) & 1u)
			m |= (cap_tt)1u << k;
	return m;
}

cap_tt
cap_tt_flip(unsigned n, cap_tt f, unsigned j)
{
	/* Pattern k and k ^ (1 << j) swap places: the x_j = 1 bits sit 2^j above their partners. */
	cap_tt hi = cap_tt_var(n, j);
	unsigned s = 1u << j;
	return ((f & hi) >> s) | ((f & ~hi) << s & hi);
}

cap_tt
cap_tt_fix0(unsigned n, cap_tt f, unsigned j)
{
	cap_tt hi = cap_tt_var(n, j);
	cap_tt lo = f & ~hi & cap_tt_full(n);
	return lo | (lo << (1u << j));
}

cap_tt
cap_tt_mux(unsigned n, unsigned j, cap_tt a, cap_tt b)
{
	cap_tt f = 0;
	for (unsigned k = 0; k < (1u << n); ++k) {
		/* Drop bit j of k to index the (n-1)-input tables. */
		unsigned low = k & ((1u << j) - 1u);
		unsigned r = low | ((k >> (j + 1u)) << j);
		cap_tt t = ((k >> j) & 1u) ? a : b;
		if ((t >> r) & 1u)
			f |= (cap_tt)1u << k;
	}
	return f;
}

cap_tt
cap_tt_ltg_pm(unsigned n, const int *w, int b)
{
	cap_tt f = 0;
	for (unsigned k = 0; k < (1u << n); ++k) {
		int s = b;
		for (unsigned i = 0; i < n; ++i)
			s += ((k >> i) & 1u) ? w[i] : -w[i];
		if (s >= 0)
			f |= (cap_tt)1u << k;
	}
	return f;
}

unsigned
cap_tt_weight(cap_tt f)
{
	unsigned c = 0;
	for (; f; f &= f - 1u)
		++c;
	return c;
}
