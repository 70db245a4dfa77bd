/* SPDX-License-Identifier: ISC */
/* Containments that hold for structural reasons, for n = 1..4:
 * - every class contains every single-gate function: a gated pair with g the constant-1 gate
 *   (for (-1,+1) the constant +1) is h; synaptic gating with g = 1 is h; a quadratic gate
 *   with zero quadratic weights is a linear one;
 * - the multiplexing argument of QUARKS.md: for any input j and any two gates a, b of the
 *   other n - 1 inputs, the function "a where x_j = 1, b where x_j = 0" is a gated pair. Built
 *   explicitly: h = a on the half x_j = 1 and 1 (or +1) on the other half, with a large
 *   weight M on x_j; g the same for b on the other half. In (-1,+1) coding, a's realisation
 *   (w, c) becomes weights (w, -M on s_j) and bias c + M, M = sum |w| + |c| + 1: on s_j = +1
 *   the sum is a's, on s_j = -1 it is >= 2M - (sum |w| + |c|) > 0. The product h * g is then
 *   checked to be the mux, pattern by pattern, and found in the enumerated class. */
#include <stdlib.h>

#include "cap_class.h"
#include "cap_lp.h"
#include "check.h"

/* Gate of n inputs equal to the (n-1)-input gate (w, c) where s_j = side and to 1 elsewhere. */
static cap_tt
half_gate(unsigned n, unsigned j, const int *w, int c, int side)
{
	int big[CAP_MAX_N];
	int m = abs(c) + 1;
	for (unsigned i = 0; i + 1 < n; ++i)
		m += abs(w[i]);
	for (unsigned i = 0, r = 0; i < n; ++i)
		big[i] = i == j ? -side * m : w[r++];
	return cap_tt_ltg_pm(n, big, c + m);
}

static void
contain(checker *ck, unsigned n)
{
	cap_ltg_list t, tp;
	cap_ltg_enumerate(&t, n);
	cap_ltg_enumerate(&tp, n - 1);
	char what[160];
	for (int k = 0; k < CAP_NCOMP; ++k) {
		cap_fset s;
		cap_fset_init(&s, n);
		cap_class_fill(&s, &t, &tp, (cap_comp)k, 2);
		size_t in = 0;
		for (size_t i = 0; i < t.count; ++i)
			in += cap_fset_has(&s, t.tt[i]);
		snprintf(what, sizeof what, "n=%u: %s contains all %zu single-gate functions", n,
		         cap_comp_name((cap_comp)k), t.count);
		check(ck, in == t.count, what);

		if (k == CAP_PAIR01 || k == CAP_PAIRPM) {
			unsigned long pairs = 0, built = 0, found = 0;
			for (unsigned j = 0; j < n; ++j)
				for (size_t a = 0; a < tp.count; ++a)
					for (size_t b = 0; b < tp.count; ++b) {
						const int *wa = tp.w + a * n, *wb = tp.w + b * n;
						cap_tt h = half_gate(n, j, wa, wa[n - 1], 1);
						cap_tt g = half_gate(n, j, wb, wb[n - 1], -1);
						cap_tt mux = cap_tt_mux(n, j, tp.tt[a], tp.tt[b]);
						++pairs;
						built += cap_class_eval(n, (cap_comp)k, h, g, j) ==
						         mux;
						found += cap_fset_has(&s, mux);
					}
			snprintf(what, sizeof what,
			         "n=%u: %s, every input j, every pair of %zu half-cube gates: %lu "
			         "muxes built, %lu in the class, of %lu",
			         n, cap_comp_name((cap_comp)k), tp.count, built, found, pairs);
			check(ck, built == pairs && found == pairs, what);
		}
		cap_fset_free(&s);
	}
	cap_lp *lp = cap_lp_new(n, 2);
	size_t in = 0;
	for (size_t i = 0; i < t.count; ++i)
		in += cap_lp_realisable(lp, t.tt[i], NULL);
	cap_lp_free(lp);
	snprintf(what, sizeof what, "n=%u: ptf2 (LP) contains all %zu single-gate functions", n,
	         t.count);
	check(ck, in == t.count, what);
	cap_ltg_free(&t);
	cap_ltg_free(&tp);
}

int
main(void)
{
	checker ck = {0, 0};
	for (unsigned n = 1; n <= 4; ++n)
		contain(&ck, n);
	return check_done(&ck);
}
