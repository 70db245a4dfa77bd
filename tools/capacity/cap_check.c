/* SPDX-License-Identifier: ISC */
/* Cross-checks: each compares sets (not only sizes) wherever both methods produce sets. */
#include "cap_check.h"

#include <string.h>

#include "cap_lp.h"
#include "cap_nbc.h"
#include "cap_ptf.h"

int
cap_check_ltg(FILE *log, unsigned n, uint64_t expect)
{
	cap_ltg_list t;
	cap_lp *lp = cap_lp_new(n, 1);
	if (!lp || cap_ltg_enumerate(&t, n)) {
		cap_lp_free(lp);
		return -1;
	}
	uint64_t lp_count = 0, differ = 0;
	for (uint64_t f = 0; f < ((uint64_t)1 << (1u << n)); ++f) {
		bool yes = cap_lp_realisable(lp, (cap_tt)f, NULL);
		lp_count += yes;
		differ += yes != (cap_ltg_find(&t, (cap_tt)f) >= 0);
	}
	uint64_t nbc = cap_nbc_ptf_count(n, 1, NULL), orb = 0;
	int bad = cap_ptf_count(n, 1, 1, &orb, NULL) || differ || nbc != t.count ||
	          orb != t.count || (expect && expect != t.count);
	fprintf(log,
	        "check ltg    n=%u: enumeration %zu, LP %llu (%llu tables differ), arrangement "
	        "%llu, orbits+LP %llu: %s\n",
	        n, t.count, (unsigned long long)lp_count, (unsigned long long)differ,
	        (unsigned long long)nbc, (unsigned long long)orb, bad ? "FAIL" : "ok");
	cap_ltg_free(&t);
	cap_lp_free(lp);
	return bad;
}

int
cap_check_ltg_counts(FILE *log, unsigned n, unsigned threads, uint64_t expect)
{
	cap_ltg_list t;
	uint64_t orb = 0;
	if (cap_ltg_enumerate(&t, n) || cap_ptf_count(n, 1, threads, &orb, NULL))
		return -1;
	uint64_t nbc = cap_nbc_ptf_count(n, 1, NULL);
	int bad = nbc != t.count || orb != t.count || (expect && expect != t.count);
	fprintf(log, "check ltg    n=%u: enumeration %zu, arrangement %llu, orbits+LP %llu: %s\n",
	        n, t.count, (unsigned long long)nbc, (unsigned long long)orb, bad ? "FAIL" : "ok");
	cap_ltg_free(&t);
	return bad;
}

int
cap_check_ptf2(FILE *log, unsigned n, uint64_t expect)
{
	cap_lp *lp = cap_lp_new(n, 2);
	if (!lp)
		return -1;
	uint64_t lp_count = 0;
	for (uint64_t f = 0; f < ((uint64_t)1 << (1u << n)); ++f)
		lp_count += cap_lp_realisable(lp, (cap_tt)f, NULL);
	cap_lp_free(lp);
	uint64_t nbc = cap_nbc_ptf_count(n, 2, NULL), orb = 0;
	int bad = cap_ptf_count(n, 2, 1, &orb, NULL) || nbc != lp_count || orb != lp_count ||
	          (expect && expect != nbc);
	fprintf(log,
	        "check ptf2   n=%u: LP on every table %llu, arrangement %llu, orbits+LP %llu: %s\n",
	        n, (unsigned long long)lp_count, (unsigned long long)nbc, (unsigned long long)orb,
	        bad ? "FAIL" : "ok");
	return bad;
}

int
cap_check_class(FILE *log, unsigned n, cap_comp c, uint64_t expect)
{
	cap_ltg_list t, tp;
	cap_fset a, b;
	if (cap_ltg_enumerate(&t, n) || cap_ltg_enumerate(&tp, n - 1) || cap_fset_init(&a, n) ||
	    cap_fset_init(&b, n))
		return -1;
	int rc = cap_class_fill(&a, &t, &tp, c, 2);
	cap_class_direct(&b, NULL, &t, c);
	uint64_t differ = 0;
	for (uint64_t f = 0; f < a.nbits; ++f)
		differ += cap_fset_has(&a, (cap_tt)f) != cap_fset_has(&b, (cap_tt)f);
	uint64_t ka = cap_fset_count(&a), kb = cap_fset_count(&b);
	int bad = rc || differ || (expect && expect != ka);
	fprintf(log,
	        "check %-6s n=%u: table algebra %llu, circuit evaluation %llu (%llu differ): %s\n",
	        cap_comp_name(c), n, (unsigned long long)ka, (unsigned long long)kb,
	        (unsigned long long)differ, bad ? "FAIL" : "ok");
	cap_fset_free(&a);
	cap_fset_free(&b);
	cap_ltg_free(&t);
	cap_ltg_free(&tp);
	return rc ? -1 : bad;
}

static uint64_t
lookup(const cap_row *rows, size_t nrows, const char *cls, unsigned n)
{
	for (size_t i = 0; i < nrows; ++i)
		if (rows[i].n == n && !strcmp(rows[i].cls, cls))
			return rows[i].count;
	return 0;
}

int
cap_check_all(FILE *log, unsigned top, const cap_row *rows, size_t nrows)
{
	int failed = 0;
	for (unsigned n = 1; n <= top; ++n) {
		failed += cap_check_ltg(log, n, lookup(rows, nrows, "ltg", n)) != 0;
		failed += cap_check_ptf2(log, n, lookup(rows, nrows, "ptf2", n)) != 0;
		for (int c = 0; c < CAP_NCOMP; ++c)
			failed += cap_check_class(
			                  log, n, (cap_comp)c,
			                  lookup(rows, nrows, cap_comp_name((cap_comp)c), n)) != 0;
	}
	return failed;
}
