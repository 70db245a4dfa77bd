/* SPDX-License-Identifier: ISC */
/* The capacity table: one row per (class, n), written as aligned text or CSV. */
#ifndef CAP_TABLE_H
#define CAP_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct cap_row {
	const char *cls; /* "ltg", "pair01", "pairpm", "syn01", "synpm", "ptf2" */
	unsigned n;
	uint64_t count; /* distinct Boolean functions of n inputs */
	double seconds; /* wall time spent on this row */
} cap_row;

/* log2(count) / n^2. */
double cap_row_per_n2(const cap_row *r);

/* Capacity relative to one gate: log2(count) / log2(count of "ltg" at the same n), or 0 if
 * the table has no "ltg" row for that n. */
double cap_row_ratio(const cap_row *rows, size_t nrows, const cap_row *r);

void cap_table_text(FILE *out, const cap_row *rows, size_t nrows);
void cap_table_csv(FILE *out, const cap_row *rows, size_t nrows);

#endif
