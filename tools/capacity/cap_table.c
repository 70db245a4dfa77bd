/* SPDX-License-Identifier: ISC */
/* Text and CSV renderings of the same numbers (CSV keeps full precision for scripts). */
#include "cap_table.h"

#include <math.h>
#include <string.h>

double
cap_row_per_n2(const cap_row *r)
{
	return log2((double)r->count) / (double)(r->n * r->n);
}

double
cap_row_ratio(const cap_row *rows, size_t nrows, const cap_row *r)
{
	for (size_t i = 0; i < nrows; ++i)
		if (rows[i].n == r->n && strcmp(rows[i].cls, "ltg") == 0)
			return log2((double)r->count) / log2((double)rows[i].count);
	return 0.0;
}

void
cap_table_text(FILE *out, const cap_row *rows, size_t nrows)
{
	fprintf(out, "%-7s %2s %12s %9s %10s %9s %9s\n", "class", "n", "count", "log2", "log2/n^2",
	        "ratio", "seconds");
	for (size_t i = 0; i < nrows; ++i) {
		const cap_row *r = &rows[i];
		fprintf(out, "%-7s %2u %12llu %9.4f %10.4f %9.4f %9.2f\n", r->cls, r->n,
		        (unsigned long long)r->count, log2((double)r->count), cap_row_per_n2(r),
		        cap_row_ratio(rows, nrows, r), r->seconds);
	}
}

void
cap_table_csv(FILE *out, const cap_row *rows, size_t nrows)
{
	fprintf(out, "class,n,count,log2_count,log2_count_per_n2,ratio_to_one_gate,seconds\n");
	for (size_t i = 0; i < nrows; ++i) {
		const cap_row *r = &rows[i];
		fprintf(out, "%s,%u,%llu,%.9f,%.9f,%.9f,%.3f\n", r->cls, r->n,
		        (unsigned long long)r->count, log2((double)r->count), cap_row_per_n2(r),
		        cap_row_ratio(rows, nrows, r), r->seconds);
	}
}
