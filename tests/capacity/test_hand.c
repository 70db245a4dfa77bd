/* SPDX-License-Identifier: ISC */
/* Facts small enough to check by hand, against the enumeration and the class fills.
 *
 * Truth-table bit k is the output on pattern k, x_1 = bit 0 of k, x_2 = bit 1 of k. So for
 * n = 2 the patterns are (x1,x2) = 00, 10, 01, 11 and XOR = bits 1, 2 = 0x6, XNOR = 0x9.
 * - One gate, n = 2: a line separates the square's corners in every way except the two
 *   diagonals, so exactly XOR and XNOR are missing: 16 - 2 = 14 functions.
 * - (0,1) gated pair, n = 2: XOR = OR * NAND (QUARKS.md), XNOR = (x1 OR NOT x2) *
 *   (NOT x1 OR x2), both factors single gates; the 14 others are h * 1 with g the constant 1:
 *   all 16. (-1,+1) pair: as signs x1 * x2 is XNOR and x1 * (NOT x2) is XOR: all 16.
 * - (0,1) synaptic gating, n = 2, input 1 gated: f(x) = h(x1 g(x), x2). Where x1 = 0, f = h.
 *   For f = XOR: h(0,0) = 0, h(0,1) = 1; f(1,0) = 1 forces h(1,0) = 1 (the gated input must
 *   be 1), f(1,1) = 0 forces h(1,1) = 0: h = XOR, not a gate. XNOR likewise; input 2 by
 *   symmetry. So 14. (-1,+1): h(s1 g, s2) = s1 g with g = x2 or NOT x2 gives XNOR and XOR: 16.
 * - One gate, n = 1: all 4 functions (0, 1, x, NOT x).
 * - Threshold-function counts 2, 4, 14, 104, 1882, 94572 for n = 0..5 (OEIS A000609). */
#include <stdint.h>

#include "cap_class.h"
#include "cap_ltg.h"
#include "check.h"

static const uint64_t a000609[] = {2, 4, 14, 104, 1882, 94572};

/* Table of x_i (0,1) for n = 2, written out: bit k set iff x_i = 1 on pattern k. */
#define X1 0xAu /* patterns 1 (10) and 3 (11) */
#define X2 0xCu /* patterns 2 (01) and 3 (11) */

int
main(void)
{
	checker c = {0, 0};
	cap_ltg_list t;

	for (unsigned n = 0; n <= 5; ++n) {
		char what[96];
		cap_ltg_enumerate(&t, n);
		snprintf(what, sizeof what, "threshold functions of %u inputs: %llu (A000609)", n,
		         (unsigned long long)a000609[n]);
		check(&c, t.count == a000609[n], what);
		cap_ltg_free(&t);
	}

	cap_ltg_enumerate(&t, 1);
	check(&c, t.count == 4 && t.tt[0] == 0 && t.tt[1] == 1 && t.tt[2] == 2 && t.tt[3] == 3,
	      "n=1: one gate gives 0, NOT x, x, 1 (tables 0..3)");
	cap_ltg_free(&t);

	cap_ltg_enumerate(&t, 2);
	unsigned missing = 0, missing_ok = 1;
	for (cap_tt f = 0; f < 16; ++f)
		if (cap_ltg_find(&t, f) < 0) {
			++missing;
			missing_ok &= f == (X1 ^ X2) || f == (0xFu & ~(X1 ^ X2));
		}
	check(&c, (X1 ^ X2) == 0x6 && missing == 2 && missing_ok,
	      "n=2: one gate misses exactly XOR (0x6) and XNOR (0x9): 14 functions");

	cap_tt or_ = X1 | X2, nand = 0xFu & ~(X1 & X2);
	check(&c,
	      cap_ltg_find(&t, or_) >= 0 && cap_ltg_find(&t, nand) >= 0 &&
	              cap_class_eval(2, CAP_PAIR01, or_, nand, 0) == 0x6,
	      "n=2: OR and NAND are gates and OR * NAND = XOR");
	cap_tt a = 0xFu & (X1 | (0xFu & ~X2)), b = 0xFu & ((0xFu & ~X1) | X2);
	check(&c,
	      cap_ltg_find(&t, a) >= 0 && cap_ltg_find(&t, b) >= 0 &&
	              cap_class_eval(2, CAP_PAIR01, a, b, 0) == 0x9,
	      "n=2: (x1 OR NOT x2) * (NOT x1 OR x2) = XNOR");
	/* (-1,+1) gates: the product of x1 and x2 as signs is their XNOR, of x1 and NOT x2 XOR. */
	check(&c,
	      cap_class_eval(2, CAP_PAIRPM, X1, X2, 0) == 0x9 &&
	              cap_class_eval(2, CAP_PAIRPM, X1, 0xFu & ~X2, 0) == 0x6,
	      "n=2: sign gates x1 * x2 = XNOR, x1 * (NOT x2) = XOR");

	cap_ltg_list t1;
	cap_ltg_enumerate(&t1, 1);
	for (int k = 0; k < CAP_NCOMP; ++k) {
		cap_fset s;
		cap_fset_init(&s, 2);
		cap_class_fill(&s, &t, &t1, (cap_comp)k, 2);
		uint64_t expect = k == CAP_SYN01 ? 14 : 16;
		char what[120];
		snprintf(what, sizeof what, "n=2: %s reaches %llu of 16 functions",
		         cap_comp_name((cap_comp)k), (unsigned long long)expect);
		check(&c, cap_fset_count(&s) == expect, what);
		cap_fset_free(&s);
	}
	cap_ltg_free(&t1);
	cap_ltg_free(&t);
	return check_done(&c);
}
