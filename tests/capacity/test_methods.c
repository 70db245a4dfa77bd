/* SPDX-License-Identifier: ISC */
/* Two independent methods agree, for n = 1..4 (and n = 5 where both are fast):
 * - threshold functions: the Muroga-box integer enumeration and the per-table exact LP
 *   decision give the same set; the hyperplane-arrangement count (no enumeration, no LP)
 *   gives its size, also at n = 5;
 * - quadratic gates: the LP accepts exactly as many tables as the arrangement count says;
 * - gated and synaptic classes: the table-algebra fill and the pattern-by-pattern circuit
 *   evaluation give the same set.
 * - the orbit search that the published quadratic count rests on finds the known number of
 *   classes of functions under input permutation, input negation and output complement
 *   (2, 4, 14, 222 for n = 1..4, OEIS A000370), and its orbit sizes add up to all 2^(2^n)
 *   functions; the threshold-function count summed over orbits is A000609 again.
 * The counts themselves are also tied to sources outside this code where they exist
 * (A000609 for one gate; 2^(2^n) - 2 quadratic functions at n = 3, parity being the only
 * cubic-degree functions there: x1 x2 x3 and its complement). */
#include "cap_check.h"
#include "cap_nbc.h"
#include "cap_orbit.h"
#include "cap_ptf.h"
#include "check.h"

int
main(void)
{
	checker ck = {0, 0};
	static const uint64_t a000609[] = {2, 4, 14, 104, 1882, 94572};
	char what[96];
	for (unsigned n = 1; n <= 4; ++n) {
		snprintf(what, sizeof what, "n=%u: ltg enumeration = LP = arrangement count", n);
		check(&ck, cap_check_ltg(stdout, n, a000609[n]) == 0, what);
		snprintf(what, sizeof what, "n=%u: ptf2 LP = arrangement count", n);
		check(&ck, cap_check_ptf2(stdout, n, n == 3 ? 254 : 0) == 0, what);
		for (int c = 0; c < CAP_NCOMP; ++c) {
			snprintf(what, sizeof what, "n=%u: %s table algebra = circuit evaluation",
			         n, cap_comp_name((cap_comp)c));
			check(&ck, cap_check_class(stdout, n, (cap_comp)c, 0) == 0, what);
		}
	}
	static const size_t a000370[] = {1, 2, 4, 14, 222};
	for (unsigned n = 1; n <= 4; ++n) {
		cap_orbits o;
		uint64_t sum = 0, ltg = 0;
		cap_orbits_find(&o, n, 2);
		for (size_t i = 0; i < o.count; ++i)
			sum += o.size[i];
		cap_ptf_count(n, 1, 2, &ltg, NULL);
		snprintf(what, sizeof what,
		         "n=%u: %zu orbits (A000370 %zu), sizes sum to 2^%u, %llu gates", n,
		         o.count, a000370[n], 1u << n, (unsigned long long)ltg);
		check(&ck,
		      o.count == a000370[n] && sum == (uint64_t)1 << (1u << n) && ltg == a000609[n],
		      what);
		cap_orbits_free(&o);
	}
	check(&ck, cap_nbc_ptf_count(5, 1, NULL) == a000609[5], "n=5: arrangement count 94572");
	check(&ck, cap_nbc_ptf_count(0, 1, NULL) == a000609[0], "n=0: arrangement count 2");
	return check_done(&ck);
}
