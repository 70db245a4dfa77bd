/* SPDX-License-Identifier: ISC */
/* quarks-capacity: exact counts of the Boolean functions that one threshold gate, gated pairs,
 * single-weight synaptic gating and a quadratic gate compute on n = 1..5 inputs.
 * Prints the table; optionally writes it as CSV and plots it as PNG. --check re-derives every
 * n <= 4 number by a second method and fails if any differs.
 * Methods and their proofs of exactness: docs/capacity.md. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cap_check.h"
#include "cap_class.h"
#include "cap_ptf.h"
#include "cap_plot.h"
#include "cap_table.h"

typedef struct options {
	unsigned max_n, threads;
	const char *csv, *png;
	int check;
} options;

static double
now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: quarks-capacity [--max-n N] [--threads T] [--csv FILE] [--png FILE] "
	        "[--check]\n"
	        "  --max-n N    count for n = 1..N inputs, N <= 5 (default 4; 5 takes minutes, 0.5 "
	        "GiB)\n"
	        "  --threads T  worker threads for the gated classes (default 2)\n"
	        "  --csv FILE   also write the table as CSV\n"
	        "  --png FILE   plot log2 counts against n^2 and 2 n^2\n"
	        "  --check      for n <= min(N, 4), recount every class by a second method\n"
	        "               (and for N = 5 the one-gate count by two more, about a minute)\n");
}

static int
parse(int argc, char **argv, options *o)
{
	*o = (options){.max_n = 4, .threads = 2};
	for (int i = 1; i < argc; ++i) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--check")) {
			o->check = 1;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			exit(0);
		} else if (v && !strcmp(a, "--max-n")) {
			o->max_n = (unsigned)strtoul(v, NULL, 10);
			++i;
		} else if (v && !strcmp(a, "--threads")) {
			o->threads = (unsigned)strtoul(v, NULL, 10);
			++i;
		} else if (v && !strcmp(a, "--csv")) {
			o->csv = v;
			++i;
		} else if (v && !strcmp(a, "--png")) {
			o->png = v;
			++i;
		} else {
			return -1;
		}
	}
	if (o->max_n < 1 || o->max_n > CAP_MAX_N || o->threads < 1 || o->threads > 64)
		return -1;
	return 0;
}

/* Counts every class for one n; appends rows. tprev: threshold functions of n - 1 inputs. */
static int
count_n(const options *o, unsigned n, const cap_ltg_list *t, double t_ltg,
        const cap_ltg_list *tprev, cap_row *rows, size_t *nrows)
{
	rows[(*nrows)++] = (cap_row){"ltg", n, t->count, t_ltg};
	for (int c = 0; c < CAP_NCOMP; ++c) {
		cap_fset s;
		double a = now();
		if (cap_fset_init(&s, n) || cap_class_fill(&s, t, tprev, (cap_comp)c, o->threads)) {
			cap_fset_free(&s);
			return -1;
		}
		uint64_t k = cap_fset_count(&s);
		cap_fset_free(&s);
		rows[(*nrows)++] = (cap_row){cap_comp_name((cap_comp)c), n, k, now() - a};
	}
	double a = now();
	uint64_t q;
	if (cap_ptf_count(n, 2, o->threads, &q, NULL))
		return -1;
	rows[(*nrows)++] = (cap_row){"ptf2", n, q, now() - a};
	return 0;
}

static int
write_outputs(const options *o, const cap_row *rows, size_t nrows)
{
	cap_table_text(stdout, rows, nrows);
	if (o->csv) {
		FILE *f = fopen(o->csv, "w");
		if (!f) {
			perror(o->csv);
			return -1;
		}
		cap_table_csv(f, rows, nrows);
		if (fclose(f)) {
			perror(o->csv);
			return -1;
		}
	}
	if (o->png && cap_plot_png(o->png, rows, nrows)) {
		fprintf(stderr, "quarks-capacity: cannot write %s\n", o->png);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	options o;
	if (parse(argc, argv, &o)) {
		usage(stderr);
		return 2;
	}
	cap_row rows[6 * CAP_MAX_N];
	size_t nrows = 0;
	cap_ltg_list prev, cur;
	if (cap_ltg_enumerate(&prev, 0))
		goto oom;
	for (unsigned n = 1; n <= o.max_n; ++n) {
		double a = now();
		if (cap_ltg_enumerate(&cur, n))
			goto oom;
		if (count_n(&o, n, &cur, now() - a, &prev, rows, &nrows))
			goto oom;
		cap_ltg_free(&prev);
		prev = cur;
	}
	cap_ltg_free(&prev);
	if (write_outputs(&o, rows, nrows))
		return 1;
	if (o.check) {
		unsigned top = o.max_n < 4 ? o.max_n : 4;
		int bad = cap_check_all(stdout, top, rows, nrows);
		for (size_t i = 0; o.max_n == 5 && i < nrows; ++i)
			if (rows[i].n == 5 && !strcmp(rows[i].cls, "ltg"))
				bad += cap_check_ltg_counts(stdout, 5, o.threads, rows[i].count) !=
				       0;
		if (bad) {
			fprintf(stderr, "quarks-capacity: %d check(s) failed\n", bad);
			return 1;
		}
	}
	return 0;
oom:
	fprintf(stderr, "quarks-capacity: out of memory\n");
	return 1;
}
