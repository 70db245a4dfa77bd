/* SPDX-License-Identifier: ISC */
/* Orbit representatives -> half-cube filter -> LP, summing orbit sizes. */
#include "cap_ptf.h"

#include <stdlib.h>

#include "cap_fset.h"
#include "cap_lp.h"
#include "cap_orbit.h"

/* f restricted to x_j = v, as a table of the other n - 1 inputs in order. */
static cap_tt
restrict_to(unsigned n, cap_tt f, unsigned j, unsigned v)
{
	cap_tt r = 0;
	unsigned out = 0;
	for (unsigned k = 0; k < (1u << n); ++k)
		if (((k >> j) & 1u) == v)
			r |= ((f >> k) & 1u) << out++;
	return r;
}

int
cap_ptf_count(unsigned n, unsigned degree, unsigned threads, uint64_t *count, cap_ptf_stats *stats)
{
	cap_ptf_stats st = {0, 0, 0};
	cap_fset sub;
	int have_sub = n >= 2;
	if (have_sub) {
		cap_lp *lp = cap_lp_new(n - 1, degree);
		if (!lp || cap_fset_init(&sub, n - 1)) {
			cap_lp_free(lp);
			return -1;
		}
		for (uint64_t f = 0; f < sub.nbits; ++f)
			if (cap_lp_realisable(lp, (cap_tt)f, NULL))
				cap_fset_add(&sub, (cap_tt)f);
		st.lp_exact += cap_lp_exact_calls(lp);
		cap_lp_free(lp);
	}
	cap_orbits o;
	cap_lp *lp = cap_lp_new(n, degree);
	if (!lp || cap_orbits_find(&o, n, threads)) {
		cap_lp_free(lp);
		if (have_sub)
			cap_fset_free(&sub);
		return -1;
	}
	uint64_t total = 0;
	for (size_t i = 0; i < o.count; ++i) {
		cap_tt f = o.rep[i];
		int pass = 1;
		for (unsigned j = 0; have_sub && pass && j < n; ++j)
			pass = cap_fset_has(&sub, restrict_to(n, f, j, 0)) &&
			       cap_fset_has(&sub, restrict_to(n, f, j, 1));
		if (!pass)
			continue;
		++st.lp_calls;
		if (cap_lp_realisable(lp, f, NULL))
			total += o.size[i];
	}
	st.orbits = o.count;
	st.lp_exact += cap_lp_exact_calls(lp);
	cap_lp_free(lp);
	cap_orbits_free(&o);
	if (have_sub)
		cap_fset_free(&sub);
	*count = total;
	if (stats)
		*stats = st;
	return 0;
}
